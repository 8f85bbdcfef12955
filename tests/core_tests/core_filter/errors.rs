//! Filters that do not parse: each error's exact span and what it tells to write instead; the
//! nesting, length and term caps; and property tests: no input panics, errors point inside the text, and a
//! filter written back parses to the same filter.

use proptest::prelude::*;
use ssf_inspector::core::filter::{Filter, FilterError, MAX_DEPTH, MAX_FILTER_CHARS, MAX_TERMS};

use super::{NOW, RECORDS};

fn error(text: &str) -> FilterError {
    match Filter::parse(text) {
        Ok(filter) => panic!("{text:?} parsed as {filter}"),
        Err(e) => e,
    }
}

/// (byte offset, byte length, column, character length) of the error of `text`.
fn span(text: &str) -> (usize, usize, usize, usize) {
    let p = error(text).position;
    (p.offset, p.len, p.column, p.char_len)
}

fn says(text: &str, words: &[&str]) {
    let message = error(text).message;
    for word in words {
        assert!(
            message.contains(word),
            "{text:?}: {message:?} lacks {word:?}"
        );
    }
}

#[test]
fn an_unknown_field_is_named_with_the_known_ones() {
    assert_eq!(span("family:caep tpye:x"), (12, 4, 12, 4));
    says(
        "family:caep tpye:x",
        &[
            "did you mean `type:`",
            "type, family, subject, stream, iss, jti, verdict, finding, severity, transport, \
             is, after, before",
            "quotes",
        ],
    );
    assert_eq!(
        error("color:red").to_string(),
        format!("column 1: {}", error("color:red").message)
    );
}

#[test]
fn an_unknown_event_type_suggests_catalogue_names() {
    assert_eq!(span("type:sesion-revoked"), (5, 14, 5, 14));
    says(
        "type:sesion-revoked",
        &[
            "unknown event type `sesion-revoked`",
            "did you mean session-revoked",
        ],
    );
    // Columns count characters, offsets bytes.
    assert_eq!(span("é type:nope"), (8, 4, 7, 4));
    // Within a list, the bad name alone.
    assert_eq!(span("type:session-revoked,nope x"), (21, 4, 21, 4));
    says("type:caep", &["family:caep"]);
    assert_eq!(span("type:\"no such\""), (5, 9, 5, 9));
}

#[test]
fn unbalanced_parentheses_point_at_the_lonely_one() {
    assert_eq!(span("(family:caep or x"), (0, 1, 0, 1));
    says("(family:caep or x", &["never closed", "add a `)`"]);
    assert_eq!(span("family:caep)"), (11, 1, 11, 1));
    says("family:caep)", &["closes nothing"]);
    assert_eq!(span("a ((b) c"), (2, 1, 2, 1));
    assert_eq!(span(")"), (0, 1, 0, 1));
    assert_eq!(span("a ( )"), (2, 3, 2, 3));
    says("()", &["empty parentheses"]);
}

#[test]
fn bad_times_say_how_to_write_one() {
    assert_eq!(span("after:2026-13-01"), (6, 10, 6, 10));
    says(
        "after:2026-13-01",
        &["no such date", "2026-11-23T09:00:00Z", "-15m"],
    );
    says("before:yesterday", &["bad time `yesterday`", "2026-11-23"]);
    says("after:15m", &["-15m"]);
    assert_eq!(span("x before:-2y"), (9, 3, 9, 3));
}

#[test]
fn an_empty_field_asks_for_a_value() {
    assert_eq!(span("type: x"), (0, 5, 0, 5));
    says("type: x", &["empty `type:`", "type:session-revoked"]);
    assert_eq!(span("a subject:\"\""), (2, 10, 2, 10));
    says("a subject:\"\"", &["subject:alice@example.com"]);
    assert_eq!(span("after:"), (0, 6, 0, 6));
}

#[test]
fn enumerated_fields_list_their_values() {
    says("family:x", &["ssf, caep, risc, scim, oidc, unknown"]);
    says(
        "verdict:nope",
        &["valid, invalid", "bad_signature", "crit_unsupported"],
    );
    says("severity:fatal", &["error, warning, info"]);
    says("transport:mail", &["push, poll, file"]);
    says("is:new", &["redelivered, rejected, accepted"]);
    assert_eq!(span("x is:new"), (5, 3, 5, 3));
}

#[test]
fn operators_need_terms_around_them() {
    assert_eq!(span("a or"), (2, 2, 2, 2));
    assert_eq!(span("or a"), (0, 2, 0, 2));
    assert_eq!(span("a and"), (2, 3, 2, 3));
    assert_eq!(span("a or and b"), (2, 2, 2, 2));
    assert_eq!(span("(a or) b"), (3, 2, 3, 2));
    assert_eq!(span("a not"), (2, 3, 2, 3));
    assert_eq!(span("- a"), (0, 1, 0, 1));
    assert_eq!(span("a -"), (2, 1, 2, 1));
    says("- a", &["no space", "-redelivered"]);
    assert_eq!(span("x \"open"), (2, 5, 2, 5));
    says("x \"open", &["unterminated quote"]);
    says("\"\"", &["empty quotes"]);
}

#[test]
fn nesting_is_capped_without_overflowing_the_stack() {
    let nested = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
    assert!(Filter::parse(&nested(MAX_DEPTH)).is_ok());
    assert_eq!(span(&nested(MAX_DEPTH + 1)), (MAX_DEPTH, 1, MAX_DEPTH, 1));
    says(&nested(MAX_DEPTH + 1), &["more than 64 deep"]);
    assert_eq!(span(&"(".repeat(4_000)), (MAX_DEPTH, 1, MAX_DEPTH, 1));
    // Longer texts are refused for their length before they are read.
    assert_eq!(span(&"(".repeat(200_000)).0, MAX_FILTER_CHARS);
    // Long runs of operators and terms are loops, not recursion.
    let nots = format!("{}family:risc", "not ".repeat(1_001));
    assert!(!Filter::parse(&nots).unwrap().matches(&RECORDS[5], NOW));
    let minuses = format!("{}family:risc", "-".repeat(4_000));
    assert!(Filter::parse(&minuses).unwrap().matches(&RECORDS[5], NOW));
    let ors = format!("{}family:risc", "x or ".repeat(MAX_TERMS - 1));
    assert!(Filter::parse(&ors).unwrap().matches(&RECORDS[5], NOW));
}

/// Pieces that make grammar-like filters (valid or not).
const PIECES: &[&str] = &[
    "(",
    ")",
    "-",
    " ",
    " ",
    "not ",
    " or ",
    " and ",
    "\"",
    "\\",
    ":",
    "é",
    "x",
    "alice",
    "type:",
    "session-revoked",
    "type:stream-updated",
    "subject:\"a b\"",
    "after:-15m",
    "before:2026-11-23",
    "redelivered",
    "is:rejected",
    "verdict:invalid",
    "family:caep",
    "severity:error",
    "stream:demo",
    "jti:jti-1",
    "https://x/y",
];

fn checked(text: &str) {
    match Filter::parse(text) {
        Ok(filter) => {
            let written = filter.to_string();
            let again = Filter::parse(&written);
            assert_eq!(
                again.as_ref(),
                Ok(&filter),
                "{text:?} written as {written:?}"
            );
            for record in RECORDS.iter() {
                let _ = filter.matches(record, NOW);
            }
        }
        Err(e) => {
            let p = e.position;
            assert!(p.offset + p.len <= text.len(), "{text:?}: {p:?}");
            assert!(text.is_char_boundary(p.offset) && text.is_char_boundary(p.offset + p.len));
            assert_eq!(p.column, text[..p.offset].chars().count());
            assert_eq!(p.char_len, text[p.offset..p.offset + p.len].chars().count());
            assert!(!e.message.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_string_panics_the_parser(text in any::<String>()) {
        checked(&text);
    }

    #[test]
    fn grammar_like_strings_parse_or_point_inside(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)) {
        checked(&pieces.concat());
    }
}

/// A filter's cost grows with its terms times the SETs it is checked against: it is refused
/// past 64 terms or 4,096 characters, at once and with where, not evaluated for minutes.
#[test]
fn a_filter_is_bounded_in_terms_and_length() {
    let words = |n: usize| {
        (0..n)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(Filter::parse(&words(64)).is_ok());
    let too_many = words(65);
    let at = too_many.find("w64").expect("the 65th term");
    assert_eq!(span(&too_many), (at, 3, at, 3));
    says(&too_many, &["more than 64 terms", "type:"]);

    let long = format!("type:{}", "x".repeat(5_000));
    let p = error(&long).position;
    assert_eq!(
        (p.offset, p.column),
        (4_096, 4_096),
        "from the first character over"
    );
    says(&long, &["5005 characters", "at most 4096"]);
    // Characters, not bytes.
    assert!(Filter::parse(&"é".repeat(4_096)).is_ok());

    // Refused by its length before it is read (a bounded wait, not a time threshold: issue 22).
    let huge = words(20_000);
    let (done, answered) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("huge-filter".to_owned())
        .spawn(move || {
            says(&huge, &["at most 4096"]);
            done.send(()).ok();
        })
        .expect("a thread");
    answered
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("a 20,000-word filter is refused, without reading it all");
}
