//! A capture a colleague sent, opened in the window (issue 24): dropped on the window while the
//! demo runs, it is read by the real runtime and shown beside the live streams with its badge and
//! its card; a row's details are read from the file with its signature checked again; the live
//! banner stays while the file is shown; the live streams come back with their own view, and the
//! file closes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use egui_kittest::kittest::Queryable as _;
use ssf_inspector::app::InspectorApp;
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::opened::Loading;
use ssf_inspector::runtime::Folders;
use ssf_inspector::runtime::transmitter::TransmitterOptions;
use ssf_inspector::ui::view::Source;

use crate::fixtures::evidence::{capture_of, evidence_record};
use crate::kit;
use kit::app::{click, frames, frames_until, quit, tokio_runtime};

/// A file dropped on the window, as the desktop hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|err| err.to_string())
    }
}

fn read(app: &InspectorApp) -> bool {
    app.opened()
        .iter()
        .next()
        .is_some_and(|file| file.loading == Loading::Done && file.reverified.done)
}

#[test]
fn a_capture_dropped_on_the_window_is_shown_beside_the_live_streams() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-opened-file");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("a folder");
    let rt = tokio_runtime("opened-file");
    let record = dir.join("colleague.sqlite3");
    rt.block_on(evidence_record(&record));
    let capture = dir.join("capture.jsonl");
    capture_of(&record, &capture, "ssf-inspector capture");

    let demo = TransmitterOptions {
        event_interval: Duration::from_millis(150),
        disable_after: Some(Duration::from_secs(2)),
        ..TransmitterOptions::demo()
    };
    let folders = Folders::at(&dir.join("data"), &dir.join("config"));
    let mut harness = kit::app::open(&rt, folders, Some(demo));
    frames_until(&mut harness, "live SETs", Duration::ZERO, |app| {
        app.state().timeline.len() >= 2
    });
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(capture.clone())));
    frames_until(&mut harness, "the capture read", Duration::ZERO, read);
    frames(&mut harness, 2);
    let id = harness.state().opened().iter().next().map(|f| f.id);
    assert_eq!(
        harness.state().view().source,
        Source::Opened(id.unwrap_or(0))
    );
    harness.get_by_label_contains("📂 capture.jsonl — read-only capture");
    harness.get_by_label("Live streams");
    harness.get_by_label_contains("by ssf-inspector capture");
    // The timeline shows the file's rows: its SETs of an unknown key and the malformed one are
    // there (the live demo has none).
    assert!(harness.query_by_label("unknown key").is_some());
    assert!(harness.query_by_label("malformed").is_some());

    // A row's details are read from the file, its signature checked again with its keys.
    harness
        .query_all_by_label("valid signature")
        .next()
        .expect("a row of the file")
        .click();
    frames_until(
        &mut harness,
        "the SET read from the file",
        Duration::ZERO,
        |app| {
            let file = app.opened().iter().next();
            file.is_some_and(|f| {
                f.contents
                    .timeline
                    .entries()
                    .any(|e| f.contents.timeline.full(e.seq()).is_some())
            })
        },
    );
    frames(&mut harness, 2);
    harness.get_by_label("jti: \"j1\"");
    harness.get_by_label_contains(
        "📂 Signature checked again with the file's keys: valid signature (as when received)",
    );

    // The subject's history covers the opened file (and the live streams), each line saying
    // where it is; a line of the file selects its SET there.
    click(&mut harness, "History");
    frames(&mut harness, 2);
    harness.get_by_label_contains("SETs about it, across every stream and opened file");
    let in_file = harness
        .query_all_by_label_contains("📂 capture.jsonl  demo  Session revoked")
        .count();
    assert_eq!(in_file, 3, "the file's three SETs about alice");
    harness
        .query_all_by_label_contains("📂 capture.jsonl  demo  Session revoked")
        .nth(2)
        .expect("a line")
        .click();
    frames(&mut harness, 2);
    assert_eq!(
        harness.state().view().source,
        Source::Opened(id.unwrap_or(0))
    );
    assert_eq!(harness.state().view().selected, Some(3));
    harness.get_by_label("Close");

    // The live streams' incident is told while the file is shown.
    frames_until(&mut harness, "the demo's disable", Duration::ZERO, |app| {
        app.state()
            .alerts
            .iter()
            .any(|a| a.kind == AlertKind::StreamDisabled)
    });
    frames(&mut harness, 2);
    assert!(
        harness.query_by_label("Acknowledge").is_some(),
        "the banner is shown over the opened file"
    );
    assert!(
        harness
            .state()
            .opened()
            .iter()
            .all(|f| f.contents.alerts.is_empty()),
        "nothing is raised in the opened file"
    );

    // Back to the live streams, with their own view; then the file is closed.
    click(&mut harness, "Live streams");
    assert_eq!(harness.state().view().source, Source::Live);
    assert!(harness.query_by_label("unknown key").is_none());
    click(&mut harness, "Close");
    frames(&mut harness, 2);
    assert!(harness.state().opened().is_empty());
    assert!(harness.query_by_label("Live streams").is_none());
    quit(harness, rt);
}
