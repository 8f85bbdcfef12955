//! The process's open-file budget: the soft limit raised to the hard one once (as Go's runtime
//! does), so the push listener can hold thousands of connections where the system allows it;
//! and the share one listener may take of it.

use std::sync::OnceLock;

/// File descriptors left for everything but push connections (the record, logs, clients).
pub const RESERVED_FOR_THE_REST: u64 = 256;
/// The soft limit is raised no higher than this.
const RAISE_AT_MOST: u64 = 65_536;

/// The process's soft limit on open files, after raising it (once) toward the hard limit;
/// `None` where it cannot be read (not a Unix system).
pub fn open_files_limit() -> Option<u64> {
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    *LIMIT.get_or_init(raise)
}

/// At most `wanted` connections, within the open-file budget less [`RESERVED_FOR_THE_REST`]
/// (and never fewer than 16).
pub fn connections_within_budget(wanted: usize) -> usize {
    match open_files_limit() {
        Some(limit) => {
            let budget = limit.saturating_sub(RESERVED_FOR_THE_REST).max(16);
            wanted.min(usize::try_from(budget).unwrap_or(usize::MAX))
        }
        None => wanted,
    }
}

#[cfg(unix)]
fn raise() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let now = getrlimit(Resource::Nofile);
    let current = now.current?;
    let target = now.maximum.unwrap_or(u64::MAX).min(RAISE_AT_MOST);
    if target <= current {
        return Some(current);
    }
    let raised = Rlimit {
        current: Some(target),
        maximum: now.maximum,
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => Some(target),
        Err(err) => {
            tracing::debug!("open files: could not raise the limit from {current}: {err}");
            Some(current)
        }
    }
}

#[cfg(not(unix))]
fn raise() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_never_exceeds_what_is_wanted_or_the_limit() {
        assert_eq!(connections_within_budget(8), 8);
        if let Some(limit) = open_files_limit() {
            let got = connections_within_budget(usize::MAX) as u64;
            assert!(got <= limit.saturating_sub(RESERVED_FOR_THE_REST).max(16));
        }
    }
}
