//! One incident per cause, as the window shows it (egui_kittest): the banner names the stop with
//! its consequences folded under it, says when the stop is over, and the alert list draws the
//! consequences under their cause.

use crate::fixtures;
use crate::kit;

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use fixtures::{NOW, TestKey, inspect, state_with, stream_updated};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

fn ago(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 - secs * 1000)
}

/// The demo's story: the transmitter disables the stream, and a verification asked after it is
/// refused.
fn disabled_then_refused() -> InspectorState {
    let key = TestKey::es256("k1");
    let token = key.sign(&stream_updated(
        "su-1",
        "disabled",
        "Disabled by admin mallory",
    ));
    let mut state = state_with(vec![inspect(&token, &key.jwks(), ago(30))]);
    let refused = Update::VerificationFailed {
        key: StreamKey("demo".to_owned()),
        error: "requesting verification answered HTTP 409 Conflict".to_owned(),
        exchange: Some(4),
        at: ago(18),
        by_user: false,
    };
    state.apply(refused, ago(18));
    state
}

#[test]
fn the_banner_tells_the_stop_with_its_consequence_folded_under_it() {
    let mut harness = kit::harness(disabled_then_refused(), NOW);
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    harness.get_by_label("+1 consequence folded under it: Verification request refused");
    assert!(
        harness.query_by_label_contains("other incident").is_none(),
        "the refusal is no incident of its own"
    );
    harness.get_by_label("1 consequence of this stop:");

    harness.get_by_label("Acknowledge").click();
    harness.run();
    assert!(
        harness
            .query_by_label("⚠  Stream disabled by transmitter")
            .is_none(),
        "the banner is gone"
    );
    assert!(
        harness.state().state.alerts.iter().all(|a| a.acknowledged),
        "the consequence is acknowledged with its cause"
    );
}

#[test]
fn once_the_stream_is_enabled_again_the_banner_says_the_stop_is_over() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let disabled = key.sign(&stream_updated("su-1", "disabled", "maintenance"));
    let enabled = key.sign(&stream_updated("su-2", "enabled", "maintenance over"));
    let mut records = vec![
        inspect(&disabled, &keys, ago(30)),
        inspect(&enabled, &keys, ago(10)),
    ];
    records[1].seq = 2;
    let mut harness = kit::harness(state_with(records), NOW);
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    harness.get_by_label_contains("✔ Resolved at");
    harness.get_by_label_contains("the stream is enabled again: events are delivered");
    assert!(
        harness
            .query_by_label("The transmitter sent stream-updated with status \"disabled\": events are dropped until it is enabled again")
            .is_none(),
        "the banner no longer says events are dropped"
    );
}

#[test]
fn a_streams_status_history_says_when_to_what_and_who_with_the_evidence() {
    use ssf_inspector::core::effects::StatusChange;
    use ssf_inspector::core::stream::{StatusSource, StreamStatus};
    let key = TestKey::es256("k1");
    let token = key.sign(&stream_updated("su-1", "disabled", "maintenance"));
    let mut state = state_with(vec![inspect(&token, &key.jwks(), ago(30))]);
    let stream = StreamKey("demo".to_owned());
    let enabled = Update::Status {
        key: stream.clone(),
        status: StreamStatus::Enabled,
        reason: Some("Set by ssf-inspector".to_owned()),
        source: StatusSource::Receiver,
        at: ago(10),
        exchange: None,
    };
    state.apply(enabled, ago(10));
    let earlier = StatusChange {
        stream,
        status: StreamStatus::Paused,
        reason: None,
        source: "status_read".to_owned(),
        at: ago(86_400),
        exchange: None,
    };
    state.apply(Update::EarlierStatus(vec![earlier]), ago(10));
    let mut harness = kit::harness(state, NOW);
    harness.run();
    let history = harness.get_by_label_contains("Status history (");
    let title = history.accesskit_node().label().unwrap_or_default();
    history.click();
    harness.run();
    harness.get_by_label("set by this receiver");
    harness.get_by_label("transmitter, stream-updated");
    harness.get_by_label("found by a status read (an earlier run)");
    assert!(title.contains("(3)") || title.contains("(4)"), "{title}");
    harness.get_by_label_contains("SET #").click();
    harness.run();
    assert_eq!(
        harness.state().view.selected,
        Some(1),
        "the stream-updated SET is the evidence"
    );
}

#[test]
fn the_banner_appearing_and_going_moves_no_button_under_the_pointer() {
    let key = TestKey::es256("k1");
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.run();
    let rects = |h: &egui_kittest::Harness<'_, kit::TestUi>| -> Vec<egui::Rect> {
        ["Pause", "Enable", "Verify", "Stop", "Timeline", "Export…"]
            .iter()
            .map(|label| h.get_by_label(label).rect())
            .collect()
    };
    let before = rects(&harness);
    let token = key.sign(&stream_updated("su-1", "disabled", "by admin"));
    let record = std::sync::Arc::new(inspect(&token, &key.jwks(), ago(1)));
    harness.state_mut().state.apply(Update::Set(record), ago(1));
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    assert_eq!(rects(&harness), before, "the banner moved the buttons");
    harness.get_by_label("Acknowledge").click();
    harness.run();
    assert!(
        harness
            .query_by_label("⚠  Stream disabled by transmitter")
            .is_none()
    );
    assert_eq!(rects(&harness), before, "acknowledging moved the buttons");
}

/// A paused stream is not telling: the pause takes the banner as the other stops do, and a
/// disable after it heads one incident with the pause folded under it.
#[test]
fn a_pause_takes_the_banner_and_a_later_disable_folds_it_under() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let paused = key.sign(&stream_updated("su-1", "paused", "maintenance"));
    let mut harness = kit::harness(state_with(vec![inspect(&paused, &keys, ago(60))]), NOW);
    harness.run();
    harness.get_by_label("⚠  Stream paused by transmitter");

    let disabled = key.sign(&stream_updated("su-2", "disabled", "decommissioned"));
    let mut record = inspect(&disabled, &keys, ago(20));
    record.seq = 2;
    harness
        .state_mut()
        .state
        .apply(Update::Set(std::sync::Arc::new(record)), ago(20));
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    harness.get_by_label("+1 consequence folded under it: Stream paused by transmitter");
    assert!(
        harness.query_by_label_contains("other incident").is_none(),
        "the pause is no incident of its own any more"
    );
}

/// The profile was stopped while the stream was disabled: the banner and the alert list say the
/// stop is no longer watched, never that it is over, and the alert no longer counts as active.
#[test]
fn a_stop_left_when_the_session_ended_is_said_no_longer_watched() {
    let mut state = disabled_then_refused();
    let key = StreamKey("demo".to_owned());
    state.apply(Update::SessionEnded { key }, ago(5));
    let mut harness = kit::harness(state, NOW);
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    harness.get_by_label_contains("◼ No longer watched since");
    assert!(
        harness.query_by_label_contains("✔ Resolved").is_none(),
        "nobody saw it end"
    );
    harness.get_by_label("Alerts (0 active, 2 in all)");
    assert!(
        harness
            .query_all_by_label_contains("no longer watched since")
            .count()
            >= 1
    );
}
