//! Issue 24's figures on a million SETs: `cargo bench --bench incident_1m` (`-- --quick` for
//! 100,000, `-- --sets N` for another count, `-- --no-capture` for the timeline's part alone). The record is built once in the target folder's
//! `tmp/bench-incident-N/` from distinct ES256 SETs (3 streams, 12 event types of which
//! `account-disabled` is 1 %, 20,000 users, one SET in seven about a complex `user` + `session`),
//! signed, verified and stored as the push path stores them, and kept for later runs (delete
//! the folder to build it again). Prints, with the resident memory (VmRSS, VmHWM) around each
//! step and the load average:
//! - a capture of the whole record written, and one filtered by `type:account-disabled`;
//! - the whole capture read back by `core::capture::Reader`, with the peak's growth;
//! - `ssf-inspector query` (the release binary) over the capture and over the record;
//! - the window's timeline taking every SET's summary, and one subject's history on it (an
//!   email line, a plain value, a complex `user` in JSON), then again after 1,000 more SETs
//!   arrive;
//! - an incident's SET counts (`StoryCounts`) on that timeline, then after the 1,000 more.
//!
//! Asserts nothing; nothing leaves the machine.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[path = "common/measure.rs"]
mod measure;

use measure::{arg, load_average, reset_peak, status_bytes};

use jsonwebtoken::Algorithm;
use serde_json::json;
use ssf_inspector::core::alerts::{Alert, AlertKind, Severity};
use ssf_inspector::core::capture::{Item, Reader};
use ssf_inspector::core::filter::Filter;
use ssf_inspector::core::incident_story::StoryCounts;
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::record::{SetRecord, StreamKey, Transport};
use ssf_inspector::core::retention::Retention;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::subject_history::{SubjectHistory, account};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};
use ssf_inspector::runtime::capture::{CaptureSource, write};
use ssf_inspector::runtime::record::{RecordStore, query};
use ssf_inspector::runtime::transmitter::keys::SigningKey;

/// Every event type but the rare one, taken in turn.
const EVENTS: [&str; 11] = [
    "https://schemas.openid.net/secevent/caep/event-type/session-revoked",
    "https://schemas.openid.net/secevent/caep/event-type/credential-change",
    "https://schemas.openid.net/secevent/caep/event-type/token-claims-change",
    "https://schemas.openid.net/secevent/caep/event-type/assurance-level-change",
    "https://schemas.openid.net/secevent/caep/event-type/device-compliance-change",
    "https://schemas.openid.net/secevent/risc/event-type/account-enabled",
    "https://schemas.openid.net/secevent/risc/event-type/credential-compromise",
    "https://schemas.openid.net/secevent/risc/event-type/identifier-changed",
    "https://schemas.openid.net/secevent/risc/event-type/sessions-revoked",
    "https://schemas.openid.net/secevent/ssf/event-type/verification",
    "https://schemas.openid.net/secevent/caep/event-type/risk-level-change",
];
/// One SET in a hundred.
const RARE: &str = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";
const RARE_FILTER: &str = "type:account-disabled";
const STREAMS: [&str; 3] = ["okta-prod", "keycloak", "demo"];
const BASE_MS: i64 = 1_795_424_400_000;
/// The user asked about: SETs about them arrive among the 1,000 more too.
const USER: &str = "user421@example.com";
const MORE: usize = 1_000;

fn claims(n: usize) -> serde_json::Value {
    let email = format!("user{}@example.com", n % 20_000);
    let sub_id = if n.is_multiple_of(7) {
        json!({"format": "complex",
               "user": {"format": "email", "email": email},
               "session": {"format": "opaque", "id": format!("s{n:x}")}})
    } else {
        json!({"format": "email", "email": email})
    };
    let event = if n % 100 == 7 {
        RARE
    } else {
        EVENTS[n % EVENTS.len()]
    };
    json!({
        "iss": "https://tr.example.com/", "aud": "https://rx.example.com/",
        "jti": format!("{n:032x}"), "iat": (BASE_MS / 1000) + (n / 1000) as i64,
        "sub_id": sub_id,
        "events": {event: {
            "initiating_entity": "policy", "reason_admin": {"en": "Landspeed policy violation"},
            "event_timestamp": (BASE_MS / 1000) + (n / 1000) as i64}}
    })
}

/// SETs `range` signed with `key`, inspected as the push path does on arrival (3 ms apart,
/// the streams in turn).
fn inspected(
    key: &SigningKey,
    keys: &KeySet,
    range: impl Iterator<Item = usize>,
) -> Vec<SetRecord> {
    let expect = Expectations {
        issuer: Some("https://tr.example.com/".to_owned()),
        audience: Some("https://rx.example.com/".to_owned()),
        ..Expectations::default()
    };
    let policy = AlgorithmPolicy::default();
    range
        .map(|n| {
            let token = key.sign_set(&claims(n)).unwrap();
            let arrival = Arrival {
                stream: StreamKey(STREAMS[n % STREAMS.len()].to_owned()),
                transport: if n % 3 == 2 {
                    Transport::Poll
                } else {
                    Transport::Push
                },
                received_at: UnixMillis(BASE_MS + n as i64 * 3),
            };
            ingest::inspect(token, arrival, keys, &policy, &expect)
        })
        .collect()
}

/// A key and the JWKS that verifies it.
fn key() -> (Arc<SigningKey>, Arc<KeySet>) {
    let key = Arc::new(SigningKey::generate(Algorithm::ES256).unwrap());
    let keys = KeySet::from_jwks(&json!({"keys": [key.public_jwk()]})).unwrap();
    (key, Arc::new(keys))
}

/// Build the record on both cores, stored as the push path stores them (many appends in
/// flight, so the writer batches its commits).
async fn build(path: &Path, count: usize) {
    let (key, keys) = key();
    let (store, _) = RecordStore::open_kept(path, Retention::default())
        .await
        .unwrap();
    let started = Instant::now();
    let chunk = 10_000;
    for start in (0..count).step_by(chunk) {
        let end = (start + chunk).min(count);
        let halves: Vec<_> = (0..2)
            .map(|half| {
                let (key, keys) = (Arc::clone(&key), Arc::clone(&keys));
                tokio::task::spawn_blocking(move || {
                    inspected(&key, &keys, (start + half..end).step_by(2))
                })
            })
            .collect();
        let mut appends = tokio::task::JoinSet::new();
        for half in halves {
            for record in half.await.unwrap() {
                let store = store.clone();
                appends.spawn(async move { store.append(record).await.unwrap() });
            }
        }
        while appends.join_next().await.is_some() {}
        if start.is_multiple_of(100_000) {
            eprintln!(
                "built {end} of {count} SETs ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    store.close().await.unwrap();
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// The resident memory and its peak now, and the load average.
fn memory(step: &str) {
    println!(
        "  [{step}: VmRSS {:.0} MiB, VmHWM {:.0} MiB, load {}]",
        mib(status_bytes("VmRSS")),
        mib(status_bytes("VmHWM")),
        load_average()
    );
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Write a capture of `record` to `out`, filtered or whole, and print its figures.
fn capture(record: &Path, filter: Option<&str>, out: &Path) {
    let compiled = filter.map(|text| Filter::parse(text).unwrap());
    let source = CaptureSource {
        record,
        filter: compiled.as_ref().zip(filter),
        profiles: &[],
        saved_by: "cargo bench --bench incident_1m",
        scope: Default::default(),
        selection: None,
    };
    let started = Instant::now();
    let written = write(&source, out).unwrap();
    let took = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "capture write {:<32} {took:6.2} s  {:>9.0} SETs/s read ({} of {} SETs written), {:.0} MiB, {:.0} bytes per SET written",
        format!("({})", filter.unwrap_or("whole")),
        written.read as f64 / took,
        written.sets,
        written.read,
        bytes as f64 / 1_048_576.0,
        bytes as f64 / written.sets.max(1) as f64
    );
    memory("after the write");
}

/// `ssf-inspector query --record FILE FILTER` (the release binary): its time and what it said.
fn query_binary(file: &Path, filter: &str, what: &str) {
    let started = Instant::now();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
        .arg("query")
        .arg("--record")
        .arg(file)
        .arg(filter)
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap();
    let took = started.elapsed().as_secs_f64();
    let said = String::from_utf8_lossy(&run.stderr);
    println!(
        "query {filter:?} over the {what:<8} {took:6.2} s  ({})",
        said.lines().last().unwrap_or("nothing said")
    );
}

/// Read the whole capture back, every item typed; print the time and the peak's growth.
fn read_capture(path: &Path) {
    reset_peak();
    let before = status_bytes("VmRSS");
    let started = Instant::now();
    let file = std::fs::File::open(path).unwrap();
    let reader = Reader::open(std::io::BufReader::new(file)).unwrap();
    let (mut sets, mut others, mut problems) = (0_u64, 0_u64, 0_u64);
    for item in reader {
        match item {
            Ok(Item::Set(record)) => {
                sets += 1;
                std::hint::black_box(record);
            }
            Ok(_) => others += 1,
            Err(_) => problems += 1,
        }
    }
    let took = started.elapsed().as_secs_f64();
    let peak = status_bytes("VmHWM");
    println!(
        "capture read (Reader, every item)       {took:6.2} s  {:>9.0} SETs/s ({sets} SETs, {others} other items, {problems} problems), peak grew {:.1} MiB",
        sets as f64 / took,
        mib(peak.saturating_sub(before))
    );
    memory("after the read");
}

/// One subject's history found from the start on `state`'s timeline.
fn history(state: &InspectorState, label: &str, text: &str) -> (SubjectHistory, f64) {
    let started = Instant::now();
    let mut history = SubjectHistory::new(text);
    history.refresh(&state.timeline);
    let took = ms(started);
    // The rows the window shows first, each in a line.
    let lines = Instant::now();
    let told: usize = history
        .rows()
        .iter()
        .take(40)
        .filter_map(|index| state.timeline.entry(*index))
        .map(|entry| {
            account(
                &entry,
                state.timeline.full(entry.seq()).map(AsRef::as_ref),
                false,
            )
            .len()
        })
        .sum();
    std::hint::black_box(told);
    println!(
        "subject history {label:<24} {took:7.1} ms to its rows ({} SETs), the first 40 told in {:.2} ms",
        history.rows().len(),
        ms(lines)
    );
    (history, took)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let count = arg("--sets", if quick { 1e5 } else { 1e6 }) as usize;
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-incident-{count}"));
    let record = folder.join("record.sqlite3");
    if !record.exists() {
        build(&record, count).await;
    }
    let bytes = std::fs::metadata(&record).map(|m| m.len()).unwrap_or(0);
    println!(
        "record of {count} SETs, {:.0} MiB on disk; load average {}",
        mib(bytes as usize),
        load_average()
    );
    memory("start");

    if !std::env::args().any(|a| a == "--no-capture") {
        let whole = folder.join("capture.jsonl");
        let filtered = folder.join("capture-rare.jsonl");
        capture(&record, None, &whole);
        capture(&record, Some(RARE_FILTER), &filtered);
        read_capture(&whole);
        query_binary(&whole, RARE_FILTER, "capture");
        query_binary(&record, RARE_FILTER, "record");
    }

    // The window's timeline, as at reopen: every SET's summary pushed.
    let mut state = InspectorState::default();
    let before = status_bytes("VmRSS");
    let started = Instant::now();
    query::each_summary(&record, 2048, |part| {
        for summary in &part {
            state.timeline.push_summary(summary, UnixMillis(BASE_MS));
        }
        true
    })
    .unwrap();
    println!(
        "timeline: {} SETs read from the record and taken in {:.2} s, {:.0} bytes per SET held",
        state.timeline.held(),
        started.elapsed().as_secs_f64(),
        status_bytes("VmRSS").saturating_sub(before) as f64 / count as f64
    );
    memory("timeline held");

    let asked = [
        ("(email line)", format!("email {USER}")),
        ("(plain value)", USER.to_owned()),
        (
            "(complex user, JSON)",
            json!({"format": "complex", "user": {"format": "email", "email": USER}}).to_string(),
        ),
    ];
    let mut histories: Vec<SubjectHistory> = asked
        .iter()
        .map(|(label, text)| history(&state, label, text).0)
        .collect();

    let head = Alert {
        id: 1,
        kind: AlertKind::StreamDisabled,
        severity: Severity::Critical,
        stream: StreamKey(STREAMS[0].to_owned()),
        cause: "disabled by the transmitter".to_owned(),
        reason: Some("maintenance".to_owned()),
        first_seen: UnixMillis(BASE_MS + (count as i64 / 2) * 3),
        last_seen: UnixMillis(BASE_MS + (count as i64 / 2) * 3),
        evidence_seq: None,
        evidence_exchange: None,
        acknowledged: false,
        resolved_at: None,
        unwatched_at: None,
        folded_under: None,
    };
    let mut counts = StoryCounts::default();
    let started = Instant::now();
    let around = counts.of(&state.timeline, &head);
    println!(
        "incident story counts, first time        {:7.1} ms  ({} before, {} after)",
        ms(started),
        around.before,
        around.after
    );
    let started = Instant::now();
    counts.of(&state.timeline, &head);
    println!(
        "incident story counts, next frame        {:7.3} ms  (nothing new)",
        ms(started)
    );
    memory("history and counts");

    // 1,000 more SETs arrive, whole, as the window takes live ones.
    let (key, keys) = key();
    for record in inspected(&key, &keys, count..count + MORE) {
        state
            .timeline
            .push(Arc::new(record), UnixMillis(BASE_MS + count as i64 * 3));
    }
    for ((label, _), history) in asked.iter().zip(&mut histories) {
        let had = history.rows().len();
        let started = Instant::now();
        history.refresh(&state.timeline);
        println!(
            "subject history {label:<24} {:7.3} ms after {MORE} more SETs ({} new rows, only the new SETs read)",
            ms(started),
            history.rows().len() - had
        );
    }
    let started = Instant::now();
    let around = counts.of(&state.timeline, &head);
    println!(
        "incident story counts, {MORE} more SETs    {:7.3} ms  ({} before, {} after)",
        ms(started),
        around.before,
        around.after
    );
    memory("end");
}
