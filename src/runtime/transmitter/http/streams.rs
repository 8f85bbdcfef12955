//! The configuration endpoint (SSF §8.1.1): create, read one or all, update, replace, delete.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{Shared, authorize, error, json_body, json_response, managed_json};
use crate::core::events::{CATALOGUE, Family};
use crate::core::stream::StreamStatus;
use crate::runtime::random::random_hex;
use crate::runtime::transmitter::config::{ApiError, Change, StreamConfig};
use crate::runtime::transmitter::delivery::Outbox;
use crate::runtime::transmitter::{Stream, Tx, scenario};

fn events_supported() -> Vec<String> {
    CATALOGUE
        .iter()
        .filter(|e| matches!(e.family, Family::Caep | Family::Risc) && e.replaced_by.is_none())
        .map(|e| e.uri.to_owned())
        .collect()
}

fn poll_url(tx: &Tx, stream_id: &str) -> String {
    format!("{}/poll/{stream_id}", tx.issuer)
}

pub(super) async fn create(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = match managed_json(&tx, &headers, &body) {
        Ok(request) => request,
        Err(err) => return error(&err),
    };
    let Ok(stream_id) = random_hex(8) else {
        return error(&ApiError {
            status: 500,
            message: "no randomness".to_owned(),
        });
    };
    let inactivity = tx.options.inactivity_timeout.map(|d| d.as_secs());
    let created = StreamConfig::create(
        stream_id.clone(),
        &tx.issuer,
        events_supported(),
        &request,
        &poll_url(&tx, &stream_id),
        tx.options.min_verification_interval,
        inactivity,
    );
    let config = match created {
        Ok(config) => config,
        Err(err) => return error(&err),
    };
    let mut streams = tx.streams.lock();
    if !streams.is_empty() && !tx.options.multiple_streams {
        return error(&ApiError {
            status: 409,
            message: "this transmitter supports one stream per receiver".to_owned(),
        });
    }
    let cancel = tx.cancel.child_token();
    let outbox = if config.delivery.is_push() {
        Outbox::push(&tx, &stream_id, &config, cancel.clone())
    } else {
        Outbox::poll()
    };
    let body = serde_json::to_value(&config).unwrap_or(Value::Null);
    tracing::info!(%stream_id, delivery = ?config.delivery, "transmitter: stream created");
    streams.insert(
        stream_id.clone(),
        Stream {
            config,
            status: StreamStatus::Enabled,
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

pub(super) async fn read(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(err) = authorize(&tx, &headers, false) {
        return error(&err);
    }
    let mut streams = tx.streams.lock();
    match q.get("stream_id") {
        Some(id) => match streams.get_mut(id) {
            Some(stream) => {
                stream.last_activity = Instant::now();
                json_response(
                    StatusCode::OK,
                    &serde_json::to_value(&stream.config).unwrap_or(Value::Null),
                )
            }
            None => error(&ApiError::no_stream()),
        },
        None => {
            let mut all: Vec<&Stream> = streams.values().collect();
            all.sort_by(|a, b| a.config.stream_id.cmp(&b.config.stream_id));
            let list: Vec<Value> = all
                .iter()
                .filter_map(|s| serde_json::to_value(&s.config).ok())
                .collect();
            json_response(StatusCode::OK, &Value::Array(list))
        }
    }
}

async fn change(tx: &Shared, headers: &HeaderMap, body: &[u8], how: Change) -> Response {
    if let Err(err) = authorize(tx, headers, true) {
        return error(&err);
    }
    let request = match json_body(body) {
        Ok(request) => request,
        Err(err) => return error(&err),
    };
    let Some(stream_id) = request
        .get("stream_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return error(&ApiError::bad_request("stream_id is required"));
    };
    let poll = poll_url(tx, &stream_id);
    let mut streams = tx.streams.lock();
    let Some(stream) = streams.get_mut(&stream_id) else {
        return error(&ApiError::no_stream());
    };
    let was_push = stream.config.delivery.clone();
    if let Err(err) = stream.config.change(&request, how, &poll) {
        return error(&err);
    }
    stream.last_activity = Instant::now();
    if stream.config.delivery != was_push {
        // New delivery: a new outbox (held SETs move with the stream only within the same method).
        stream.cancel.cancel();
        stream.cancel = tx.cancel.child_token();
        stream.outbox = if stream.config.delivery.is_push() {
            Outbox::push(tx, &stream_id, &stream.config, stream.cancel.clone())
        } else {
            Outbox::poll()
        };
        tokio::spawn(scenario::play(
            Arc::clone(tx),
            stream_id.clone(),
            stream.cancel.clone(),
        ));
    }
    json_response(
        StatusCode::OK,
        &serde_json::to_value(&stream.config).unwrap_or(Value::Null),
    )
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
    if let Err(err) = authorize(&tx, &headers, true) {
        return error(&err);
    }
    let Some(id) = q.get("stream_id") else {
        return error(&ApiError::bad_request("stream_id is required"));
    };
    let removed = tx.streams.lock().remove(id);
    match removed {
        Some(stream) => {
            stream.cancel.cancel();
            tracing::info!(stream_id = %id, "transmitter: stream deleted");
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(&ApiError::no_stream()),
    }
}
