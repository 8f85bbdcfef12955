//! The timeline: every received SET in arrival order, with a filter whose matching rows are
//! cached and only recomputed when the filter changes or rows arrive.

use std::sync::Arc;

use super::record::SetRecord;

/// The timeline's rows and the cached filtered view.
#[derive(Debug, Default)]
pub struct Timeline {
    records: Vec<Arc<SetRecord>>,
    filter: String,
    visible: Vec<usize>,
}

impl Timeline {
    /// Append a record (it is matched against the current filter at once).
    pub fn push(&mut self, record: Arc<SetRecord>) {
        if matches(&record, &self.filter) {
            self.visible.push(self.records.len());
        }
        self.records.push(record);
    }

    /// All records, in arrival order.
    pub fn records(&self) -> &[Arc<SetRecord>] {
        &self.records
    }

    /// The current filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Change the filter (case-insensitive substring over event name, URI, subject, verdict, jti).
    pub fn set_filter(&mut self, filter: &str) {
        if filter == self.filter {
            return;
        }
        filter.clone_into(&mut self.filter);
        self.visible = (0..self.records.len())
            .filter(|&i| self.records.get(i).is_some_and(|r| matches(r, filter)))
            .collect();
    }

    /// Indices (into [`Self::records`]) of the rows that pass the filter.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The record at an index into [`Self::records`].
    pub fn get(&self, index: usize) -> Option<&Arc<SetRecord>> {
        self.records.get(index)
    }

    /// Index of the record with this seq.
    pub fn index_of_seq(&self, seq: u64) -> Option<usize> {
        self.records.iter().rposition(|r| r.seq == seq)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

fn matches(record: &SetRecord, filter: &str) -> bool {
    if filter.is_empty() {
        return true;
    }
    let needle = filter.to_lowercase();
    let hit = |text: &str| text.to_lowercase().contains(&needle);
    record.events.iter().any(|e| hit(&e.name) || hit(&e.uri))
        || hit(&record.subject)
        || hit(record.verification.verdict.label())
        || record.jti.as_deref().is_some_and(hit)
        || record.stream.0.to_lowercase().contains(&needle)
}
