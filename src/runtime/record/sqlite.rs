//! The single writer: one named thread owns the connection, takes what is queued (up to
//! [`BATCH`]) into one transaction, commits, and only then answers each caller. A write that
//! fails on its own is answered with its error and the rest of the batch commits; when the
//! transaction itself is lost (commit fails, or SQLite rolled it back) every write in it is
//! answered with the error and the numbering is wound back, so nothing is reported as stored
//! that is not.
//!
//! Group commit: when a batch finds others already queued behind its first write (several
//! callers at once), the writer waits [`COMMIT_DELAY`] for more before committing, as
//! PostgreSQL's `commit_delay` does when `commit_siblings` are active. A lone write never waits.
//! Under a 48-connection push load this took commits from ~2.7 to ~5 writes each and the
//! receiver's CPU per SET down by ~35 µs (BENCHMARKS.md, the race against the Go receiver).

use std::collections::HashSet;
use std::sync::Arc;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use super::RecordError;
use super::rows::{self, MarkerRow, Numbering, StatusRow};
use super::schema::Loaded;
use crate::core::alerts::Alert;
use crate::core::exchange::Exchange;
use crate::core::record::SetRecord;

/// Most writes in one transaction.
pub(super) const BATCH: usize = 100;

/// How long a batch that found company waits for more writes before it commits. Each waiting
/// caller's answer is that much later (a push's 202), so it stays far below a push timeout.
const COMMIT_DELAY: std::time::Duration = std::time::Duration::from_millis(2);

/// Where a write's result goes.
pub(super) type Reply<T> = oneshot::Sender<Result<T, RecordError>>;

/// The request body of an exchange that carried a SET, from the SET's number.
pub type BodyFor = Box<dyn FnOnce(u64) -> String + Send>;

/// A SET, the exchange that carried it, and how that exchange names it.
pub(super) type Carried = (SetRecord, Exchange, BodyFor);

/// A request to the writer.
pub(super) enum Write {
    Set(Box<SetRecord>, Reply<Arc<SetRecord>>),
    Carried(Box<Carried>, Reply<(Arc<SetRecord>, Exchange)>),
    Exchange(Box<Exchange>, Reply<i64>),
    Status(StatusRow, Reply<()>),
    Alert(Box<Alert>, Reply<()>),
    Marker(MarkerRow, Reply<()>),
    /// Commit what came before, close the database, stop.
    Close(Reply<()>),
}

impl Write {
    fn reject(self, err: &RecordError) {
        // A caller that stopped waiting needs no answer.
        let _ignored = match self {
            Self::Set(_, reply) => reply.send(Err(err.clone())).is_ok(),
            Self::Carried(_, reply) => reply.send(Err(err.clone())).is_ok(),
            Self::Exchange(_, reply) => reply.send(Err(err.clone())).is_ok(),
            Self::Status(_, reply)
            | Self::Alert(_, reply)
            | Self::Marker(_, reply)
            | Self::Close(reply) => reply.send(Err(err.clone())).is_ok(),
        };
    }
}

/// A write done inside the open transaction, answered after the commit.
enum Outcome {
    Set(Reply<Arc<SetRecord>>, Result<Arc<SetRecord>, RecordError>),
    Carried(
        Reply<(Arc<SetRecord>, Exchange)>,
        Result<(Arc<SetRecord>, Exchange), RecordError>,
    ),
    Row(Reply<i64>, Result<i64, RecordError>),
    Unit(Reply<()>, Result<(), RecordError>),
}

impl Outcome {
    fn error(&self) -> Option<&RecordError> {
        match self {
            Self::Set(_, result) => result.as_ref().err(),
            Self::Carried(_, result) => result.as_ref().err(),
            Self::Row(_, result) => result.as_ref().err(),
            Self::Unit(_, result) => result.as_ref().err(),
        }
    }

    /// Answer the caller; a committed SET joins the in-memory list first.
    fn deliver(self, records: &super::held::Held, lost: Option<&RecordError>) {
        let _ignored = match (self, lost) {
            (Self::Set(reply, _), Some(err)) => reply.send(Err(err.clone())).is_ok(),
            (Self::Carried(reply, _), Some(err)) => reply.send(Err(err.clone())).is_ok(),
            (Self::Row(reply, _), Some(err)) => reply.send(Err(err.clone())).is_ok(),
            (Self::Unit(reply, _), Some(err)) => reply.send(Err(err.clone())).is_ok(),
            (Self::Set(reply, result), None) => {
                if let Ok(record) = &result {
                    records.add(record);
                }
                reply.send(result).is_ok()
            }
            (Self::Carried(reply, result), None) => {
                if let Ok((record, _)) = &result {
                    records.add(record);
                }
                reply.send(result).is_ok()
            }
            (Self::Row(reply, result), None) => reply.send(result).is_ok(),
            (Self::Unit(reply, result), None) => reply.send(result).is_ok(),
        };
    }
}

/// The writer thread's state.
pub(super) struct Writer {
    conn: Connection,
    seen: HashSet<super::schema::SeenKey>,
    next_seq: u64,
    session: i64,
    records: Arc<super::held::Held>,
}

impl Writer {
    pub(super) fn new(conn: Connection, loaded: Loaded, records: Arc<super::held::Held>) -> Self {
        Self {
            conn,
            seen: loaded.seen,
            next_seq: loaded.next_seq,
            session: loaded.session,
            records,
        }
    }

    /// Serve writes until every handle is gone or a [`Write::Close`] arrives. A close that
    /// went cleanly leaves the record `file`'s clean-close marker before it is answered.
    pub(super) fn run(mut self, mut writes: mpsc::Receiver<Write>, file: Option<&std::path::Path>) {
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(first) = writes.blocking_recv() {
            batch.push(first);
            take_queued(&mut writes, &mut batch);
            if batch.len() > 1 && batch.len() < BATCH {
                std::thread::sleep(COMMIT_DELAY);
                take_queued(&mut writes, &mut batch);
            }
            let close = batch.iter().position(|w| matches!(w, Write::Close(_)));
            let rest = close.map(|at| batch.split_off(at));
            self.commit(batch.drain(..));
            if let Some(rest) = rest {
                // Writes queued after the close are dropped: their callers see `Closed`.
                if let Some(Write::Close(reply)) = rest.into_iter().next() {
                    let closed = self.conn.close().map_err(|(_, err)| RecordError::from(err));
                    if let (Ok(()), Some(file)) = (&closed, file) {
                        super::clean::mark(file);
                    }
                    let _ignored = reply.send(closed).is_ok();
                }
                return;
            }
        }
    }

    fn commit(&mut self, batch: impl Iterator<Item = Write>) {
        let start_seq = self.next_seq;
        let tx = match self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(err) => {
                let err = RecordError::from(err);
                batch.for_each(|write| write.reject(&err));
                return;
            }
        };
        let mut numbering = Numbering {
            seen: &mut self.seen,
            next_seq: &mut self.next_seq,
            added: Vec::new(),
        };
        let mut outcomes = Vec::new();
        let mut lost = None;
        let mut batch = batch;
        for write in batch.by_ref() {
            let outcome = apply(&tx, &mut numbering, self.session, write);
            if let Some(err) = outcome.error()
                && tx.is_autocommit()
            {
                // SQLite rolled the whole transaction back (I/O error, disk full).
                lost = Some(err.clone());
            }
            outcomes.push(outcome);
            if lost.is_some() {
                break;
            }
        }
        let added = numbering.added;
        let lost = match lost {
            Some(err) => {
                drop(tx);
                Some(err)
            }
            None => tx.commit().err().map(RecordError::from),
        };
        if let Some(err) = &lost {
            tracing::warn!("a batch of writes to the record was rolled back: {err}");
            self.next_seq = start_seq;
            for key in &added {
                self.seen.remove(key);
            }
            batch.for_each(|write| write.reject(err));
        }
        for outcome in outcomes {
            outcome.deliver(&self.records, lost.as_ref());
        }
    }
}

/// Add what is queued now to `batch`, up to [`BATCH`], without waiting.
fn take_queued(writes: &mut mpsc::Receiver<Write>, batch: &mut Vec<Write>) {
    while batch.len() < BATCH
        && let Ok(next) = writes.try_recv()
    {
        batch.push(next);
    }
}

fn apply(
    tx: &Transaction<'_>,
    numbering: &mut Numbering<'_>,
    session: i64,
    write: Write,
) -> Outcome {
    match write {
        Write::Set(record, reply) => {
            Outcome::Set(reply, rows::insert_set(tx, numbering, session, *record))
        }
        Write::Carried(carried, reply) => {
            let (record, mut exchange, body_for) = *carried;
            let stored = rows::insert_set(tx, numbering, session, record).and_then(|record| {
                exchange.request_body = body_for(record.seq);
                match rows::insert_exchange(tx, session, &exchange) {
                    // SQLite rolled the transaction back: the SET is lost with it.
                    Err(err) if tx.is_autocommit() => return Err(err),
                    Err(err) => tracing::warn!("an HTTP exchange could not be recorded: {err}"),
                    Ok(_) => {}
                }
                Ok((record, exchange))
            });
            Outcome::Carried(reply, stored)
        }
        Write::Exchange(exchange, reply) => {
            Outcome::Row(reply, rows::insert_exchange(tx, session, &exchange))
        }
        Write::Status(row, reply) => Outcome::Unit(reply, rows::insert_status(tx, session, &row)),
        Write::Alert(alert, reply) => Outcome::Unit(reply, rows::upsert_alert(tx, session, &alert)),
        Write::Marker(row, reply) => Outcome::Unit(reply, rows::insert_marker(tx, session, &row)),
        Write::Close(reply) => Outcome::Unit(reply, Ok(())),
    }
}
