//! Filters as text again: the terms listed, `Display` parsing back to the same filter, and
//! `with_term` adding a clicked subject or event type.

use ssf_inspector::core::filter::{Field, Filter, with_term};

use super::hits;

#[test]
fn terms_are_listed_and_the_filter_is_written_back() {
    let filter =
        Filter::parse("Type:session-revoked  AND (alice or \"a b\") -redelivered").unwrap();
    let terms: Vec<(Field, &str)> = filter
        .terms()
        .iter()
        .map(|t| (t.field(), t.value()))
        .collect();
    assert_eq!(
        terms,
        [
            (Field::Type, "session-revoked"),
            (Field::Text, "alice"),
            (Field::Text, "a b"),
            (Field::Is, "redelivered"),
        ]
    );
    assert_eq!(
        filter.to_string(),
        "type:session-revoked (alice or \"a b\") -is:redelivered"
    );
    for text in [
        "a b or c",
        "(a b) c",
        "(a or b) or c",
        "-(a or b) not c",
        "subject:\"user: email a@b\" \"or\" \"-x\" \"say \\\"hi\\\"\"",
        "after:-15m before:2026-11-23 type:urn:example:x",
    ] {
        let once = Filter::parse(text).unwrap();
        let again = Filter::parse(&once.to_string()).unwrap();
        assert_eq!(once, again, "{text} → {once}");
    }
    assert_eq!(Filter::default().to_string(), "");
}

#[test]
fn with_term_adds_a_term_to_the_text() {
    assert_eq!(
        with_term("", "subject", "alice@example.com"),
        "subject:alice@example.com"
    );
    assert_eq!(
        with_term("  ", "type", "session-revoked"),
        "type:session-revoked"
    );
    assert_eq!(
        with_term("family:caep", "subject", "user: email a@b"),
        "family:caep subject:\"user: email a@b\""
    );
    assert_eq!(
        with_term("a or b", "type", "session-revoked"),
        "(a or b) type:session-revoked"
    );
    assert_eq!(
        with_term("x type:session-revoked", "type", "session-revoked"),
        "x type:session-revoked"
    );
    assert_eq!(with_term("x", "", "two words"), "x \"two words\"");
    assert_eq!(with_term("x (", "type", "a"), "x ( type:a");
    assert_eq!(
        hits(&with_term(
            "family:caep or family:risc",
            "subject",
            "sess-9"
        )),
        [3]
    );
}
