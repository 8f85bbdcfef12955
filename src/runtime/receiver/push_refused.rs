//! What the push endpoint keeps of requests it refuses before any SET is looked at (a wrong or
//! missing Authorization, an unknown path): anyone can send them, so they must not fill the
//! disk or the memory. At most [`REFUSED_RECORDED_PER_SECOND`] are recorded, each with the
//! first [`REFUSED_BODY_KEPT`] bytes of its body, its length and its SHA-256; the rest are
//! counted and the count is told.

use std::time::{Duration, Instant};

use parking_lot::Mutex;

/// Refused requests recorded per second, per listener; more are counted, not recorded.
pub const REFUSED_RECORDED_PER_SECOND: u32 = 20;
/// Bytes of a refused request's body that are kept.
pub const REFUSED_BODY_KEPT: usize = 4096;

/// The recording budget of one listener.
#[derive(Debug)]
pub(super) struct RefusedGate {
    window: Mutex<Window>,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    recorded: u32,
    skipped: u64,
}

/// A refused request that may be recorded, and how many before it were not.
pub(super) struct Admitted {
    /// Refused requests not recorded since the last one that was.
    pub(super) skipped_before: u64,
}

impl Default for RefusedGate {
    fn default() -> Self {
        Self {
            window: Mutex::new(Window {
                started: Instant::now(),
                recorded: 0,
                skipped: 0,
            }),
        }
    }
}

impl RefusedGate {
    /// Whether this refused request is recorded.
    pub(super) fn admit(&self) -> Option<Admitted> {
        let mut window = self.window.lock();
        if window.started.elapsed() >= Duration::from_secs(1) {
            window.started = Instant::now();
            window.recorded = 0;
        }
        if window.recorded >= REFUSED_RECORDED_PER_SECOND {
            window.skipped += 1;
            return None;
        }
        window.recorded += 1;
        let skipped_before = std::mem::take(&mut window.skipped);
        Some(Admitted { skipped_before })
    }
}

/// A refused request's body as kept: a prefix of at most [`REFUSED_BODY_KEPT`] bytes, and
/// when it was longer, its length and SHA-256.
pub(super) fn bounded_body(body: &[u8]) -> String {
    if body.len() <= REFUSED_BODY_KEPT {
        return String::from_utf8_lossy(body).into_owned();
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
    let hex = hex::encode(digest);
    let prefix = String::from_utf8_lossy(&body[..REFUSED_BODY_KEPT]);
    format!(
        "{prefix}… [refused request: {} bytes in all, first {REFUSED_BODY_KEPT} kept; SHA-256 {hex}]",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_refused_body_keeps_a_prefix_its_length_and_hash() {
        let body = vec![b'a'; 100_000];
        let kept = bounded_body(&body);
        assert!(kept.len() < REFUSED_BODY_KEPT + 200, "{}", kept.len());
        assert!(kept.contains("100000 bytes in all"));
        assert_eq!(bounded_body(b"short"), "short");
    }

    #[test]
    fn at_most_the_budget_is_recorded_a_second_and_the_rest_counted() {
        let gate = RefusedGate::default();
        let admitted = (0..50).filter(|_| gate.admit().is_some()).count();
        assert_eq!(admitted, REFUSED_RECORDED_PER_SECOND as usize);
        gate.window.lock().started -= Duration::from_secs(2);
        let next = gate.admit().expect("a new second");
        assert_eq!(next.skipped_before, 30);
    }
}
