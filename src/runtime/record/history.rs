//! What the record holds besides the SETs, read back when it is opened: receiver markers,
//! the latest HTTP exchanges and the alerts of earlier runs. A run that ended without its
//! "receiver stopped" marker (killed, crashed, power lost) gets a "receiver lost" marker at the
//! last thing it recorded for that stream, so the gap shows on the timeline.

use rusqlite::{Connection, Row, params};

use crate::core::alerts::{Alert, AlertKind, Severity};
use crate::core::effects::StatusChange;
use crate::core::exchange::Exchange;
use crate::core::marker::{Marker, MarkerKind};
use crate::core::record::StreamKey;
use crate::core::state::EXCHANGES_KEPT;
use crate::core::stream::StreamStatus;
use crate::core::time::UnixMillis;

/// Most alerts of earlier runs read back.
pub const EARLIER_ALERTS_KEPT: usize = 500;

/// Markers, exchanges and earlier alerts, oldest first.
#[derive(Debug, Default)]
pub struct History {
    /// Every receiver marker.
    pub markers: Vec<Marker>,
    /// The latest exchanges (at most [`EXCHANGES_KEPT`]).
    pub exchanges: Vec<Exchange>,
    /// Alerts raised by earlier runs (at most [`EARLIER_ALERTS_KEPT`]).
    pub earlier_alerts: Vec<Alert>,
    /// Stream status changes of earlier runs (at most [`EARLIER_ALERTS_KEPT`]).
    pub earlier_status: Vec<StatusChange>,
}

/// Give every stream whose last marker is a start from an earlier run a "lost" marker.
pub(super) fn mark_lost_runs(conn: &Connection, session: i64) -> rusqlite::Result<()> {
    let open: Vec<(String, i64)> = conn
        .prepare(
            "SELECT m.stream, m.session FROM markers m \
             WHERE m.id = (SELECT MAX(id) FROM markers WHERE stream = m.stream) \
             AND m.kind = ?1 AND m.session < ?2",
        )?
        .query_map(params![MarkerKind::Started.as_str(), session], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    for (stream, run) in open {
        let last: i64 = conn.query_row(
            "SELECT MAX(t) FROM ( \
               SELECT MAX(received_at) AS t FROM sets WHERE stream = ?1 AND session = ?2 \
               UNION ALL SELECT MAX(at) FROM exchanges WHERE stream = ?1 AND session = ?2 \
               UNION ALL SELECT MAX(at) FROM markers WHERE stream = ?1 AND session = ?2)",
            params![stream, run],
            |row| row.get(0),
        )?;
        conn.execute(
            "INSERT INTO markers(stream, at, kind, session) VALUES (?1, ?2, ?3, ?4)",
            params![stream, last, MarkerKind::Lost.as_str(), run],
        )?;
    }
    Ok(())
}

/// Read the history back (the alerts of `session`, the run just started, are not "earlier").
pub(super) fn read(conn: &Connection, session: i64) -> anyhow::Result<History> {
    let markers = conn
        .prepare("SELECT stream, at, kind FROM markers ORDER BY at, id")?
        .query_map([], |row| {
            Ok((
                StreamKey(row.get(0)?),
                UnixMillis(row.get(1)?),
                row.get::<_, String>(2)?,
            ))
        })?
        .filter_map(|row| match row {
            Ok((stream, at, kind)) => {
                MarkerKind::parse(&kind).map(|kind| Ok(Marker { stream, kind, at }))
            }
            Err(err) => Some(Err(err)),
        })
        .collect::<Result<_, _>>()?;
    let mut exchanges: Vec<Exchange> = conn
        .prepare(
            "SELECT id, at, stream, method, url, status, request_headers, request_body, \
             response_headers, response_body, duration_millis FROM exchanges \
             ORDER BY id DESC LIMIT ?1",
        )?
        .query_map([EXCHANGES_KEPT], exchange)?
        .collect::<Result<_, _>>()?;
    exchanges.reverse();
    let mut earlier_alerts: Vec<Alert> = conn
        .prepare(
            "SELECT id, kind, severity, stream, cause, reason, first_seen, last_seen, \
             evidence_seq, acknowledged, resolved_at, evidence_exchange, folded_under, unwatched_at FROM alerts \
             WHERE session < ?1 ORDER BY first_seen DESC LIMIT ?2",
        )?
        .query_map(params![session, EARLIER_ALERTS_KEPT], alert)?
        .filter_map(Result::transpose)
        .collect::<Result<_, _>>()?;
    earlier_alerts.reverse();
    let mut earlier_status: Vec<StatusChange> = conn
        .prepare(
            "SELECT stream, at, status, reason, source FROM stream_status WHERE session < ?1 \
             ORDER BY id DESC LIMIT ?2",
        )?
        .query_map(params![session, EARLIER_ALERTS_KEPT], status_change)?
        .filter_map(Result::transpose)
        .collect::<Result<_, _>>()?;
    earlier_status.reverse();
    Ok(History {
        markers,
        exchanges,
        earlier_alerts,
        earlier_status,
    })
}

fn id(value: Option<i64>) -> Option<u64> {
    value.and_then(|v| u64::try_from(v).ok())
}

fn headers(json: &str) -> Vec<(String, String)> {
    serde_json::from_str::<Vec<(String, String)>>(json).unwrap_or_default()
}

pub(super) fn exchange(row: &Row<'_>) -> rusqlite::Result<Exchange> {
    Ok(Exchange {
        id: id(row.get(0)?).unwrap_or_default(),
        at: UnixMillis(row.get(1)?),
        stream: row.get::<_, Option<String>>(2)?.map(StreamKey),
        method: row.get(3)?,
        url: row.get(4)?,
        status: row.get(5)?,
        request_headers: headers(&row.get::<_, String>(6)?),
        request_body: row.get(7)?,
        response_headers: headers(&row.get::<_, String>(8)?),
        response_body: row.get(9)?,
        duration_millis: id(row.get(10)?).unwrap_or_default(),
    })
}

/// A status change row (`stream, at, status, reason, source`), or `None` for a status this
/// version does not know.
pub(super) fn status_change(row: &Row<'_>) -> rusqlite::Result<Option<StatusChange>> {
    let Some(status) = StreamStatus::parse(&row.get::<_, String>(2)?) else {
        return Ok(None);
    };
    Ok(Some(StatusChange {
        stream: StreamKey(row.get(0)?),
        at: UnixMillis(row.get(1)?),
        status,
        reason: row.get(3)?,
        source: row.get(4)?,
        // The record keeps who said so, not the exchange.
        exchange: None,
    }))
}

/// An alert row, or `None` for a kind or severity this version does not know.
pub(super) fn alert(row: &Row<'_>) -> rusqlite::Result<Option<Alert>> {
    let kind = AlertKind::parse(&row.get::<_, String>(1)?);
    let severity = Severity::parse(&row.get::<_, String>(2)?);
    let (Some(kind), Some(severity)) = (kind, severity) else {
        return Ok(None);
    };
    Ok(Some(Alert {
        id: id(row.get(0)?).unwrap_or_default(),
        kind,
        severity,
        stream: StreamKey(row.get(3)?),
        cause: row.get(4)?,
        reason: row.get(5)?,
        first_seen: UnixMillis(row.get(6)?),
        last_seen: UnixMillis(row.get(7)?),
        evidence_seq: id(row.get(8)?),
        acknowledged: row.get(9)?,
        resolved_at: row.get::<_, Option<i64>>(10)?.map(UnixMillis),
        evidence_exchange: id(row.get(11)?),
        folded_under: id(row.get(12)?),
        unwatched_at: row.get::<_, Option<i64>>(13)?.map(UnixMillis),
    }))
}
