//! Opening the record at start: what it holds is handed to the UI (SETs and markers in time
//! order, the latest exchanges, earlier runs' alerts), or, when it cannot be opened, the runtime
//! keeps an in-memory record and says so.

use std::path::PathBuf;
use std::sync::Arc;

use super::record::{self, RecordStore};
use crate::bridge::UpdateSender;
use crate::core::marker::Marker;
use crate::core::update::{NoticeLevel, Update};

/// Hand what the record held to the UI: SETs and markers in time order, the latest exchanges,
/// and the alerts of earlier runs (listed, not raised again). `None` when the UI is gone.
async fn replay(reloaded: record::Reloaded, updates: &UpdateSender) -> Option<()> {
    let record::Reloaded { records, history } = reloaded;
    let mut markers = history.markers.into_iter().peekable();
    for record in records {
        // At the same millisecond a start goes before the SET, a stop or loss after it.
        let before = |m: &Marker| {
            m.at < record.received_at || (m.at == record.received_at && !m.kind.ends_coverage())
        };
        while let Some(marker) = markers.next_if(before) {
            updates.send(Update::Marker(marker)).await.ok()?;
        }
        updates.send(Update::Reloaded(record)).await.ok()?;
    }
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
    Some(())
}

/// Open the record (reloading what it holds into the UI), or fall back to memory with a notice.
pub(super) async fn open_record(
    path: Option<PathBuf>,
    updates: &UpdateSender,
) -> Option<RecordStore> {
    if let Some(path) = path {
        match RecordStore::open_all(&path).await {
            Ok((store, reloaded)) => {
                let count = reloaded.records.len();
                replay(reloaded, updates).await?;
                if count > 0 {
                    updates
                        .notice(
                            NoticeLevel::Info,
                            format!("Reloaded {count} SETs from {}", path.display()),
                        )
                        .await;
                }
                return Some(store);
            }
            Err(err) => {
                let text = format!(
                    "The record {} could not be opened ({err:#}); SETs are kept in memory only this session",
                    path.display()
                );
                updates.notice(NoticeLevel::Error, text).await;
            }
        }
    }
    match RecordStore::in_memory().await {
        Ok(store) => Some(store),
        Err(err) => {
            updates
                .notice(
                    NoticeLevel::Error,
                    format!("Cannot keep a record at all: {err:#}"),
                )
                .await;
            None
        }
    }
}
