//! The filter language (issue 13) against real SETs: every field, precedence, `not` / `-`,
//! parentheses, relative and absolute times, legacy URIs, complex subjects, a compact row that
//! cannot answer free text (`core_filter/row.rs`), writing back (`core_filter/written.rs`), and
//! errors with their exact position (`core_filter/errors.rs`).

use crate::fixtures;

#[path = "core_filter/errors.rs"]
mod errors;
#[path = "core_filter/row.rs"]
mod row;
#[path = "core_filter/written.rs"]
mod written;

use std::sync::LazyLock;

use fixtures::{NOW, TestKey, claims, inspect, session_revoked, stream_updated};
use serde_json::{Value, json};
use ssf_inspector::core::events;
use ssf_inspector::core::filter::Filter;
use ssf_inspector::core::lint::Level;
use ssf_inspector::core::record::{SetRecord, StreamKey, Transport};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::Verdict;

static KEY: LazyLock<TestKey> = LazyLock::new(|| TestKey::es256("k1"));

const HOUR: i64 = 3_600_000;

fn received(claims: &Value, at: UnixMillis) -> SetRecord {
    inspect(&KEY.sign(claims), &KEY.jwks(), at)
}

/// Six SETs that differ in every way a filter can tell:
/// 0 session-revoked for alice (push, now); 1 stream-updated for the stream (push, now);
/// 2 legacy SSE stream-updated with an in-event iss_sub subject for bob (1 h ago);
/// 3 credential-change for a complex subject, polled and redelivered (2 h ago);
/// 4 session-revoked signed by another key, refused (3 days ago);
/// 5 RISC's deprecated sessions-revoked from another issuer (so refused), on stream "Lab", read
/// from a file.
static RECORDS: LazyLock<Vec<SetRecord>> = LazyLock::new(|| {
    let legacy = json!({
        "iss": fixtures::ISSUER,
        "aud": fixtures::AUDIENCE,
        "jti": "jti-3",
        "iat": NOW.as_secs() - 3600,
        "events": { events::STREAM_UPDATED_SSE: {
            "subject": {"subject_type": "iss-sub", "iss": "https://idp.example.com", "sub": "bob"},
            "status": "disabled"
        }},
    });
    let complex = json!({
        "format": "complex",
        "user": {"format": "email", "email": "Carol@Example.com"},
        "session": {"format": "opaque", "id": "sess-9"},
    });
    let change = claims(
        "jti-4",
        &events::caep("credential-change"),
        &json!({"credential_type": "password", "change_type": "revoke"}),
        &complex,
    );
    let mut polled = received(&change, UnixMillis(NOW.0 - 2 * HOUR));
    polled.transport = Transport::Poll;
    polled.redelivered = true;
    let other = TestKey::es256("k1");
    let forged = inspect(
        &other.sign(&session_revoked("jti-5")),
        &KEY.jwks(),
        UnixMillis(NOW.0 - 72 * HOUR),
    );
    let mut risc = claims(
        "jti-6",
        &events::risc("sessions-revoked"),
        &json!({}),
        &fixtures::alice(),
    );
    risc["iss"] = json!("https://risc.example.org");
    let mut lab = received(&risc, UnixMillis(NOW.0 - 30 * 60_000));
    lab.stream = StreamKey("Lab".to_owned());
    lab.transport = Transport::File;
    vec![
        received(&session_revoked("jti-1"), NOW),
        received(
            &stream_updated("jti-2", "paused", "maintenance window"),
            NOW,
        ),
        received(&legacy, UnixMillis(NOW.0 - HOUR)),
        polled,
        forged,
        lab,
    ]
});

/// The indexes of the fixture SETs the filter matches.
fn hits(text: &str) -> Vec<usize> {
    let filter = Filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    (0..RECORDS.len())
        .filter(|i| filter.matches(&RECORDS[*i], NOW))
        .collect()
}

#[test]
fn the_fixtures_are_what_the_filters_expect() {
    let r = &*RECORDS;
    assert_eq!(r[4].verification.verdict, Verdict::BadSignature);
    // 5 is signed well but refused: its issuer is not the stream's.
    assert_eq!(r[5].verification.verdict, Verdict::Valid);
    let refused: Vec<bool> = r.iter().map(|x| x.rejection.is_some()).collect();
    assert_eq!(refused, [false, false, false, false, true, true]);
    assert_eq!(
        r[3].subject,
        "user: email Carol@Example.com · session: opaque sess-9"
    );
    assert_eq!(r[2].subject, "sub bob @ https://idp.example.com");
}

#[test]
fn an_empty_filter_matches_everything() {
    for text in ["", "   ", "\t\n"] {
        let filter = Filter::parse(text).unwrap();
        assert!(filter.is_empty() && !filter.needs_full_record());
        assert_eq!(hits(text), [0, 1, 2, 3, 4, 5]);
    }
    assert!(Filter::default().matches(&RECORDS[0], NOW));
}

#[test]
fn free_text_and_phrases_match_substrings_in_any_case() {
    assert_eq!(hits("revoked"), [0, 4, 5]);
    assert_eq!(hits("ALICE"), [0, 4, 5]);
    assert_eq!(hits("\"maintenance window\""), [1]);
    assert_eq!(hits("maintenance window"), [1]);
    assert_eq!(hits("window maintenance"), [1]);
    assert_eq!(hits("\"window maintenance\""), Vec::<usize>::new());
    // Claims' string values, the verdict, jti, iss and the stream name are searched too.
    assert_eq!(hits("password"), [3]);
    assert_eq!(hits("\"invalid signature\""), [4]);
    assert_eq!(hits("jti-3"), [2]);
    assert_eq!(hits("risc.example.org"), [5]);
    assert_eq!(hits("lab"), [5]);
    assert_eq!(hits("https://schemas.openid.net/secevent/sse/"), [2]);
    assert!(Filter::parse("alice").unwrap().needs_full_record());
}

#[test]
fn type_takes_names_human_names_uris_and_lists() {
    assert_eq!(hits("type:session-revoked"), [0, 4, 5]);
    assert_eq!(hits("TYPE:Session-Revoked"), [0, 4, 5]);
    assert_eq!(hits("type:\"session revoked\""), [0, 4, 5]);
    assert_eq!(
        hits(&format!("type:{}", events::caep("session-revoked"))),
        [0, 4, 5]
    );
    assert_eq!(hits("type:credential-change"), [3]);
    assert_eq!(hits("type:stream-updated,credential-change"), [1, 2, 3]);
    assert_eq!(hits("type:urn:example:custom"), Vec::<usize>::new());
    assert!(
        !Filter::parse("type:session-revoked")
            .unwrap()
            .needs_full_record()
    );
}

#[test]
fn legacy_uris_match_their_current_name_and_back() {
    assert_eq!(hits("type:stream-updated"), [1, 2]);
    assert_eq!(
        hits(&format!("type:{}", events::STREAM_UPDATED_SSE)),
        [1, 2]
    );
    assert_eq!(hits(&format!("type:{}", events::STREAM_UPDATED)), [1, 2]);
    // RISC's deprecated sessions-revoked was replaced by CAEP session-revoked.
    assert_eq!(hits("type:sessions-revoked"), [0, 4, 5]);
    assert_eq!(
        hits(&format!("type:{}", events::risc("sessions-revoked"))),
        [0, 4, 5]
    );
    let filter = Filter::parse("type:session-revoked").unwrap();
    assert!(
        filter.terms()[0]
            .event_uris()
            .contains(&events::risc("sessions-revoked"))
    );
}

#[test]
fn family_stream_iss_jti_and_transport() {
    assert_eq!(hits("family:caep"), [0, 3, 4]);
    assert_eq!(hits("family:SSF"), [1, 2]);
    assert_eq!(hits("family:risc"), [5]);
    assert_eq!(hits("family:unknown"), Vec::<usize>::new());
    assert_eq!(hits("stream:lab"), [5]);
    assert_eq!(hits("stream:la"), Vec::<usize>::new());
    assert_eq!(hits("stream:demo"), [0, 1, 2, 3, 4]);
    assert_eq!(hits("iss:https://risc.example.org"), [5]);
    assert_eq!(hits("iss:https://RISC.example.org"), Vec::<usize>::new());
    assert_eq!(hits("jti:jti-2"), [1]);
    assert_eq!(hits("jti:jti"), Vec::<usize>::new());
    assert_eq!(hits("transport:poll"), [3]);
    assert_eq!(hits("transport:file"), [5]);
    assert_eq!(hits("transport:PUSH"), [0, 1, 2, 4]);
}

#[test]
fn subject_matches_member_values_and_the_subject_line() {
    assert_eq!(hits("subject:alice@example.com"), [0, 4, 5]);
    assert_eq!(hits("subject:ALICE@example.com"), [0, 4, 5]);
    // A complex subject's inner identifiers, in any case.
    assert_eq!(hits("subject:carol@example.com"), [3]);
    assert_eq!(hits("subject:sess-9"), [3]);
    // A legacy in-event subject.
    assert_eq!(hits("subject:bob"), [2]);
    assert_eq!(hits("subject:https://idp.example.com"), [2]);
    // Part of the one-line rendering.
    assert_eq!(hits("subject:\"session: opaque\""), [3]);
    assert_eq!(hits("subject:f67e39a0"), [1]);
    assert_eq!(hits("subject:example"), [0, 2, 3, 4, 5]);
    assert!(!Filter::parse("subject:bob").unwrap().needs_full_record());
}

#[test]
fn verdicts_findings_and_severities() {
    assert_eq!(hits("verdict:valid"), [0, 1, 2, 3, 5]);
    assert_eq!(hits("verdict:invalid"), [4]);
    assert_eq!(hits("verdict:bad_signature"), [4]);
    assert_eq!(hits("verdict:Bad-Signature"), [4]);
    assert_eq!(hits("verdict:unknown_key"), Vec::<usize>::new());
    assert_eq!(hits("finding:sub-id-required"), [2]);
    assert_eq!(hits("finding:SUB-ID-REQUIRED"), [2]);
    assert_eq!(hits("finding:iss-mismatch"), [5]);
    assert_eq!(hits("finding:event-legacy-uri"), [2, 5]);
    assert_eq!(hits("severity:error"), [4, 5]);
    assert_eq!(hits("severity:warning -severity:error"), [2, 3]);
    assert_eq!(hits("finding:no-such-rule"), Vec::<usize>::new());
    for (level, name) in [
        (Level::Error, "error"),
        (Level::Warning, "warning"),
        (Level::Info, "info"),
    ] {
        let expected: Vec<usize> = (0..RECORDS.len())
            .filter(|i| RECORDS[*i].findings.iter().any(|f| f.severity == level))
            .collect();
        assert_eq!(hits(&format!("severity:{name}")), expected, "{name}");
    }
}

#[test]
fn flags_redelivered_rejected_accepted() {
    assert_eq!(hits("redelivered"), [3]);
    assert_eq!(hits("REDELIVERED"), [3]);
    assert_eq!(hits("is:redelivered"), [3]);
    assert_eq!(hits("is:rejected"), [4, 5]);
    assert_eq!(hits("is:accepted"), [0, 1, 2, 3]);
    assert_eq!(hits("\"redelivered\""), Vec::<usize>::new());
}

#[test]
fn absolute_and_relative_times() {
    assert_eq!(hits("after:-15m"), [0, 1]);
    assert_eq!(hits("after:-45m"), [0, 1, 5]);
    assert_eq!(hits("after:-1h"), [0, 1, 2, 5]);
    assert_eq!(hits("after:-2h before:-59m"), [2, 3]);
    assert_eq!(hits("before:-1d"), [4]);
    assert_eq!(hits("after:-3600s"), [0, 1, 2, 5]);
    assert_eq!(hits("after:2026-11-23T09:00:00Z"), [0, 1]);
    assert_eq!(hits("after:2026-11-23T10:00:00+01:00"), [0, 1]);
    assert_eq!(hits("before:2026-11-23T09:00:00Z"), [2, 3, 4, 5]);
    assert_eq!(hits("after:2026-11-23"), [0, 1, 2, 3, 5]);
    assert_eq!(hits("before:2026-11-23"), [4]);
    let relative = Filter::parse("after:-15m").unwrap();
    assert!(relative.depends_on_now());
    assert!(!relative.matches(&RECORDS[0], UnixMillis(NOW.0 + HOUR)));
    assert!(!Filter::parse("after:2026-11-23").unwrap().depends_on_now());
}

#[test]
fn precedence_is_not_then_and_then_or() {
    // a b or c = (a b) or c
    assert_eq!(hits("family:caep transport:poll or family:risc"), [3, 5]);
    assert_eq!(
        hits("family:caep and transport:poll or family:risc"),
        [3, 5]
    );
    assert_eq!(hits("family:risc or family:caep transport:poll"), [3, 5]);
    assert_eq!(hits("family:caep (transport:poll or jti:jti-1)"), [0, 3]);
    // not binds tighter than and / or.
    assert_eq!(hits("not family:caep or jti:jti-1"), [0, 1, 2, 5]);
    assert_eq!(hits("not (family:caep or jti:jti-2)"), [2, 5]);
    assert_eq!(hits("NOT family:caep And NOT family:ssf"), [5]);
    // The README's example.
    assert_eq!(
        hits("type:session-revoked -verdict:valid or (family:risc after:-1h)"),
        [4, 5]
    );
    assert_eq!(
        hits("type:session-revoked OR type:stream-updated"),
        [0, 1, 2, 4, 5]
    );
}

#[test]
fn minus_and_not_exclude() {
    assert_eq!(hits("-family:caep"), [1, 2, 5]);
    assert_eq!(hits("revoked -verdict:invalid"), [0, 5]);
    assert_eq!(hits("-redelivered -is:rejected family:caep"), [0]);
    assert_eq!(hits("-(family:caep or family:risc)"), [1, 2]);
    assert_eq!(hits("not not family:risc"), [5]);
    assert_eq!(hits("--family:risc"), [5]);
    assert_eq!(hits("-\"maintenance window\" family:ssf"), [2]);
    assert_eq!(hits("after:-1h -after:-15m"), [2, 5]);
}

#[test]
fn parentheses_nest() {
    assert_eq!(hits("((family:risc))"), [5]);
    assert_eq!(
        hits("(family:ssf or (family:risc stream:lab)) -jti:jti-2"),
        [2, 5]
    );
    let deep = format!("{}family:risc{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(hits(&deep), [5]);
}
