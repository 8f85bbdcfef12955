//! Which streams' transmitter-side status changed since it was last written to the record, with
//! who said so (a stream-updated SET or a status read): the record's stream status history.

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

/// The last status written per stream.
#[derive(Debug, Default)]
pub struct StatusLedger {
    written: HashMap<StreamKey, (StreamStatus, UnixMillis)>,
}

impl StatusLedger {
    /// The streams whose status changed since last asked; they count as written from now on.
    pub fn changes(&mut self, streams: &BTreeMap<StreamKey, StreamState>) -> Vec<StatusChange> {
        let mut changed = Vec::new();
        for stream in streams.values() {
            let Some((at, source)) = &stream.status_changed else {
                continue;
            };
            let now = (stream.status, *at);
            if self.written.get(&stream.key) == Some(&now) {
                continue;
            }
            self.written.insert(stream.key.clone(), now);
            changed.push(StatusChange {
                stream: stream.key.clone(),
                status: stream.status,
                reason: stream.status_reason.clone(),
                source: match source {
                    StatusSource::StreamUpdated { seq } => format!("stream_updated #{seq}"),
                    StatusSource::StatusRead => "status_read".to_owned(),
                    StatusSource::Receiver => "receiver".to_owned(),
                },
                at: *at,
            });
        }
        changed
    }
}
