//! A record of a million SETs reopened: `cargo bench --bench record_1m` (add `-- --sets N`; the
//! record is built once in `target/bench-record-N/` from distinct signed, verified SETs and kept
//! for later runs; delete the folder to build it again). Prints: the time to open the record
//! and read back what every SET concluded (no SET decoded), the time for the window's state to
//! take those summaries, the resident memory per SET held afterwards, one SET read whole for
//! the details, the record's free-text check over every SET's claims, and `query` with a
//! filter over the whole record. Asserts nothing.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[path = "common/measure.rs"]
mod measure;

use measure::{arg, rss_bytes as rss};

use jsonwebtoken::Algorithm;
use serde_json::json;
use ssf_inspector::core::filter::Filter;
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::record::{StreamKey, Transport};
use ssf_inspector::core::retention::Retention;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};
use ssf_inspector::runtime::record::{RecordStore, query};
use ssf_inspector::runtime::transmitter::keys::SigningKey;

const EVENTS: [&str; 4] = [
    "https://schemas.openid.net/secevent/caep/event-type/session-revoked",
    "https://schemas.openid.net/secevent/caep/event-type/credential-change",
    "https://schemas.openid.net/secevent/risc/event-type/account-disabled",
    "https://schemas.openid.net/secevent/caep/event-type/assurance-level-change",
];

fn claims(n: usize) -> serde_json::Value {
    let reason = if n % 100_000 == 77 {
        "Impossible travel from Reykjavik"
    } else {
        "Landspeed policy violation"
    };
    json!({
        "iss": "https://tr.example.com/", "aud": "https://rx.example.com/", "jti": format!("{n:032x}"),
        "iat": 1_795_424_400 + n / 1000,
        "sub_id": {"format": "email", "email": format!("user{}@example.com", n % 20_000)},
        "events": {EVENTS[n % EVENTS.len()]: {
            "initiating_entity": "policy", "reason_admin": {"en": reason},
            "event_timestamp": 1_795_424_400 + n / 1000}}
    })
}

/// Build the record: distinct SETs signed and verified on both cores, stored as the push path
/// stores them (many appends in flight, so the writer batches its commits).
async fn build(path: &Path, count: usize) {
    let key = Arc::new(SigningKey::generate(Algorithm::ES256).unwrap());
    let jwks = json!({"keys": [key.public_jwk()]});
    let keys = Arc::new(KeySet::from_jwks(&jwks).unwrap());
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
                    let expect = Expectations {
                        issuer: Some("https://tr.example.com/".to_owned()),
                        audience: Some("https://rx.example.com/".to_owned()),
                        ..Expectations::default()
                    };
                    let policy = AlgorithmPolicy::default();
                    (start + half..end)
                        .step_by(2)
                        .map(|n| {
                            let token = key.sign_set(&claims(n)).unwrap();
                            let arrival = Arrival {
                                stream: StreamKey("bench".to_owned()),
                                transport: Transport::Push,
                                received_at: UnixMillis(1_795_424_400_000 + n as i64),
                            };
                            ingest::inspect(token, arrival, &keys, &policy, &expect)
                        })
                        .collect::<Vec<_>>()
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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let count = arg("--sets", 1e6) as usize;
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-record-{count}"));
    let path = folder.join("record.sqlite3");
    if !path.exists() {
        build(&path, count).await;
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "record of {count} SETs, {:.0} MiB on disk",
        bytes as f64 / 1_048_576.0
    );

    let before = rss();
    let started = Instant::now();
    let (store, reloaded) = RecordStore::open_kept(&path, Retention::default())
        .await
        .unwrap();
    let opened = started.elapsed().as_secs_f64();
    println!(
        "open (lock, session, history; {} SETs): {opened:.2} s",
        reloaded.count
    );
    // As the window reopens: parts of what the SETs concluded, taken by the state as they come.
    let started = Instant::now();
    let mut state = InspectorState::default();
    let mut first = None;
    store
        .each_summary(2048, |part| {
            for summary in &part {
                state.timeline.push_summary(summary, UnixMillis::now());
            }
            first.get_or_insert_with(|| started.elapsed().as_secs_f64() * 1000.0);
            true
        })
        .unwrap();
    println!(
        "every SET's conclusions read and taken by the window's state: {:.2} s (the first {} after {:.0} ms)",
        started.elapsed().as_secs_f64(),
        2048,
        first.unwrap_or(0.0)
    );
    println!(
        "resident memory: {:.0} bytes per SET held, whole process {:.0} MiB",
        rss().saturating_sub(before) as f64 / count as f64,
        rss() as f64 / 1_048_576.0
    );

    let started = Instant::now();
    let one = store.read_set(count as u64 / 2).unwrap().unwrap();
    println!(
        "one SET read whole (details): {:.2} ms ({})",
        started.elapsed().as_secs_f64() * 1000.0,
        one.title()
    );

    let filter = Filter::parse("reykjavik").unwrap();
    let seqs: Vec<u64> = (1..=count as u64).collect();
    let started = Instant::now();
    let mut matched = 0;
    let mut first_part = None;
    store
        .check_sets(&filter, UnixMillis::now(), &seqs, |answers| {
            first_part.get_or_insert_with(|| started.elapsed().as_secs_f64() * 1000.0);
            matched += answers.iter().filter(|(_, hit)| *hit).count();
            true
        })
        .unwrap();
    println!(
        "free text over every SET's claims (\"reykjavik\"): {:.2} s, first answers after {:.0} ms, {matched} match",
        started.elapsed().as_secs_f64(),
        first_part.unwrap_or(0.0)
    );

    for text in [
        "type:account-disabled subject:user4242@example.com",
        "reykjavik",
    ] {
        let filter = Filter::parse(text).unwrap();
        let started = Instant::now();
        let mut printed = 0;
        query::each_matching(&path, &filter, UnixMillis::now(), |_| {
            printed += 1;
            true
        })
        .unwrap();
        println!(
            "query {text:?}: {:.2} s, {printed} match",
            started.elapsed().as_secs_f64()
        );
    }
    store.close().await.unwrap();
}
