//! [`Filterable`] for a full [`SetRecord`]: subject values are read from the claims (`sub_id`,
//! then each event's legacy `subject`), free text from the event names and URIs, the subject
//! line, the verdict, `jti`, `iss`, the stream and every string value of the claims.

use serde_json::Value;

use super::super::events::Family;
use super::super::lint::Level;
use super::super::record::{SetRecord, Transport};
use super::super::time::UnixMillis;
use super::super::verify::Verdict;
use super::eval::Filterable;
use super::fold::contains_folded;
use crate::core::set_summary::compact_text_contains;

/// Claims nested deeper than this are not searched (serde_json reads at most 128 levels).
const MAX_NESTING: usize = 32;

impl Filterable for SetRecord {
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool {
        self.events.iter().any(|e| visit(&e.uri, e.family))
    }

    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        let Some(claims) = self.jws.as_ref().map(|j| &j.claims) else {
            return false;
        };
        if claims
            .get("sub_id")
            .is_some_and(|s| any_string(s, MAX_NESTING, visit))
        {
            return true;
        }
        let events = claims.get("events").and_then(Value::as_object);
        events.into_iter().flatten().any(|(_, payload)| {
            payload
                .get("subject")
                .is_some_and(|s| any_string(s, MAX_NESTING, visit))
        })
    }

    fn subject_line(&self) -> &str {
        &self.subject
    }

    fn stream(&self) -> &str {
        &self.stream.0
    }

    fn iss(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    fn jti(&self) -> Option<&str> {
        self.jti.as_deref()
    }

    fn verdict(&self) -> Verdict {
        self.verification.verdict
    }

    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool {
        self.findings.iter().any(|f| visit(f.rule, f.severity))
    }

    fn transport(&self) -> Transport {
        self.transport
    }

    fn redelivered(&self) -> bool {
        self.redelivered
    }

    fn rejected(&self) -> bool {
        self.rejection.is_some()
    }

    fn received_at(&self) -> UnixMillis {
        self.received_at
    }

    fn text_contains(&self, needle: &str) -> Option<bool> {
        let found = compact_text_contains(
            needle,
            self.events
                .iter()
                .map(|e| (e.uri.as_str(), e.name.as_str())),
            &[
                Some(&self.subject),
                self.jti.as_deref(),
                self.iss.as_deref(),
                Some(&self.stream.0),
            ],
            self.verification.verdict,
        ) || self
            .jws
            .as_ref()
            .is_some_and(|j| claims_contain(&j.claims, needle));
        Some(found)
    }
}

/// Whether a string value of the claims (at most [`MAX_NESTING`] levels down) contains `needle`
/// (lower-cased) ignoring case.
pub(crate) fn claims_contain(claims: &serde_json::Map<String, Value>, needle: &str) -> bool {
    claims
        .values()
        .any(|v| any_string(v, MAX_NESTING, &mut |s| contains_folded(s, needle)))
}

/// Calls `visit` on each string inside `value` (object members and array items, `depth`
/// levels down) until it returns true.
fn any_string(value: &Value, depth: usize, visit: &mut dyn FnMut(&str) -> bool) -> bool {
    match value {
        Value::String(s) => visit(s),
        Value::Array(items) if depth > 0 => items.iter().any(|v| any_string(v, depth - 1, visit)),
        Value::Object(members) if depth > 0 => {
            members.values().any(|v| any_string(v, depth - 1, visit))
        }
        _ => false,
    }
}
