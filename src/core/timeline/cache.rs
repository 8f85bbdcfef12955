//! The full SETs the timeline holds beside its compact entries: the latest ones to arrive or
//! be loaded (a bounded number), and the one the window shows, which is never evicted.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::super::record::SetRecord;

/// How many full SETs are kept besides the one shown (the newest arrivals and loads).
pub const FULL_SETS_KEPT: usize = 256;

/// Full SETs by seq, oldest evicted first; the kept one stays.
#[derive(Debug, Default)]
pub(super) struct Cache {
    by_seq: HashMap<u64, Arc<SetRecord>>,
    order: VecDeque<u64>,
    kept: Option<Arc<SetRecord>>,
}

impl Cache {
    pub(super) fn insert(&mut self, record: Arc<SetRecord>) {
        let seq = record.seq;
        if self.by_seq.insert(seq, record).is_none() {
            self.order.push_back(seq);
        }
        while self.order.len() > FULL_SETS_KEPT {
            if let Some(old) = self.order.pop_front() {
                self.by_seq.remove(&old);
            }
        }
    }

    pub(super) fn get(&self, seq: u64) -> Option<&Arc<SetRecord>> {
        self.kept
            .as_ref()
            .filter(|r| r.seq == seq)
            .or_else(|| self.by_seq.get(&seq))
    }

    /// Keep this SET (the shown one) however many arrive after it.
    pub(super) fn keep(&mut self, seq: Option<u64>) {
        if self.kept.as_ref().map(|r| r.seq) == seq {
            return;
        }
        self.kept = seq.and_then(|seq| self.by_seq.get(&seq).cloned());
    }
}
