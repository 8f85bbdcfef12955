//! The timeline: every received SET and every receiver start/stop marker, in arrival order, with
//! a filter (the filter language, `core::filter`) whose matching rows are cached: a new row is
//! matched as it arrives, the whole view is rebuilt only when the filter changes (or, for a
//! filter with relative times, when it is set again a second later). A filter that does not
//! parse leaves the last good one in force and its error is kept for the window to show.
//! Markers always pass the filter: a gap in coverage must stay visible.
//!
//! SETs are held compact ([`Entry`]); a bounded number of full SETs (the newest, the loaded,
//! the shown) are kept beside them. Free text over the claims of a SET held only compact cannot
//! be answered here: those SETs are listed as [`Unresolved`] for the record to check, and
//! shown when it answers ([`Timeline::resolve`]).

mod about;
mod cache;
mod count;
mod dictionary;
mod entry;
mod memo;

use std::collections::HashMap;
use std::sync::Arc;

pub use cache::FULL_SETS_KEPT;
pub use count::Around;
pub use dictionary::Dictionary;
pub use entry::{Entry, EntryView};

use super::filter::{Filter, FilterError};
use super::marker::Marker;
use super::record::SetRecord;
use super::set_summary::SetSummary;
use super::time::UnixMillis;

/// One row of the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// A SET: an index of [`Timeline::entry`].
    Set(usize),
    /// A marker: an index into [`Timeline::markers`].
    Marker(usize),
}

/// What the filter says of one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Out,
    In,
    /// The claims must be read to tell.
    Unknown,
}

/// SETs the filter cannot judge from their compact entries: the record is asked to check them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    /// Which rebuild they belong to (an answer for an older one is ignored).
    pub generation: u64,
    /// The filter, as typed.
    pub filter: String,
    /// The SETs, by seq, in order.
    pub seqs: Vec<u64>,
}

/// The timeline's rows and the cached filtered view.
#[derive(Debug, Default)]
pub struct Timeline {
    entries: Vec<Entry>,
    dict: Dictionary,
    by_seq: HashMap<u64, usize>,
    marks: Vec<Mark>,
    full: cache::Cache,
    markers: Vec<Marker>,
    /// How many SETs came before each marker (rows are ordered by it; see `visible_position`).
    sets_before_marker: Vec<usize>,
    rows: Vec<Row>,
    filter: String,
    compiled: Filter,
    error: Option<FilterError>,
    /// When the view was last rebuilt (relative times are read against it).
    built_at: UnixMillis,
    generation: u64,
    /// Entries still [`Mark::Unknown`] in this generation.
    unknown: usize,
    /// Entries that were [`Mark::Unknown`] in this generation, answered or not (the search's
    /// size, for its progress).
    asked: usize,
    /// Not yet handed out by [`Self::take_unresolved`].
    to_ask: Option<Unresolved>,
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

    /// Append a SET as it arrives, matched against the current filter at once (its full form
    /// is at hand, so free text is answered too).
    pub fn push(&mut self, record: Arc<SetRecord>, now: UnixMillis) {
        self.counted += 1;
        if self.counting_only {
            return;
        }
        let entry = Entry::from_record(&record, &mut self.dict);
        let mark = if self.compiled.matches(record.as_ref(), now) {
            Mark::In
        } else {
            Mark::Out
        };
        self.full.insert(record);
        self.add(entry, mark);
    }

    /// Append a SET read back from the record (compact: its free text over claims is asked of
    /// the record when a filter needs it).
    pub fn push_summary(&mut self, summary: &SetSummary, now: UnixMillis) {
        self.counted += 1;
        if self.counting_only {
            return;
        }
        let entry = Entry::from_summary(summary, &mut self.dict);
        let mark = match self.compiled.check(summary, now) {
            Some(true) => Mark::In,
            Some(false) => Mark::Out,
            None => {
                self.unknown += 1;
                self.asked += 1;
                let ask = self.to_ask.get_or_insert_with(|| Unresolved {
                    generation: self.generation,
                    filter: self.filter.clone(),
                    seqs: Vec::new(),
                });
                ask.seqs.push(summary.seq);
                Mark::Unknown
            }
        };
        self.add(entry, mark);
    }

    fn add(&mut self, entry: Entry, mark: Mark) {
        let index = self.entries.len();
        self.by_seq.insert(entry.seq(), index);
        self.entries.push(entry);
        self.marks.push(mark);
        self.rows.push(Row::Set(index));
        if mark == Mark::In {
            self.visible.push(Row::Set(index));
            self.visible_sets += 1;
        }
    }

    /// A full SET loaded from the record (for the details): kept among the full SETs.
    pub fn loaded(&mut self, record: Arc<SetRecord>) {
        self.full.insert(record);
    }

    /// Keep the shown SET's full form however many arrive after it.
    pub fn keep(&mut self, seq: Option<u64>) {
        self.full.keep(seq);
    }

    /// The full SET with this seq, when it is held (else it must be loaded from the record).
    pub fn full(&self, seq: u64) -> Option<&Arc<SetRecord>> {
        self.full.get(seq)
    }

    /// Append a receiver marker.
    pub fn push_marker(&mut self, marker: Marker) {
        let row = Row::Marker(self.markers.len());
        self.markers.push(marker);
        self.sets_before_marker.push(self.entries.len());
        self.rows.push(row);
        self.visible.push(row);
    }

    /// Place markers read after the SETs they fall between (a capture writes its markers after
    /// its SETs): each goes after the SETs received before it (at the same millisecond, a start
    /// before the SET, a stop or loss after it), and the rows are laid out again once.
    pub fn insert_markers(&mut self, markers: impl IntoIterator<Item = Marker>) {
        let before = self.markers.len();
        for marker in markers {
            let position = self.entries.partition_point(|entry| {
                let at = entry.received_at();
                at < marker.at || (at == marker.at && marker.kind.ends_coverage())
            });
            self.markers.push(marker);
            self.sets_before_marker.push(position);
        }
        if self.markers.len() == before {
            return;
        }
        let mut order: Vec<usize> = (0..self.markers.len()).collect();
        order.sort_by_key(|m| self.sets_before_marker.get(*m).copied().unwrap_or(0));
        self.rows.clear();
        self.rows.reserve(self.entries.len() + order.len());
        let mut next = order.into_iter().peekable();
        for index in 0..=self.entries.len() {
            while let Some(m) =
                next.next_if(|m| self.sets_before_marker.get(*m).copied().unwrap_or(0) <= index)
            {
                self.rows.push(Row::Marker(m));
            }
            if index < self.entries.len() {
                self.rows.push(Row::Set(index));
            }
        }
        self.refresh_visible();
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
    pub fn set_filter(&mut self, filter: &str, now: UnixMillis) {
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
        self.rebuild(now);
    }

    fn rebuild(&mut self, now: UnixMillis) {
        self.built_at = now;
        self.generation += 1;
        let mut unresolved = Vec::new();
        let memo = memo::Memo::new(&self.compiled, &self.dict);
        for (entry, mark) in self.entries.iter().zip(self.marks.iter_mut()) {
            let view = EntryView {
                entry,
                dict: &self.dict,
                memo: Some(&memo),
            };
            let answer = self.compiled.check(&view, now).or_else(|| {
                let full = self.full.get(entry.seq())?;
                Some(self.compiled.matches(full.as_ref(), now))
            });
            *mark = match answer {
                Some(true) => Mark::In,
                Some(false) => Mark::Out,
                None => {
                    unresolved.push(entry.seq());
                    Mark::Unknown
                }
            };
        }
        self.unknown = unresolved.len();
        self.asked = unresolved.len();
        self.to_ask = (!unresolved.is_empty()).then(|| Unresolved {
            generation: self.generation,
            filter: self.filter.clone(),
            seqs: unresolved,
        });
        self.refresh_visible();
    }

    fn refresh_visible(&mut self) {
        let marks = &self.marks;
        self.visible.clear();
        self.visible
            .extend(self.rows.iter().copied().filter(|row| match row {
                Row::Set(i) => marks.get(*i) == Some(&Mark::In),
                Row::Marker(_) => true,
            }));
        self.visible_sets = self
            .visible
            .iter()
            .filter(|r| matches!(r, Row::Set(_)))
            .count();
    }

    /// The SETs the record must check for the current filter (handed out once).
    pub fn take_unresolved(&mut self) -> Option<Unresolved> {
        self.to_ask.take()
    }

    /// How many SETs wait for the record's answer to the current filter.
    pub fn unresolved(&self) -> usize {
        self.unknown
    }

    /// The record's search for the current filter: how many SETs it has answered for, of how
    /// many it was asked (`(0, 0)`: none asked).
    pub fn search_progress(&self) -> (usize, usize) {
        (self.asked.saturating_sub(self.unknown), self.asked)
    }

    /// The record's answer for some unresolved SETs: `(seq, matches)`. An answer for an older
    /// filter is ignored.
    pub fn resolve(&mut self, generation: u64, answers: &[(u64, bool)]) {
        if generation != self.generation {
            return;
        }
        let mut changed = false;
        for (seq, hit) in answers {
            let Some(mark) = self.by_seq.get(seq).and_then(|i| self.marks.get_mut(*i)) else {
                continue;
            };
            if *mark == Mark::Unknown {
                *mark = if *hit { Mark::In } else { Mark::Out };
                self.unknown = self.unknown.saturating_sub(1);
                changed |= *hit;
            }
        }
        if changed {
            self.refresh_visible();
        }
    }

    /// The rows that pass the filter (markers always do), in order.
    pub fn visible(&self) -> &[Row] {
        &self.visible
    }

    /// Where the SET with this seq is among the visible rows (a binary search: rows are in
    /// arrival order, a marker after the SETs that came before it).
    pub fn visible_position(&self, seq: u64) -> Option<usize> {
        let index = self.index_of_seq(seq)?;
        let key = |row: &Row| match row {
            Row::Set(i) => (*i, 1),
            Row::Marker(m) => (self.sets_before_marker.get(*m).copied().unwrap_or(0), 0),
        };
        self.visible.binary_search_by_key(&(index, 1), key).ok()
    }

    /// How many SETs pass the filter.
    pub fn visible_sets(&self) -> usize {
        self.visible_sets
    }

    /// The seqs of the SETs that pass the filter, in order.
    pub fn visible_seqs(&self) -> impl Iterator<Item = u64> + '_ {
        self.visible.iter().filter_map(|row| match row {
            Row::Set(i) => self.entries.get(*i).map(Entry::seq),
            Row::Marker(_) => None,
        })
    }

    /// The SET at an index of a [`Row::Set`].
    pub fn entry(&self, index: usize) -> Option<EntryView<'_>> {
        self.entries.get(index).map(|entry| EntryView {
            entry,
            dict: &self.dict,
            memo: None,
        })
    }

    /// Every SET held, in arrival order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = EntryView<'_>> {
        self.entries.iter().map(|entry| EntryView {
            entry,
            dict: &self.dict,
            memo: None,
        })
    }

    /// The marker at an index into [`Self::markers`].
    pub fn marker(&self, index: usize) -> Option<&Marker> {
        self.markers.get(index)
    }

    /// Index of the SET with this seq.
    pub fn index_of_seq(&self, seq: u64) -> Option<usize> {
        self.by_seq.get(&seq).copied()
    }

    /// The seqs of the SETs the exchange with this id carried.
    pub fn carried_by(&self, exchange: u64) -> Vec<u64> {
        self.entries
            .iter()
            .filter(|e| e.came_in(exchange))
            .map(Entry::seq)
            .collect()
    }

    /// Whether a SET with this seq is on the timeline.
    pub fn contains(&self, seq: u64) -> bool {
        self.by_seq.contains_key(&seq)
    }

    /// The texts the entries share (for measuring).
    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }

    /// Number of SETs (markers not counted), held or only counted.
    pub fn len(&self) -> usize {
        self.counted
    }

    /// True when no SET was received.
    pub fn is_empty(&self) -> bool {
        self.counted == 0
    }
}
