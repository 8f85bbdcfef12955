//! The whole push path under load on this machine: `cargo bench --bench push_ingest` (add
//! `-- --seconds 60` for the 60 s runs). A load generator in this process pushes
//! distinct pre-signed SETs over 48 keep-alive connections to the receiver's push endpoint on
//! 127.0.0.1 (verification, lint, durable SQLite record, the UI channel drained), and prints
//! SETs/s, latency percentiles and every answer that was not 202. For the ratio it also prints
//! the same load against an endpoint that answers 202 and does nothing, and the bare `inspect`
//! rate. Generator and receiver share the machine's cores, as the measurement did.
//! Asserts nothing: a benchmark, not a test.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use parking_lot::Mutex;
use serde_json::json;
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::verify::KeySet;

mod common;

use common::{CONNECTIONS, push, receiver, tokens};

/// Seconds per load run: `--seconds N`, else 10 under `cargo bench`, else a short smoke run.
fn seconds() -> f64 {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--seconds") {
        return args
            .get(at + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(10.0);
    }
    if args.iter().any(|a| a == "--bench") {
        10.0
    } else {
        0.3
    }
}

/// What one load run saw.
struct Run {
    sent: usize,
    not_202: Vec<(u16, String)>,
    latencies_us: Vec<u32>,
    elapsed: Duration,
}

impl Run {
    fn percentile(&mut self, p: f64) -> f64 {
        self.latencies_us.sort_unstable();
        let at = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us.get(at).copied().unwrap_or(0)) / 1000.0
    }

    fn print(&mut self, what: &str) {
        let rate = self.sent as f64 / self.elapsed.as_secs_f64();
        let (p50, p99) = (self.percentile(0.50), self.percentile(0.99));
        println!(
            "{what:<52} {rate:>9.0}/s  p50 {p50:>6.2} ms  p99 {p99:>6.2} ms  not 202: {}",
            self.not_202.len()
        );
        for (status, body) in self.not_202.iter().take(3) {
            println!("    e.g. {status}: {body}");
        }
    }
}

/// Push the tokens over [`CONNECTIONS`] keep-alive connections for `seconds`.
async fn load(url: String, tokens: Arc<Vec<String>>, seconds: f64) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let not_202 = Arc::new(Mutex::new(Vec::new()));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url, tokens) = (client.clone(), url.clone(), Arc::clone(&tokens));
        let (next, not_202) = (Arc::clone(&next), Arc::clone(&not_202));
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let token = tokens[n % tokens.len()].clone();
                let sent_at = Instant::now();
                let answer = push(&client, &url, token).await;
                latencies.push(u32::try_from(sent_at.elapsed().as_micros()).unwrap_or(u32::MAX));
                if let Err(refused) = answer {
                    not_202.lock().push(refused);
                }
            }
            latencies
        }));
    }
    let mut latencies_us = Vec::new();
    for worker in workers {
        latencies_us.extend(worker.await.unwrap());
    }
    let elapsed = started.elapsed();
    let not_202 = std::mem::take(&mut *not_202.lock());
    Run {
        sent: latencies_us.len(),
        not_202,
        latencies_us,
        elapsed,
    }
}

/// The UI's side of the channel: drained as the window's logic would, nothing kept.
fn drain(mut rx: tokio::sync::mpsc::Receiver<ssf_inspector::core::update::Update>) {
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
}

/// An endpoint that answers 202 and does nothing: the HTTP cost alone.
async fn http_only() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/push",
        axum::routing::post(|_body: axum::body::Bytes| async { axum::http::StatusCode::ACCEPTED }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/push")
}

fn inspect_rate(tokens: &[String], keys: &KeySet, window: Duration) -> f64 {
    let (done, took) = common::bare_inspect(tokens, keys, &Expectations::default(), window);
    done as f64 / took.as_secs_f64()
}

fn main() {
    let seconds = seconds();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "ssf-inspector push ingest benchmark: {seconds} s per run, {CONNECTIONS} connections, {cpus} CPUs"
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for alg in [Algorithm::ES256, Algorithm::RS256] {
        // Enough distinct tokens for ~30k/s over the run (they wrap round beyond that). RSA
        // signing is slow (~1.3k/s here), so RS256 gets at most 40,000: copies are still
        // verified and stored (flagged redelivered), so the work per push is the same.
        let cap = if alg == Algorithm::RS256 {
            40_000
        } else {
            2_000_000
        };
        let count = ((seconds * 30_000.0) as usize).clamp(2_000, cap);
        let signed_at = Instant::now();
        let (tokens, keys, _key) = tokens(alg, count);
        println!(
            "{alg:?}: {count} distinct SETs signed in {:.1} s",
            signed_at.elapsed().as_secs_f64()
        );
        let bare = inspect_rate(&tokens, &keys, Duration::from_secs_f64(seconds.min(3.0)));
        println!(
            "{:<52} {bare:>9.0}/s  (1 thread, no HTTP, no store)",
            format!("bare inspect {alg:?}")
        );
        let jwks = || KeySet::from_jwks(&json!({"keys": [_key.public_jwk()]})).unwrap();
        rt.block_on(async {
            let url = http_only().await;
            load(url, Arc::clone(&tokens), seconds)
                .await
                .print("HTTP only (202, no work)");
            let (url, store, cancel, rx) = receiver(alg, jwks(), false).await;
            drain(rx);
            load(url, Arc::clone(&tokens), seconds)
                .await
                .print(&format!("push {alg:?}: the same, SQLite in memory"));
            store.close().await.ok();
            cancel.cancel();
            let (url, store, cancel, rx) = receiver(alg, jwks(), true).await;
            drain(rx);
            let mut run = load(url, Arc::clone(&tokens), seconds).await;
            run.print(&format!("push {alg:?}: verify + lint + durable store + UI"));
            let stored = store.len();
            if stored > count {
                println!(
                    "    ({stored} stored; {} were copies of earlier tokens: the pool wrapped)",
                    stored - count
                );
            }
            store.close().await.ok();
            cancel.cancel();
        });
    }
}
