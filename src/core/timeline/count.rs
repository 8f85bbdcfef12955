//! Counting one stream's SETs around an instant, in one pass over the compact entries (a
//! number compared per entry, no text), from any index on: a caller that counted before
//! counts only what arrived since.

use super::Timeline;
use crate::core::time::UnixMillis;

/// A stream's SETs on each side of an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Around {
    /// Received at or before the instant.
    pub before: usize,
    /// Received after it (and before `until`, when there is one).
    pub after: usize,
}

impl Timeline {
    /// The SETs of `stream` among the entries from index `from` on: received at or before `at`,
    /// and after it up to `until` (excluded; none: up to now). Entries before `from` are not
    /// read, so a count kept by the caller grows with the timeline at the cost of what is new.
    pub fn count_around(
        &self,
        stream: &str,
        from: usize,
        at: UnixMillis,
        until: Option<UnixMillis>,
    ) -> Around {
        let mut around = Around::default();
        let Some(number) = self.dict.find_text(stream) else {
            return around;
        };
        for entry in self.entries.iter().skip(from) {
            if entry.stream_number() != number {
                continue;
            }
            let received = entry.received_at();
            if received <= at {
                around.before += 1;
            } else if until.is_none_or(|end| received < end) {
                around.after += 1;
            }
        }
        around
    }

    /// How many SETs are held as entries (a headless timeline only counts them).
    pub fn held(&self) -> usize {
        self.entries.len()
    }
}
