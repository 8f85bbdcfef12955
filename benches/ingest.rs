//! Ingest throughput on this machine: `cargo bench --bench ingest`. Prints figures; asserts
//! nothing (benchmarks are not tests). What it measures:
//! - `core::ingest::inspect` (decode + verify + name + subject + lint) per second, ES256 and
//!   RS256, on one thread and on two;
//! - `RecordStore::append` (SQLite, WAL, batched commits) per second, with 8 writers.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use serde_json::json;
use ssf_inspector::core::ingest::{self, Arrival, Expectations};
use ssf_inspector::core::record::{StreamKey, Transport};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::transmitter::keys::SigningKey;

/// How long each figure is measured: 2 s under `cargo bench` (which passes `--bench`), a short
/// smoke run otherwise (e.g. `cargo test --benches`), which checks the code still works.
fn run_time() -> Duration {
    if std::env::args().any(|a| a == "--bench") {
        Duration::from_secs(2)
    } else {
        Duration::from_millis(50)
    }
}

fn claims(n: usize) -> serde_json::Value {
    json!({
        "iss": "https://tr.example.com/", "aud": "https://rx.example.com/", "jti": format!("{n:032x}"),
        "iat": UnixMillis::now().as_secs(), "txn": "t",
        "sub_id": {"format": "complex", "user": {"format": "email", "email": "alice@example.com"}, "session": {"format": "opaque", "id": "s1"}},
        "events": {"https://schemas.openid.net/secevent/caep/event-type/session-revoked": {
            "initiating_entity": "policy", "reason_admin": {"en": "Landspeed policy violation"},
            "reason_user": {"en": "Access attempt from multiple regions.", "es-410": "Intento de acceso desde varias regiones."},
            "event_timestamp": UnixMillis::now().as_secs()}}
    })
}

/// Tokens signed by a key of `alg`, and the JWKS that verifies them.
fn tokens(alg: Algorithm, count: usize) -> (Vec<String>, KeySet) {
    let key = SigningKey::generate(alg).unwrap();
    let tokens = (0..count)
        .map(|n| key.sign_set(&claims(n)).unwrap())
        .collect();
    // The transmitter's public JWK, as its JWKS endpoint serves it.
    let keys = KeySet::from_jwks(&json!({"keys": [key.public_jwk()]})).unwrap();
    (tokens, keys)
}

fn inspect_rate(tokens: &[String], keys: &KeySet, threads: usize) -> f64 {
    let expect = Expectations {
        issuer: Some("https://tr.example.com/".to_owned()),
        audience: Some("https://rx.example.com/".to_owned()),
        ..Expectations::default()
    };
    let policy = AlgorithmPolicy::default();
    let run = run_time();
    let started = Instant::now();
    let total: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (expect, policy) = (&expect, &policy);
                std::thread::Builder::new()
                    .name(format!("bench-{t}"))
                    .spawn_scoped(scope, move || {
                        let mut done = 0_usize;
                        while started.elapsed() < run {
                            let token = &tokens[(done * threads + t) % tokens.len()];
                            let arrival = Arrival {
                                stream: StreamKey("bench".to_owned()),
                                transport: Transport::Push,
                                received_at: UnixMillis::now(),
                            };
                            let record =
                                ingest::inspect(token.clone(), arrival, keys, policy, expect);
                            assert!(
                                record.verification.verdict.is_valid(),
                                "{}",
                                record.verification.detail
                            );
                            done += 1;
                        }
                        done
                    })
                    .unwrap()
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    total as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let smoke = run_time() < Duration::from_secs(1);
    println!(
        "ssf-inspector ingest benchmark ({} ms per figure, {} CPUs){}",
        run_time().as_millis(),
        std::thread::available_parallelism().map_or(1, usize::from),
        if smoke {
            ": smoke run, `cargo bench --bench ingest` for figures"
        } else {
            ""
        }
    );
    println!("{:<44} {:>12}", "stage", "per second");
    for alg in [Algorithm::ES256, Algorithm::RS256] {
        let (tokens, keys) = tokens(alg, 512);
        for threads in [1, 2] {
            let rate = inspect_rate(&tokens, &keys, threads);
            println!(
                "{:<44} {:>12.0}",
                format!("inspect {alg:?} (decode+verify+lint), {threads} thread(s)"),
                rate
            );
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (tokens, keys) = tokens(Algorithm::ES256, 512);
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-record");
        std::fs::remove_dir_all(&dir).ok();
        let (store, _) = RecordStore::open(&dir.join("record.sqlite3"))
            .await
            .unwrap();
        let expect = Expectations::default();
        let count = if run_time() < Duration::from_secs(1) {
            400
        } else {
            20_000
        };
        let records: Vec<_> = (0..count)
            .map(|n| {
                let arrival = Arrival {
                    stream: StreamKey("bench".to_owned()),
                    transport: Transport::Push,
                    received_at: UnixMillis::now(),
                };
                ingest::inspect(
                    tokens[n % tokens.len()].clone(),
                    arrival,
                    &keys,
                    &AlgorithmPolicy::default(),
                    &expect,
                )
            })
            .collect();
        let started = Instant::now();
        let mut writers = Vec::new();
        for chunk in records.chunks(2500) {
            let (store, chunk) = (store.clone(), chunk.to_vec());
            writers.push(tokio::spawn(async move {
                for record in chunk {
                    store.append(record).await.unwrap();
                }
            }));
        }
        for writer in writers {
            writer.await.unwrap();
        }
        let rate = records.len() as f64 / started.elapsed().as_secs_f64();
        println!(
            "{:<44} {:>12.0}",
            "RecordStore::append to SQLite, 8 writers", rate
        );
        store.close().await.unwrap();
    });
}
