//! Keeping a running stream honest: the configuration and status reads (each about this
//! stream, or it is gone) and the verification heartbeat on schedule (asked, by `confirm`,
//! only of a stream the transmitter still has, by its own answer).

use super::checked::Found;
use super::confirm::{gone, heartbeat};
use super::established::Established;
use super::management::{Management, refusal, refused_status};
use super::operations;
use super::shared::{SessionDeps, tell_connection};
use crate::core::coverage::Way;
use crate::core::json;
use crate::core::record::StreamKey;
use crate::core::stream::{Connection, StreamStatus};
use crate::core::stream_identity::{self, About};
use crate::core::update::{NoticeLevel, Update};

/// Right after set-up: the status, then a first heartbeat (where the stream has them). Then
/// the connection is up, unless one of them said otherwise.
pub(super) async fn first_reads(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    established: &mut Established,
) {
    if let Some(own) = &established.own {
        own.tell(&deps.updates, key).await;
    }
    let reads =
        established.coverage.has(Way::StatusReads) || established.coverage.has(Way::ConfigReads);
    if reads {
        watch_status(management, deps, key, established).await;
    } else {
        tell_connection(deps, key, Connection::Connected, None).await;
    }
    scheduled_heartbeat(management, deps, key, established).await;
}

/// Read the configuration, then the status. The configuration must be about this stream: a
/// 404, a listing without it, or an answer about another stream means it is gone, whatever
/// the status endpoint still answers (and a 404 from the status endpoint alone is no deletion
/// while the configuration finds the stream). Event types no longer delivered or a changed
/// delivery become alerts in the reducer; a failed read (access revoked) shows as the
/// connection failing. The connection is "connected" only while delivery works too.
pub(super) async fn watch_status(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    established: &mut Established,
) {
    let stream_id = established.stream_id.clone();
    let config_reads = established.coverage.has(Way::ConfigReads);
    if config_reads {
        let found = management.find_stream(&stream_id).await;
        // What another process of this receiver asked (it writes the journal before asking) is
        // read after the answer, so a change it caused is known as its own before it is told.
        tell_own(deps, key, established).await;
        match found {
            Ok(Found::Ours(config)) => {
                let update = Update::StreamConfig {
                    key: key.clone(),
                    config,
                    set_by_receiver: false,
                    exchange: management.last_exchange(),
                };
                deps.updates.send(update).await.ok();
            }
            Ok(found) => {
                let why = found.absence(&stream_id).unwrap_or_default();
                return gone(deps, key, why, management.last_exchange()).await;
            }
            Err(err) if refusal(&err).is_none() => {
                let text = format!("reading the stream configuration failed: {err:#}");
                let evidence = management.evidence_of(&err);
                return tell_connection(deps, key, Connection::Failed(text), evidence).await;
            }
            // Refused otherwise (403 for a read-only scope, 405…): the status still tells.
            Err(err) => tracing::info!("{key}: reading the configuration: {err:#}"),
        }
    }
    if !established.coverage.has(Way::StatusReads) {
        return connected_unless_failing(deps, key, established).await;
    }
    let read = management.read_status(&stream_id).await;
    tell_own(deps, key, established).await;
    match read {
        Ok(answer) => {
            let read = management.last_exchange();
            // A transmitter that keeps answering for a deleted stream says so in the reason.
            if json::string(&answer, "reason").as_deref() == Some("no_stream") {
                let why = "the status endpoint answers \"disabled\" with reason \"no_stream\"";
                return gone(deps, key, why.to_owned(), read).await;
            }
            if let About::Other {
                stream_id: other, ..
            } = stream_identity::about(&answer, &stream_id)
            {
                let text = format!(
                    "{key}: asked for the status of stream {stream_id}, the status endpoint answered for stream {other}: the answer is not believed"
                );
                return deps.updates.notice(NoticeLevel::Error, text).await;
            }
            if let Some(status) = answer
                .get("status")
                .and_then(serde_json::Value::as_str)
                .and_then(StreamStatus::parse)
            {
                established.health.told(status);
            }
            operations::status_update(deps, key, &answer, read).await;
            connected_unless_failing(deps, key, established).await;
        }
        // The configuration read (just now) found the stream: this 404 is the status
        // endpoint's, not a deletion. It is said, quoting the answer.
        Err(err) if refused_status(&err) == Some(404) && config_reads => {
            let text = format!(
                "{key}: {err:#}; the configuration read finds the stream, so this is not taken for a deletion"
            );
            deps.updates.notice(NoticeLevel::Error, text).await;
            connected_unless_failing(deps, key, established).await;
        }
        Err(err) if refused_status(&err) == Some(404) => {
            gone(deps, key, format!("{err:#}"), management.evidence_of(&err)).await;
        }
        Err(err) => {
            let connection =
                Connection::Failed(format!("reading the stream status failed: {err:#}"));
            tell_connection(deps, key, connection, management.evidence_of(&err)).await;
        }
    }
}

/// Tell the state what other processes of this receiver did on the stream since last asked.
async fn tell_own(deps: &SessionDeps, key: &StreamKey, established: &Established) {
    if let Some(own) = &established.own {
        own.tell(&deps.updates, key).await;
    }
}

async fn connected_unless_failing(deps: &SessionDeps, key: &StreamKey, established: &Established) {
    if !established.health.failing() {
        tell_connection(deps, key, Connection::Connected, None).await;
    }
}

/// A heartbeat on schedule: only where the stream has a verification endpoint (and its
/// delivery reaches this receiver: coverage), and not while it is known to be paused or
/// disabled (it could not be answered).
pub(super) async fn scheduled_heartbeat(
    management: &Management<'_>,
    deps: &SessionDeps,
    key: &StreamKey,
    established: &Established,
) {
    if !established.coverage.has(Way::Heartbeat) || established.health.known_stopped() {
        return;
    }
    heartbeat(
        management,
        deps,
        key,
        &established.stream_id,
        (established.own.as_deref(), false),
    )
    .await
    .ok();
}
