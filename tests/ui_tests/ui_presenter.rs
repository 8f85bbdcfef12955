//! Presenter mode and the UI scale (egui_kittest): the View menu turns presenter mode on, the
//! subjects are masked in the timeline and the details, each stream gets a large state tile,
//! Ctrl+= / Ctrl+- / Ctrl+0 scale within 1.0–2.0, and on 1280×720 at every scale nothing
//! overlaps and the story stays on screen (the table's Event and Subject, the banner's title).

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
    alice_then_disable_over(None)
}

/// [`alice_then_disable`], the disable carried by `exchange` (its banner shows it).
fn alice_then_disable_over(exchange: Option<u64>) -> InspectorState {
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
    records[1].exchange = exchange;
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

/// The clickable widgets whose rectangles overlap, in a window of `points` at `scale`, and
/// the presenter story cut off: the table's Event and Subject headers not whole on screen, an
/// event name cut, the banner's title under one of its buttons.
fn overlaps(scale: f32, points: egui::Vec2, presenter: bool) -> Vec<String> {
    let mut harness = kit::harness(alice_then_disable_over(Some(7)), NOW);
    harness.state_mut().view.ui_scale = scale;
    harness.state_mut().view.presenter = presenter;
    harness.run();
    // The frame a zoom takes effect egui scales the window's rect by the change (as a window
    // would then report it), and kittest sends no rect after: it is set again, as the window
    // sends its size every frame. (Without this the window was 1280/scale² points wide.)
    harness.set_size(points);
    harness.run();
    let size = harness.ctx.content_rect().size();
    assert!((size - points).length() < 0.5, "{size:?}");
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
    // What the panels above the banner hold beyond its top edge is clipped by their panel (a
    // scroll area's rows below its end), never drawn over the banner: not an overlap.
    let banner_top = banner_top(&harness);
    let banner_buttons = [
        "Acknowledge",
        "Show evidence",
        "Show exchange",
        "Export evidence…",
    ];
    let hidden = |label: &str, rect: &egui::Rect| {
        !banner_buttons.contains(&label) && banner_top.is_some_and(|top| rect.top() >= top)
    };
    let widgets: Vec<_> = widgets
        .into_iter()
        .filter(|(label, rect)| !hidden(label, rect))
        .collect();
    for (i, (a, ra)) in widgets.iter().enumerate() {
        for (b, rb) in &widgets[i + 1..] {
            let both_on_screen = screen.contains_rect(*ra) && screen.contains_rect(*rb);
            if both_on_screen && ra.intersect(*rb).area() > 1.0 {
                found.push(format!("{a:?} {ra:?} overlaps {b:?} {rb:?}"));
            }
        }
    }
    found.extend(story_cut_off(&harness, screen));
    found
}

/// The top of the banner's frame: above its title by the frame's margin (`None`: no banner).
fn banner_top(harness: &egui_kittest::Harness<'_, kit::TestUi>) -> Option<f32> {
    let alert = harness.state().state.banner_alerts().next()?;
    let label = format!("⚠  {}", alert.kind.title());
    let top = harness.query_by_label(&label)?.rect().top();
    Some(top - 8.0)
}

/// What of the presenter story is cut off: the Event and Subject columns' headers not whole
/// on screen, an event's name cut short, the toolbar's count broken over two lines, the
/// banner's title under one of its buttons.
fn story_cut_off(
    harness: &egui_kittest::Harness<'_, kit::TestUi>,
    screen: egui::Rect,
) -> Vec<String> {
    let mut found = Vec::new();
    for header in ["#", "Event", "Subject"] {
        let rect = header_rect(harness, header);
        if !screen.contains_rect(rect) {
            found.push(format!(
                "the {header:?} header {rect:?} is not whole on screen"
            ));
        }
    }
    // Each event's name whole: as wide as the text laid out unclipped.
    let subject = header_rect(harness, "Subject");
    for name in ["Session revoked", "Stream updated"] {
        let rect = harness.get_by_label(name).rect();
        let font = egui::TextStyle::Body.resolve(&harness.ctx.global_style());
        let whole = harness.ctx.fonts_mut(|fonts| {
            fonts
                .layout_no_wrap(name.to_owned(), font, egui::Color32::WHITE)
                .size()
                .x
        });
        if rect.width() + 0.5 < whole || rect.right() > subject.left() {
            found.push(format!(
                "{name:?} {rect:?} is cut (whole it is {whole} wide)"
            ));
        }
    }
    // The toolbar's count on one line.
    let count = harness.get_by_label("2 SETs").rect();
    let font = egui::TextStyle::Body.resolve(&harness.ctx.global_style());
    let line = harness.ctx.fonts_mut(|fonts| fonts.row_height(&font));
    if count.height() > 1.5 * line {
        found.push(format!("the count {count:?} is on more than one line"));
    }
    let state = &harness.state().state;
    let Some(alert) = state.banner_alerts().next() else {
        found.push("no banner".to_owned());
        return found;
    };
    let title = harness
        .get_by_label(&format!("⚠  {}", alert.kind.title()))
        .rect();
    if !screen.contains_rect(title) {
        found.push(format!(
            "the banner's title {title:?} is not whole on screen"
        ));
    }
    for button in ["Acknowledge", "Show evidence", "Show exchange"] {
        let nodes: Vec<_> = harness.query_all(by().label(button)).collect();
        if nodes.is_empty() {
            found.push(format!("no {button:?} button"));
        }
        for node in nodes {
            let rect = node.rect();
            if rect.intersect(title).area() > 1.0 {
                found.push(format!(
                    "{button:?} {rect:?} covers the banner's title {title:?}"
                ));
            }
        }
    }
    found
}

/// The table's header `title` (the card on the left has a "Received" line too: the header is
/// the rightmost).
fn header_rect(harness: &egui_kittest::Harness<'_, kit::TestUi>, title: &str) -> egui::Rect {
    harness
        .query_all(by().label(title))
        .map(|node| node.rect())
        .max_by(|a, b| a.left().total_cmp(&b.left()))
        .unwrap_or_else(|| panic!("a {title:?} header"))
}

#[test]
fn nothing_overlaps_at_any_scale_on_1280_by_720() {
    let mut found = Vec::new();
    for presenter in [false, true] {
        for scale in [1.0, 1.2, 1.5, 2.0] {
            // 1280×720 pixels are 1280/scale × 720/scale points.
            let points = egui::vec2(1280.0 / scale, 720.0 / scale);
            for what in overlaps(scale, points, presenter) {
                found.push(format!("at {scale}× (presenter {presenter}): {what}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
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
