//! *Reset demo* (issue 23, item 8): the presenter plays the demo again from its start. Every
//! stream stops, the window starts empty on a fresh in-memory record following live, the
//! scenario replays (its disable comes again), and the record file keeps what it held.

use std::collections::HashSet;
use std::time::Duration;

use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::record_health::RecordHealth;
use ssf_inspector::runtime::Folders;
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::transmitter::TransmitterOptions;

use crate::kit;
use kit::app::{click, frames_until, quit, tokio_runtime};

fn disabled(app: &ssf_inspector::app::InspectorApp) -> bool {
    app.state()
        .alerts
        .iter()
        .any(|a| a.kind == AlertKind::StreamDisabled)
}

#[test]
fn reset_demo_plays_the_story_again_on_a_fresh_memory_record() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-reset-demo");
    std::fs::remove_dir_all(&dir).ok();
    let (data, config) = (dir.join("data"), dir.join("config"));
    let demo = TransmitterOptions {
        event_interval: Duration::from_millis(150),
        disable_after: Some(Duration::from_secs(2)),
        ..TransmitterOptions::demo()
    };
    let rt = tokio_runtime("reset-demo");
    let mut harness = kit::app::open(&rt, Folders::at(&data, &config), Some(demo));
    frames_until(&mut harness, "the demo's disable", Duration::ZERO, |app| {
        disabled(app) && app.state().timeline.len() >= 3
    });
    let before: HashSet<String> = harness
        .state()
        .state()
        .timeline
        .entries()
        .filter_map(|e| e.jti().map(str::to_owned))
        .collect();
    click(&mut harness, "Follow live");
    assert!(!harness.state().view().follow, "following was turned off");

    click(&mut harness, "Reset demo");
    frames_until(
        &mut harness,
        "the demo played again",
        Duration::ZERO,
        |app| disabled(app) && app.state().timeline.len() >= 3,
    );
    let app = harness.state();
    let shown: Vec<String> = app
        .state()
        .timeline
        .entries()
        .filter_map(|e| e.jti().map(str::to_owned))
        .collect();
    assert!(
        shown.iter().all(|jti| !before.contains(jti)),
        "nothing of the first run is shown: {shown:?}"
    );
    assert_eq!(
        app.state().timeline.entries().next().map(|e| e.seq()),
        Some(1),
        "a fresh record numbers from 1"
    );
    assert_eq!(
        app.state().record,
        RecordHealth::Memory { instead_of: None }
    );
    assert!(app.view().follow, "following live again");
    assert_eq!(
        app.state()
            .alerts
            .iter()
            .map(|a| a.kind)
            .collect::<Vec<_>>(),
        [AlertKind::StreamDisabled],
        "only the replay's own disable"
    );
    quit(harness, rt);

    // The record file kept the first run, stopped cleanly; the second run never reached it.
    let check = tokio_runtime("reset-demo-check");
    let (store, reloaded) = check
        .block_on(RecordStore::open_all(&data.join("record.sqlite3")))
        .expect("the record opens");
    let stored: HashSet<String> = store
        .summaries()
        .expect("summaries")
        .into_iter()
        .filter_map(|s| s.jti)
        .collect();
    check.block_on(store.close()).expect("close");
    assert!(before.is_subset(&stored), "the first run is kept");
    assert!(
        shown.iter().all(|jti| !stored.contains(jti)),
        "the replay is in memory only"
    );
    let kinds: Vec<_> = reloaded.history.markers.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds.last(),
        Some(&ssf_inspector::core::marker::MarkerKind::Stopped),
        "the first run stopped cleanly: {kinds:?}"
    );
}
