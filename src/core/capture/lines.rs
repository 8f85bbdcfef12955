//! One capture line per item after the header: a SET (as exports write it, with what reading
//! it back needs), an exchange (redacted), an alert, a stream status change, a marker. Times are
//! written twice: RFC 3339 for people and `jq`, milliseconds (`…_ms`) for reading back.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::super::alerts::{Alert, AlertKind, Severity};
use super::super::effects::StatusChange;
use super::super::exchange::Exchange;
use super::super::marker::{Marker, MarkerKind};
use super::super::record::{SetRecord, StreamKey};
use super::super::restore::{self, StoredSet};
use super::super::secrets::scrub_json;
use super::super::stream::StreamStatus;
use super::super::time::UnixMillis;

/// One item of a capture.
#[derive(Clone, Debug)]
pub enum Item {
    /// A received SET with the conclusions it had when it arrived.
    Set(Box<SetRecord>),
    /// An HTTP exchange, credentials redacted.
    Exchange(Box<Exchange>),
    /// An alert, with the receiver run (`session`) its id belongs to.
    Alert {
        /// The run that raised it (alert ids are numbered per run).
        session: Option<u64>,
        /// The alert.
        alert: Box<Alert>,
    },
    /// A stream status change.
    Status(StatusChange),
    /// A receiver marker.
    Marker(Marker),
}

/// An object's members, known secrets scrubbed, written as one line.
fn finish(value: Value) -> String {
    let mut value = value;
    scrub_json(&mut value);
    value.to_string()
}

fn insert(value: &mut Value, name: &str, member: Value) {
    if let Some(members) = value.as_object_mut() {
        members.insert(name.to_owned(), member);
    }
}

fn both_times(value: &mut Value, name: &str, at: Option<UnixMillis>) {
    insert(value, name, at.map(UnixMillis::rfc3339).into());
    insert(value, &format!("{name}_ms"), at.map(|at| at.0).into());
}

/// A SET's line: its export line (raw token included) with its form, receive time in
/// milliseconds and carrying exchange.
pub fn set_line(record: &SetRecord) -> String {
    let mut value = record.to_json(true);
    insert(&mut value, "form", record.form.as_str().into());
    insert(&mut value, "received_at_ms", record.received_at.0.into());
    insert(&mut value, "exchange", record.exchange.into());
    finish(value)
}

/// An exchange's line, redacted (credential headers and members, known secrets).
pub fn exchange_line(exchange: &Exchange) -> String {
    let exchange = exchange.redacted();
    let mut value = serde_json::json!({
        "kind": "exchange",
        "id": exchange.id,
        "stream": exchange.stream.as_ref().map(|s| s.0.as_str()),
        "method": exchange.method,
        "url": exchange.url,
        "status": exchange.status,
        "request_headers": exchange.request_headers,
        "request_body": exchange.request_body,
        "response_headers": exchange.response_headers,
        "response_body": exchange.response_body,
        "duration_millis": exchange.duration_millis,
    });
    both_times(&mut value, "at", Some(exchange.at));
    finish(value)
}

/// An alert's line: its JSON (as `watch` prints it) with its id, run and whole life.
pub fn alert_line(session: Option<u64>, alert: &Alert) -> String {
    let mut value = alert.to_json();
    insert(&mut value, "id", alert.id.into());
    insert(&mut value, "session", session.into());
    insert(&mut value, "acknowledged", alert.acknowledged.into());
    both_times(&mut value, "first_seen", Some(alert.first_seen));
    both_times(&mut value, "last_seen", Some(alert.last_seen));
    both_times(&mut value, "resolved_at", alert.resolved_at);
    both_times(&mut value, "unwatched_at", alert.unwatched_at);
    finish(value)
}

/// A stream status change's line.
pub fn status_line(change: &StatusChange) -> String {
    let mut value = serde_json::json!({
        "kind": "status",
        "stream": change.stream.0,
        "status": change.status.as_str(),
        "reason": change.reason,
        "source": change.source,
        "exchange": change.exchange,
    });
    both_times(&mut value, "at", Some(change.at));
    finish(value)
}

/// A receiver marker's line.
pub fn marker_line(marker: &Marker) -> String {
    let mut value = serde_json::json!({
        "kind": "marker",
        "stream": marker.stream.0,
        "marker": marker.kind.as_str(),
        "meaning": marker.kind.describe(),
    });
    both_times(&mut value, "at", Some(marker.at));
    finish(value)
}

#[derive(Deserialize)]
struct SetIn {
    seq: u64,
    received_at_ms: i64,
    stream: String,
    transport: String,
    form: String,
    raw: String,
    iss: Option<String>,
    jti: Option<String>,
    verdict: String,
    verdict_detail: String,
    profile: Option<String>,
    findings: Value,
    rejection: Option<Value>,
    redelivered: bool,
    exchange: Option<u64>,
}

#[derive(Deserialize)]
struct ExchangeIn {
    id: u64,
    at_ms: i64,
    stream: Option<String>,
    method: String,
    url: String,
    status: Option<u16>,
    request_headers: Vec<(String, String)>,
    request_body: String,
    response_headers: Vec<(String, String)>,
    response_body: String,
    duration_millis: u64,
}

#[derive(Deserialize)]
struct AlertIn {
    id: u64,
    session: Option<u64>,
    alert: AlertKind,
    severity: Severity,
    stream: String,
    cause: String,
    reason: Option<String>,
    first_seen_ms: i64,
    last_seen_ms: i64,
    evidence_seq: Option<u64>,
    evidence_exchange: Option<u64>,
    acknowledged: bool,
    resolved_at_ms: Option<i64>,
    unwatched_at_ms: Option<i64>,
    folded_under: Option<u64>,
}

#[derive(Deserialize)]
struct StatusIn {
    stream: String,
    status: StreamStatus,
    reason: Option<String>,
    source: String,
    at_ms: i64,
    exchange: Option<u64>,
}

#[derive(Deserialize)]
struct MarkerIn {
    stream: String,
    marker: String,
    at_ms: i64,
}

fn members<T: serde::de::DeserializeOwned>(object: Map<String, Value>) -> Result<T, String> {
    serde_json::from_value(Value::Object(object)).map_err(|err| err.to_string())
}

/// The item a line's object describes, or why it is none. `kind` is the object's `kind`.
pub fn item(kind: &str, object: Map<String, Value>) -> Result<Item, String> {
    match kind {
        "set" => {
            let set: SetIn = members(object)?;
            let stored = StoredSet {
                seq: set.seq,
                received_at: UnixMillis(set.received_at_ms),
                stream: StreamKey(set.stream),
                transport: set.transport,
                form: set.form,
                raw: set.raw,
                iss: set.iss,
                jti: set.jti,
                verdict: set.verdict,
                verdict_detail: set.verdict_detail,
                profile: set.profile,
                findings: set.findings.to_string(),
                rejection: set.rejection.map(|r| r.to_string()),
                redelivered: set.redelivered,
                exchange: set.exchange,
            };
            let record = restore::restore(stored)
                .map_err(|err| format!("SET #{} cannot be read back: {err}", set.seq))?;
            Ok(Item::Set(Box::new(record)))
        }
        "exchange" => {
            let e: ExchangeIn = members(object)?;
            Ok(Item::Exchange(Box::new(Exchange {
                id: e.id,
                at: UnixMillis(e.at_ms),
                stream: e.stream.map(StreamKey),
                method: e.method,
                url: e.url,
                status: e.status,
                request_headers: e.request_headers,
                request_body: e.request_body,
                response_headers: e.response_headers,
                response_body: e.response_body,
                duration_millis: e.duration_millis,
            })))
        }
        "alert" => {
            let a: AlertIn = members(object)?;
            Ok(Item::Alert {
                session: a.session,
                alert: Box::new(Alert {
                    id: a.id,
                    kind: a.alert,
                    severity: a.severity,
                    stream: StreamKey(a.stream),
                    cause: a.cause,
                    reason: a.reason,
                    first_seen: UnixMillis(a.first_seen_ms),
                    last_seen: UnixMillis(a.last_seen_ms),
                    evidence_seq: a.evidence_seq,
                    evidence_exchange: a.evidence_exchange,
                    acknowledged: a.acknowledged,
                    resolved_at: a.resolved_at_ms.map(UnixMillis),
                    unwatched_at: a.unwatched_at_ms.map(UnixMillis),
                    folded_under: a.folded_under,
                }),
            })
        }
        "status" => {
            let s: StatusIn = members(object)?;
            Ok(Item::Status(StatusChange {
                stream: StreamKey(s.stream),
                status: s.status,
                reason: s.reason,
                source: s.source,
                at: UnixMillis(s.at_ms),
                exchange: s.exchange,
            }))
        }
        "marker" => {
            let m: MarkerIn = members(object)?;
            let kind = MarkerKind::parse(&m.marker).ok_or_else(|| {
                format!("the marker {:?} is not one this version knows", m.marker)
            })?;
            Ok(Item::Marker(Marker {
                stream: StreamKey(m.stream),
                kind,
                at: UnixMillis(m.at_ms),
            }))
        }
        super::header::HEADER_KIND => Err("a second header line".to_owned()),
        other => Err(format!("the kind {other:?} is not one this version knows")),
    }
}
