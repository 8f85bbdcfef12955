//! The two bounded channels between the UI thread and the runtime. Every update sent to the UI
//! wakes it (a repaint request in the GUI, nothing headless), so nobody forgets the wake-up.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::core::update::{NoticeLevel, Update};

/// How many updates may wait for the UI before the runtime is slowed down (backpressure).
pub const UPDATE_CAPACITY: usize = 4096;
/// How many commands may wait for the runtime.
pub const COMMAND_CAPACITY: usize = 64;

/// Called after every update is queued; the GUI passes `ctx.request_repaint()`.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The receiving side went away (the UI or `watch` stopped).
#[derive(Debug, thiserror::Error)]
#[error("the update receiver is closed")]
pub struct Closed;

/// Sends updates to the UI and wakes it.
#[derive(Clone)]
pub struct UpdateSender {
    tx: mpsc::Sender<Update>,
    wake: Waker,
}

impl UpdateSender {
    /// Queue an update (waiting while the queue is full) and wake the UI. Every secret the
    /// receiver holds is scrubbed from its texts first: nothing downstream (window, `watch`,
    /// alerts, the record's alert and status history) can show one.
    pub async fn send(&self, update: Update) -> Result<(), Closed> {
        let update = crate::core::secrets::scrub_update(update);
        self.tx.send(update).await.map_err(|_| Closed)?;
        (self.wake)();
        Ok(())
    }
}

impl UpdateSender {
    /// Whether the UI (or `watch`) stopped taking updates.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// How many updates wait for the UI now.
    pub fn queued(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    /// Send a status-bar notice; a closed receiver is ignored (nobody is left to read it).
    pub async fn notice(&self, level: NoticeLevel, text: String) {
        self.send(Update::Notice { level, text }).await.ok();
    }
}

/// A bounded update channel whose sender calls `wake` after each send.
pub fn update_channel(wake: Waker) -> (UpdateSender, mpsc::Receiver<Update>) {
    let (tx, rx) = mpsc::channel(UPDATE_CAPACITY);
    (UpdateSender { tx, wake }, rx)
}

/// A waker that does nothing (headless use).
pub fn no_wake() -> Waker {
    Arc::new(|| {})
}
