//! HTTP exchanges (management calls, polls, pushes, discovery) as the record keeps and the UI
//! shows them: credentials are replaced before anything is written or shown.

use serde_json::Value;

use super::record::StreamKey;
use super::time::UnixMillis;

/// What a redacted secret is stored as.
pub const REDACTED: &str = "<redacted>";

/// Headers that carry credentials (compared case-insensitively).
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// True for a header that carries credentials (`Authorization`, `Cookie`, …).
pub fn is_credential_header(name: &str) -> bool {
    SECRET_HEADERS
        .iter()
        .any(|s| name.trim().eq_ignore_ascii_case(s))
}

/// JSON members of a body that carry credentials, e.g. the push `authorization_header` a
/// receiver hands the transmitter when it creates a stream (SSF §8.1.1).
const SECRET_MEMBERS: [&str; 5] = [
    "authorization_header",
    "access_token",
    "refresh_token",
    "client_secret",
    "password",
];

/// One HTTP request and its answer (management calls, polls, pushes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// Its number in the record (assigned before it is written, so SETs and alerts can name
    /// it); 0 for an exchange that is not recorded.
    pub id: u64,
    /// When the request was sent or received.
    pub at: UnixMillis,
    /// The stream it belongs to, if any.
    pub stream: Option<StreamKey>,
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Response status; `None` when no response came (connection error, timeout).
    pub status: Option<u16>,
    /// Request headers, in order.
    pub request_headers: Vec<(String, String)>,
    /// Request body as text.
    pub request_body: String,
    /// Response headers, in order.
    pub response_headers: Vec<(String, String)>,
    /// Response body as text.
    pub response_body: String,
    /// How long the exchange took.
    pub duration_millis: u64,
}

impl Exchange {
    /// Whether the exchanges view's filter `needle` (lower-case; empty matches all) is in its
    /// method, URL, stream or status ("no answer" when there was none).
    pub fn matches_text(&self, needle: &str) -> bool {
        let stream = self.stream.as_ref().map_or("", |s| s.0.as_str());
        let status = self.status.map(|s| s.to_string());
        [
            self.method.as_str(),
            self.url.as_str(),
            stream,
            status.as_deref().unwrap_or("no answer"),
        ]
        .iter()
        .any(|field| contains_folded(field, needle))
    }

    /// A copy with credential headers and credential JSON members replaced by [`REDACTED`].
    pub fn redacted(&self) -> Self {
        self.clone().redact()
    }

    /// The same, in place: credential headers and JSON members replaced by [`REDACTED`], and
    /// every known secret scrubbed from the URL, the header values and the bodies.
    #[must_use]
    pub fn redact(mut self) -> Self {
        let headers = self
            .request_headers
            .iter_mut()
            .chain(self.response_headers.iter_mut());
        for (name, value) in headers {
            if is_credential_header(name) {
                REDACTED.clone_into(value);
            } else {
                super::secrets::scrub_string(value);
            }
        }
        super::secrets::scrub_string(&mut self.url);
        for body in [&mut self.request_body, &mut self.response_body] {
            redact_body(body);
            super::secrets::scrub_string(body);
        }
        self
    }
}

/// ASCII case-insensitive substring test without allocating (`needle` is lower-case).
fn contains_folded(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Headers as stored: a JSON array of `[name, value]` pairs, credentials replaced.
pub fn headers_json(headers: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| {
            let secret = is_credential_header(name);
            (
                name.as_str(),
                if secret { REDACTED } else { value.as_str() },
            )
        })
        .collect();
    // A tuple is written as a JSON array: `[["name","value"],…]`, as it always was. Strings
    // only: serialising them cannot fail, the fallback is never taken.
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_owned())
}

/// A body as stored: when it is JSON holding credential members, those values are replaced
/// (and the JSON re-serialised); any other body is kept byte for byte.
pub fn body_text(body: &str) -> String {
    let mut text = body.to_owned();
    redact_body(&mut text);
    text
}

/// [`body_text`] in place: a JSON body holding credential members is re-serialised with them
/// replaced; any other body is left as it is.
pub fn redact_body(body: &mut String) {
    if let Ok(mut value) = serde_json::from_str::<Value>(body)
        && redact_members(&mut value)
    {
        *body = value.to_string();
    }
}

/// Replace the values of credential members (`authorization_header`, tokens, secrets) anywhere
/// in `value`; true when one was found.
pub fn redact_members(value: &mut Value) -> bool {
    let mut changed = false;
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if SECRET_MEMBERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
                    *member = Value::from(REDACTED);
                    changed = true;
                } else {
                    changed |= redact_members(member);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                changed |= redact_members(item);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::{body_text, headers_json};

    #[test]
    fn credentials_are_replaced() {
        let headers = vec![
            ("AUTHORIZATION".to_owned(), "Bearer s3cret".to_owned()),
            ("set-cookie".to_owned(), "id=s3cret".to_owned()),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ];
        let stored = headers_json(&headers);
        assert!(!stored.contains("s3cret"), "{stored}");
        assert!(stored.contains("application/json"), "{stored}");
        let body = r#"{"delivery":{"method":"push","authorization_header":"Bearer s3cret"}}"#;
        assert!(!body_text(body).contains("s3cret"));
        assert_eq!(body_text("not json s3cret"), "not json s3cret");
        assert_eq!(body_text(r#"{"a": 1}"#), r#"{"a": 1}"#);
    }
}
