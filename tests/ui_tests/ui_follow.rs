//! Follow live at a high rate (egui_kittest): a row pressed the moment the pointer arrives on a
//! table that scrolls every frame is the row selected.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with};
use ssf_inspector::core::record::SetRecord;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

/// SET number `n`, received `n` seconds into the run.
fn revocation(key: &TestKey, n: u64) -> SetRecord {
    let mut record = inspect(
        &key.sign(&session_revoked(&format!("jti-rate-{n}"))),
        &key.jwks(),
        UnixMillis(NOW.0 - 200_000 + n as i64 * 10),
    );
    record.seq = n;
    record
}

/// A new row arrives, then one frame is drawn with `events` as its input.
fn frame_with(
    harness: &mut Harness<'static, kit::TestUi>,
    key: &TestKey,
    n: u64,
    events: Vec<egui::Event>,
) {
    let record = revocation(key, n);
    let at = record.received_at;
    harness
        .state_mut()
        .state
        .apply(Update::Set(Arc::new(record)), at);
    harness.input_mut().events.extend(events);
    harness.step();
}

fn button(pos: egui::Pos2, pressed: bool) -> egui::Event {
    egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    }
}

/// At 200 SETs/s a row arrives every frame and the table follows it. The pointer comes onto a
/// row and presses at once, or one frame later: the table holds still from the frame the
/// pointer arrived (the rows stay where the person saw them), and the row pressed is the row
/// selected.
#[test]
fn a_row_pressed_as_the_pointer_arrives_on_a_scrolling_table_is_selected() {
    for frames_before_press in [0, 1] {
        let key = TestKey::es256("k1");
        let mut harness = kit::harness(
            state_with((1..=60).map(|n| revocation(&key, n)).collect()),
            NOW,
        );
        harness.run();
        let mut n = 60;
        for _ in 0..3 {
            n += 1;
            frame_with(&mut harness, &key, n, Vec::new());
        }
        // The row the person aims at, where the last frame drew it.
        let aimed = n - 10;
        let seen = harness.get_by_label(&aimed.to_string()).rect();
        let at = seen.center();
        let mut arrival = vec![egui::Event::PointerMoved(at)];
        if frames_before_press == 0 {
            arrival.push(button(at, true));
        }
        n += 1;
        frame_with(&mut harness, &key, n, arrival);
        assert!(harness.state().view.follow_held);
        assert_eq!(
            harness.get_by_label(&aimed.to_string()).rect(),
            seen,
            "the row stays under the pointer from the frame it arrived"
        );
        if frames_before_press == 1 {
            n += 1;
            frame_with(&mut harness, &key, n, vec![button(at, true)]);
        }
        n += 1;
        frame_with(&mut harness, &key, n, vec![button(at, false)]);
        harness.step();
        assert_eq!(
            harness.state().view.selected,
            Some(aimed),
            "pressed {frames_before_press} frame(s) after the pointer arrived"
        );
        let jti = format!("jti-rate-{aimed}");
        assert_eq!(
            harness
                .state()
                .state
                .timeline
                .full(aimed)
                .and_then(|r| r.jti.clone()),
            Some(jti)
        );
    }
}

/// A pointer resting on the table (a presenter's) does not hold it; a press does, from the
/// frame of the press: the row under it stays put and is the row selected.
#[test]
fn a_press_where_the_pointer_rests_holds_the_table_and_selects_the_row_under_it() {
    let key = TestKey::es256("k1");
    let mut harness = kit::harness(
        state_with((1..=60).map(|n| revocation(&key, n)).collect()),
        NOW,
    );
    harness.run();
    let at = harness.get_by_label("50").rect().center();
    harness
        .input_mut()
        .events
        .push(egui::Event::PointerMoved(at));
    let mut n = 60;
    // Each frame is 0.25 s: after 4 s at rest following goes on under the pointer.
    for _ in 0..16 {
        n += 1;
        frame_with(&mut harness, &key, n, Vec::new());
    }
    assert!(!harness.state().view.follow_held);
    let aimed = (40..=n)
        .find(|seq| {
            harness
                .query_by_label(&seq.to_string())
                .is_some_and(|row| row.rect().contains(at))
        })
        .unwrap();
    let seen = harness.get_by_label(&aimed.to_string()).rect();
    n += 1;
    frame_with(&mut harness, &key, n, vec![button(at, true)]);
    assert!(harness.state().view.follow_held, "held from the press");
    assert_eq!(harness.get_by_label(&aimed.to_string()).rect(), seen);
    n += 1;
    frame_with(&mut harness, &key, n, vec![button(at, false)]);
    harness.step();
    assert_eq!(harness.state().view.selected, Some(aimed));
}

/// The banner arrives with the disable and takes a third of the window at 2×: the table gets
/// shorter, and while following live its newest rows (the disable itself) stay in view, not
/// under the banner.
#[test]
fn following_keeps_the_newest_row_in_view_when_the_banner_shrinks_the_table() {
    let key = TestKey::es256("k1");
    let mut harness = kit::harness(
        state_with((1..=60).map(|n| revocation(&key, n)).collect()),
        NOW,
    );
    harness.state_mut().view.ui_scale = 2.0;
    harness.run();
    harness.set_size(egui::vec2(640.0, 360.0));
    harness.run();
    assert!(
        harness.query_by_label("60").is_some(),
        "the newest row is in view"
    );
    let mut told = inspect(
        &key.sign(&fixtures::stream_updated("su-1", "disabled", "maintenance")),
        &key.jwks(),
        UnixMillis(NOW.0 - 1000),
    );
    told.seq = 61;
    let at = told.received_at;
    harness
        .state_mut()
        .state
        .apply(Update::Set(Arc::new(told)), at);
    harness.run();
    let banner = harness
        .get_by_label("⚠  Stream disabled by transmitter")
        .rect();
    let newest = harness.get_by_label("61").rect();
    assert!(
        newest.bottom() <= banner.top(),
        "the disable's row {newest:?} is above the banner {banner:?}"
    );
}
