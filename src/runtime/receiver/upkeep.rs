//! Keeping a running stream honest: the status and configuration reads, the verification
//! heartbeat, and leaving the transmitter as it was found when the session stops.

use std::time::Duration;

use super::exchange_log::ExchangeLog;
use super::management::Management;
use super::operations::{self};
use super::setup;
use crate::core::json;
use crate::core::record::StreamKey;
use crate::core::stream::Connection;
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::runtime::random::random_token;

use super::session::{Established, SessionConfig, SessionDeps, tell_connection};

/// Everything the catalogue knows by its current URI (a profile that asks for nothing specific).
pub(super) fn every_event_type() -> Vec<String> {
    crate::core::events::CATALOGUE
        .iter()
        .filter(|e| e.replaced_by.is_none())
        .map(|e| e.uri.to_owned())
        .collect()
}

pub(super) async fn read_status(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    stream_id: &str,
) -> anyhow::Result<()> {
    let status = management.read_status(stream_id).await?;
    operations::status_update(deps, key, &status).await;
    Ok(())
}

pub(super) async fn leave_as_found(
    config: &SessionConfig,
    deps: &SessionDeps,
    established: Established,
) {
    let log = ExchangeLog {
        store: deps.store.clone(),
        updates: deps.updates.clone(),
        stream: Some(config.key.clone()),
    };
    let management = Management {
        client: &deps.client,
        metadata: &established.metadata,
        auth: &config.auth,
        log: &log,
    };
    let outcome = match &established.undo {
        setup::Undo::Nothing => return,
        setup::Undo::Delete(id) => management
            .delete_stream(id)
            .await
            .map(|()| format!("deleted the stream {id} it had created")),
        setup::Undo::Restore(body) => management
            .change_stream(body, false)
            .await
            .map(|_| "restored the stream's delivery".to_owned()),
    };
    let key = &config.key;
    let finished = tokio::time::timeout(Duration::from_secs(5), async {
        match outcome {
            Ok(text) => {
                deps.updates
                    .notice(NoticeLevel::Info, format!("{key}: {text}"))
                    .await;
            }
            Err(err) => {
                deps.updates
                    .notice(
                        NoticeLevel::Error,
                        format!("{key}: could not leave the stream as found: {err:#}"),
                    )
                    .await;
            }
        }
    });
    finished.await.ok();
}

/// Read the status and the configuration. A stop found this way that no stream-updated
/// announced, event types no longer delivered, a changed delivery, or a stream that is gone
/// become alerts in the reducer; a failed read (access revoked) shows as the connection failing.
pub(super) async fn watch_status(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    stream_id: &str,
) {
    let gone = || Update::StreamGone {
        key: key.clone(),
        at: UnixMillis::now(),
    };
    match management.read_status(stream_id).await {
        Ok(answer) => {
            operations::status_update(deps, key, &answer).await;
            tell_connection(deps, key, Connection::Connected).await;
        }
        Err(err) if format!("{err:#}").contains("HTTP 404") => {
            deps.updates.send(gone()).await.ok();
            return;
        }
        Err(err) => {
            let connection =
                Connection::Failed(format!("reading the stream status failed: {err:#}"));
            tell_connection(deps, key, connection).await;
            return;
        }
    }
    if let Ok(streams) = management.list_streams().await {
        match streams
            .into_iter()
            .find(|s| json::string(s, "stream_id").as_deref() == Some(stream_id))
        {
            Some(config) => {
                deps.updates
                    .send(Update::StreamConfig {
                        key: key.clone(),
                        config,
                        set_by_receiver: false,
                    })
                    .await
                    .ok();
            }
            None => {
                deps.updates.send(gone()).await.ok();
            }
        }
    }
}

/// Ask for a verification SET with a fresh `state`; the reducer waits for it.
pub(super) async fn heartbeat(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    stream_id: &str,
) {
    let Ok(state) = random_token() else { return };
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
        }
        Err(err) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Verification request on {key} failed: {err:#}"),
                )
                .await;
        }
    }
}
