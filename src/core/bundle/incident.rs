//! An incident as a bundle names and takes it: `RUN-ID` (alert ids are numbered per receiver
//! run, so the run that raised the stop comes first, as captures write alerts with their
//! `session`), the stop and the alerts folded under it, and the span of the record it covers
//! (the stream, from [`MARGIN`] before the stop to its end, or to the record's end while in
//! force).

use std::fmt;

use super::super::alerts::Alert;
use super::super::capture::Scope;
use super::super::incident_story::has_story;
use super::super::time::UnixMillis;

/// How long before its stop an incident's span begins (the SETs that led to it).
pub const MARGIN: i64 = 10 * 60 * 1000;

/// An incident's name: the run that raised its stop and the stop's id in that run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IncidentId {
    /// The receiver run (a capture's alert `session`).
    pub session: u64,
    /// The stop's alert id in that run.
    pub alert: u64,
}

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.session, self.alert)
    }
}

/// An incident as the window knows it: its stop's id in the window's run, stream and first
/// sight (the window does not know its run's number; the record finds the stop by these).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentRef {
    /// The stop's alert id.
    pub alert: u64,
    /// Its stream.
    pub stream: super::super::record::StreamKey,
    /// When it was first seen.
    pub first_seen: UnixMillis,
}

impl IncidentRef {
    /// The incident `head` heads.
    pub fn of(head: &Alert) -> Self {
        Self {
            alert: head.id,
            stream: head.stream.clone(),
            first_seen: head.first_seen,
        }
    }
}

/// One incident: its stop and what is folded under it.
#[derive(Clone, Debug)]
pub struct Incident {
    /// Its name.
    pub id: IncidentId,
    /// The stop.
    pub head: Alert,
    /// The alerts folded under it, in the order they were first seen.
    pub folded: Vec<Alert>,
}

impl Incident {
    /// When it ended (resolved, or no longer watched); `None` while in force.
    pub fn end(&self) -> Option<UnixMillis> {
        self.head.resolved_at.or(self.head.unwatched_at)
    }

    /// The part of the record it covers: its stream from [`MARGIN`] before the stop to its
    /// end (included), its alerts.
    pub fn scope(&self) -> Scope {
        let mut ids = vec![self.head.id];
        ids.extend(self.folded.iter().map(|a| a.id));
        Scope {
            from: Some(UnixMillis(self.head.first_seen.0.saturating_sub(MARGIN))),
            until: self.end().map(|end| UnixMillis(end.0.saturating_add(1))),
            stream: Some(self.head.stream.clone()),
            alerts: Some((self.id.session, ids)),
        }
    }

    /// One line naming it: id, stream, what, when.
    pub fn line(&self) -> String {
        format!(
            "{}  stream {}: {} at {}",
            self.id,
            self.head.stream.0,
            self.head.kind.title(),
            self.head.first_seen.rfc3339()
        )
    }
}

/// Every incident of a record, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Incidents(pub Vec<Incident>);

impl Incidents {
    /// The incidents among a record's alerts, each with the run that raised it.
    pub fn from_alerts(alerts: impl IntoIterator<Item = (u64, Alert)>) -> Self {
        let alerts: Vec<(u64, Alert)> = alerts.into_iter().collect();
        let mut incidents: Vec<Incident> = alerts
            .iter()
            .filter(|(_, alert)| has_story(alert))
            .map(|(session, head)| {
                let mut folded: Vec<Alert> = alerts
                    .iter()
                    .filter(|(run, a)| *run == *session && a.folded_under == Some(head.id))
                    .map(|(_, a)| a.clone())
                    .collect();
                folded.sort_by_key(|a| (a.first_seen, a.id));
                Incident {
                    id: IncidentId {
                        session: *session,
                        alert: head.id,
                    },
                    head: head.clone(),
                    folded,
                }
            })
            .collect();
        incidents.sort_by_key(|i| (i.head.first_seen, i.id));
        Self(incidents)
    }

    /// The incident `text` names: `RUN-ID`, or a bare alert id when one run only has it. The
    /// error says which incidents there are.
    pub fn pick(&self, text: &str) -> Result<&Incident, String> {
        let text = text.trim();
        let found: Vec<&Incident> = match text.split_once('-') {
            Some((run, id)) => match (run.parse::<u64>(), id.parse::<u64>()) {
                (Ok(session), Ok(alert)) => self
                    .0
                    .iter()
                    .filter(|i| i.id == IncidentId { session, alert })
                    .collect(),
                _ => Vec::new(),
            },
            None => match text.parse::<u64>() {
                Ok(alert) => self.0.iter().filter(|i| i.id.alert == alert).collect(),
                Err(_) => Vec::new(),
            },
        };
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(format!(
                "no incident {text:?} in this record; {}",
                self.listing()
            )),
            many => Err(format!(
                "{text:?} names an incident in several runs; write RUN-ID: {}",
                many.iter()
                    .map(|i| i.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The incident whose stop the window names (the newest run's, should two match).
    pub fn find(&self, wanted: &IncidentRef) -> Option<&Incident> {
        self.0.iter().rev().find(|i| {
            i.head.id == wanted.alert
                && i.head.stream == wanted.stream
                && i.head.first_seen == wanted.first_seen
        })
    }

    /// What incidents there are, one per line after a lead-in (or that there are none).
    pub fn listing(&self) -> String {
        if self.0.is_empty() {
            return "it holds no incident (no stop of a stream was recorded)".to_owned();
        }
        let mut text = "it holds these (RUN-ID, as --incident takes it):".to_owned();
        for incident in &self.0 {
            text.push_str("\n  ");
            text.push_str(&incident.line());
        }
        text
    }
}
