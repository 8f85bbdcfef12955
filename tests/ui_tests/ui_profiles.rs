//! The profiles section and the profile form (egui_kittest, no GPU): typing into labelled
//! fields, the live check, Save, Start, Edit and Remove, asserting the runtime commands.

use crate::fixtures;
use crate::kit;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use fixtures::{NOW, state_with};
use ssf_inspector::app::apply_action;
use ssf_inspector::core::profile::{ManagementAuth, Profile, ProfileWatch, SecretRef};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::Command;
use ssf_inspector::ui::{ViewState, root_ui};

struct TestUi {
    state: InspectorState,
    view: ViewState,
    commands: Vec<String>,
    /// Literal secrets the saved profiles carried (never part of the debug strings).
    secrets: Vec<(String, String)>,
}

fn harness(state: InspectorState) -> Harness<'static, TestUi> {
    let test_ui = TestUi {
        state,
        view: ViewState::default(),
        commands: Vec::new(),
        secrets: Vec::new(),
    };
    // The form's fields scroll: a field that takes focus is scrolled to, which takes a few
    // frames to settle.
    Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .with_max_steps(10)
        .build_ui_state(
            |ui, s: &mut TestUi| {
                let actions = root_ui(ui, &s.state, &Default::default(), &mut s.view, NOW);
                for action in &actions {
                    if let Some(command) = apply_action(action, &mut s.state, &mut s.view).command {
                        if let Command::SaveProfile(_, secrets) = &command {
                            s.secrets.extend(secrets.iter().cloned());
                        }
                        s.commands.push(format!("{command:?}"));
                    }
                }
            },
            test_ui,
        )
}

/// A window with no saved profile and the New profile form open.
fn new_profile_form() -> Harness<'static, TestUi> {
    let mut harness = harness(with_profiles(Vec::new()));
    harness.run();
    harness.get_by_label("New profile…").click();
    harness.run();
    harness
}

fn with_profiles(profiles: Vec<Profile>) -> InspectorState {
    let mut state = state_with(Vec::new());
    state.apply(Update::Profiles(profiles), NOW);
    state
}

fn okta() -> Profile {
    Profile {
        name: "okta".to_owned(),
        issuer: "https://okta.example.com".to_owned(),
        auth: ManagementAuth::Bearer {
            token: SecretRef::Stored("okta.token".to_owned()),
        },
        ..Profile::default()
    }
}

/// Focus a labelled field and type into it.
fn fill(harness: &mut Harness<'_, TestUi>, role: Role, label: &str, text: &str) {
    harness.get_by_role_and_label(role, label).focus();
    harness.step();
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run();
}

/// Type a new profile's name and issuer.
fn name_and_issuer(harness: &mut Harness<'_, TestUi>, name: &str, issuer: &str) {
    fill(harness, Role::TextInput, "Name", name);
    fill(harness, Role::TextInput, "Issuer URL", issuer);
}

/// Focus a labelled field, select what it holds and type over it.
fn replace(harness: &mut Harness<'_, TestUi>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    harness.key_press(egui::Key::Backspace);
    harness.step();
    if !text.is_empty() {
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
    }
    harness.run();
}

/// The text a labelled field shows.
fn value_of(harness: &Harness<'_, TestUi>, label: &str) -> String {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .value()
        .unwrap_or_default()
}

#[test]
fn a_new_profile_keeps_its_token_only_in_the_secrets() {
    let mut harness = harness(with_profiles(Vec::new()));
    harness.run();
    harness.get_by_label("None saved yet");
    harness.get_by_label("New profile…").click();
    harness.run();
    name_and_issuer(&mut harness, "okta", "https://okta.example.com");
    fill(
        &mut harness,
        Role::PasswordInput,
        "Management token",
        "s3cr3t-token",
    );
    harness.get_by_label("✔ ready to save");
    // The typed token is in no persisted view state, and not in its debug output either.
    let view = &harness.state().view;
    let persisted = serde_json::to_string(view).expect("view state serialises");
    assert!(persisted.contains("okta.example.com"), "{persisted}");
    assert!(!persisted.contains("s3cr3t"), "{persisted}");
    assert!(!format!("{view:?}").contains("s3cr3t"));

    harness.get_by_label("Save").click();
    harness.run();
    let commands = &harness.state().commands;
    assert_eq!(commands.len(), 1, "{commands:?}");
    let command = &commands[0];
    assert!(command.starts_with("SaveProfile(Profile {"), "{command}");
    assert!(command.contains(r#"name: "okta""#), "{command}");
    assert!(
        command.contains(r#"auth: Bearer { token: Stored("okta.token") }"#),
        "{command}"
    );
    // The secret travels only in the command's secrets list, which Debug never prints.
    let secrets = r#"[("okta.token", "<redacted>")])"#;
    assert!(command.ends_with(secrets), "{command}");
    assert!(
        !command.contains("s3cr3t"),
        "the value is never printed: {command}"
    );
    assert_eq!(
        harness.state().secrets,
        vec![("okta.token".to_owned(), "s3cr3t-token".to_owned())]
    );
    assert!(
        harness.state().view.profile_form.is_none(),
        "the form closed"
    );
}

#[test]
fn an_env_reference_is_kept_as_a_reference() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "corp", "https://ssf.corp.example");
    fill(
        &mut harness,
        Role::PasswordInput,
        "Management token",
        "env:CORP_TOKEN",
    );
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command.contains(r#"Bearer { token: Env("CORP_TOKEN") }"#),
        "{command}"
    );
    assert!(command.ends_with("[])"), "no literal secret: {command}");
}

#[test]
fn plain_http_to_another_machine_blocks_save_until_allowed() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "corp", "http://example.com");
    harness.get_by_label_contains("is plain http to another machine");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(harness.state().commands.is_empty(), "Save did nothing");
    assert!(harness.state().view.profile_form.is_some(), "still open");

    harness
        .get_by_label("Allow plain http to another machine")
        .click();
    harness.run();
    harness.get_by_label_contains(
        "no TLS: issuer http://example.com (another machine, allowed by the profile)",
    );
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(command.contains("allow_insecure_http: true"), "{command}");
    assert!(command.contains("auth: None"), "{command}");
}

#[test]
fn a_relaxed_set_rule_is_saved_and_warned_about() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "lax", "https://ssf.lax.example");
    harness.get_by_label("SET rules").click();
    harness.run();
    harness.get_by_label("Accept SETs without jti").click();
    harness.run();
    harness
        .get_by_label_contains("accepts SETs that break a MUST, only flagging them: without-jti");
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command
            .contains("rules: SetRules { without_jti: Flag, wrong_typ: Refuse, expired: Refuse }"),
        "{command}"
    );
}

#[test]
fn a_saved_profile_shows_its_warnings_and_starts() {
    let risky = Profile {
        accept_invalid_certs: true,
        ..okta()
    };
    let mut harness = harness(with_profiles(vec![risky]));
    harness.run();
    harness.get_by_label("Profiles (1)");
    harness.get_by_label("https://okta.example.com");
    harness.get_by_label("token stored (secrets file)");
    harness.get_by_label_contains("⚠ accepts invalid TLS certificates");
    harness.get_by_label("Start").click();
    harness.run();
    assert_eq!(harness.state().commands, vec![r#"StartProfile("okta")"#]);
}

fn okta_key() -> ssf_inspector::core::record::StreamKey {
    ssf_inspector::core::record::StreamKey("okta".to_owned())
}

/// The okta profile's session has started.
fn okta_running(state: &mut ssf_inspector::core::state::InspectorState) {
    let key = okta_key();
    let label = "okta".to_owned();
    state.apply(Update::StreamAdded { key, label }, NOW);
}

#[test]
fn a_running_profile_offers_stop_instead_of_start() {
    let mut state = with_profiles(vec![okta()]);
    okta_running(&mut state);
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("running");
    assert!(harness.query_by_label("Start").is_none());
}

#[test]
fn after_start_from_the_keyboard_the_focus_is_not_on_stop() {
    let mut harness = harness(with_profiles(vec![okta()]));
    harness.run();
    harness.get_by_label("Start").focus();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        std::mem::take(&mut harness.state_mut().commands),
        vec![r#"StartProfile("okta")"#]
    );
    // The session comes up: Stop takes Start's place.
    okta_running(&mut harness.state_mut().state);
    harness.run();
    harness.get_by_label("running");
    for stop in harness.get_all_by_label("Stop") {
        assert!(!stop.is_focused(), "the focus is not on {stop:?}");
    }
    // A second press of the same key undoes nothing.
    harness.key_press(egui::Key::Enter);
    harness.key_press(egui::Key::Space);
    harness.run();
    assert!(
        harness.state().commands.is_empty(),
        "{:?}",
        harness.state().commands
    );
}

#[test]
fn after_stop_from_the_keyboard_the_focus_is_not_on_start() {
    let mut state = with_profiles(vec![okta()]);
    okta_running(&mut state);
    let mut harness = harness(state);
    harness.run();
    // The profile's Stop: the last one, under the stream's card.
    let stops = harness.get_all_by_label("Stop").count();
    harness
        .get_all_by_label("Stop")
        .nth(stops - 1)
        .expect("the profile's Stop")
        .focus();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        std::mem::take(&mut harness.state_mut().commands),
        vec![r#"StopStream(StreamKey("okta"))"#]
    );
    harness
        .state_mut()
        .state
        .apply(Update::SessionEnded { key: okta_key() }, NOW);
    harness.run();
    assert!(!harness.get_by_label("Start").is_focused());
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.state().commands.is_empty());
}

#[test]
fn removing_a_profile_asks_first() {
    let mut harness = harness(with_profiles(vec![okta()]));
    harness.run();
    harness.get_by_label("Remove").click();
    harness.run();
    harness.get_by_label("Remove the profile \"okta\"?");
    assert!(harness.state().commands.is_empty());
    harness.get_by_label("Remove profile").click();
    harness.run();
    assert_eq!(harness.state().commands, vec![r#"RemoveProfile("okta")"#]);
    assert!(
        harness
            .query_by_label("Remove the profile \"okta\"?")
            .is_none()
    );
}

#[test]
fn editing_never_shows_a_stored_token_and_keeps_it() {
    let mut harness = harness(with_profiles(vec![okta()]));
    harness.run();
    harness.get_by_label("Edit…").click();
    harness.run();
    harness.get_by_label("Edit profile \"okta\"");
    let token = harness.get_by_role_and_label(Role::PasswordInput, "Management token");
    assert_eq!(token.value().as_deref(), Some(""));
    fill(
        &mut harness,
        Role::TextInput,
        "Expected audience",
        "https://rx.example",
    );
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command.contains(r#"auth: Bearer { token: Stored("okta.token") }"#),
        "{command}"
    );
    assert!(
        command.contains(r#"audience: Some("https://rx.example")"#),
        "{command}"
    );
    assert!(command.ends_with("[])"), "nothing new to store: {command}");
}

#[test]
fn the_watch_section_is_typed_checked_live_and_saved() {
    let mut harness = new_profile_form();
    harness.get_by_label("Watch");
    assert_eq!(value_of(&harness, "Status every (s)"), "60", "the defaults");
    assert_eq!(value_of(&harness, "Heartbeat every (s)"), "120");
    assert_eq!(value_of(&harness, "Heartbeat timeout (s)"), "60");
    assert_eq!(value_of(&harness, "Silent after (s)"), "", "learned");
    name_and_issuer(&mut harness, "corp", "https://ssf.corp.example");
    replace(&mut harness, "Status every (s)", "30");
    replace(&mut harness, "Heartbeat every (s)", "90");
    replace(&mut harness, "Heartbeat timeout (s)", "soon");
    harness.get_by_label_contains("Heartbeat timeout: \"soon\" is not a whole number of seconds");
    replace(&mut harness, "Heartbeat timeout (s)", "90");
    harness.get_by_label_contains(
        "the heartbeat timeout (90 s) must be shorter than the heartbeat interval (90 s)",
    );
    harness.get_by_label("Save").click();
    harness.run();
    assert!(harness.state().commands.is_empty(), "Save did nothing");

    replace(&mut harness, "Heartbeat timeout (s)", "45");
    replace(&mut harness, "Silent after (s)", "0");
    harness.get_by_label_contains("the silence threshold must be at least 1 s");
    replace(&mut harness, "Silent after (s)", "600");
    harness.get_by_label("✔ ready to save");
    harness.get_by_label("Save").click();
    harness.run();
    let commands = &harness.state().commands;
    assert_eq!(commands.len(), 1, "{commands:?}");
    let expected = ProfileWatch {
        status_every_secs: 30,
        heartbeat_every_secs: 90,
        heartbeat_timeout_secs: 45,
        silent_after_secs: Some(600),
        ..ProfileWatch::default()
    };
    assert!(
        commands[0].contains(&format!("watch: {expected:?}")),
        "{}",
        commands[0]
    );
}

#[test]
fn editing_shows_the_saved_watch_settings_and_an_empty_silence_means_learned() {
    let watched = Profile {
        watch: ProfileWatch {
            status_every_secs: 15,
            silent_after_secs: Some(300),
            ..ProfileWatch::default()
        },
        ..okta()
    };
    let mut harness = harness(with_profiles(vec![watched]));
    harness.run();
    harness.get_by_label("Edit…").click();
    harness.run();
    assert_eq!(value_of(&harness, "Status every (s)"), "15");
    assert_eq!(value_of(&harness, "Heartbeat every (s)"), "120");
    assert_eq!(value_of(&harness, "Silent after (s)"), "300");
    replace(&mut harness, "Silent after (s)", "");
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    let expected = ProfileWatch {
        status_every_secs: 15,
        ..ProfileWatch::default()
    };
    assert!(
        command.contains(&format!("watch: {expected:?}")),
        "{command}"
    );
}

#[test]
fn events_requested_are_typed_by_name_and_unknown_ones_block_save() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "few", "https://ssf.corp.example");
    fill(
        &mut harness,
        Role::TextInput,
        "Events requested",
        "session-revoked, typo-event",
    );
    harness.get_by_label_contains("unknown event type(s): typo-event");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(
        harness.state().commands.is_empty(),
        "an error blocks saving"
    );
    replace(
        &mut harness,
        "Events requested",
        "session-revoked account-disabled",
    );
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command.contains(
            "events_requested: [\"https://schemas.openid.net/secevent/caep/event-type/session-revoked\", \"https://schemas.openid.net/secevent/risc/event-type/account-disabled\"]"
        ),
        "{command}"
    );
}

#[test]
fn the_stream_set_up_section_attaches_and_bends_the_create() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "shared", "https://ssf.corp.example");
    harness.get_by_label("Stream set-up").click();
    harness.run();
    // Attach: the stream id is asked for, and an empty one blocks saving.
    harness.get_by_label("Attach to an existing stream").click();
    harness.run();
    harness.get_by_label_contains("attach needs the id of the stream");
    fill(&mut harness, Role::TextInput, "Stream id", "s-42");
    fill(&mut harness, Role::TextInput, "Push path", "/ssf/events");
    harness.get_by_label("https (self-signed)").scroll_to_me();
    harness.run();
    harness.get_by_label("https (self-signed)").click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command.contains("stream: Attach { stream_id: \"s-42\" }"),
        "{command}"
    );
    assert!(
        command.contains("push_path: Some(\"/ssf/events\")"),
        "{command}"
    );
    assert!(command.contains("push_tls: Some(SelfSigned)"), "{command}");
}

#[test]
fn extra_create_members_must_be_json() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "strict", "https://ssf.corp.example");
    harness.get_by_label("Stream set-up").click();
    harness.run();
    fill(
        &mut harness,
        Role::TextInput,
        "Extra create members",
        "{aud",
    );
    harness.get_by_label_contains("the extra create members are not JSON");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(
        harness.state().commands.is_empty(),
        "an error blocks saving"
    );
    replace(
        &mut harness,
        "Extra create members",
        r#"{"aud": "https://rp.example"}"#,
    );
    let leave_out = "Leave description out of the create (a transmitter that refuses it)";
    // The form's fields scroll: bring the box into view, as a person would, before clicking.
    harness.get_by_label(leave_out).scroll_to_me();
    harness.run();
    harness.get_by_label(leave_out).click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command.contains("\"aud\": String(\"https://rp.example\")")
            || command.contains("https://rp.example"),
        "{command}"
    );
    assert!(command.contains("omit_description: true"), "{command}");
    assert!(command.contains("stream: Auto"), "{command}");
}

/// Click Retry: the one command is the profile's start.
fn retry_starts_the_profile(harness: &mut Harness<'_, TestUi>) {
    harness.get_by_label("Retry").click();
    harness.run();
    let commands = &harness.state().commands;
    assert_eq!(commands.len(), 1, "{commands:?}");
    assert!(commands[0].starts_with("StartProfile"), "{}", commands[0]);
}

/// The okta profile, started, its session at `connection`.
fn okta_started(
    connection: ssf_inspector::core::stream::Connection,
) -> (InspectorState, ssf_inspector::core::record::StreamKey) {
    let mut state = with_profiles(vec![okta()]);
    let key = ssf_inspector::core::record::StreamKey(okta().name);
    let label = key.0.clone();
    state.apply(
        Update::StreamAdded {
            key: key.clone(),
            label,
        },
        NOW,
    );
    let update = Update::Connection {
        key: key.clone(),
        connection,
        exchange: None,
    };
    state.apply(update, NOW);
    (state, key)
}

#[test]
fn a_profile_whose_start_was_declined_can_be_started_again() {
    use ssf_inspector::core::stream::Connection;
    let why = "the transmitter lists 1 stream(s) this receiver did not make. Attach to one to receive from it without changing it (--attach ID), listen only (--listen-only), or create anyway (--create-stream always)".to_owned();
    let (state, key) = okta_started(Connection::Declined(why));
    let mut harness = harness(state);
    harness.run();
    // The stream card says what to choose in the window's profile form, not a flag.
    let said = harness
        .get_by_label_contains("not set up: the transmitter lists")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(
        said.contains("(Stream set-up: Attach to an existing stream)")
            && said.contains("(Stream set-up: Create even beside other streams)")
            && !said.contains("--"),
        "{said}"
    );
    assert!(
        harness.query_by_label("Start").is_none(),
        "still setting up: no Start"
    );
    harness
        .state_mut()
        .state
        .apply(Update::SessionEnded { key }, NOW);
    harness.run();
    harness.get_by_label("not set up");
    retry_starts_the_profile(&mut harness);
}

#[test]
fn a_profile_whose_start_failed_is_shown_failed_with_retry_and_edit() {
    use ssf_inspector::core::stream::Connection;
    let why = "discovery answered HTTP 401 Unauthorized".to_owned();
    let (mut state, key) = okta_started(Connection::Failed(why));
    state.apply(Update::SessionEnded { key }, NOW);
    let mut harness = harness(state);
    harness.run();
    harness.get_by_label("start failed");
    assert!(
        harness.query_by_label("running").is_none(),
        "a failed start is not shown running"
    );
    // The fixture's other stream still runs; this one's Stop is the disabled one.
    let disabled_stops = harness
        .query_all(by().label("Stop"))
        .filter(|stop| stop.accesskit_node().is_disabled())
        .count();
    assert_eq!(disabled_stops, 1, "nothing to stop: the session ended");
    harness.get_by_label("Edit…").click();
    harness.run();
    assert!(
        harness.state().view.profile_form.is_some(),
        "Edit opens the form"
    );
    harness.state_mut().view.profile_form = None;
    harness.run();
    retry_starts_the_profile(&mut harness);
}

#[test]
fn test_connection_sends_the_typed_profile_and_shows_each_step_with_its_cause() {
    use ssf_inspector::core::connection_test::{ConnectionTest, StepOutcome};
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "acme", "https://tx.example.com");
    fill(
        &mut harness,
        Role::PasswordInput,
        "Management token",
        "s3cr3t-typed",
    );
    harness.get_by_label("Test connection").click();
    harness.run_steps(3);
    let commands = std::mem::take(&mut harness.state_mut().commands);
    assert_eq!(commands.len(), 1, "{commands:?}");
    assert!(commands[0].starts_with("TestConnection"), "{}", commands[0]);
    assert!(
        !commands[0].contains("s3cr3t-typed"),
        "the typed token is carried, never shown: {}",
        commands[0]
    );
    harness.get_by_label("Testing the connection…");
    assert!(
        harness.state().view.profile_form.is_some(),
        "the form stays open, nothing saved"
    );

    let mut test = ConnectionTest::start("acme");
    test.step_done(StepOutcome::Passed(
        "issuer https://tx.example.com matches".to_owned(),
    ));
    test.step_done(StepOutcome::Passed("2 key(s): k1, k2".to_owned()));
    test.fail("refused with HTTP 401: the management token is not accepted".to_owned());
    harness
        .state_mut()
        .state
        .apply(Update::ConnectionTest(Box::new(test)), NOW);
    harness.run_steps(3);
    harness.get_by_label("Connection test failed");
    harness.get_by_label("refused with HTTP 401: the management token is not accepted");
    harness.get_by_label("2 key(s): k1, k2");
    harness.get_by_label("not tried, since Authorization failed");
}

#[test]
fn a_connection_test_result_goes_when_the_fields_change() {
    use ssf_inspector::core::connection_test::{ConnectionTest, StepOutcome};
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "acme", "https://tx.example.com");
    harness.get_by_label("Test connection").click();
    harness.run_steps(3);
    let mut test = ConnectionTest::start("acme");
    test.step_done(StepOutcome::Passed(
        "issuer https://tx.example.com matches".to_owned(),
    ));
    harness
        .state_mut()
        .state
        .apply(Update::ConnectionTest(Box::new(test)), NOW);
    harness.run_steps(3);
    harness.get_by_label("issuer https://tx.example.com matches");
    // The issuer typed now is another one: the old result says nothing about it (issue 23).
    replace(&mut harness, "Issuer URL", "https://other.example.com");
    assert!(
        harness
            .query_by_label("issuer https://tx.example.com matches")
            .is_none(),
        "an old result stays beside new fields"
    );
    harness.get_by_label("The fields changed since the connection was tested: test again");
}

#[test]
fn escape_closes_the_form_in_front_even_while_typing_and_saves_nothing() {
    let mut harness = new_profile_form();
    fill(&mut harness, Role::TextInput, "Name", "half-typed");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().view.profile_form.is_none(), "Esc closed it");
    assert!(harness.state().commands.is_empty(), "nothing saved");

    // The confirmation in front of a form goes first.
    let mut harness = harness_with_okta_and_confirm();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().view.confirm.is_none());
    assert!(harness.state().commands.is_empty(), "nothing removed");
}

#[test]
fn a_form_is_modal_the_window_behind_it_takes_no_click() {
    let mut harness = harness(with_profiles(vec![okta()]));
    harness.run();
    harness.get_by_label("Edit…").click();
    harness.run();
    assert!(harness.state().view.profile_form.is_some());
    let pause = harness.get_by_label("Pause");
    assert!(
        pause.accesskit_node().is_disabled(),
        "the stream's buttons are disabled behind the form"
    );
    pause.click();
    harness.run();
    assert!(
        harness.state().commands.is_empty(),
        "a click behind the form does nothing: {:?}",
        harness.state().commands
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!harness.get_by_label("Pause").accesskit_node().is_disabled());
}

fn harness_with_okta_and_confirm() -> Harness<'static, TestUi> {
    let mut harness = harness(with_profiles(vec![okta()]));
    harness.run();
    harness.get_by_label("Remove").click();
    harness.run();
    assert!(harness.state().view.confirm.is_some(), "Remove asks first");
    harness
}

#[test]
fn oauth_client_credentials_can_be_entered_in_the_form_as_the_cli_takes_them() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "sailpoint", "https://sp.example.com");
    harness.get_by_label("OAuth client credentials").click();
    harness.run();
    assert!(
        harness.query_by_label("Management token").is_none(),
        "the token field gives way to the client's"
    );
    harness.get_by_label_contains("give the token endpoint URL");
    fill(
        &mut harness,
        Role::TextInput,
        "Token endpoint",
        "https://sp.example.com/oauth/token",
    );
    fill(&mut harness, Role::TextInput, "Client id", "inspector");
    fill(
        &mut harness,
        Role::PasswordInput,
        "Client secret",
        "cl13nt-s3cr3t",
    );
    fill(
        &mut harness,
        Role::TextInput,
        "Scopes",
        "ssf.read, ssf.manage",
    );
    harness.get_by_label("✔ ready to save");
    let persisted = serde_json::to_string(&harness.state().view).expect("view state serialises");
    assert!(!persisted.contains("cl13nt"), "{persisted}");
    harness.get_by_label("Save").click();
    harness.run();
    let command = &harness.state().commands[0];
    assert!(
        command.contains(
            r#"ClientCredentials { token_endpoint: "https://sp.example.com/oauth/token", client_id: "inspector", client_secret: Stored("sailpoint.client_secret"), scopes: ["ssf.read", "ssf.manage"] }"#
        ),
        "{command}"
    );
    assert!(!command.contains("cl13nt"), "{command}");
    assert_eq!(
        harness.state().secrets,
        vec![(
            "sailpoint.client_secret".to_owned(),
            "cl13nt-s3cr3t".to_owned()
        )]
    );
}

#[test]
fn keys_typed_and_a_click_on_the_next_field_in_one_slow_frame_lose_nothing() {
    let mut harness = new_profile_form();
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    harness.step();
    // One frame takes the typing and the click on the next field together, as a slow frame
    // on a software-rendered desktop does.
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("abcde1");
    harness
        .get_by_role_and_label(Role::TextInput, "Issuer URL")
        .click();
    harness.step();
    harness.run();
    assert_eq!(value_of(&harness, "Name"), "abcde1");
    harness
        .get_by_role_and_label(Role::TextInput, "Issuer URL")
        .type_text("https://x.example");
    harness.run();
    assert_eq!(value_of(&harness, "Issuer URL"), "https://x.example");
}

/// Issue 23, item 10: in a slow frame (100 ms a key) the keys typed right after Tab came in the
/// same frame as the Tab and landed in the field before it (the token endpoint became
/// "…/tokenin", the client id "spectorp"). What follows a Tab waits for the frame in which
/// the next field has focus.
#[test]
fn keys_typed_right_after_tab_in_one_slow_frame_land_in_the_next_field() {
    let mut harness = new_profile_form();
    name_and_issuer(&mut harness, "sailpoint", "https://sp.example.com");
    harness.get_by_label("OAuth client credentials").click();
    harness.run();
    fill(
        &mut harness,
        Role::TextInput,
        "Token endpoint",
        "https://sp.example.com/oauth/tok",
    );
    let text = |t: &str| egui::Event::Text(t.to_owned());
    let tab = kit::key_events(egui::Key::Tab, egui::Modifiers::NONE);
    let mut events = vec![text("e"), text("n")];
    events.extend(tab.clone());
    events.extend([text("i"), text("n"), text("s")]);
    kit::one_slow_frame(&mut harness, events);
    let mut events = vec![
        text("p"),
        text("e"),
        text("c"),
        text("t"),
        text("o"),
        text("r"),
    ];
    events.extend(tab);
    events.extend([text("p")]);
    kit::one_slow_frame(&mut harness, events);
    assert_eq!(
        value_of(&harness, "Token endpoint"),
        "https://sp.example.com/oauth/token"
    );
    assert_eq!(value_of(&harness, "Client id"), "inspector");
    let draft = harness
        .state()
        .view
        .profile_form
        .as_ref()
        .expect("the form stays open");
    assert_eq!(
        draft.oauth.client_secret.0, "p",
        "the key after the second Tab"
    );
}
