//! The left panel's layout (egui_kittest, issue 23 item 9): its width does not follow what comes
//! and goes in it (a disable's reason), and a stream card's lines are apart from the frame it
//! appears in.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with, stream_updated};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

/// The demo transmitter's reason for its disable (`TransmitterOptions::disable_reason`).
const DEMO_REASON: &str = "Disabled by administrator mallory@example.com";

/// Where the timeline starts: the left panel's right edge, and the central panel's margin.
fn table_left(harness: &Harness<'_, kit::TestUi>) -> f32 {
    harness.get_by_label("#").rect().left()
}

/// The stream disabled by the transmitter, with the demo's reason, as SET `seq`.
fn disable(state: &mut InspectorState, seq: u64) {
    let key = TestKey::es256("k1");
    let at = UnixMillis(NOW.0 - 2_000);
    let mut record = inspect(
        &key.sign(&stream_updated("jti-off", "disabled", DEMO_REASON)),
        &key.jwks(),
        at,
    );
    record.seq = seq;
    state.apply(Update::Set(Arc::new(record)), at);
}

#[test]
fn the_left_panel_keeps_its_width_when_the_disable_arrives() {
    for presenter in [false, true] {
        let key = TestKey::es256("k1");
        let first = inspect(
            &key.sign(&session_revoked("jti-1")),
            &key.jwks(),
            UnixMillis(NOW.0 - 9_000),
        );
        let mut harness = kit::harness(state_with(vec![first]), NOW);
        harness.state_mut().view.presenter = presenter;
        harness.state_mut().view.ui_scale = if presenter { 1.5 } else { 1.0 };
        harness.run();
        let before = table_left(&harness);
        disable(&mut harness.state_mut().state, 2);
        harness.run();
        assert!(
            harness
                .query_all(by().label_contains("Stream disabled by transmitter"))
                .next()
                .is_some()
        );
        let after = table_left(&harness);
        assert!(
            (after - before).abs() < 0.5,
            "presenter {presenter}: the table moved from x {before} to {after}"
        );
    }
}

/// Every pair of texts of the left panel (left of `right`) that are drawn over each other.
fn overlapping_texts(harness: &Harness<'_, kit::TestUi>, right: f32) -> Vec<String> {
    let texts: Vec<(String, egui::Rect)> = harness
        .query_all(by().role(Role::Label))
        .map(|node| {
            let node_ = node.accesskit_node();
            let text = node_.label().or_else(|| node_.value());
            (text.unwrap_or_default(), node.rect())
        })
        .filter(|(_, rect)| rect.right() <= right)
        .collect();
    let mut found = Vec::new();
    for (i, (a, ra)) in texts.iter().enumerate() {
        for (b, rb) in &texts[i + 1..] {
            if ra.intersect(*rb).area() > 1.0 {
                found.push(format!("{a:?} {ra:?} over {b:?} {rb:?}"));
            }
        }
    }
    found
}

#[test]
fn a_stream_cards_lines_are_apart_from_the_frame_it_appears_in() {
    // The window is drawn before the stream comes up, as the app's is while its runtime starts.
    let mut harness = kit::harness(InspectorState::default(), NOW);
    harness.run();
    let left = harness.get_by_label("Streams").rect().left();
    let right = left + 240.0;
    let came_up = state_with(Vec::new());
    harness.state_mut().state = came_up;
    // One frame, as the first one drawn with the card (its passes included).
    harness.step();
    let found = overlapping_texts(&harness, right);
    assert!(found.is_empty(), "first frame:\n{}", found.join("\n"));
    // A row that comes later (the disable's reason) is placed as it is drawn, too.
    disable(&mut harness.state_mut().state, 1);
    harness.step();
    let found = overlapping_texts(&harness, right);
    assert!(
        found.is_empty(),
        "the disable's frame:\n{}",
        found.join("\n")
    );
}
