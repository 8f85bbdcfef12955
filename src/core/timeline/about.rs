//! The SETs about one subject: each dictionary subject is matched once, then the entries are
//! read in one pass comparing numbers, so asking over a million SETs compares a few thousand
//! subjects and a million integers.

use super::Timeline;
use crate::core::subject_query::SubjectQuery;

impl Timeline {
    /// The indexes (for [`Timeline::entry`]) of the SETs from index `from` on whose subject is
    /// about `query`, in arrival order.
    pub fn about_subject(&self, query: &SubjectQuery, from: usize) -> Vec<usize> {
        let hits: Vec<bool> = self
            .dict
            .each_subject()
            .map(|(line, values)| query.matches(line, values))
            .collect();
        if !hits.contains(&true) {
            return Vec::new();
        }
        self.entries
            .iter()
            .enumerate()
            .skip(from)
            .filter(|(_, entry)| {
                hits.get(entry.subject_number() as usize)
                    .copied()
                    .unwrap_or(false)
            })
            .map(|(index, _)| index)
            .collect()
    }
}
