//! Compact JWS parsing: split a token into its three segments and decode the header and claims,
//! saying exactly which segment (and where) is wrong when it cannot.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// One of the three dot-separated parts of a compact JWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The JOSE header (first part).
    Header,
    /// The claims (second part).
    Payload,
    /// The signature (third part).
    Signature,
}

impl Segment {
    /// Lower-case name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Payload => "payload",
            Self::Signature => "signature",
        }
    }
}

/// Why a token could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The body was empty (or only white space).
    #[error("the token is empty")]
    Empty,
    /// Not three segments.
    #[error("a compact JWS has 3 dot-separated segments; this token has {found}")]
    SegmentCount {
        /// How many segments were found.
        found: usize,
    },
    /// A character outside base64url, or a bad length.
    #[error("the {} segment is not base64url: {detail}", segment.name())]
    Base64 {
        /// Which segment.
        segment: Segment,
        /// What the decoder said (with the offset).
        detail: String,
    },
    /// The decoded bytes are not UTF-8.
    #[error("the {} segment is not UTF-8 (byte {offset})", segment.name())]
    Utf8 {
        /// Which segment.
        segment: Segment,
        /// Offset of the first bad byte in the decoded segment.
        offset: usize,
    },
    /// Not JSON, or JSON but not an object.
    #[error("the {} segment is not a JSON object: {detail}", segment.name())]
    Json {
        /// Which segment.
        segment: Segment,
        /// What the parser said (with line and column).
        detail: String,
    },
}

/// A compact JWS whose header and claims decoded; the signature is not checked here.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedJws {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    /// `base64url(header) "." base64url(payload)`, the bytes the signature covers.
    pub signing_input: String,
    /// The signature segment as sent (base64url); empty for unsecured tokens.
    pub signature: String,
}

impl DecodedJws {
    /// The header's `alg`, if it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's `kid`, if it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The header's `typ`, if it is a string.
    pub fn typ(&self) -> Option<&str> {
        self.header.get("typ").and_then(Value::as_str)
    }

    /// A string claim.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// Decode a compact JWS. White space anywhere (line-wrapped tokens) is ignored.
pub fn decode_compact(raw: &str) -> Result<DecodedJws, DecodeError> {
    // A token as sent by push or poll has no white space: it is read where it lies.
    let token: std::borrow::Cow<'_, str> = if raw.bytes().any(|b| b.is_ascii_whitespace()) {
        raw.chars().filter(|c| !c.is_ascii_whitespace()).collect()
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header_b64, payload_b64, signature] = parts.as_slice() else {
        return Err(DecodeError::SegmentCount { found: parts.len() });
    };
    let header = decode_object(header_b64, Segment::Header)?;
    let claims = decode_object(payload_b64, Segment::Payload)?;
    if !signature.is_empty() {
        URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|err| DecodeError::Base64 {
                segment: Segment::Signature,
                detail: err.to_string(),
            })?;
    }
    Ok(DecodedJws {
        header,
        claims,
        signing_input: format!("{header_b64}.{payload_b64}"),
        signature: (*signature).to_owned(),
    })
}

fn decode_object(b64: &str, segment: Segment) -> Result<Map<String, Value>, DecodeError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|err| DecodeError::Base64 {
            segment,
            detail: err.to_string(),
        })?;
    let text = std::str::from_utf8(&bytes).map_err(|err| DecodeError::Utf8 {
        segment,
        offset: err.valid_up_to(),
    })?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(DecodeError::Json {
            segment,
            detail: format!("found {}", json_kind(&other)),
        }),
        Err(err) => Err(DecodeError::Json {
            segment,
            detail: err.to_string(),
        }),
    }
}

/// The JSON type of a value, for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// base64url without padding, as JOSE uses it.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(header: &str, payload: &str, sig: &str) -> String {
        format!(
            "{}.{}.{sig}",
            b64url(header.as_bytes()),
            b64url(payload.as_bytes())
        )
    }

    #[test]
    fn decodes_and_ignores_line_wrapping() {
        let t = token(r#"{"alg":"none"}"#, r#"{"iss":"x"}"#, "");
        let wrapped = format!("{}\n  {}", &t[..5], &t[5..]);
        let d = decode_compact(&wrapped).unwrap();
        assert_eq!(d.alg(), Some("none"));
        assert_eq!(d.claim_str("iss"), Some("x"));
    }

    #[test]
    fn names_the_broken_segment() {
        assert_eq!(decode_compact("  "), Err(DecodeError::Empty));
        assert_eq!(
            decode_compact("a.b"),
            Err(DecodeError::SegmentCount { found: 2 })
        );
        let bad_payload = format!("{}.!!.", b64url(b"{}"));
        assert!(matches!(
            decode_compact(&bad_payload),
            Err(DecodeError::Base64 {
                segment: Segment::Payload,
                ..
            })
        ));
        let array_header = token("[1]", "{}", "");
        assert!(matches!(
            decode_compact(&array_header),
            Err(DecodeError::Json {
                segment: Segment::Header,
                ..
            })
        ));
        let latin1 = format!("{}.{}.", b64url(b"{}"), b64url(&[0x7b, 0xff, 0x7d]));
        assert_eq!(
            decode_compact(&latin1),
            Err(DecodeError::Utf8 {
                segment: Segment::Payload,
                offset: 1
            })
        );
    }
}
