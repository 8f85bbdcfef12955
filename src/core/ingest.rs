//! From raw bytes to a [`SetRecord`]: decode, verify, name the events, render the subject, and
//! decide the answer to the transmitter (RFC 8935 §2.3 codes). Shared by push and poll.

use serde_json::{Map, Value};

use super::events::EventRef;
use super::jose::{self, DecodedJws};
use super::lint::{self, Finding, Level, LintContext};
use super::record::{DeliveryError, SetForm, SetRecord, StreamKey, Transport};
use super::subject;
use super::time::UnixMillis;
use super::verify::{self, AlgorithmPolicy, KeySet, Verdict, Verification};

/// What the receiver expects of every SET on a stream.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// The issuer from validated discovery metadata; `iss` must equal it exactly.
    pub issuer: Option<String>,
    /// This receiver's audience; `aud` (string or array) must contain it.
    pub audience: Option<String>,
    /// Which broken MUSTs (no `jti`, wrong `typ`, expired) are refused or only flagged.
    pub rules: super::set_rules::SetRules,
}

/// Where and when a token arrived.
#[derive(Clone, Debug)]
pub struct Arrival {
    /// Stream.
    pub stream: StreamKey,
    /// Push or poll.
    pub transport: Transport,
    /// Receive time.
    pub received_at: UnixMillis,
}

/// A record with nothing concluded yet.
fn empty_record(raw: String, arrival: Arrival) -> SetRecord {
    let Arrival {
        stream,
        transport,
        received_at,
    } = arrival;
    SetRecord {
        seq: 0,
        received_at,
        stream,
        transport,
        raw,
        form: SetForm::Jws,
        jws: None,
        decode_error: None,
        verification: Verification {
            verdict: Verdict::Malformed,
            detail: String::new(),
        },
        events: Vec::new(),
        subject: "-".to_owned(),
        jti: None,
        iss: None,
        profile: None,
        findings: Vec::new(),
        rejection: None,
        redelivered: false,
        exchange: None,
    }
}

/// A received body the receiver failed to inspect (its own fault, e.g. the inspection was
/// interrupted): kept as it came, malformed, refused with `why`.
pub fn uninspected(raw: String, arrival: Arrival, why: &str) -> SetRecord {
    let mut record = empty_record(raw, arrival);
    record.verification.detail = format!("not inspected: {why}");
    record.decode_error = Some(format!("the receiver could not inspect this body: {why}"));
    record.rejection = Some(DeliveryError {
        err: "invalid_request",
        description: format!("the receiver could not inspect this SET: {why}"),
    });
    record
}

/// Inspect one received token. Never fails: what is wrong is in the record.
pub fn inspect(
    raw: String,
    arrival: Arrival,
    keys: &KeySet,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) -> SetRecord {
    let mut record = empty_record(raw, arrival);
    inspect_in_place(&mut record, keys, policy, expect);
    record
}

/// A record holding `raw` with nothing concluded yet, for [`inspect_in_place`].
pub fn received(raw: String, arrival: Arrival) -> SetRecord {
    empty_record(raw, arrival)
}

/// [`inspect`] a record made by [`received`], where it is: its token is read, never copied
/// (should the inspection panic, the caller still holds the token to keep).
pub fn inspect_in_place(
    record: &mut SetRecord,
    keys: &KeySet,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) {
    match jose::decode_compact(&record.raw) {
        Ok(jws) => {
            record.verification = verify::verify(&jws, keys, policy);
            analyse(record, jws, true, expect);
            if let Some(finding) = signature_finding(&record.verification) {
                record.findings.insert(0, finding);
            }
        }
        Err(err) => {
            record.verification.detail = err.to_string();
            record.rejection = Some(DeliveryError {
                err: "invalid_request",
                description: format!("the body is not a compact JWS: {err}"),
            });
            record.findings.push(Finding::new(
                "jws-malformed",
                Level::Error,
                "RFC 7515 §7.1; RFC 8417 §2",
                err.to_string(),
            ));
            record.decode_error = Some(err.to_string());
        }
    }
}

/// A signature that was checked and failed is an error finding too (so the timeline, the details
/// panel and `lint` agree). Unsigned and undecodable tokens have their own findings; a token
/// checked against no keys has none.
fn signature_finding(verification: &Verification) -> Option<Finding> {
    match verification.verdict {
        Verdict::BadSignature
        | Verdict::UnknownKey
        | Verdict::AlgNotAllowed
        | Verdict::CritUnsupported => Some(Finding::new(
            "signature",
            Level::Error,
            "RFC 8417 §5.1; SSF 1.0 §4.1.4; RFC 8725 §3.1",
            format!("{}: {}", verification.verdict.label(), verification.detail),
        )),
        Verdict::Valid | Verdict::Unsecured | Verdict::Malformed | Verdict::NotVerified => None,
    }
}

/// An input line that is no SET at all (not JSON, not a token): still reported, as a malformed
/// record that says what is wrong with the line.
pub fn unreadable(why: String, arrival: Arrival) -> SetRecord {
    let mut record = empty_record(String::new(), arrival);
    record.verification.detail.clone_from(&why);
    record.decode_error = Some(why.clone());
    record.findings = vec![Finding::new("input-line", Level::Error, "RFC 8417 §2", why)];
    record
}

/// Inspect a bare claims object (no JOSE header, so nothing to verify).
pub fn inspect_claims(
    claims: Map<String, Value>,
    arrival: Arrival,
    expect: &Expectations,
) -> SetRecord {
    let raw = Value::Object(claims.clone()).to_string();
    let mut record = empty_record(raw, arrival);
    record.form = SetForm::Claims;
    record.verification = Verification {
        verdict: Verdict::NotVerified,
        detail: "a bare claims object has no signature to verify".to_owned(),
    };
    let jws = DecodedJws {
        header: Map::new(),
        claims,
        signing_input: String::new(),
        signature: String::new(),
    };
    analyse(&mut record, jws, false, expect);
    record
}

/// Name the events, render the subject, lint, and decide the answer.
fn analyse(record: &mut SetRecord, jws: DecodedJws, has_header: bool, expect: &Expectations) {
    record.events = event_refs(&jws);
    record.subject = subject::subject_line(&jws.claims);
    record.jti = jws.claim_str("jti").map(str::to_owned);
    record.iss = jws.claim_str("iss").map(str::to_owned);
    let ctx = LintContext {
        expected_issuer: expect.issuer.clone(),
        expected_audience: expect.audience.clone(),
        now: record.received_at,
    };
    let report = lint::lint(has_header.then_some(&jws.header), &jws.claims, &ctx);
    record.profile = Some(report.profile);
    record.findings = report.findings;
    record.rejection = decide(&jws, &record.verification, expect).or_else(|| {
        expect
            .rules
            .refusal(&jws, has_header, record.profile, record.received_at)
    });
    record.jws = Some(jws);
}

fn event_refs(jws: &DecodedJws) -> Vec<EventRef> {
    match jws.claims.get("events").and_then(Value::as_object) {
        Some(events) => events.keys().map(|uri| EventRef::from_uri(uri)).collect(),
        None => Vec::new(),
    }
}

fn decide(
    jws: &DecodedJws,
    verification: &Verification,
    expect: &Expectations,
) -> Option<DeliveryError> {
    let reject = |err: &'static str, description: String| Some(DeliveryError { err, description });
    if verification.verdict == Verdict::CritUnsupported {
        let description = format!("{}: {}", verification.verdict.label(), verification.detail);
        return reject("invalid_request", description);
    }
    if !verification.verdict.is_valid() {
        return reject(
            "invalid_key",
            format!("{}: {}", verification.verdict.label(), verification.detail),
        );
    }
    if let Some(expected) = &expect.issuer {
        match jws.claim_str("iss") {
            Some(iss) if iss == expected => {}
            Some(iss) => {
                return reject(
                    "invalid_issuer",
                    format!(
                        "iss \"{}\" is not the expected issuer \"{expected}\"",
                        super::json::clip(iss)
                    ),
                );
            }
            None => return reject("invalid_issuer", "the SET has no iss claim".to_owned()),
        }
    }
    if let Some(audience) = &expect.audience {
        let matches = match jws.claims.get("aud") {
            Some(Value::String(aud)) => aud == audience,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
            _ => false,
        };
        if !matches {
            return reject(
                "invalid_audience",
                format!("aud does not contain this receiver's audience \"{audience}\""),
            );
        }
    }
    match jws.claims.get("events") {
        Some(Value::Object(events)) if !events.is_empty() && events.values().all(Value::is_object) => None,
        _ => reject(
            "invalid_request",
            "events must be a JSON object with at least one member whose values are objects (RFC 8417 §2.2)".to_owned(),
        ),
    }
}
