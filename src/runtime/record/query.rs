//! Reading a record's SETs one at a time, without taking its lock or starting a session (a
//! running instance may go on writing: SQLite readers do not block its WAL writer), for
//! `ssf-inspector query` and for the window (a SET's details, free text over claims).

use std::path::Path;

use anyhow::Context as _;
use rusqlite::{Connection, OpenFlags};

use super::schema::{SET_COLUMNS, SETS_WITH_TOKENS, stored_set};
use super::summaries::{SUMMARY_COLUMNS, summary};
use crate::core::filter::Filter;
use crate::core::jose::decode_compact;
use crate::core::record::SetRecord;
use crate::core::restore;
use crate::core::set_summary::{SetSummary, WithClaims};
use crate::core::time::UnixMillis;

/// Call `each` with every stored SET, oldest first, until it returns false; returns how many
/// were read.
pub fn each_set(path: &Path, mut each: impl FnMut(SetRecord) -> bool) -> anyhow::Result<u64> {
    let conn = open_read_only(path)?;
    let mut statement = conn
        .prepare(&format!(
            "SELECT {SET_COLUMNS} FROM {SETS_WITH_TOKENS} ORDER BY sets.seq"
        ))
        .with_context(|| format!("{} is not an ssf-inspector record", path.display()))?;
    let mut rows = statement.query([])?;
    let mut read = 0;
    while let Some(row) = rows.next()? {
        let stored = stored_set(row)?;
        let seq = stored.seq;
        let record = restore::restore(stored)
            .with_context(|| format!("the stored SET #{seq} cannot be read back"))?;
        read += 1;
        if !each(record) {
            break;
        }
    }
    Ok(read)
}

/// Call `each` with every stored SET `filter` matches, oldest first, until it returns false;
/// returns how many SETs were looked at. Only the stored conclusions are read for each SET;
/// its token only when free text must be looked for in its claims, and the SET whole only when
/// it matches. A record written before schema 3 (no conclusions stored) is read back whole.
pub fn each_matching(
    path: &Path,
    filter: &Filter,
    now: UnixMillis,
    mut each: impl FnMut(SetRecord) -> bool,
) -> anyhow::Result<u64> {
    let conn = open_read_only(path)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version < 3 {
        drop(conn);
        return each_set(path, |record| !filter.matches(&record, now) || each(record));
    }
    let mut statement = conn
        .prepare(&format!(
            "SELECT {SUMMARY_COLUMNS}, form FROM sets ORDER BY sets.seq"
        ))
        .with_context(|| format!("{} is not an ssf-inspector record", path.display()))?;
    let mut token = conn.prepare("SELECT raw FROM tokens WHERE seq = ?1")?;
    let mut whole = conn.prepare(&format!(
        "SELECT {SET_COLUMNS} FROM {SETS_WITH_TOKENS} WHERE sets.seq = ?1"
    ))?;
    let mut rows = statement.query([])?;
    let mut read = 0;
    while let Some(row) = rows.next()? {
        read += 1;
        let summary = summary(row)?;
        let seq = i64::try_from(summary.seq).context("seq out of range")?;
        let hit = match filter.check(&summary, now) {
            Some(hit) => hit,
            None => {
                let form: String = row.get(11)?;
                let raw: String = token.query_row([seq], |r| r.get(0))?;
                matches_with_claims(filter, &summary, &form, &raw, now)
            }
        };
        if !hit {
            continue;
        }
        let stored = whole.query_row([seq], |r| Ok(stored_set(r)))??;
        let record = restore::restore(stored)
            .with_context(|| format!("the stored SET #{seq} cannot be read back"))?;
        if !each(record) {
            break;
        }
    }
    Ok(read)
}

/// What every stored SET concluded, oldest first, `part` at a time to `each` (false stops);
/// reads only the narrow `sets` table. Returns how many were read.
pub fn each_summary(
    path: &Path,
    part: usize,
    mut each: impl FnMut(Vec<SetSummary>) -> bool,
) -> anyhow::Result<usize> {
    let conn = open_read_only(path)?;
    let mut statement = conn.prepare(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM sets ORDER BY sets.seq"
    ))?;
    let mut rows = statement.query([])?;
    let mut read = 0;
    let mut batch = Vec::with_capacity(part);
    while let Some(row) = rows.next()? {
        batch.push(summary(row)?);
        read += 1;
        if batch.len() >= part && !each(std::mem::replace(&mut batch, Vec::with_capacity(part))) {
            return Ok(read);
        }
    }
    if !batch.is_empty() {
        each(batch);
    }
    Ok(read)
}

/// Open the record to read. Its first read is made here: for a record in WAL mode SQLite must
/// open (or create) the WAL index, `<record>-shm`, beside it, and where it cannot the error
/// says why and what to do instead of SQLite's "unable to open database file".
pub(super) fn open_read_only(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open the record {}", path.display()))?;
    match conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(err) => Err(cannot_read(path, err)),
    }
}

/// Why a record that opened cannot be read, and what to do.
fn cannot_read(path: &Path, err: rusqlite::Error) -> anyhow::Error {
    use rusqlite::ErrorCode;
    let blocked = matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied)
    );
    if !blocked || !in_wal_mode(path) {
        return anyhow::Error::new(err)
            .context(format!("cannot read the record {}", path.display()));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    anyhow::anyhow!(
        "cannot read the record {}: it is in WAL mode, and reading it needs its WAL index {} \
         beside it, which SQLite could not open or create ({err}): the folder {} (or that file) \
         is read-only to you. To read it, copy the record (and its -wal file, if there is one) \
         to a folder you can write to and query the copy, or give yourself write access to {}",
        path.display(),
        Path::new(&shm).display(),
        folder.display(),
        folder.display()
    )
}

/// Whether the database file's header says WAL mode (its read and write versions are 2).
fn in_wal_mode(path: &Path) -> bool {
    use std::io::Read as _;
    let mut header = [0_u8; 20];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .is_ok()
        && header[18] == 2
        && header[19] == 2
}

/// The stored SET with this seq, read back whole; `None` when the record has none (pruned).
pub fn read_one(path: &Path, seq: u64) -> anyhow::Result<Option<SetRecord>> {
    let conn = open_read_only(path)?;
    let mut statement = conn.prepare(&format!(
        "SELECT {SET_COLUMNS} FROM {SETS_WITH_TOKENS} WHERE sets.seq = ?1"
    ))?;
    let seq = i64::try_from(seq).context("seq out of range")?;
    let mut rows = statement.query([seq])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let stored = stored_set(row)?;
    let record = restore::restore(stored)
        .with_context(|| format!("the stored SET #{seq} cannot be read back"))?;
    Ok(Some(record))
}

/// How many answers go to `each` at a time.
const ANSWERS_PER_PART: usize = 4096;

/// Check `filter` against the stored SETs `seqs` (sorted), with their claims (free text the
/// timeline's compact rows cannot answer). `each` gets `(seq, matches)` a part at a time and
/// returns false to stop (the filter changed meanwhile). A SET missing from the record is
/// answered "no".
pub fn check_sets(
    path: &Path,
    filter: &Filter,
    now: UnixMillis,
    seqs: &[u64],
    mut each: impl FnMut(Vec<(u64, bool)>) -> bool,
) -> anyhow::Result<()> {
    let (Some(first), Some(last)) = (seqs.first(), seqs.last()) else {
        return Ok(());
    };
    let conn = open_read_only(path)?;
    let mut statement = conn.prepare(&format!(
        "SELECT {SUMMARY_COLUMNS}, form, raw FROM {SETS_WITH_TOKENS} \
         WHERE sets.seq BETWEEN ?1 AND ?2 ORDER BY sets.seq"
    ))?;
    let bound = |seq: u64| i64::try_from(seq).context("seq out of range");
    let mut rows = statement.query([bound(*first)?, bound(*last)?])?;
    let mut part = Vec::with_capacity(ANSWERS_PER_PART);
    let mut wanted = seqs.iter().copied().peekable();
    while let Some(row) = rows.next()? {
        let seq = u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
        while let Some(gone) = wanted.next_if(|w| *w < seq) {
            part.push((gone, false));
        }
        if wanted.next_if_eq(&seq).is_none() {
            continue;
        }
        let summary = summary(row)?;
        let form: String = row.get(11)?;
        let raw: String = row.get(12)?;
        part.push((seq, matches_with_claims(filter, &summary, &form, &raw, now)));
        if part.len() >= ANSWERS_PER_PART && !each(std::mem::take(&mut part)) {
            return Ok(());
        }
    }
    part.extend(wanted.map(|seq| (seq, false)));
    if !part.is_empty() {
        each(part);
    }
    Ok(())
}

/// The filter's answer for a summary and the claims decoded from its raw token.
pub(super) fn matches_with_claims(
    filter: &Filter,
    summary: &SetSummary,
    form: &str,
    raw: &str,
    now: UnixMillis,
) -> bool {
    let claims = if form == "claims" {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw).ok()
    } else {
        decode_compact(raw).ok().map(|jws| jws.claims)
    };
    let item = WithClaims {
        summary,
        claims: claims.as_ref(),
    };
    filter.matches(&item, now)
}
