//! Reading a transmitter's refusal of a stream create: which of the event types asked for it
//! refused (and which it said it supports), and which members it says are missing. Bodies
//! come in many shapes (plain text, `{"error": …}`, a pydantic `{"detail": [{"msg", "input"}]}`
//! that repeats every type asked), so the words around each URI decide, not its presence.

use serde_json::Value;

/// What a refusal says of the event types asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypesRefused {
    /// Asked for and refused.
    pub refused: Vec<String>,
    /// Asked for and not refused: what to ask for again.
    pub kept: Vec<String>,
}

/// Which of `asked` a refusal `body` refuses. A list it introduces as supported keeps exactly
/// the types asked that it names; else a list it introduces as unsupported (or invalid) refuses
/// those; a body that only repeats the request (`input`) refuses nothing by that. Without any
/// such word, every type the body names is taken as refused.
pub fn event_types_refused(body: &str, asked: &[String]) -> TypesRefused {
    let lower = body.to_ascii_lowercase();
    let mut supported = Vec::new();
    let mut unsupported = Vec::new();
    let mut named = Vec::new();
    let mut said_any = false;
    for uri in asked {
        for (at, _) in body.match_indices(uri.as_str()) {
            // Only the URI itself, not a longer one it begins.
            let after = body[at + uri.len()..].chars().next();
            if after.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/')) {
                continue;
            }
            named.push(uri.clone());
            match context_before(&lower[..at]) {
                Some(Context::Supported) => {
                    said_any = true;
                    supported.push(uri.clone());
                }
                Some(Context::Unsupported) => {
                    said_any = true;
                    unsupported.push(uri.clone());
                }
                Some(Context::Echo) => said_any = true,
                None => {}
            }
        }
    }
    let keep: Box<dyn Fn(&String) -> bool> = if !supported.is_empty() {
        Box::new(|uri| supported.contains(uri))
    } else if !unsupported.is_empty() {
        Box::new(|uri| !unsupported.contains(uri))
    } else if said_any {
        Box::new(|_| true)
    } else {
        Box::new(|uri| !named.contains(uri))
    };
    let (kept, refused) = asked.iter().cloned().partition(|uri| keep(uri));
    TypesRefused { refused, kept }
}

/// What the words before a URI make of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    /// In a list of what the transmitter supports.
    Supported,
    /// In a list of what it refuses.
    Unsupported,
    /// In a repetition of the request (`input`, `received`).
    Echo,
}

/// The nearest telling word before a position.
fn context_before(lower: &str) -> Option<Context> {
    const WORDS: [(&str, Context); 9] = [
        ("unsupported", Context::Unsupported),
        ("not supported", Context::Unsupported),
        ("not allowed", Context::Unsupported),
        ("invalid", Context::Unsupported),
        ("unknown", Context::Unsupported),
        ("supported", Context::Supported),
        ("allowed", Context::Supported),
        ("\"input\"", Context::Echo),
        ("received", Context::Echo),
    ];
    WORDS
        .iter()
        .filter_map(|(word, context)| {
            let at = lower
                .match_indices(*word)
                .map(|(at, _)| at)
                .filter(|at| {
                    // "supported" inside "unsupported" or "not supported" is not a yes.
                    *context != Context::Supported
                        || !(lower[..*at].ends_with("un") || lower[..*at].ends_with("not "))
                })
                .last()?;
            Some((at, *context))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, context)| context)
}

/// Stream configuration members (SSF §8.1.1) a refusal names as missing or required that the
/// create did not send: `{"error":"missing_fields: iss"}`, `'aud' is a required property`,
/// `field required: aud`.
pub fn members_missing(body: &str, sent: &Value) -> Vec<&'static str> {
    const MEMBERS: [&str; 7] = [
        "iss",
        "aud",
        "events_requested",
        "delivery",
        "description",
        "min_verification_interval",
        "inactivity_timeout",
    ];
    let lower = body.to_ascii_lowercase();
    if !(lower.contains("missing") || lower.contains("required")) {
        return Vec::new();
    }
    MEMBERS
        .into_iter()
        .filter(|member| sent.get(*member).is_none() && names_word(&lower, member))
        .collect()
}

/// `word` stands in `text` on its own (not inside a longer name: `aud` is not in `audience`).
fn names_word(text: &str, word: &str) -> bool {
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(name_char) && !after.is_some_and(name_char)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{event_types_refused, members_missing};

    fn uris(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| format!("https://e/{n}")).collect()
    }

    #[test]
    fn a_pydantic_refusal_that_repeats_the_request_keeps_what_it_supports() {
        // solarssk/ssf-transmitter's 422: the msg names unsupported and supported types, and
        // `input` repeats all asked.
        let asked = uris(&["a", "b", "c", "d"]);
        let body = r#"{"detail":[{"type":"value_error","loc":["body","events_requested"],"msg":"Value error, Unsupported event URI(s): ['https://e/c', 'https://e/d']. Supported: ['https://e/a', 'https://e/b', 'https://e/v']","input":["https://e/a","https://e/b","https://e/c","https://e/d"]}]}"#;
        let read = event_types_refused(body, &asked);
        assert_eq!(read.kept, uris(&["a", "b"]));
        assert_eq!(read.refused, uris(&["c", "d"]));
    }

    #[test]
    fn other_shapes_of_refusal() {
        let asked = uris(&["a", "b", "c"]);
        let read = event_types_refused("unsupported event types: https://e/b, https://e/c", &asked);
        assert_eq!((read.kept, read.refused), (uris(&["a"]), uris(&["b", "c"])));
        // Without a telling word: whatever it names is refused.
        let read = event_types_refused("bad: https://e/c", &asked);
        assert_eq!(read.refused, uris(&["c"]));
        // A longer URI that begins with one asked does not name it.
        let read = event_types_refused("unknown: https://e/abc", &asked);
        assert!(read.refused.is_empty(), "{read:?}");
        // Only an echo of the request: nothing refused by name.
        let read = event_types_refused(r#"{"error":"bad","input":["https://e/a"]}"#, &asked);
        assert!(read.refused.is_empty(), "{read:?}");
    }

    #[test]
    fn a_refusal_that_names_missing_members_is_read_in_its_many_shapes() {
        let sent = json!({"delivery": {}, "events_requested": [], "description": "d"});
        let cases = [
            (r#"{"error":"missing_fields: iss"}"#, vec!["iss"]),
            (
                r#"{"detail":[{"loc":["body","aud"],"msg":"Field required"}]}"#,
                vec!["aud"],
            ),
            ("'aud' is a required property", vec!["aud"]),
            ("missing: iss, aud", vec!["iss", "aud"]),
            // Sent already, or not a member name on its own: nothing to add.
            ("description is required", vec![]),
            ("audience is required", vec![]),
            ("aud is not allowed", vec![]),
        ];
        for (body, want) in cases {
            assert_eq!(members_missing(body, &sent), want, "{body}");
        }
    }
}
