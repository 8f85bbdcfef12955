//! The compact form of a SET on the timeline: one small [`Entry`] per SET, its repeated texts
//! (stream, issuer, event lists, subjects, findings, verdict explanations) held once in a
//! [`Dictionary`] and named by number. An entry answers every filter term but free text over
//! the claims ([`EntryView`] is its [`Filterable`]); the full SET is loaded when it is shown.

use super::super::events::{EventRef, Family};
use super::super::filter::{Filterable, contains_folded, eq_folded};
use super::super::lint::Level;
use super::super::record::{SetRecord, Transport};
use super::super::set_summary::{SetSummary, compact_text_contains};
use super::super::time::UnixMillis;
use super::super::verify::Verdict;
use super::dictionary::{Dictionary, NONE};
use super::memo::{Memo, TextHits};

/// One SET on the timeline, compact.
#[derive(Clone, Debug)]
pub struct Entry {
    seq: u64,
    received_at: UnixMillis,
    jti: Option<Box<str>>,
    /// The exchange that carried it (0: none).
    exchange: u64,
    stream: u32,
    iss: u32,
    detail: u32,
    rejection: u32,
    events: u32,
    subject: u32,
    findings: u32,
    verdict: Verdict,
    transport: Transport,
    redelivered: bool,
    decoded: bool,
}

impl Entry {
    /// The entry of a summary, its texts added to `dict`.
    pub fn from_summary(summary: &SetSummary, dict: &mut Dictionary) -> Self {
        let c = &summary.conclusions;
        Self {
            seq: summary.seq,
            received_at: summary.received_at,
            jti: summary.jti.as_deref().map(Box::from),
            exchange: summary.exchange.unwrap_or(0),
            stream: dict.text(&summary.stream.0),
            iss: dict.optional(summary.iss.as_deref()),
            detail: dict.text(&summary.verdict_detail),
            rejection: dict.optional(c.rejection.as_deref()),
            events: dict.events(&c.events),
            subject: dict.subject(&c.subject, &c.subject_values),
            findings: dict.findings(&c.findings),
            verdict: summary.verdict,
            transport: summary.transport,
            redelivered: summary.redelivered,
            decoded: c.decoded,
        }
    }

    /// The entry of a full record.
    pub fn from_record(record: &SetRecord, dict: &mut Dictionary) -> Self {
        Self::from_summary(&SetSummary::of(record), dict)
    }

    /// Its position in the record.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Arrival time.
    pub(super) fn received_at(&self) -> UnixMillis {
        self.received_at
    }

    /// Its stream's number in the dictionary.
    pub(super) fn stream_number(&self) -> u32 {
        self.stream
    }

    /// Its subject's number in the dictionary.
    pub(super) fn subject_number(&self) -> u32 {
        self.subject
    }

    /// Whether the exchange with this id carried it.
    pub fn came_in(&self, exchange: u64) -> bool {
        exchange != 0 && self.exchange == exchange
    }
}

/// An entry with its dictionary: what the window draws and the filter reads.
#[derive(Clone, Copy)]
pub struct EntryView<'a> {
    pub(super) entry: &'a Entry,
    pub(super) dict: &'a Dictionary,
    /// The filter's text answers per dictionary item, while the view is rebuilt.
    pub(super) memo: Option<&'a Memo>,
}

/// The memo's answer for item `id`, when it has one.
fn memo_hit(hits: &[bool], id: u32) -> Option<bool> {
    hits.get(id as usize).copied()
}

impl<'a> EntryView<'a> {
    fn text(&self, id: u32) -> Option<&'a str> {
        (id != NONE).then(|| self.dict.text_at(id)).flatten()
    }

    /// Position in the record.
    pub fn seq(&self) -> u64 {
        self.entry.seq
    }

    /// Arrival time.
    pub fn received_at(&self) -> UnixMillis {
        self.entry.received_at
    }

    /// Signature verdict.
    pub fn verdict(&self) -> Verdict {
        self.entry.verdict
    }

    /// `jti`, when present.
    pub fn jti(&self) -> Option<&'a str> {
        self.entry.jti.as_deref()
    }

    /// The local stream name.
    pub fn stream(&self) -> &'a str {
        self.text(self.entry.stream).unwrap_or("")
    }

    /// How it arrived.
    pub fn transport(&self) -> Transport {
        self.entry.transport
    }

    /// The exchange that carried it, by record id.
    pub fn exchange(&self) -> Option<u64> {
        (self.entry.exchange != 0).then_some(self.entry.exchange)
    }

    /// The verdict's explanation.
    pub fn verdict_detail(&self) -> &'a str {
        self.text(self.entry.detail).unwrap_or("")
    }

    /// The error code answered, when the receiver refused it.
    pub fn rejection(&self) -> Option<&'a str> {
        self.text(self.entry.rejection)
    }

    /// Whether the same (`iss`, `jti`) arrived before.
    pub fn redelivered(&self) -> bool {
        self.entry.redelivered
    }

    /// The events, named.
    pub fn events(&self) -> &'a [EventRef] {
        self.dict.events_at(self.entry.events)
    }

    /// The first event's name, or why there is none (as [`SetRecord::title`]).
    pub fn title(&self) -> &'a str {
        match self.events().first() {
            Some(event) => &event.name,
            None if !self.entry.decoded => "undecodable token",
            None => "no events claim",
        }
    }

    /// The subject on one line.
    pub fn subject(&self) -> &'a str {
        self.dict
            .subject_at(self.entry.subject)
            .map_or("-", |(line, _)| line)
    }

    fn findings(&self) -> &'a [(String, Level)] {
        self.dict.findings_at(self.entry.findings)
    }
}

impl EntryView<'_> {
    /// Free text answered from the memo (`None` when an item is newer than the memo).
    fn memo_text(&self, hits: &TextHits, needle: &str) -> Option<bool> {
        let e = self.entry;
        let text = |id: u32| {
            if id == NONE {
                Some(false)
            } else {
                memo_hit(&hits.texts, id)
            }
        };
        let found = memo_hit(&hits.events, e.events)?
            || memo_hit(&hits.subjects, e.subject)?
            || text(e.stream)?
            || text(e.iss)?
            || contains_folded(e.verdict.label(), needle)
            || contains_folded(e.verdict.as_str(), needle)
            || e.jti.as_deref().is_some_and(|j| contains_folded(j, needle));
        Some(found)
    }
}

impl Filterable for EntryView<'_> {
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool {
        self.events().iter().any(|e| visit(&e.uri, e.family))
    }

    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        self.dict
            .subject_at(self.entry.subject)
            .is_some_and(|(_, values)| values.iter().any(|v| visit(v)))
    }

    fn subject_line(&self) -> &str {
        self.subject()
    }

    fn stream(&self) -> &str {
        EntryView::stream(self)
    }

    fn iss(&self) -> Option<&str> {
        self.text(self.entry.iss)
    }

    fn jti(&self) -> Option<&str> {
        EntryView::jti(self)
    }

    fn verdict(&self) -> Verdict {
        self.entry.verdict
    }

    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool {
        self.findings().iter().any(|(r, l)| visit(r, *l))
    }

    fn transport(&self) -> Transport {
        self.entry.transport
    }

    fn redelivered(&self) -> bool {
        self.entry.redelivered
    }

    fn rejected(&self) -> bool {
        self.entry.rejection != NONE
    }

    fn received_at(&self) -> UnixMillis {
        self.entry.received_at
    }

    fn subject_matches(&self, needle: &str) -> bool {
        if let Some(hit) = self
            .memo
            .and_then(|m| m.subject(needle))
            .and_then(|hits| memo_hit(hits, self.entry.subject))
        {
            return hit;
        }
        self.any_subject_value(&mut |v| eq_folded(v, needle))
            || contains_folded(self.subject(), needle)
    }

    fn text_contains(&self, needle: &str) -> Option<bool> {
        if let Some(found) = self
            .memo
            .and_then(|m| m.text(needle))
            .and_then(|hits| self.memo_text(hits, needle))
        {
            return (found || !self.entry.decoded).then_some(found);
        }
        let found = compact_text_contains(
            needle,
            self.events()
                .iter()
                .map(|e| (e.uri.as_str(), e.name.as_str())),
            &[
                Some(self.subject()),
                self.entry.jti.as_deref(),
                self.iss(),
                Some(EntryView::stream(self)),
            ],
            self.entry.verdict,
        );
        // Only the claims are left to search; a SET that did not decode has none.
        if found || !self.entry.decoded {
            Some(found)
        } else {
            None
        }
    }
}
