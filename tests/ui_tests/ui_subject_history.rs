//! One subject's history in the window (egui_kittest): opened from the subject in a SET's
//! details or from a row's menu, it lists every SET about the subject across streams (a complex
//! subject's user, an alias) and not the others; a subject typed finds its SETs; a line selects
//! its SET; presenter mode masks the subject.

use crate::fixtures;
use crate::kit;

use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with};
use serde_json::{Value, json};
use ssf_inspector::core::record::{SetRecord, StreamKey};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;

fn ago(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 - secs * 1000)
}

fn about(key: &TestKey, jti: &str, subject: Value, secs: i64) -> SetRecord {
    let mut claims = session_revoked(jti);
    claims["sub_id"] = subject;
    inspect(&key.sign(&claims), &key.jwks(), ago(secs))
}

fn alice() -> Value {
    json!({"format": "email", "email": "alice@example.com"})
}

/// Alice simple (on stream "demo"), Bob, Alice as a complex user on another stream, Alice among
/// aliases.
fn subjects() -> InspectorState {
    let key = TestKey::es256("k1");
    let mut complex = about(
        &key,
        "jti-complex",
        json!({"format": "complex", "user": alice(),
               "device": {"format": "opaque", "id": "laptop-7"}}),
        30,
    );
    complex.stream = StreamKey("okta-prod".to_owned());
    state_with(vec![
        about(&key, "jti-alice", alice(), 50),
        about(
            &key,
            "jti-bob",
            json!({"format": "email", "email": "bob@example.com"}),
            40,
        ),
        complex,
        about(
            &key,
            "jti-alias",
            json!({"format": "aliases", "identifiers": [
                {"format": "phone_number", "phone_number": "+12065550100"}, alice()]}),
            20,
        ),
    ])
}

/// The seqs the open history lists.
fn listed(harness: &egui_kittest::Harness<'_, kit::TestUi>) -> Vec<u64> {
    let state = harness.state();
    let history = state
        .view
        .subject_history
        .as_ref()
        .expect("the history is open");
    history
        .rows()
        .iter()
        .filter_map(|i| state.state.timeline.entry(*i))
        .map(|e| e.seq())
        .collect()
}

#[test]
fn the_subject_in_the_details_opens_its_history_across_streams() {
    let mut harness = kit::harness(subjects(), NOW);
    harness.state_mut().view.selected = Some(1);
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("Subject history");
    harness.get_by_label("3 SETs about it, across every stream");
    assert_eq!(listed(&harness), [1, 3, 4], "Bob's SET is not about Alice");
    harness.get_by_label_contains("okta-prod  Session revoked: session revoked");

    harness.get_by_label_contains("okta-prod").click();
    harness.run();
    assert_eq!(
        harness.state().view.selected,
        Some(3),
        "a line selects its SET"
    );
}

#[test]
fn a_rows_menu_opens_the_history_of_its_subject() {
    let mut harness = kit::harness(subjects(), NOW);
    harness.run();
    harness
        .get_by_label("email bob@example.com")
        .click_secondary();
    harness.run();
    harness.get_by_label("History of this subject").click();
    harness.run();
    harness.get_by_label("1 SET about it, across every stream");
    assert_eq!(listed(&harness), [2]);
}

#[test]
fn a_subject_typed_finds_its_sets() {
    let mut harness = kit::harness(subjects(), NOW);
    harness.state_mut().view.subject_history = Some(
        ssf_inspector::core::subject_history::SubjectHistory::new(""),
    );
    harness.run();
    harness.get_by_label("0 SETs about it, across every stream");
    harness.get_by_label("Subject identifier").click();
    harness.run();
    harness
        .get_by_label("Subject identifier")
        .type_text("phone +12065550100");
    harness.run();
    harness.get_by_label("1 SET about it, across every stream");
    assert_eq!(listed(&harness), [4], "the alias");
}

#[test]
fn presenter_mode_masks_the_subject() {
    let mut harness = kit::harness(subjects(), NOW);
    harness.state_mut().view.presenter = true;
    harness.state_mut().view.selected = Some(1);
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("3 SETs about it, across every stream");
    assert!(
        harness
            .query_all_by_label_contains("alice@example.com")
            .next()
            .is_none(),
        "no subject in clear"
    );
}

#[test]
fn escape_closes_the_history() {
    let mut harness = kit::harness(subjects(), NOW);
    harness.state_mut().view.selected = Some(1);
    harness.run();
    harness.get_by_label("History").click();
    harness.run();
    harness.get_by_label("Subject history");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().view.subject_history.is_none());
    assert_eq!(
        harness.state().view.selected,
        Some(1),
        "the window in front closes, not the details behind it"
    );
    assert!(harness.query_by_label("Subject history").is_none());
}

#[test]
fn the_timeline_stays_usable_beside_the_history() {
    let mut harness = kit::harness(subjects(), NOW);
    harness.run();
    harness
        .get_by_label("email bob@example.com")
        .click_secondary();
    harness.run();
    harness.get_by_label("History of this subject").click();
    harness.run();
    harness.get_by_label("Subject history");
    harness.get_by_label("email bob@example.com").click();
    harness.run();
    assert_eq!(
        harness.state().view.selected,
        Some(2),
        "no dialog: a row is selected"
    );
}
