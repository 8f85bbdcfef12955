//! Stream actions and the exchanges view (egui_kittest, no GPU): the buttons under a stream
//! produce the right runtime commands; every HTTP exchange is listed and can be opened.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, state_with};
use kit::{TestUi, click};
use serde_json::json;
use ssf_inspector::core::exchange::Exchange;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

fn harness(state: InspectorState) -> Harness<'static, TestUi> {
    kit::harness(state, NOW)
}

#[test]
fn the_stream_buttons_ask_the_runtime() {
    let mut harness = harness(state_with(Vec::new()));
    harness.run();
    assert_eq!(
        click(&mut harness, "Pause"),
        vec![
            r#"Stream(StreamKey("demo"), SetStatus { status: Paused, reason: Some("set from SSF Inspector") })"#
        ]
    );
    assert_eq!(
        click(&mut harness, "Enable"),
        vec![
            r#"Stream(StreamKey("demo"), SetStatus { status: Enabled, reason: Some("set from SSF Inspector") })"#
        ]
    );
    assert_eq!(
        click(&mut harness, "Verify"),
        vec![r#"Stream(StreamKey("demo"), RequestVerification)"#]
    );
    assert_eq!(
        click(&mut harness, "Read config"),
        vec![r#"Stream(StreamKey("demo"), ReadConfig)"#]
    );
    assert_eq!(
        click(&mut harness, "Read status"),
        vec![r#"Stream(StreamKey("demo"), ReadStatus)"#]
    );
    assert_eq!(
        click(&mut harness, "Stop"),
        vec![r#"StopStream(StreamKey("demo"))"#]
    );
}

/// The demo stream's *Add subject…* form, open.
fn add_subject_form() -> Harness<'static, TestUi> {
    let mut harness = harness(state_with(Vec::new()));
    harness.run();
    harness.get_by_label("More…").click();
    harness.run();
    harness.get_by_label("Add subject…").click();
    harness.run();
    harness
}

#[test]
fn a_subject_is_checked_before_it_is_added() {
    let mut harness = add_subject_form();
    harness.get_by_label("Add a subject to demo");
    let field = Role::MultilineTextInput;
    harness
        .get_by_role_and_label(field, "Subject (JSON)")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(field, "Subject (JSON)")
        .type_text(r#"{"format": "email"}"#);
    harness.run();
    harness.get_by_label_contains("error");
    harness.get_by_label("Add").click();
    harness.run();
    assert!(
        harness.state().commands.is_empty(),
        "an invalid subject is not sent"
    );

    harness
        .state_mut()
        .view
        .subject_form
        .as_mut()
        .expect("open")
        .text = r#"{"format": "email", "email": "bob@example.com"}"#.to_owned();
    harness.run();
    harness.get_by_label("Subject: email bob@example.com");
    harness.get_by_label("Add").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        vec![
            r#"Stream(StreamKey("demo"), AddSubject(Object {"email": String("bob@example.com"), "format": String("email")}))"#
        ]
    );
    assert!(harness.state().view.subject_form.is_none());
}

#[test]
fn tab_leaves_the_subject_box_and_ctrl_enter_sends_it() {
    let mut harness = add_subject_form();
    let json = || (Role::MultilineTextInput, "Subject (JSON)");
    let typed = r#"{"format": "email", "email": "bob@example.com"}"#;
    harness.get_by_role_and_label(json().0, json().1).focus();
    harness.step();
    harness
        .get_by_role_and_label(json().0, json().1)
        .type_text(typed);
    harness.run();

    harness.key_press(egui::Key::Tab);
    harness.run();
    let subject = harness.get_by_role_and_label(json().0, json().1);
    assert!(!subject.is_focused(), "Tab moves the focus out of the box");
    assert_eq!(subject.value().as_deref(), Some(typed), "no tab typed in");
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
    harness.run();
    assert!(
        harness
            .get_by_role_and_label(json().0, json().1)
            .is_focused(),
        "Shift+Tab comes back to it"
    );
    assert!(harness.state().commands.is_empty(), "nothing sent yet");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().commands,
        vec![
            r#"Stream(StreamKey("demo"), AddSubject(Object {"email": String("bob@example.com"), "format": String("email")}))"#
        ]
    );
    assert!(harness.state().view.subject_form.is_none());
}

#[test]
fn a_subject_is_picked_by_format_and_remove_offers_the_subjects_seen() {
    let key = fixtures::TestKey::es256("k1");
    let revoked = fixtures::claims(
        "jti-carol",
        &ssf_inspector::core::events::caep("session-revoked"),
        &json!({}),
        &json!({"format": "email", "email": "carol@example.com"}),
    );
    let records = vec![fixtures::inspect(
        &key.sign(&revoked),
        &key.jwks(),
        UnixMillis(NOW.0 - 1000),
    )];
    let mut harness = harness(state_with(records));
    harness.run();
    harness.get_by_label("More…").click();
    harness.run();
    harness.get_by_label("Add subject…").click();
    harness.run();
    harness.get_by_role(Role::ComboBox).click();
    harness.run();
    harness.get_by_label("opaque").click();
    harness.run();
    let id = harness.get_by_role_and_label(Role::TextInput, "id");
    id.focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "id")
        .type_text("user-42");
    harness.run();
    harness.get_by_label("Subject: opaque user-42");
    harness.get_by_label("Add").click();
    harness.run();
    assert_eq!(
        std::mem::take(&mut harness.state_mut().commands),
        vec![
            r#"Stream(StreamKey("demo"), AddSubject(Object {"format": String("opaque"), "id": String("user-42")}))"#
        ]
    );

    harness.get_by_label("More…").click();
    harness.run();
    harness.get_by_label("Remove subject…").click();
    harness.run();
    harness.get_by_label("Seen on this stream:");
    // The timeline's row says it too; the button is the one to click.
    harness
        .get_by_role_and_label(Role::Button, "email carol@example.com")
        .click();
    harness.run();
    harness.get_by_label("Remove").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        vec![
            r#"Stream(StreamKey("demo"), RemoveSubject(Object {"email": String("carol@example.com"), "format": String("email")}))"#
        ]
    );
}

#[test]
fn deleting_a_stream_asks_first() {
    let mut harness = harness(state_with(Vec::new()));
    harness.run();
    harness.get_by_label("More…").click();
    harness.run();
    harness
        .get_by_label("Delete stream at transmitter…")
        .click();
    harness.run();
    harness.get_by_label("Delete the stream demo at its transmitter?");
    assert!(harness.state().commands.is_empty());
    assert_eq!(
        click(&mut harness, "Delete stream"),
        vec![r#"Stream(StreamKey("demo"), Delete)"#]
    );
}

/// The window with the delete confirmation of the stream "demo" open, nothing sent yet.
fn delete_confirmation() -> Harness<'static, TestUi> {
    let mut harness = harness(state_with(Vec::new()));
    harness.run();
    harness.get_by_label("More…").click();
    harness.run();
    harness
        .get_by_label("Delete stream at transmitter…")
        .click();
    harness.run();
    harness.get_by_label("Delete the stream demo at its transmitter?");
    assert!(harness.state().commands.is_empty());
    harness
}

/// Press `key` and let the window settle.
fn press(harness: &mut Harness<'static, TestUi>, key: egui::Key) {
    harness.key_press(key);
    harness.run();
}

/// Issue 23, item 11: the confirmation opens with its safe choice (Cancel) focused, and Tab
/// moves only between its two buttons, never to a control that cannot be seen.
#[test]
fn the_delete_confirmation_opens_on_cancel_and_tab_goes_between_its_buttons() {
    let mut harness = delete_confirmation();
    assert!(harness.get_by_label("Cancel").is_focused(), "Cancel first");
    press(&mut harness, egui::Key::Tab);
    assert!(harness.get_by_label("Delete stream").is_focused());
    press(&mut harness, egui::Key::Tab);
    assert!(harness.get_by_label("Cancel").is_focused(), "Tab wraps");
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
    harness.run();
    assert!(harness.get_by_label("Delete stream").is_focused());
    assert!(harness.state().commands.is_empty());
}

/// Issue 23, item 11: opened from the keyboard (Enter on "More…", then on the menu item), the
/// Enter that opened the confirmation does not answer it; Cancel has the focus.
#[test]
fn the_enter_that_opens_the_delete_confirmation_does_not_answer_it() {
    let mut harness = harness(state_with(Vec::new()));
    harness.run();
    harness.get_by_label("More…").focus();
    harness.run();
    press(&mut harness, egui::Key::Enter);
    harness
        .get_by_label("Delete stream at transmitter…")
        .focus();
    harness.run();
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label("Delete the stream demo at its transmitter?");
    assert!(harness.get_by_label("Cancel").is_focused());
    assert!(harness.state().commands.is_empty());
    press(&mut harness, egui::Key::Tab);
    press(&mut harness, egui::Key::Enter);
    assert_eq!(
        harness.state().commands,
        vec![r#"Stream(StreamKey("demo"), Delete)"#]
    );
}

/// Issue 23, item 11: Enter or Space on the focused "Delete stream" sends the delete, as a
/// click does; on Cancel, or Escape, nothing is sent and the dialog closes.
#[test]
fn the_delete_is_confirmed_or_cancelled_from_the_keyboard() {
    for key in [egui::Key::Enter, egui::Key::Space] {
        let mut harness = delete_confirmation();
        press(&mut harness, egui::Key::Tab);
        press(&mut harness, key);
        assert_eq!(
            harness.state().commands,
            vec![r#"Stream(StreamKey("demo"), Delete)"#],
            "{key:?} on Delete stream"
        );
        assert!(
            harness
                .query_by_label("Delete the stream demo at its transmitter?")
                .is_none()
        );

        let mut harness = delete_confirmation();
        press(&mut harness, key);
        assert!(harness.state().commands.is_empty(), "{key:?} on Cancel");
        assert!(
            harness
                .query_by_label("Delete the stream demo at its transmitter?")
                .is_none()
        );
    }
    // Tab and Enter in one slow frame: the Enter goes to the button Tab moved to.
    let mut harness = delete_confirmation();
    let mut keys = kit::key_events(egui::Key::Tab, egui::Modifiers::NONE).to_vec();
    keys.extend(kit::key_events(egui::Key::Enter, egui::Modifiers::NONE));
    kit::one_slow_frame(&mut harness, keys);
    assert_eq!(
        harness.state().commands,
        vec![r#"Stream(StreamKey("demo"), Delete)"#],
        "Tab and Enter in one frame"
    );

    let mut harness = delete_confirmation();
    press(&mut harness, egui::Key::Tab);
    press(&mut harness, egui::Key::Escape);
    assert!(harness.state().commands.is_empty(), "Escape cancels");
    assert!(
        harness
            .query_by_label("Delete the stream demo at its transmitter?")
            .is_none()
    );
}

#[test]
fn a_configuration_read_is_shown_as_a_tree() {
    let mut state = state_with(Vec::new());
    state.apply(
        Update::StreamConfig {
            key: StreamKey("demo".to_owned()),
            config: json!({"stream_id": "f67e39a0", "delivery": {"method": "urn:ietf:rfc:8935"}}),
            set_by_receiver: false,
            exchange: None,
        },
        NOW,
    );
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("Configuration (as read)").click();
    harness.run();
    harness.get_by_label("stream_id: \"f67e39a0\"");
    harness.get_by_label("method: \"urn:ietf:rfc:8935\"");
}

fn exchange(i: i64, body: &str) -> Arc<Exchange> {
    Arc::new(Exchange {
        id: u64::try_from(i).map_or(0, |i| i + 1),
        at: UnixMillis(NOW.0 - 60_000 + i),
        stream: Some(StreamKey("demo".to_owned())),
        method: "GET".to_owned(),
        url: format!("https://transmitter.example.com/ssf/status?n={i}"),
        status: Some(200),
        request_headers: vec![("authorization".to_owned(), "<redacted>".to_owned())],
        request_body: String::new(),
        response_headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        response_body: body.to_owned(),
        duration_millis: 12,
    })
}

#[test]
fn the_exchanges_view_lists_every_exchange_and_shows_one() {
    let mut state = state_with(Vec::new());
    state.apply(
        Update::Exchange(exchange(1, r#"{"status":"enabled"}"#)),
        NOW,
    );
    let mut failed = (*exchange(2, "")).clone();
    failed.method = "POST".to_owned();
    failed.url = "https://transmitter.example.com/ssf/verify".to_owned();
    failed.status = None;
    state.apply(Update::Exchange(Arc::new(failed)), NOW);
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("Exchanges").click();
    harness.run();
    harness.get_by_label("2 exchanges");
    harness.get_by_label("no answer");
    harness
        .get_by_label("https://transmitter.example.com/ssf/status?n=1")
        .click();
    harness.run();
    let body = harness.get_by_role_and_label(Role::MultilineTextInput, "Response body");
    assert_eq!(
        body.value().as_deref(),
        Some("{\n  \"status\": \"enabled\"\n}")
    );
    harness.get_by_label("<redacted>");
    harness.get_by_label("application/json");

    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().view.selected_exchange.is_none());
    assert!(harness.query_by_label("Response body").is_none());
}

#[test]
fn two_thousand_exchanges_are_virtualised_and_filterable() {
    let mut state = state_with(Vec::new());
    for i in 0..2500 {
        state.apply(Update::Exchange(exchange(i, "{}")), NOW);
    }
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("Exchanges").click();
    harness.run();
    harness.get_by_label("2,000 exchanges");
    // Following the tail: the newest is on screen, the oldest kept one is not laid out.
    harness.get_by_label("https://transmitter.example.com/ssf/status?n=2499");
    assert!(
        harness
            .query_by_label("https://transmitter.example.com/ssf/status?n=500")
            .is_none()
    );
    kit::type_filter(&mut harness, "n=500");
    harness.get_by_label("1 of 2,000 exchanges");
    harness.get_by_label("https://transmitter.example.com/ssf/status?n=500");
}

#[test]
fn the_stream_shows_its_silence_against_the_threshold_and_its_heartbeat() {
    let mut state = state_with(Vec::new());
    let key = StreamKey("demo".to_owned());
    let watch = ssf_inspector::core::stream::Watch {
        silence_after_millis: Some(12_000),
        verification_timeout_millis: 10_000,
    };
    state.apply(
        Update::Watch {
            key: key.clone(),
            watch,
        },
        NOW,
    );
    state.apply(
        Update::VerificationRequested {
            key,
            state: "s1".to_owned(),
            at: UnixMillis(NOW.0 - 3000),
        },
        NOW,
    );
    let mut harness = harness(state);
    harness.run();
    // state_with starts watching two minutes before NOW and no SET came since.
    harness.get_by_label("silent for 2m 00s · alert after 12 s (set)");
    harness.get_by_label("asked 3 s ago");
}

/// A click is aimed at the widget of the frame that was read; in the real app the runtime's
/// updates land before the next frame is drawn. A stream appearing above the profiles must not
/// change the ids of the widgets below it, or the click is lost (CI saw "New profile…" ignored
/// while a second session came up).
#[test]
fn a_click_below_the_streams_lands_while_a_stream_comes_up() {
    let mut harness = harness(state_with(Vec::new()));
    harness.run();
    harness.get_by_label("New profile…").click_accesskit();
    let now = UnixMillis(NOW.0);
    harness.state_mut().state.apply(
        Update::StreamAdded {
            key: StreamKey("another".to_owned()),
            label: "Another transmitter".to_owned(),
        },
        now,
    );
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, "Name");
}

#[test]
fn arrow_keys_move_through_the_exchanges_and_escape_closes_one() {
    let mut state = state_with(Vec::new());
    for i in 0..3 {
        state.apply(Update::Exchange(exchange(i, "{}")), NOW);
    }
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("Exchanges").click();
    harness.run();
    let selected = |harness: &Harness<'static, TestUi>| {
        harness
            .state()
            .view
            .selected_exchange
            .as_ref()
            .map(|shown| shown.exchange.id)
    };
    let mut press = |key: egui::Key| {
        harness.key_press(key);
        harness.run();
        selected(&harness)
    };
    assert_eq!(
        press(egui::Key::ArrowDown),
        Some(1),
        "↓ starts at the first"
    );
    assert_eq!(press(egui::Key::ArrowDown), Some(2));
    assert_eq!(press(egui::Key::ArrowDown), Some(3));
    assert_eq!(press(egui::Key::ArrowDown), Some(3), "stays on the last");
    assert_eq!(press(egui::Key::ArrowUp), Some(2));
    assert_eq!(press(egui::Key::Escape), None);
    assert_eq!(press(egui::Key::ArrowUp), Some(3), "↑ starts at the last");
    assert!(
        !harness.state().view.follow,
        "stepping stops following live"
    );
    harness.get_by_role_and_label(Role::MultilineTextInput, "Response body");
}

#[test]
fn the_stream_card_says_what_the_last_answer_said() {
    let key = StreamKey("demo".to_owned());
    let mut state = state_with(Vec::new());
    state.apply(
        Update::StreamConfig {
            key: key.clone(),
            config: json!({"events_delivered": ["urn:a", "urn:b"]}),
            set_by_receiver: true,
            exchange: None,
        },
        NOW,
    );
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("2 event types delivered");

    harness.state_mut().state.apply(
        Update::Connection {
            key: key.clone(),
            connection: ssf_inspector::core::stream::Connection::Stopped,
            exchange: None,
        },
        NOW,
    );
    harness.run();
    harness.get_by_label_contains("when last seen (no longer watched)");

    harness
        .state_mut()
        .state
        .apply(Update::DeletedByReceiver { key, at: NOW }, NOW);
    harness.run();
    harness.get_by_label("deleted by this receiver");
}
