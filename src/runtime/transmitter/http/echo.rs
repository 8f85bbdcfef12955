//! The `echo-errors` quirk: every error answer (4xx, 5xx) of the configuration, status, subject,
//! verification and poll endpoints carries the request back, its Authorization header included
//! (a transmitter that leaks the receiver's credentials into its error pages).
//!
//! Which form is deterministic, by the request body: a body that parses as JSON (the usual POST,
//! PATCH and PUT) gets `application/json`
//! `{"error": "<message>", "request": <the body>, "authorization": "<header value>" | null}`,
//! written as an ASCII-only, HTML-safe encoder writes it (Python's `json.dumps`, Go's
//! `encoding/json`, PHP's `json_encode`): non-ASCII as `\uXXXX`, `<`, `>`, `&` as `\u003c`,
//! `\u003e`, `\u0026`, and `/` as `\/`, so an echoed secret is not in the answer as it was sent;
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
            escaped_like_other_encoders(
                &json!({"error": message, "request": request, "authorization": authorization})
                    .to_string(),
            ),
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

/// serde's JSON rewritten as other encoders escape it. Outside strings, JSON holds none of the
/// characters rewritten, so each is rewritten where it stands.
fn escaped_like_other_encoders(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' | '>' | '&' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn echoes_escape_as_other_encoders_do() {
        let json = serde_json::json!({"a": "\u{e9}<b>&c/\u{1f600}"}).to_string();
        let escaped = super::escaped_like_other_encoders(&json);
        assert_eq!(
            escaped,
            r#"{"a":"\u00e9\u003cb\u003e\u0026c\/\ud83d\ude00"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).expect("still JSON");
        assert_eq!(back["a"], "\u{e9}<b>&c/\u{1f600}");
    }
}
