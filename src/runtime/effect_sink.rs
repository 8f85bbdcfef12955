//! The one way the reducer's effects (alerts raised or changed, stream status changes) reach the
//! record, for the window and `watch` alike. Handing effects over never blocks and never drops
//! them while the runtime runs, and at shutdown the writer takes what is queued before the record
//! is closed.
//!
//! The queue is the one unbounded channel of the program, on purpose: the window's thread must
//! not wait, and a record write must not be dropped, so there is no room for backpressure here.
//! It is bounded upstream instead: effects come only from applying updates (a few per update at
//! most), the updates come through the bridge's bounded channel, and SETs (the bulk of updates)
//! are stored in the same record before they are sent, so a record that stops taking writes stops
//! the updates that would make more effects.

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::record::RecordStore;
use crate::bridge::UpdateSender;
use crate::core::effects::Effects;
use crate::core::update::NoticeLevel;

/// The runtime has stopped: nothing writes effects to the record any more.
#[derive(Debug, thiserror::Error)]
#[error("the runtime has stopped: alerts and status changes are no longer recorded")]
pub struct SinkClosed;

/// Where the window and `watch` hand the reducer's effects.
#[derive(Clone, Debug)]
pub struct EffectSink {
    effects: mpsc::UnboundedSender<Effects>,
}

impl EffectSink {
    /// A sink and the queue it feeds (the runtime's writer, or a test standing in for it).
    pub fn channel() -> (Self, mpsc::UnboundedReceiver<Effects>) {
        #[expect(
            clippy::disallowed_methods,
            reason = "record writes are neither dropped nor waited for; bounded upstream (module docs)"
        )]
        let (effects, queue) = mpsc::unbounded_channel();
        (Self { effects }, queue)
    }

    /// Hand effects over to be written, in order; never waits. Err only when the runtime has
    /// stopped (nothing will write them).
    pub fn record(&self, effects: Effects) -> Result<(), SinkClosed> {
        if effects.is_empty() {
            return Ok(());
        }
        self.effects.send(effects).map_err(|_| SinkClosed)
    }
}

/// Write effects as they come until `stop`; then write what is still queued and return (the
/// record is closed after).
pub(super) async fn write(
    mut queue: mpsc::UnboundedReceiver<Effects>,
    store: RecordStore,
    updates: UpdateSender,
    stop: CancellationToken,
) {
    loop {
        let effects = tokio::select! {
            biased;
            effects = queue.recv() => effects,
            () = stop.cancelled() => break,
        };
        let Some(effects) = effects else { return };
        write_one(&store, &updates, effects).await;
    }
    queue.close();
    while let Some(effects) = queue.recv().await {
        write_one(&store, &updates, effects).await;
    }
}

async fn write_one(store: &RecordStore, updates: &UpdateSender, effects: Effects) {
    for alert in &effects.alerts {
        if let Err(err) = store.append_alert(alert).await {
            let text = format!("An alert could not be recorded: {err}");
            updates.notice(NoticeLevel::Error, text).await;
        }
    }
    for change in &effects.statuses {
        let stored = store
            .append_status(
                &change.stream,
                change.status,
                change.reason.as_deref(),
                &change.source,
                change.at,
            )
            .await;
        if let Err(err) = stored {
            let text = format!("A stream status change could not be recorded: {err}");
            updates.notice(NoticeLevel::Error, text).await;
        }
    }
}
