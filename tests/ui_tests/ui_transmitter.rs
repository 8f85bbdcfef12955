//! The stream's configuration form and transmitter window (egui_kittest, no GPU): events
//! requested are ticked from the configuration, sent as PATCH or PUT, the form open until the
//! change is made (a refusal keeps the edit and says why); the transmitter window shows every
//! key with its use and the metadata in full.

use crate::fixtures;
use crate::kit;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, state_with};
use serde_json::json;
use ssf_inspector::core::events::caep;
use ssf_inspector::core::keys::KeyInfo;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::StreamChange;
use ssf_inspector::core::stream_op::{OpOutcome, StreamOp};
use ssf_inspector::core::update::Update;

fn configured() -> InspectorState {
    let mut state = state_with(Vec::new());
    let config = json!({
        "stream_id": "s1",
        "events_supported": [caep("session-revoked"), caep("credential-change"), caep("device-compliance-change")],
        "events_requested": [caep("session-revoked"), caep("credential-change")],
        "events_delivered": [caep("session-revoked"), caep("credential-change")],
        "delivery": {"method": "urn:ietf:rfc:8935", "endpoint_url": "http://127.0.0.1:9/push/a"},
        "description": "first",
    });
    state.apply(
        Update::StreamConfig {
            key: StreamKey("demo".to_owned()),
            config,
            set_by_receiver: true,
            exchange: None,
        },
        NOW,
    );
    state
}

fn open_menu_item(harness: &mut egui_kittest::Harness<'_, kit::TestUi>, item: &str) {
    harness.get_by_label("More…").click();
    harness.run();
    harness.get_by_label(item).click();
    harness.run();
}

#[test]
fn events_requested_are_changed_by_patch_or_replaced_by_put() {
    let mut harness = kit::harness(configured(), NOW);
    harness.run();
    open_menu_item(&mut harness, "Configure…");
    harness.get_by_label("Configure demo");
    harness.get_by_label("Events requested (2 of 3)");
    harness
        .get_by_role_and_label(Role::CheckBox, "Credential changed (CAEP)")
        .click();
    harness.run();
    let sent = kit::click(&mut harness, "Update (PATCH)");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("replace: false"), "{}", sent[0]);
    assert!(sent[0].contains(&caep("session-revoked")), "{}", sent[0]);
    assert!(!sent[0].contains(&caep("credential-change")), "{}", sent[0]);
    assert!(
        sent[0].contains(r#"description: Some("first")"#),
        "{}",
        sent[0]
    );
    answer(&mut harness, Ok("configuration updated (PATCH)"));
    assert!(
        harness.state().view.config_form.is_none(),
        "the form closes once the change is made"
    );

    open_menu_item(&mut harness, "Configure…");
    harness
        .get_by_role_and_label(Role::CheckBox, "Device compliance changed (CAEP)")
        .click();
    let field = harness.get_by_role_and_label(Role::TextInput, "Description");
    field.focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "Description")
        .type_text(" and second");
    harness.run();
    let sent = kit::click(&mut harness, "Replace (PUT)");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("replace: true"), "{}", sent[0]);
    assert!(
        sent[0].contains(&caep("device-compliance-change")),
        "{}",
        sent[0]
    );
    assert!(
        sent[0].contains(r#"description: Some("first and second")"#),
        "{}",
        sent[0]
    );
}

/// The runtime's answer to a configuration change on `demo`.
fn answer(harness: &mut egui_kittest::Harness<'_, kit::TestUi>, result: Result<&str, &str>) {
    let outcome = OpOutcome {
        key: StreamKey("demo".to_owned()),
        op: StreamOp::Configure(StreamChange {
            events_requested: Vec::new(),
            description: None,
            replace: false,
        }),
        result: result.map(str::to_owned).map_err(str::to_owned),
    };
    harness
        .state_mut()
        .state
        .apply(Update::OpOutcome(outcome), NOW);
    harness.run();
}

fn description(harness: &egui_kittest::Harness<'_, kit::TestUi>) -> Option<String> {
    harness
        .get_by_role_and_label(Role::TextInput, "Description")
        .value()
}

#[test]
fn a_refused_change_keeps_the_form_open_with_the_edit_until_one_is_made() {
    let mut harness = kit::harness(configured(), NOW);
    harness.run();
    open_menu_item(&mut harness, "Configure…");
    harness
        .get_by_role_and_label(Role::TextInput, "Description")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "Description")
        .type_text(" and mine");
    harness.run();
    let sent = kit::click(&mut harness, "Update (PATCH)");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        harness.state().view.config_form.is_some(),
        "open until the transmitter answers"
    );
    harness.get_by_label("Sent; waiting for the transmitter's answer…");

    answer(
        &mut harness,
        Err("the transmitter refused the change: HTTP 400 (description too long)"),
    );
    assert!(
        harness.state().view.config_form.is_some(),
        "a refused change leaves the form open"
    );
    assert_eq!(description(&harness).as_deref(), Some("first and mine"));
    harness.get_by_label_contains("Not changed: the transmitter refused the change: HTTP 400");
    // Another operation's answer is not this form's.
    let other = OpOutcome {
        key: StreamKey("demo".to_owned()),
        op: StreamOp::ReadStatus,
        result: Ok("status read: enabled".to_owned()),
    };
    harness
        .state_mut()
        .state
        .apply(Update::OpOutcome(other), NOW);
    harness.run();
    assert!(harness.state().view.config_form.is_some());

    let sent = kit::click(&mut harness, "Replace (PUT)");
    assert_eq!(sent.len(), 1, "sent again: {sent:?}");
    assert!(
        sent[0].contains(r#"description: Some("first and mine")"#),
        "{}",
        sent[0]
    );
    assert!(
        harness.query_by_label_contains("Not changed:").is_none(),
        "the old error goes once the change is sent again"
    );
    answer(&mut harness, Ok("configuration replaced (PUT)"));
    assert!(
        harness.state().view.config_form.is_none(),
        "closed once the change is made"
    );
}

#[test]
fn a_change_waiting_when_the_stream_stops_says_it_may_not_be_made() {
    let mut harness = kit::harness(configured(), NOW);
    harness.run();
    open_menu_item(&mut harness, "Configure…");
    let sent = kit::click(&mut harness, "Update (PATCH)");
    assert_eq!(sent.len(), 1, "{sent:?}");
    harness.state_mut().state.apply(
        Update::SessionEnded {
            key: StreamKey("demo".to_owned()),
        },
        NOW,
    );
    harness.run();
    harness.get_by_label_contains("the stream stopped before the transmitter answered");
    assert!(harness.state().view.config_form.is_some());
}

#[test]
fn the_transmitter_window_shows_keys_and_the_whole_metadata() {
    let mut state = configured();
    let key = StreamKey("demo".to_owned());
    state.apply(
        Update::Metadata {
            key: key.clone(),
            document: json!({"issuer": "http://127.0.0.1:9/demo", "x_vendor_extension": "kept"}),
            legacy: Some("sse-configuration".to_owned()),
        },
        NOW,
    );
    state.apply(
        Update::Keys {
            key,
            keys: vec![KeyInfo {
                kid: "k-2026".to_owned(),
                kty: "EC".to_owned(),
                alg: Some("ES256".to_owned()),
            }],
            at: NOW,
            exchange: None,
        },
        NOW,
    );
    let mut harness = kit::harness(state, NOW);
    harness.run();
    open_menu_item(&mut harness, "Transmitter…");
    harness.get_by_label("Transmitter of demo");
    harness.get_by_label("k-2026");
    harness.get_by_label("EC ES256");
    harness.get_by_label("listed");
    harness.get_by_label("x_vendor_extension: \"kept\"");
    harness.get_by_label("legacy: served at /.well-known/sse-configuration, not ssf-configuration");
}

#[test]
fn a_status_change_carries_the_reason_typed() {
    let mut harness = kit::harness(configured(), NOW);
    harness.run();
    open_menu_item(&mut harness, "Change status…");
    harness.get_by_label("Change the status of demo");
    harness
        .get_by_role_and_label(Role::RadioButton, "disabled")
        .click();
    harness.run();
    let reason = harness.get_by_role_and_label(Role::TextInput, "Reason");
    reason.focus();
    harness.step();
    // Select the proposed reason and type over it, as a person would.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "Reason")
        .type_text("incident 4711: contain");
    harness.run();
    let sent = kit::click(&mut harness, "Send");
    assert_eq!(
        sent,
        [
            r#"Stream(StreamKey("demo"), SetStatus { status: Disabled, reason: Some("incident 4711: contain") })"#
        ]
    );
    assert!(harness.state().view.status_form.is_none());
}
