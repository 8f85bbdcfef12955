//! What the push endpoint answers and records: RFC 8935 error bodies with bounded
//! descriptions, the request's headers as pairs, and the reference a stored SET's exchange keeps
//! instead of a second copy of its token.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse as _, Response};

use crate::core::record::DeliveryError;

/// Most characters of an error answer's description: what it quotes of the request is already
/// clipped (`core::json::clip`); this bounds the answer whatever the description holds.
pub const DESCRIPTION_CHARS: usize = 1000;

pub(super) fn error_response(status: StatusCode, error: &DeliveryError) -> Response {
    let description: String = match error.description.char_indices().nth(DESCRIPTION_CHARS) {
        Some((cut, _)) => format!("{}…", &error.description[..cut]),
        None => error.description.clone(),
    };
    let body = serde_json::json!({"err": error.err, "description": description});
    (status, [(header::CONTENT_LANGUAGE, "en")], axum::Json(body)).into_response()
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

/// The request body of a push whose SET was stored: a reference to SET `seq`, its length and
/// SHA-256 (the same bytes are the SET's `raw`).
pub(super) fn stored_reference(seq: u64, body: &[u8]) -> String {
    format!("(the body is {})", set_reference(seq, body))
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
