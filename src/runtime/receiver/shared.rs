//! What every part of a session shares, and nothing else: the services it uses
//! (`SessionDeps`), how delivery is going and the stream status the transmitter last told
//! (`Health`), and telling the connection state. A leaf: it imports nothing of the receiver.

use crate::bridge::UpdateSender;
use crate::core::record::StreamKey;
use crate::core::stream::{Connection, StreamStatus};
use crate::core::update::Update;
use crate::runtime::record::RecordStore;

/// Shared services a session uses.
#[derive(Clone)]
pub struct SessionDeps {
    /// HTTP client (built with the profile's TLS settings).
    pub client: reqwest::Client,
    /// The record.
    pub store: RecordStore,
    /// To the UI.
    pub updates: UpdateSender,
}

/// How delivery is going, as the delivery method sees it (a status read that answers does not
/// make a stream whose polls fail "connected"), and the stream's status as the transmitter last
/// told it: a status read's answer, its answer to a status change, or a trusted stream-updated
/// SET the intake took. A status merely asked for is never kept here. No heartbeat is asked of
/// a stream known not to be enabled.
#[derive(Debug, Default)]
pub struct Health {
    /// Why delivery fails now, if it does.
    pub delivery_failure: parking_lot::Mutex<Option<String>>,
    told: parking_lot::Mutex<StreamStatus>,
}

impl Health {
    /// True while delivery fails.
    pub fn failing(&self) -> bool {
        self.delivery_failure.lock().is_some()
    }

    /// The status the transmitter last told.
    pub fn known_status(&self) -> StreamStatus {
        *self.told.lock()
    }

    /// The transmitter told this status (answered, or in a stream-updated SET).
    pub fn told(&self, status: StreamStatus) {
        *self.told.lock() = status;
    }

    /// True while the stream is known to be paused or disabled: it could answer no verification.
    pub fn known_stopped(&self) -> bool {
        matches!(
            self.known_status(),
            StreamStatus::Paused | StreamStatus::Disabled
        )
    }
}

/// Show the receiver's connection to a stream, with the exchange that told it (a failure's).
pub(super) async fn tell_connection(
    deps: &SessionDeps,
    key: &StreamKey,
    connection: Connection,
    exchange: Option<u64>,
) {
    deps.updates
        .send(Update::Connection {
            key: key.clone(),
            connection,
            exchange,
        })
        .await
        .ok();
}

/// Show a set-up step as the connection state.
pub(super) async fn step(deps: &SessionDeps, key: &StreamKey, what: &str) {
    let connection = Connection::Connecting(what.to_owned());
    tell_connection(deps, key, connection, None).await;
}
