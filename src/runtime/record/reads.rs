//! What the store reads back, all blocking on disk (call them off the async workers): every SET
//! whole, what every SET concluded, one SET by seq, and the filter's answer for given SETs.

use std::sync::Arc;

use super::RecordStore;
use crate::core::filter::Filter;
use crate::core::record::SetRecord;
use crate::core::set_summary::SetSummary;
use crate::core::time::UnixMillis;

impl RecordStore {
    /// Call `each` with every stored SET whole, oldest first, until it returns false; a record
    /// on disk is read one SET at a time (blocking: call it off the async workers).
    pub fn each_stored(&self, each: impl FnMut(&SetRecord) -> bool) -> anyhow::Result<()> {
        self.records.each(each)
    }

    /// What every stored SET concluded, oldest first, `part` at a time to `each` (false stops);
    /// blocking on disk. Returns how many were read.
    pub fn each_summary(
        &self,
        part: usize,
        each: impl FnMut(Vec<SetSummary>) -> bool,
    ) -> anyhow::Result<usize> {
        self.records.summaries(part, each)
    }

    /// What every stored SET concluded, oldest first, all at once (tests, tools); blocking.
    pub fn summaries(&self) -> anyhow::Result<Vec<SetSummary>> {
        let mut all = Vec::new();
        self.each_summary(4096, |part| {
            all.extend(part);
            true
        })?;
        Ok(all)
    }

    /// The stored SET with this seq, read back whole (blocking on disk: call it off the async
    /// workers); `None` when the record has none (pruned, or never stored).
    pub fn read_set(&self, seq: u64) -> anyhow::Result<Option<Arc<SetRecord>>> {
        self.records.one(seq)
    }

    /// The filter's answer for each of `seqs` (sorted) with the SETs' claims, a part at a time
    /// to `each` (false stops); blocking on disk.
    pub fn check_sets(
        &self,
        filter: &Filter,
        now: UnixMillis,
        seqs: &[u64],
        each: impl FnMut(Vec<(u64, bool)>) -> bool,
    ) -> anyhow::Result<()> {
        self.records.check(filter, now, seqs, each)
    }

    /// Every stored SET, oldest first: shared from memory for an in-memory record, read back
    /// from the file for a record on disk (blocking: call it off the async workers there).
    pub fn snapshot(&self) -> Vec<Arc<SetRecord>> {
        self.records.snapshot()
    }
}
