//! One subject's history (`core::subject_query`, `core::subject_history`): subjects typed as
//! JSON, as a line or as a plain value match simple, complex and alias subjects by their
//! members, across streams, and the history follows the SETs that arrive.

use crate::fixtures;

use std::sync::Arc;

use serde_json::{Value, json};
use ssf_inspector::core::record::{SetRecord, StreamKey};
use ssf_inspector::core::subject_history::{SubjectHistory, account};
use ssf_inspector::core::subject_query::{SubjectQuery, simple_parts};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::timeline::Timeline;

fn with_subject(jti: &str, subject: Value, stream: &str, secs: i64) -> SetRecord {
    let key = fixtures::TestKey::es256("k1");
    let mut claims = fixtures::session_revoked(jti);
    claims["sub_id"] = subject;
    let at = UnixMillis(fixtures::NOW.0 + secs * 1000);
    let mut record = fixtures::inspect(&key.sign(&claims), &key.jwks(), at);
    record.seq = secs as u64;
    record.stream = StreamKey(stream.to_owned());
    record
}

fn alice() -> Value {
    json!({"format": "email", "email": "alice@example.com"})
}

/// Alice simple, Alice as a complex user, Alice among aliases, Bob, Alice's device alone.
fn timeline() -> Timeline {
    let mut timeline = Timeline::default();
    let records = [
        with_subject("a-simple", alice(), "demo", 1),
        with_subject(
            "a-complex",
            json!({"format": "complex", "user": alice(),
                   "device": {"format": "opaque", "id": "laptop-7"}}),
            "other",
            2,
        ),
        with_subject(
            "a-alias",
            json!({"format": "aliases", "identifiers": [
                {"format": "phone_number", "phone_number": "+12065550100"},
                {"format": "email", "email": "ALICE@example.com"}]}),
            "demo",
            3,
        ),
        with_subject(
            "bob",
            json!({"format": "email", "email": "bob@example.com"}),
            "demo",
            4,
        ),
        with_subject(
            "device",
            json!({"format": "opaque", "id": "laptop-7"}),
            "other",
            5,
        ),
    ];
    for record in records {
        timeline.push(Arc::new(record), fixtures::NOW);
    }
    timeline
}

fn jtis(timeline: &Timeline, text: &str) -> Vec<String> {
    let mut history = SubjectHistory::new(text);
    history.refresh(timeline);
    history
        .rows()
        .iter()
        .filter_map(|i| timeline.entry(*i))
        .map(|e| e.jti().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn a_simple_email_matches_itself_a_complex_user_and_an_alias() {
    let timeline = timeline();
    let expected = ["a-simple", "a-complex", "a-alias"];
    assert_eq!(jtis(&timeline, "email alice@example.com"), expected);
    assert_eq!(jtis(&timeline, &alice().to_string()), expected);
    assert_eq!(
        jtis(&timeline, "alice@example.com"),
        expected,
        "a plain value"
    );
}

#[test]
fn a_complex_subject_matches_by_each_of_its_members() {
    let timeline = timeline();
    let complex = json!({"format": "complex", "user": alice(),
                         "device": {"format": "opaque", "id": "laptop-7"}});
    assert_eq!(
        jtis(&timeline, &complex.to_string()),
        ["a-simple", "a-complex", "a-alias", "device"]
    );
    assert_eq!(jtis(&timeline, "opaque laptop-7"), ["a-complex", "device"]);
}

#[test]
fn an_alias_matches_any_of_its_identifiers() {
    let timeline = timeline();
    assert_eq!(jtis(&timeline, "phone +12065550100"), ["a-alias"]);
    let aliases = json!({"format": "aliases", "identifiers": [
        {"format": "email", "email": "bob@example.com"},
        {"format": "opaque", "id": "laptop-7"}]});
    assert_eq!(
        jtis(&timeline, &aliases.to_string()),
        ["a-complex", "bob", "device"]
    );
}

#[test]
fn lines_split_into_their_simple_identifiers() {
    assert_eq!(
        simple_parts("user: email a@b · device: opaque d1"),
        ["email a@b", "opaque d1"]
    );
    assert_eq!(
        simple_parts("aliases [email a@b = phone +1]"),
        ["email a@b", "phone +1"]
    );
    assert_eq!(simple_parts("sub u1 · sid s1"), ["sub u1", "sid s1"]);
    assert!(SubjectQuery::parse("  ").unwrap().is_none());
    assert!(SubjectQuery::parse("{\"format\": ").is_err());
}

#[test]
fn a_line_matches_by_its_parts_where_they_lie_any_case() {
    let query = |text: &str| SubjectQuery::parse(text).unwrap().unwrap();
    let line = "user: aliases [email A@B.example = phone +1] · device: opaque d1";
    assert!(query("email a@b.example").matches(line, &[]));
    assert!(query("phone +1").matches(line, &[]));
    assert!(query("opaque D1").matches(line, &[]));
    assert!(!query("opaque d2").matches(line, &[]));
    assert!(
        !query("email b.example").matches(line, &[]),
        "a whole part, not a piece"
    );
    assert!(!query("email a@b.example").matches("-", &[]));
}

#[test]
fn lines_split_as_the_window_writes_them_and_no_further() {
    for line in [
        "",
        "email a@b",
        "user: email a@b · device: opaque d1 · session: opaque s·1",
        " · · ",
        "a · ",
        "·x · y·",
        "opaque a:b · tenant: x: y",
    ] {
        let expected: Vec<String> = line
            .split(" · ")
            .map(str::trim)
            .map(|part| match part.split_once(": ") {
                Some((member, rest)) if !member.contains(' ') => rest.trim().to_owned(),
                _ => part.to_owned(),
            })
            .filter(|part| !part.is_empty())
            .collect();
        assert_eq!(simple_parts(line), expected, "{line:?}");
    }
}

#[test]
fn the_history_follows_sets_that_arrive_and_a_new_subject_typed() {
    let mut timeline = timeline();
    let mut history = SubjectHistory::new("alice@example.com");
    history.refresh(&timeline);
    assert_eq!(history.rows().len(), 3);
    timeline.push(
        Arc::new(with_subject("a-late", alice(), "demo", 6)),
        fixtures::NOW,
    );
    history.refresh(&timeline);
    assert_eq!(history.rows().len(), 4, "the new SET is read");
    "bob@example.com".clone_into(&mut history.text);
    history.refresh(&timeline);
    assert_eq!(history.rows().len(), 1, "found again for the new text");
}

#[test]
fn each_set_is_told_in_one_line() {
    let timeline = timeline();
    let entry = timeline.entry(0).unwrap();
    assert_eq!(account(&entry, None, false), "session revoked");
    let full = timeline.full(entry.seq()).map(|r| r.as_ref());
    assert_eq!(
        account(&entry, full, false),
        "session revoked by policy, reason \"Landspeed policy violation\""
    );
}

#[test]
fn many_sets_are_searched_by_their_subjects_numbers() {
    let mut timeline = Timeline::default();
    let record = with_subject("many", alice(), "demo", 1);
    let summary = ssf_inspector::core::set_summary::SetSummary::of(&record);
    for seq in 0..100_000_u64 {
        let mut one = summary.clone();
        one.seq = seq;
        if seq % 1000 == 0 {
            one.conclusions.subject = "email bob@example.com".to_owned();
            one.conclusions.subject_values = vec!["bob@example.com".to_owned()];
        }
        timeline.push_summary(&one, fixtures::NOW);
    }
    assert_eq!(jtis(&timeline, "email bob@example.com").len(), 100);
}
