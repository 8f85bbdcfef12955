//! The stream status changes not yet written to the record, each with its time and who said so
//! (a stream-updated SET, a status read, this receiver): the record's stream status history.

use std::collections::{BTreeMap, HashMap};

use super::record::StreamKey;
use super::stream::{StatusSource, StreamState, StreamStatus};
use super::time::UnixMillis;

/// One status change to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    /// Stream.
    pub stream: StreamKey,
    /// New status.
    pub status: StreamStatus,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Who said so: `stream_updated #seq` or `status_read`.
    pub source: String,
    /// When.
    pub at: UnixMillis,
}

/// How many of each stream's status changes were written.
#[derive(Debug, Default)]
pub struct StatusLedger {
    written: HashMap<StreamKey, u64>,
}

impl StatusLedger {
    /// Every status change not written yet, each with its own time and source, oldest first
    /// (however many came since last asked, up to the history a stream keeps); they count as
    /// written from now on.
    pub fn changes(&mut self, streams: &BTreeMap<StreamKey, StreamState>) -> Vec<StatusChange> {
        let mut changed = Vec::new();
        for stream in streams.values() {
            let written = self.written.entry(stream.key.clone()).or_insert(0);
            let seen = std::mem::replace(written, stream.status_changes);
            changed.extend(stream.status_changes_since(seen).map(|entry| StatusChange {
                stream: stream.key.clone(),
                status: entry.status,
                reason: entry.reason.clone(),
                source: match entry.source {
                    StatusSource::StreamUpdated { seq } => format!("stream_updated #{seq}"),
                    StatusSource::StatusRead => "status_read".to_owned(),
                    StatusSource::Receiver => "receiver".to_owned(),
                },
                at: entry.at,
            }));
        }
        changed
    }
}
