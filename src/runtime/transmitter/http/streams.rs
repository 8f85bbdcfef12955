//! The configuration endpoint (SSF §8.1.1): create, read one or all, update, replace, delete;
//! with the quirks that change them (single-stream, strict-create, config-without-id,
//! deleted-is-disabled, no-patch).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::quirked::{config_json, ignores_ids, restart_delivery, target, the_one};
use super::{Shared, authorize, error, json_body, json_response, managed_json};
use crate::core::stream::StreamStatus;
use crate::runtime::random::random_hex;
use crate::runtime::transmitter::config::{ApiError, Change, NewStream, StreamConfig};
use crate::runtime::transmitter::delivery::Outbox;
use crate::runtime::transmitter::{Quirk, Quirks, Stream, Tx, scenario, strict};

fn events_supported(tx: &Tx) -> Vec<String> {
    tx.options
        .events_supported
        .clone()
        .unwrap_or_else(crate::core::events::default_requested)
}

fn poll_url(tx: &Tx, stream_id: &str) -> String {
    format!("{}/poll/{stream_id}", tx.issuer)
}

pub(super) async fn create(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = or_answer!(managed_json(&tx, &headers, &body));
    let quirks = tx.quirks();
    if quirks.has(Quirk::ConfigWithoutId)
        && let Some(stream_id) = the_one(&tx)
    {
        // One stream per receiver, updated by POST (the pre-2023 drafts).
        return change_stream(&tx, &stream_id, &request, Change::Update, quirks);
    }
    if quirks.has(Quirk::RequiresIss) && request.get("iss").is_none() {
        return error(&ApiError::bad_request(r#"{"error":"missing_fields: iss"}"#));
    }
    let aud = if quirks.has(Quirk::StrictCreate) {
        Some(or_answer!(strict::check_create(
            &request,
            &events_supported(&tx)
        )))
    } else {
        None
    };
    let Ok(stream_id) = random_hex(8) else {
        return error(&ApiError {
            status: 500,
            message: "no randomness".to_owned(),
        });
    };
    let new = NewStream {
        iss: &tx.issuer,
        supported: events_supported(&tx),
        poll_url: &poll_url(&tx, &stream_id),
        min_verification_interval: tx.options.min_verification_interval,
        inactivity_timeout: tx.options.inactivity_timeout.map(|d| d.as_secs()),
        quirks,
    };
    let mut config = or_answer!(StreamConfig::create(stream_id.clone(), &request, new));
    if let Some(aud) = aud {
        config.aud = aud;
    }
    or_answer!(make_room(&tx, quirks));
    if quirks.has(Quirk::VerifyOnCreate)
        && config.delivery.is_push()
        && let Err(why) = verify_new_stream(&tx, &config).await
    {
        // The stream that was there is gone already (single-stream), and so is the new one.
        tracing::warn!(%stream_id, %why, "transmitter: the verification push of a new stream failed");
        let detail = serde_json::json!({"detail": format!("verification push failed: {why}")});
        return error(&ApiError {
            status: 502,
            message: detail.to_string(),
        });
    }
    let mut streams = tx.streams.lock();
    let cancel = tx.cancel.child_token();
    let outbox = if config.delivery.is_push() {
        Outbox::push(&tx, &stream_id, &config, cancel.clone())
    } else {
        Outbox::poll()
    };
    let body = config_json(&tx, quirks, &config);
    tracing::info!(%stream_id, delivery = ?config.delivery, "transmitter: stream created");
    streams.insert(
        stream_id.clone(),
        Stream {
            config,
            status: StreamStatus::Enabled,
            raw_status: None,
            reason: None,
            removed_subjects: Vec::new(),
            added_subjects: Vec::new(),
            outbox,
            last_verification: None,
            last_activity: Instant::now(),
            cancel: cancel.clone(),
        },
    );
    drop(streams);
    tokio::spawn(scenario::play(Arc::clone(&tx), stream_id, cancel));
    json_response(StatusCode::CREATED, &body)
}

/// Room for a new stream: with `single-stream` the streams there are dropped, whoever made
/// them; else a second stream is 409 unless the transmitter allows several.
fn make_room(tx: &Tx, quirks: Quirks) -> Result<(), ApiError> {
    let mut streams = tx.streams.lock();
    if quirks.has(Quirk::SingleStream) {
        for (old_id, old) in streams.drain() {
            old.cancel.cancel();
            tx.remember_deleted(&old_id);
            tracing::info!(stream_id = %old_id, "transmitter: stream replaced (single-stream)");
        }
    } else if !streams.is_empty() && !tx.options.multiple_streams {
        return Err(ApiError {
            status: 409,
            message: "this transmitter supports one stream per receiver".to_owned(),
        });
    }
    Ok(())
}

/// `verify-on-create`: push a verification SET to the new stream and wait for the answer.
async fn verify_new_stream(tx: &Tx, config: &StreamConfig) -> Result<(), String> {
    let item = crate::runtime::transmitter::delivery::signed(
        tx,
        config,
        crate::core::events::VERIFICATION,
        &serde_json::json!({}),
        &crate::runtime::transmitter::sets::stream_subject(&config.stream_id),
    )
    .ok_or_else(|| "the verification SET could not be signed".to_owned())?;
    let endpoint = config.delivery.endpoint_url.as_deref().unwrap_or_default();
    let auth = config.delivery.authorization_header.as_deref();
    crate::runtime::transmitter::delivery::push_once(tx, endpoint, auth, &item).await
}

pub(super) async fn read(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    or_answer!(authorize(&tx, &headers, false));
    let quirks = tx.quirks();
    let named = if ignores_ids(quirks) {
        // The one configuration, as an object (404 when there is none), whatever is named.
        Some(or_answer!(the_one(&tx).ok_or_else(ApiError::no_stream)))
    } else {
        q.get("stream_id").cloned()
    };
    let mut streams = tx.streams.lock();
    match named {
        Some(id) => match streams.get_mut(&id) {
            Some(stream) => {
                stream.last_activity = Instant::now();
                json_response(StatusCode::OK, &config_json(&tx, quirks, &stream.config))
            }
            None => error(&ApiError::no_stream()),
        },
        None => {
            let mut all: Vec<&Stream> = streams.values().collect();
            all.sort_by(|a, b| a.config.stream_id.cmp(&b.config.stream_id));
            let list: Vec<Value> = all
                .iter()
                .map(|s| config_json(&tx, quirks, &s.config))
                .collect();
            json_response(StatusCode::OK, &Value::Array(list))
        }
    }
}

async fn change(tx: &Shared, headers: &HeaderMap, body: &[u8], how: Change) -> Response {
    or_answer!(authorize(tx, headers, true));
    let quirks = tx.quirks();
    if quirks.has(Quirk::ConfigWithoutId) {
        // The one configuration is updated by POST only (duo-labs/sharedsignals).
        return error(&ApiError {
            status: 405,
            message:
                r#"{"code":"405","message":"The method is not allowed for the requested URL."}"#
                    .to_owned(),
        });
    }
    if how == Change::Update && quirks.has(Quirk::NoPatch) {
        return error(&ApiError {
            status: 501,
            message: "PATCH is not implemented; use PUT".to_owned(),
        });
    }
    let request = or_answer!(json_body(body));
    let named = request
        .get("stream_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let stream_id = or_answer!(target(tx, quirks, named));
    if quirks.has(Quirk::StatusByPatch)
        && let Some(status) = request.get("status")
    {
        let reason = crate::core::json::string(&request, "reason");
        let mut streams = tx.streams.lock();
        let Some(stream) = streams.get_mut(&stream_id) else {
            return error(&ApiError::no_stream());
        };
        or_answer!(super::status::set_by_receiver(
            &stream_id, stream, status, reason
        ));
    }
    let mut request = request;
    if let Some(members) = request.as_object_mut() {
        members.remove("status");
        members.remove("reason");
    }
    change_stream(tx, &stream_id, &request, how, quirks)
}

/// Apply a PATCH or PUT body (or a POST with `config-without-id`) to a stream: 200 and the
/// configuration, or the error.
fn change_stream(
    tx: &Shared,
    stream_id: &str,
    request: &Value,
    how: Change,
    quirks: Quirks,
) -> Response {
    let poll = poll_url(tx, stream_id);
    let mut streams = tx.streams.lock();
    let Some(stream) = streams.get_mut(stream_id) else {
        return error(&ApiError::no_stream());
    };
    let was = stream.config.delivery.clone();
    or_answer!(stream.config.change(request, how, &poll, quirks));
    stream.last_activity = Instant::now();
    if stream.config.delivery != was {
        // New delivery: a new outbox (held SETs move with the stream only within the same method).
        restart_delivery(tx, stream_id, stream);
    }
    json_response(StatusCode::OK, &config_json(tx, quirks, &stream.config))
}

pub(super) async fn update(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    change(&tx, &headers, &body, Change::Update).await
}

pub(super) async fn replace(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    change(&tx, &headers, &body, Change::Replace).await
}

pub(super) async fn delete(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    or_answer!(authorize(&tx, &headers, true));
    let delay = tx.faults.lock().delete_delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let quirks = tx.quirks();
    if quirks.has(Quirk::IgnoresStreamId) {
        // The one stream goes, whatever is named; 204 even when there is none.
        let Some(id) = the_one(&tx) else {
            return StatusCode::NO_CONTENT.into_response();
        };
        if let Some(stream) = tx.streams.lock().remove(&id) {
            stream.cancel.cancel();
            tx.remember_deleted(&id);
            tracing::info!(stream_id = %id, named = ?q.get("stream_id"), "transmitter: stream deleted (ignores-stream-id)");
        }
        return StatusCode::NO_CONTENT.into_response();
    }
    if quirks.has(Quirk::ConfigWithoutId) {
        // The stream stays; what it held and its subjects are gone.
        let stream_id = or_answer!(the_one(&tx).ok_or_else(ApiError::no_stream));
        or_answer!(super::quirked::reset(&tx, &stream_id));
        return StatusCode::OK.into_response();
    }
    let Some(id) = q.get("stream_id") else {
        return error(&ApiError::bad_request("stream_id is required"));
    };
    let removed = tx.streams.lock().remove(id);
    match removed {
        Some(stream) => {
            stream.cancel.cancel();
            tx.remember_deleted(id);
            tracing::info!(stream_id = %id, "transmitter: stream deleted");
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(&ApiError::no_stream()),
    }
}
