//! Every intent the UI can express, in one place. The UI returns these; `app::apply_action` runs
//! them (view changes, reducer calls, runtime commands).

use std::sync::Arc;

use crate::core::exchange::Exchange;
use crate::core::profile::Profile;
use crate::core::record::StreamKey;
use crate::core::stream_op::StreamOp;

/// The reason given with a status change made from the window.
pub const STATUS_REASON: &str = "set from SSF Inspector";

/// A user intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Select a SET by record seq (or clear the selection), where it is: a clicked row is in
    /// view already, and following live goes on.
    Select(Option<u64>),
    /// Select a SET from the keyboard (↑/↓): scroll it into view and stop following live, which
    /// would carry it away again.
    Step(u64),
    /// Acknowledge an alert: it leaves the banner.
    Acknowledge(u64),
    /// Select the SET that is an alert's evidence and scroll to it.
    ShowEvidence(u64),
    /// Export the record as JSON Lines: to this path (relative: in the home folder), or where
    /// a save dialog asks (`None`).
    Export(Option<std::path::PathBuf>),
    /// Save a capture (SETs with their exchanges, alerts, status changes and markers): to this
    /// path (relative: in the home folder), or where a save dialog asks (`None`).
    SaveCapture(Option<std::path::PathBuf>),
    /// Open the Export window on an incident's evidence bundle (its *Export evidence…*).
    OpenEvidence(crate::core::bundle::incident::IncidentRef),
    /// Export an evidence bundle (a folder, or a zip when the path ends in `.zip`): to this path
    /// (relative: in the home folder), or where a save dialog asks (`None`); of one incident, or
    /// of what the timeline shows.
    ExportEvidence {
        /// Where.
        path: Option<std::path::PathBuf>,
        /// The incident, by its stop.
        incident: Option<crate::core::bundle::incident::IncidentRef>,
    },
    /// Decode pasted text (*Decode*), with a saved profile's keys when one is named.
    DecodePasted {
        /// The text.
        text: String,
        /// The profile whose transmitter's keys verify the signatures.
        profile: Option<String>,
    },
    /// Send a SET once more to a push endpoint (*Replay*).
    Replay(crate::core::replay::ReplayRequest),
    /// Keep SETs in memory this session, instead of the record that cannot be opened.
    UseMemoryRecord,
    /// Add `field:value` to the timeline's filter (a click on an event type or a subject).
    AddFilterTerm(&'static str, String),
    /// Test a profile's connection as typed (metadata, keys, authorization, the stream list).
    TestConnection {
        /// The profile as typed.
        profile: Box<Profile>,
        /// Literal secrets (key, value) typed in the form, used for the test only.
        secrets: Vec<(String, String)>,
    },
    /// Save a profile; `secrets` are the literal values to store (key, value). The profile
    /// itself holds only references.
    SaveProfile {
        /// The profile.
        profile: Box<Profile>,
        /// Literal secrets to keep in the secrets file, keyed `"{name}.token"` and so on.
        secrets: Vec<(String, String)>,
    },
    /// Remove a saved profile (and its stored secrets).
    RemoveProfile(String),
    /// Start receiving with a saved profile.
    StartProfile(String),
    /// Stop a stream's session.
    StopStream(StreamKey),
    /// Play the built-in demo again from its start, on a fresh in-memory record (the app
    /// starts its runtime again: see `restart`).
    ResetDemo,
    /// A management operation on a running stream.
    StreamOp {
        /// The stream.
        key: StreamKey,
        /// What to do.
        op: StreamOp,
    },
    /// Show one HTTP exchange in the details panel (or close it).
    SelectExchange(Option<Arc<Exchange>>),
    /// Switch to the exchanges view and select the exchange with this record id (the evidence
    /// of an alert, or what carried a SET).
    ShowExchange(u64),
    /// Open a capture, an evidence bundle or a record read-only beside the live streams: this
    /// path, or the one a file dialog asks for (`None`).
    OpenFile(Option<std::path::PathBuf>),
    /// Close an opened file (by its number).
    CloseFile(u64),
    /// Open the subject history window for this subject (a line as the window writes
    /// subjects, JSON or a plain value).
    OpenSubjectHistory(String),
}
