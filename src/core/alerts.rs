//! Alerts: the conditions a person must not miss, raised by the reducer and kept until
//! acknowledged. A stream that stops telling is the reason this product exists.

use serde::Serialize;
use strum::{EnumString, IntoStaticStr, VariantArray};

use super::record::StreamKey;
use super::time::UnixMillis;

/// How loud an alert is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, IntoStaticStr, EnumString, VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    /// For the record.
    Info,
    /// Needs attention.
    Warning,
    /// Coverage is lost: a full-width banner until acknowledged.
    Critical,
}

super::vocab::serde_by_name!(Severity);

impl Severity {
    /// The severity with this lower-case name.
    pub fn parse(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What kind of stop an alert reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, IntoStaticStr, EnumString, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum AlertKind {
    /// The transmitter said (stream-updated) that it disabled the stream.
    StreamDisabled,
    /// The transmitter said (stream-updated) that it paused the stream.
    StreamPaused,
    /// The receiver could not set the stream up or lost it.
    ConnectionFailed,
    /// A status read found the stream disabled, and no stream-updated had said so: someone
    /// changed it (not this receiver, as far as it knows) and it was not announced.
    StreamDisabledSilently,
    /// A status read found the stream paused, and no stream-updated had said so.
    StreamPausedSilently,
    /// A requested verification SET did not arrive in time.
    HeartbeatLost,
    /// A verification SET came back with another `state` than the one requested.
    VerificationStateMismatch,
    /// No SET at all for longer than the stream's expected cadence.
    Silent,
    /// The transmitter no longer has the stream (deleted; SSF sends no event for that).
    StreamDeleted,
    /// The configuration changed under the receiver: event types no longer delivered.
    StreamNarrowed,
    /// The configuration changed under the receiver: delivery method or endpoint.
    DeliveryChanged,
    /// A push arrived with a wrong or missing Authorization header.
    PushUnauthorized,
    /// The transmitter's JWKS could not be fetched: SETs signed with a new key cannot be verified.
    JwksUnreachable,
    /// The key that signed the latest verified SET is no longer in the transmitter's JWKS.
    SigningKeyRemoved,
    /// A stream listed before the receiver created its own is gone after the create: the
    /// transmitter replaced it (one stream per receiver, or per instance).
    StreamReplaced,
    /// A verification request was refused or failed: no heartbeat is running.
    VerificationRefused,
    /// The transmitter delivers SETs again after they were acknowledged (poll).
    AcksIgnored,
    /// The receiver did not set the stream up, so as not to harm a stream it did not make.
    SetupDeclined,
    /// The status endpoint answered a status SSF does not define (`"failed"`): the receiver
    /// cannot tell whether the stream delivers.
    UnknownStatus,
    /// The stream could not be set up (the transmitter refused the create, its metadata is
    /// wrong, it cannot be reached): nothing is watched.
    SetupFailed,
}

super::vocab::serde_by_name!(AlertKind);

impl AlertKind {
    /// Every kind.
    pub const ALL: &'static [Self] = Self::VARIANTS;

    /// The kind with this stable name.
    pub fn parse(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    /// Stable snake-case name (JSON output).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The headline the banner shows.
    pub fn title(self) -> &'static str {
        match self {
            Self::StreamDisabled => "Stream disabled by transmitter",
            Self::StreamPaused => "Stream paused by transmitter",
            Self::ConnectionFailed => "Receiver cannot reach the stream",
            Self::StreamDisabledSilently => "Stream disabled, not announced",
            Self::StreamPausedSilently => "Stream paused, not announced",
            Self::HeartbeatLost => "Verification heartbeat lost",
            Self::VerificationStateMismatch => "Verification SET with a state not asked for",
            Self::Silent => "Stream silent",
            Self::StreamDeleted => "Stream deleted at the transmitter",
            Self::StreamNarrowed => "Stream narrowed: event types no longer delivered",
            Self::DeliveryChanged => "Stream delivery changed under the receiver",
            Self::PushUnauthorized => "Push with a wrong authorization",
            Self::JwksUnreachable => "Transmitter's signing keys unreachable",
            Self::SigningKeyRemoved => "Signing key removed from the transmitter's keys",
            Self::StreamReplaced => "Creating our stream replaced another stream",
            Self::VerificationRefused => "Verification request refused",
            Self::AcksIgnored => "Transmitter ignores acknowledgements",
            Self::SetupDeclined => "Stream not set up: it could harm another receiver's stream",
            Self::UnknownStatus => "Transmitter answered an unknown stream status",
            Self::SetupFailed => "Stream not set up: nothing is watched",
        }
    }

    /// A stop of this receiver's stream: it delivers nothing while it lasts, and what follows
    /// from it is folded under it as one incident. (A create that replaced another receiver's
    /// stream is no stop of ours: nothing is folded under it.)
    pub fn is_stop(self) -> bool {
        matches!(
            self,
            Self::StreamDisabled
                | Self::StreamPaused
                | Self::StreamDisabledSilently
                | Self::StreamPausedSilently
                | Self::StreamDeleted
                | Self::ConnectionFailed
        )
    }

    /// Whether this kind can follow from a stop in force of kind `stop` (no heartbeat,
    /// silence, refused requests, a status read that finds it, a stream that cannot be
    /// reached; signing keys that cannot be fetched while the transmitter cannot be reached
    /// at all): folded under that stop, not told as another incident.
    pub fn follows(self, stop: Self) -> bool {
        match self {
            Self::HeartbeatLost
            | Self::Silent
            | Self::VerificationRefused
            | Self::StreamDisabledSilently
            | Self::StreamPausedSilently
            | Self::ConnectionFailed => stop.is_stop(),
            // One cause, the transmitter down, not two incidents.
            Self::JwksUnreachable => stop == Self::ConnectionFailed,
            _ => false,
        }
    }

    /// Whether this stop, found after a stop in force of kind `earlier`, takes its place as the
    /// incident's head (the earlier one folded under it): a disable or a delete after a pause
    /// is the same stream not telling, now for good; one incident, told by its latest stop.
    pub fn supersedes(self, earlier: Self) -> bool {
        matches!(
            self,
            Self::StreamDisabled | Self::StreamDisabledSilently | Self::StreamDeleted
        ) && matches!(earlier, Self::StreamPaused | Self::StreamPausedSilently)
    }

    /// What its end means, said once the condition is over.
    pub fn resolution(self) -> &'static str {
        match self {
            Self::StreamDisabled
            | Self::StreamPaused
            | Self::StreamDisabledSilently
            | Self::StreamPausedSilently => "the stream is enabled again: events are delivered",
            Self::ConnectionFailed => "the receiver reaches the stream again",
            Self::HeartbeatLost => "the verification arrived",
            Self::Silent => "SETs arrive again",
            Self::StreamDeleted | Self::StreamReplaced => "the stream is watched no longer",
            Self::StreamNarrowed | Self::DeliveryChanged => "the configuration is as set again",
            Self::PushUnauthorized => "pushes are authorized again",
            Self::JwksUnreachable => "the keys can be fetched again",
            Self::SigningKeyRemoved => "the signing key is published again",
            Self::VerificationRefused => "a verification request was accepted",
            Self::UnknownStatus => "the status read is one SSF defines again",
            Self::SetupFailed => "the stream was set up",
            Self::VerificationStateMismatch | Self::AcksIgnored | Self::SetupDeclined => {
                "the condition ended"
            }
        }
    }

    /// Default severity.
    pub fn severity(self) -> Severity {
        match self {
            Self::StreamDisabled
            | Self::ConnectionFailed
            | Self::StreamDisabledSilently
            | Self::HeartbeatLost
            | Self::StreamDeleted
            | Self::StreamNarrowed
            | Self::DeliveryChanged
            | Self::JwksUnreachable
            | Self::SigningKeyRemoved
            | Self::StreamReplaced
            | Self::SetupFailed
            // Paused, the stream delivers nothing (events held, maybe dropped): coverage is
            // lost as surely as when it is disabled, so it is told as loudly.
            | Self::StreamPaused
            | Self::StreamPausedSilently => Severity::Critical,
            Self::VerificationStateMismatch
            | Self::Silent
            | Self::PushUnauthorized
            | Self::VerificationRefused
            | Self::AcksIgnored
            | Self::SetupDeclined
            | Self::UnknownStatus => Severity::Warning,
        }
    }
}

/// What an alert points at as its evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The record seq of a SET.
    pub seq: Option<u64>,
    /// The record id of an HTTP exchange.
    pub exchange: Option<u64>,
}

impl Evidence {
    /// A SET, and the exchange that carried it.
    pub fn set(record: &super::record::SetRecord) -> Self {
        Self {
            seq: Some(record.seq),
            exchange: record.exchange,
        }
    }

    /// An HTTP exchange (a status or configuration read, a refused push, a failed call).
    pub fn exchange(id: Option<u64>) -> Self {
        Self {
            seq: None,
            exchange: id,
        }
    }
}

/// One alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// Unique within a session.
    pub id: u64,
    /// Kind.
    pub kind: AlertKind,
    /// Severity.
    pub severity: Severity,
    /// Stream concerned.
    pub stream: StreamKey,
    /// One sentence on the cause.
    pub cause: String,
    /// The transmitter's own reason, when it gave one.
    pub reason: Option<String>,
    /// First raised.
    pub first_seen: UnixMillis,
    /// Last confirmed.
    pub last_seen: UnixMillis,
    /// The record seq of the SET that is the evidence, if any.
    pub evidence_seq: Option<u64>,
    /// The record id of the HTTP exchange that is the evidence (a status read, a refused
    /// push, a failed call), if any.
    pub evidence_exchange: Option<u64>,
    /// The user has acknowledged it.
    pub acknowledged: bool,
    /// When the condition ended (e.g. the stream was enabled again).
    pub resolved_at: Option<UnixMillis>,
    /// When the receiver stopped watching the stream while the alert was still in force (its
    /// session was stopped or ended): what it said was last known true, and nobody looks now.
    pub unwatched_at: Option<UnixMillis>,
    /// The id of the stop this alert follows from, when it was raised while that stop was in
    /// force (or the stop was found while it was): one incident, told once, under its cause.
    pub folded_under: Option<u64>,
}

impl Alert {
    /// Still in force: neither resolved nor left behind by a session that ended.
    pub fn is_active(&self) -> bool {
        self.resolved_at.is_none() && self.unwatched_at.is_none()
    }

    /// Shown in the banner: critical, active or not, and not yet acknowledged.
    pub fn wants_banner(&self) -> bool {
        self.severity == Severity::Critical && !self.acknowledged
    }
}

impl Alert {
    /// One JSON object describing the alert (`watch` output, exports).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": "alert",
            "alert": self.kind.as_str(),
            "severity": self.severity.as_str(),
            "stream": self.stream.0,
            "title": self.kind.title(),
            "cause": self.cause,
            "reason": self.reason,
            "at": self.first_seen.rfc3339(),
            "evidence_seq": self.evidence_seq,
            "evidence_exchange": self.evidence_exchange,
            "folded_under": self.folded_under,
        })
    }
}
