//! Telling the window about an opened file from a blocking reader: each update is sent as the
//! window takes them (a part of SETs only once fewer than a few wait, so a large file is read
//! as fast as it is drawn, never queued whole), and the reading stops when the window is gone
//! or the file is closed.

use tokio_util::sync::CancellationToken;

use crate::bridge::UpdateSender;
use crate::core::update::{OpenedUpdate, Update};

/// A part of SETs is sent only while fewer updates than this wait for the window.
const QUEUED_BEFORE_A_PART: usize = 16;

/// Where a blocking reader's updates about file `id` go.
#[derive(Clone)]
pub(super) struct Sink {
    pub(super) id: u64,
    pub(super) updates: UpdateSender,
    pub(super) handle: tokio::runtime::Handle,
    /// Cancelled when the file is closed (or the runtime stops).
    pub(super) closed: CancellationToken,
}

impl Sink {
    /// Send one update about the file; false when nobody reads any more (stop reading).
    pub(super) fn send(&self, update: OpenedUpdate) -> bool {
        if self.closed.is_cancelled() {
            return false;
        }
        let update = Update::Opened {
            id: self.id,
            update,
        };
        self.handle.block_on(self.updates.send(update)).is_ok()
    }

    /// The same for what the file holds.
    pub(super) fn contents(&self, update: Update) -> bool {
        self.send(OpenedUpdate::Contents(Box::new(update)))
    }

    /// What a file holds besides its SETs, told once they are all read, then that it is read
    /// whole; false when nobody reads any more.
    pub(super) fn history(
        &self,
        markers: Vec<crate::core::marker::Marker>,
        exchanges: impl IntoIterator<Item = std::sync::Arc<crate::core::exchange::Exchange>>,
        alerts: Vec<crate::core::alerts::Alert>,
        statuses: Vec<crate::core::effects::StatusChange>,
    ) -> bool {
        self.send(OpenedUpdate::Markers(markers))
            && exchanges
                .into_iter()
                .all(|exchange| self.contents(Update::Exchange(exchange)))
            && self.contents(Update::EarlierAlerts(alerts))
            && self.contents(Update::EarlierStatus(statuses))
            && self.send(OpenedUpdate::Loaded)
    }

    /// Wait until the window has taken what came before (a large file's parts), then send.
    pub(super) fn part(&self, update: Update) -> bool {
        while self.updates.queued() >= QUEUED_BEFORE_A_PART {
            if self.updates.is_closed() || self.closed.is_cancelled() {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        self.contents(update)
    }
}
