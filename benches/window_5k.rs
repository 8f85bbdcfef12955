//! The window receiving a steady push load: `cargo bench --bench window_5k` (add `-- --rate N
//! --seconds S`; default 5,000 SETs/s for 10 s). Distinct signed SETs are pushed at a fixed rate
//! over 48 keep-alive connections to the receiver's push endpoint on 127.0.0.1 (verification,
//! lint, durable record), while this thread runs the window as `App` does: each frame applies
//! updates for at most 10 ms, then lays out and tessellates the whole window (egui, no GPU),
//! paced at 60 frames a second. Prints every answer that was not 202, and the time from a SET's
//! arrival to the end of the first frame that shows it (the newest rows are in view).
//!
//! With `--headless` the UI side is `watch`'s instead (the same reducer, a timeline that counts
//! SETs without holding them, a durable record): the resident memory of the process is printed
//! every 30 s, e.g. `-- --headless --rate 2000 --seconds 600`. The token pool holds at most
//! 200,000 distinct SETs (later ones are copies, stored and flagged redelivered), allocated
//! before the first sample. Asserts nothing.
#![expect(clippy::unwrap_used, reason = "a benchmark binary fails loudly")]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::measure::arg;
use common::{CONNECTIONS, push, receiver, tokens};
use jsonwebtoken::Algorithm;
use parking_lot::Mutex;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::ui::root_ui;
use ssf_inspector::ui::view::ViewState;

const FRAME: Duration = Duration::from_micros(16_667);
const UPDATE_BUDGET: Duration = Duration::from_millis(10);

/// Push `tokens` at `rate` a second in all, spread over the connections, for `seconds`.
async fn paced_load(
    url: String,
    tokens: Arc<Vec<String>>,
    rate: f64,
    seconds: f64,
) -> (usize, Vec<(u16, String)>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .expect("client");
    let next = Arc::new(AtomicUsize::new(0));
    let not_202 = Arc::new(Mutex::new(Vec::new()));
    let every = Duration::from_secs_f64(CONNECTIONS as f64 / rate);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url, tokens) = (client.clone(), url.clone(), Arc::clone(&tokens));
        let (next, not_202) = (Arc::clone(&next), Arc::clone(&not_202));
        workers.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            let mut sent = 0;
            while Instant::now() < deadline {
                tick.tick().await;
                let n = next.fetch_add(1, Ordering::Relaxed);
                let token = tokens[n % tokens.len()].clone();
                sent += 1;
                if let Err(refused) = push(&client, &url, token).await {
                    not_202.lock().push(refused);
                }
            }
            sent
        }));
    }
    let mut sent = 0;
    for worker in workers {
        sent += worker.await.unwrap_or(0);
    }
    let not_202 = std::mem::take(&mut *not_202.lock());
    (sent, not_202)
}

fn frame(ctx: &egui::Context, state: &InspectorState, view: &mut ViewState) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let output = ctx.run_ui(input, |ui| {
        root_ui(ui, state, &Default::default(), view, UnixMillis::now());
    });
    let _triangles = ctx.tessellate(output.shapes, output.pixels_per_point);
}

/// Resident memory of this process, MiB.
fn rss_mib() -> f64 {
    common::measure::rss_bytes() as f64 / 1_048_576.0
}

/// `watch`'s side: every update applied to a state whose timeline only counts SETs.
fn headless(rx: &mut tokio::sync::mpsc::Receiver<Update>, seconds: f64) {
    let mut state = InspectorState::default();
    state.timeline = ssf_inspector::core::timeline::Timeline::counting();
    let started = Instant::now();
    let mut next_sample = Duration::ZERO;
    println!(
        "headless (watch's reducer) at the start: {:.0} MiB resident",
        rss_mib()
    );
    while started.elapsed() < Duration::from_secs_f64(seconds + 1.0) {
        while let Ok(update) = rx.try_recv() {
            let _effects = state.apply(update, UnixMillis::now());
        }
        if started.elapsed() >= next_sample {
            println!(
                "  {:>4.0} s: {:>8} SETs taken, {:.0} MiB resident",
                started.elapsed().as_secs_f64(),
                state.timeline.len(),
                rss_mib()
            );
            next_sample += Duration::from_secs(30);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or(0)
}

fn main() {
    let under_bench = std::env::args().any(|a| a == "--bench");
    let rate = arg("--rate", 5000.0);
    let seconds = arg("--seconds", if under_bench { 10.0 } else { 1.0 });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let count = ((rate * seconds) as usize + CONNECTIONS).min(200_000);
    let (tokens, _keys, key) = tokens(Algorithm::ES256, count);
    let jwks = serde_json::json!({"keys": [key.public_jwk()]});
    let keys = ssf_inspector::core::verify::KeySet::from_jwks(&jwks).expect("keys");
    let (url, store, cancel, mut rx) = rt.block_on(receiver(Algorithm::ES256, keys, true));
    let load = rt.spawn(paced_load(url, tokens, rate, seconds));
    if std::env::args().any(|a| a == "--headless") {
        headless(&mut rx, seconds);
        let (sent, not_202) = rt.block_on(async { load.await.unwrap_or_default() });
        println!(
            "pushed {sent} ({:.0}/s), not 202: {}, stored: {}",
            sent as f64 / seconds,
            not_202.len(),
            store.len()
        );
        rt.block_on(async { store.close().await.ok() });
        cancel.cancel();
        return;
    }

    let ctx = egui::Context::default();
    let mut state = InspectorState::default();
    let mut view = ViewState::default();
    let mut latencies = Vec::new();
    let mut frame_cpu = Vec::new();
    let end = Instant::now() + Duration::from_secs_f64(seconds + 1.0);
    while Instant::now() < end {
        let started = Instant::now();
        let mut arrived = Vec::new();
        while let Ok(update) = rx.try_recv() {
            if let Update::Set(record) = &update {
                arrived.push(record.received_at);
            }
            state.apply(update, UnixMillis::now());
            if started.elapsed() > UPDATE_BUDGET {
                break;
            }
        }
        state.timeline.set_filter(&view.filter, UnixMillis::now());
        frame(&ctx, &state, &mut view);
        let shown = UnixMillis::now();
        latencies.extend(arrived.iter().map(|at| shown.0 - at.0));
        let took = started.elapsed();
        frame_cpu.push(took.as_secs_f64() * 1000.0);
        std::thread::sleep(FRAME.saturating_sub(took));
    }
    let (sent, not_202) = rt.block_on(async { load.await.unwrap_or_default() });
    rt.block_on(async {
        store.close().await.ok();
    });
    cancel.cancel();
    latencies.sort_unstable();
    frame_cpu.sort_by(f64::total_cmp);
    println!(
        "window under a push load of {rate:.0} SETs/s for {seconds} s (ES256, durable record)"
    );
    println!(
        "pushed {sent} ({:.0}/s), not 202: {}, on the timeline: {}",
        sent as f64 / seconds,
        not_202.len(),
        state.timeline.len()
    );
    for (status, body) in not_202.iter().take(3) {
        println!("    e.g. {status}: {body}");
    }
    println!(
        "arrival -> row shown: p50 {} ms, p99 {} ms, max {} ms ({} SETs)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0),
        latencies.len()
    );
    println!(
        "frame CPU (updates + layout + tessellation): median {:.2} ms, p99 {:.2} ms, {} frames",
        frame_cpu.get(frame_cpu.len() / 2).copied().unwrap_or(0.0),
        frame_cpu
            .get(frame_cpu.len() * 99 / 100)
            .copied()
            .unwrap_or(0.0),
        frame_cpu.len()
    );
}
