//! RFC 8936 §2.5 poll answers: the body a transmitter returns to a poll request, read into the
//! SETs it carries (jti → raw token, in the answer's order) and whether more are available. The
//! poller (`runtime::receiver::poll`) sends the request; this reads the answer. At most a given
//! number of SETs is taken from one answer ([`parse_at_most`]); the others are skipped as they
//! are read, never held, and only counted: a transmitter that ignores `maxEvents` cannot make
//! one answer cost more than that.

use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// A poll answer as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollAnswer {
    /// Each SET's `jti` (the member name in `sets`) and its raw token.
    pub sets: Vec<(String, String)>,
    /// `moreAvailable`; missing or not a boolean reads as `false`.
    pub more_available: bool,
    /// SETs in the answer beyond the number taken (skipped, not held).
    pub left_out: usize,
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

/// Read a poll answer's body, every SET in it.
pub fn parse(body: &[u8]) -> Result<PollAnswer, PollAnswerError> {
    parse_at_most(body, usize::MAX)
}

/// Read a poll answer's body, taking its first `max` SETs; the others are counted in
/// [`PollAnswer::left_out`]. Those are skipped, not read: a flaw inside one of them (a lone
/// surrogate escape) goes unseen until it is among the first `max`, when it comes again.
pub fn parse_at_most(body: &[u8], max: usize) -> Result<PollAnswer, PollAnswerError> {
    // JSON is UTF-8 (RFC 8259 §8.1), skipped values too.
    if let Err(err) = std::str::from_utf8(body) {
        let good = body.get(..err.valid_up_to()).unwrap_or_default();
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + good.iter().rev().take_while(|&&b| b != b'\n').count();
        return Err(PollAnswerError::NotJson(format!(
            "not UTF-8 at line {line} column {column}"
        )));
    }
    let mut reader = serde_json::Deserializer::from_slice(body);
    let read = reader
        .deserialize_map(AnswerVisitor { max })
        .and_then(|answer| reader.end().map(|()| answer));
    match read {
        Ok(Some(answer)) => Ok(answer),
        Ok(None) => Err(PollAnswerError::NoSets),
        // JSON of another shape (an array, `sets` not an object), or not JSON at all.
        Err(err) if err.classify() == serde_json::error::Category::Data => {
            Err(PollAnswerError::NoSets)
        }
        Err(err) => Err(PollAnswerError::NotJson(err.to_string())),
    }
}

/// The answer object: `None` when it has no `sets` member.
struct AnswerVisitor {
    max: usize,
}

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Option<PollAnswer>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a poll answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut sets = None;
        let mut more_available = false;
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "sets" => sets = Some(map.next_value_seed(SetsSeed { max: self.max })?),
                "moreAvailable" => {
                    more_available = map.next_value::<Value>()?.as_bool().unwrap_or(false);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(sets.map(|(sets, left_out)| PollAnswer {
            sets,
            more_available,
            left_out,
        }))
    }
}

/// The `sets` object: its first `max` members, and how many more there were.
struct SetsSeed {
    max: usize,
}

impl<'de> de::DeserializeSeed<'de> for SetsSeed {
    type Value = (Vec<(String, String)>, usize);

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SetsSeed {
    type Value = (Vec<(String, String)>, usize);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of jti to SET")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut sets: Vec<(String, String)> = Vec::new();
        // A jti given twice keeps its last token, in its first place.
        let mut at = std::collections::HashMap::<String, usize>::new();
        let mut left_out = 0;
        while let Some(jti) = map.next_key::<String>()? {
            if let Some(&index) = at.get(&jti) {
                let token = raw_token(&map.next_value::<Value>()?);
                if let Some(entry) = sets.get_mut(index) {
                    entry.1 = token;
                }
            } else if sets.len() < self.max {
                let token = map.next_value::<Value>()?;
                at.insert(jti.clone(), sets.len());
                sets.push((jti, raw_token(&token)));
            } else {
                map.next_value::<IgnoredAny>()?;
                left_out += 1;
            }
        }
        Ok((sets, left_out))
    }
}

/// A `sets` member's value as the token to inspect: a string as it is, anything else as its
/// JSON text (kept, so the record shows what came and ingest says why it is not a SET).
pub fn raw_token(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// `body` (a poll answer as it came) with each token that `stored` maps to a reference written
/// as that reference, so the exchange does not keep a second copy of what the record keeps with
/// each SET; `None` when none is found. Only a JSON string value that is exactly a token is
/// replaced (tokens hold no character JSON escapes; member names are left), in one pass.
pub fn with_stored_references(
    body: &str,
    stored: &std::collections::HashMap<String, String>,
) -> Option<String> {
    if stored.is_empty() {
        return None;
    }
    super::json::rewrite_string_literals(body, |literal, escaped, name| {
        let inner = literal.get(1..literal.len().saturating_sub(1))?;
        let reference = stored.get(inner).filter(|_| !escaped && !name)?;
        Some(Value::from(reference.as_str()).to_string())
    })
}
