//! On stop, leave the transmitter as found, and say exactly what was done: a stream this run
//! created is deleted only once the transmitter's own answer says it still has that stream,
//! delivering here (a transmitter that ignores `stream_id` would delete whatever stream it has
//! now, someone else's), and the listing after shows nothing else went with it; a
//! configuration this run changed is put back as it was read, and read again to check.

use std::time::Duration;

use serde_json::{Value, json};

use super::checked::Deleted;
use super::management::Management;
use super::setup_plan::{RestoreBy, Undo};
use crate::bridge::UpdateSender;
use crate::core::record::StreamKey;
use crate::core::stream_identity;
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::runtime::own_streams::OwnStreams;

/// How long the clean-up may take before the receiver gives up on it (and says so).
const UNDO_TIMEOUT: Duration = Duration::from_secs(8);

/// Undo what this run did at the transmitter, as `undo` says; tell what was done. A created
/// stream deleted is forgotten from `memory` (the streams the profile made).
pub(super) async fn undo_on_stop(
    management: &Management<'_>,
    updates: &UpdateSender,
    key: &StreamKey,
    undo: &Undo,
    memory: Option<&OwnStreams>,
) {
    let (level, text) = match undo {
        Undo::Nothing(left) => (NoticeLevel::Info, left.clone()),
        Undo::Delete {
            stream_id,
            delivers_to,
        } => {
            let deleted = tokio::time::timeout(
                UNDO_TIMEOUT,
                management.delete_checked(stream_id, delivers_to.as_deref()),
            )
            .await;
            let (level, text, took) = delete_said(stream_id, deleted);
            if let Some((also_gone, exchange)) = took {
                let harm = Update::StreamsReplaced {
                    key: key.clone(),
                    replaced: also_gone,
                    exchange,
                    at: UnixMillis::now(),
                };
                updates.send(harm).await.ok();
            }
            if level == NoticeLevel::Info
                && let Some(memory) = memory
            {
                memory.forget(&management.metadata.issuer, stream_id).ok();
            }
            (level, text)
        }
        Undo::Restore { previous, by } => {
            let restored =
                tokio::time::timeout(UNDO_TIMEOUT, restore(management, previous, *by)).await;
            match restored {
                Ok(Ok(text)) => (NoticeLevel::Info, text),
                Ok(Err(err)) => (
                    NoticeLevel::Error,
                    format!(
                        "could not put back the configuration this run changed ({err:#}): it still delivers to this run's endpoint, which is now closed; it was {}",
                        delivery_words(previous)
                    ),
                ),
                Err(_) => (
                    NoticeLevel::Error,
                    format!(
                        "could not put back the configuration this run changed: no answer in {} s; it was {}",
                        UNDO_TIMEOUT.as_secs(),
                        delivery_words(previous)
                    ),
                ),
            }
        }
    };
    updates.notice(level, format!("{key}: {text}")).await;
}

/// What a checked delete did, in words, and the streams that went with it (with the DELETE's
/// exchange) when it took any.
type Said = (NoticeLevel, String, Option<(Vec<String>, Option<u64>)>);

fn delete_said(
    stream_id: &str,
    deleted: Result<anyhow::Result<Deleted>, tokio::time::error::Elapsed>,
) -> Said {
    match deleted {
        Ok(Ok(Deleted::Done { also_gone, .. })) if also_gone.is_empty() => (
            NoticeLevel::Info,
            format!(
                "deleted stream {stream_id}, which this run created (it was not listed before; the transmitter answered for it before the delete, and no longer lists it)"
            ),
            None,
        ),
        Ok(Ok(Deleted::Done {
            also_gone,
            exchange,
        })) => (
            NoticeLevel::Error,
            format!(
                "deleted stream {stream_id}, which this run created; the transmitter no longer lists {} either: the delete took it",
                also_gone.join(", ")
            ),
            Some((also_gone, exchange)),
        ),
        Ok(Ok(Deleted::AlreadyGone(why))) => (
            NoticeLevel::Info,
            format!(
                "deleted nothing: stream {stream_id}, which this run created, was already gone ({why})"
            ),
            None,
        ),
        Ok(Ok(Deleted::Left(why))) => (
            NoticeLevel::Info,
            format!("left stream {stream_id}, which this run created, in place: {why}"),
            None,
        ),
        Ok(Err(err)) => (
            NoticeLevel::Error,
            format!("did not delete stream {stream_id}, which this run created: {err:#}"),
            None,
        ),
        Err(_) => (
            NoticeLevel::Error,
            format!(
                "did not delete stream {stream_id}, which this run created: no answer in {} s",
                UNDO_TIMEOUT.as_secs()
            ),
            None,
        ),
    }
}

/// Put back the receiver-supplied members of `previous` the way they were changed, then read
/// the configuration again: its delivery must be what it was.
async fn restore(
    management: &Management<'_>,
    previous: &Value,
    by: RestoreBy,
) -> anyhow::Result<String> {
    let stream_id = crate::core::json::string(previous, "stream_id").unwrap_or_default();
    let mut body = super::management::with_id(json!({}), &stream_id);
    for member in ["delivery", "events_requested", "description"] {
        if let Some(value) = previous.get(member) {
            body[member] = value.clone();
        }
    }
    match by {
        RestoreBy::Patch => management.change_stream(&body, false).await.map(drop)?,
        RestoreBy::Put => management.change_stream(&body, true).await.map(drop)?,
        RestoreBy::Post => management.create_stream(&body).await.map(drop)?,
    }
    let now = match management.find_stream(&stream_id).await? {
        super::checked::Found::Ours(config) => config,
        found => anyhow::bail!(
            "read after it, {}",
            found.absence(&stream_id).unwrap_or_default()
        ),
    };
    let delivery = |config: &Value| {
        let d = config.get("delivery");
        (
            d.and_then(|d| d.get("method")).cloned(),
            stream_identity::delivers_to(config),
        )
    };
    if delivery(&now) != delivery(previous) {
        anyhow::bail!(
            "read after it, it is {}, not {}",
            delivery_words(&now),
            delivery_words(previous)
        );
    }
    Ok(format!(
        "put back the configuration this run changed, by {}: it is again {}",
        super::setup::by_name(by),
        delivery_words(previous)
    ))
}

/// A configuration's delivery, in words.
fn delivery_words(config: &Value) -> String {
    let method = config
        .pointer("/delivery/method")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let kind = if method.ends_with("8935") || method.ends_with("/push") {
        "push"
    } else {
        "poll"
    };
    let events = crate::core::json::string_list(config, "events_requested").len();
    match stream_identity::delivers_to(config) {
        Some(url) => format!("{kind} delivery to {url}, {events} event type(s) requested"),
        None => format!("{kind} delivery, {events} event type(s) requested"),
    }
}
