//! Creating the receiver's stream: ask for the event types the transmitter lists (never the
//! catalogue's examples), narrow once after a refusal that names the types it refused (or
//! the ones it supports), and check the listing after the create, failed or not: a stream
//! listed before and gone after was taken away by it, and that is said with the create as
//! evidence. A refused create says what to change, linked to what the push listener saw.

use serde_json::{Value, json};

use super::management::{Management, refusal};
use super::setup_plan::{Found, RestoreBy, TookStreams, Undo, Want, declined};
use crate::core::json;
use crate::core::refusal::{event_types_refused, members_missing};
use crate::core::stream_identity::{describe, vanished};

/// The event types to ask for: the profile's, else what the transmitter lists (its metadata's
/// `events_supported`, else what its listed configurations say they support), else the
/// catalogue's current CAEP and RISC types (no SCIM, no example URIs).
pub(super) fn events_to_ask(want: &Want<'_>, listed: &[Value]) -> Vec<String> {
    if !want.events.is_empty() {
        return want.events.clone();
    }
    if !want.supported.is_empty() {
        return want.supported.clone();
    }
    let mut supported: Vec<String> = Vec::new();
    for config in listed {
        for uri in json::string_list(config, "events_supported") {
            if !supported.contains(&uri) {
                supported.push(uri);
            }
        }
    }
    if supported.is_empty() {
        crate::core::events::default_requested()
    } else {
        supported
    }
}

/// Create the stream (no foreign stream was listed, or the profile says always).
pub(super) async fn create(
    management: &Management<'_>,
    want: &Want<'_>,
    listed: &[Value],
) -> anyhow::Result<Found> {
    let mut events = events_to_ask(want, listed);
    let defaulted = want.events.is_empty();
    let mut narrowed: Vec<String> = Vec::new();
    let mut described = !want.options.omit_description;
    let refusals_before = want.tls_refusals.as_ref().map(|r| r.count());
    let created = loop {
        let body = create_body(want, &events, described);
        match management.create_stream(&body).await {
            Ok(created) => break created,
            Err(err) => {
                let client_error = refusal(&err).filter(|r| (400..500).contains(&r.status));
                // A description refused as a member it does not take: once more without it
                // (the profile remembers the stream by its id instead).
                if described && client_error.is_some_and(|r| refuses_description(&r.full_body)) {
                    described = false;
                    continue;
                }
                let read = client_error
                    .map(|r| event_types_refused(&r.full_body, &events))
                    .unwrap_or_default();
                // Asked for by default, some types refused: ask once more for the rest.
                if defaulted
                    && narrowed.is_empty()
                    && !read.refused.is_empty()
                    && !read.kept.is_empty()
                {
                    events = read.kept;
                    narrowed = read.refused;
                    continue;
                }
                let exchange = refusal(&err).map(|r| r.exchange);
                settle_tls_refusals(want, refusals_before).await;
                let cause = create_refused(err, &read.refused, want, refusals_before);
                return Err(took_away(management, listed, exchange, cause).await);
            }
        }
    };
    let stream_id = json::string(&created.config, "stream_id").unwrap_or_default();
    let after = match management.list_streams().await {
        Ok(after) => Some(after),
        Err(err) => {
            tracing::info!("listing the streams after the create failed: {err:#}");
            None
        }
    };
    let mut replaced = after
        .as_deref()
        .map(|after| vanished(listed, after))
        .unwrap_or_default();
    let new = !stream_id.is_empty()
        && !listed
            .iter()
            .any(|s| json::string(s, "stream_id").as_deref() == Some(stream_id.as_str()));
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
    if described == want.options.omit_description {
        done.push_str(
            " without a description (the transmitter refuses one; the profile remembers the stream by its id)",
        );
    }
    if !narrowed.is_empty() {
        let names: Vec<String> = narrowed
            .iter()
            .map(|e| crate::core::events::short_name(e))
            .collect();
        let and = if described == want.options.omit_description {
            ", and"
        } else {
            ""
        };
        done.push_str(&format!(
            "{and} without the event types the transmitter refused: {}",
            names.join(", ")
        ));
    }
    let undo = match listed {
        _ if new => Undo::Delete {
            stream_id,
            delivers_to: want
                .delivery
                .get("endpoint_url")
                .and_then(Value::as_str)
                .map(str::to_owned),
        },
        // It changed the one stream that was there: put it back as it was read.
        [only] => Undo::Restore {
            previous: only.clone(),
            by: RestoreBy::Post,
        },
        _ => Undo::Nothing(
            "left the stream as it is: this run cannot prove it created it, so it deletes nothing"
                .to_owned(),
        ),
    };
    Ok(Found {
        config: created.config,
        undo,
        done,
        replaced,
        create_exchange: Some(created.exchange),
    })
}

/// A transmitter that could not verify this receiver's certificate may answer its create
/// before the listener has seen the handshake end: give the listener a moment (at most
/// [`TLS_SETTLE`]) to count it, so the failure can name it.
async fn settle_tls_refusals(want: &Want<'_>, before: Option<u64>) {
    let (Some(refusals), Some(before)) = (&want.tls_refusals, before) else {
        return;
    };
    let until = tokio::time::Instant::now() + TLS_SETTLE;
    while refusals.count() == before && tokio::time::Instant::now() < until {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// How long a failed create waits for the push listener to count a refused handshake.
const TLS_SETTLE: std::time::Duration = std::time::Duration::from_millis(300);

/// After a failed create: a stream listed before that is gone now was taken away by it.
async fn took_away(
    management: &Management<'_>,
    listed: &[Value],
    exchange: Option<u64>,
    cause: anyhow::Error,
) -> anyhow::Error {
    if listed.is_empty() {
        return cause;
    }
    let after = match management.list_streams().await {
        Ok(after) => after,
        Err(err) if super::management::refused_status(&err) == Some(404) => Vec::new(),
        Err(_) => return cause,
    };
    let gone = vanished(listed, &after);
    if gone.is_empty() {
        return cause;
    }
    TookStreams {
        vanished: gone,
        exchange,
        cause,
    }
    .into()
}

/// Whether a refusal is of the description as a member the transmitter does not take
/// (`extra_forbidden`, "unexpected members … description", "unknown field description").
fn refuses_description(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("description")
        && [
            "extra",
            "forbidden",
            "not permitted",
            "not allowed",
            "unexpected",
            "unknown",
        ]
        .iter()
        .any(|word| lower.contains(word))
}

/// The create request: the events, the delivery (always, poll included), the description
/// when `described`, and the profile's extra members over them.
fn create_body(want: &Want<'_>, events: &[String], described: bool) -> Value {
    let mut body = json!({"events_requested": events, "delivery": want.delivery});
    if described {
        body["description"] = Value::from(want.description.as_str());
    }
    if let Some(Value::Object(extra)) = &want.options.create_members {
        for (name, value) in extra {
            body[name] = value.clone();
        }
    }
    body
}

/// A refused create, with what to change in the profile; a failure while the push listener
/// refused TLS handshakes (since `refusals_before`) is linked to them.
fn create_refused(
    err: anyhow::Error,
    refused: &[String],
    want: &Want<'_>,
    refusals_before: Option<u64>,
) -> anyhow::Error {
    let mut hints = Vec::new();
    if let (Some(before), Some(refusals)) = (refusals_before, &want.tls_refusals) {
        let during = refusals.count().saturating_sub(before);
        if during > 0 {
            hints.push(format!(
                "during the create the push listener refused {during} TLS handshake(s) (the latest {}): the transmitter most likely does not trust this receiver's certificate; give it the certificate (its fingerprint is in the notices), or serve one it trusts (--push-cert/--push-key)",
                refusals.latest().unwrap_or_default()
            ));
        }
    }
    let Some(refusal) = refusal(&err) else {
        return with_hints(err, &hints);
    };
    let said = refusal.full_body.to_ascii_lowercase();
    if hints.is_empty()
        && ["certificate", "unknownissuer", "ssl", "tls"]
            .iter()
            .any(|word| said.contains(word))
        && want.tls_refusals.is_some()
    {
        hints.push("the transmitter's answer is about a certificate: it most likely does not trust this receiver's push certificate; give it the certificate (its fingerprint is in the notices), or serve one it trusts (--push-cert/--push-key)".to_owned());
    }
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
    let sent = create_body(want, &want.events, !want.options.omit_description);
    let missing = members_missing(&body, &sent);
    if body.contains("description") && !want.options.omit_description && missing.is_empty() {
        hints.push("it refuses the description: leave it out (--no-description)".to_owned());
    }
    if !missing.is_empty() {
        let example: Vec<String> = missing.iter().map(|m| format!("\"{m}\": \"…\"")).collect();
        hints.push(format!(
            "it wants member(s) the receiver does not send ({}): give them with --create-members '{{{}}}'",
            missing.join(", "),
            example.join(", ")
        ));
    } else if (body.contains("missing") || body.contains("required"))
        && want.options.create_members.is_none()
    {
        hints.push(
            "it says something is missing or required: give the members it wants with --create-members '{\"name\": \"…\"}'"
                .to_owned(),
        );
    }
    let plain_push = want
        .delivery
        .get("endpoint_url")
        .and_then(Value::as_str)
        .is_some_and(|url| url.starts_with("http://"));
    if body.contains("https") && plain_push {
        hints.push("it may want an https push endpoint: serve it over TLS (--push-tls-self-signed or --push-cert/--push-key)".to_owned());
    }
    let conflict = refusal.status == 409;
    let err = with_hints(err, &hints);
    if conflict {
        // The receiver's own choice not to take the stream there is over.
        return declined(format!("{err:#}"));
    }
    err
}

fn with_hints(err: anyhow::Error, hints: &[String]) -> anyhow::Error {
    if hints.is_empty() {
        return err;
    }
    anyhow::anyhow!("{err:#}; {}", hints.join("; "))
}
