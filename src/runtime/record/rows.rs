//! One statement per kind of write, run inside the writer's open transaction.

use std::collections::HashSet;
use std::sync::Arc;

use rusqlite::{Transaction, params};

use super::RecordError;
use super::schema::SET_ROW_COLUMNS;
use crate::core::alerts::Alert;
use crate::core::exchange::{self, Exchange};
use crate::core::record::{SetRecord, StreamKey};
use crate::core::stream::StreamStatus;
use crate::core::time::UnixMillis;

/// One stream status change.
pub(super) struct StatusRow {
    pub stream: StreamKey,
    pub status: StreamStatus,
    pub reason: Option<String>,
    pub source: String,
    pub at: UnixMillis,
}

/// A receiver started/stopped marker.
pub(super) struct MarkerRow {
    pub stream: StreamKey,
    pub kind: String,
    pub at: UnixMillis,
}

/// What one batch changed in memory, to wind back if its transaction is lost.
pub(super) struct Numbering<'a> {
    pub seen: &'a mut HashSet<super::schema::SeenKey>,
    pub next_seq: &'a mut u64,
    pub added: Vec<super::schema::SeenKey>,
}

fn to_i64(value: u64, what: &str) -> Result<i64, RecordError> {
    i64::try_from(value).map_err(|_| RecordError::Storage(format!("{what} {value} is too large")))
}

pub(super) fn insert_set(
    tx: &Transaction<'_>,
    numbering: &mut Numbering<'_>,
    session: i64,
    mut record: SetRecord,
) -> Result<Arc<SetRecord>, RecordError> {
    record.seq = *numbering.next_seq;
    let key = record
        .iss
        .as_deref()
        .zip(record.jti.as_deref().filter(|jti| !jti.is_empty()))
        .map(|(iss, jti)| super::schema::seen_key(iss, jti));
    record.redelivered = key.as_ref().is_some_and(|key| numbering.seen.contains(key));
    // Bound from the record itself: the token is copied once, into SQLite.
    let encoding =
        |err: serde_json::Error| RecordError::Storage(format!("cannot encode the SET: {err}"));
    let findings = serde_json::to_string(&record.findings).map_err(encoding)?;
    let rejection = record
        .rejection
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(encoding)?;
    let summary = crate::core::set_summary::Conclusions::of(&record).to_json();
    let seq = to_i64(record.seq, "seq")?;
    tx.prepare_cached(&format!(
        "INSERT INTO sets({SET_ROW_COLUMNS}, session, summary) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?
    .execute(params![
        seq,
        record.received_at.0,
        record.stream.0,
        record.transport.as_str(),
        record.form.as_str(),
        record.iss,
        record.jti,
        record.verification.verdict.as_str(),
        record.verification.detail,
        record.profile.map(|p| p.as_str()),
        findings,
        rejection,
        record.redelivered,
        record
            .exchange
            .map(|id| to_i64(id, "exchange id"))
            .transpose()?,
        session,
        summary,
    ])?;
    tx.prepare_cached("INSERT INTO tokens(seq, raw) VALUES (?1, ?2)")?
        .execute(params![seq, record.raw])?;
    *numbering.next_seq += 1;
    if let Some(key) = key
        && numbering.seen.insert(key)
    {
        numbering.added.push(key);
    }
    Ok(Arc::new(record))
}

pub(super) fn insert_exchange(
    tx: &Transaction<'_>,
    session: i64,
    ex: &Exchange,
) -> Result<i64, RecordError> {
    tx.prepare_cached(
        "INSERT INTO exchanges(id, at, stream, method, url, status, request_headers, \
         request_body, response_headers, response_body, duration_millis, session) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        (ex.id != 0)
            .then(|| to_i64(ex.id, "exchange id"))
            .transpose()?,
        ex.at.0,
        ex.stream.as_ref().map(|s| s.0.as_str()),
        ex.method,
        ex.url,
        ex.status,
        exchange::headers_json(&ex.request_headers),
        exchange::body_text(&ex.request_body),
        exchange::headers_json(&ex.response_headers),
        exchange::body_text(&ex.response_body),
        to_i64(ex.duration_millis, "duration")?,
        session,
    ])?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn insert_status(
    tx: &Transaction<'_>,
    session: i64,
    row: &StatusRow,
) -> Result<(), RecordError> {
    tx.prepare_cached(
        "INSERT INTO stream_status(stream, at, status, reason, source, session) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        &row.stream.0,
        row.at.0,
        row.status.as_str(),
        &row.reason,
        &row.source,
        session,
    ])?;
    Ok(())
}

pub(super) fn upsert_alert(
    tx: &Transaction<'_>,
    session: i64,
    alert: &Alert,
) -> Result<(), RecordError> {
    let evidence = alert
        .evidence_seq
        .map(|seq| to_i64(seq, "seq"))
        .transpose()?;
    tx.prepare_cached(
        "INSERT INTO alerts(session, id, kind, severity, stream, cause, reason, first_seen, \
         last_seen, evidence_seq, acknowledged, resolved_at, evidence_exchange, folded_under, \
         unwatched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
         ON CONFLICT(session, id) DO UPDATE SET kind = excluded.kind, \
         severity = excluded.severity, stream = excluded.stream, cause = excluded.cause, \
         reason = excluded.reason, first_seen = excluded.first_seen, \
         last_seen = excluded.last_seen, evidence_seq = excluded.evidence_seq, \
         acknowledged = excluded.acknowledged, resolved_at = excluded.resolved_at, \
         evidence_exchange = excluded.evidence_exchange, folded_under = excluded.folded_under, \
         unwatched_at = excluded.unwatched_at",
    )?
    .execute(params![
        session,
        to_i64(alert.id, "alert id")?,
        alert.kind.as_str(),
        alert.severity.as_str(),
        alert.stream.0,
        alert.cause,
        alert.reason,
        alert.first_seen.0,
        alert.last_seen.0,
        evidence,
        alert.acknowledged,
        alert.resolved_at.map(|at| at.0),
        alert
            .evidence_exchange
            .map(|id| to_i64(id, "exchange id"))
            .transpose()?,
        alert
            .folded_under
            .map(|id| to_i64(id, "alert id"))
            .transpose()?,
        alert.unwatched_at.map(|at| at.0),
    ])?;
    Ok(())
}

pub(super) fn insert_marker(
    tx: &Transaction<'_>,
    session: i64,
    row: &MarkerRow,
) -> Result<(), RecordError> {
    tx.prepare_cached("INSERT INTO markers(stream, at, kind, session) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![&row.stream.0, row.at.0, &row.kind, session])?;
    Ok(())
}
