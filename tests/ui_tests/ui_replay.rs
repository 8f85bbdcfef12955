//! *Replay* (egui_kittest, no GPU): from a SET's details a window sends it to the stream's own
//! push endpoint by default; an endpoint on another host is sent to only once that host is
//! ticked by name; the endpoint's answer is shown.

use crate::fixtures;
use crate::kit;

use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, state_with};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::replay::{ReplayMode, ReplayOutcome};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::update::Update;

fn one_set() -> InspectorState {
    let key = TestKey::es256("k1");
    let record = fixtures::inspect(
        &key.sign(&fixtures::session_revoked("jti-1")),
        &key.jwks(),
        NOW,
    );
    state_with(vec![record])
}

fn open_replay(state: InspectorState) -> egui_kittest::Harness<'static, kit::TestUi> {
    let mut harness = kit::harness(state, NOW);
    harness.run();
    harness.get_by_label("Session revoked").click();
    harness.run();
    kit::click(&mut harness, "Replay…");
    harness
}

/// Click *Send once*; a few frames (the spinner repaints while the answer is awaited) and the
/// commands it caused.
fn send(harness: &mut egui_kittest::Harness<'static, kit::TestUi>) -> Vec<String> {
    harness.get_by_label("Send once").click();
    harness.run_steps(3);
    std::mem::take(&mut harness.state_mut().commands)
}

#[test]
fn replay_goes_to_the_streams_own_endpoint_and_shows_the_answer() {
    let mut harness = open_replay(one_set());
    assert!(harness.query_by_label("Replay SET #1").is_some());
    assert!(
        harness
            .query_by_label("This app's own receiver: the Authorization it expects is sent")
            .is_some()
    );
    let sent = send(&mut harness);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].starts_with("Replay(ReplayRequest"), "{sent:?}");
    assert!(
        sent[0].contains(r#"url: "http://127.0.0.1:9/push/abc""#),
        "{sent:?}"
    );
    assert!(sent[0].contains("mode: Unchanged"), "{sent:?}");
    assert!(sent[0].contains("confirmed_host: None"), "{sent:?}");
    assert!(harness.query_by_label("Sending…").is_some());
    harness.state_mut().state.apply(
        Update::Replayed(Box::new(ReplayOutcome {
            at: NOW,
            url: "http://127.0.0.1:9/push/abc".to_owned(),
            mode: ReplayMode::Unchanged,
            jti: "jti-1".to_owned(),
            status: Some(400),
            body: r#"{"err":"invalid_request","description":"jti already seen"}"#.to_owned(),
            exchange: Some(12),
            error: None,
        })),
        NOW,
    );
    harness.run();
    assert!(harness.query_by_label("Sending…").is_none());
    assert!(harness.query_by_label("400").is_some());
    assert!(harness.query_by_label("· exchange #12").is_some());
    assert!(
        harness
            .query_by_label(r#"{"err":"invalid_request","description":"jti already seen"}"#)
            .is_some()
    );
}

#[test]
fn another_host_needs_its_name_ticked_before_the_set_is_sent() {
    let mut state = one_set();
    if let Some(stream) = state.streams.get_mut(&StreamKey("demo".to_owned())) {
        stream.info = None;
    }
    let mut harness = open_replay(state);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Push endpoint")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Push endpoint")
        .type_text("https://rx.example.com/push");
    harness.run();
    assert!(
        harness
            .query_by_label("rx.example.com is not this machine")
            .is_some()
    );
    assert!(
        send(&mut harness).is_empty(),
        "not sent before the host is ticked"
    );
    kit::click(&mut harness, "Send this SET to rx.example.com");
    harness.get_by_label("Re-signed with the test key").click();
    harness.run();
    let sent = send(&mut harness);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].contains(r#"url: "https://rx.example.com/push""#),
        "{sent:?}"
    );
    assert!(sent[0].contains("mode: Resigned"), "{sent:?}");
    assert!(
        sent[0].contains(r#"confirmed_host: Some("rx.example.com")"#),
        "{sent:?}"
    );
}

#[test]
fn an_earlier_answer_is_not_shown_as_this_ones_and_esc_closes_the_window() {
    let mut state = one_set();
    state.replayed = Some(ReplayOutcome {
        at: NOW,
        url: "http://127.0.0.1:9/push/abc".to_owned(),
        mode: ReplayMode::Unchanged,
        jti: "jti-earlier".to_owned(),
        status: Some(418),
        body: "earlier answer".to_owned(),
        exchange: Some(3),
        error: None,
    });
    let mut harness = open_replay(state);
    assert!(harness.query_by_label("Replay SET #1").is_some());
    assert!(harness.query_by_label("earlier answer").is_none());
    assert!(harness.query_by_label("418").is_none());
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().view.replay_form.is_none());
    assert!(harness.query_by_label("Replay SET #1").is_none());
}
