//! The left panel's layout (egui_kittest, issue 23 item 9): its width does not follow what comes
//! and goes in it (a disable's reason), a stream card's lines are apart from the frame it
//! appears in, and the timeline's row numbers are painted at 4.5:1 or more in both themes.

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
use ssf_inspector::ui::theme;

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

/// The colour the row number `text` is painted in, from the frame's shapes (in the `#` column).
fn painted_colour(harness: &Harness<'_, kit::TestUi>, text: &str) -> Option<egui::Color32> {
    fn find(shape: &egui::Shape, text: &str, column: egui::Rangef) -> Option<egui::Color32> {
        match shape {
            egui::Shape::Text(t) if t.galley.text() == text && column.contains(t.pos.x) => Some(
                t.override_text_color
                    .or_else(|| t.galley.job.sections.first().map(|s| s.format.color))
                    .unwrap_or(t.fallback_color),
            ),
            egui::Shape::Vec(shapes) => shapes.iter().find_map(|s| find(s, text, column)),
            _ => None,
        }
    }
    let header = harness.get_by_label("#").rect();
    let column = egui::Rangef::new(header.left() - 8.0, header.right() + 8.0);
    harness
        .output()
        .shapes
        .iter()
        .find_map(|clipped| find(&clipped.shape, text, column))
}

#[test]
fn row_numbers_are_painted_at_4_5_to_1_in_both_themes() {
    // egui's weak text, which the row numbers were, reached 2.9:1 (dark) and 2.7:1 (light); a
    // selected row's number was muted on the selection's fill.
    let key = TestKey::es256("k1");
    let records = (0..3)
        .map(|i| {
            inspect(
                &key.sign(&session_revoked(&format!("jti-{i}"))),
                &key.jwks(),
                UnixMillis(NOW.0 - 9_000 + i * 1_000),
            )
        })
        .collect();
    let mut harness = kit::harness(state_with(records), NOW);
    theme::install(&harness.ctx);
    harness.state_mut().view.selected = Some(2);
    let mut short = Vec::new();
    for which in [egui::Theme::Dark, egui::Theme::Light] {
        harness.ctx.set_theme(which);
        harness.run();
        let visuals = harness.ctx.style_of(which).visuals.clone();
        let striped = striped(visuals.panel_fill, visuals.faint_bg_color);
        let grounds = [
            ("1", "a row", visuals.panel_fill),
            ("1", "a striped row", striped),
            ("2", "the selected row", visuals.selection.bg_fill),
            ("3", "a row", visuals.panel_fill),
            ("3", "a striped row", striped),
        ];
        for (number, ground, fill) in grounds {
            let colour = painted_colour(&harness, number)
                .unwrap_or_else(|| panic!("row number {number} is painted"));
            let ratio = theme::contrast(colour, fill);
            if ratio < 4.5 {
                short.push(format!("{which:?}: row {number} on {ground}: {ratio:.2}"));
            }
        }
    }
    assert!(short.is_empty(), "below 4.5:1:\n{}", short.join("\n"));
}

/// A striped row: egui adds the faint colour (additive, no alpha) to the panel.
#[expect(
    clippy::disallowed_methods,
    reason = "the colour egui composes, not a colour of the app"
)]
fn striped(panel: egui::Color32, faint: egui::Color32) -> egui::Color32 {
    let add = |a: u8, b: u8| a.saturating_add(b);
    egui::Color32::from_rgb(
        add(panel.r(), faint.r()),
        add(panel.g(), faint.g()),
        add(panel.b(), faint.b()),
    )
}
