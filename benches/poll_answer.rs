//! What one oversized poll answer costs: `cargo bench --bench poll_answer`. A scripted poll
//! endpoint on 127.0.0.1 answers the first poll with `--sets` (400,000) tiny SETs in one body
//! (about 15.5 MB, as a transmitter that ignores `maxEvents` and sends its backlog), later polls
//! with nothing. Printed: the poller's resident-memory peak over its start while it takes that
//! answer, and how long until it polls again; then the same body read by `poll_answer::parse_at_most`
//! (what the poller does) and by `poll_answer::parse` (every SET, as before the cap), each with
//! its peak. Asserts nothing: a benchmark, not a test.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::routing::post;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::poll_answer;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::verify::KeySet;
use ssf_inspector::runtime::receiver::auth::Auth;
use ssf_inspector::runtime::receiver::exchange_log::ExchangeLog;
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::poll::{MAX_SETS_PER_ANSWER, Poller};
use ssf_inspector::runtime::receiver::session::SessionDeps;
use ssf_inspector::runtime::record::RecordStore;
use tokio_util::sync::CancellationToken;

mod common;

fn resident_bytes() -> u64 {
    common::measure::rss_bytes() as u64
}

/// The resident-memory peak while `work` runs, over what was resident before, sampled every
/// millisecond.
fn peak_during<T>(work: impl FnOnce() -> T) -> (T, u64) {
    let before = resident_bytes();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = Arc::clone(&done);
        std::thread::Builder::new()
            .name("rss-sampler".to_owned())
            .spawn(move || {
                let mut peak = 0;
                while !done.load(Ordering::Relaxed) {
                    peak = peak.max(resident_bytes());
                    std::thread::sleep(Duration::from_millis(1));
                }
                peak.max(resident_bytes())
            })
            .unwrap()
    };
    let out = work();
    done.store(true, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    (out, peak.saturating_sub(before))
}

fn body(sets: usize) -> Vec<u8> {
    let mut out = String::with_capacity(sets * 40);
    out.push_str(r#"{"sets":{"#);
    for n in 0..sets {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#""jti-{n:07}":"a.b.{n}""#));
    }
    out.push_str(r#"},"moreAvailable":false}"#);
    out.into_bytes()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sets: usize = args
        .iter()
        .position(|a| a == "--sets")
        .and_then(|at| args.get(at + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if args.iter().any(|a| a == "--bench") {
            400_000
        } else {
            20_000
        });
    let answer = Arc::new(body(sets));
    println!(
        "one poll answer of {sets} SETs, {:.1} MB; at most {MAX_SETS_PER_ANSWER} taken from one",
        mb(answer.len() as u64)
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // The poller, end to end.
    let polls = Arc::new(AtomicUsize::new(0));
    let url = rt.block_on(async {
        let (polls, answer) = (Arc::clone(&polls), Arc::clone(&answer));
        let app = axum::Router::new().route(
            "/poll",
            post(move || {
                let first = polls.fetch_add(1, Ordering::SeqCst) == 0;
                let answer = Arc::clone(&answer);
                async move {
                    let body = if first {
                        answer.as_ref().clone()
                    } else {
                        br#"{"sets":{}}"#.to_vec()
                    };
                    ([("content-type", "application/json")], body)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/poll", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        url
    });
    let (taken, peak) = peak_during(|| {
        rt.block_on(async {
            let (updates, mut rx) = update_channel(no_wake());
            tokio::spawn(async move { while rx.recv().await.is_some() {} });
            let stream = StreamKey("oversized".to_owned());
            let poller = Poller {
                key: stream.clone(),
                endpoint: url,
                auth: Arc::new(Auth::None),
                keys: Arc::new(KeyCache::fixed(KeySet::default())),
                expect: Expectations::default(),
                deps: SessionDeps {
                    client: ssf_inspector::runtime::net::client_builder()
                        .build()
                        .unwrap(),
                    store: RecordStore::in_memory().await.unwrap(),
                    updates: updates.clone(),
                },
                log: ExchangeLog::new(
                    RecordStore::in_memory().await.unwrap(),
                    updates,
                    Some(stream),
                ),
                health: Arc::default(),
                interval: Duration::from_millis(50),
                own: None,
            };
            let cancel = CancellationToken::new();
            let started = Instant::now();
            let polling = tokio::spawn(poller.run(cancel.clone()));
            while polls.load(Ordering::SeqCst) < 2 && started.elapsed() < Duration::from_secs(120) {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let took = started.elapsed();
            cancel.cancel();
            polling.await.unwrap();
            took
        })
    });
    println!(
        "poller: first answer taken and polled again after {:.0} ms; resident peak +{:.1} MB",
        taken.as_secs_f64() * 1000.0,
        mb(peak)
    );

    let ((kept, left), peak) = peak_during(|| {
        let read = poll_answer::parse_at_most(&answer, MAX_SETS_PER_ANSWER).unwrap();
        (read.sets.len(), read.left_out)
    });
    println!(
        "parse_at_most: {kept} taken, {left} left out; resident peak +{:.1} MB",
        mb(peak)
    );
    let (all, peak) = peak_during(|| poll_answer::parse(&answer).unwrap().sets.len());
    println!(
        "parse (every SET): {all} taken; resident peak +{:.1} MB",
        mb(peak)
    );
}
