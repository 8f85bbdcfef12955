//! An opened file's SETs checked again with the key sets it carries (blocking, after it has
//! been read, so its first rows never wait for it): each SET with the keys of its stream and
//! time (`core::capture::CaptureKeys`), the verdict it had when received kept beside the one
//! found now; the counts are told as it goes and every SET whose verdict differs is named.

use std::time::{Duration, Instant};

use super::sink::Sink;
use crate::core::capture::CaptureKeys;
use crate::core::opened_info::Reverified;
use crate::core::record::SetRecord;
use crate::core::update::OpenedUpdate;

/// How often the counts are told while the check runs.
const TELL_EVERY: Duration = Duration::from_millis(250);

/// Check every SET `each_set` gives (`total` of them) with `keys`, telling the window as it
/// goes. `each_set` calls its argument with each SET and the number it is shown as, until that
/// returns false.
pub(super) fn run(
    keys: &CaptureKeys,
    total: usize,
    sink: &Sink,
    each_set: impl FnOnce(&mut dyn FnMut(u64, SetRecord) -> bool) -> Result<(), String>,
) {
    let mut part = Reverified {
        total,
        ..Reverified::default()
    };
    if keys.is_empty() {
        part.unavailable = Some("the file carries no key set (JWKS) to check them with".to_owned());
        part.done = true;
        sink.send(OpenedUpdate::Reverified(part));
        return;
    }
    let mut told = Instant::now();
    let mut going = true;
    let read = each_set(&mut |seq, record| {
        let before = record.verification.verdict;
        let now = keys.verdict(&record);
        part.checked += 1;
        part.through = Some(part.through.map_or(seq, |through| through.max(seq)));
        match now {
            Some(now) if now == before => part.same += 1,
            Some(now) => {
                part.differ.insert(seq, (before, Some(now)));
            }
            None => {
                part.no_keys += 1;
                part.differ.insert(seq, (before, None));
            }
        }
        if told.elapsed() >= TELL_EVERY {
            told = Instant::now();
            let counts = Reverified {
                differ: std::mem::take(&mut part.differ),
                ..part.clone()
            };
            going = sink.send(OpenedUpdate::Reverified(counts));
        }
        going
    });
    if !going {
        return;
    }
    if let Err(why) = read {
        part.unavailable = Some(format!("the file could not be read again ({why})"));
    }
    part.done = true;
    sink.send(OpenedUpdate::Reverified(part));
}
