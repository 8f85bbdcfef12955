//! What the push endpoint answers and records: RFC 8935 error bodies with bounded
//! descriptions, the request's headers as pairs, and the reference a stored SET's exchange keeps
//! instead of a second copy of its token.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};

use crate::core::record::DeliveryError;

/// Most characters of an error answer's description: what it quotes of the request is already
/// clipped (`core::json::clip`); this bounds the answer whatever the description holds.
pub const DESCRIPTION_CHARS: usize = 1000;

pub(super) fn error_response(status: StatusCode, error: &DeliveryError) -> Response {
    error_answer(status, error).into_response()
}

/// An answer made here, whole: sent, and recorded as it was sent.
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub(super) fn into_response(self) -> Response {
        (self.status, self.headers, self.body).into_response()
    }
}

/// The answer to a SET that was inspected and stored: 202, or 400 with why.
pub(super) fn set_answer(rejection: Option<&DeliveryError>) -> Answer {
    match rejection {
        None => Answer {
            status: StatusCode::ACCEPTED,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        },
        Some(error) => error_answer(StatusCode::BAD_REQUEST, error),
    }
}

fn error_answer(status: StatusCode, error: &DeliveryError) -> Answer {
    let description: String = match error.description.char_indices().nth(DESCRIPTION_CHARS) {
        Some((cut, _)) => format!("{}…", &error.description[..cut]),
        None => error.description.clone(),
    };
    let body = serde_json::json!({"err": error.err, "description": description});
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("en"));
    Answer {
        status,
        headers,
        body: Bytes::from(body.to_string()),
    }
}

pub(super) fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The request body of a push whose SET was stored, once the SET has its number: a reference
/// to SET `seq`, its length and SHA-256 (the same bytes are the SET's `raw`). The hash is taken
/// where the body arrived; the record's writer only writes the number in.
pub(super) fn stored_reference_for(body: &[u8]) -> crate::runtime::record::BodyFor {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
    let (hex, len) = (hex::encode(digest), body.len());
    Box::new(move |seq| {
        format!(
            "(the body is SET #{seq}: {len} bytes, SHA-256 {hex}; the token is kept once, with the SET)"
        )
    })
}

/// What an exchange keeps instead of a token stored as SET `seq` (a push body, or a token in a
/// poll answer): its number, length and SHA-256.
pub(super) fn set_reference(seq: u64, token: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token);
    let hex = hex::encode(digest);
    format!(
        "SET #{seq}: {} bytes, SHA-256 {hex}; the token is kept once, with the SET",
        token.len()
    )
}

/// How the request body of a push whose SET was stored begins (the SET's number follows).
pub const STORED_PREFIX: &str = "(the body is SET #";
