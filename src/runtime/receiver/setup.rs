//! Getting the receiver's stream at the transmitter without harming anyone's: attach to a named
//! stream, use the receiver's own (found by description), or create one only when the
//! transmitter lists no stream the receiver did not make (unless the profile says always).
//! After a create, every stream listed before must still be listed; what vanished is said. On
//! stop only a stream this run verifiably created (a new id, not listed before) is deleted.

use serde_json::{Value, json};

use super::management::{Management, refusal, refused_status, with_id};
use crate::core::json;
use crate::core::profile::{SetupOptions, StreamSetup};
use crate::core::stream::OWN_STREAM_PREFIX;

/// The receiver declined to set the stream up, so as not to harm a stream it did not make.
#[derive(Debug)]
pub(super) struct Declined(pub(super) String);

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Declined {}

/// Decline with this text.
fn declined(text: String) -> anyhow::Error {
    Declined(text).into()
}

/// What to undo when the session stops.
pub(super) enum Undo {
    /// Nothing: the words say what is left at the transmitter and why.
    Nothing(String),
    /// This run created the stream with this id (not listed before): delete it.
    Delete(String),
}

/// The stream the session receives from.
pub(super) struct Found {
    /// Its configuration as the transmitter answered.
    pub(super) config: Value,
    /// What to undo on stop.
    pub(super) undo: Undo,
    /// What was done to get it, in words (for the status bar and `watch`).
    pub(super) done: String,
    /// Streams that vanished when this run created its own (`id (description)`).
    pub(super) replaced: Vec<String>,
    /// The create's exchange, the evidence of a replacement.
    pub(super) create_exchange: Option<u64>,
}

/// What the session wants of its stream.
pub(super) struct Want<'a> {
    /// How to get it.
    pub(super) setup: &'a StreamSetup,
    /// How to bend the create.
    pub(super) options: &'a SetupOptions,
    /// The delivery to ask for (push: our endpoint; poll: the method alone).
    pub(super) delivery: Value,
    /// The event types to request.
    pub(super) events: Vec<String>,
    /// True when the events are the default choice (may be narrowed after a refusal).
    pub(super) events_defaulted: bool,
    /// The receiver's own description.
    pub(super) description: String,
}

/// An answer that came but could not be read as a stream list.
fn is_unreadable(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<super::exchange_log::NotJson>().is_some())
}

/// A stream on one line: its id, and its description or delivery when known.
fn describe(stream: &Value) -> String {
    let id = json::string(stream, "stream_id").unwrap_or_else(|| "(no stream_id)".to_owned());
    let what = json::string(stream, "description").or_else(|| {
        stream
            .pointer("/delivery/endpoint_url")
            .and_then(Value::as_str)
            .map(|url| format!("delivering to {url}"))
    });
    match what {
        Some(what) => format!("{id} ({what})"),
        None => id,
    }
}

fn ids(streams: &[Value]) -> Vec<String> {
    streams
        .iter()
        .filter_map(|s| json::string(s, "stream_id"))
        .collect()
}

/// Get the stream as the profile says.
pub(super) async fn establish(
    management: &Management<'_>,
    want: &Want<'_>,
) -> anyhow::Result<Found> {
    if let StreamSetup::Attach { stream_id } = want.setup {
        let config = management
            .read_stream(stream_id)
            .await
            .map_err(|err| anyhow::anyhow!("could not attach to stream {stream_id}: {err:#}"))?;
        return Ok(Found {
            config,
            undo: Undo::Nothing(format!(
                "left stream {stream_id} as it was: the receiver attached to it and changed nothing"
            )),
            done: format!("attached to stream {stream_id} (nothing changed)"),
            replaced: Vec::new(),
            create_exchange: None,
        });
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
        Err(err) if *want.setup == StreamSetup::CreateAlways => {
            tracing::info!("listing the streams failed ({err:#}); creating as the profile says");
            Vec::new()
        }
        Err(err) => {
            return Err(declined(format!(
                "could not read the transmitter's stream list ({err:#}); without it the receiver cannot tell whether creating a stream would replace someone's, so it created none. Attach to a stream (--attach ID), listen only (--listen-only), or create anyway (--create-stream always)"
            )));
        }
    };
    let own = listed
        .iter()
        .find(|s| json::string(s, "description").as_deref() == Some(want.description.as_str()));
    if let Some(own) = own {
        return use_own(management, want, own).await;
    }
    // Streams of this receiver's other profiles are its own: a create beside them is checked
    // afterwards like any other. Anyone else's stream stops a create unless the profile says.
    let foreign: Vec<&Value> = listed
        .iter()
        .filter(|s| {
            !json::string(s, "description").is_some_and(|d| d.starts_with(OWN_STREAM_PREFIX))
        })
        .collect();
    if !foreign.is_empty() && *want.setup != StreamSetup::CreateAlways {
        let others: Vec<String> = foreign.iter().map(|s| describe(s)).collect();
        return Err(declined(format!(
            "the transmitter lists {} stream(s) this receiver did not make: {}. A create could replace one of them (some transmitters keep one stream per receiver), so none was created. Attach to one to receive from it without changing it (--attach ID), listen only (--listen-only), or create anyway (--create-stream always)",
            others.len(),
            others.join("; ")
        )));
    }
    if *want.setup == StreamSetup::Never {
        return Err(declined(
            "the transmitter has no stream of this receiver, and the profile never creates one (--create-stream never)".to_owned(),
        ));
    }
    create(management, want, &listed).await
}

/// The receiver's own stream (an earlier run's): point its delivery at this run.
async fn use_own(
    management: &Management<'_>,
    want: &Want<'_>,
    own: &Value,
) -> anyhow::Result<Found> {
    let stream_id = json::string(own, "stream_id").unwrap_or_default();
    let current = own.get("delivery").cloned().unwrap_or(Value::Null);
    let same = |name: &str| current.get(name) == want.delivery.get(name);
    let is_push = want.delivery.get("endpoint_url").is_some();
    let left =
        format!("left stream {stream_id} (this receiver's own, found by its description) in place");
    if same("method") && (!is_push || same("endpoint_url")) {
        return Ok(Found {
            config: own.clone(),
            undo: Undo::Nothing(left),
            done: format!("using its own stream {stream_id}"),
            replaced: Vec::new(),
            create_exchange: None,
        });
    }
    let (config, done) = point_delivery(management, own, &stream_id, &want.delivery).await;
    Ok(Found {
        config,
        undo: Undo::Nothing(left),
        done,
        replaced: Vec::new(),
        create_exchange: None,
    })
}

/// PATCH the delivery; a transmitter without PATCH gets a PUT of the full receiver-supplied
/// configuration; one that refuses both is received from as it is, and that is said.
async fn point_delivery(
    management: &Management<'_>,
    own: &Value,
    stream_id: &str,
    delivery: &Value,
) -> (Value, String) {
    let patch = with_id(json!({"delivery": delivery}), stream_id);
    let patched = management.change_stream(&patch, false).await;
    let answer = match patched {
        Ok(answer) => Ok((answer, "PATCH")),
        Err(err) if matches!(refused_status(&err), Some(405 | 501)) => {
            let mut put = with_id(json!({"delivery": delivery}), stream_id);
            for member in ["events_requested", "description"] {
                if let Some(value) = own.get(member) {
                    put[member] = value.clone();
                }
            }
            management
                .change_stream(&put, true)
                .await
                .map(|answer| (answer, "PUT (PATCH is not implemented)"))
        }
        Err(err) => Err(err),
    };
    match answer {
        Ok((answer, how)) => {
            let config = if answer.is_object() {
                answer
            } else {
                own.clone()
            };
            let done = format!("pointed its own stream {stream_id} at this receiver by {how}");
            (config, done)
        }
        Err(err) => (
            own.clone(),
            format!(
                "could not point stream {stream_id} at this receiver ({err:#}); receiving from it as it is"
            ),
        ),
    }
}

/// Create the stream (no foreign stream was listed, or the profile says always).
async fn create(
    management: &Management<'_>,
    want: &Want<'_>,
    listed: &[Value],
) -> anyhow::Result<Found> {
    let mut events = want.events.clone();
    let mut narrowed = Vec::new();
    let created = loop {
        let body = create_body(want, &events);
        match management.create_stream(&body).await {
            Ok(created) => break created,
            Err(err) => {
                let refused: Vec<String> = refusal(&err)
                    .filter(|r| (400..500).contains(&r.status))
                    .map(|r| {
                        events
                            .iter()
                            .filter(|e| r.full_body.contains(e.as_str()))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                // Asked for by default, some types refused: ask once more without them.
                if want.events_defaulted && narrowed.is_empty() && !refused.is_empty() {
                    events.retain(|e| !refused.contains(e));
                    narrowed = refused;
                    continue;
                }
                return Err(create_refused(err, &refused, want));
            }
        }
    };
    let stream_id = json::string(&created.config, "stream_id").unwrap_or_default();
    let before = ids(listed);
    let after = match management.list_streams().await {
        Ok(after) => Some(ids(&after)),
        Err(err) => {
            tracing::info!("listing the streams after the create failed: {err:#}");
            None
        }
    };
    let mut replaced: Vec<String> = match &after {
        Some(after) => listed
            .iter()
            .filter(|s| json::string(s, "stream_id").is_some_and(|id| !after.contains(&id)))
            .map(describe)
            .collect(),
        None => Vec::new(),
    };
    let new = !stream_id.is_empty() && !before.contains(&stream_id);
    if !new && !listed.is_empty() {
        replaced.push(format!(
            "{} (the create answered HTTP {} with {}: it changed a stream that was there instead of creating one)",
            listed.iter().map(describe).collect::<Vec<_>>().join(", "),
            created.status,
            if stream_id.is_empty() {
                "no stream_id".to_owned()
            } else {
                format!("the listed stream {stream_id}")
            }
        ));
    }
    let mut done = if new {
        format!("created stream {stream_id}")
    } else {
        "asked for a stream; the transmitter answered without a new stream id".to_owned()
    };
    if !narrowed.is_empty() {
        let names: Vec<String> = narrowed
            .iter()
            .map(|e| crate::core::events::short_name(e))
            .collect();
        done.push_str(&format!(
            " without the event types the transmitter refused: {}",
            names.join(", ")
        ));
    }
    let undo = if new {
        Undo::Delete(stream_id)
    } else {
        Undo::Nothing(
            "left the stream as it is: this run cannot prove it created it, so it deletes nothing"
                .to_owned(),
        )
    };
    Ok(Found {
        config: created.config,
        undo,
        done,
        replaced,
        create_exchange: Some(created.exchange),
    })
}

/// The create request: the events, the delivery (always, poll included), the description
/// unless left out, and the profile's extra members over them.
fn create_body(want: &Want<'_>, events: &[String]) -> Value {
    let mut body = json!({"events_requested": events, "delivery": want.delivery});
    if !want.options.omit_description {
        body["description"] = Value::from(want.description.as_str());
    }
    if let Some(Value::Object(extra)) = &want.options.create_members {
        for (name, value) in extra {
            body[name] = value.clone();
        }
    }
    body
}

/// A refused create, with what to change in the profile.
fn create_refused(err: anyhow::Error, refused: &[String], want: &Want<'_>) -> anyhow::Error {
    let Some(refusal) = refusal(&err) else {
        return err;
    };
    let mut hints = Vec::new();
    if refusal.status == 409 {
        hints.push("the transmitter keeps one stream per receiver and has one already; this receiver does not take over a stream it did not create: attach to it (--attach ID) to receive from it without changing it".to_owned());
    }
    if !refused.is_empty() {
        let names: Vec<String> = refused
            .iter()
            .map(|e| crate::core::events::short_name(e))
            .collect();
        hints.push(format!(
            "it refused the event type(s) {}: request the ones it supports (--event)",
            names.join(", ")
        ));
    }
    let body = refusal.full_body.to_ascii_lowercase();
    if body.contains("description") && !want.options.omit_description {
        hints.push("it refuses the description: leave it out (--no-description)".to_owned());
    }
    if body.contains("aud") && want.options.create_members.is_none() {
        hints.push(
            "it wants members the receiver does not send, such as aud: give them with --create-members '{\"aud\": \"…\"}'"
                .to_owned(),
        );
    }
    if body.contains("https") && want.delivery.get("endpoint_url").is_some() {
        hints.push("it may want an https push endpoint: serve it over TLS (--push-tls-self-signed or --push-cert/--push-key)".to_owned());
    }
    if hints.is_empty() {
        return err;
    }
    let text = format!("{err:#}; {}", hints.join("; "));
    if refusal.status == 409 {
        // The receiver's own choice not to take the stream there is over.
        return declined(text);
    }
    anyhow::anyhow!(text)
}
