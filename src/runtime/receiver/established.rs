//! A session that is up: what it needs to keep the stream and clean up after itself.

use std::sync::Arc;

use serde_json::Value;

use super::keys::KeyCache;
use super::setup_plan;
use super::shared::Health;
use super::source::Source;
use crate::core::coverage::Coverage;

/// A session that is up: what it needs to keep the stream and clean up after itself.
pub(super) struct Established {
    pub(super) metadata: crate::core::discovery::TransmitterMetadata,
    /// The transmitter's id of the stream (empty for a transmitter whose streams have none).
    pub(super) stream_id: String,
    pub(super) min_verification_interval: u64,
    pub(super) undo: setup_plan::Undo,
    /// How its SETs arrive (receiving since set-up; it stops with the session).
    pub(super) source: Box<dyn Source>,
    /// The delivery the receiver set (what a PUT sends back).
    pub(super) delivery: Value,
    /// The stream's delivery reaches this receiver (an attached push stream may deliver to
    /// another receiver: no verification is asked of it).
    pub(super) delivers_here: bool,
    pub(super) keys: Arc<KeyCache>,
    /// The ways of noticing a stop this stream has.
    pub(super) coverage: Coverage,
    /// Whether delivery works (the source's word), and the status the transmitter last told.
    pub(super) health: Arc<Health>,
    /// What other processes of this receiver do to the stream (read before each status read).
    pub(super) own: Option<Arc<crate::runtime::journal::JournalReader>>,
    /// The streams this profile made, remembered (a created stream is forgotten once deleted).
    pub(super) memory: Option<crate::runtime::own_streams::OwnStreams>,
}
