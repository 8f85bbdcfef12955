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
    pub(super) fn new(filter: &Filter, dict: &Dictionary) -> Self {
        let text = filter
            .text_needles()
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
        let subject = filter
            .subject_needles()
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
        self.text.iter().find(|t| t.needle == needle)
    }

    pub(super) fn subject(&self, needle: &str) -> Option<&[bool]> {
        self.subject
            .iter()
            .find(|(n, _)| n == needle)
            .map(|(_, hits)| hits.as_slice())
    }
}
