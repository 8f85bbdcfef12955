//! The `echo-errors` quirk: every error answer (4xx, 5xx) of the configuration, status, subject,
//! verification and poll endpoints carries the request back, its Authorization header included
//! (a transmitter that leaks the receiver's credentials into its error pages).
//!
//! Which form is deterministic, by the request body: a body that parses as JSON (the usual POST,
//! PATCH and PUT) gets `application/json`
//! `{"error": "<message>", "request": <the body>, "authorization": "<header value>" | null}`;
//! any other body (empty: every GET and DELETE, a poll without body; or not JSON) gets
//! `text/plain` `error: <message>; request: <body>; Authorization: <header value>` (empty
//! when there was none).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Shared;
use crate::runtime::transmitter::Quirk;

/// The largest body read back (axum's default request body limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub(super) async fn echo_errors(
    State(tx): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    if !tx.quirks().has(Quirk::EchoErrors) {
        return next.run(request).await;
    }
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let (parts, body) = request.into_parts();
    let Ok(sent) = to_bytes(body, BODY_LIMIT).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is too large",
        )
            .into_response();
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(sent.clone())))
        .await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let message = to_bytes(body, BODY_LIMIT)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    parts.headers.remove(header::CONTENT_LENGTH);
    let (content_type, body) = match serde_json::from_slice::<Value>(&sent) {
        Ok(request) => (
            "application/json",
            json!({"error": message, "request": request, "authorization": authorization})
                .to_string(),
        ),
        Err(_) => (
            "text/plain; charset=utf-8",
            format!(
                "error: {message}; request: {}; Authorization: {}",
                String::from_utf8_lossy(&sent),
                authorization.unwrap_or_default()
            ),
        ),
    };
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Response::from_parts(parts, Body::from(body))
}
