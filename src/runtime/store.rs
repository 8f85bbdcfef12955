//! The in-memory record of received SETs: numbers them, flags redeliveries by (`iss`, `jti`),
//! and keeps every one (a durable SQLite store replaces it behind the same calls later).

use std::collections::HashSet;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::core::record::SetRecord;

#[derive(Default)]
struct Inner {
    records: Vec<Arc<SetRecord>>,
    seen: HashSet<(String, String)>,
}

/// Every SET received this session, in the order it was stored.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

impl MemoryStore {
    /// Store a record: assign its seq, flag it if its (`iss`, `jti`) was seen before.
    pub fn append(&self, mut record: SetRecord) -> Arc<SetRecord> {
        let mut inner = self.inner.lock();
        record.seq = inner.records.len() as u64 + 1;
        if let (Some(iss), Some(jti)) = (&record.iss, &record.jti) {
            record.redelivered = !inner.seen.insert((iss.clone(), jti.clone()));
        }
        let record = Arc::new(record);
        inner.records.push(Arc::clone(&record));
        record
    }

    /// A copy of the list of records (cheap: the records are shared).
    pub fn snapshot(&self) -> Vec<Arc<SetRecord>> {
        self.inner.lock().records.clone()
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.inner.lock().records.len()
    }

    /// True when nothing was stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
