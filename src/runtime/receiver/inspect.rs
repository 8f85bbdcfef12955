//! Inspecting a received SET off the async workers: decoding, signature verification and lint
//! are CPU-bound (an RSA verify is a fraction of a millisecond, a hostile body more), so they
//! run on the blocking pool and never hold up the push listener, the poller or the UI bridge.
//! A SET whose `kid` is unknown is inspected once more after the keys are fetched again.

use crate::core::ingest::{self, Arrival, Expectations};
use crate::core::record::SetRecord;
use crate::core::verify::{AlgorithmPolicy, Verdict};

use super::keys::KeyCache;

/// Inspect `raw` with the keys held now, and again with fresh keys when its kid is unknown
/// (the refetch is rate-limited by the key cache).
pub(super) async fn inspect_set(
    raw: String,
    arrival: Arrival,
    keys: &KeyCache,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) -> SetRecord {
    let record = on_blocking_pool(raw.clone(), arrival.clone(), keys, policy, expect).await;
    if record.verification.verdict == Verdict::UnknownKey && keys.refresh().await {
        return on_blocking_pool(raw, arrival, keys, policy, expect).await;
    }
    record
}

async fn on_blocking_pool(
    raw: String,
    arrival: Arrival,
    keys: &KeyCache,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) -> SetRecord {
    let current = keys.current();
    let (policy, expect) = (policy.clone(), expect.clone());
    let (kept_raw, kept_arrival) = (raw.clone(), arrival.clone());
    let inspected = tokio::task::spawn_blocking(move || {
        ingest::inspect(raw, arrival, &current, &policy, &expect)
    })
    .await;
    inspected.unwrap_or_else(|err| {
        tracing::error!("inspecting a SET failed: {err}");
        let why = if err.is_panic() {
            "the inspection panicked (a defect of this receiver; please report it)"
        } else {
            "the inspection was cancelled (the receiver is stopping)"
        };
        ingest::uninspected(kept_raw, kept_arrival, why)
    })
}
