//! Status (SSF §8.1.2), subjects (§8.1.3) and verification (§8.1.4); with `config-without-id`
//! about the one stream whatever `stream_id` says, with `deleted-is-disabled` a deleted stream's
//! status reads as disabled.

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::quirked::target;
use super::{Shared, authorize, error, json_body, json_response, managed_json};
use crate::core::events;
use crate::core::json;
use crate::core::stream::StreamStatus;
use crate::runtime::transmitter::config::ApiError;
use crate::runtime::transmitter::{Quirk, Quirks, Stream, delivery, sets};

/// The status object; without `stream_id` when configurations have none.
fn status_body(id: &str, stream: &Stream, quirks: Quirks) -> Value {
    let status = stream
        .raw_status
        .as_deref()
        .unwrap_or_else(|| stream.status.as_str());
    let mut body = json!({"stream_id": id, "status": status});
    if let Some(reason) = &stream.reason {
        body["reason"] = Value::from(reason.as_str());
    }
    if quirks.has(Quirk::ConfigWithoutId)
        && let Some(members) = body.as_object_mut()
    {
        members.remove("stream_id");
    }
    body
}

pub(super) async fn read(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    or_answer!(authorize(&tx, &headers, false));
    let quirks = tx.quirks();
    let id = or_answer!(target(&tx, quirks, q.get("stream_id").cloned()));
    let mut streams = tx.streams.lock();
    match streams.get_mut(&id) {
        Some(stream) => {
            stream.last_activity = Instant::now();
            json_response(StatusCode::OK, &status_body(&id, stream, quirks))
        }
        None if quirks.has(Quirk::DeletedIsDisabled) && tx.was_deleted(&id) => json_response(
            StatusCode::OK,
            &json!({"stream_id": id, "status": "disabled", "reason": "no_stream"}),
        ),
        None => error(&ApiError::no_stream()),
    }
}

/// The receiver changes the status: no stream-updated is sent for it. With `status-by-patch`
/// this endpoint only reads (405).
pub(super) async fn update(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = or_answer!(managed_json(&tx, &headers, &body));
    let quirks = tx.quirks();
    if quirks.has(Quirk::StatusByPatch) {
        return error(&ApiError {
            status: 405,
            message: r#"{"detail":"Method Not Allowed"}"#.to_owned(),
        });
    }
    let id = or_answer!(target(&tx, quirks, json::string(&request, "stream_id")));
    let mut streams = tx.streams.lock();
    let Some(stream) = streams.get_mut(&id) else {
        return error(&ApiError::no_stream());
    };
    let status = request.get("status").unwrap_or(&Value::Null);
    or_answer!(set_by_receiver(
        &id,
        stream,
        status,
        json::string(&request, "reason")
    ));
    json_response(StatusCode::OK, &status_body(&id, stream, quirks))
}

/// A status change the receiver asked for (POST on the status endpoint, or PATCH of the
/// configuration with `status-by-patch`): held SETs are released or dropped.
pub(super) fn set_by_receiver(
    id: &str,
    stream: &mut Stream,
    status: &Value,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let Some(status) = status.as_str().and_then(StreamStatus::parse) else {
        return Err(ApiError::bad_request(
            "status must be enabled, paused or disabled",
        ));
    };
    stream.status = status;
    stream.raw_status = None;
    stream.reason = reason;
    stream.last_activity = Instant::now();
    match status {
        StreamStatus::Enabled => stream.outbox.release_held(),
        StreamStatus::Disabled => stream.outbox.drop_held(),
        StreamStatus::Paused | StreamStatus::Unknown => {}
    }
    tracing::info!(stream_id = %id, status = status.as_str(), "transmitter: the receiver changed the stream status");
    Ok(())
}

/// Parse a subject request: `stream_id` and a `subject` object with a `format`.
fn subject_request(tx: &Shared, body: &[u8]) -> Result<(String, Value), ApiError> {
    let request = json_body(body)?;
    let id = target(tx, tx.quirks(), json::string(&request, "stream_id"))?;
    let subject = request
        .get("subject")
        .cloned()
        .filter(|s| s.get("format").is_some_and(Value::is_string));
    let subject = subject.ok_or_else(|| {
        ApiError::bad_request("subject must be a Subject Identifier with a format")
    })?;
    Ok((id, subject))
}

pub(super) async fn add_subject(
    State(tx): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    change_subject(&tx, &headers, &body, true)
}

pub(super) async fn remove_subject(
    State(tx): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    change_subject(&tx, &headers, &body, false)
}

/// Add (200) or remove (204) a subject; a removed subject's events are no longer sent.
fn change_subject(tx: &Shared, headers: &HeaderMap, body: &[u8], add: bool) -> Response {
    or_answer!(authorize(tx, headers, true));
    let (id, subject) = or_answer!(subject_request(tx, body));
    let mut streams = tx.streams.lock();
    let Some(stream) = streams.get_mut(&id) else {
        return error(&ApiError::no_stream());
    };
    let (into, out_of) = if add {
        (&mut stream.added_subjects, &mut stream.removed_subjects)
    } else {
        (&mut stream.removed_subjects, &mut stream.added_subjects)
    };
    out_of.retain(|s| s != &subject);
    if !into.contains(&subject) {
        into.push(subject);
    }
    stream.last_activity = Instant::now();
    if add {
        StatusCode::OK
    } else {
        StatusCode::NO_CONTENT
    }
    .into_response()
}

/// Verification: 204 now, the verification SET (echoing `state`) through the stream's delivery.
pub(super) async fn verify(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = or_answer!(managed_json(&tx, &headers, &body));
    if tx.quirks().has(Quirk::VerifyNotFound) {
        return error(&ApiError {
            status: 404,
            message: r#"{"detail":"Not Found"}"#.to_owned(),
        });
    }
    let id = or_answer!(target(
        &tx,
        tx.quirks(),
        json::string(&request, "stream_id")
    ));
    let mut streams = tx.streams.lock();
    let Some(stream) = streams.get_mut(&id) else {
        return error(&ApiError::no_stream());
    };
    let interval = std::time::Duration::from_secs(stream.config.min_verification_interval);
    if stream
        .last_verification
        .is_some_and(|at| at.elapsed() < interval)
    {
        let message = format!(
            "verification was requested less than min_verification_interval ({} s) ago",
            interval.as_secs()
        );
        return error(&ApiError {
            status: 429,
            message,
        });
    }
    stream.last_verification = Some(Instant::now());
    stream.last_activity = Instant::now();
    let payload = match request.get("state") {
        Some(state) => json!({"state": state}),
        None => json!({}),
    };
    let item = delivery::signed(
        &tx,
        &stream.config,
        events::VERIFICATION,
        &payload,
        &sets::stream_subject(&id),
    );
    match item {
        Some(item) => {
            delivery::offer(&id, stream, item);
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(&ApiError {
            status: 500,
            message: "could not sign the verification SET".to_owned(),
        }),
    }
}
