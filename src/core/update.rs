//! Messages from the runtime to the state: finished domain values, applied by the one reducer
//! (`InspectorState::apply`).

use std::sync::Arc;

use super::exchange::Exchange;
use super::marker::Marker;
use super::profile::Profile;
use super::record::{SetRecord, StreamKey};
use super::stream::{Connection, StatusSource, StreamInfo, StreamStatus};
use super::time::UnixMillis;

/// How important a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    /// Something finished.
    Info,
    /// Something failed; the text says what to do.
    Error,
}

/// One message from the runtime.
#[derive(Clone, Debug)]
pub enum Update {
    /// The receiver started watching a stream.
    StreamAdded {
        /// Local name.
        key: StreamKey,
        /// Label for the screen.
        label: String,
    },
    /// The receiver's connection to a stream changed.
    Connection {
        /// Stream.
        key: StreamKey,
        /// New state.
        connection: Connection,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// The stream exists at the transmitter.
    StreamConfigured {
        /// Stream.
        key: StreamKey,
        /// What was learned.
        info: StreamInfo,
    },
    /// A status learned other than from a SET (a status-endpoint read).
    Status {
        /// Stream.
        key: StreamKey,
        /// Status.
        status: StreamStatus,
        /// Reason, when given.
        reason: Option<String>,
        /// Who said so.
        source: StatusSource,
        /// When.
        at: UnixMillis,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// A status read answered a status SSF does not define (`"failed"`): quoted, a warning.
    UnknownStatus {
        /// Stream.
        key: StreamKey,
        /// The value, as answered (clipped).
        value: String,
        /// When.
        at: UnixMillis,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// Another process of this receiver acted on the stream (the journal of own actions).
    OwnAction {
        /// Stream.
        key: StreamKey,
        /// What it did, and how far it went.
        entry: super::own_action::OwnActionEntry,
    },
    /// A SET was received and stored (accepted or rejected).
    Set(Arc<SetRecord>),
    /// An HTTP exchange the receiver made or answered (credentials redacted).
    Exchange(Arc<Exchange>),
    /// The stream's configuration as the transmitter last returned it.
    StreamConfig {
        /// Stream.
        key: StreamKey,
        /// The configuration object.
        config: serde_json::Value,
        /// The answer to a change the receiver made (create, update, replace): the new
        /// baseline, never a change "under the receiver".
        set_by_receiver: bool,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// The transmitter's metadata document, as fetched (unknown members included).
    Metadata {
        /// Stream.
        key: StreamKey,
        /// The document.
        document: serde_json::Value,
        /// The legacy location it came from (`sse-configuration`, …), when not the SSF one.
        legacy: Option<String>,
    },
    /// The transmitter's JWKS was fetched: the keys it lists now.
    Keys {
        /// Stream.
        key: StreamKey,
        /// The keys listed.
        keys: Vec<super::keys::KeyInfo>,
        /// When.
        at: UnixMillis,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// The transmitter's JWKS could not be fetched.
    KeysUnreachable {
        /// Stream.
        key: StreamKey,
        /// What went wrong.
        error: String,
        /// When.
        at: UnixMillis,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// The saved profiles changed (or were loaded).
    Profiles(Vec<Profile>),
    /// The receiver asked for a verification SET with this `state`.
    VerificationRequested {
        /// Stream.
        key: StreamKey,
        /// The `state` sent.
        state: String,
        /// When.
        at: UnixMillis,
    },
    /// The verification request announced by `VerificationRequested` was sent: its exchange is
    /// the evidence if the answer never comes.
    VerificationSent {
        /// Stream.
        key: StreamKey,
        /// The request's exchange, by record id.
        exchange: u64,
    },
    /// A verification request was refused or could not be sent: no answer is awaited.
    VerificationFailed {
        /// Stream.
        key: StreamKey,
        /// What went wrong, in words.
        error: String,
        /// The request's exchange, when it was recorded.
        exchange: Option<u64>,
        /// When.
        at: UnixMillis,
        /// The user asked for it (*Verify*, `stream verify`), not the heartbeat: its refusal is
        /// told as the operation's outcome, no alert.
        by_user: bool,
    },
    /// Streams listed before the receiver created its own were gone after the create.
    StreamsReplaced {
        /// Stream.
        key: StreamKey,
        /// The vanished streams, each as `id` (and its description or delivery, when known).
        replaced: Vec<String>,
        /// The create's exchange.
        exchange: Option<u64>,
        /// When.
        at: UnixMillis,
    },
    /// A polled SET came again after the receiver had acknowledged it: not stored again.
    AcksIgnored {
        /// Stream.
        key: StreamKey,
        /// The SET's `jti`.
        jti: String,
        /// How many copies came after an acknowledgement, on this stream so far.
        repeats: u64,
        /// How many SETs came again after the receiver refused them in `setErrs`, so far.
        refused_repeats: u64,
        /// The poll answer that carried the latest copy.
        exchange: u64,
        /// When.
        at: UnixMillis,
    },
    /// The receiver deleted the stream itself (an operation the user asked for): what follows
    /// (404s, silence) is the receiver's own doing, not the transmitter's.
    DeletedByReceiver {
        /// Stream.
        key: StreamKey,
        /// When.
        at: UnixMillis,
    },
    /// The session of this stream ended (stopped, or its set-up failed or was declined): it
    /// can be started again.
    SessionEnded {
        /// Stream.
        key: StreamKey,
    },
    /// Which ways of noticing a stop this stream has (and why not).
    Coverage {
        /// Stream.
        key: StreamKey,
        /// The ways.
        coverage: super::coverage::Coverage,
    },
    /// The transmitter no longer has the stream: a configuration read answered 404, or no
    /// longer lists it, or answers for another stream instead.
    StreamGone {
        /// Stream.
        key: StreamKey,
        /// How it was found out, quoting the transmitter.
        why: String,
        /// When it was found out.
        at: UnixMillis,
        /// The exchange that told it (the evidence of what it raises), when one did.
        exchange: Option<u64>,
    },
    /// A push was refused for its Authorization header (someone else may be sending).
    PushRefused {
        /// Stream.
        key: StreamKey,
        /// When.
        at: UnixMillis,
        /// The refused request, by record id.
        exchange: u64,
    },
    /// The receiver started or stopped watching a stream (live, or reloaded from the record).
    Marker(Marker),
    /// Alerts of earlier runs, reloaded from the record: listed, never raised again.
    EarlierAlerts(Vec<super::alerts::Alert>),
    /// Stream status changes of earlier runs, from the record: each stream's status history.
    EarlierStatus(Vec<super::effects::StatusChange>),
    /// A profile's *Test connection*, as far as it has gone.
    ConnectionTest(Box<super::connection_test::ConnectionTest>),
    /// Text pasted into the window, decoded (*Decode*).
    Pasted(Box<super::pasted::Pasted>),
    /// A SET sent again (*Replay*): the endpoint's answer, or why it was not sent.
    Replayed(Box<super::replay::ReplayOutcome>),
    /// How the stream is watched (silence threshold, heartbeat timeout).
    Watch {
        /// Stream.
        key: StreamKey,
        /// Settings.
        watch: super::stream::Watch,
    },
    /// SETs from earlier sessions, reloaded from the record as what their analysis concluded
    /// (in order): they go on the timeline and raise nothing (their alerts were raised, and
    /// acknowledged or not, back then).
    Reloaded(Vec<super::set_summary::SetSummary>),
    /// How many SETs the record holds, told before their parts come (`Reloaded`).
    Reloading {
        /// SETs to come.
        total: usize,
    },
    /// A SET read from the record for the window (its details), on request.
    SetLoaded(Arc<SetRecord>),
    /// A SET asked for that the record cannot give, and why.
    SetUnavailable {
        /// Its seq.
        seq: u64,
        /// Why.
        reason: String,
    },
    /// The record's answer to [`Unresolved`](super::timeline::Unresolved) SETs, a part at a
    /// time: `(seq, matches)`.
    Matched {
        /// The timeline's rebuild it answers.
        generation: u64,
        /// Each SET checked and whether the filter matches it.
        answers: Vec<(u64, bool)>,
    },
    /// Whether SETs reach the durable record (sent at start and on every change).
    RecordHealth(super::record_health::RecordHealth),
    /// The answer to a stream operation the user asked for (told in the status bar too).
    OpOutcome(super::stream_op::OpOutcome),
    /// About a file opened read-only beside the live streams (a capture, a bundle, a record):
    /// the app hands it to `core::opened::OpenedFiles`; the live state takes nothing from it.
    Opened {
        /// The opened file, as numbered when the user asked to open it.
        id: u64,
        /// What happened.
        update: OpenedUpdate,
    },
    /// A one-off message for the status bar.
    Notice {
        /// Level.
        level: NoticeLevel,
        /// Text.
        text: String,
    },
}

/// What the runtime tells of a file it opens for the window (`Update::Opened`).
#[derive(Clone, Debug)]
pub enum OpenedUpdate {
    /// The file is being read: what it is and, for a capture, what its header says.
    Began(Box<super::opened_info::OpenedHeader>),
    /// Its contents, as a reopened record's are told (`Reloading`, `Reloaded`, `Exchange`,
    /// `EarlierAlerts`, `EarlierStatus`) and what the window asked of it (`SetLoaded`,
    /// `SetUnavailable`, `Matched`); any other update is not taken.
    Contents(Box<Update>),
    /// Its receiver markers (written after its SETs), put among them by time.
    Markers(Vec<Marker>),
    /// A line that could not be read (cut short, corrupt): said, skipped, the rest read.
    Problem(String),
    /// Everything in it has been read.
    Loaded,
    /// It cannot be opened, and why.
    Failed(String),
    /// The user cancelled the file dialog: nothing was opened.
    Cancelled,
    /// A bundle's manifest checked against its files.
    Manifest(super::opened_info::ManifestCheck),
    /// Its SETs checked again with the keys it carries: the counts so far, and the SETs found
    /// to differ since the last part.
    Reverified(super::opened_info::Reverified),
}
