//! One received SET as the inspector keeps it: the raw token, what decoding and verification
//! found, and how the receiver answered the transmitter. Malformed input is a record too.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::events::EventRef;
use super::jose::DecodedJws;
use super::lint::{Finding, Profile};
use super::time::UnixMillis;
use super::verify::Verification;

/// The local name of a stream (a profile, or the built-in demo).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StreamKey(pub String);

impl fmt::Display for StreamKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a SET reached the receiver.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub enum Transport {
    /// RFC 8935 push.
    Push,
    /// RFC 8936 poll.
    Poll,
    /// Read from a file or standard input (`decode`, `lint`).
    File,
}

/// The form a SET came in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum SetForm {
    /// A compact JWS.
    Jws,
    /// A bare claims object (no header, no signature).
    Claims,
}

super::vocab::serde_by_name!(Transport);
super::vocab::serde_by_name!(SetForm);

impl Transport {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl SetForm {
    /// Snake-case name (the record's `form` column).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// An RFC 8935 §2.3 error: the `err` code and a description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeliveryError {
    /// Registered error code, e.g. `invalid_key`.
    pub err: &'static str,
    /// What is wrong, for the transmitter's operator.
    pub description: String,
}

/// A received SET and everything the receiver concluded about it.
#[derive(Clone, Debug)]
pub struct SetRecord {
    /// Position in the record, assigned by the store (1, 2, …).
    pub seq: u64,
    /// When the body arrived.
    pub received_at: UnixMillis,
    /// Which stream it arrived on.
    pub stream: StreamKey,
    /// Push or poll.
    pub transport: Transport,
    /// The token exactly as received (for a bare claims object, its compact JSON).
    pub raw: String,
    /// Token or bare claims.
    pub form: SetForm,
    /// Header and claims, when they decoded.
    pub jws: Option<DecodedJws>,
    /// Why decoding failed, when it did.
    pub decode_error: Option<String>,
    /// Signature verdict and its explanation.
    pub verification: Verification,
    /// The events it carries, named.
    pub events: Vec<EventRef>,
    /// The primary subject on one line (`-` when there is none).
    pub subject: String,
    /// `jti`, when present.
    pub jti: Option<String>,
    /// `iss`, when present.
    pub iss: Option<String>,
    /// The profile the SET follows (when it decoded).
    pub profile: Option<Profile>,
    /// Spec findings (errors first); they do not by themselves cause a rejection.
    pub findings: Vec<Finding>,
    /// `None` when accepted (202 / acked), else the error returned to the transmitter.
    pub rejection: Option<DeliveryError>,
    /// The same (`iss`, `jti`) was received before.
    pub redelivered: bool,
    /// The HTTP exchange that carried it (the push request, or the poll answer), by record id.
    pub exchange: Option<u64>,
}

impl SetRecord {
    /// The first event's human name, or a placeholder that says why there is none.
    pub fn title(&self) -> &str {
        match self.events.first() {
            Some(event) => &event.name,
            None if self.jws.is_none() => "undecodable token",
            None => "no events claim",
        }
    }

    /// A string claim of the decoded payload.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.jws.as_ref().and_then(|j| j.claim_str(name))
    }

    /// The payload object of the event with this URI.
    pub fn event_payload(&self, uri: &str) -> Option<&serde_json::Value> {
        self.jws.as_ref()?.claims.get("events")?.get(uri)
    }

    /// True when the signature verified and the receiver accepted it.
    pub fn is_trusted(&self) -> bool {
        self.verification.verdict.is_valid() && self.rejection.is_none()
    }

    /// The stream status a trusted stream-updated SET tells, with the transmitter's reason.
    pub fn told_status(&self) -> Option<(super::stream::StreamStatus, Option<String>)> {
        if !self.is_trusted() {
            return None;
        }
        let event = self
            .events
            .iter()
            .find(|e| super::events::is_stream_updated(&e.uri))?;
        let payload = self.event_payload(&event.uri)?;
        let status = payload
            .get("status")
            .and_then(serde_json::Value::as_str)
            .and_then(super::stream::StreamStatus::parse)?;
        let reason = payload
            .get("reason")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        Some((status, reason))
    }
}

impl SetRecord {
    /// One JSON object describing the record (`watch` output, exports). The raw token is
    /// included only when asked.
    pub fn to_json(&self, include_raw: bool) -> serde_json::Value {
        serde_json::to_value(self.line(include_raw)).unwrap_or(serde_json::Value::Null)
    }

    /// [`Self::to_json`] written as one line of text, without building the value first
    /// (`watch --json` prints one per SET).
    pub fn json_line(&self, include_raw: bool) -> String {
        // Strings, numbers, booleans and string-keyed objects: serialising cannot fail.
        serde_json::to_string(&self.line(include_raw)).unwrap_or_default()
    }

    fn line(&self, include_raw: bool) -> SetLine<'_> {
        SetLine {
            accepted: self.rejection.is_none(),
            event_names: self.events.iter().map(|e| e.name.as_str()).collect(),
            event_types: self.events.iter().map(|e| e.uri.as_str()).collect(),
            findings: &self.findings,
            iss: self.iss.as_deref(),
            jti: self.jti.as_deref(),
            kind: "set",
            profile: self.profile.map(Profile::as_str),
            raw: include_raw.then_some(self.raw.as_str()),
            received_at: self.received_at.rfc3339(),
            redelivered: self.redelivered,
            rejection: self.rejection.as_ref(),
            seq: self.seq,
            stream: &self.stream.0,
            subject: &self.subject,
            transport: self.transport.as_str(),
            verdict: self.verification.verdict.as_str(),
            verdict_detail: &self.verification.detail,
        }
    }
}

/// A SET as one JSON object (`watch --json`, `query`, exports). Its members in name order, as
/// a `serde_json::Value` object writes them (nested findings keep their own order).
#[derive(Serialize)]
struct SetLine<'a> {
    accepted: bool,
    event_names: Vec<&'a str>,
    event_types: Vec<&'a str>,
    findings: &'a [Finding],
    iss: Option<&'a str>,
    jti: Option<&'a str>,
    kind: &'static str,
    profile: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<&'a str>,
    received_at: String,
    redelivered: bool,
    rejection: Option<&'a DeliveryError>,
    seq: u64,
    stream: &'a str,
    subject: &'a str,
    transport: &'static str,
    verdict: &'static str,
    verdict_detail: &'a str,
}
