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

/// The record itself, or a compact row of it (free text "cannot tell"), counting the
/// free-text questions it is asked.
struct Counting<'a> {
    set: &'a SetRecord,
    compact: bool,
    asked: std::cell::Cell<usize>,
}

impl Filterable for Counting<'_> {
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool {
        self.set.any_event(visit)
    }
    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        self.set.any_subject_value(visit)
    }
    fn subject_line(&self) -> &str {
        self.set.subject_line()
    }
    fn stream(&self) -> &str {
        Filterable::stream(self.set)
    }
    fn iss(&self) -> Option<&str> {
        Filterable::iss(self.set)
    }
    fn jti(&self) -> Option<&str> {
        Filterable::jti(self.set)
    }
    fn verdict(&self) -> Verdict {
        Filterable::verdict(self.set)
    }
    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool {
        self.set.any_finding(visit)
    }
    fn transport(&self) -> Transport {
        Filterable::transport(self.set)
    }
    fn redelivered(&self) -> bool {
        Filterable::redelivered(self.set)
    }
    fn rejected(&self) -> bool {
        Filterable::rejected(self.set)
    }
    fn received_at(&self) -> UnixMillis {
        Filterable::received_at(self.set)
    }
    fn text_contains(&self, needle: &str) -> Option<bool> {
        self.asked.set(self.asked.get() + 1);
        if self.compact {
            None
        } else {
            self.set.text_contains(needle)
        }
    }
}

/// `and` stops at its first false term and `or` at its first true one, and the terms that need
/// no free text are asked first (a compact row cannot answer free text, and a record answers it
/// by reading claims): free text is looked for only when the rest leaves the answer open. The
/// answers are those of the terms in the order written.
#[test]
fn and_stops_at_the_first_false_term_and_or_at_the_first_true() {
    let asked = |filter: &str, compact: bool| {
        let item = Counting {
            set: &RECORDS[0],
            compact,
            asked: std::cell::Cell::new(0),
        };
        let answer = Filter::parse(filter).unwrap().check(&item, NOW);
        (answer, item.asked.get())
    };
    let absent = (0..60)
        .map(|i| format!("absent{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let either = absent.replace(' ', " or ");
    for compact in [false, true] {
        // A field term that answers the whole, written after the words or before them.
        assert_eq!(
            asked(&format!("{absent} family:risc"), compact),
            (Some(false), 0)
        );
        assert_eq!(
            asked(&format!("family:risc {absent}"), compact),
            (Some(false), 0)
        );
        assert_eq!(
            asked(&format!("{either} or family:caep"), compact),
            (Some(true), 0)
        );
        assert_eq!(
            asked(&format!("-({absent}) family:risc"), compact),
            (Some(false), 0),
            "a group with free text is asked after the terms beside it"
        );
    }
    // Free text itself: the first false word ends an `and`, the first true one an `or`.
    assert_eq!(asked(&absent, false), (Some(false), 1));
    assert_eq!(
        asked(&format!("family:caep {absent}"), false),
        (Some(false), 1)
    );
    assert_eq!(
        asked("absent or session or absent2", false),
        (Some(true), 2)
    );
    // A row that cannot tell leaves it open, having asked each word once.
    assert_eq!(asked(&format!("family:caep {absent}"), true), (None, 60));
}
