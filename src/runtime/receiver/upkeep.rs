//! Keeping a running stream honest: the configuration and status reads, the verification
//! heartbeat, and undoing on stop only what this run created.

use std::time::Duration;

use super::exchange_log::ExchangeLog;
use super::management::{Management, refusal, refused_status};
use super::operations;
use super::session::{Established, SessionConfig, SessionDeps, tell_connection};
use super::setup::Undo;
use crate::core::coverage::Way;
use crate::core::json;
use crate::core::record::StreamKey;
use crate::core::stream::{Connection, StreamStatus};
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::runtime::random::random_token;

/// Everything the catalogue knows by its current URI (a profile that asks for nothing specific).
pub(super) fn every_event_type() -> Vec<String> {
    crate::core::events::CATALOGUE
        .iter()
        .filter(|e| e.replaced_by.is_none())
        .map(|e| e.uri.to_owned())
        .collect()
}

/// Right after set-up: the status, then a first heartbeat (where the stream has them). Then
/// the connection is up, unless one of them said otherwise.
pub(super) async fn first_reads(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    established: &mut Established,
) {
    let reads =
        established.coverage.has(Way::StatusReads) || established.coverage.has(Way::ConfigReads);
    if reads {
        watch_status(management, deps, key, established).await;
    } else {
        tell_connection(deps, key, Connection::Connected).await;
    }
    scheduled_heartbeat(management, deps, key, established).await;
}

/// The stream is gone (deleted at the transmitter; the reducer knows whether it was the
/// receiver's own doing).
async fn gone(deps: &SessionDeps, key: &StreamKey) {
    let update = Update::StreamGone {
        key: key.clone(),
        at: UnixMillis::now(),
    };
    deps.updates.send(update).await.ok();
}

/// Read the configuration, then the status. A 404 on the configuration means the stream was
/// deleted, whatever the status endpoint still answers; event types no longer delivered or a
/// changed delivery become alerts in the reducer; a failed read (access revoked) shows as the
/// connection failing. The connection is "connected" only while delivery works too.
pub(super) async fn watch_status(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    established: &mut Established,
) {
    let stream_id = established.stream_id.clone();
    if established.coverage.has(Way::ConfigReads) {
        let config = if stream_id.is_empty() {
            management.list_streams().await.map(|mut s| s.pop())
        } else {
            management.read_stream(&stream_id).await.map(Some)
        };
        match config {
            Ok(Some(config)) => {
                let update = Update::StreamConfig {
                    key: key.clone(),
                    config,
                    set_by_receiver: false,
                };
                deps.updates.send(update).await.ok();
            }
            Ok(None) => return gone(deps, key).await,
            Err(err) if refused_status(&err) == Some(404) => return gone(deps, key).await,
            Err(err) if refusal(&err).is_none() => {
                let text = format!("reading the stream configuration failed: {err:#}");
                return tell_connection(deps, key, Connection::Failed(text)).await;
            }
            // Refused otherwise (403 for a read-only scope, 405…): the status still tells.
            Err(err) => tracing::info!("{key}: reading the configuration: {err:#}"),
        }
    }
    if !established.coverage.has(Way::StatusReads) {
        return connected_unless_failing(deps, key, established).await;
    }
    match management.read_status(&stream_id).await {
        Ok(answer) => {
            // A transmitter that keeps answering for a deleted stream says so in the reason.
            if json::string(&answer, "reason").as_deref() == Some("no_stream") {
                return gone(deps, key).await;
            }
            if let Some(status) = answer
                .get("status")
                .and_then(serde_json::Value::as_str)
                .and_then(StreamStatus::parse)
            {
                established.health.set_status(status);
            }
            operations::status_update(deps, key, &answer).await;
            connected_unless_failing(deps, key, established).await;
        }
        Err(err) if refused_status(&err) == Some(404) => gone(deps, key).await,
        Err(err) => {
            let connection =
                Connection::Failed(format!("reading the stream status failed: {err:#}"));
            tell_connection(deps, key, connection).await;
        }
    }
}

async fn connected_unless_failing(deps: &SessionDeps, key: &StreamKey, established: &Established) {
    if !established.health.failing() {
        tell_connection(deps, key, Connection::Connected).await;
    }
}

/// A heartbeat on schedule: only where the stream has a verification endpoint, and not while
/// it is known to be paused or disabled (it could not be answered).
pub(super) async fn scheduled_heartbeat(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    established: &Established,
) {
    if !established.coverage.has(Way::Heartbeat) || established.health.known_stopped() {
        return;
    }
    heartbeat(management, deps, key, &established.stream_id)
        .await
        .ok();
}

/// Ask for a verification SET with a fresh `state`; the reducer waits for it. A request the
/// transmitter did not accept is told as such, so no heartbeat is taken for lost.
pub(super) async fn heartbeat(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    stream_id: &str,
) -> anyhow::Result<()> {
    let state = random_token()?;
    // Announced before the request, so the answer can never overtake it on the way to the UI.
    let requested = Update::VerificationRequested {
        key: key.clone(),
        state: state.clone(),
        at: UnixMillis::now(),
    };
    deps.updates.send(requested).await.ok();
    match management.request_verification(stream_id, &state).await {
        Ok(exchange) => {
            let sent = Update::VerificationSent {
                key: key.clone(),
                exchange,
            };
            deps.updates.send(sent).await.ok();
            Ok(())
        }
        // The transmitter does not know the stream: it was deleted (the reducer knows whether
        // by the receiver itself).
        Err(err) if refused_status(&err) == Some(404) => {
            gone(deps, key).await;
            Err(err)
        }
        Err(err) => {
            let failed = Update::VerificationFailed {
                key: key.clone(),
                error: format!("{err:#}"),
                exchange: refusal(&err).map(|r| r.exchange),
                at: UnixMillis::now(),
            };
            deps.updates.send(failed).await.ok();
            Err(err)
        }
    }
}

/// On stop: delete the stream only if this run created it; say exactly what was done.
pub(super) async fn undo_on_stop(
    config: &SessionConfig,
    deps: &SessionDeps,
    established: Established,
) {
    let key = &config.key;
    let (level, text) = match &established.undo {
        Undo::Nothing(left) => (NoticeLevel::Info, left.clone()),
        Undo::Delete(id) => {
            let log = ExchangeLog {
                store: deps.store.clone(),
                updates: deps.updates.clone(),
                stream: Some(key.clone()),
            };
            let management = Management {
                client: &deps.client,
                metadata: &established.metadata,
                auth: &config.auth,
                log: &log,
            };
            let deleted =
                tokio::time::timeout(Duration::from_secs(5), management.delete_stream(id)).await;
            match deleted {
                Ok(Ok(())) => (
                    NoticeLevel::Info,
                    format!(
                        "deleted stream {id}, which this run created (it was not listed before)"
                    ),
                ),
                Ok(Err(err)) => (
                    NoticeLevel::Error,
                    format!("could not delete stream {id}, which this run created: {err:#}"),
                ),
                Err(_) => (
                    NoticeLevel::Error,
                    format!(
                        "could not delete stream {id}, which this run created: no answer in 5 s"
                    ),
                ),
            }
        }
    };
    deps.updates.notice(level, format!("{key}: {text}")).await;
}
