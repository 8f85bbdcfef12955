//! What a bundle's capture holds, counted as its items are read back one at a time: SETs by
//! event type, subject, verdict and stream, the time they cover, the alerts, status changes and
//! markers themselves (few), and how many exchanges and findings.

use std::collections::{BTreeMap, HashMap};

use super::super::alerts::Alert;
use super::super::capture::Item;
use super::super::effects::StatusChange;
use super::super::marker::Marker;
use super::super::time::UnixMillis;

/// The counts of a capture's items.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// SETs.
    pub sets: u64,
    /// SETs by event name (the URI when the catalogue does not know it); a SET with two events
    /// counts for both.
    pub by_type: BTreeMap<String, u64>,
    /// SETs by subject, as its line shows it (`(none)` without one).
    pub by_subject: HashMap<String, u64>,
    /// SETs by verdict.
    pub by_verdict: BTreeMap<&'static str, u64>,
    /// SETs by stream.
    pub by_stream: BTreeMap<String, u64>,
    /// SETs with lint findings.
    pub with_findings: u64,
    /// The first and the last instant of anything held (SETs, alerts, status changes,
    /// markers, exchanges).
    pub first: Option<UnixMillis>,
    /// See `first`.
    pub last: Option<UnixMillis>,
    /// The alerts, with the run that raised each.
    pub alerts: Vec<(Option<u64>, Alert)>,
    /// The status changes.
    pub statuses: Vec<StatusChange>,
    /// The markers.
    pub markers: Vec<Marker>,
    /// Exchanges.
    pub exchanges: u64,
}

impl Tally {
    /// Count one item.
    pub fn take(&mut self, item: &Item) {
        match item {
            Item::Set(record) => {
                self.sets += 1;
                self.seen(record.received_at);
                for event in &record.events {
                    *self.by_type.entry(event.name.clone()).or_default() += 1;
                }
                if record.events.is_empty() {
                    *self.by_type.entry("(no event)".to_owned()).or_default() += 1;
                }
                let subject = if record.subject.is_empty() {
                    "(none)"
                } else {
                    record.subject.as_str()
                };
                *self.by_subject.entry(subject.to_owned()).or_default() += 1;
                *self
                    .by_verdict
                    .entry(record.verification.verdict.as_str())
                    .or_default() += 1;
                *self.by_stream.entry(record.stream.0.clone()).or_default() += 1;
                if !record.findings.is_empty() {
                    self.with_findings += 1;
                }
            }
            Item::Exchange(exchange) => {
                self.exchanges += 1;
                self.seen(exchange.at);
            }
            Item::Alert { session, alert } => {
                self.seen(alert.first_seen);
                self.seen(alert.last_seen);
                self.alerts.push((*session, alert.as_ref().clone()));
            }
            Item::Status(change) => {
                self.seen(change.at);
                self.statuses.push(change.clone());
            }
            Item::Marker(marker) => {
                self.seen(marker.at);
                self.markers.push(marker.clone());
            }
        }
    }

    fn seen(&mut self, at: UnixMillis) {
        self.first = Some(self.first.map_or(at, |first| first.min(at)));
        self.last = Some(self.last.map_or(at, |last| last.max(at)));
    }

    /// The subjects with the most SETs first (then by name), at most `n`, and how many others.
    pub fn top_subjects(&self, n: usize) -> (Vec<(&str, u64)>, usize) {
        let mut subjects: Vec<(&str, u64)> = self
            .by_subject
            .iter()
            .map(|(s, count)| (s.as_str(), *count))
            .collect();
        subjects.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let others = subjects.len().saturating_sub(n);
        subjects.truncate(n);
        (subjects, others)
    }
}
