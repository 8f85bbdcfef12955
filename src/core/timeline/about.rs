//! The SETs about one subject: each dictionary subject is matched once (the answers kept by the
//! caller, so a subject is never matched twice), then the entries are read in one pass
//! comparing numbers: asking over a million SETs compares a few thousand subjects and a
//! million integers, and asking again as SETs arrive reads only the new ones.

use super::Timeline;
use crate::core::subject_query::SubjectQuery;

impl Timeline {
    /// The indexes (for [`Timeline::entry`]) of the SETs from index `from` on whose subject is
    /// about `query`, in arrival order. `hits` holds the answer for each dictionary subject
    /// matched so far (empty for a new query); the subjects added since are matched now.
    pub fn about_subject(
        &self,
        query: &SubjectQuery,
        hits: &mut Vec<bool>,
        from: usize,
    ) -> Vec<usize> {
        let known = hits.len();
        hits.extend(
            self.dict
                .each_subject()
                .skip(known)
                .map(|(line, values)| query.matches(line, values)),
        );
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
