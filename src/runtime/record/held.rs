//! What the store keeps of its SETs in memory. An in-memory record keeps them all (there is
//! nothing else to read them back from). A record on disk keeps only their count: the window's
//! timeline and `watch` get each SET as it is stored, and a snapshot (export, tests) is read
//! back from the file, so a long run does not hold every SET a second time.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::RwLock;

use crate::core::filter::Filter;
use crate::core::record::SetRecord;
use crate::core::set_summary::SetSummary;
use crate::core::time::UnixMillis;

/// The store's SETs as held in memory.
pub(super) struct Held {
    /// In memory: every stored SET. On disk: none.
    list: Option<RwLock<Vec<Arc<SetRecord>>>>,
    /// On disk: the file a snapshot is read from.
    path: Option<PathBuf>,
    count: AtomicUsize,
}

impl Held {
    /// For an in-memory record: every SET is kept.
    pub(super) fn all() -> Self {
        Self {
            list: Some(RwLock::new(Vec::new())),
            path: None,
            count: AtomicUsize::new(0),
        }
    }

    /// For a record in `path`: only the count.
    pub(super) fn counted(path: PathBuf) -> Self {
        Self {
            list: None,
            path: Some(path),
            count: AtomicUsize::new(0),
        }
    }

    /// Call `each` with every stored SET, oldest first, until it returns false: from memory,
    /// or read back from the file one at a time (blocking), so none is held beyond the one
    /// being handled.
    pub(super) fn each(&self, mut each: impl FnMut(&SetRecord) -> bool) -> anyhow::Result<()> {
        if let Some(list) = &self.list {
            let list = list.read().clone();
            for record in &list {
                if !each(record) {
                    break;
                }
            }
            return Ok(());
        }
        let Some(path) = &self.path else {
            return Ok(());
        };
        super::query::each_set(path, |record| each(&record)).map(|_| ())
    }

    /// How many SETs the record held at open.
    pub(super) fn reloaded(&self, count: usize) {
        self.count.store(count, Ordering::Relaxed);
    }

    /// What every stored SET concluded, oldest first, `part` at a time (blocking on disk).
    pub(super) fn summaries(
        &self,
        part: usize,
        mut each: impl FnMut(Vec<SetSummary>) -> bool,
    ) -> anyhow::Result<usize> {
        if let Some(list) = &self.list {
            let all: Vec<SetSummary> = list.read().iter().map(|r| SetSummary::of(r)).collect();
            let count = all.len();
            for chunk in all.chunks(part.max(1)) {
                if !each(chunk.to_vec()) {
                    break;
                }
            }
            return Ok(count);
        }
        let Some(path) = &self.path else {
            return Ok(0);
        };
        super::query::each_summary(path, part, each)
    }

    /// The stored SET with this seq (blocking on disk); `None` when there is none.
    pub(super) fn one(&self, seq: u64) -> anyhow::Result<Option<Arc<SetRecord>>> {
        if let Some(list) = &self.list {
            let list = list.read();
            return Ok(list
                .binary_search_by_key(&seq, |r| r.seq)
                .ok()
                .and_then(|i| list.get(i).cloned()));
        }
        let Some(path) = &self.path else {
            return Ok(None);
        };
        Ok(super::query::read_one(path, seq)?.map(Arc::new))
    }

    /// The filter's answer for each of `seqs` (sorted), with the SETs' claims, a part at a
    /// time to `each` (which returns false to stop); blocking on disk.
    pub(super) fn check(
        &self,
        filter: &Filter,
        now: UnixMillis,
        seqs: &[u64],
        mut each: impl FnMut(Vec<(u64, bool)>) -> bool,
    ) -> anyhow::Result<()> {
        if let Some(list) = &self.list {
            let answers: Vec<(u64, bool)> = {
                let list = list.read();
                seqs.iter()
                    .map(|seq| {
                        let hit = list
                            .binary_search_by_key(seq, |r| r.seq)
                            .ok()
                            .and_then(|i| list.get(i))
                            .is_some_and(|r| filter.matches(r.as_ref(), now));
                        (*seq, hit)
                    })
                    .collect()
            };
            each(answers);
            return Ok(());
        }
        let Some(path) = &self.path else {
            each(seqs.iter().map(|s| (*s, false)).collect());
            return Ok(());
        };
        super::query::check_sets(path, filter, now, seqs, each)
    }

    /// A SET was committed.
    pub(super) fn add(&self, record: &Arc<SetRecord>) {
        if let Some(list) = &self.list {
            list.write().push(Arc::clone(record));
        }
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// How many SETs are stored.
    pub(super) fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Every stored SET, oldest first: shared from memory, or read back from the file
    /// (blocking; an unreadable SET ends the list early and is logged).
    pub(super) fn snapshot(&self) -> Vec<Arc<SetRecord>> {
        if let Some(list) = &self.list {
            return list.read().clone();
        }
        let Some(path) = &self.path else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let read = super::query::each_set(path, |record| {
            out.push(Arc::new(record));
            true
        });
        if let Err(err) = read {
            tracing::error!("reading the record's SETs back failed: {err:#}");
        }
        out
    }
}
