//! One watched stream, end to end: set-up (`start`), then delivery, status and configuration
//! reads, heartbeats and the user's operations until stopped. Every step is reported to the UI
//! as it happens; a failure says what to check. On stop only a stream this run created is
//! deleted, and what was done is said.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::exchange_log::ExchangeLog;
use super::keys::KeyCache;
use super::management::Management;
use super::operations::{self, StreamOp};
use super::push::PushStream;
use super::{setup_plan, undo, upkeep};
use crate::bridge::UpdateSender;
use crate::core::coverage::Coverage;
use crate::core::marker::{Marker, MarkerKind};
use crate::core::record::StreamKey;
use crate::core::stream::{Connection, StreamStatus};
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::runtime::record::RecordStore;

pub use super::session_config::{SessionConfig, WatchSettings};

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

/// A session that is up: what it needs to keep the stream and clean up after itself.
pub(super) struct Established {
    pub(super) metadata: crate::core::discovery::TransmitterMetadata,
    /// The transmitter's id of the stream (empty for a transmitter whose streams have none).
    pub(super) stream_id: String,
    pub(super) min_verification_interval: u64,
    pub(super) undo: setup_plan::Undo,
    pub(super) push: Option<Arc<PushStream>>,
    /// The delivery the receiver set (what a PUT sends back).
    pub(super) delivery: Value,
    /// The stream's delivery reaches this receiver (an attached push stream may deliver to
    /// another receiver: no verification is asked of it).
    pub(super) delivers_here: bool,
    pub(super) keys: Arc<KeyCache>,
    /// The ways of noticing a stop this stream has.
    pub(super) coverage: Coverage,
    /// Whether delivery works (the poller's word), and the status last known.
    pub(super) health: Arc<Health>,
    /// What other processes of this receiver do to the stream (read before each status read).
    pub(super) own: Option<Arc<crate::runtime::journal::JournalReader>>,
    /// The streams this profile made, remembered (a created stream is forgotten once deleted).
    pub(super) memory: Option<crate::runtime::own_streams::OwnStreams>,
}

/// How delivery is going, as the poller sees it (a status read that answers does not make a
/// stream whose polls fail "connected"), and the stream's status as last known: read, set by
/// the receiver, or told by a trusted stream-updated SET the intake took. No heartbeat is asked
/// of a stream known not to be enabled.
#[derive(Debug, Default)]
pub struct Health {
    /// Why delivery fails now, if it does.
    pub delivery_failure: parking_lot::Mutex<Option<String>>,
    status: parking_lot::Mutex<StreamStatus>,
}

impl Health {
    /// True while delivery fails.
    pub fn failing(&self) -> bool {
        self.delivery_failure.lock().is_some()
    }

    /// The status last known.
    pub fn known_status(&self) -> StreamStatus {
        *self.status.lock()
    }

    /// A status read, set, or told.
    pub fn set_status(&self, status: StreamStatus) {
        *self.status.lock() = status;
    }

    /// True while the stream is known to be paused or disabled: it could answer no verification.
    pub fn known_stopped(&self) -> bool {
        matches!(
            self.known_status(),
            StreamStatus::Paused | StreamStatus::Disabled
        )
    }
}

/// Run a session until `cancel` fires.
pub async fn run_session(
    config: SessionConfig,
    deps: SessionDeps,
    cancel: CancellationToken,
    mut ops: tokio::sync::mpsc::Receiver<StreamOp>,
) {
    let key = config.key.clone();
    deps.updates
        .send(Update::StreamAdded {
            key: key.clone(),
            label: config.label.clone(),
        })
        .await
        .ok();
    // The record shows the receiver's own coverage: started here, stopped at the end (a crash
    // leaves no "stopped"; the next start of the record marks that run "lost").
    mark(&deps, &key, MarkerKind::Started).await;
    let log = ExchangeLog::new(deps.store.clone(), deps.updates.clone(), Some(key.clone()));
    match super::start::set_up(&config, &deps, &cancel, &log).await {
        Ok(established) => {
            receive(&config, &deps, &cancel, &mut ops, established).await;
            mark(&deps, &key, MarkerKind::Stopped).await;
            tell_connection(&deps, &key, Connection::Stopped, None).await;
        }
        Err(err) => {
            // Nothing receives for this session any more: its push endpoint (and anything else
            // it started) closes now, so no push is answered 202 after "receiver stopped".
            cancel.cancel();
            let text = format!("{err:#}");
            let connection = if err.downcast_ref::<setup_plan::Declined>().is_some() {
                Connection::Declined(text)
            } else {
                Connection::Failed(text)
            };
            // The refusal's exchange, else the call that failed (the set-up's last).
            let evidence = super::management::refusal(&err)
                .map(|refused| refused.exchange)
                .or_else(|| log.last_sent());
            tell_connection(&deps, &key, connection, evidence).await;
            mark(&deps, &key, MarkerKind::Stopped).await;
        }
    }
    deps.updates
        .send(Update::SessionEnded { key: key.clone() })
        .await
        .ok();
}

/// Receive until stopped: status and configuration reads, heartbeats and the user's
/// operations, each only where the stream's coverage has it; then undo what this run created.
async fn receive(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
    ops: &mut tokio::sync::mpsc::Receiver<StreamOp>,
    mut established: Established,
) {
    let key = &config.key;
    let log = ExchangeLog::new(deps.store.clone(), deps.updates.clone(), Some(key.clone()));
    let metadata = established.metadata.clone();
    let management = Management {
        client: &deps.client,
        metadata: &metadata,
        auth: &config.auth,
        log: &log,
    };
    let min_verification = Duration::from_secs(established.min_verification_interval);
    // A second of margin: asking exactly at min_verification_interval may be answered 429.
    let verify_every = config
        .watch
        .verification_interval
        .max(min_verification + Duration::from_secs(1));
    let start = tokio::time::Instant::now();
    let mut status_tick = tokio::time::interval_at(
        start + config.watch.status_interval,
        config.watch.status_interval,
    );
    let mut verify_tick = tokio::time::interval_at(start + verify_every, verify_every);
    // A late tick (a slow status read) must not be followed by a burst of catch-up ticks.
    status_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    verify_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut deleted = false;
    loop {
        let op = tokio::select! {
            () = cancel.cancelled() => break,
            _ = status_tick.tick() => {
                if !deleted {
                    if let Some(own) = &established.own {
                        own.tell(&deps.updates, key).await;
                    }
                    upkeep::watch_status(&management, deps, key, &mut established).await;
                    // The key in use must still be published: a removal, or a JWKS that
                    // cannot be fetched, is found here rather than at the next SET.
                    established.keys.check().await;
                }
                continue;
            }
            _ = verify_tick.tick() => {
                if !deleted {
                    upkeep::scheduled_heartbeat(&management, deps, key, &established).await;
                }
                continue;
            }
            op = ops.recv() => op,
        };
        let Some(op) = op else {
            cancel.cancelled().await;
            break;
        };
        if let StreamOp::SetPushFault(fault) = op {
            let text = match &established.push {
                Some(push) => {
                    *push.fault.write() = fault;
                    format!("{key}: push endpoint fault set to {fault:?}")
                }
                None => format!("{key} is a poll stream: no push endpoint to fault"),
            };
            deps.updates.notice(NoticeLevel::Info, text).await;
            continue;
        }
        let target = operations::Target {
            key,
            stream_id: &established.stream_id,
            delivery: &established.delivery,
            delivers_here: established.delivers_here,
            own: established.own.as_deref(),
        };
        let asked = op.clone();
        let Some(done) = operations::perform(op, &management, deps, &target).await else {
            continue;
        };
        match (asked, done) {
            (StreamOp::Delete, _) => {
                deleted = true;
                if let Some(memory) = &established.memory {
                    memory
                        .forget(&established.metadata.issuer, &established.stream_id)
                        .ok();
                }
                established.undo = setup_plan::Undo::Nothing(format!(
                    "the stream {} was deleted at the user's request",
                    established.stream_id
                ));
                let update = Update::DeletedByReceiver {
                    key: key.clone(),
                    at: UnixMillis::now(),
                };
                deps.updates.send(update).await.ok();
            }
            (_, operations::Done::Status(status)) => established.health.set_status(status),
            _ => {}
        }
    }
    if config.leave_as_found {
        undo::undo_on_stop(
            &management,
            &deps.updates,
            key,
            &established.undo,
            established.memory.as_ref(),
        )
        .await;
    }
}

/// Record a receiver marker and show it on the timeline.
async fn mark(deps: &SessionDeps, key: &StreamKey, kind: MarkerKind) {
    let marker = Marker {
        stream: key.clone(),
        kind,
        at: UnixMillis::now(),
    };
    if let Err(err) = deps.store.append_marker(&marker).await {
        tracing::warn!("the receiver marker could not be recorded: {err}");
    }
    deps.updates.send(Update::Marker(marker)).await.ok();
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
