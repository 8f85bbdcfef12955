//! One watched stream, end to end: set-up (`start`), then delivery, status and configuration
//! reads, heartbeats and the user's operations until stopped. Every step is reported to the UI
//! as it happens; a failure says what to check. On stop only a stream this run created is
//! deleted, and what was done is said.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::established::Established;
use super::exchange_log::ExchangeLog;
use super::management::Management;
use super::operations::{self, StreamOp};
use super::poll_source::PollSource;
use super::push_source::PushSource;
use super::shared::tell_connection;
use super::source::Source;
use super::{setup_plan, undo, upkeep};
use crate::core::marker::{Marker, MarkerKind};
use crate::core::profile::DeliveryMode;
use crate::core::record::StreamKey;
use crate::core::stream::Connection;
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};

pub use super::session_config::{SessionConfig, WatchSettings};
pub use super::shared::{Health, SessionDeps};

/// The delivery method a profile names, as a `Source`.
pub fn source_for(delivery: DeliveryMode) -> Box<dyn Source> {
    match delivery {
        DeliveryMode::Push => Box::<PushSource>::default(),
        DeliveryMode::Poll => Box::<PollSource>::default(),
    }
}

/// Run a session until `cancel` fires, receiving by the delivery method its configuration names.
pub async fn run_session(
    config: SessionConfig,
    deps: SessionDeps,
    cancel: CancellationToken,
    ops: tokio::sync::mpsc::Receiver<StreamOp>,
) {
    let source = source_for(config.delivery);
    run_session_with(config, deps, cancel, ops, source).await;
}

/// Run a session until `cancel` fires, receiving by `source` (whatever `config.delivery` says).
pub async fn run_session_with(
    config: SessionConfig,
    deps: SessionDeps,
    cancel: CancellationToken,
    mut ops: tokio::sync::mpsc::Receiver<StreamOp>,
    source: Box<dyn Source>,
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
    match super::start::set_up(&config, &deps, &cancel, &log, source).await {
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
            let text = if established.source.set_push_fault(fault) {
                format!("{key}: push endpoint fault set to {fault:?}")
            } else {
                let transport = established.source.transport();
                format!(
                    "{key} is a {} stream: no push endpoint to fault",
                    transport.as_str()
                )
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
            health: &established.health,
        };
        let asked = op.clone();
        if !operations::perform(op, &management, deps, &target).await {
            continue;
        }
        if asked == StreamOp::Delete {
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
