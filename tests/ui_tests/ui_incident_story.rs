//! The incident's story in the window (egui_kittest): the banner tells what happened in one
//! line, and the alert list opens the same story under the incident's head.

use crate::fixtures;
use crate::kit;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, inspect, session_revoked, state_with, stream_updated};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;

fn ago(secs: i64) -> UnixMillis {
    UnixMillis(NOW.0 - secs * 1000)
}

fn clock(at: UnixMillis) -> String {
    at.time_of_day()[..8].to_owned()
}

/// Two SETs, then the transmitter disables the stream, then a verification is refused.
fn disabled() -> InspectorState {
    let key = TestKey::es256("k1");
    let keys = key.jwks();
    let records = vec![
        inspect(&key.sign(&session_revoked("jti-1")), &keys, ago(50)),
        inspect(&key.sign(&session_revoked("jti-2")), &keys, ago(40)),
        inspect(
            &key.sign(&stream_updated("su-1", "disabled", "maintenance")),
            &keys,
            ago(30),
        ),
    ];
    let mut state = state_with(records);
    let refused = Update::VerificationFailed {
        key: StreamKey("demo".to_owned()),
        error: "requesting verification answered HTTP 409 Conflict".to_owned(),
        exchange: Some(4),
        at: ago(18),
        by_user: false,
    };
    state.apply(refused, ago(18));
    state
}

fn story() -> String {
    format!(
        "disabled by the transmitter at {} (stream-updated, reason \"maintenance\"), 3 SETs \
         received before, none after, verification refused at {}, still in force",
        clock(ago(30)),
        clock(ago(18))
    )
}

#[test]
fn the_banner_tells_what_happened_in_one_line() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    harness.get_by_label(&format!("What happened: {}", story()));
}

#[test]
fn the_alert_list_opens_the_story_under_the_incidents_head() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    assert!(
        harness.query_by_label(&story()).is_none(),
        "folded until opened"
    );
    harness.get_by_label("What happened").click();
    harness.run();
    harness.get_by_label(&story());
}

/// `Export evidence…` opens the Export window on the incident (whatever the filter), and
/// `button` there sends the bundle's command.
fn exports_the_incident(harness: &mut Harness<'static, kit::TestUi>, button: &str) -> String {
    let head = harness.state().state.alerts[0].id;
    let commands = kit::click(harness, "Export evidence…");
    assert!(commands.is_empty(), "{commands:?}");
    harness.get_by_label_contains(&format!("Incident #{head} on stream demo"));
    harness.get_by_label_contains("from 10 minutes before it to its end");
    let commands = kit::click(harness, button);
    assert!(
        harness.state().view.export_form.is_none(),
        "the window closed"
    );
    assert_eq!(commands.len(), 1, "{commands:?}");
    assert!(
        commands[0].ends_with(&format!("filter: None, incident: Some({head}) }}")),
        "the incident's own span, not the filter in force: {commands:?}"
    );
    commands[0].clone()
}

#[test]
fn the_banner_exports_the_incident_as_evidence() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    harness.state_mut().view.filter = "jti:jti-1".to_owned();
    harness.run();
    let command = exports_the_incident(&mut harness, "Choose in a file dialog…");
    assert!(
        command.starts_with("ExportBundle { path: None,"),
        "{command}"
    );
}

#[test]
fn the_alert_list_exports_an_incident_from_its_story() {
    let mut harness = kit::harness(disabled(), NOW);
    harness.run();
    kit::click(&mut harness, "Acknowledge");
    assert!(
        harness.query_by_label("Export evidence…").is_none(),
        "out of the banner, and folded in the list until its story is opened"
    );
    harness.get_by_label("What happened").click();
    harness.run();
    let command = exports_the_incident(&mut harness, "Export to this path");
    assert!(
        command.starts_with(r#"ExportBundle { path: Some("ssf-inspector-evidence.zip"),"#),
        "{command}"
    );
}
