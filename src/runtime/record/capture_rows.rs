//! What a capture holds besides the SETs, read from a record one row at a time, read-only and
//! without its lock (as `query` reads SETs): every exchange, every alert with the run that
//! raised it, every stream status change, every marker.

use std::path::Path;

use super::history;
use super::query::open_read_only;
use crate::core::alerts::Alert;
use crate::core::effects::StatusChange;
use crate::core::exchange::Exchange;
use crate::core::marker::{Marker, MarkerKind};
use crate::core::record::StreamKey;
use crate::core::time::UnixMillis;

/// The exchange columns [`history::exchange`] reads.
const EXCHANGE_COLUMNS: &str = "id, at, stream, method, url, status, request_headers, \
     request_body, response_headers, response_body, duration_millis";

/// Call `each` with every stored exchange (only GETs when `gets_only`), oldest first, until it
/// returns false.
pub fn each_exchange(
    path: &Path,
    gets_only: bool,
    mut each: impl FnMut(Exchange) -> bool,
) -> anyhow::Result<()> {
    let conn = open_read_only(path)?;
    let only = if gets_only {
        "WHERE method = 'GET'"
    } else {
        ""
    };
    let mut statement = conn.prepare(&format!(
        "SELECT {EXCHANGE_COLUMNS} FROM exchanges {only} ORDER BY id"
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        if !each(history::exchange(row)?) {
            break;
        }
    }
    Ok(())
}

/// Call `each` with every stored alert and the run that raised it, by run and then first seen
/// (an alert of a kind this version does not know is left out).
pub fn each_alert(path: &Path, mut each: impl FnMut(u64, Alert)) -> anyhow::Result<()> {
    let conn = open_read_only(path)?;
    let mut statement = conn.prepare(
        "SELECT id, kind, severity, stream, cause, reason, first_seen, last_seen, \
         evidence_seq, acknowledged, resolved_at, evidence_exchange, folded_under, \
         unwatched_at, session FROM alerts ORDER BY session, first_seen, id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let session = u64::try_from(row.get::<_, i64>(14)?).unwrap_or_default();
        if let Some(alert) = history::alert(row)? {
            each(session, alert);
        }
    }
    Ok(())
}

/// Call `each` with every stored stream status change, oldest first (the record keeps who said
/// so, not the exchange; an unknown status is left out).
pub fn each_status(path: &Path, mut each: impl FnMut(StatusChange)) -> anyhow::Result<()> {
    let conn = open_read_only(path)?;
    let mut statement =
        conn.prepare("SELECT stream, at, status, reason, source FROM stream_status ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(change) = history::status_change(row)? {
            each(change);
        }
    }
    Ok(())
}

/// Call `each` with every stored marker, in time order.
pub fn each_marker(path: &Path, mut each: impl FnMut(Marker)) -> anyhow::Result<()> {
    let conn = open_read_only(path)?;
    let mut statement = conn.prepare("SELECT stream, at, kind FROM markers ORDER BY at, id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(kind) = MarkerKind::parse(&row.get::<_, String>(2)?) {
            each(Marker {
                stream: StreamKey(row.get(0)?),
                kind,
                at: UnixMillis(row.get(1)?),
            });
        }
    }
    Ok(())
}
