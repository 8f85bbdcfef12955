//! The window's *Decode*: text pasted into the window (a token, a claims object, JSON Lines of
//! either, an export's lines) decoded, verified with the keys of a chosen profile's transmitter
//! when one is chosen, and linted, as `ssf-inspector decode` does. Nothing leaves the machine but
//! the profile's own metadata and key reads.

use super::ingest::{self, Arrival, Expectations};
use super::input::{self, InputSet};
use super::record::{SetRecord, StreamKey, Transport};
use super::time::UnixMillis;
use super::verify::{AlgorithmPolicy, KeySet};

/// The most SETs one paste decodes; the rest are counted, not decoded.
pub const PASTE_LIMIT: usize = 500;

/// The most text one paste takes (the `decode` command reads larger inputs line by line).
pub const PASTE_MAX_BYTES: usize = 4 * 1024 * 1024;

/// The stream name the decoded SETs carry (they were received from no stream).
pub const PASTED_STREAM: &str = "pasted";

/// What a paste was decoded into.
#[derive(Clone, Debug)]
pub struct Pasted {
    /// Each SET found, in input order, with the line it starts on.
    pub items: Vec<PastedSet>,
    /// SETs beyond [`PASTE_LIMIT`], not decoded.
    pub more: usize,
    /// Which keys signatures were checked with.
    pub keys: PastedKeys,
}

/// One SET of a paste.
#[derive(Clone, Debug)]
pub struct PastedSet {
    /// The input line it starts on (1-based).
    pub line: usize,
    /// What the SET says and where it breaks the spec.
    pub record: SetRecord,
}

/// The keys a paste was verified with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PastedKeys {
    /// None chosen: signatures are not checked.
    None,
    /// A profile's transmitter keys, fetched for this paste.
    Profile {
        /// The profile.
        name: String,
        /// Its issuer (`iss` must equal it).
        issuer: String,
        /// The key ids of its JWKS.
        kids: Vec<String>,
    },
    /// A profile was chosen, and its keys could not be had: signatures are not checked.
    Failed {
        /// The profile.
        name: String,
        /// Why, and what to do.
        why: String,
    },
}

impl Pasted {
    /// Decode `text` (at most [`PASTE_MAX_BYTES`]; the caller cuts it), verifying signatures with
    /// `keys` and checking the claims against `expect`, as if received `now`.
    pub fn decode(
        text: &str,
        keys: &KeySet,
        expect: &Expectations,
        used: PastedKeys,
        now: UnixMillis,
    ) -> Self {
        let found = input::split(text);
        let more = found.len().saturating_sub(PASTE_LIMIT);
        let items = found
            .into_iter()
            .take(PASTE_LIMIT)
            .map(|item| {
                let arrival = Arrival {
                    stream: StreamKey(PASTED_STREAM.to_owned()),
                    transport: Transport::File,
                    received_at: now,
                };
                let record = match item.set {
                    Ok(InputSet::Token(token)) => {
                        ingest::inspect(token, arrival, keys, &AlgorithmPolicy::default(), expect)
                    }
                    Ok(InputSet::Claims(claims)) => ingest::inspect_claims(claims, arrival, expect),
                    Err(why) => ingest::unreadable(why, arrival),
                };
                PastedSet {
                    line: item.line,
                    record,
                }
            })
            .collect();
        Self {
            items,
            more,
            keys: used,
        }
    }

    /// How many of its SETs have an error finding.
    pub fn with_errors(&self) -> usize {
        self.items
            .iter()
            .filter(|item| {
                item.record
                    .findings
                    .iter()
                    .any(|f| f.severity == super::lint::Level::Error)
            })
            .count()
    }
}

/// `text` cut to at most [`PASTE_MAX_BYTES`] on a character boundary, and whether it was cut.
pub fn within_limit(text: &str) -> (&str, bool) {
    if text.len() <= PASTE_MAX_BYTES {
        return (text, false);
    }
    let mut end = PASTE_MAX_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_paste_decodes_the_first_sets_and_counts_the_rest() {
        let line = r#"{"iss":"https://t.example","jti":"j","iat":1765000000,"events":{}}"#;
        let text = vec![line; PASTE_LIMIT + 7].join("\n");
        let pasted = Pasted::decode(
            &text,
            &KeySet::default(),
            &Expectations::default(),
            PastedKeys::None,
            UnixMillis(0),
        );
        assert_eq!(pasted.items.len(), PASTE_LIMIT);
        assert_eq!(pasted.more, 7);
        assert_eq!(pasted.items[1].line, 2);
    }

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        let text = "é".repeat(PASTE_MAX_BYTES / 2 + 1);
        let (cut, was_cut) = within_limit(&text);
        assert!(was_cut);
        assert!(cut.len() <= PASTE_MAX_BYTES);
        assert!(cut.chars().all(|c| c == 'é'));
        assert_eq!(within_limit("short"), ("short", false));
    }
}
