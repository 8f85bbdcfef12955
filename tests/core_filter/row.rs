//! A compact row that keeps what the fields need but not the texts (as the million-event index
//! will): field terms are answered from it, free text is "cannot tell".

use ssf_inspector::core::events::Family;
use ssf_inspector::core::filter::{Filter, Filterable};
use ssf_inspector::core::lint::Level;
use ssf_inspector::core::record::{SetRecord, Transport};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::Verdict;

use super::{NOW, RECORDS};

/// A compact row that keeps what the fields need but not the texts.
struct Row<'a>(&'a SetRecord);

impl Filterable for Row<'_> {
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool {
        self.0.any_event(visit)
    }
    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        self.0.any_subject_value(visit)
    }
    fn subject_line(&self) -> &str {
        &self.0.subject
    }
    fn stream(&self) -> &str {
        &self.0.stream.0
    }
    fn iss(&self) -> Option<&str> {
        self.0.iss.as_deref()
    }
    fn jti(&self) -> Option<&str> {
        self.0.jti.as_deref()
    }
    fn verdict(&self) -> Verdict {
        self.0.verification.verdict
    }
    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool {
        self.0.any_finding(visit)
    }
    fn transport(&self) -> Transport {
        self.0.transport
    }
    fn redelivered(&self) -> bool {
        self.0.redelivered
    }
    fn rejected(&self) -> bool {
        self.0.rejection.is_some()
    }
    fn received_at(&self) -> UnixMillis {
        self.0.received_at
    }
    fn text_contains(&self, _: &str) -> Option<bool> {
        None
    }
}

#[test]
fn a_row_without_texts_says_when_it_cannot_tell() {
    let caep_text = Filter::parse("family:caep password").unwrap();
    assert!(caep_text.needs_full_record());
    let rows: Vec<Option<bool>> = RECORDS
        .iter()
        .map(|r| caep_text.check(&Row(r), NOW))
        .collect();
    assert_eq!(
        rows,
        [None, Some(false), Some(false), None, None, Some(false)]
    );
    assert_eq!(caep_text.check(&RECORDS[3], NOW), Some(true));
    assert!(!caep_text.matches(&Row(&RECORDS[3]), NOW));
    let either = Filter::parse("family:risc or password").unwrap();
    assert_eq!(either.check(&Row(&RECORDS[5]), NOW), Some(true));
    assert_eq!(either.check(&Row(&RECORDS[0]), NOW), None);
    let fields = Filter::parse("type:stream-updated -redelivered subject:bob").unwrap();
    let by_row: Vec<bool> = RECORDS
        .iter()
        .map(|r| fields.matches(&Row(r), NOW))
        .collect();
    let by_record: Vec<bool> = RECORDS.iter().map(|r| fields.matches(r, NOW)).collect();
    assert_eq!(by_row, by_record);
}
