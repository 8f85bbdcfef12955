//! The durable record: every SET, HTTP exchange, stream status change, alert and receiver
//! start/stop marker in a SQLite database in the data folder (WAL, `synchronous=NORMAL`).
//!
//! One writer thread owns the connection and commits queued writes in batches; a caller is
//! answered only after the batch holding its write is committed, so a push is acknowledged
//! only for a stored SET. SETs are numbered 1, 2, … across restarts; a SET whose (`iss`, `jti`)
//! was stored before is kept and flagged `redelivered` (an empty `jti` names no SET: never a
//! copy). Opening reloads every stored SET.

pub mod capture_rows;
mod clean;
mod gate;
mod held;
mod history;
mod lock;
mod prune;
pub mod query;
mod reads;
mod rows;
mod schema;
mod sqlite;
mod summaries;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use rusqlite::ErrorCode;
use tokio::sync::{mpsc, oneshot};

use crate::core::alerts::Alert;
pub use crate::core::exchange::{Exchange, REDACTED};
use crate::core::marker::Marker;
use crate::core::record::{SetRecord, StreamKey};
use crate::core::record_health::RecordHealth;
use crate::core::retention::Retention;
use crate::core::stream::StreamStatus;
use crate::core::time::UnixMillis;
pub use history::{EARLIER_ALERTS_KEPT, History};
use rows::{MarkerRow, StatusRow};
use schema::Target;
pub use sqlite::BodyFor;
use sqlite::{Reply, Write, Writer};

/// Writes waiting for the writer before callers wait for room.
const QUEUE: usize = 1024;

/// A write that did not reach the disk. The messages say what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The disk holding the data folder is full.
    #[error(
        "the record database is out of disk space: free space on the disk that holds the data folder, then retry"
    )]
    DiskFull,
    /// Another process holds the database locked.
    #[error(
        "the record database is locked by another program: close other ssf-inspector instances that use this data folder, then retry"
    )]
    Busy,
    /// The database cannot be written.
    #[error("the record database cannot be written ({0}): check the data folder's permissions")]
    ReadOnly(String),
    /// Any other storage failure.
    #[error(
        "the record database failed to store this ({0}): check the disk and the data folder, then retry"
    )]
    Storage(String),
    /// The record that was asked for cannot be used, and memory was not chosen instead.
    #[error(
        "the record cannot be used ({0}); nothing is acknowledged until it can, or until you choose to keep SETs in memory"
    )]
    Unavailable(String),
    /// The writer has stopped.
    #[error(
        "the record writer has stopped (shutting down, or it failed earlier): restart ssf-inspector"
    )]
    Closed,
}

impl From<rusqlite::Error> for RecordError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy,
            Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
                Self::ReadOnly(err.to_string())
            }
            _ => Self::Storage(err.to_string()),
        }
    }
}

/// A handle on the durable record; clones share the one writer and the in-memory list.
#[derive(Clone)]
pub struct RecordStore {
    writes: mpsc::Sender<Write>,
    records: Arc<held::Held>,
    next_exchange: Arc<AtomicU64>,
    gate: Arc<gate::Gate>,
}

/// What an opened record held: every SET, oldest first, and the rest of its history.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// How many SETs it holds (what they concluded: [`RecordStore::each_summary`]).
    pub count: usize,
    /// Markers, the latest exchanges and earlier runs' alerts.
    pub history: History,
    /// What the retention pruned at open.
    pub pruned: crate::core::retention::Pruned,
}

impl RecordStore {
    /// Open (create) the database at `path` (and its folder), start the single writer, and
    /// return the store with every stored SET read back whole, oldest first (tests, tools:
    /// the window and `watch` read summaries, [`Self::open_kept`]).
    pub async fn open(path: &Path) -> anyhow::Result<(Self, Vec<Arc<SetRecord>>)> {
        let (store, _) = Self::open_all(path).await?;
        let reader = store.clone();
        let records = tokio::task::spawn_blocking(move || reader.snapshot())
            .await
            .context("reading the record back stopped")?;
        Ok((store, records))
    }

    /// Open like [`Self::open`], and also read back the markers (a run that ended without
    /// stopping gets its "receiver lost" marker first), the latest exchanges and the alerts
    /// of earlier runs.
    pub async fn open_all(path: &Path) -> anyhow::Result<(Self, Reloaded)> {
        Self::open_kept(path, Retention::default()).await
    }

    /// [`Self::open_all`], first pruning what `retention` leaves out (said in `Reloaded`).
    pub async fn open_kept(path: &Path, retention: Retention) -> anyhow::Result<(Self, Reloaded)> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::runtime::private::folder(folder)
                .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
        }
        crate::runtime::private::file(path)?;
        let gate = gate::Gate::durable(path.display().to_string());
        Self::start(Target::File(path.to_owned()), gate, retention).await
    }

    /// An in-memory database (tests, `decode`) that behaves the same.
    pub async fn in_memory() -> anyhow::Result<Self> {
        Ok(
            Self::start(Target::Memory, gate::Gate::memory(), Retention::default())
                .await?
                .0,
        )
    }

    /// Stand-in for a record that was asked for at `path` and could not be opened: it keeps
    /// exchanges, markers and alerts in memory but refuses every SET (so pushes are answered
    /// 503 and polled SETs are not acknowledged) until [`Self::choose_memory`].
    pub async fn unavailable(path: &Path, reason: String) -> anyhow::Result<Self> {
        let gate = gate::Gate::unavailable(path.display().to_string(), reason);
        Ok(Self::start(Target::Memory, gate, Retention::default())
            .await?
            .0)
    }

    /// The user chose to keep SETs in memory instead of the unavailable record; false when
    /// the record was not unavailable.
    pub fn choose_memory(&self) -> bool {
        self.gate.choose_memory()
    }

    /// Whether SETs reach the record now.
    pub fn health(&self) -> RecordHealth {
        self.gate.now()
    }

    /// Follow the record's health: changes after this call.
    pub fn watch_health(&self) -> tokio::sync::watch::Receiver<RecordHealth> {
        self.gate.watch()
    }

    async fn start(
        target: Target,
        gate: gate::Gate,
        retention: Retention,
    ) -> anyhow::Result<(Self, Reloaded)> {
        let (writes, queue) = mpsc::channel(QUEUE);
        let (ready, opened) = oneshot::channel();
        let records = Arc::new(match &target {
            Target::File(path) => held::Held::counted(path.clone()),
            Target::Memory => held::Held::all(),
        });
        let shared = Arc::clone(&records);
        let what = target.describe();
        std::thread::Builder::new()
            .name("ssf-record-writer".to_owned())
            .spawn(move || {
                // One process at a time per record, by any name (`lock`). Held until the
                // writer stops, after the connection is closed.
                let _lock = match &target {
                    Target::File(path) => match lock::take(path) {
                        Ok(held) => Some(held),
                        Err(err) => {
                            let _ignored = ready.send(Err(err)).is_ok();
                            return;
                        }
                    },
                    Target::Memory => None,
                };
                let loaded = schema::open(&target)
                    .and_then(|conn| Ok((schema::load(&conn, retention)?, conn)))
                    .with_context(|| {
                        format!(
                            "the record database {} cannot be used (move it aside or choose \
                             another data folder)",
                            target.describe()
                        )
                    });
                match loaded {
                    Ok((mut loaded, conn)) => {
                        // The window starts reading the SETs while the writer indexes them.
                        shared.reloaded(loaded.count);
                        let reloaded = Reloaded {
                            count: loaded.count,
                            history: std::mem::take(&mut loaded.history),
                            pruned: std::mem::take(&mut loaded.pruned),
                        };
                        if ready.send(Ok((reloaded, loaded.next_exchange))).is_ok() {
                            match schema::seen_index(&conn) {
                                Ok(seen) => loaded.seen = seen,
                                Err(err) => tracing::error!(
                                    "the record's SETs could not be indexed, so a SET delivered \
                                     again is not flagged redelivered this session: {err:#}"
                                ),
                            }
                            let file = match &target {
                                Target::File(path) => Some(path.clone()),
                                Target::Memory => None,
                            };
                            Writer::new(conn, loaded, shared).run(queue, file.as_deref());
                        }
                    }
                    Err(err) => {
                        let _ignored = ready.send(Err(err)).is_ok();
                    }
                }
            })
            .context("cannot start the record writer thread")?;
        let (loaded, next_exchange) = opened
            .await
            .with_context(|| format!("the record writer stopped while opening {what}"))??;
        let store = Self {
            writes,
            records,
            next_exchange: Arc::new(AtomicU64::new(next_exchange)),
            gate: Arc::new(gate),
        };
        Ok((store, loaded))
    }

    /// A fresh exchange id: exchanges are numbered before they are written, so the SETs and
    /// alerts they cause can name them.
    pub fn exchange_id(&self) -> u64 {
        self.next_exchange.fetch_add(1, Ordering::Relaxed)
    }

    async fn request<T>(&self, write: impl FnOnce(Reply<T>) -> Write) -> Result<T, RecordError> {
        let result = self.send(write).await;
        self.gate.observe(&result);
        result
    }

    async fn send<T>(&self, write: impl FnOnce(Reply<T>) -> Write) -> Result<T, RecordError> {
        let (reply, answer) = oneshot::channel();
        self.writes
            .send(write(reply))
            .await
            .map_err(|_| RecordError::Closed)?;
        answer.await.map_err(|_| RecordError::Closed)?
    }

    /// Durably store a SET: number it (continuing after a reload), flag it `redelivered` when
    /// its (`iss`, `jti`) was stored before, and return only once it is committed. An error
    /// means it is not stored: answer the push with 5xx, or withhold the poll ack.
    pub async fn append(&self, record: SetRecord) -> Result<Arc<SetRecord>, RecordError> {
        if let Some(refusal) = self.gate.refusal() {
            return Err(refusal);
        }
        self.request(|reply| Write::Set(Box::new(record), reply))
            .await
    }

    /// [`Self::append`] a SET with the exchange that carried it, in the same commit: its
    /// request body is `body_for(seq)`, written once the SET is numbered (a reference to the SET
    /// instead of a second copy of its token). The exchange is handed back as recorded; one
    /// that could not be recorded is logged, and the SET is stored all the same.
    pub async fn append_carried(
        &self,
        record: SetRecord,
        exchange: Exchange,
        body_for: BodyFor,
    ) -> Result<(Arc<SetRecord>, Exchange), RecordError> {
        if let Some(refusal) = self.gate.refusal() {
            return Err(refusal);
        }
        self.request(|reply| Write::Carried(Box::new((record, exchange, body_for)), reply))
            .await
    }

    /// Number of stored SETs.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no SET is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Store an HTTP exchange (credentials redacted); returns its id (one is given to an
    /// exchange that has none).
    pub async fn append_exchange(&self, mut exchange: Exchange) -> Result<i64, RecordError> {
        if exchange.id == 0 {
            exchange.id = self.exchange_id();
        }
        self.request(|reply| Write::Exchange(Box::new(exchange), reply))
            .await
    }

    /// Store a stream status change; `source` says who reported it (e.g. `stream_updated #12`).
    pub async fn append_status(
        &self,
        stream: &StreamKey,
        status: StreamStatus,
        reason: Option<&str>,
        source: &str,
        at: UnixMillis,
    ) -> Result<(), RecordError> {
        let row = StatusRow {
            stream: stream.clone(),
            status,
            reason: reason.map(str::to_owned),
            source: source.to_owned(),
            at,
        };
        self.request(|reply| Write::Status(row, reply)).await
    }

    /// Store an alert, or update it (acknowledged, resolved, last seen) when this session
    /// stored it before; alert ids are per session.
    pub async fn append_alert(&self, alert: &Alert) -> Result<(), RecordError> {
        let alert = Box::new(alert.clone());
        self.request(|reply| Write::Alert(alert, reply)).await
    }

    /// Store a receiver marker (started, stopped) so the timeline can show gaps.
    pub async fn append_marker(&self, marker: &Marker) -> Result<(), RecordError> {
        let row = MarkerRow {
            stream: marker.stream.clone(),
            kind: marker.kind.as_str().to_owned(),
            at: marker.at,
        };
        self.request(|reply| Write::Marker(row, reply)).await
    }

    /// Commit what is queued, close the database and stop the writer; every handle then
    /// answers [`RecordError::Closed`].
    pub async fn close(&self) -> Result<(), RecordError> {
        self.request(Write::Close).await
    }
}
