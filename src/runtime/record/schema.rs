//! The database: where it is, its pragmas, its tables, and reading the stored SETs back.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use rusqlite::{Connection, Row};

use crate::core::record::StreamKey;
use crate::core::restore::StoredSet;
use crate::core::time::UnixMillis;

/// The schema this version writes (`PRAGMA user_version`).
const VERSION: i64 = 5;

/// The tables. `sets` has no index beyond its primary key: redeliveries are found in an
/// in-memory set of (`iss`, `jti`) (an index on random `jti` values is the main cost of a write).
/// The raw tokens are in `tokens`, by seq: reading what every SET concluded at open then reads a
/// narrow table, not the tokens (most of the bytes).
const TABLES: &str = "
CREATE TABLE sessions(
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL
);
CREATE TABLE sets(
    seq INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    stream TEXT NOT NULL,
    transport TEXT NOT NULL,
    form TEXT NOT NULL,
    iss TEXT,
    jti TEXT,
    verdict TEXT NOT NULL,
    verdict_detail TEXT NOT NULL,
    profile TEXT,
    findings TEXT NOT NULL,
    rejection TEXT,
    redelivered INTEGER NOT NULL,
    session INTEGER NOT NULL,
    exchange INTEGER,
    summary TEXT
);
CREATE TABLE tokens(
    seq INTEGER PRIMARY KEY,
    raw TEXT NOT NULL
);
CREATE TABLE exchanges(
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    stream TEXT,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    request_headers TEXT NOT NULL,
    request_body TEXT NOT NULL,
    response_headers TEXT NOT NULL,
    response_body TEXT NOT NULL,
    duration_millis INTEGER NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE stream_status(
    id INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    source TEXT NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE markers(
    id INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    session INTEGER NOT NULL
);
CREATE TABLE alerts(
    session INTEGER NOT NULL,
    id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    stream TEXT NOT NULL,
    cause TEXT NOT NULL,
    reason TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    evidence_seq INTEGER,
    acknowledged INTEGER NOT NULL,
    resolved_at INTEGER,
    evidence_exchange INTEGER,
    folded_under INTEGER,
    unwatched_at INTEGER,
    PRIMARY KEY (session, id)
);
";

/// From schema 1: SETs and alerts name the exchange that carried or proves them.
const FROM_1: &str = "
ALTER TABLE sets ADD COLUMN exchange INTEGER;
ALTER TABLE alerts ADD COLUMN evidence_exchange INTEGER;
";

/// From schema 2: each SET's conclusions in one column (filled in for the SETs already there,
/// after the move), the raw tokens moved to their own table.
const FROM_2: &str = "
ALTER TABLE sets ADD COLUMN summary TEXT;
CREATE TABLE tokens(seq INTEGER PRIMARY KEY, raw TEXT NOT NULL);
INSERT INTO tokens(seq, raw) SELECT seq, raw FROM sets;
ALTER TABLE sets DROP COLUMN raw;
";

/// From schema 3: an alert names the stop it follows from (same session).
const FROM_3: &str = "
ALTER TABLE alerts ADD COLUMN folded_under INTEGER;
";

/// From schema 4: an alert still in force when its session ended says so.
const FROM_4: &str = "
ALTER TABLE alerts ADD COLUMN unwatched_at INTEGER;
";

/// `sets` with its tokens, for the columns of [`SET_COLUMNS`].
pub(super) const SETS_WITH_TOKENS: &str = "sets JOIN tokens ON tokens.seq = sets.seq";

/// The columns of [`SETS_WITH_TOKENS`], in the order [`stored_set`] reads them.
pub(super) const SET_COLUMNS: &str = "sets.seq, received_at, stream, transport, form, raw, iss, \
     jti, verdict, verdict_detail, profile, findings, rejection, redelivered, exchange";

/// The columns `sets` is written with (all of [`SET_COLUMNS`] but `raw`).
pub(super) const SET_ROW_COLUMNS: &str = "seq, received_at, stream, transport, form, iss, jti, \
     verdict, verdict_detail, profile, findings, rejection, redelivered, exchange";

/// Where the database lives.
#[derive(Clone, Debug)]
pub(super) enum Target {
    File(PathBuf),
    Memory,
}

impl Target {
    pub(super) fn describe(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Memory => "an in-memory database".to_owned(),
        }
    }
}

/// What the record held when it was opened.
pub(super) struct Loaded {
    pub count: usize,
    pub seen: HashSet<SeenKey>,
    pub next_seq: u64,
    pub next_exchange: u64,
    pub session: i64,
    pub history: super::history::History,
    pub pruned: crate::core::retention::Pruned,
}

/// Open (create) the database, check that it is intact, then check or create its schema.
pub(super) fn open(target: &Target) -> anyhow::Result<Connection> {
    let conn = match target {
        Target::File(path) => Connection::open(path),
        Target::Memory => Connection::open_in_memory(),
    }
    .with_context(|| format!("cannot open the record database {}", target.describe()))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Checked whole unless a clean close left it as it is (`clean`).
    if let Target::File(path) = target
        && !super::clean::take(path)
    {
        check_intact(&conn)?;
    }
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
    if matches!(target, Target::File(_)) && !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(
            "the record database {} runs in {mode} journal mode, not WAL (is it on a network \
             file system?); writes will be slower",
            target.describe()
        );
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(super::prune::META)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    match version {
        0 => {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(TABLES)?;
            tx.pragma_update(None, "user_version", VERSION)?;
            tx.commit()?;
        }
        1 | 2 => {
            let tx = conn.unchecked_transaction()?;
            if version == 1 {
                tx.execute_batch(FROM_1)?;
            }
            tx.execute_batch(FROM_2)?;
            tx.execute_batch(FROM_3)?;
            tx.execute_batch(FROM_4)?;
            let filled = super::summaries::fill_missing(&tx)?;
            tx.pragma_update(None, "user_version", VERSION)?;
            tx.commit()?;
            tracing::info!(
                "the record {} was upgraded to schema {VERSION}: {filled} SETs' conclusions stored",
                target.describe()
            );
        }
        3 | 4 => {
            let tx = conn.unchecked_transaction()?;
            if version == 3 {
                tx.execute_batch(FROM_3)?;
            }
            tx.execute_batch(FROM_4)?;
            tx.pragma_update(None, "user_version", VERSION)?;
            tx.commit()?;
        }
        VERSION => {}
        newer => bail!(
            "the record database was written by a newer version of ssf-inspector (schema {newer}, \
             this version reads {VERSION}); use that version, or move the file aside to start a new record"
        ),
    }
    Ok(conn)
}

/// The most problems SQLite's quick check reports before it stops.
const PROBLEMS_TOLD: u32 = 5;

/// SQLite's quick check of the whole file (every page's structure, not the contents of
/// indexes), before anything is written to it: a damaged record is refused as it was found,
/// not given a session, a marker or a pruning first. It reads every page once.
fn check_intact(conn: &Connection) -> anyhow::Result<()> {
    let mut statement = conn.prepare(&format!("PRAGMA quick_check({PROBLEMS_TOLD})"))?;
    let problems = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    if problems.iter().any(|problem| problem != "ok") {
        bail!(
            "the file is damaged (SQLite's quick check: {})",
            problems.join("; ")
        );
    }
    Ok(())
}

/// Prune what `retention` leaves out, start a new session (alerts are numbered per session)
/// and learn what the writer needs: each SET's (`iss`, `jti`), the next number. What the SETs
/// concluded is read apart ([`super::query::each_summary`]).
pub(super) fn load(
    conn: &Connection,
    retention: crate::core::retention::Retention,
) -> anyhow::Result<Loaded> {
    let pruned = super::prune::prune(conn, retention, UnixMillis::now())
        .context("cannot prune the record to its retention")?;
    conn.execute(
        "INSERT INTO sessions(started_at) VALUES (?1)",
        [UnixMillis::now().0],
    )?;
    let session = conn.last_insert_rowid();
    super::history::mark_lost_runs(conn, session)?;
    let count: i64 = conn.query_row("SELECT count(*) FROM sets", [], |row| row.get(0))?;
    let mut loaded = Loaded {
        count: usize::try_from(count).unwrap_or(0),
        seen: HashSet::new(),
        next_seq: 1,
        next_exchange: 1,
        session,
        history: super::history::read(conn, session)?,
        pruned,
    };
    let last_exchange: Option<i64> =
        conn.query_row("SELECT MAX(id) FROM exchanges", [], |row| row.get(0))?;
    loaded.next_exchange = last_exchange
        .and_then(|id| u64::try_from(id).ok())
        .map_or(1, |id| id + 1);
    loaded.next_seq = super::prune::next_seq(conn)?;
    Ok(loaded)
}

/// What the redelivery index keeps of an (`iss`, `jti`) pair: 128 bits of its SHA-256, a
/// sixth of the memory of the two strings; a false "redelivered" would need a SHA-256 collision
/// in those bits.
pub(super) type SeenKey = [u8; 16];

/// The redelivery index key of `iss` and `jti`.
pub(super) fn seen_key(iss: &str, jti: &str) -> SeenKey {
    let mut input = Vec::with_capacity(iss.len() + jti.len() + 1);
    input.extend_from_slice(iss.as_bytes());
    input.push(0);
    input.extend_from_slice(jti.as_bytes());
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &input);
    let mut key = [0; 16];
    key.copy_from_slice(digest.as_ref().get(..16).unwrap_or(&[0; 16]));
    key
}

/// Every stored SET's (`iss`, `jti`) key, for the redelivery flag. Read by the writer after it
/// has told the store it is open, so the window's reload does not wait for it.
pub(super) fn seen_index(conn: &Connection) -> anyhow::Result<HashSet<SeenKey>> {
    let mut statement = conn.prepare("SELECT iss, jti FROM sets")?;
    let mut rows = statement.query([])?;
    let mut seen = HashSet::new();
    while let Some(row) = rows.next()? {
        let (iss, jti): (Option<String>, Option<String>) = (row.get(0)?, row.get(1)?);
        // An empty jti names no SET: those are never copies of each other.
        if let (Some(iss), Some(jti)) = (iss, jti)
            && !jti.is_empty()
        {
            seen.insert(seen_key(&iss, &jti));
        }
    }
    Ok(seen)
}

pub(super) fn stored_set(row: &Row<'_>) -> anyhow::Result<StoredSet> {
    let seq: i64 = row.get(0)?;
    Ok(StoredSet {
        seq: u64::try_from(seq).with_context(|| format!("negative seq {seq}"))?,
        received_at: UnixMillis(row.get(1)?),
        stream: StreamKey(row.get(2)?),
        transport: row.get(3)?,
        form: row.get(4)?,
        raw: row.get(5)?,
        iss: row.get(6)?,
        jti: row.get(7)?,
        verdict: row.get(8)?,
        verdict_detail: row.get(9)?,
        profile: row.get(10)?,
        findings: row.get(11)?,
        rejection: row.get(12)?,
        redelivered: row.get(13)?,
        exchange: row
            .get::<_, Option<i64>>(14)?
            .and_then(|id| u64::try_from(id).ok()),
    })
}
