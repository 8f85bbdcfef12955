//! A stored SET back into a [`SetRecord`]: the durable record keeps the raw token and what was
//! concluded when it arrived (verdict, profile, findings, the answer given); everything else is
//! derived from the raw token again by the same code that made it ([`ingest`]). Pure: no I/O.
//!
//! Conclusions are restored, never recomputed: keys rotate and rules change, and the record must
//! say what the receiver decided at the time. [`Finding`] and [`DeliveryError`] name their rule,
//! section and error code with `&'static str`; to restore those without leaking memory, the
//! raw token is inspected again under a context that makes every rule able to fire (no key
//! allowed, an issuer and audience nothing can match), and each stored finding takes its
//! `&'static str`s from the re-inspected finding with the same rule and section. The stored
//! message is kept as it was. A finding whose rule no longer exists is kept as
//! [`LEGACY_RULE`] with its old rule id, section and message in the text.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::ingest::{self, Arrival, Expectations};
use super::lint::{Finding, Level, Profile};
use super::record::{DeliveryError, SetForm, SetRecord, StreamKey, Transport};
use super::time::UnixMillis;
use super::verify::{AlgorithmPolicy, KeySet, Verdict, Verification};

/// Rule id of a stored finding whose rule this version no longer has.
pub const LEGACY_RULE: &str = "stored-finding";

/// The registered RFC 8935 §2.3 / RFC 8936 error codes (IANA "Security Event Token Error Codes").
const ERROR_CODES: [&str; 6] = [
    "invalid_request",
    "invalid_key",
    "invalid_issuer",
    "invalid_audience",
    "authentication_failed",
    "access_denied",
];

/// The columns the durable record keeps for one SET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSet {
    /// Position in the record.
    pub seq: u64,
    /// Receive time.
    pub received_at: UnixMillis,
    /// Stream.
    pub stream: StreamKey,
    /// `push`, `poll` or `file`.
    pub transport: String,
    /// `jws` or `claims`.
    pub form: String,
    /// The token as received (for bare claims, their compact JSON).
    pub raw: String,
    /// `iss`, when present (kept for the redelivery index).
    pub iss: Option<String>,
    /// `jti`, when present (kept for the redelivery index).
    pub jti: Option<String>,
    /// Verdict, snake case (`valid`, `bad_signature`, …).
    pub verdict: String,
    /// The verdict's explanation.
    pub verdict_detail: String,
    /// Profile name (`ssf-1.0`, …), when the SET decoded.
    pub profile: Option<String>,
    /// Findings as a JSON array of `{rule, severity, message, reference}`.
    pub findings: String,
    /// The answer given as JSON `{err, description}`; `None` when accepted.
    pub rejection: Option<String>,
    /// The same (`iss`, `jti`) was stored before.
    pub redelivered: bool,
    /// The exchange that carried it, by record id.
    pub exchange: Option<u64>,
}

/// A stored row that cannot be read back.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// A column holds a value this version does not know.
    #[error(
        "column {column} holds {value:?}, which this version does not know (was the record written by a newer version?)"
    )]
    UnknownValue {
        /// Column name.
        column: &'static str,
        /// The stored value.
        value: String,
    },
    /// A JSON column does not parse.
    #[error("column {column} is not the expected JSON: {detail}")]
    Json {
        /// Column name.
        column: &'static str,
        /// What the parser said.
        detail: String,
    },
}

#[derive(Deserialize)]
struct StoredFinding {
    rule: String,
    severity: String,
    message: String,
    reference: String,
}

#[derive(Deserialize)]
struct StoredRejection {
    err: String,
    description: String,
}

impl StoredSet {
    /// The columns for a record.
    pub fn from_record(record: &SetRecord) -> Result<Self, serde_json::Error> {
        Ok(Self {
            seq: record.seq,
            received_at: record.received_at,
            stream: record.stream.clone(),
            transport: record.transport.as_str().to_owned(),
            form: record.form.as_str().to_owned(),
            raw: record.raw.clone(),
            iss: record.iss.clone(),
            jti: record.jti.clone(),
            verdict: record.verification.verdict.as_str().to_owned(),
            verdict_detail: record.verification.detail.clone(),
            profile: record.profile.map(|p| p.as_str().to_owned()),
            findings: serde_json::to_string(&record.findings)?,
            rejection: record
                .rejection
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
            redelivered: record.redelivered,
            exchange: record.exchange,
        })
    }
}

fn unknown(column: &'static str, value: &str) -> RestoreError {
    RestoreError::UnknownValue {
        column,
        value: value.to_owned(),
    }
}

fn json_error(column: &'static str) -> impl FnOnce(serde_json::Error) -> RestoreError {
    move |err| RestoreError::Json {
        column,
        detail: err.to_string(),
    }
}

/// Rebuild the record: header, claims, events, subject, `iss` and `jti` from the raw token (as
/// [`ingest`] derives them); verdict, profile, findings and rejection as stored.
pub fn restore(stored: StoredSet) -> Result<SetRecord, RestoreError> {
    let transport: Transport =
        (stored.transport.parse()).map_err(|_| unknown("transport", &stored.transport))?;
    let form: SetForm = (stored.form.parse()).map_err(|_| unknown("form", &stored.form))?;
    let verdict =
        Verdict::named(&stored.verdict).ok_or_else(|| unknown("verdict", &stored.verdict))?;
    let profile = match &stored.profile {
        Some(name) => Some(Profile::named(name).ok_or_else(|| unknown("profile", name))?),
        None => None,
    };
    let arrival = Arrival {
        stream: stored.stream,
        transport,
        received_at: stored.received_at,
    };
    let mut record = reinspect(stored.raw, form, arrival)?;
    record.findings = restore_findings(&stored.findings, &record.findings)?;
    record.rejection = match &stored.rejection {
        Some(json) => Some(restore_rejection(json)?),
        None => None,
    };
    record.seq = stored.seq;
    record.verification = Verification {
        verdict,
        detail: stored.verdict_detail,
    };
    record.profile = profile;
    record.redelivered = stored.redelivered;
    record.exchange = stored.exchange;
    Ok(record)
}

/// Inspect the raw token again with no key allowed and expectations nothing can meet, so that
/// the signature and mismatch findings exist to borrow their `&'static str`s from.
fn reinspect(raw: String, form: SetForm, arrival: Arrival) -> Result<SetRecord, RestoreError> {
    match form {
        SetForm::Jws => {
            let policy = AlgorithmPolicy::only(Vec::new());
            let never = unmatchable(&raw);
            Ok(ingest::inspect(
                raw,
                arrival,
                &KeySet::default(),
                &policy,
                &never,
            ))
        }
        SetForm::Claims => {
            let claims: Map<String, Value> =
                serde_json::from_str(&raw).map_err(json_error("raw"))?;
            let never = unmatchable(&raw);
            Ok(ingest::inspect_claims(claims, arrival, &never))
        }
    }
}

/// An issuer and audience longer than the whole token, so no claim value can equal them.
fn unmatchable(raw: &str) -> Expectations {
    let never = format!("{raw}\u{0}never");
    Expectations {
        issuer: Some(never.clone()),
        audience: Some(never),
        ..Expectations::default()
    }
}

fn restore_findings(json: &str, vocabulary: &[Finding]) -> Result<Vec<Finding>, RestoreError> {
    let stored: Vec<StoredFinding> = serde_json::from_str(json).map_err(json_error("findings"))?;
    stored
        .into_iter()
        .map(|finding| {
            let severity: Level = (finding.severity.parse())
                .map_err(|_| unknown("findings.severity", &finding.severity))?;
            let known = vocabulary
                .iter()
                .find(|v| v.rule == finding.rule && v.reference == finding.reference);
            Ok(match known {
                Some(known) => Finding::new(known.rule, severity, known.reference, finding.message),
                None => Finding::new(
                    LEGACY_RULE,
                    severity,
                    "",
                    format!(
                        "[{}, {}] {}",
                        finding.rule, finding.reference, finding.message
                    ),
                ),
            })
        })
        .collect()
}

fn restore_rejection(json: &str) -> Result<DeliveryError, RestoreError> {
    let stored: StoredRejection = serde_json::from_str(json).map_err(json_error("rejection"))?;
    Ok(match ERROR_CODES.iter().find(|code| **code == stored.err) {
        Some(code) => DeliveryError {
            err: code,
            description: stored.description,
        },
        None => DeliveryError {
            err: "invalid_request",
            description: format!("[stored code {}] {}", stored.err, stored.description),
        },
    })
}
