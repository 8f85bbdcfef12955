//! Inspecting a received SET: decoding, signature verification and lint are CPU-bound. A SET of
//! the usual size (at most 16 KiB) is inspected where it arrived: about 0.1 ms, at most 4 keys
//! tried, less than the hand-off to another thread costs (wake-up, context switch). A larger
//! body, whose decoding and lint grow with it, goes to the blocking pool so it never holds up
//! the push listener, the poller or the UI bridge. A panic is caught either way and the SET is
//! kept, uninspected, with why. A SET whose `kid` is unknown is inspected once more after the
//! keys are fetched again.

use crate::core::ingest::{self, Arrival, Expectations};
use crate::core::record::SetRecord;
use crate::core::verify::{AlgorithmPolicy, Verdict};

use super::keys::KeyCache;

/// Inspect `raw` with the keys held now, and again with fresh keys when its kid is unknown
/// (the refetch is rate-limited by the key cache). The token is moved, never copied: the
/// record holds it, and a second inspection takes it back from the first one's record.
pub(super) async fn inspect_set(
    raw: String,
    arrival: Arrival,
    keys: &KeyCache,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) -> SetRecord {
    let record = on_blocking_pool(raw, arrival, keys, policy, expect).await;
    if record.verification.verdict == Verdict::UnknownKey && keys.refresh().await {
        let (raw, arrival) = taken_back(record);
        return on_blocking_pool(raw, arrival, keys, policy, expect).await;
    }
    record
}

/// The token and arrival of an inspected record, to inspect them again.
fn taken_back(record: SetRecord) -> (String, Arrival) {
    let arrival = Arrival {
        stream: record.stream,
        transport: record.transport,
        received_at: record.received_at,
    };
    (record.raw, arrival)
}

/// Bodies up to this size are inspected on the task that received them.
pub const INSPECTED_IN_PLACE_BYTES: usize = 16 * 1024;

const PANICKED: &str = "the inspection panicked (a defect of this receiver; please report it)";

async fn on_blocking_pool(
    raw: String,
    arrival: Arrival,
    keys: &KeyCache,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) -> SetRecord {
    let current = keys.current();
    if raw.len() <= INSPECTED_IN_PLACE_BYTES {
        // Inspected where it lies: on a panic the record still holds the token to keep.
        let mut record = ingest::received(raw, arrival);
        let inspected = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ingest::inspect_in_place(&mut record, &current, policy, expect);
        }));
        if inspected.is_err() {
            tracing::error!("inspecting a SET panicked");
            let (raw, arrival) = taken_back(record);
            return ingest::uninspected(raw, arrival, PANICKED);
        }
        return record;
    }
    // A large body (rare): a copy is kept here in case the blocking pool loses it.
    let (policy, expect) = (policy.clone(), expect.clone());
    let (kept_raw, kept_arrival) = (raw.clone(), arrival.clone());
    let inspected = tokio::task::spawn_blocking(move || {
        ingest::inspect(raw, arrival, &current, &policy, &expect)
    })
    .await;
    inspected.unwrap_or_else(|err| {
        tracing::error!("inspecting a SET failed: {err}");
        let why = if err.is_panic() {
            PANICKED
        } else {
            "the inspection was cancelled (the receiver is stopping)"
        };
        ingest::uninspected(kept_raw, kept_arrival, why)
    })
}
