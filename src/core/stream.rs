//! A stream as the receiver sees it: its configuration, the transmitter-side status, and the
//! health of the receiver's own connection to it.

use serde::Serialize;

use super::record::{StreamKey, Transport};
use super::time::UnixMillis;

/// The local name of the built-in demo stream.
pub const DEMO_STREAM: &str = "demo";

/// The most status changes a stream keeps this run (the record keeps them all).
pub const STATUS_HISTORY_KEPT: usize = 500;

/// One change of a stream's status: when, to what, who said so, and the evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEntry {
    /// When.
    pub at: UnixMillis,
    /// The new status.
    pub status: StreamStatus,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Who: the transmitter by stream-updated (the SET is the evidence), a status read, or
    /// this receiver.
    pub source: StatusSource,
    /// The HTTP exchange that carried or found it, when known.
    pub exchange: Option<u64>,
}

/// The transmitter-side status of a stream (SSF §8.1.2).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub enum StreamStatus {
    /// Not known yet.
    #[default]
    Unknown,
    /// Events are transmitted.
    Enabled,
    /// Events are held (and may be dropped).
    Paused,
    /// Events are dropped.
    Disabled,
}

super::vocab::serde_by_name!(StreamStatus);

impl StreamStatus {
    /// Parse an SSF status value (`unknown` is this receiver's word, not SSF's: `None`).
    pub fn parse(value: &str) -> Option<Self> {
        value.parse().ok().filter(|status| *status != Self::Unknown)
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Who told the receiver about a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusSource {
    /// A verified stream-updated SET (its record seq).
    StreamUpdated {
        /// The SET's record number.
        seq: u64,
    },
    /// A read of the status endpoint.
    StatusRead,
    /// The receiver set it (pause, enable, disable from the window or the CLI): the
    /// transmitter sends no stream-updated for it, and it is never an alert.
    Receiver,
}

/// The receiver's own connection to a stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "detail")]
pub enum Connection {
    /// Starting up (discovery, keys, listener, stream set-up).
    Connecting(String),
    /// Receiving.
    Connected,
    /// Set-up or delivery failed; what to do is in the text.
    Failed(String),
    /// The receiver chose not to set the stream up, to harm no one's stream (a stream of
    /// others is listed, a create would take one over); what to do is in the text. Nothing
    /// stopped at the transmitter: a warning, never a critical alert.
    Declined(String),
    /// The receiver stopped it.
    Stopped,
}

/// What the runtime learned when it set a stream up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StreamInfo {
    /// Transmitter issuer (validated).
    pub issuer: String,
    /// Transmitter's `stream_id`.
    pub stream_id: String,
    /// Push or poll.
    pub transport: Transport,
    /// Where SETs arrive (push) or are fetched from (poll).
    pub endpoint: String,
    /// `events_delivered` from the stream configuration.
    pub events_delivered: Vec<String>,
    /// Each URL the receiver calls without TLS (plain http to this machine, or elsewhere when
    /// the profile allows it), one per URL.
    pub no_tls: Vec<super::tls_rule::NoTls>,
}

/// Everything the UI shows about one stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamState {
    /// Local name.
    pub key: StreamKey,
    /// What to call it on screen.
    pub label: String,
    /// Set once the stream exists at the transmitter.
    pub info: Option<StreamInfo>,
    /// The stream configuration as the transmitter last returned it.
    pub config: Option<serde_json::Value>,
    /// Transmitter-side status.
    pub status: StreamStatus,
    /// The reason given with the last status change.
    pub status_reason: Option<String>,
    /// When the status last changed, and who said so.
    pub status_changed: Option<(UnixMillis, StatusSource)>,
    /// Every change of the status this run, oldest first (at most [`STATUS_HISTORY_KEPT`]).
    pub status_history: std::collections::VecDeque<StatusEntry>,
    /// Receiver-side connection.
    pub connection: Connection,
    /// SETs received on this stream.
    pub sets_received: u64,
    /// Time of the last SET.
    pub last_set_at: Option<UnixMillis>,
    /// When the receiver started watching (or, after its record refused SETs, resumed).
    pub watching_since: UnixMillis,
    /// The receiver's record refused SETs since a status read last found the stream enabled:
    /// a stop found by a status read may have been announced in a refused stream-updated.
    pub sets_refused: bool,
    /// How this stream is watched for silence and heartbeats.
    pub watch: Watch,
    /// The verification the receiver is waiting for: its `state` and when it was requested.
    pub pending_verification: Option<(String, UnixMillis)>,
    /// Round-trip time of the last answered verification.
    pub verification_rtt_millis: Option<i64>,
    /// Gaps between the latest SETs (at most [`GAPS_KEPT`]), to learn the stream's cadence.
    pub recent_gaps_millis: std::collections::VecDeque<i64>,
    /// The exchange of the pending verification request, once it was sent.
    pub verification_exchange: Option<u64>,
    /// The signing keys listed and used (rotation, removal).
    pub keys: super::keys::KeyBook,
    /// The transmitter's metadata as fetched, and the legacy location it came from.
    pub metadata: Option<(serde_json::Value, Option<String>)>,
    /// Which ways of noticing a stop this stream has (known once it is set up).
    pub coverage: Option<super::coverage::Coverage>,
    /// The receiver itself deleted the stream (the user asked): not the transmitter's doing.
    pub deleted_by_receiver: bool,
    /// Since when the transmitter no longer has the stream (deleted or replaced there, found by
    /// a read); `None` again once it answers for the stream (a status read, a stream-updated, a
    /// new set-up). Nothing is awaited of a gone stream: no silence, no heartbeat.
    pub gone_at: Option<UnixMillis>,
    /// Polled copies of SETs that came again after they were acknowledged.
    pub repeats_after_ack: u64,
    /// By poll: SETs delivered again after the receiver refused them in `setErrs`.
    pub refused_repeats: u64,
    /// The session ended (its connection shows why): it can be started again.
    pub session_ended: bool,
    /// The `state`s of the latest verification requests (at most [`ASKED_KEPT`]): an answer
    /// to an earlier request that a newer one replaced is late, not unasked.
    pub asked_states: std::collections::VecDeque<String>,
    /// The stream was set up (configured, or connected): a failure from then on is the
    /// stream's, before it the set-up's.
    pub set_up: bool,
    /// The alerts of this session (the stream added, or started again) have higher ids: a stop
    /// of an earlier session is no cause of this one's troubles.
    pub alerts_after: u64,
}

/// How much earlier than the receiver started watching a verification SET's `iat` must be to
/// be taken for an earlier run's (clocks of two machines differ a little).
pub const ISSUED_BEFORE_SKEW_MILLIS: i64 = 5_000;

/// How long an action another process of this receiver asked stays expected.
pub const OWN_PENDING_MILLIS: i64 = 60_000;

/// How many verification `state`s asked for are remembered.
pub const ASKED_KEPT: usize = 8;

/// How many gaps between SETs are kept to learn a stream's cadence.
pub const GAPS_KEPT: usize = 32;
/// Gaps needed before a cadence is learned.
pub const GAPS_TO_LEARN: usize = 8;
/// A learned silence threshold is never shorter than this.
pub const LEARNED_FLOOR_MILLIS: i64 = 30_000;

/// How a stream is watched when the transmitter does not tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Watch {
    /// Raise a "silent" alert after this long without any SET (`None`: learn it from the
    /// traffic seen, see [`StreamState::learned_silence_millis`]).
    pub silence_after_millis: Option<i64>,
    /// A requested verification SET must arrive within this time.
    pub verification_timeout_millis: i64,
}

impl Default for Watch {
    fn default() -> Self {
        Self {
            silence_after_millis: None,
            verification_timeout_millis: 60_000,
        }
    }
}

impl StreamState {
    /// A SET arrived: remember the gap since the previous one.
    pub fn note_arrival(&mut self, at: UnixMillis) {
        // A gap that spans a restart of the clock (a stop, the receiver's own change) is not
        // the stream's cadence.
        if let Some(previous) = self.last_set_at.filter(|p| *p >= self.watching_since) {
            if self.recent_gaps_millis.len() >= GAPS_KEPT {
                self.recent_gaps_millis.pop_front();
            }
            self.recent_gaps_millis
                .push_back(at.millis_since(previous).max(0));
        }
        self.last_set_at = Some(at);
    }

    /// The silence threshold learned from the traffic: ten times the median gap between SETs,
    /// at least 30 s; `None` until enough SETs were seen.
    pub fn learned_silence_millis(&self) -> Option<i64> {
        if self.recent_gaps_millis.len() < GAPS_TO_LEARN {
            return None;
        }
        let mut gaps: Vec<i64> = self.recent_gaps_millis.iter().copied().collect();
        gaps.sort_unstable();
        let median = gaps.get(gaps.len() / 2).copied().unwrap_or(0);
        Some(median.saturating_mul(10).max(LEARNED_FLOOR_MILLIS))
    }

    /// The silence threshold in force, and whether it was learned.
    pub fn silence_limit_millis(&self) -> Option<(i64, bool)> {
        match self.watch.silence_after_millis {
            Some(set) => Some((set, false)),
            None => self.learned_silence_millis().map(|learned| (learned, true)),
        }
    }

    /// A stream the receiver has just started to set up.
    pub fn new(key: StreamKey, label: String, now: UnixMillis) -> Self {
        Self {
            key,
            label,
            info: None,
            config: None,
            status: StreamStatus::Unknown,
            status_reason: None,
            status_changed: None,
            connection: Connection::Connecting("starting".to_owned()),
            sets_received: 0,
            last_set_at: None,
            watching_since: now,
            watch: Watch::default(),
            pending_verification: None,
            verification_rtt_millis: None,
            recent_gaps_millis: std::collections::VecDeque::new(),
            verification_exchange: None,
            keys: super::keys::KeyBook::default(),
            metadata: None,
            coverage: None,
            deleted_by_receiver: false,
            gone_at: None,
            repeats_after_ack: 0,
            refused_repeats: 0,
            session_ended: false,
            asked_states: std::collections::VecDeque::new(),
            set_up: false,
            alerts_after: 0,
            sets_refused: false,
            status_history: std::collections::VecDeque::new(),
        }
    }

    /// No verification is awaited any more (the stream stopped, was deleted, or the request
    /// was refused).
    pub fn forget_verification(&mut self) {
        self.pending_verification = None;
        self.verification_exchange = None;
    }

    /// Milliseconds since the last SET, or since watching began (or resumed) when that is later.
    pub fn quiet_millis(&self, now: UnixMillis) -> i64 {
        let last = self.last_set_at.unwrap_or(self.watching_since);
        now.millis_since(last.max(self.watching_since))
    }
}

/// How the receiver's own streams are described at the transmitter; a session finds its stream
/// by this description (two profiles on one transmitter that allows several streams).
pub const OWN_STREAM_PREFIX: &str = "ssf-inspector: ";

/// The description of the stream of the session named `key`.
pub fn own_stream_description(key: &str) -> String {
    format!("{OWN_STREAM_PREFIX}{key}")
}

/// A change to the stream's receiver-supplied configuration (SSF §8.1.1.3, §8.1.1.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamChange {
    /// Event types to ask for.
    pub events_requested: Vec<String>,
    /// Description (`None`: PATCH leaves it as is; PUT deletes it).
    pub description: Option<String>,
    /// PUT the full receiver-supplied configuration (delivery included, as the session set it)
    /// instead of PATCHing these fields.
    pub replace: bool,
}

impl StreamChange {
    /// The request body.
    pub fn body(&self, stream_id: &str, delivery: &serde_json::Value) -> serde_json::Value {
        let mut body =
            serde_json::json!({"stream_id": stream_id, "events_requested": self.events_requested});
        if self.replace {
            body["delivery"] = delivery.clone();
        }
        if let Some(description) = &self.description {
            body["description"] = serde_json::json!(description);
        }
        body
    }
}
