//! What the window reads from the record on request: one SET whole (its details), and the
//! filter's answer for SETs the timeline holds only compact (free text over their claims).
//! Both run on the blocking pool; a check stops as soon as the window's filter changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::record::RecordStore;
use crate::bridge::UpdateSender;
use crate::core::filter::Filter;
use crate::core::time::UnixMillis;
use crate::core::timeline::Unresolved;
use crate::core::update::Update;

/// Read the SET `seq` and hand it to the window, or say why it cannot be read.
pub(super) async fn load_set(store: RecordStore, seq: u64, updates: UpdateSender) {
    let read = tokio::task::spawn_blocking(move || store.read_set(seq)).await;
    let update = match read {
        Ok(Ok(Some(record))) => Update::SetLoaded(record),
        Ok(Ok(None)) => Update::SetUnavailable {
            seq,
            reason: "the record no longer holds it (pruned by the retention, or never stored)"
                .to_owned(),
        },
        Ok(Err(err)) => Update::SetUnavailable {
            seq,
            reason: format!("{err:#}"),
        },
        Err(err) => Update::SetUnavailable {
            seq,
            reason: format!("the read stopped: {err}"),
        },
    };
    updates.send(update).await.ok();
}

/// The latest filter generation the window asked about: older checks stop.
#[derive(Clone, Default)]
pub(super) struct Latest(Arc<AtomicU64>);

/// Check the unresolved SETs against the filter with their claims, sending the answers a part
/// at a time; stops when a newer generation is asked for or the window is gone.
pub(super) async fn check_sets(
    store: RecordStore,
    job: Unresolved,
    latest: Latest,
    updates: UpdateSender,
) {
    latest.0.fetch_max(job.generation, Ordering::Relaxed);
    let Ok(filter) = Filter::parse(&job.filter) else {
        return;
    };
    let handle = tokio::runtime::Handle::current();
    let generation = job.generation;
    let sender = updates.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let mut seqs = job.seqs;
        seqs.sort_unstable();
        store.check_sets(&filter, UnixMillis::now(), &seqs, |answers| {
            if latest.0.load(Ordering::Relaxed) != generation {
                return false;
            }
            let update = Update::Matched {
                generation,
                answers,
            };
            handle.block_on(sender.send(update)).is_ok()
        })
    })
    .await;
    let failed = match checked {
        Ok(Ok(())) => return,
        Ok(Err(err)) => format!("{err:#}"),
        Err(err) => err.to_string(),
    };
    updates
        .notice(
            crate::core::update::NoticeLevel::Error,
            format!(
                "The filter's free text could not be checked against the record's SETs: {failed}"
            ),
        )
        .await;
}
