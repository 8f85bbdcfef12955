//! The window's *Save capture…* (`Command::SaveCapture`, issue 24) and *Export evidence…*
//! (`Command::ExportBundle`): the runtime writes a capture (or a bundle) of the record on disk
//! with the filter in force and says what it wrote; a session whose SETs are in memory, a filter
//! that does not parse or an incident the record does not hold is told and nothing is written.

use std::path::{Path, PathBuf};

use crate::receiving::until;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::bundle::incident::IncidentRef;
use ssf_inspector::core::capture::Reader;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::record_health::RecordHealth;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::runtime::{self, Command, Folders};

fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_capture")
        .join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("a folder");
    dir
}

fn said(state: &InspectorState, start: &str) -> bool {
    state
        .notice
        .as_ref()
        .is_some_and(|n| n.text.starts_with(start))
}

/// A runtime with its record on disk in `dir`, once it says the record is durable.
async fn durable(
    dir: &Path,
) -> (
    runtime::RuntimeHandle,
    tokio::sync::mpsc::Receiver<ssf_inspector::core::update::Update>,
    InspectorState,
) {
    let (updates, mut rx) = update_channel(no_wake());
    let folders = Folders::at(&dir.join("data"), &dir.join("config"));
    let rt = runtime::spawn_in(&tokio::runtime::Handle::current(), updates, folders);
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, |s| matches!(
            s.record,
            RecordHealth::Durable { .. }
        ))
        .await
    );
    (rt, rx, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_capture_writes_the_record_on_disk_with_the_filter_in_force() {
    let dir = fresh("durable");
    let (rt, mut rx, mut state) = durable(&dir).await;
    let out = dir.join("capture.jsonl");
    rt.send(Command::SaveCapture {
        path: Some(out.clone()),
        filter: Some("verdict:valid".to_owned()),
    })
    .await
    .expect("sent");
    assert!(
        until(&mut rx, &mut state, |s| said(s, "Saved a capture")).await,
        "{:?}",
        state.notice
    );
    let file = std::fs::File::open(&out).expect("written");
    let reader = Reader::open(std::io::BufReader::new(file)).expect("a capture");
    assert_eq!(reader.header().filter.as_deref(), Some("verdict:valid"));
    assert_eq!(reader.header().saved_by, "ssf-inspector window");

    rt.send(Command::SaveCapture {
        path: Some(dir.join("never.jsonl")),
        filter: Some("tpye:x".to_owned()),
    })
    .await
    .expect("sent");
    assert!(
        until(&mut rx, &mut state, |s| said(
            s,
            "Capture not saved: the filter"
        ))
        .await,
        "{:?}",
        state.notice
    );
    assert!(!dir.join("never.jsonl").exists());
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_in_memory_is_neither_captured_nor_bundled() {
    let dir = fresh("memory");
    let (updates, mut rx) = update_channel(no_wake());
    let rt = runtime::spawn(&tokio::runtime::Handle::current(), updates, None);
    let out = dir.join("capture.jsonl");
    rt.send(Command::SaveCapture {
        path: Some(out.clone()),
        filter: None,
    })
    .await
    .expect("sent");
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, |s| said(s, "Capture not saved")).await,
        "{:?}",
        state.notice
    );
    assert!(
        state
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("in memory")),
        "{:?}",
        state.notice
    );
    assert!(!out.exists());
    // Nor is an evidence bundle.
    let out = dir.join("evidence.zip");
    rt.send(Command::ExportBundle {
        path: Some(out.clone()),
        filter: None,
        incident: None,
    })
    .await
    .expect("sent");
    assert!(
        until(&mut rx, &mut state, |s| said(s, "Evidence not exported")).await,
        "{:?}",
        state.notice
    );
    assert!(!out.exists());
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_evidence_writes_a_bundle_of_the_record_on_disk_and_says_so() {
    let dir = fresh("bundle");
    let (rt, mut rx, mut state) = durable(&dir).await;
    let out = dir.join("evidence.zip");
    rt.send(Command::ExportBundle {
        path: Some(out.clone()),
        filter: Some("verdict:valid".to_owned()),
        incident: None,
    })
    .await
    .expect("sent");
    assert!(
        until(&mut rx, &mut state, |s| said(s, "Exported the evidence of")).await,
        "{:?}",
        state.notice
    );
    let notice = state
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        notice.contains("evidence.zip") && notice.contains("MANIFEST.sha256"),
        "{notice}"
    );
    let file = std::fs::File::open(&out).expect("written");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    assert!(zip.by_name("MANIFEST.sha256").is_ok());
    let mut capture = zip.by_name("capture.jsonl").expect("its capture");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut capture, &mut text).expect("read");
    let reader = Reader::open(text.as_bytes()).expect("a capture");
    assert_eq!(reader.header().filter.as_deref(), Some("verdict:valid"));

    // An incident the record does not hold is told, and nothing is written.
    let never = dir.join("never");
    rt.send(Command::ExportBundle {
        path: Some(never.clone()),
        filter: None,
        incident: Some(IncidentRef {
            alert: 7,
            stream: StreamKey("demo".to_owned()),
            first_seen: UnixMillis(1),
        }),
    })
    .await
    .expect("sent");
    assert!(
        until(&mut rx, &mut state, |s| said(
            s,
            "Evidence export failed: the record holds no stop #7"
        ))
        .await,
        "{:?}",
        state.notice
    );
    assert!(!never.exists());
    rt.send(Command::Shutdown).await.ok();
}
