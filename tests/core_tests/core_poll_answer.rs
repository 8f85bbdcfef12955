//! The RFC 8936 §2.5 poll-answer reader: what the poller gets from each body a transmitter may
//! send (valid, empty, broken, of the wrong shape).

use ssf_inspector::core::poll_answer::{self, PollAnswer, PollAnswerError};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(jti, raw)| ((*jti).to_owned(), (*raw).to_owned()))
        .collect()
}

#[test]
fn a_valid_answer_gives_every_set_and_more_available() {
    let body = br#"{"sets": {"4d3559ec67504aaba65d40b0363faad8": "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiI0ZDMifQ.c2ln",
        "3d0c3cf797584bd193bd0fb1bd4e7d30": "a.b.c"}, "moreAvailable": true}"#;
    let answer = poll_answer::parse(body).expect("a valid answer");
    assert!(answer.more_available);
    let mut got = answer.sets.clone();
    got.sort();
    assert_eq!(
        got,
        pairs(&[
            ("3d0c3cf797584bd193bd0fb1bd4e7d30", "a.b.c"),
            (
                "4d3559ec67504aaba65d40b0363faad8",
                "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiI0ZDMifQ.c2ln"
            ),
        ])
    );
}

#[test]
fn an_empty_sets_object_is_an_empty_answer() {
    assert_eq!(
        poll_answer::parse(br#"{"sets": {}}"#),
        Ok(PollAnswer::default())
    );
    assert_eq!(
        poll_answer::parse(b" {\"sets\":{},\"moreAvailable\":false}\n"),
        Ok(PollAnswer::default()),
        "white space around the body is fine"
    );
}

#[test]
fn an_answer_without_sets_is_refused_with_the_rfc_section() {
    let err = poll_answer::parse(br#"{"moreAvailable": true}"#).expect_err("no sets");
    assert_eq!(err, PollAnswerError::NoSets);
    assert_eq!(
        err.to_string(),
        "the poll answer has no \"sets\" object (RFC 8936 §2.5)"
    );
}

#[test]
fn sets_that_are_not_an_object_are_refused() {
    for body in [
        r#"{"sets": ["a.b.c"]}"#,
        r#"{"sets": "a.b.c"}"#,
        r#"{"sets": null}"#,
        r#"{"sets": 3}"#,
        r#"[{"sets": {}}]"#,
        r#""sets""#,
        "null",
    ] {
        assert_eq!(
            poll_answer::parse(body.as_bytes()),
            Err(PollAnswerError::NoSets),
            "{body}"
        );
    }
}

#[test]
fn a_token_that_is_not_a_string_is_kept_as_its_json_text() {
    let body =
        br#"{"sets": {"j1": {"iss": "x"}, "j2": 42, "j3": null, "j4": ["a", "b"], "j5": "a\"b"}}"#;
    let mut got = poll_answer::parse(body).expect("an answer").sets;
    got.sort();
    assert_eq!(
        got,
        pairs(&[
            ("j1", r#"{"iss":"x"}"#),
            ("j2", "42"),
            ("j3", "null"),
            ("j4", r#"["a","b"]"#),
            ("j5", "a\"b"),
        ])
    );
}

#[test]
fn a_body_that_is_not_json_says_so_and_where() {
    for body in [
        &b""[..],
        b"<html>502 Bad Gateway</html>",
        b"{\"sets\": {",
        b"\xff\xfe",
    ] {
        let err = poll_answer::parse(body).expect_err("not JSON");
        assert!(
            matches!(err, PollAnswerError::NotJson(_)),
            "{body:?}: {err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("the answer is not the JSON expected: "),
            "{err}"
        );
        assert!(err.to_string().contains("line 1 column"), "{err}");
    }
}

#[test]
fn more_available_missing_or_not_a_boolean_reads_as_false() {
    for body in [
        r#"{"sets": {"j": "a.b.c"}}"#,
        r#"{"sets": {"j": "a.b.c"}, "moreAvailable": "true"}"#,
        r#"{"sets": {"j": "a.b.c"}, "moreAvailable": 1}"#,
        r#"{"sets": {"j": "a.b.c"}, "moreAvailable": null}"#,
        r#"{"sets": {"j": "a.b.c"}, "moreAvailable": false}"#,
    ] {
        let answer = poll_answer::parse(body.as_bytes()).expect("an answer");
        assert!(!answer.more_available, "{body}");
        assert_eq!(answer.sets, pairs(&[("j", "a.b.c")]), "{body}");
    }
}

#[test]
fn a_repeated_jti_keeps_the_last_token() {
    let answer =
        poll_answer::parse(br#"{"sets": {"j": "first", "j": "second"}}"#).expect("an answer");
    assert_eq!(answer.sets, pairs(&[("j", "second")]));
}

#[test]
fn at_most_the_given_number_of_sets_is_taken_and_the_rest_counted() {
    let body = br#"{"sets": {"j1": "a.b.c", "j2": "d.e.f", "j3": {"x": [1, 2]}, "j4": "g.h.i"},
        "moreAvailable": false}"#;
    let answer = poll_answer::parse_at_most(body, 2).expect("an answer");
    assert_eq!(answer.sets, pairs(&[("j1", "a.b.c"), ("j2", "d.e.f")]));
    assert_eq!(answer.left_out, 2);
    assert!(!answer.more_available);
    let whole = poll_answer::parse(body).expect("an answer");
    assert_eq!((whole.sets.len(), whole.left_out), (4, 0));
    // Broken JSON after the taken ones is still broken.
    let cut = br#"{"sets": {"j1": "a.b.c", "j2": "d.e.f", "j3": "#;
    assert!(matches!(
        poll_answer::parse_at_most(cut, 1),
        Err(PollAnswerError::NotJson(_))
    ));
}

#[test]
fn stored_tokens_are_written_as_references_and_nothing_else_changes() {
    let stored: std::collections::HashMap<String, String> =
        [("a.b.c".to_owned(), "(SET #7)".to_owned())].into();
    let body = r#"{"sets": {"j1": "a.b.c", "j2": "d.e.f", "a.b.c": 1}, "note": "a.b\u002ec"}"#;
    assert_eq!(
        poll_answer::with_stored_references(body, &stored).as_deref(),
        Some(r#"{"sets": {"j1": "(SET #7)", "j2": "d.e.f", "a.b.c": 1}, "note": "a.b\u002ec"}"#),
        "every string value that is exactly a stored token; names and escaped ones left"
    );
    let named = poll_answer::with_stored_references(
        r#"{"sets" : {"j": "sets"}}"#,
        &[("sets".to_owned(), "(SET #1)".to_owned())].into(),
    );
    assert_eq!(named.as_deref(), Some(r#"{"sets" : {"j": "(SET #1)"}}"#));
    assert_eq!(
        poll_answer::with_stored_references(r#"{"sets": {}}"#, &stored),
        None
    );
    assert_eq!(
        poll_answer::with_stored_references(r#"{"x": "a.b.c"#, &stored),
        None
    );
}
