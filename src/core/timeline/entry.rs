//! The compact form of a SET on the timeline: one small [`Entry`] per SET, its repeated texts
//! (stream, issuer, event lists, subjects, findings, verdict explanations) held once in a
//! [`Dictionary`] and named by number. An entry answers every filter term but free text over
//! the claims ([`EntryView`] is its [`Filterable`]); the full SET is loaded when it is shown.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use super::super::events::{EventRef, Family};
use super::super::filter::{Filterable, contains_folded, eq_folded};
use super::super::lint::Level;
use super::super::record::{SetRecord, Transport};
use super::super::set_summary::{SetSummary, compact_text_contains};
use super::super::time::UnixMillis;
use super::super::verify::Verdict;
use super::memo::{Memo, TextHits};

/// "None" for an optional interned text.
const NONE: u32 = u32::MAX;

/// Each distinct value once, named by its position.
#[derive(Debug)]
struct Interner<K: ?Sized + Hash + Eq> {
    items: Vec<Arc<K>>,
    index: HashMap<Arc<K>, u32>,
}

impl<K: ?Sized + Hash + Eq> Default for Interner<K> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq> Interner<K> {
    /// The number of `key`, kept when it is new.
    fn id_owned(&mut self, key: K) -> u32 {
        if let Some(id) = self.index.get(&key) {
            return *id;
        }
        let id = u32::try_from(self.items.len()).unwrap_or(NONE - 1);
        let value = Arc::new(key);
        self.items.push(Arc::clone(&value));
        self.index.insert(value, id);
        id
    }
}

impl<K: ?Sized + Hash + Eq> Interner<K> {
    /// The number of `key`, taking `make` (an owned copy) only when it is new.
    fn id(&mut self, key: &K, make: impl FnOnce() -> Arc<K>) -> u32 {
        if let Some(id) = self.index.get(key) {
            return *id;
        }
        let id = u32::try_from(self.items.len()).unwrap_or(NONE - 1);
        let value = make();
        self.items.push(Arc::clone(&value));
        self.index.insert(value, id);
        id
    }

    fn get(&self, id: u32) -> Option<&K> {
        self.items.get(id as usize).map(AsRef::as_ref)
    }
}

/// A subject: its line and the member values `subject:` compares.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct Subject {
    line: String,
    values: Vec<String>,
}

/// The texts entries name by number.
#[derive(Debug, Default)]
pub struct Dictionary {
    texts: Interner<str>,
    event_lists: Interner<[String]>,
    /// The catalogue's names of each event list, by the same number.
    named: Vec<Arc<[EventRef]>>,
    subjects: Interner<Subject>,
    finding_lists: Interner<[(String, Level)]>,
}

impl Dictionary {
    fn text(&mut self, text: &str) -> u32 {
        self.texts.id(text, || Arc::from(text))
    }

    fn optional(&mut self, text: Option<&str>) -> u32 {
        text.map_or(NONE, |t| self.text(t))
    }

    fn events(&mut self, uris: &[String]) -> u32 {
        let before = self.event_lists.items.len();
        let id = self
            .event_lists
            .id(uris, || Arc::from(uris.to_vec().into_boxed_slice()));
        if self.event_lists.items.len() > before {
            self.named
                .push(uris.iter().map(|u| EventRef::from_uri(u)).collect());
        }
        id
    }

    fn subject(&mut self, line: &str, values: &[String]) -> u32 {
        let key = Subject {
            line: line.to_owned(),
            values: values.to_vec(),
        };
        self.subjects.id_owned(key)
    }

    fn findings(&mut self, findings: &[(String, Level)]) -> u32 {
        self.finding_lists
            .id(findings, || Arc::from(findings.to_vec().into_boxed_slice()))
    }

    pub(super) fn each_text(&self) -> impl Iterator<Item = &str> {
        self.texts.items.iter().map(AsRef::as_ref)
    }

    pub(super) fn each_event_list(&self) -> impl Iterator<Item = &[EventRef]> {
        self.named.iter().map(AsRef::as_ref)
    }

    pub(super) fn each_subject(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.subjects
            .items
            .iter()
            .map(|s| (s.line.as_str(), s.values.as_slice()))
    }

    /// How many distinct texts, event lists, subjects and finding lists are held.
    pub fn sizes(&self) -> [usize; 4] {
        [
            self.texts.items.len(),
            self.event_lists.items.len(),
            self.subjects.items.len(),
            self.finding_lists.items.len(),
        ]
    }
}

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
        (id != NONE).then(|| self.dict.texts.get(id)).flatten()
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
        self.dict
            .named
            .get(self.entry.events as usize)
            .map_or(&[], |e| e.as_ref())
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
            .subjects
            .get(self.entry.subject)
            .map_or("-", |s| s.line.as_str())
    }

    fn findings(&self) -> &'a [(String, Level)] {
        self.dict
            .finding_lists
            .get(self.entry.findings)
            .unwrap_or(&[])
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
            .subjects
            .get(self.entry.subject)
            .is_some_and(|s| s.values.iter().any(|v| visit(v)))
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
