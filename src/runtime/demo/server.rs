//! The demo transmitter's HTTP side: SSF metadata, JWKS, stream management, status and
//! verification endpoints, each behind the management bearer token where SSF §8 wants one.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{ISSUER_PATH, Outgoing, Tx, TxStream, delivery, sets};
use crate::core::discovery::PUSH_METHOD;
use crate::core::events::{self, CATALOGUE, Family};
use crate::core::json;
use crate::core::stream::StreamStatus;
use crate::runtime::random::random_hex;

type Shared = Arc<Tx>;

pub(super) fn router(tx: Shared) -> Router {
    Router::new()
        .route(
            &format!("/.well-known/ssf-configuration{ISSUER_PATH}"),
            get(metadata),
        )
        .route(&format!("{ISSUER_PATH}/jwks.json"), get(jwks))
        .route(
            &format!("{ISSUER_PATH}/streams"),
            post(create_stream).get(read_stream).delete(delete_stream),
        )
        .route(
            &format!("{ISSUER_PATH}/status"),
            get(read_status).post(update_status),
        )
        .route(&format!("{ISSUER_PATH}/verify"), post(verify))
        .with_state(tx)
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body.clone()),
    )
        .into_response()
}

fn error(status: StatusCode, text: &str) -> Response {
    (status, text.to_owned()).into_response()
}

fn json_body(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|err| format!("the body is not JSON: {err}"))
}

fn authorized(tx: &Tx, headers: &HeaderMap) -> bool {
    let expected = format!("Bearer {}", tx.token);
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str())
}

macro_rules! require_auth {
    ($tx:expr, $headers:expr) => {
        if !authorized(&$tx, &$headers) {
            return error(
                StatusCode::UNAUTHORIZED,
                "a valid management bearer token is required",
            );
        }
    };
}

async fn metadata(State(tx): State<Shared>) -> Response {
    let base = &tx.issuer;
    json_response(
        StatusCode::OK,
        &json!({
            "spec_version": "1_0",
            "issuer": base,
            "jwks_uri": format!("{base}/jwks.json"),
            "delivery_methods_supported": [PUSH_METHOD],
            "configuration_endpoint": format!("{base}/streams"),
            "status_endpoint": format!("{base}/status"),
            "verification_endpoint": format!("{base}/verify"),
            "authorization_schemes": [{"spec_urn": "urn:ietf:rfc:6750"}],
            "default_subjects": "ALL",
        }),
    )
}

async fn jwks(State(tx): State<Shared>) -> Response {
    json_response(StatusCode::OK, &json!({"keys": [tx.key.public_jwk()]}))
}

fn events_supported() -> Vec<&'static str> {
    CATALOGUE
        .iter()
        .filter(|e| matches!(e.family, Family::Caep | Family::Risc) && e.replaced_by.is_none())
        .map(|e| e.uri)
        .collect()
}

async fn create_stream(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    require_auth!(tx, headers);
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(why) => return error(StatusCode::BAD_REQUEST, &why),
    };
    let delivery = request.get("delivery").cloned().unwrap_or(Value::Null);
    if delivery.get("method").and_then(Value::as_str) != Some(PUSH_METHOD) {
        return error(
            StatusCode::BAD_REQUEST,
            "this transmitter delivers by push (urn:ietf:rfc:8935) only",
        );
    }
    let Some(endpoint) = delivery
        .get("endpoint_url")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "push delivery needs an endpoint_url",
        );
    };
    let Ok(stream_id) = random_hex(8) else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "no randomness");
    };
    let supported = events_supported();
    let requested = json::string_list(&request, "events_requested");
    let delivered: Vec<&str> = supported
        .iter()
        .copied()
        .filter(|s| requested.iter().any(|r| r == s))
        .collect();
    let config = json!({
        "stream_id": stream_id,
        "iss": tx.issuer,
        "aud": tx.audience(&stream_id),
        "events_supported": supported,
        "events_requested": requested,
        "events_delivered": delivered,
        "delivery": delivery,
        "min_verification_interval": 15,
        "description": request.get("description").cloned().unwrap_or(Value::Null),
    });
    let mut streams = tx.streams.lock();
    if !streams.is_empty() {
        return error(
            StatusCode::CONFLICT,
            "this transmitter supports one stream per receiver",
        );
    }
    let (queue, rx) = tokio::sync::mpsc::channel(256);
    let cancel = tx.cancel.child_token();
    streams.insert(
        stream_id.clone(),
        TxStream {
            config: config.clone(),
            status: StreamStatus::Enabled,
            reason: None,
            queue,
            cancel: cancel.clone(),
        },
    );
    drop(streams);
    tracing::info!(%stream_id, %endpoint, "demo transmitter: stream created");
    delivery::spawn(Arc::clone(&tx), stream_id, endpoint, rx, cancel);
    json_response(StatusCode::CREATED, &config)
}

async fn read_stream(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    require_auth!(tx, headers);
    let streams = tx.streams.lock();
    match q.get("stream_id") {
        Some(id) => match streams.get(id) {
            Some(s) => json_response(StatusCode::OK, &s.config),
            None => error(StatusCode::NOT_FOUND, "no such stream"),
        },
        None => json_response(
            StatusCode::OK,
            &Value::Array(streams.values().map(|s| s.config.clone()).collect()),
        ),
    }
}

async fn delete_stream(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    require_auth!(tx, headers);
    let removed = q
        .get("stream_id")
        .and_then(|id| tx.streams.lock().remove(id));
    match removed {
        Some(stream) => {
            stream.cancel.cancel();
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(StatusCode::NOT_FOUND, "no such stream"),
    }
}

fn status_body(id: &str, stream: &TxStream) -> Value {
    json!({"stream_id": id, "status": stream.status.as_str(), "reason": stream.reason})
}

async fn read_status(
    State(tx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    require_auth!(tx, headers);
    let streams = tx.streams.lock();
    match q
        .get("stream_id")
        .and_then(|id| streams.get(id).map(|s| status_body(id, s)))
    {
        Some(body) => json_response(StatusCode::OK, &body),
        None => error(StatusCode::NOT_FOUND, "no such stream"),
    }
}

async fn update_status(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    require_auth!(tx, headers);
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(why) => return error(StatusCode::BAD_REQUEST, &why),
    };
    let id = request
        .get("stream_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(status) = request
        .get("status")
        .and_then(Value::as_str)
        .and_then(StreamStatus::parse)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "status must be enabled, paused or disabled",
        );
    };
    let mut streams = tx.streams.lock();
    let Some(stream) = streams.get_mut(id) else {
        return error(StatusCode::NOT_FOUND, "no such stream");
    };
    // Receiver-initiated: SSF sends no stream-updated for it.
    stream.status = status;
    stream.reason = json::string(&request, "reason");
    json_response(StatusCode::OK, &status_body(id, stream))
}

async fn verify(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    require_auth!(tx, headers);
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(why) => return error(StatusCode::BAD_REQUEST, &why),
    };
    let id = request
        .get("stream_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(queue) = tx.streams.lock().get(id).map(|s| s.queue.clone()) else {
        return error(StatusCode::NOT_FOUND, "no such stream");
    };
    let payload = match request.get("state") {
        Some(state) => json!({"state": state}),
        None => json!({}),
    };
    let claims = sets::set_claims(
        &tx.issuer,
        &tx.audience(id),
        events::VERIFICATION,
        &payload,
        &sets::stream_subject(id),
    );
    let Ok(claims) = claims else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not build the verification SET",
        );
    };
    match queue.try_send(Outgoing { claims, then: None }) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "the delivery queue is full; try again later",
        ),
    }
}
