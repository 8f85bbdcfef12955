//! What a call of the reducer changed that must leave the state: the alerts it raised (for
//! notifications and `watch`), every alert it raised or changed, and every stream status change,
//! each with its own time, who said so and the evidence. `InspectorState::apply`, `tick` and
//! `acknowledge` return them; one sink writes them to the record, so nobody diffs the state to
//! find what changed.

use super::alerts::Alert;
use super::record::StreamKey;
use super::stream::{StatusSource, StreamStatus};
use super::time::UnixMillis;

/// One stream status change, as the record's status history keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    /// Stream.
    pub stream: StreamKey,
    /// New status.
    pub status: StreamStatus,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Who said so: `stream_updated #seq`, `status_read` or `receiver`.
    pub source: String,
    /// When it changed.
    pub at: UnixMillis,
    /// The exchange that told it (a status read, the receiver's own change), when one did; a
    /// stream-updated SET is named in `source`.
    pub exchange: Option<u64>,
}

impl StatusChange {
    /// The record's name of who said so.
    pub fn source_name(source: StatusSource) -> String {
        match source {
            StatusSource::StreamUpdated { seq } => format!("stream_updated #{seq}"),
            StatusSource::StatusRead => "status_read".to_owned(),
            StatusSource::Receiver => "receiver".to_owned(),
        }
    }

    /// Who said so, read back from the record's name ([`Self::source_name`]); `None` for a
    /// name this version does not write.
    pub fn source(&self) -> Option<StatusSource> {
        match self.source.as_str() {
            "status_read" => Some(StatusSource::StatusRead),
            "receiver" => Some(StatusSource::Receiver),
            other => {
                let seq = other.strip_prefix("stream_updated #")?.parse().ok()?;
                Some(StatusSource::StreamUpdated { seq })
            }
        }
    }

    /// The change as a stream's status history holds it (`None` for an unknown source).
    pub fn entry(&self) -> Option<super::stream::StatusEntry> {
        Some(super::stream::StatusEntry {
            at: self.at,
            status: self.status,
            reason: self.reason.clone(),
            source: self.source()?,
            exchange: self.exchange,
        })
    }
}

/// What one call of the reducer changed, in the order it changed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effects {
    /// Alerts raised by this call (new ones only).
    pub raised: Vec<Alert>,
    /// Every alert this call raised or changed (seen again, folded, resolved, acknowledged),
    /// once each, as it is after the call.
    pub alerts: Vec<Alert>,
    /// Every stream status change this call made, oldest first.
    pub statuses: Vec<StatusChange>,
}

impl Effects {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty() && self.statuses.is_empty()
    }

    /// Add what a later call changed (kept in order: an alert changed twice is written twice,
    /// the later state last).
    pub fn extend(&mut self, later: Self) {
        self.raised.extend(later.raised);
        self.alerts.extend(later.alerts);
        self.statuses.extend(later.statuses);
    }
}
