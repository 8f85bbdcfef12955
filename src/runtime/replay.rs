//! Opening the record at start: what it holds is handed to the UI (SETs and markers in time
//! order, the latest exchanges, earlier runs' alerts), or, when it cannot be opened, the runtime
//! keeps a stand-in that refuses SETs until the user chooses memory;
//! the record's health is told at start and on every change.

use std::path::PathBuf;
use std::sync::Arc;

use super::record::{self, RecordStore};
use crate::bridge::UpdateSender;
use crate::core::marker::Marker;
use crate::core::set_summary::SetSummary;
use crate::core::update::{NoticeLevel, Update};
use tokio::sync::mpsc;

/// How many reloaded SETs one update carries.
const SUMMARIES_PER_UPDATE: usize = 2048;

/// A part of the reload is sent only while fewer updates than this wait for the UI: the record
/// is read as fast as the window takes it, never queued whole in memory.
const QUEUED_BEFORE_A_PART: usize = 16;

/// Send a part of the reload once the UI has taken what came before.
async fn send_part(updates: &UpdateSender, part: Vec<SetSummary>) -> Option<()> {
    while updates.queued() >= QUEUED_BEFORE_A_PART {
        if updates.is_closed() {
            return None;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    updates.send(Update::Reloaded(part)).await.ok()
}

/// Read what the stored SETs concluded on the blocking pool, a part at a time, into a short
/// queue: the window gets the first rows at once and the whole record is never held twice.
fn read_summaries(store: &RecordStore) -> mpsc::Receiver<anyhow::Result<Vec<SetSummary>>> {
    let (parts, queue) = mpsc::channel(2);
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let read = store.each_summary(SUMMARIES_PER_UPDATE, |part| {
            parts.blocking_send(Ok(part)).is_ok()
        });
        if let Err(err) = read {
            let _gone = parts.blocking_send(Err(err)).is_err();
        }
    });
    queue
}

/// Hand what the record held to the UI: SETs (what they concluded) and markers in time order,
/// the latest exchanges, and the alerts of earlier runs (listed, not raised again). Returns how
/// many SETs were handed over; `None` when the UI is gone.
async fn replay(
    store: &RecordStore,
    reloaded: record::Reloaded,
    updates: &UpdateSender,
) -> Option<usize> {
    let history = reloaded.history;
    if reloaded.count > 0 {
        let total = reloaded.count;
        updates.send(Update::Reloading { total }).await.ok()?;
    }
    let mut markers = history.markers.into_iter().peekable();
    let mut queue = read_summaries(store);
    let mut count = 0;
    let started = std::time::Instant::now();
    while let Some(read) = queue.recv().await {
        let summaries = match read {
            Ok(part) => part,
            Err(err) => {
                let text = format!("The record's SETs could not all be read back: {err:#}");
                updates.notice(NoticeLevel::Error, text).await;
                break;
            }
        };
        count += summaries.len();
        let mut part = Vec::with_capacity(summaries.len());
        for summary in summaries {
            // At the same millisecond a start goes before the SET, a stop or loss after it.
            let at = summary.received_at;
            let before = |m: &Marker| m.at < at || (m.at == at && !m.kind.ends_coverage());
            if markers.peek().is_some_and(before) && !part.is_empty() {
                send_part(updates, std::mem::take(&mut part)).await?;
            }
            while let Some(marker) = markers.next_if(before) {
                updates.send(Update::Marker(marker)).await.ok()?;
            }
            part.push(summary);
        }
        if !part.is_empty() {
            send_part(updates, part).await?;
        }
    }
    tracing::info!(
        "{count} SETs reloaded from the record in {} ms",
        started.elapsed().as_millis()
    );
    for marker in markers {
        updates.send(Update::Marker(marker)).await.ok()?;
    }
    for exchange in history.exchanges {
        updates
            .send(Update::Exchange(Arc::new(exchange)))
            .await
            .ok()?;
    }
    if !history.earlier_alerts.is_empty() {
        updates
            .send(Update::EarlierAlerts(history.earlier_alerts))
            .await
            .ok()?;
    }
    if !history.earlier_status.is_empty() {
        updates
            .send(Update::EarlierStatus(history.earlier_status))
            .await
            .ok()?;
    }
    Some(count)
}

/// Open the record and tell the UI whether it can be used, then hand it what the record held.
/// A record that was asked for and cannot be opened is not replaced by memory silently: the
/// stand-in refuses every SET (503, no acknowledgement) until the user chooses memory.
pub(super) async fn open_record(
    path: Option<PathBuf>,
    retention: crate::core::retention::Retention,
    updates: &UpdateSender,
) -> Option<RecordStore> {
    let Some(path) = path else {
        return memory(updates).await;
    };
    match RecordStore::open_kept(&path, retention).await {
        Ok((store, reloaded)) => {
            updates
                .send(Update::RecordHealth(store.health()))
                .await
                .ok()?;
            say_pruned(&reloaded.pruned, retention, updates).await;
            let count = replay(&store, reloaded, updates).await?;
            if count > 0 {
                updates
                    .notice(
                        NoticeLevel::Info,
                        format!("Reloaded {count} SETs from {}", path.display()),
                    )
                    .await;
            }
            Some(store)
        }
        Err(err) => {
            let reason = format!("{err:#}");
            tracing::error!("the record {} cannot be used: {reason}", path.display());
            match RecordStore::unavailable(&path, reason).await {
                Ok(store) => {
                    updates
                        .send(Update::RecordHealth(store.health()))
                        .await
                        .ok()?;
                    Some(store)
                }
                Err(err) => cannot_record(updates, &err).await,
            }
        }
    }
}

/// Say what the retention pruned at open, when it pruned anything.
async fn say_pruned(
    pruned: &crate::core::retention::Pruned,
    retention: crate::core::retention::Retention,
    updates: &UpdateSender,
) {
    if pruned.is_empty() {
        return;
    }
    let text = format!(
        "Pruned from the record, as its retention ({}) says: {} SETs, {} exchanges, {} status changes, markers and alerts",
        retention.describe(),
        pruned.sets,
        pruned.exchanges,
        pruned.other
    );
    tracing::info!("{text}");
    updates.notice(NoticeLevel::Info, text).await;
}

async fn memory(updates: &UpdateSender) -> Option<RecordStore> {
    match RecordStore::in_memory().await {
        Ok(store) => {
            updates
                .send(Update::RecordHealth(store.health()))
                .await
                .ok()?;
            Some(store)
        }
        Err(err) => cannot_record(updates, &err).await,
    }
}

async fn cannot_record(updates: &UpdateSender, err: &anyhow::Error) -> Option<RecordStore> {
    let text = format!("Cannot keep a record at all: {err:#}");
    updates.notice(NoticeLevel::Error, text).await;
    None
}

/// Tell the UI every change of the record's health until the runtime stops.
pub(super) fn forward_health(
    store: &RecordStore,
    updates: UpdateSender,
    cancel: tokio_util::sync::CancellationToken,
) {
    let mut health = store.watch_health();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                changed = health.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
            let now = health.borrow_and_update().clone();
            if updates.send(Update::RecordHealth(now)).await.is_err() {
                return;
            }
        }
    });
}
