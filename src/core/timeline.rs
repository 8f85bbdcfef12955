//! The timeline: every received SET and every receiver start/stop marker, in arrival order, with
//! a filter (the filter language, `core::filter`) whose matching rows are cached: a new row is
//! matched as it arrives, the whole view is rebuilt only when the filter changes (or, for a
//! filter with relative times, when it is set again a second later). A filter that does not
//! parse leaves the last good one in force and its error is kept for the window to show.
//! Markers always pass the filter: a gap in coverage must stay visible.

use std::sync::Arc;

use super::filter::{Filter, FilterError};
use super::marker::Marker;
use super::record::SetRecord;
use super::time::UnixMillis;

/// One row of the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// A SET: an index into [`Timeline::records`].
    Set(usize),
    /// A marker: an index into [`Timeline::markers`].
    Marker(usize),
}

/// The timeline's rows and the cached filtered view.
#[derive(Debug, Default)]
pub struct Timeline {
    records: Vec<Arc<SetRecord>>,
    markers: Vec<Marker>,
    rows: Vec<Row>,
    filter: String,
    compiled: Filter,
    error: Option<FilterError>,
    /// When the view was last rebuilt (relative times are read against it).
    built_at: UnixMillis,
    visible: Vec<Row>,
    visible_sets: usize,
    /// Headless (`watch`): SETs are counted, not held (markers still are).
    counting_only: bool,
    counted: usize,
}

impl Timeline {
    /// A timeline that counts SETs without holding them (headless `watch` prints each SET as
    /// it comes and needs none later, so memory stays flat however long it runs).
    pub fn counting() -> Self {
        Self {
            counting_only: true,
            ..Self::default()
        }
    }

    /// Append a record (it is matched against the current filter at once).
    pub fn push(&mut self, record: Arc<SetRecord>) {
        self.counted += 1;
        if self.counting_only {
            return;
        }
        let row = Row::Set(self.records.len());
        if self.compiled.matches(record.as_ref(), UnixMillis::now()) {
            self.visible.push(row);
            self.visible_sets += 1;
        }
        self.records.push(record);
        self.rows.push(row);
    }

    /// Append a receiver marker.
    pub fn push_marker(&mut self, marker: Marker) {
        let row = Row::Marker(self.markers.len());
        self.markers.push(marker);
        self.rows.push(row);
        self.visible.push(row);
    }

    /// All records, in arrival order.
    pub fn records(&self) -> &[Arc<SetRecord>] {
        &self.records
    }

    /// All markers, in arrival order.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// The current filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The filter in force, written out (the last one that parsed).
    pub fn filter_in_force(&self) -> String {
        self.compiled.to_string()
    }

    /// Why the filter text does not parse (the last good filter is in force meanwhile).
    pub fn filter_error(&self) -> Option<&FilterError> {
        self.error.as_ref()
    }

    /// Change the filter text (the filter language: free text, `type:`, `subject:`, …). The
    /// view is rebuilt when the filter changes, or a second after the last rebuild when it has
    /// relative times (`after:-15m`).
    pub fn set_filter(&mut self, filter: &str) {
        let now = UnixMillis::now();
        let stale = self.compiled.depends_on_now() && now.millis_since(self.built_at) >= 1000;
        if filter == self.filter && !stale {
            return;
        }
        if filter != self.filter {
            filter.clone_into(&mut self.filter);
            match Filter::parse(filter) {
                Ok(compiled) => {
                    self.compiled = compiled;
                    self.error = None;
                }
                Err(error) => {
                    self.error = Some(error);
                    return;
                }
            }
        }
        self.built_at = now;
        let (records, compiled) = (&self.records, &self.compiled);
        self.visible = self
            .rows
            .iter()
            .copied()
            .filter(|row| match row {
                Row::Set(i) => records
                    .get(*i)
                    .is_some_and(|r| compiled.matches(r.as_ref(), now)),
                Row::Marker(_) => true,
            })
            .collect();
        self.visible_sets = self
            .visible
            .iter()
            .filter(|r| matches!(r, Row::Set(_)))
            .count();
    }

    /// The rows that pass the filter (markers always do), in order.
    pub fn visible(&self) -> &[Row] {
        &self.visible
    }

    /// How many SETs pass the filter.
    pub fn visible_sets(&self) -> usize {
        self.visible_sets
    }

    /// The seqs of the SETs that pass the filter, in order.
    pub fn visible_seqs(&self) -> impl Iterator<Item = u64> + '_ {
        self.visible.iter().filter_map(|row| match row {
            Row::Set(i) => self.records.get(*i).map(|r| r.seq),
            Row::Marker(_) => None,
        })
    }

    /// The record at an index into [`Self::records`].
    pub fn get(&self, index: usize) -> Option<&Arc<SetRecord>> {
        self.records.get(index)
    }

    /// The marker at an index into [`Self::markers`].
    pub fn marker(&self, index: usize) -> Option<&Marker> {
        self.markers.get(index)
    }

    /// Index of the record with this seq.
    pub fn index_of_seq(&self, seq: u64) -> Option<usize> {
        self.records.iter().rposition(|r| r.seq == seq)
    }

    /// Number of records (markers not counted), held or only counted.
    pub fn len(&self) -> usize {
        self.counted
    }

    /// True when no SET was received.
    pub fn is_empty(&self) -> bool {
        self.counted == 0
    }
}
