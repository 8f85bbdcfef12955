//! A file opened beside the live streams, in the window (issue 24): each source keeps its own
//! filter and selection, the live record's Export and Save capture wait for the live streams,
//! the card says what the header says (a filter naming a subject masked in presenter mode), and
//! a line that could not be read is listed.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ssf_inspector::core::opened_info::{OpenedHeader, OpenedKind, Saved};
use ssf_inspector::core::set_summary::SetSummary;
use ssf_inspector::core::update::{OpenedUpdate, Update};
use ssf_inspector::ui::view::Source;

use crate::fixtures::{NOW, TestKey, inspect, session_revoked, state_with};
use crate::kit;

/// A window on one live SET, with a capture opened beside it holding two SETs and a bad line.
fn window() -> Harness<'static, kit::TestUi> {
    let key = TestKey::es256("k1");
    let live = inspect(&key.sign(&session_revoked("live-1")), &key.jwks(), NOW);
    let mut harness = kit::harness(state_with(vec![live]), NOW);
    let opened = &mut harness.state_mut().opened;
    let id = opened.begin("/tmp/colleague.jsonl");
    let header = OpenedHeader {
        name: "colleague.jsonl".to_owned(),
        path: "/tmp/colleague.jsonl".to_owned(),
        kind: Some(OpenedKind::Capture),
        saved: Some(Saved {
            at: "2026-12-07T10:02:03Z".to_owned(),
            by: "ssf-inspector window".to_owned(),
            app_version: "0.1.0".to_owned(),
            source: "record.sqlite3".to_owned(),
            filter: Some("subject:alice@example.com".to_owned()),
            profiles: 1,
            key_sets: 1,
        }),
    };
    let summaries: Vec<SetSummary> = ["file-1", "file-2"]
        .iter()
        .enumerate()
        .map(|(n, jti)| {
            let mut record = inspect(&key.sign(&session_revoked(jti)), &key.jwks(), NOW);
            record.seq = 40 + n as u64;
            SetSummary::of(&record)
        })
        .collect();
    for update in [
        OpenedUpdate::Began(Box::new(header)),
        OpenedUpdate::Contents(Box::new(Update::Reloaded(summaries))),
        OpenedUpdate::Problem("line 7 is skipped: not JSON (EOF while parsing)".to_owned()),
        OpenedUpdate::Loaded,
    ] {
        opened.apply(id, update, NOW);
    }
    harness.run();
    harness
}

/// A tab above the timeline (the card's title has the file's name too).
fn tab<'a>(harness: &'a Harness<'_, kit::TestUi>, label: &'a str) -> egui_kittest::Node<'a> {
    harness.get_by_role_and_label(Role::Button, label)
}

#[test]
fn each_source_keeps_its_own_filter_and_selection() {
    let mut harness = window();
    tab(&harness, "Live streams").click();
    harness.run();
    assert_eq!(harness.state().view.source, Source::Live);
    harness.get_by_label("1 SETs");
    kit::type_filter(&mut harness, "live-1");
    harness
        .query_all_by_label("valid signature")
        .next()
        .expect("the live row")
        .click();
    harness.run();
    let live_selected = harness.state().view.selected;
    assert!(live_selected.is_some());

    tab(&harness, "📂 colleague.jsonl").click();
    harness.run();
    assert_eq!(harness.state().view.source, Source::Opened(1));
    assert_eq!(kit::filter_box(&harness), "", "the file starts unfiltered");
    assert_eq!(harness.state().view.selected, None);
    harness.get_by_label("2 SETs");
    harness.get_by_label_contains("📂 colleague.jsonl — read-only capture");
    kit::type_filter(&mut harness, "file-2");

    tab(&harness, "Live streams").click();
    harness.run();
    assert_eq!(kit::filter_box(&harness), "live-1");
    assert_eq!(harness.state().view.selected, live_selected);
    tab(&harness, "📂 colleague.jsonl").click();
    harness.run();
    assert_eq!(kit::filter_box(&harness), "file-2");
}

#[test]
fn export_and_save_capture_wait_for_the_live_streams() {
    let mut harness = window();
    tab(&harness, "📂 colleague.jsonl").click();
    harness.run();
    assert!(
        harness
            .get_by_label("Export…")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        harness
            .get_by_label("Save capture…")
            .accesskit_node()
            .is_disabled()
    );
    tab(&harness, "Live streams").click();
    harness.run();
    assert!(
        !harness
            .get_by_label("Export…")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn the_card_tells_the_header_and_the_unreadable_lines_masking_a_subject_for_a_presenter() {
    let mut harness = window();
    harness.get_by_label_contains(
        "Saved 2026-12-07T10:02:03Z by ssf-inspector window (version 0.1.0) from record.sqlite3, \
         the SETs of the filter “subject:alice@example.com”",
    );
    harness
        .get_by_label("⚠ 1 line could not be read (skipped; the rest was read)")
        .click();
    harness.run();
    harness.get_by_label("line 7 is skipped: not JSON (EOF while parsing)");
    harness.state_mut().view.presenter = true;
    harness.run();
    assert!(
        harness
            .query_by_label_contains("alice@example.com")
            .is_none(),
        "the subject is masked in presenter mode"
    );
    harness.get_by_label_contains("the SETs of the filter “subject:a•••@example.com”");
}

#[test]
fn open_from_the_toolbar_or_ctrl_o_and_close_from_the_card() {
    let mut harness = window();
    harness.get_by_label("Open…").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    harness.get_by_label("Close").click();
    harness.run();
    assert_eq!(
        harness.state().actions,
        ["OpenFile(None)", "OpenFile(None)", "CloseFile(1)"]
    );
}
