//! What part of a record a capture keeps besides what its filter matches: a span of time
//! (SETs received, status changes and markers made, alerts alive in it), one stream, and the
//! alerts of one incident. The whole record when nothing is set.

use super::super::alerts::Alert;
use super::super::record::{SetRecord, StreamKey};
use super::super::time::UnixMillis;

/// A part of a record: each bound is optional, none set is the whole record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// From this instant on (as the filter's `after:`: at or after).
    pub from: Option<UnixMillis>,
    /// Before this instant (as the filter's `before:`).
    pub until: Option<UnixMillis>,
    /// Only this stream's SETs, status changes and markers.
    pub stream: Option<StreamKey>,
    /// Only these alerts: the run that raised them and their ids (an incident's).
    pub alerts: Option<(u64, Vec<u64>)>,
}

impl Scope {
    /// True when it keeps the whole record.
    pub fn is_whole(&self) -> bool {
        *self == Self::default()
    }

    /// Whether an instant on `stream` is in it.
    pub fn holds(&self, stream: &StreamKey, at: UnixMillis) -> bool {
        self.stream.as_ref().is_none_or(|s| s == stream)
            && self.from.is_none_or(|from| at >= from)
            && self.until.is_none_or(|until| at < until)
    }

    /// Whether a SET is in it (by its stream and receive time).
    pub fn holds_set(&self, record: &SetRecord) -> bool {
        self.holds(&record.stream, record.received_at)
    }

    /// Whether an alert raised in run `session` is in it: one of the incident's when it names
    /// one, else one of the stream's alive at some time in the span (from its first sight to
    /// its end, or still in force).
    pub fn holds_alert(&self, session: u64, alert: &Alert) -> bool {
        if let Some((run, ids)) = &self.alerts {
            return *run == session && ids.contains(&alert.id);
        }
        let end = alert
            .resolved_at
            .or(alert.unwatched_at)
            .unwrap_or(UnixMillis(i64::MAX));
        self.stream.as_ref().is_none_or(|s| *s == alert.stream)
            && self.until.is_none_or(|until| alert.first_seen < until)
            && self.from.is_none_or(|from| end >= from)
    }
}
