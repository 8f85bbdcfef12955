//! UI behaviour (egui_kittest, no GPU needed): the window drawn from fixture state, driven by
//! clicks and keys as a person would, asserting what is then on screen.

use crate::fixtures;
use crate::kit;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with, stream_updated};
use kit::type_filter;
use ssf_inspector::app::apply_action;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::set_summary::SetSummary;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::ui::{ViewState, root_ui};

struct TestUi {
    state: InspectorState,
    view: ViewState,
    commands: Vec<String>,
}

fn harness(state: InspectorState) -> Harness<'static, TestUi> {
    let test_ui = TestUi {
        state,
        view: ViewState::default(),
        commands: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, s: &mut TestUi| {
                let actions = root_ui(ui, &s.state, &Default::default(), &mut s.view, NOW);
                for action in &actions {
                    if let Some(command) = apply_action(action, &mut s.state, &mut s.view).command {
                        s.commands.push(format!("{command:?}"));
                    }
                }
                s.state.timeline.set_filter(&s.view.filter, NOW);
            },
            test_ui,
        )
}

fn one_revocation() -> InspectorState {
    let key = TestKey::es256("k1");
    state_with(vec![inspect(
        &key.sign(&session_revoked("jti-ui-1")),
        &key.jwks(),
        UnixMillis(NOW.0 - 3000),
    )])
}

fn revocation_then_disable() -> InspectorState {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    state_with(vec![
        inspect(
            &key.sign(&session_revoked("jti-ui-1")),
            &keys,
            UnixMillis(NOW.0 - 9000),
        ),
        inspect(
            &key.sign(&stream_updated(
                "jti-ui-2",
                "disabled",
                "Disabled by admin mallory",
            )),
            &keys,
            UnixMillis(NOW.0 - 4000),
        ),
    ])
}

#[test]
fn the_timeline_shows_a_row_and_clicking_it_shows_the_claims() {
    let mut harness = harness(one_revocation());
    harness.run();
    harness.get_by_label("Session revoked");
    harness.get_by_label("email alice@example.com");
    harness.get_by_label("valid signature");
    assert!(
        harness
            .query_by_label_contains("jti: \"jti-ui-1\"")
            .is_none(),
        "no details before a click"
    );

    harness.get_by_label("Session revoked").click();
    harness.run();
    assert_eq!(harness.state().view.selected, Some(1));
    harness.get_by_label("jti: \"jti-ui-1\"");
    harness.get_by_label("email: \"alice@example.com\"");
    harness.get_by_label("initiating_entity: \"policy\"");
    // A time claim shows its date and how long ago it was.
    harness.get_by_label(&format!("iat: {}", NOW.as_secs() - 60));
    harness.get_by_label_contains("08:59:00.000 UTC, 1m 00s ago");

    harness.get_by_label("Header").click();
    harness.run();
    harness.get_by_label("typ: \"secevent+jwt\"");
    harness.get_by_label("kid: \"k1\"");

    harness.get_by_label("Raw token").click();
    harness.run();
    harness.get_by_label_contains("Raw token (");
    let first = harness
        .state()
        .state
        .timeline
        .entries()
        .next()
        .expect("a SET")
        .seq();
    let raw = harness
        .state()
        .state
        .timeline
        .full(first)
        .expect("held")
        .raw
        .clone();
    let field = harness.get_by_role(Role::MultilineTextInput);
    assert_eq!(field.value().as_deref(), Some(raw.as_str()));
}

#[test]
fn a_disabled_stream_shows_the_banner_until_acknowledged() {
    let mut harness = harness(revocation_then_disable());
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    harness.get_by_label_contains("reason: Disabled by admin mallory");
    harness.get_by_label_contains("disabled since");

    harness.get_by_label("Show evidence").click();
    harness.run();
    assert_eq!(
        harness.state().view.selected,
        Some(2),
        "the evidence is the stream-updated SET"
    );
    harness.get_by_label("status: \"disabled\"");

    harness.get_by_label("Acknowledge").click();
    harness.run();
    assert!(
        harness
            .query_by_label("⚠  Stream disabled by transmitter")
            .is_none(),
        "the banner is gone"
    );
    harness.get_by_label_contains("acknowledged");
    assert!(harness.state().state.alerts[0].acknowledged);
}

#[test]
fn arrow_keys_move_the_selection_and_escape_closes_the_details() {
    let mut harness = harness(revocation_then_disable());
    harness.run();
    assert!(harness.state().view.follow);
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().view.selected, Some(1));
    assert!(
        !harness.state().view.follow,
        "moving through the rows stops following live, which would carry them away"
    );
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().view.selected, Some(2));
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(
        harness.state().view.selected,
        Some(2),
        "stays on the last row"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().view.selected, None);
    // After a click on a row too (the row then has keyboard focus).
    harness.get_by_label("Session revoked").click();
    harness.run();
    assert_eq!(harness.state().view.selected, Some(1));
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().view.selected, Some(2));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().view.selected, None);
}

#[test]
fn typing_a_filter_hides_the_rows_that_do_not_match() {
    let mut harness = harness(revocation_then_disable());
    harness.run();
    harness.get_by_label("2 SETs");
    type_filter(&mut harness, "stream upd");
    harness.get_by_label("1 of 2 SETs");
    assert!(harness.query_by_label("Session revoked").is_none());
    harness.get_by_label("Stream updated");
}

#[test]
fn the_filter_language_selects_rows_and_a_mistake_is_shown_under_the_box() {
    let mut harness = harness(revocation_then_disable());
    harness.run();
    let filter = type_filter;
    filter(&mut harness, "type:session-revoked");
    harness.get_by_label("1 of 2 SETs");
    harness.get_by_label("Session revoked");
    assert!(harness.query_by_label("Stream updated").is_none());
    // A typo: the error names the column and the fix; the last good filter (here the empty
    // one, as the box was cleared first) stays.
    harness.state_mut().view.filter.clear();
    filter(&mut harness, "tpye:stream-updated");
    harness.get_by_label_contains("⚠ Filter: column 1:");
    harness.get_by_label_contains("type:");
    harness.get_by_label("2 SETs");
    harness.get_by_label_contains("(the last valid filter is still applied)");
    harness.state_mut().view.filter.clear();
    filter(&mut harness, "not type:session-revoked");
    harness.get_by_label("1 of 2 SETs");
    harness.get_by_label("Stream updated");
    assert!(harness.query_by_label_contains("⚠ Filter").is_none());
}

#[test]
fn clicking_an_event_type_or_the_subject_in_the_details_adds_it_to_the_filter() {
    let mut harness = harness(revocation_then_disable());
    harness.run();
    harness.get_by_label("Session revoked").click();
    harness.run();
    let uri = ssf_inspector::core::events::caep("session-revoked");
    harness.get_by_role_and_label(Role::Link, &uri).click();
    harness.run();
    assert_eq!(harness.state().view.filter, format!("type:{uri}"));
    harness.get_by_label("1 of 2 SETs");
    harness
        .get_by_role_and_label(Role::Link, "email alice@example.com")
        .click();
    harness.run();
    assert_eq!(
        harness.state().view.filter,
        format!("type:{uri} subject:alice@example.com")
    );
    harness.get_by_label("1 of 2 SETs");
}

#[test]
fn a_reopened_record_shows_its_progress_and_reads_a_compact_row_when_clicked() {
    let key = TestKey::es256("k1");
    let record = inspect(
        &key.sign(&session_revoked("jti-reloaded")),
        &key.jwks(),
        UnixMillis(NOW.0 - 3000),
    );
    let mut state = InspectorState::default();
    state.apply(Update::Reloading { total: 3 }, NOW);
    let summary = SetSummary::of(&record);
    state.apply(Update::Reloaded(vec![summary]), NOW);
    let mut harness = harness(state);
    harness.run_steps(4);
    harness.get_by_label("Reading the record: 1 of 3 SETs");
    harness.get_by_label("Reading the saved profiles…");
    harness.get_by_label("Session revoked").click();
    harness.run_steps(4);
    harness.get_by_label("Reading it from the record…");
    assert!(harness.query_by_label("jti: \"jti-reloaded\"").is_none());
    harness
        .state_mut()
        .state
        .apply(Update::SetLoaded(std::sync::Arc::new(record)), NOW);
    harness.run_steps(4);
    harness.get_by_label("jti: \"jti-reloaded\"");
}

#[test]
fn a_stop_without_a_reason_says_none_and_its_silence_is_no_alarm() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let no_reason = fixtures::claims(
        "jti-ui-3",
        ssf_inspector::core::events::STREAM_UPDATED,
        &serde_json::json!({"status": "disabled"}),
        &serde_json::json!({"format": "opaque", "id": fixtures::STREAM_ID}),
    );
    let mut state = state_with(vec![inspect(
        &key.sign(&no_reason),
        &keys,
        UnixMillis(NOW.0 - 60_000),
    )]);
    if let Some(stream) = state.streams.values_mut().next() {
        stream.watch.silence_after_millis = Some(12_000);
    }
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("⚠  Stream disabled by transmitter");
    assert!(
        harness.query_by_label_contains("reason:").is_none(),
        "no \"reason:\" where the transmitter gave none"
    );
    harness.get_by_label_contains("expected while disabled (no silence alert)");
    assert!(harness.query_by_label_contains("alert after").is_none());
}

#[test]
fn a_rows_menu_filters_by_its_subject_or_type_and_shows_its_exchange() {
    let mut harness = harness(one_revocation());
    harness.run();
    harness.get_by_label("Session revoked").click_secondary();
    harness.run();
    harness.get_by_label("Copy raw token");
    harness.get_by_label("Copy jti");
    harness.get_by_label("Filter by this subject").click();
    harness.run();
    assert_eq!(harness.state().view.filter, "subject:alice@example.com");

    harness.get_by_label("Session revoked").click_secondary();
    harness.run();
    harness.get_by_label("Filter by Session revoked").click();
    harness.run();
    assert!(
        harness.state().view.filter.contains("type:"),
        "{}",
        harness.state().view.filter
    );
}

/// `button` opens the window for all the SETs (saying `said` too); the file dialog is chosen,
/// `command` is sent, and the window closes.
fn through_the_dialog(
    harness: &mut Harness<'static, TestUi>,
    (button, said): (&str, Option<&str>),
    command: &str,
) {
    harness.get_by_label(button).click();
    harness.run();
    harness.get_by_label("All 1 SETs of the record, raw tokens included");
    if let Some(said) = said {
        harness.get_by_label_contains(said);
    }
    harness.get_by_label("Choose in a file dialog…").click();
    harness.run();
    assert_eq!(harness.state().commands, vec![command.to_owned()]);
    assert!(
        harness.state().view.export_form.is_none(),
        "the window closed"
    );
}

#[test]
fn export_asks_where_and_carries_the_filter_in_force() {
    let mut harness = harness(one_revocation());
    harness.run();
    let command = "Export { path: None, filter: None }";
    through_the_dialog(&mut harness, ("Export…", None), command);
    // With a filter, what the timeline shows is exported; a path typed works without a dialog.
    harness.state_mut().view.filter = "type:session-revoked".to_owned();
    harness.run();
    harness.state_mut().commands.clear();
    harness.get_by_label("Export…").click();
    harness.run();
    harness.get_by_label_contains("The SETs the filter type:session-revoked matches");
    let path = harness.get_by_role_and_label(Role::TextInput, "Path");
    path.focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "Path")
        .type_text("/tmp/evidence.jsonl");
    harness.run();
    harness.get_by_label("Export to this path").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        vec![
            r#"Export { path: Some("/tmp/evidence.jsonl"), filter: Some("type:session-revoked") }"#
                .to_owned()
        ]
    );
}

#[test]
fn save_capture_asks_where_and_carries_the_filter_in_force() {
    let mut harness = harness(one_revocation());
    harness.run();
    let said = "one line per SET, exchange (credentials redacted)";
    let command = "SaveCapture { path: None, filter: None }";
    through_the_dialog(&mut harness, ("Save capture…", Some(said)), command);
    // From the Export window too: choosing "Capture" takes the capture's path, and the filter
    // in force chooses the SETs.
    harness.state_mut().view.filter = "type:session-revoked".to_owned();
    harness.run();
    harness.state_mut().commands.clear();
    harness.get_by_label("Export…").click();
    harness.run();
    harness.get_by_label("Capture").click();
    harness.run();
    harness.get_by_label("Save to this path").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        vec![
            r#"SaveCapture { path: Some("ssf-inspector-capture.jsonl"), filter: Some("type:session-revoked") }"#
                .to_owned()
        ]
    );
}

#[test]
fn the_export_window_writes_an_evidence_bundle_of_the_filtered_view() {
    let mut harness = harness(one_revocation());
    harness.run();
    harness.state_mut().view.filter = "type:session-revoked".to_owned();
    harness.run();
    harness.get_by_label("Export…").click();
    harness.run();
    harness.get_by_label("Evidence bundle").click();
    harness.run();
    harness.get_by_label_contains("SUMMARY.md and MANIFEST.sha256");
    harness.get_by_label("Export to this path").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        vec![
            r#"ExportBundle { path: Some("ssf-inspector-evidence.zip"), filter: Some("type:session-revoked"), incident: None }"#
                .to_owned()
        ]
    );
    assert!(
        harness.state().view.export_form.is_none(),
        "the window closed"
    );
}

#[test]
fn the_details_panel_lists_the_same_findings_as_lint() {
    let key = TestKey::es256("k1");
    let mut claims = session_revoked("jti-findings");
    claims["exp"] = serde_json::json!(NOW.as_secs() + 60);
    let record = inspect(&key.sign(&claims), &key.jwks(), UnixMillis(NOW.0 - 1000));
    let expected: Vec<&str> = record.findings.iter().map(|f| f.rule).collect();
    assert!(expected.contains(&"exp-forbidden"), "{expected:?}");
    let mut harness = harness(state_with(vec![record]));
    harness.run();
    harness.get_by_label("Session revoked").click();
    harness.run();
    harness.get_by_label_contains(&format!("Findings ({})", expected.len()));
    for rule in expected {
        harness.get_by_label(rule);
    }
    harness.get_by_label_contains("exp MUST NOT be used");
}

#[test]
fn the_alert_list_can_show_only_the_alerts_still_in_force() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let state = state_with(vec![
        inspect(
            &key.sign(&stream_updated("a", "disabled", "x")),
            &keys,
            UnixMillis(NOW.0 - 9000),
        ),
        inspect(
            &key.sign(&stream_updated("b", "enabled", "back")),
            &keys,
            UnixMillis(NOW.0 - 4000),
        ),
    ]);
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("Alerts (0 active, 1 in all)");
    harness.get_by_label("Stream disabled by transmitter");
    harness.get_by_label("Active only").click();
    harness.run();
    assert!(
        harness
            .query_by_label("Stream disabled by transmitter")
            .is_none(),
        "the resolved alert is hidden"
    );
    assert!(harness.state().view.alerts_active_only);
}

/// The alert list shows the newest first. An alert raised between the frame a click was aimed
/// at and the frame that takes it must not move the click onto its own buttons: "Acknowledge"
/// acknowledges the alert it was drawn for.
#[test]
fn acknowledging_while_a_new_alert_arrives_acknowledges_the_one_clicked() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let state = state_with(vec![inspect(
        &key.sign(&stream_updated("p", "paused", "maintenance")),
        &keys,
        UnixMillis(NOW.0 - 9000),
    )]);
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("Acknowledge").click_accesskit();
    harness.state_mut().state.apply(
        Update::PushRefused {
            key: StreamKey("demo".to_owned()),
            at: UnixMillis(NOW.0 - 1000),
            exchange: 5,
        },
        UnixMillis(NOW.0 - 1000),
    );
    harness.run();
    let acknowledged: Vec<_> = harness
        .state()
        .state
        .alerts
        .iter()
        .map(|a| (a.kind.as_str(), a.acknowledged))
        .collect();
    assert_eq!(
        acknowledged,
        vec![("stream_paused", true), ("push_unauthorized", false)]
    );
}

/// Following live, every new row scrolls the table, so at a high rate the rows are a blur.
/// While the pointer moves over the table it holds still (the row under the pointer stays put
/// while rows arrive) and a click selects what the person sees, without scrolling. A pointer
/// resting on the table (a presenter's) does not hold it: following resumes at the newest row.
#[test]
fn follow_live_holds_still_while_the_pointer_aims_and_resumes_when_it_rests() {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let revocation = |n: u64| {
        let mut record = inspect(
            &key.sign(&session_revoked(&format!("jti-follow-{n}"))),
            &keys,
            UnixMillis(NOW.0 - 200_000 + n as i64 * 1000),
        );
        record.seq = n;
        record
    };
    let mut harness = harness(state_with((1..=60).map(revocation).collect()));
    harness.run();
    assert!(harness.state().view.follow);
    assert!(
        harness.query_by_label("60").is_some(),
        "the newest row is in view"
    );
    assert!(
        harness.query_by_label("1").is_none(),
        "the oldest has scrolled away"
    );
    // Each step is 0.25 s of the window's time.
    let arrive = |harness: &mut Harness<'static, TestUi>, n: u64| {
        let record = revocation(n);
        let at = record.received_at;
        harness
            .state_mut()
            .state
            .apply(Update::Set(std::sync::Arc::new(record)), at);
        harness.step();
    };

    let aimed_at = harness.get_by_label("40").rect();
    harness.get_by_label("40").hover();
    harness.step();
    for n in 61..=65 {
        arrive(&mut harness, n);
    }
    assert!(harness.state().view.follow_held);
    assert_eq!(
        harness.get_by_label("40").rect(),
        aimed_at,
        "row 40 stayed put"
    );
    assert!(
        harness.query_by_label("65").is_none(),
        "the new rows wait below"
    );
    harness.step();
    harness.get_by_label_contains("following held while the pointer is on the table");
    harness.get_by_label("40").click();
    harness.step();
    assert_eq!(harness.state().view.selected, Some(40));
    assert!(
        !harness.state().view.follow,
        "a picked row stops following live, which would carry it away"
    );

    // The pointer rests where it is for 4 s, SETs go on arriving: the picked row stays.
    for _ in 0..16 {
        harness.step();
    }
    for n in 66..=70 {
        arrive(&mut harness, n);
    }
    assert!(
        harness.query_by_label("40").is_some(),
        "row 40 is still in view"
    );
    assert!(harness.query_by_label("70").is_none());

    // Following again is one click: the newest row comes into view.
    harness.get_by_label("Follow live").click();
    harness.step();
    arrive(&mut harness, 71);
    harness.step();
    harness.step();
    assert!(harness.state().view.follow);
    assert!(harness.query_by_label("71").is_some(), "following resumed");
}

#[test]
fn a_record_that_cannot_be_opened_says_so_until_memory_is_chosen() {
    use ssf_inspector::core::record_health::RecordHealth;
    let mut state = one_revocation();
    state.record = RecordHealth::Unavailable {
        path: "/data/record.sqlite3".to_owned(),
        reason: "the record is in use by another ssf-inspector".to_owned(),
    };
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("⚠  The record cannot be opened");
    harness.get_by_label_contains("in use by another ssf-inspector");
    harness.get_by_label_contains("pushes are answered 503");
    harness.get_by_label("Not recording: SETs refused");
    harness.get_by_label("Keep SETs in memory").click();
    harness.run();
    assert_eq!(harness.state().commands, ["UseMemoryRecord"]);
    // The runtime answers with the new health; the banner goes, the status bar says memory.
    harness.state_mut().state.record = RecordHealth::Memory {
        instead_of: Some("/data/record.sqlite3".to_owned()),
    };
    harness.run();
    assert!(
        harness
            .query_by_label("⚠  The record cannot be opened")
            .is_none()
    );
    harness.get_by_label("In memory only");
}

#[test]
fn f1_lists_every_shortcut_and_escape_closes_the_list() {
    let mut harness = harness(one_revocation());
    harness.run();
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());
    harness.key_press(egui::Key::F1);
    harness.run();
    harness.get_by_label("Keyboard shortcuts");
    for (_, what) in ssf_inspector::ui::shortcuts::TABLE {
        harness.get_by_label(what);
    }
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Keyboard shortcuts").is_none(),
        "Esc closes the list"
    );
    harness.get_by_label("?").click();
    harness.run();
    harness.get_by_label("Keyboard shortcuts");
}

#[test]
fn escape_closes_the_open_menu_and_nothing_else() {
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.run();
    for menu in ["View", "Notify"] {
        harness.get_by_label(menu).click();
        harness.run();
        let item = if menu == "View" {
            "Presenter mode"
        } else {
            "Desktop notification on critical alerts"
        };
        assert!(harness.query_by_label(item).is_some(), "{menu} opened");
        harness.key_press(egui::Key::Escape);
        harness.run();
        assert!(
            harness.query_by_label(item).is_none(),
            "Esc closes the {menu} menu"
        );
    }
    assert!(harness.state().commands.is_empty());
}

#[test]
fn information_leaves_the_status_bar_after_a_while_errors_stay() {
    use ssf_inspector::core::update::NoticeLevel;
    use ssf_inspector::ui::status_bar::INFO_SHOWN_MILLIS;
    let said = |level, text: &str, ago: i64| {
        let mut state = state_with(Vec::new());
        state.note(level, text.to_owned(), UnixMillis(NOW.0 - ago));
        let mut harness = kit::harness(state, NOW);
        harness.run();
        harness.query_by_label_contains(text).is_some()
    };
    let note = "Desktop notification or alert sound unavailable here";
    assert!(said(NoticeLevel::Info, note, 5_000), "said at once");
    assert!(
        !said(NoticeLevel::Info, note, INFO_SHOWN_MILLIS + 1_000),
        "not all through a demo"
    );
    assert!(said(NoticeLevel::Error, "the record failed", 600_000));
}

#[test]
fn the_status_bar_names_the_forms_choices_not_cli_flags() {
    use ssf_inspector::core::update::NoticeLevel;
    let mut state = state_with(Vec::new());
    let text = "demo: none was created. Attach to one (--attach ID), or create anyway (--create-stream always)";
    state.note(NoticeLevel::Error, text.to_owned(), NOW);
    let mut harness = kit::harness(state, NOW);
    harness.run();
    harness.get_by_label_contains("(Stream set-up: Attach to an existing stream)");
    assert!(harness.query_by_label_contains("--attach").is_none());
    assert!(harness.query_by_label_contains("--create-stream").is_none());
}
