//! `type:` values → the event-type URIs they match. A value is a catalogue URI, a trailing part
//! of one (`session-revoked`, `prov:create:notice`), a human name (`"Session revoked"`, or
//! `session-revoked` spelled from it), or an unknown URI kept as it is. Each catalogue match
//! stands for its whole family of spellings: the current URI and every legacy one replaced by
//! it, so `type:sessions-revoked` (RISC, deprecated) and `type:session-revoked` (CAEP) match
//! the same SETs. A comma list is any of its names.

use super::super::events::{CATALOGUE, EventType, canonical, lookup};
use super::fold;

/// A name that resolves to nothing: the bytes of the value it spans and what to write.
#[derive(Debug)]
pub(super) struct TypeError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// The URIs a `type:` value matches.
pub(super) fn resolve(value: &str) -> Result<Vec<String>, TypeError> {
    let mut uris: Vec<String> = Vec::new();
    let mut start = 0;
    for part in value.split(',') {
        let end = start + part.len();
        let name = part.trim();
        if !name.is_empty() {
            let found = resolve_one(name).ok_or_else(|| TypeError {
                start,
                end,
                message: unknown(name),
            })?;
            for uri in found {
                if !uris.contains(&uri) {
                    uris.push(uri);
                }
            }
        }
        start = end + 1;
    }
    if uris.is_empty() {
        return Err(TypeError {
            start: 0,
            end: value.len(),
            message: "empty `type:`: write an event type, e.g. type:session-revoked".to_owned(),
        });
    }
    Ok(uris)
}

fn resolve_one(name: &str) -> Option<Vec<String>> {
    let mut current: Vec<&str> = Vec::new();
    if let Some(entry) = lookup(name) {
        current.push(canonical(entry.uri));
    } else {
        for entry in CATALOGUE.iter().filter(|e| names(e, name)) {
            let uri = canonical(entry.uri);
            if !current.contains(&uri) {
                current.push(uri);
            }
        }
    }
    if current.is_empty() {
        // An event type the catalogue does not know, given by its URI.
        return name.contains(':').then(|| vec![name.to_owned()]);
    }
    let mut uris: Vec<String> = Vec::new();
    for uri in current {
        uris.push(uri.to_owned());
        let spellings = CATALOGUE
            .iter()
            .filter(|e| e.uri != uri && canonical(e.uri) == uri);
        uris.extend(spellings.map(|e| e.uri.to_owned()));
    }
    Some(uris)
}

/// True when `name` names `entry`: its URI in any case, a trailing part of the URI that starts
/// after a `/` or `:`, its human name, or that name spelled in lower case with dashes.
fn names(entry: &EventType, name: &str) -> bool {
    if entry.uri.eq_ignore_ascii_case(name) || entry.name.eq_ignore_ascii_case(name) {
        return true;
    }
    let uri = entry.uri.as_bytes();
    let tail = uri.len().checked_sub(name.len()).and_then(|at| {
        let before = at.checked_sub(1).and_then(|b| uri.get(b))?;
        let rest = uri.get(at..)?;
        Some(matches!(before, b'/' | b':') && rest.eq_ignore_ascii_case(name.as_bytes()))
    });
    tail == Some(true) || slug(entry.name) == fold::lower(name)
}

/// `Session revoked (deprecated)` → `session-revoked-deprecated`.
fn slug(name: &str) -> String {
    let lower = fold::lower(name);
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

/// The message for a name that resolves to nothing, with close catalogue names.
fn unknown(name: &str) -> String {
    const FAMILIES: [&str; 5] = ["ssf", "caep", "risc", "scim", "oidc"];
    let shown = fold::clip(name);
    if FAMILIES.iter().any(|f| f.eq_ignore_ascii_case(name)) {
        return format!(
            "`{shown}` is a family, not an event type: write family:{}",
            name.to_ascii_lowercase()
        );
    }
    let short: Vec<&'static str> = CATALOGUE
        .iter()
        .filter(|e| e.replaced_by.is_none())
        .map(|e| short_name(e.uri))
        .collect();
    let close = fold::ranked(name, short.iter().copied());
    let hint = match close.as_slice() {
        [] => String::new(),
        some => {
            let some: Vec<&str> = some.iter().take(3).copied().collect();
            format!("did you mean {}? ", some.join(", "))
        }
    };
    format!(
        "unknown event type `{shown}`: {hint}write a catalogue name (session-revoked), a human \
         name in quotes (\"Session revoked\") or the full URI"
    )
}

/// The part of a catalogue URI people type: after `event:` for SCIM URNs, else the last path
/// segment.
fn short_name(uri: &'static str) -> &'static str {
    if let Some((_, after)) = uri.split_once(":event:") {
        return after;
    }
    uri.rsplit('/').next().unwrap_or(uri)
}

#[cfg(test)]
mod tests {
    use super::super::super::events::{self, STREAM_UPDATED, STREAM_UPDATED_SSE};
    use super::*;

    #[test]
    fn names_resolve_to_all_spellings() {
        let revoked = resolve("session-revoked").unwrap();
        assert!(revoked.contains(&events::caep("session-revoked")));
        assert!(revoked.contains(&events::risc("sessions-revoked")));
        assert_eq!(resolve("sessions-revoked").unwrap(), revoked);
        assert_eq!(resolve("\u{53}ession Revoked").unwrap(), revoked);
        let updated = resolve(STREAM_UPDATED_SSE).unwrap();
        assert_eq!(updated, [STREAM_UPDATED, STREAM_UPDATED_SSE]);
        assert_eq!(
            resolve("urn:example:custom").unwrap(),
            ["urn:example:custom"]
        );
        assert_eq!(
            resolve("prov:create:notice").unwrap(),
            [
                "urn:ietf:params:scim:event:prov:create:notice",
                "urn:ietf:params:SCIM:event:prov:create:notice"
            ]
        );
    }

    #[test]
    fn a_comma_list_is_any_and_a_bad_name_is_pointed_at() {
        let both = resolve("session-revoked,credential-change").unwrap();
        assert!(both.contains(&events::caep("credential-change")));
        let err = resolve("session-revoked, sesion-revokd").unwrap_err();
        assert_eq!((err.start, err.end), (16, 30));
        assert!(
            err.message.contains("did you mean session-revoked"),
            "{}",
            err.message
        );
        assert!(resolve("caep").unwrap_err().message.contains("family:caep"));
    }
}
