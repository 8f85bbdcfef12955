//! A record that cannot be used never becomes memory unasked (issue 12): while the record asked
//! for is locked by another instance, pushes are answered 503 and nothing is stored, until the
//! user chooses memory; while writes fail mid-run, polled SETs are not acknowledged and the
//! record is told as failing, until a write succeeds again. `watch --record` on a locked record
//! exits non-zero with the reason before it touches a stream. All on 127.0.0.1.

use std::time::Duration;

use crate::receiving;

use receiving::{connection, fast, until};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::profile::DeliveryMode;
use ssf_inspector::core::record_health::RecordHealth;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::{self, Command};

fn fresh(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::remove_dir_all(&dir).ok();
    dir.join("record.sqlite3")
}

/// A runtime whose record is `path`, and its update channel.
fn runtime_at(
    path: &std::path::Path,
) -> (runtime::RuntimeHandle, tokio::sync::mpsc::Receiver<Update>) {
    let (updates, rx) = update_channel(no_wake());
    let handle = tokio::runtime::Handle::current();
    (runtime::spawn(&handle, updates, Some(path.to_owned())), rx)
}

fn answered(state: &InspectorState, path_part: &str, status: u16) -> usize {
    state
        .exchanges
        .iter()
        .filter(|e| e.url.contains(path_part) && e.status == Some(status))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_record_refuses_pushes_until_memory_is_chosen() {
    let path = fresh("record-locked");
    // Another instance holds the record.
    let (holder, _) = RecordStore::open(&path).await.expect("the first instance");
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) =
        receiving::profile_for(&tx, "record-locked-profiles", "locked", DeliveryMode::Push);
    let (rt, mut rx) = runtime_at(&path);
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, |s| matches!(
            s.record,
            RecordHealth::Unavailable { .. }
        ))
        .await,
        "the record is told as unavailable: {:?}",
        state.record
    );
    let RecordHealth::Unavailable { reason, .. } = &state.record else {
        unreachable!()
    };
    assert!(
        reason.contains("in use by another ssf-inspector"),
        "{reason}"
    );

    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let refused = |s: &InspectorState| {
        connection(s, &key) == Connection::Connected && answered(s, "/push", 503) >= 3
    };
    assert!(
        until(&mut rx, &mut state, refused).await,
        "pushes are refused with 503"
    );
    assert!(
        state.timeline.is_empty(),
        "nothing is stored, nothing is acknowledged"
    );
    assert_eq!(answered(&state, "/push", 202), 0, "no push got 202");
    assert_eq!(holder.len(), 0, "the other instance's record is untouched");

    rt.send(Command::UseMemoryRecord)
        .await
        .expect("choose memory");
    let chosen = |s: &InspectorState| {
        matches!(&s.record, RecordHealth::Memory { instead_of: Some(p) } if p.ends_with("record.sqlite3"))
            && s.timeline.len() >= 3
            && answered(s, "/push", 202) >= 3
    };
    assert!(
        until(&mut rx, &mut state, chosen).await,
        "after the choice SETs are received: {:?}, {} SETs",
        state.record,
        state.timeline.len()
    );
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_writes_withhold_poll_acks_until_a_write_succeeds() {
    let path = fresh("record-failing");
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(
        &tx,
        "record-failing-profiles",
        "failing",
        DeliveryMode::Poll,
    );
    let (rt, mut rx) = runtime_at(&path);
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, |s| matches!(
            s.record,
            RecordHealth::Durable { .. }
        ))
        .await
    );
    // Every insert of a SET fails from now on, as on a full disk.
    let other = rusqlite::Connection::open(&path).expect("a second connection");
    other
        .execute_batch(
            "CREATE TRIGGER fail_inserts BEFORE INSERT ON sets BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;",
        )
        .expect("install the trigger");
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let failing = |s: &InspectorState| {
        matches!(s.record, RecordHealth::Failing { .. })
            && s.exchanges
                .iter()
                .filter(|e| e.url.contains("/poll"))
                .count()
                >= 4
    };
    assert!(
        until(&mut rx, &mut state, failing).await,
        "{:?}",
        state.record
    );
    assert!(state.timeline.is_empty());
    let acked: Vec<&str> = state
        .exchanges
        .iter()
        .filter(|e| e.url.contains("/poll"))
        .map(|e| e.request_body.as_str())
        .filter(|body| {
            serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|b| b["ack"].as_array().map(|a| !a.is_empty()))
                .unwrap_or(false)
        })
        .collect();
    assert!(
        acked.is_empty(),
        "nothing unstored is acknowledged: {acked:?}"
    );

    other
        .execute_batch("DROP TRIGGER fail_inserts;")
        .expect("remove the trigger");
    let recovered = |s: &InspectorState| {
        matches!(s.record, RecordHealth::Durable { .. }) && s.timeline.len() >= 3
    };
    assert!(
        until(&mut rx, &mut state, recovered).await,
        "{:?}, {} SETs",
        state.record,
        state.timeline.len()
    );
    // The first SETs, withheld while failing, come again and are stored once.
    let jtis: std::collections::HashSet<_> = state
        .timeline
        .entries()
        .filter_map(|r| r.jti().map(str::to_owned))
        .collect();
    assert_eq!(jtis.len(), state.timeline.len(), "each SET stored once");
    assert_eq!(connection(&state, &key), Connection::Connected);
    rt.send(Command::Shutdown).await.ok();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_on_a_locked_record_exits_non_zero_before_touching_a_stream() {
    let path = fresh("record-watch-locked");
    let (_holder, _) = RecordStore::open(&path).await.expect("the first instance");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
        .args(["watch", "--demo", "--seconds", "20", "--record"])
        .arg(&path)
        .env("RUST_LOG", "off")
        .output()
        .expect("run watch");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(output.status.code().is_some(), "it exits, not killed");
    assert!(stderr.contains("cannot be used"), "{stderr}");
    assert!(
        stderr.contains("in use by another ssf-inspector"),
        "{stderr}"
    );
    assert!(
        !stdout.contains("connection: connected"),
        "no stream was set up: {stdout}"
    );
}
