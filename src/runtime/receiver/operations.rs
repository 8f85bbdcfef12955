//! Management operations the user asks for on a running stream: read the configuration, change
//! the status, request verification, add or remove a subject, change the requested events,
//! delete the stream. Each answers with its outcome; every HTTP exchange is kept by the log.

use serde_json::Value;

use super::checked::Deleted;
use super::management::Management;
use super::shared::{Health, SessionDeps};
use crate::core::json;
use crate::core::own_action::OwnAction;
use crate::core::record::StreamKey;
pub use crate::core::stream::StreamChange;
use crate::core::stream::{StatusSource, StreamStatus};
pub use crate::core::stream_op::{OpOutcome, StreamOp};
use crate::core::time::UnixMillis;
use crate::core::update::Update;

/// The stream an operation works on.
pub struct Target<'a> {
    /// Local name.
    pub key: &'a StreamKey,
    /// The transmitter's id for it.
    pub stream_id: &'a str,
    /// Its delivery as the session set it (what a PUT sends back).
    pub delivery: &'a Value,
    /// Its delivery reaches this receiver (else a verification would go to another).
    pub delivers_here: bool,
    /// The journal of the receiver's own actions (a verification asked is written there).
    pub own: Option<&'a crate::runtime::journal::JournalReader>,
    /// Where the status the transmitter answers to a change is kept.
    pub health: &'a Health,
}

/// Perform `op`; its outcome is told as an [`OpOutcome`] (and the updated configuration or
/// status). Returns true when it was done, false when it failed.
pub async fn perform(
    op: StreamOp,
    management: &Management<'_>,
    deps: &SessionDeps,
    target: &Target<'_>,
) -> bool {
    let result = run(&op, management, deps, target)
        .await
        .map_err(|err| format!("{err:#}"));
    let done = result.is_ok();
    let outcome = OpOutcome {
        key: target.key.clone(),
        op,
        result,
    };
    deps.updates.send(Update::OpOutcome(outcome)).await.ok();
    done
}

/// Show a configuration answer, with the exchange that answered it.
async fn show_config(
    deps: &SessionDeps,
    key: &StreamKey,
    config: Value,
    set_by_receiver: bool,
    exchange: Option<u64>,
) {
    if config.is_object() {
        deps.updates
            .send(Update::StreamConfig {
                key: key.clone(),
                config,
                set_by_receiver,
                exchange,
            })
            .await
            .ok();
    }
}

async fn run(
    op: &StreamOp,
    management: &Management<'_>,
    deps: &SessionDeps,
    target: &Target<'_>,
) -> anyhow::Result<String> {
    let (key, stream_id) = (target.key, target.stream_id);
    // What makes the transmitter act is sent only for a stream it still has, by its own
    // answer (one that ignores stream_id would act on someone else's).
    let acts = matches!(
        op,
        StreamOp::SetStatus { .. }
            | StreamOp::AddSubject(_)
            | StreamOp::RemoveSubject(_)
            | StreamOp::Configure(_)
    );
    if acts {
        super::confirm::confirm_ours(management, deps, key, stream_id).await?;
    }
    match op {
        StreamOp::ReadConfig => {
            let config = if stream_id.is_empty() {
                management.list_streams().await?.pop()
            } else {
                Some(management.read_stream(stream_id).await?)
            };
            let Some(config) = config else {
                anyhow::bail!("the transmitter no longer lists the stream");
            };
            show_config(deps, key, config, false, management.last_exchange()).await;
            Ok("configuration read".to_owned())
        }
        StreamOp::ReadStatus => {
            let status = management.read_status(stream_id).await?;
            let text = status_update(deps, key, &status, management.last_exchange()).await;
            Ok(format!("status read: {text}"))
        }
        StreamOp::SetStatus { status, reason } => {
            // Written down first, so another process watching this profile knows it.
            let asked = target.own.map(|own| {
                let action = OwnAction::Status { status: *status };
                own.journal()
                    .asked(&key.0, stream_id, action, "the window's stream actions")
            });
            let set = management
                .set_status(stream_id, status.as_str(), reason.as_deref())
                .await;
            match (asked, &set) {
                (Some(asked), Err(err)) if super::management::outcome_unknown(err) => {
                    asked.unknown();
                }
                (Some(asked), _) => asked.ended(set.is_ok()),
                (None, _) => {}
            }
            let (answer, how) = set?;
            // The status the transmitter answered is the one the session knows; a 202 without
            // one says nothing yet (the next status read tells).
            if let Some(told) = answer
                .get("status")
                .and_then(Value::as_str)
                .and_then(StreamStatus::parse)
            {
                target.health.told(told);
            }
            // The receiver's own change: shown as set by it, never taken for a stop the
            // transmitter did not announce. A 202 (not processed yet) shows what was asked.
            let answer = if answer.get("status").is_some() {
                answer
            } else {
                serde_json::json!({"status": status.as_str(), "reason": reason})
            };
            let exchange = management.last_exchange();
            let text = show_status(deps, key, &answer, StatusSource::Receiver, exchange).await;
            match how {
                Some(how) => Ok(format!("status set {how}: {text}")),
                None => Ok(format!("status set: {text}")),
            }
        }
        StreamOp::RequestVerification => {
            if !target.delivers_here {
                anyhow::bail!(
                    "no verification was requested: the stream delivers to another receiver, which its verification SET would reach"
                );
            }
            // Announced like a heartbeat, so its answer is expected rather than "unasked".
            let asked = (target.own, true);
            super::confirm::heartbeat(management, deps, key, stream_id, asked).await?;
            Ok("verification requested; a verification SET should follow".to_owned())
        }
        StreamOp::AddSubject(subject) => {
            management.subject(stream_id, subject, true).await?;
            Ok(format!(
                "subject added: {}",
                crate::core::subject::describe(subject)
            ))
        }
        StreamOp::RemoveSubject(subject) => {
            management.subject(stream_id, subject, false).await?;
            Ok(format!(
                "subject removed: {}",
                crate::core::subject::describe(subject)
            ))
        }
        StreamOp::Configure(change) => {
            let body = change.body(stream_id, target.delivery);
            let config = management.change_stream(&body, change.replace).await?;
            let verb = if change.replace {
                "replaced (PUT)"
            } else {
                "updated (PATCH)"
            };
            if config.is_object() {
                let delivered = json::string_list(&config, "events_delivered").len();
                show_config(deps, key, config, true, management.last_exchange()).await;
                Ok(format!(
                    "configuration {verb}; {delivered} event types delivered"
                ))
            } else {
                Ok(format!(
                    "configuration {verb}; accepted (202), read it again to see the result"
                ))
            }
        }
        StreamOp::SetPushFault(_) => Ok("push faults are set by the session".to_owned()),
        StreamOp::Delete => {
            let asked = target.own.map(|own| {
                own.journal().asked(
                    &key.0,
                    stream_id,
                    OwnAction::Delete,
                    "the window's stream actions",
                )
            });
            let deleted = management.delete_checked(stream_id, None).await;
            if let Some(asked) = asked {
                asked.ended(matches!(deleted, Ok(Deleted::Done { .. })));
            }
            deleted_said(stream_id, deleted?)
        }
    }
}

/// A delete asked from the window, in words (an error when nothing was deleted).
fn deleted_said(stream_id: &str, deleted: Deleted) -> anyhow::Result<String> {
    match deleted {
        Deleted::Done { also_gone, .. } if also_gone.is_empty() => {
            Ok(format!("stream {stream_id} deleted at the transmitter"))
        }
        Deleted::Done { also_gone, .. } => Ok(format!(
            "stream {stream_id} deleted at the transmitter; it no longer lists {} either: the delete took it",
            also_gone.join(", ")
        )),
        Deleted::AlreadyGone(why) => {
            anyhow::bail!("nothing was deleted: stream {stream_id} was already gone ({why})")
        }
        Deleted::Left(why) => anyhow::bail!("nothing was deleted: {why}"),
    }
}

/// Show a status read's answer as the stream's status; returns it in words.
/// Show a status read's answer (`exchange`: the read); returns it in words.
pub async fn status_update(
    deps: &SessionDeps,
    key: &StreamKey,
    answer: &Value,
    exchange: Option<u64>,
) -> String {
    show_status(deps, key, answer, StatusSource::StatusRead, exchange).await
}

/// Show a status answer, told by `source` in `exchange`; returns it in words.
async fn show_status(
    deps: &SessionDeps,
    key: &StreamKey,
    answer: &Value,
    source: StatusSource,
    exchange: Option<u64>,
) -> String {
    let Some(said) = answer.get("status").and_then(Value::as_str) else {
        return "no status in the answer".to_owned();
    };
    let Some(status) = StreamStatus::parse(said) else {
        let update = Update::UnknownStatus {
            key: key.clone(),
            value: said.to_owned(),
            at: UnixMillis::now(),
            exchange,
        };
        deps.updates.send(update).await.ok();
        return format!("\"{said}\", which is not a status SSF defines");
    };
    let reason = json::string(answer, "reason");
    let text = match &reason {
        Some(reason) => format!("{} ({reason})", status.as_str()),
        None => status.as_str().to_owned(),
    };
    let update = Update::Status {
        key: key.clone(),
        status,
        reason,
        source,
        at: UnixMillis::now(),
        exchange,
    };
    deps.updates.send(update).await.ok();
    text
}
