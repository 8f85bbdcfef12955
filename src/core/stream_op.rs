//! The management operations on a running stream, one type for everyone who asks for them: the
//! window's stream actions, the `stream` command line and the runtime's session that performs
//! them; and `OpOutcome`, the session's answer to one.

use serde_json::Value;

use super::record::StreamKey;
use super::stream::{StreamChange, StreamStatus};

/// One operation on a stream.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamOp {
    /// GET the configuration.
    ReadConfig,
    /// GET the status.
    ReadStatus,
    /// POST a status change (receiver-initiated: the transmitter sends no stream-updated for it).
    SetStatus {
        /// New status.
        status: StreamStatus,
        /// Reason to give.
        reason: Option<String>,
    },
    /// POST a verification request with a fresh `state`.
    RequestVerification,
    /// POST add subject (a validated Subject Identifier).
    AddSubject(Value),
    /// POST remove subject.
    RemoveSubject(Value),
    /// PATCH or PUT the receiver-supplied configuration.
    Configure(StreamChange),
    /// DELETE the stream at the transmitter.
    Delete,
    /// Make the push endpoint answer with a fault (or normally again).
    SetPushFault(PushFault),
}

/// A fault the push endpoint injects on purpose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PushFault {
    /// Answer normally.
    #[default]
    None,
    /// Answer every push with this status (429 or 503), without storing the SET.
    Answer(u16),
    /// Wait this long before handling each push.
    DelayMillis(u64),
}

/// The runtime's answer to an operation the user asked for on a stream: what was done, in words,
/// or why it was not (refused, failed, or never sent). The window's forms wait for it: a form
/// closes on success and keeps the user's edit with the error on failure.
#[derive(Clone, Debug, PartialEq)]
pub struct OpOutcome {
    /// The stream.
    pub key: StreamKey,
    /// The operation asked for.
    pub op: StreamOp,
    /// What was done, or why it was not.
    pub result: Result<String, String>,
}

impl OpOutcome {
    /// The outcome as the status bar says it: the stream's name, then what happened.
    pub fn text(&self) -> String {
        match &self.result {
            Ok(text) | Err(text) => format!("{}: {text}", self.key),
        }
    }
}
