//! The `summary` column: what each SET's analysis concluded (events, subject, findings,
//! answer), written with the SET, so opening a record reads conclusions instead of decoding,
//! verifying and linting every SET again. Records written before schema 3 get theirs filled
//! in once, when they are upgraded.

use anyhow::Context as _;
use rusqlite::{Connection, Row, params};

use super::schema::{SET_COLUMNS, SETS_WITH_TOKENS, stored_set};
use crate::core::record::{StreamKey, Transport};
use crate::core::restore;
use crate::core::set_summary::{Conclusions, SetSummary};
use crate::core::time::UnixMillis;
use crate::core::verify::Verdict;

/// The columns [`summary`] reads, in order.
pub(super) const SUMMARY_COLUMNS: &str = "sets.seq, received_at, stream, transport, iss, jti, \
     verdict, verdict_detail, redelivered, exchange, summary";

fn transport_named(seq: u64, name: &str) -> anyhow::Result<Transport> {
    name.parse::<Transport>()
        .ok()
        .with_context(|| format!("the stored SET #{seq} has transport {name:?}"))
}

fn verdict_named(seq: u64, name: &str) -> anyhow::Result<Verdict> {
    Verdict::named(name).with_context(|| format!("the stored SET #{seq} has verdict {name:?}"))
}

/// One row of [`SUMMARY_COLUMNS`] as a summary.
pub(super) fn summary(row: &Row<'_>) -> anyhow::Result<SetSummary> {
    let seq: i64 = row.get(0)?;
    let seq = u64::try_from(seq).with_context(|| format!("negative seq {seq}"))?;
    let transport: String = row.get(3)?;
    let verdict: String = row.get(6)?;
    let text: Option<String> = row.get(10)?;
    let conclusions = Conclusions::from_json(text.as_deref().unwrap_or("{}"))
        .with_context(|| format!("the stored SET #{seq} has a summary that does not parse"))?;
    Ok(SetSummary {
        seq,
        received_at: UnixMillis(row.get(1)?),
        stream: StreamKey(row.get(2)?),
        transport: transport_named(seq, &transport)?,
        iss: row.get(4)?,
        jti: row.get(5)?,
        verdict: verdict_named(seq, &verdict)?,
        verdict_detail: row.get(7)?,
        redelivered: row.get(8)?,
        exchange: row
            .get::<_, Option<i64>>(9)?
            .and_then(|id| u64::try_from(id).ok()),
        conclusions,
    })
}

/// Fill in the summary of every SET that has none (written before schema 3): each is read
/// back once, the way the window used to at every start. Returns how many were filled.
pub(super) fn fill_missing(conn: &Connection) -> anyhow::Result<u64> {
    let mut read = conn.prepare(&format!(
        "SELECT {SET_COLUMNS} FROM {SETS_WITH_TOKENS} WHERE summary IS NULL ORDER BY sets.seq"
    ))?;
    let mut write = conn.prepare("UPDATE sets SET summary = ?2 WHERE seq = ?1")?;
    let mut rows = read.query([])?;
    let mut filled = 0;
    while let Some(row) = rows.next()? {
        let stored = stored_set(row)?;
        let seq = stored.seq;
        let record = restore::restore(stored)
            .with_context(|| format!("the stored SET #{seq} cannot be read back"))?;
        let seq = i64::try_from(seq).context("seq out of range")?;
        write.execute(params![seq, Conclusions::of(&record).to_json()])?;
        filled += 1;
    }
    Ok(filled)
}
