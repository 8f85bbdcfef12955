//! From raw bytes to a [`SetRecord`]: decode, verify, name the events, render the subject, and
//! decide the answer to the transmitter (RFC 8935 §2.3 codes). Shared by push and poll.

use serde_json::Value;

use super::events::EventRef;
use super::jose::{self, DecodedJws};
use super::record::{DeliveryError, SetRecord, StreamKey, Transport};
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

/// Inspect one received token. Never fails: what is wrong is in the record.
pub fn inspect(
    raw: String,
    arrival: Arrival,
    keys: &KeySet,
    policy: &AlgorithmPolicy,
    expect: &Expectations,
) -> SetRecord {
    let Arrival {
        stream,
        transport,
        received_at,
    } = arrival;
    let mut record = SetRecord {
        seq: 0,
        received_at,
        stream,
        transport,
        raw,
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
        problems: Vec::new(),
        rejection: None,
        redelivered: false,
    };
    let jws = match jose::decode_compact(&record.raw) {
        Ok(jws) => jws,
        Err(err) => {
            record.verification.detail = err.to_string();
            record.rejection = Some(DeliveryError {
                err: "invalid_request",
                description: format!("the body is not a compact JWS: {err}"),
            });
            record.decode_error = Some(err.to_string());
            return record;
        }
    };
    record.verification = verify::verify(&jws, keys, policy);
    record.events = event_refs(&jws);
    record.subject =
        subject::primary_subject(&jws.claims).map_or_else(|| "-".to_owned(), subject::describe);
    record.jti = jws.claim_str("jti").map(str::to_owned);
    record.iss = jws.claim_str("iss").map(str::to_owned);
    record.problems = header_problems(&jws);
    record.rejection = decide(&jws, &record.verification, expect);
    record.jws = Some(jws);
    record
}

fn event_refs(jws: &DecodedJws) -> Vec<EventRef> {
    match jws.claims.get("events").and_then(Value::as_object) {
        Some(events) => events.keys().map(|uri| EventRef::from_uri(uri)).collect(),
        None => Vec::new(),
    }
}

fn header_problems(jws: &DecodedJws) -> Vec<String> {
    let mut problems = Vec::new();
    match jws.typ() {
        Some(typ) if is_secevent_typ(typ) => {}
        Some(typ) => problems.push(format!(
            "header typ is \"{typ}\"; SSF §4.1.1 wants explicit typing with \"secevent+jwt\""
        )),
        None => problems.push("header has no typ; SSF §4.1.1 wants \"secevent+jwt\"".to_owned()),
    }
    problems
}

/// RFC 7515 §4.1.9: case-insensitive, and a value without `/` means `application/<value>`.
fn is_secevent_typ(typ: &str) -> bool {
    let lower = typ.to_ascii_lowercase();
    lower == "secevent+jwt" || lower == "application/secevent+jwt"
}

fn decide(
    jws: &DecodedJws,
    verification: &Verification,
    expect: &Expectations,
) -> Option<DeliveryError> {
    let reject = |err: &'static str, description: String| Some(DeliveryError { err, description });
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
                    format!("iss \"{iss}\" is not the expected issuer \"{expected}\""),
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
