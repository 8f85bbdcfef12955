//! Presenter mode and the UI scale (egui_kittest): the View menu turns presenter mode on, the
//! subjects are masked in the timeline and the details, each stream gets a large state tile,
//! Ctrl+= / Ctrl+- / Ctrl+0 scale within 1.0–2.0, and at 2.0× on 1280×720 nothing overlaps.

use crate::fixtures;
use crate::kit;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use fixtures::{NOW, TestKey, inspect, state_with, stream_updated};
use serde_json::json;
use ssf_inspector::core::events;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;

/// A revocation of alice's session, then the stream disabled.
fn alice_then_disable() -> InspectorState {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let revoked = fixtures::claims(
        "jti-alice",
        &events::caep("session-revoked"),
        &json!({"event_timestamp": 1_700_000_000}),
        &json!({"format": "email", "email": "alice@example.com"}),
    );
    let mut records = vec![
        inspect(&key.sign(&revoked), &keys, UnixMillis(NOW.0 - 9000)),
        inspect(
            &key.sign(&stream_updated(
                "jti-off",
                "disabled",
                "by alice@example.com",
            )),
            &keys,
            UnixMillis(NOW.0 - 4000),
        ),
    ];
    records[1].seq = 2;
    state_with(records)
}

#[test]
fn presenter_mode_masks_subjects_everywhere_and_shows_a_state_tile() {
    let mut harness = kit::harness(alice_then_disable(), NOW);
    harness.run();
    harness.get_by_label("email alice@example.com");

    harness.get_by_label("View").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "Presenter mode")
        .click();
    harness.run();
    let view = &harness.state().view;
    assert!(view.presenter);
    assert!(
        (view.ui_scale - 1.5).abs() < 1e-6,
        "large type at once: {}",
        view.ui_scale
    );
    harness.get_by_label("email a•••@example.com");
    harness.get_by_label("DISABLED");
    harness.get_by_label_contains("reason: by a•••@example.com");

    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().view.selected, Some(1));
    harness.get_by_label("email: \"a•••@example.com\"");
    let leaks: Vec<String> = harness
        .query_all(by().label_contains("alice@"))
        .map(|n| format!("{n:?}"))
        .collect();
    assert!(
        leaks.is_empty(),
        "the details mask the subject too: {leaks:#?}"
    );
    harness.get_by_label("Raw token").click();
    harness.run();
    harness.get_by_label_contains("hidden in presenter mode");
}

#[test]
fn the_scale_keys_step_within_one_to_two_and_reset() {
    let mut harness = kit::harness(alice_then_disable(), NOW);
    harness.run();
    let scale = |h: &egui_kittest::Harness<'_, kit::TestUi>| h.state().view.ui_scale;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    harness.run();
    assert!((scale(&harness) - 1.1).abs() < 1e-6, "{}", scale(&harness));
    for _ in 0..15 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
        harness.run();
    }
    assert!(
        (scale(&harness) - 2.0).abs() < 1e-6,
        "capped: {}",
        scale(&harness)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    harness.run();
    assert!((scale(&harness) - 1.9).abs() < 1e-6, "{}", scale(&harness));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    harness.run();
    assert!((scale(&harness) - 1.0).abs() < 1e-6, "{}", scale(&harness));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    harness.run();
    assert!(
        (scale(&harness) - 1.0).abs() < 1e-6,
        "floored: {}",
        scale(&harness)
    );
}

/// The clickable widgets whose rectangles overlap, in a window of `points` at `scale`.
fn overlaps(scale: f32, points: egui::Vec2) -> Vec<String> {
    let mut harness = kit::harness(alice_then_disable(), NOW);
    harness.state_mut().view.ui_scale = scale;
    harness.set_size(points);
    harness.run();
    let mut widgets = Vec::new();
    for role in [
        Role::Button,
        Role::CheckBox,
        Role::TextInput,
        Role::RadioButton,
    ] {
        for node in harness.query_all(by().role(role)) {
            let label = node.accesskit_node().label().unwrap_or_default();
            widgets.push((label, node.rect()));
        }
    }
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, points);
    let mut found = Vec::new();
    // Every toolbar control is whole on screen: wrapped, not pushed past the edge.
    for label in [
        "Timeline",
        "Exchanges",
        "Follow live",
        "Export…",
        "Notify",
        "View",
        "?",
    ] {
        let rect = harness.get_by_label(label).rect();
        if !screen.contains_rect(rect) {
            found.push(format!("{label:?} {rect:?} is not whole on screen"));
        }
    }
    let filter = harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .rect();
    if !screen.contains_rect(filter) {
        found.push(format!("the filter box {filter:?} is not whole on screen"));
    }
    for (i, (a, ra)) in widgets.iter().enumerate() {
        for (b, rb) in &widgets[i + 1..] {
            let both_on_screen = screen.contains_rect(*ra) && screen.contains_rect(*rb);
            if both_on_screen && ra.intersect(*rb).area() > 1.0 {
                found.push(format!("{a:?} {ra:?} overlaps {b:?} {rb:?}"));
            }
        }
    }
    found
}

#[test]
fn nothing_overlaps_at_any_scale_on_1280_by_720() {
    for scale in [1.0, 1.2, 1.5, 2.0] {
        // 1280×720 pixels are 1280/scale × 720/scale points.
        let points = egui::vec2(1280.0 / scale, 720.0 / scale);
        let found = overlaps(scale, points);
        assert!(found.is_empty(), "at {scale}×:\n{}", found.join("\n"));
    }
}

/// Every text on screen: labels, values (a text box's content) and placeholders (its hint).
fn texts_on_screen(harness: &egui_kittest::Harness<'_, kit::TestUi>) -> Vec<String> {
    harness
        .root()
        .children_recursive()
        .flat_map(|node| {
            let node = node.accesskit_node();
            [
                node.label(),
                node.value(),
                node.placeholder().map(str::to_owned),
            ]
        })
        .flatten()
        .collect()
}

/// The texts on screen that show `clear` as it is.
fn leaks(harness: &egui_kittest::Harness<'_, kit::TestUi>, clear: &str) -> Vec<String> {
    texts_on_screen(harness)
        .into_iter()
        .filter(|text| text.contains(clear))
        .collect()
}

fn presenting(state: InspectorState) -> egui_kittest::Harness<'static, kit::TestUi> {
    let mut harness = kit::harness(state, NOW);
    harness.state_mut().view.presenter = true;
    harness.run();
    harness
}

#[test]
fn a_rows_filter_by_subject_filters_by_the_real_value_and_shows_it_masked() {
    let mut harness = presenting(alice_then_disable());
    assert_eq!(harness.state().state.timeline.visible_sets(), 2);
    harness.get_by_label("Session revoked").click_secondary();
    harness.run();
    harness.get_by_label("Filter by this subject").click();
    harness.run();
    assert_eq!(
        harness.state().state.timeline.visible_sets(),
        1,
        "only alice's SET: the filter holds the real value"
    );
    let leaks = leaks(&harness, "alice@");
    assert!(leaks.is_empty(), "the filter shows it masked: {leaks:#?}");
    harness.get_by_label_contains("subject:a•••@example.com");
}

#[test]
fn the_details_subject_link_filters_and_never_shows_it_in_clear() {
    let mut harness = presenting(alice_then_disable());
    harness.state_mut().view.selected = Some(1);
    harness.run();
    harness
        .get_by_role_and_label(Role::Link, "email a•••@example.com")
        .click();
    harness.run();
    assert_eq!(harness.state().state.timeline.visible_sets(), 1);
    let leaks = leaks(&harness, "alice@");
    assert!(leaks.is_empty(), "{leaks:#?}");
}

#[test]
fn a_filter_typed_before_presenter_mode_is_shown_masked() {
    let mut harness = kit::harness(alice_then_disable(), NOW);
    harness.state_mut().view.filter = "subject:alice@example.com".to_owned();
    harness.run();
    assert_eq!(harness.state().state.timeline.visible_sets(), 1);
    harness.state_mut().view.presenter = true;
    harness.run();
    assert_eq!(harness.state().state.timeline.visible_sets(), 1);
    let leaks = leaks(&harness, "alice@");
    assert!(leaks.is_empty(), "{leaks:#?}");
    // ✖ still clears it.
    harness.get_by_label("✖").click();
    harness.run();
    assert_eq!(harness.state().state.timeline.visible_sets(), 2);
}

/// The Remove subject form of the stream, opened.
fn remove_subject_form(harness: &mut egui_kittest::Harness<'_, kit::TestUi>) {
    harness.get_by_label("More…").click();
    harness.run();
    harness.get_by_label("Remove subject…").click();
    harness.run();
    harness.get_by_label("Seen on this stream:");
}

#[test]
fn a_picked_subject_to_remove_is_masked_in_the_form_and_sent_whole() {
    let mut harness = presenting(alice_then_disable());
    remove_subject_form(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "email a•••@example.com")
        .click();
    harness.run();
    harness.get_by_label("Subject: email a•••@example.com");
    let leaks = leaks(&harness, "alice@");
    assert!(leaks.is_empty(), "{leaks:#?}");
    harness.get_by_label("Remove").click();
    harness.run();
    let commands = &harness.state().commands;
    assert_eq!(commands.len(), 1, "{commands:?}");
    assert!(
        commands[0].contains(r#"RemoveSubject(Object {"email": String("alice@example.com")"#),
        "the transmitter is told the real subject: {commands:?}"
    );
}

#[test]
fn the_subject_boxs_hint_names_no_subject_of_the_demo() {
    let mut harness = presenting(state_with(Vec::new()));
    harness.get_by_label("More…").click();
    harness.run();
    harness.get_by_label("Add subject…").click();
    harness.run();
    let hint = harness
        .get_by_role_and_label(Role::MultilineTextInput, "Subject (JSON)")
        .accesskit_node()
        .placeholder()
        .unwrap_or_default()
        .to_owned();
    assert!(hint.contains("\"format\""), "an example: {hint}");
    // The built-in demo transmitter's subjects (runtime/transmitter/sets.rs, mod.rs).
    for demo in ["alice", "bob-7d1f", "carol", "dave", "erin", "mallory"] {
        assert!(!hint.contains(demo), "{demo} is a demo subject: {hint}");
    }
}
