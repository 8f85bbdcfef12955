//! What the timeline needs of a SET, without its token or decoded trees: the conclusions of its
//! analysis (events, subject, verdict, findings, answer). The durable record stores the parts
//! not already in its own columns as one small JSON object (`summary`), so reopening a record
//! reads conclusions instead of decoding and linting every SET again.
//!
//! A summary answers every filter term but free text over the claims: [`Filterable`] for it
//! says "cannot tell" there, and [`WithClaims`] adds the decoded claims to answer that too.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::events::{EventRef, Family};
use super::filter::Filterable;
use super::lint::Level;
use super::record::{SetRecord, StreamKey, Transport};
use super::time::UnixMillis;
use super::verify::Verdict;

/// A SET as the timeline indexes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetSummary {
    /// Position in the record.
    pub seq: u64,
    /// Arrival time.
    pub received_at: UnixMillis,
    /// Local stream name.
    pub stream: StreamKey,
    /// How it arrived.
    pub transport: Transport,
    /// `iss`, when present.
    pub iss: Option<String>,
    /// `jti`, when present.
    pub jti: Option<String>,
    /// Signature verdict.
    pub verdict: Verdict,
    /// The verdict's explanation.
    pub verdict_detail: String,
    /// The same (`iss`, `jti`) arrived before.
    pub redelivered: bool,
    /// The exchange that carried it, by record id.
    pub exchange: Option<u64>,
    /// The rest, stored as the record's `summary` column.
    pub conclusions: Conclusions,
}

/// The conclusions the record has no column of its own for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusions {
    /// Event type URIs, as sent.
    #[serde(rename = "e", default)]
    pub events: Vec<String>,
    /// The subject on one line.
    #[serde(rename = "s", default)]
    pub subject: String,
    /// The string member values of its subject identifiers (for `subject:`).
    #[serde(rename = "v", default, skip_serializing_if = "Vec::is_empty")]
    pub subject_values: Vec<String>,
    /// Findings as (rule id, severity).
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<(String, Level)>,
    /// The error code answered, when refused.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<String>,
    /// Header and claims decoded.
    #[serde(rename = "d", default)]
    pub decoded: bool,
}

impl Conclusions {
    /// What `record` concluded.
    pub fn of(record: &SetRecord) -> Self {
        let mut subject_values = Vec::new();
        record.any_subject_value(&mut |value| {
            if !subject_values.iter().any(|v| v == value) {
                subject_values.push(value.to_owned());
            }
            false
        });
        Self {
            events: record.events.iter().map(|e| e.uri.clone()).collect(),
            subject: record.subject.clone(),
            subject_values,
            findings: record
                .findings
                .iter()
                .map(|f| (f.rule.to_owned(), f.severity))
                .collect(),
            rejection: record.rejection.as_ref().map(|r| r.err.to_owned()),
            decoded: record.jws.is_some(),
        }
    }

    /// The `summary` column's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Read the `summary` column.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl SetSummary {
    /// The summary of a full record.
    pub fn of(record: &SetRecord) -> Self {
        Self {
            seq: record.seq,
            received_at: record.received_at,
            stream: record.stream.clone(),
            transport: record.transport,
            iss: record.iss.clone(),
            jti: record.jti.clone(),
            verdict: record.verification.verdict,
            verdict_detail: record.verification.detail.clone(),
            redelivered: record.redelivered,
            exchange: record.exchange,
            conclusions: Conclusions::of(record),
        }
    }
}

/// Whether the texts every compact form holds (event names and URIs, subject line, verdict,
/// `jti`, `iss`, stream) contain `needle` (lower-cased).
pub(crate) fn compact_text_contains<'a>(
    needle: &str,
    events: impl IntoIterator<Item = (&'a str, &'a str)>,
    plain: &[Option<&str>],
    verdict: Verdict,
) -> bool {
    let hit = |text: &str| super::filter::contains_folded(text, needle);
    events.into_iter().any(|(uri, name)| hit(uri) || hit(name))
        || hit(verdict.label())
        || hit(verdict.as_str())
        || plain.iter().flatten().any(|t| hit(t))
}

impl Filterable for SetSummary {
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool {
        self.conclusions
            .events
            .iter()
            .any(|uri| visit(uri, EventRef::from_uri(uri).family))
    }

    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        self.conclusions.subject_values.iter().any(|v| visit(v))
    }

    fn subject_line(&self) -> &str {
        &self.conclusions.subject
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
        self.verdict
    }

    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool {
        self.conclusions.findings.iter().any(|(r, l)| visit(r, *l))
    }

    fn transport(&self) -> Transport {
        self.transport
    }

    fn redelivered(&self) -> bool {
        self.redelivered
    }

    fn rejected(&self) -> bool {
        self.conclusions.rejection.is_some()
    }

    fn received_at(&self) -> UnixMillis {
        self.received_at
    }

    fn text_contains(&self, needle: &str) -> Option<bool> {
        let named: Vec<EventRef> = self
            .conclusions
            .events
            .iter()
            .map(|u| EventRef::from_uri(u))
            .collect();
        let found = compact_text_contains(
            needle,
            named.iter().map(|e| (e.uri.as_str(), e.name.as_str())),
            &[
                Some(&self.conclusions.subject),
                self.jti.as_deref(),
                self.iss.as_deref(),
                Some(&self.stream.0),
            ],
            self.verdict,
        );
        // Only the claims are left to search; a SET that did not decode has none.
        if found || !self.conclusions.decoded {
            Some(found)
        } else {
            None
        }
    }
}

/// A summary with the SET's decoded claims: answers free text as the full record does.
pub struct WithClaims<'a> {
    /// The summary.
    pub summary: &'a SetSummary,
    /// The claims, when the SET decoded.
    pub claims: Option<&'a serde_json::Map<String, Value>>,
}

impl Filterable for WithClaims<'_> {
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool {
        self.summary.any_event(visit)
    }
    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        self.summary.any_subject_value(visit)
    }
    fn subject_line(&self) -> &str {
        self.summary.subject_line()
    }
    fn stream(&self) -> &str {
        &self.summary.stream.0
    }
    fn iss(&self) -> Option<&str> {
        self.summary.iss.as_deref()
    }
    fn jti(&self) -> Option<&str> {
        self.summary.jti.as_deref()
    }
    fn verdict(&self) -> Verdict {
        self.summary.verdict
    }
    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool {
        self.summary.any_finding(visit)
    }
    fn transport(&self) -> Transport {
        self.summary.transport
    }
    fn redelivered(&self) -> bool {
        self.summary.redelivered
    }
    fn rejected(&self) -> bool {
        self.summary.rejected()
    }
    fn received_at(&self) -> UnixMillis {
        self.summary.received_at
    }
    fn text_contains(&self, needle: &str) -> Option<bool> {
        if self.summary.text_contains(needle) == Some(true) {
            return Some(true);
        }
        Some(
            self.claims
                .is_some_and(|claims| super::filter::claims_contain(claims, needle)),
        )
    }
}
