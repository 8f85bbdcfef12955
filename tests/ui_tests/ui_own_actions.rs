//! The receiver's own actions never raise an alert against the transmitter (issue 14): the
//! real app on the built-in transmitter (steady traffic, nothing stops on its own), each stream
//! action clicked as a person would, and after each the window shows no alert, while the
//! stream's status follows what was asked.

use crate::kit;

use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kit::app::{click, frames, frames_until, quit, tokio_runtime};
use ssf_inspector::app::InspectorApp;
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::runtime::Folders;
use ssf_inspector::runtime::transmitter::{Scenario, TransmitterOptions};

fn status(app: &InspectorApp) -> Option<StreamStatus> {
    app.state().streams.values().next().map(|s| s.status)
}

fn no_alert(harness: &Harness<'static, InspectorApp>, after: &str) {
    let alerts = &harness.state().state().alerts;
    assert!(alerts.is_empty(), "after {after}: {alerts:?}");
    assert!(
        harness.query_by_label_contains("CRITICAL").is_none()
            && harness.query_by_label_contains("WARNING").is_none(),
        "after {after}: the alert list is empty"
    );
}

#[test]
fn pause_enable_disable_verify_and_delete_by_the_receiver_raise_no_alert() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-own-actions");
    std::fs::remove_dir_all(&dir).ok();
    let rt = tokio_runtime("own-actions");
    let folders = Folders::at(&dir.join("data"), &dir.join("config"));
    let demo = TransmitterOptions {
        scenario: Scenario::Steady,
        event_interval: Duration::from_millis(300),
        min_verification_interval: 0,
        ..TransmitterOptions::default()
    };
    let mut harness = kit::app::open(&rt, folders, Some(demo));
    frames_until(
        &mut harness,
        "the demo stream set up",
        Duration::from_secs(10),
        |app| {
            app.state().streams.values().any(|s| s.info.is_some())
                && app.state().timeline.len() >= 2
        },
    );

    for (button, wanted) in [
        ("Pause", StreamStatus::Paused),
        ("Enable", StreamStatus::Enabled),
        ("Disable", StreamStatus::Disabled),
        ("Enable", StreamStatus::Enabled),
    ] {
        click(&mut harness, button);
        frames_until(&mut harness, button, Duration::from_secs(5), |app| {
            status(app) == Some(wanted)
        });
        // Let whatever the transmitter says about it arrive (stream-updated, the next SETs).
        std::thread::sleep(Duration::from_millis(700));
        frames(&mut harness, 3);
        no_alert(&harness, button);
    }

    let before = harness.state().state().timeline.len();
    click(&mut harness, "Verify");
    frames_until(
        &mut harness,
        "the verification SET",
        Duration::from_secs(5),
        |app| {
            let stream = app.state().streams.values().next();
            app.state().timeline.len() > before
                && stream.is_some_and(|s| {
                    s.pending_verification.is_none() && s.verification_rtt_millis.is_some()
                })
        },
    );
    no_alert(&harness, "Verify");

    click(&mut harness, "More…");
    click(&mut harness, "Delete stream at transmitter…");
    click(&mut harness, "Delete stream");
    frames_until(
        &mut harness,
        "the stream deleted",
        Duration::from_secs(5),
        |app| app.state().streams.values().any(|s| s.deleted_by_receiver),
    );
    std::thread::sleep(Duration::from_millis(700));
    frames(&mut harness, 3);
    no_alert(&harness, "Delete");
    quit(harness, rt);
}
