//! RFC 8936 §2.5 poll answers: the body a transmitter returns to a poll request, read into the
//! SETs it carries (jti → raw token, in the order the JSON object iterates) and whether more are
//! available. The poller (`runtime::receiver::poll`) sends the request; this reads the answer.

use serde_json::Value;

/// A poll answer as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollAnswer {
    /// Each SET's `jti` (the member name in `sets`) and its raw token.
    pub sets: Vec<(String, String)>,
    /// `moreAvailable`; missing or not a boolean reads as `false`.
    pub more_available: bool,
}

/// Why a poll answer could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PollAnswerError {
    /// The body is not JSON at all (what the parser said, with line and column).
    #[error("the answer is not the JSON expected: {0}")]
    NotJson(String),
    /// JSON, but with no `sets` member, or one that is not an object.
    #[error("the poll answer has no \"sets\" object (RFC 8936 §2.5)")]
    NoSets,
}

/// Read a poll answer's body.
pub fn parse(body: &[u8]) -> Result<PollAnswer, PollAnswerError> {
    let reply: Value =
        serde_json::from_slice(body).map_err(|err| PollAnswerError::NotJson(err.to_string()))?;
    let Some(sets) = reply.get("sets").and_then(Value::as_object) else {
        return Err(PollAnswerError::NoSets);
    };
    let more_available = reply
        .get("moreAvailable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let sets = sets
        .iter()
        .map(|(jti, token)| (jti.clone(), raw_token(token)))
        .collect();
    Ok(PollAnswer {
        sets,
        more_available,
    })
}

/// A `sets` member's value as the token to inspect: a string as it is, anything else as its
/// JSON text (kept, so the record shows what came and ingest says why it is not a SET).
pub fn raw_token(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}
