//! A filter's text terms answered once per distinct text, not once per SET: entries share
//! their streams, issuers, event lists and subjects through the [`Dictionary`], so a rebuild over
//! a million SETs compares each needle with a few thousand texts and looks the rest up. Only
//! `jti`, unique per SET, is compared per entry.

use super::super::filter::{Filter, contains_folded, eq_folded};
use super::dictionary::Dictionary;

/// One free-text needle's answer for each dictionary text, event list and subject.
#[derive(Debug)]
pub(super) struct TextHits {
    pub(super) needle: String,
    pub(super) texts: Vec<bool>,
    pub(super) events: Vec<bool>,
    pub(super) subjects: Vec<bool>,
}

/// The answers of a filter's free-text and `subject:` needles over a dictionary.
#[derive(Debug, Default)]
pub(super) struct Memo {
    pub(super) text: Vec<TextHits>,
    /// `subject:` needles: the answer for each subject.
    pub(super) subject: Vec<(String, Vec<bool>)>,
}

impl Memo {
    /// The answers for `filter` over what `dict` holds now (later texts are compared when met).
    /// Each needle is answered once, however often it is written, and found by binary search.
    pub(super) fn new(filter: &Filter, dict: &Dictionary) -> Self {
        let mut needles: Vec<&str> = filter.text_needles().collect();
        needles.sort_unstable();
        needles.dedup();
        let text = needles
            .into_iter()
            .map(|needle| {
                let hit = |t: &str| contains_folded(t, needle);
                TextHits {
                    needle: needle.to_owned(),
                    texts: dict.each_text().map(hit).collect(),
                    events: dict
                        .each_event_list()
                        .map(|events| events.iter().any(|e| hit(&e.uri) || hit(&e.name)))
                        .collect(),
                    subjects: dict.each_subject().map(|(line, _)| hit(line)).collect(),
                }
            })
            .collect();
        let mut needles: Vec<&str> = filter.subject_needles().collect();
        needles.sort_unstable();
        needles.dedup();
        let subject = needles
            .into_iter()
            .map(|needle| {
                let hits = dict
                    .each_subject()
                    .map(|(line, values)| {
                        values.iter().any(|v| eq_folded(v, needle)) || contains_folded(line, needle)
                    })
                    .collect();
                (needle.to_owned(), hits)
            })
            .collect();
        Self { text, subject }
    }

    pub(super) fn text(&self, needle: &str) -> Option<&TextHits> {
        self.text
            .binary_search_by(|t| t.needle.as_str().cmp(needle))
            .ok()
            .and_then(|at| self.text.get(at))
    }

    pub(super) fn subject(&self, needle: &str) -> Option<&[bool]> {
        self.subject
            .binary_search_by(|(n, _)| n.as_str().cmp(needle))
            .ok()
            .and_then(|at| self.subject.get(at))
            .map(|(_, hits)| hits.as_slice())
    }
}
