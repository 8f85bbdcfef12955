//! Issue #6's "Done when", end to end in one process and only on 127.0.0.1: the real app (its
//! runtime, record and profiles in folders of this test, no demo) driven through its window as
//! a person would. A profile made in the form receives by push from one built-in transmitter,
//! another by poll from a second one; both streams' SETs are verified, stored and shown; after
//! a restart on the same folders the window shows the same timeline (SETs and the receiver's
//! start/stop markers).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ssf_inspector::app::InspectorApp;
use ssf_inspector::core::marker::{Marker, MarkerKind};
use ssf_inspector::core::record::Transport;
use ssf_inspector::core::set_summary::SetSummary;
use ssf_inspector::core::timeline::EntryView;
use ssf_inspector::runtime::Folders;
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::transmitter::{Scenario, Transmitter, TransmitterOptions};

#[path = "../fixtures/mod.rs"]
mod fixtures;
#[path = "../kit/mod.rs"]
mod kit;

mod demo_reset;
mod opened_file;

use kit::app::{click, frames, frames_until, quit, tokio_runtime};
use tokio_util::sync::CancellationToken;

/// SETs each stream must show before the first run ends.
const WANTED_PER_STREAM: usize = 3;

/// What identifies a SET on the timeline: (seq, stream, jti, verdict, transport).
type Row = (u64, String, Option<String>, String, Transport);

fn row(record: &SetSummary) -> Row {
    (
        record.seq,
        record.stream.0.clone(),
        record.jti.clone(),
        record.verdict.as_str().to_owned(),
        record.transport,
    )
}

fn entry_row(record: EntryView<'_>) -> Row {
    (
        record.seq(),
        record.stream().to_owned(),
        record.jti().map(str::to_owned),
        record.verdict().as_str().to_owned(),
        record.transport(),
    )
}

/// The receiver's start/stop markers of `stream`, in order.
fn marker_kinds(markers: &[Marker], stream: &str) -> Vec<MarkerKind> {
    markers
        .iter()
        .filter(|m| m.stream.0 == stream)
        .map(|m| m.kind)
        .collect()
}

fn start_transmitter(rt: &tokio::runtime::Runtime, cancel: &CancellationToken) -> Transmitter {
    let options = TransmitterOptions {
        scenario: Scenario::Steady,
        event_interval: Duration::from_millis(200),
        long_poll_timeout: Duration::from_millis(500),
        ..TransmitterOptions::default()
    };
    rt.block_on(Transmitter::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        options,
        cancel.clone(),
    ))
    .expect("start a transmitter on 127.0.0.1")
}

/// The real app on `rt`, with this test's folders and no demo.
fn open_app(
    rt: &tokio::runtime::Runtime,
    data: &Path,
    config: &Path,
) -> Harness<'static, InspectorApp> {
    kit::app::open(rt, Folders::at(data, config), None)
}

/// Focus a labelled field and type into it.
fn fill(harness: &mut Harness<'static, InspectorApp>, role: Role, label: &str, text: &str) {
    harness.get_by_role_and_label(role, label).focus();
    frames(harness, 1);
    harness.get_by_role_and_label(role, label).type_text(text);
    frames(harness, 2);
}

/// New profile…, the fields, the delivery radio, Save; then Start, as a person would.
fn add_and_start(
    harness: &mut Harness<'static, InspectorApp>,
    name: &str,
    tx: &Transmitter,
    delivery: &str,
) {
    click(harness, "New profile…");
    fill(harness, Role::TextInput, "Name", name);
    fill(harness, Role::TextInput, "Issuer URL", &tx.issuer);
    fill(
        harness,
        Role::PasswordInput,
        "Management token",
        &tx.management_token,
    );
    click(harness, delivery);
    assert!(
        harness
            .query_all_by_label_contains("no TLS: issuer http://127.0.0.1")
            .next()
            .is_some(),
        "the form warns about plain http (accepted for loopback)"
    );
    click(harness, "Save");
    frames_until(harness, "saved profile", Duration::from_secs(5), |app| {
        app.state().profiles.iter().any(|p| p.name == name)
    });
    // The profile just saved is the only one not running: its button is the one "Start".
    click(harness, "Start");
    frames_until(harness, "running profile", Duration::from_secs(5), |app| {
        app.state().streams.keys().any(|key| key.0 == name)
    });
}

/// The valid SETs of `stream` by `transport` on the app's timeline.
fn valid_sets(app: &InspectorApp, stream: &str, transport: Transport) -> usize {
    app.state()
        .timeline
        .entries()
        .filter(|r| r.stream() == stream && r.transport() == transport)
        .filter(|r| r.verdict().as_str() == "valid")
        .count()
}

fn timeline(app: &InspectorApp) -> Vec<Row> {
    app.state().timeline.entries().map(entry_row).collect()
}

/// The filter narrowed to `stream` shows rows with a valid signature; then the filter is cleared.
fn filtered_rows_are_valid(harness: &mut Harness<'static, InspectorApp>, stream: &str) {
    fill(harness, Role::TextInput, "Filter", stream);
    // Free text a compact row cannot answer is checked by the record, a few frames later.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while harness.query_all_by_label("valid signature").count() == 0
        && std::time::Instant::now() < deadline
    {
        frames(harness, 1);
        std::thread::sleep(Duration::from_millis(20));
    }
    let shown = harness.query_all_by_label("valid signature").count();
    assert!(shown > 0, "{stream}: the timeline shows its valid SETs");
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .focus();
    frames(harness, 1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    frames(harness, 2);
}

#[test]
fn push_and_poll_profiles_made_in_the_window_receive_persist_and_come_back_after_a_restart() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-end-to-end");
    std::fs::remove_dir_all(&dir).ok();
    let (data, config) = (dir.join("data"), dir.join("config"));

    // Two transmitters: a transmitter keeps one stream per receiver (its token), and find-or-create
    // would point that one stream at whichever profile started last.
    let tx_rt = tokio_runtime("e2e-transmitters");
    let cancel = CancellationToken::new();
    let pusher = start_transmitter(&tx_rt, &cancel);
    let poller = start_transmitter(&tx_rt, &cancel);

    let app_rt = tokio_runtime("e2e-app-1");
    let mut harness = open_app(&app_rt, &data, &config);
    frames_until(
        &mut harness,
        "the profiles read",
        Duration::from_secs(5),
        |app| app.state().profiles_loaded,
    );
    harness.get_by_label("None saved yet");
    harness.get_by_label("None running: start a profile below, or add one with New profile…");
    harness
        .get_by_label("No stream is running: start a profile (left), or add one with New profile…");
    add_and_start(&mut harness, "alpha", &pusher, "push (RFC 8935)");
    add_and_start(&mut harness, "beta", &poller, "poll (RFC 8936)");
    frames_until(
        &mut harness,
        "valid SETs from both streams",
        Duration::from_secs(20),
        |app| {
            valid_sets(app, "alpha", Transport::Push) >= WANTED_PER_STREAM
                && valid_sets(app, "beta", Transport::Poll) >= WANTED_PER_STREAM
        },
    );
    filtered_rows_are_valid(&mut harness, "alpha");
    filtered_rows_are_valid(&mut harness, "beta");
    let shown = timeline(harness.state());
    let shown_markers = harness.state().state().timeline.markers().to_vec();
    assert!(
        shown.iter().all(|(_, stream, jti, _, _)| {
            (stream == "alpha" || stream == "beta") && jti.is_some()
        }),
        "only the two profiles' SETs, each with a jti: {shown:?}"
    );
    let profiles = std::fs::read_to_string(config.join("profiles.json")).expect("profiles.json");
    assert!(
        !profiles.contains(&pusher.management_token)
            && !profiles.contains(&poller.management_token),
        "the tokens are kept in the secrets file, not the profiles"
    );
    quit(harness, app_rt);

    // The record holds every SET the window showed (and any that arrived while it closed), and
    // the receiver's start and stop for both streams: no "lost" run, the app quit cleanly.
    let (store, reloaded) = tx_rt
        .block_on(RecordStore::open_all(&data.join("record.sqlite3")))
        .expect("the record opens");
    let summaries = store.summaries().expect("read what the SETs concluded");
    tx_rt.block_on(store.close()).expect("close the record");
    let stored: Vec<Row> = summaries.iter().map(row).collect();
    let stored_markers = reloaded.history.markers;
    for stream in ["alpha", "beta"] {
        assert_eq!(
            marker_kinds(&stored_markers, stream),
            [MarkerKind::Started, MarkerKind::Stopped],
            "{stream}: {stored_markers:?}"
        );
    }
    assert!(
        stored_markers.starts_with(&shown_markers),
        "the markers shown are stored: {shown_markers:?} / {stored_markers:?}"
    );
    assert!(
        stored.starts_with(&shown),
        "the record starts with the timeline shown ({} rows shown, {} stored)",
        shown.len(),
        stored.len()
    );
    assert!(
        stored
            .iter()
            .all(|(_, _, _, verdict, _)| verdict == "valid"),
        "{stored:?}"
    );

    // Restart on the same folders: the same timeline, and the same profiles.
    let app_rt = tokio_runtime("e2e-app-2");
    let mut harness = open_app(&app_rt, &data, &config);
    frames_until(
        &mut harness,
        "the reloaded timeline",
        Duration::from_secs(10),
        |app| {
            let timeline = &app.state().timeline;
            timeline.entries().len() >= stored.len()
                && timeline.markers().len() >= stored_markers.len()
                && app.state().profiles.len() == 2
        },
    );
    assert_eq!(
        timeline(harness.state()),
        stored,
        "the same timeline after a restart"
    );
    assert_eq!(
        harness.state().state().timeline.markers(),
        stored_markers.as_slice(),
        "the same start/stop markers after a restart"
    );
    harness.get_by_label_contains(&format!("Reloaded {} SETs", stored.len()));
    filtered_rows_are_valid(&mut harness, "alpha");
    filtered_rows_are_valid(&mut harness, "beta");
    // A reloaded row is held compact: clicking it reads the SET from the record for the details.
    let any_whole = |app: &InspectorApp| {
        let timeline = &app.state().timeline;
        timeline.entries().any(|e| timeline.full(e.seq()).is_some())
    };
    assert!(!any_whole(harness.state()), "reopening read no SET whole");
    harness
        .query_all_by_label("valid signature")
        .next()
        .expect("a reloaded row")
        .click();
    frames_until(
        &mut harness,
        "the details read from the record",
        Duration::from_secs(5),
        any_whole,
    );
    frames(&mut harness, 2);
    let jtis: Vec<String> = stored.iter().filter_map(|r| r.2.clone()).collect();
    assert!(
        jtis.iter()
            .any(|jti| harness.query_by_label(&format!("jti: \"{jti}\"")).is_some()),
        "the details show the SET's claims"
    );
    quit(harness, app_rt);
    cancel.cancel();
    tx_rt.shutdown_timeout(Duration::from_secs(1));
}

/// Issue 22 (3): every alert and status change the window's reducer makes reaches the record's
/// writer, in order, while the runtime takes no command at all (its queue of one is full and
/// never read): the writes do not go through the command queue, and nothing is dropped.
#[test]
fn thousands_of_record_effects_leave_the_window_while_the_command_queue_is_full() {
    use ssf_inspector::core::record::StreamKey;
    use ssf_inspector::core::stream::{StatusSource, StreamStatus};
    use ssf_inspector::core::time::UnixMillis;
    use ssf_inspector::core::update::Update;
    use ssf_inspector::runtime::RuntimeHandle;

    const CHANGES: i64 = 3_000;
    let (runtime, commands, mut written) = RuntimeHandle::channel_with_effects(1);
    let (updates, rx) = tokio::sync::mpsc::channel(64);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_eframe(move |cc| InspectorApp::with_runtime(cc, runtime, rx, None, false));
    let key = StreamKey("s".to_owned());
    let t0 = UnixMillis(1_795_424_340_000);
    let mut pending: std::collections::VecDeque<Update> = std::collections::VecDeque::new();
    pending.push_back(Update::StreamAdded {
        key: key.clone(),
        label: "s".to_owned(),
    });
    // A status change every millisecond, enabled and disabled in turn: most of them the
    // receiver's own (no alert), every hundredth a status read that finds the stream disabled (a
    // critical alert, whose notification waits in the window's outbox), resolved by the next
    // enable.
    for i in 0..CHANGES {
        pending.push_back(Update::Status {
            key: key.clone(),
            status: if i % 2 == 0 {
                StreamStatus::Enabled
            } else {
                StreamStatus::Disabled
            },
            reason: None,
            source: if i % 100 == 1 {
                StatusSource::StatusRead
            } else {
                StatusSource::Receiver
            },
            at: UnixMillis(t0.0 + i),
            exchange: Some(u64::try_from(i).expect("positive") + 1),
        });
    }
    let mut frames_run = 0;
    while !pending.is_empty() {
        while let Some(update) = pending.pop_front() {
            if let Err(err) = updates.try_send(update) {
                let tokio::sync::mpsc::error::TrySendError::Full(update) = err else {
                    panic!("the window stopped taking updates");
                };
                pending.push_front(update);
                break;
            }
        }
        harness.step();
        frames_run += 1;
        assert!(frames_run < 100_000, "the window took every update");
    }
    // Until the window has taken every update, and one frame more to hand over their effects.
    while updates.capacity() < updates.max_capacity() {
        harness.step();
        frames_run += 1;
        assert!(frames_run < 100_000, "the window took every update");
    }
    frames(&mut harness, 1);
    assert_eq!(
        commands.len(),
        1,
        "the command queue stayed full, nobody read it"
    );
    let mut statuses = Vec::new();
    let mut alerts = std::collections::BTreeMap::new();
    while let Ok(effects) = written.try_recv() {
        statuses.extend(effects.statuses);
        for alert in effects.alerts {
            alerts.insert(alert.id, alert);
        }
    }
    let times: Vec<i64> = statuses.iter().map(|c| c.at.0 - t0.0).collect();
    assert_eq!(times.len(), 3_000, "every status change, once");
    let first_wrong = times.iter().zip(0..).find(|(at, i)| **at != *i);
    assert_eq!(first_wrong, None, "in order, each with its own time");
    assert!(
        statuses
            .iter()
            .zip(1..)
            .all(|(change, id)| change.exchange == Some(id)),
        "each with the exchange that told it"
    );
    let state = harness.state().state();
    assert_eq!(state.alerts.len(), 30, "a stop found every hundred changes");
    for alert in &state.alerts {
        assert_eq!(
            alerts.get(&alert.id),
            Some(alert),
            "the record's last word on alert {} is the window's",
            alert.id
        );
    }
}
