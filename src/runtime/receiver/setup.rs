//! Getting the receiver's stream at the transmitter without harming anyone's: attach to a named
//! stream (its answer must be about that stream), use the receiver's own (found by its
//! description, by the id this profile remembers, or the one configuration a transmitter keeps
//! per token), or create one only when the transmitter lists no stream the receiver did not
//! make (unless the profile says always, and never where the transmitter says it keeps a
//! single stream). A configuration this run changed but did not create is put back on stop.

use serde_json::{Value, json};

use super::management::{Management, refusal, refused_status, with_id};
use super::setup_plan::{Found, RestoreBy, Undo, Want, declined};
use crate::core::json;
use crate::core::profile::StreamSetup;
use crate::core::stream_choice::{self, Choice, OwnBy};
use crate::core::stream_identity::{self, About};

/// An answer that came but could not be read as a stream list.
fn is_unreadable(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<super::exchange_log::NotJson>().is_some())
}

/// Get the stream as the profile says.
pub(super) async fn establish(
    management: &Management<'_>,
    want: &Want<'_>,
) -> anyhow::Result<Found> {
    if let StreamSetup::Attach { stream_id } = want.setup {
        return attach(management, stream_id).await;
    }
    let listed = match management.list_streams().await {
        Ok(listed) => listed,
        // A transmitter with one stream and no ids answers 404 when it has none.
        Err(err) if refused_status(&err) == Some(404) => Vec::new(),
        // Not authorized, or not reached: that is the failure to tell, not a choice.
        Err(err)
            if matches!(refused_status(&err), Some(401 | 403))
                || (refusal(&err).is_none() && !is_unreadable(&err)) =>
        {
            return Err(err);
        }
        Err(err) => {
            return Err(declined(format!(
                "could not read the transmitter's stream list ({err:#}); without it the receiver cannot tell whether creating a stream would replace someone's, so it created none. Attach to a stream (--attach ID), or listen only (--listen-only)"
            )));
        }
    };
    let choice = stream_choice::choose(
        &listed,
        want.setup,
        &want.description,
        want.remembered.as_deref(),
    );
    match choice {
        Choice::Own(own, how) => use_own(management, want, own, how).await,
        Choice::Decline(why) => Err(declined(why)),
        Choice::Create => super::setup_create::create(management, want, &listed).await,
    }
}

/// Attach: read the stream named, and believe only an answer about it.
async fn attach(management: &Management<'_>, stream_id: &str) -> anyhow::Result<Found> {
    let config = management
        .read_stream(stream_id)
        .await
        .map_err(|err| anyhow::anyhow!("could not attach to stream {stream_id}: {err:#}"))?;
    if let About::Other {
        stream_id: other,
        delivers_to,
    } = stream_identity::about(&config, stream_id)
    {
        let to = delivers_to
            .map(|url| format!(" (delivering to {url})"))
            .unwrap_or_default();
        return Err(declined(format!(
            "asked for stream {stream_id}, the transmitter answers for stream {other}{to}: it ignores stream_id, and it does not have stream {stream_id}. Nothing was attached; attach to a stream it lists"
        )));
    }
    Ok(Found {
        config,
        undo: Undo::Nothing(format!(
            "left stream {stream_id} as it was: the receiver attached to it and changed nothing"
        )),
        done: format!("attached to stream {stream_id} (nothing changed)"),
        replaced: Vec::new(),
        create_exchange: None,
    })
}

/// The receiver's own stream: point its delivery at this run. One that was this profile's
/// (its description, or remembered) is left pointing here on stop; the token's one
/// configuration is put back as it was read.
async fn use_own(
    management: &Management<'_>,
    want: &Want<'_>,
    own: &Value,
    how: OwnBy,
) -> anyhow::Result<Found> {
    let stream_id = json::string(own, "stream_id").unwrap_or_default();
    let current = own.get("delivery").cloned().unwrap_or(Value::Null);
    let same = |name: &str| current.get(name) == want.delivery.get(name);
    let is_push = want.delivery.get("endpoint_url").is_some();
    let (name, left) = match how {
        OwnBy::Described => (
            format!("its own stream {stream_id}"),
            format!(
                "left stream {stream_id} (this receiver's own, found by its description) in place"
            ),
        ),
        OwnBy::Remembered => (
            format!("its own stream {stream_id}"),
            format!("left stream {stream_id} (this profile made it, as remembered) in place"),
        ),
        OwnBy::TokenConfig => (
            "the token's configuration (the transmitter keeps one per token, without a stream_id)"
                .to_owned(),
            "left the token's configuration as it was found".to_owned(),
        ),
    };
    if same("method") && (!is_push || same("endpoint_url")) {
        return Ok(Found {
            config: own.clone(),
            undo: Undo::Nothing(left),
            done: format!("using {name}"),
            replaced: Vec::new(),
            create_exchange: None,
        });
    }
    let pointed = point_delivery(management, want, own, &stream_id).await;
    let (config, done, undo) = match pointed {
        Ok((config, by)) => {
            let done = format!("pointed {name} at this receiver by {}", by_name(by));
            let undo = if how == OwnBy::TokenConfig {
                Undo::Restore {
                    previous: own.clone(),
                    by,
                }
            } else {
                Undo::Nothing(left)
            };
            (config, done, undo)
        }
        Err(err) => (
            own.clone(),
            format!(
                "could not point {name} at this receiver ({err:#}); receiving from it as it is"
            ),
            Undo::Nothing(left),
        ),
    };
    Ok(Found {
        config,
        undo,
        done,
        replaced: Vec::new(),
        create_exchange: None,
    })
}

/// How a change was sent, in words.
pub(super) fn by_name(by: RestoreBy) -> &'static str {
    match by {
        RestoreBy::Patch => "PATCH",
        RestoreBy::Put => "PUT (PATCH is not implemented)",
        RestoreBy::Post => "POST (the transmitter updates its one configuration so)",
    }
}

/// PATCH the delivery; a transmitter without PATCH gets a PUT of the full receiver-supplied
/// configuration, and one with a configuration per token (no id) that refuses both, a POST of
/// it. The configuration answered (or the one read), and how it was sent.
async fn point_delivery(
    management: &Management<'_>,
    want: &Want<'_>,
    own: &Value,
    stream_id: &str,
) -> anyhow::Result<(Value, RestoreBy)> {
    let delivery = &want.delivery;
    let patch = with_id(json!({"delivery": delivery}), stream_id);
    let refused_method = |err: &anyhow::Error| matches!(refused_status(err), Some(405 | 501));
    let mut full = with_id(json!({"delivery": delivery}), stream_id);
    for member in ["events_requested", "description"] {
        if let Some(value) = own.get(member) {
            full[member] = value.clone();
        }
    }
    let answer = match management.change_stream(&patch, false).await {
        Ok(answer) => (answer, RestoreBy::Patch),
        Err(err) if refused_method(&err) => match management.change_stream(&full, true).await {
            Ok(answer) => (answer, RestoreBy::Put),
            Err(err) if refused_method(&err) && stream_id.is_empty() => {
                // The configuration's events are kept; an empty list asks for what is wanted.
                if json::string_list(own, "events_requested").is_empty() {
                    full["events_requested"] = json!(super::setup_create::events_to_ask(
                        want,
                        std::slice::from_ref(own)
                    ));
                }
                let created = management.create_stream(&full).await?;
                (created.config, RestoreBy::Post)
            }
            Err(err) => return Err(err),
        },
        Err(err) => return Err(err),
    };
    let (answer, by) = answer;
    let config = if answer.is_object() {
        answer
    } else {
        own.clone()
    };
    Ok((config, by))
}
