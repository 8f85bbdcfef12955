//! Critical alerts reach a person who is not looking at the window: the newly raised critical
//! alerts become desktop notifications (with the sound when chosen), warnings do not, and the
//! toolbar's Notify menu turns them on and off (egui_kittest, no GPU). The notification text
//! names the alert, the stream and the cause.

use crate::fixtures;
use crate::kit;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use fixtures::{NOW, TestKey, inspect, state_with, stream_updated};
use ssf_inspector::app::notifications;
use ssf_inspector::core::alerts::Alert;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::notify;
use ssf_inspector::ui::ViewState;

/// A push refused (warning), then a disabled stream (critical) raised by a stream-updated SET.
fn raised() -> Vec<Alert> {
    let key = TestKey::es256("k1");
    let mut state = state_with(Vec::new());
    let refused = Update::PushRefused {
        key: StreamKey("demo".to_owned()),
        at: NOW,
        exchange: 3,
    };
    let mut alerts = state.apply(refused, NOW).raised;
    let record = inspect(
        &key.sign(&stream_updated("u2", "disabled", "maintenance")),
        &key.jwks(),
        NOW,
    );
    alerts.extend(state.apply(Update::Set(Arc::new(record)), NOW).raised);
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    alerts
}

#[test]
fn only_critical_alerts_notify_and_the_sound_follows_the_choice() {
    let alerts = raised();
    let mut view = ViewState::default();
    let commands: Vec<String> = notifications(&alerts, &view)
        .iter()
        .map(|c| format!("{c:?}"))
        .collect();
    assert_eq!(
        commands,
        ["Notify { alert: StreamDisabled, sound: false }"],
        "notifications are on by default, the sound is not"
    );
    view.alert_sound = true;
    let commands: Vec<String> = notifications(&alerts, &view)
        .iter()
        .map(|c| format!("{c:?}"))
        .collect();
    assert_eq!(commands, ["Notify { alert: StreamDisabled, sound: true }"]);
    view.desktop_notifications = false;
    assert!(notifications(&alerts, &view).is_empty());
}

#[test]
fn the_notification_names_the_alert_the_stream_and_the_cause() {
    let alerts = raised();
    let (title, body) = notify::content(&alerts[1]);
    assert_eq!(title, "SSF Inspector: Stream disabled by transmitter");
    assert!(body.starts_with("Stream demo: "), "{body}");
    assert!(body.contains("stream-updated"), "{body}");
    assert!(body.contains("(reason: maintenance)"), "{body}");
}

#[test]
fn the_notify_menu_turns_notifications_and_sound_on_and_off() {
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.run();
    harness.get_by_label("Notify").click();
    harness.run();
    let sound = harness.get_by_role_and_label(Role::CheckBox, "Sound on critical alerts");
    sound.click();
    harness.run();
    assert!(harness.state().view.alert_sound);
    harness
        .get_by_role_and_label(Role::CheckBox, "Desktop notification on critical alerts")
        .click();
    harness.run();
    assert!(!harness.state().view.desktop_notifications);
    assert!(
        harness
            .get_by_role_and_label(Role::CheckBox, "Sound on critical alerts")
            .accesskit_node()
            .is_disabled(),
        "no sound without the notification"
    );
}
