//! Pruning at open: what the user's retention leaves out is deleted in one transaction before
//! the record is read, and counted. SET numbers keep counting up across pruning (the next one
//! is kept in `meta`), so an exported or cited `#seq` never names two SETs.

use rusqlite::{Connection, OptionalExtension as _, params};

use crate::core::retention::{Pruned, Retention};
use crate::core::time::UnixMillis;

/// The table that remembers the next SET number once the newest SETs may have been pruned.
pub(super) const META: &str =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);";

/// The next SET number: one past the newest SET, or what `meta` remembers, whichever is more.
pub(super) fn next_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let newest: Option<i64> = conn.query_row("SELECT MAX(seq) FROM sets", [], |row| row.get(0))?;
    let remembered: Option<i64> = conn
        .query_row("SELECT value FROM meta WHERE key = 'next_seq'", [], |row| {
            row.get(0)
        })
        .optional()?;
    let next = newest.map_or(1, |seq| seq + 1).max(remembered.unwrap_or(1));
    Ok(u64::try_from(next).unwrap_or(1))
}

/// Delete what `retention` leaves out, as of `now`.
pub(super) fn prune(
    conn: &Connection,
    retention: Retention,
    now: UnixMillis,
) -> rusqlite::Result<Pruned> {
    let mut pruned = Pruned::default();
    if retention.keeps_everything() {
        return Ok(pruned);
    }
    let tx = conn.unchecked_transaction()?;
    let next = i64::try_from(next_seq(&tx)?).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('next_seq', ?1) \
         ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)",
        [next],
    )?;
    if let Some(cutoff) = retention.cutoff(now) {
        pruned.sets += count(tx.execute("DELETE FROM sets WHERE received_at < ?1", [cutoff.0])?);
        pruned.exchanges += count(tx.execute("DELETE FROM exchanges WHERE at < ?1", [cutoff.0])?);
        for table in ["stream_status", "markers"] {
            let sql = format!("DELETE FROM {table} WHERE at < ?1");
            pruned.other += count(tx.execute(&sql, [cutoff.0])?);
        }
        pruned.other += count(tx.execute("DELETE FROM alerts WHERE last_seen < ?1", [cutoff.0])?);
    }
    if let Some(max) = retention.max_sets {
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        let removed = tx.execute(
            "DELETE FROM sets WHERE seq NOT IN (SELECT seq FROM sets ORDER BY seq DESC LIMIT ?1)",
            params![max],
        )?;
        pruned.sets += count(removed);
        if removed > 0 {
            // Exchanges older than every SET kept carried only pruned ones.
            pruned.exchanges += count(tx.execute(
                "DELETE FROM exchanges WHERE at < (SELECT MIN(received_at) FROM sets)",
                [],
            )?);
        }
    }
    if pruned.sets > 0 {
        tx.execute(
            "DELETE FROM tokens WHERE seq NOT IN (SELECT seq FROM sets)",
            [],
        )?;
    }
    tx.commit()?;
    Ok(pruned)
}

fn count(rows: usize) -> u64 {
    u64::try_from(rows).unwrap_or(u64::MAX)
}
