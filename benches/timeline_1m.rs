//! The window's timeline with a million SETs held: `cargo bench --bench timeline_1m` (add
//! `-- --sets N` for another count). SETs are made as the record hands them back at reopen
//! (summaries: 12 event types, 20,000 subjects, unique jtis, a few findings, bad signatures and
//! refusals) and pushed one at a time into the window's state, so the resident memory that
//! grows is the timeline's own. Prints: bytes of resident memory per SET held (and the whole
//! process), the push rate, each filter change over all SETs, and the CPU side of a frame of
//! the whole window (layout and tessellation, no GPU) unfiltered and filtered, and one subject's
//! history found over all SETs. Asserts nothing.

use std::time::Instant;

#[path = "common/measure.rs"]
mod measure;

use measure::{arg, rss_bytes as rss};

use ssf_inspector::core::lint::Level;
use ssf_inspector::core::record::{StreamKey, Transport};
use ssf_inspector::core::set_summary::{Conclusions, SetSummary};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::verify::Verdict;
use ssf_inspector::ui::root_ui;
use ssf_inspector::ui::view::ViewState;

const EVENTS: [&str; 12] = [
    "https://schemas.openid.net/secevent/caep/event-type/session-revoked",
    "https://schemas.openid.net/secevent/caep/event-type/credential-change",
    "https://schemas.openid.net/secevent/caep/event-type/token-claims-change",
    "https://schemas.openid.net/secevent/caep/event-type/assurance-level-change",
    "https://schemas.openid.net/secevent/caep/event-type/device-compliance-change",
    "https://schemas.openid.net/secevent/risc/event-type/account-disabled",
    "https://schemas.openid.net/secevent/risc/event-type/account-enabled",
    "https://schemas.openid.net/secevent/risc/event-type/credential-compromise",
    "https://schemas.openid.net/secevent/risc/event-type/identifier-changed",
    "https://schemas.openid.net/secevent/risc/event-type/sessions-revoked",
    "https://schemas.openid.net/secevent/ssf/event-type/verification",
    "https://schemas.openid.net/secevent/ssf/event-type/stream-updated",
];
const STREAMS: [&str; 3] = ["okta-prod", "keycloak", "demo"];
const BASE: UnixMillis = UnixMillis(1_795_424_400_000);

/// The `i`th SET as the record gives it back.
fn summary(i: usize) -> SetSummary {
    let user = i.wrapping_mul(7919) % 20_000;
    let email = format!("user{user}@example.com");
    let findings = if i.is_multiple_of(10) {
        vec![("sub-id-required".to_owned(), Level::Warning)]
    } else {
        Vec::new()
    };
    let verdict = if i.is_multiple_of(100) {
        Verdict::BadSignature
    } else {
        Verdict::Valid
    };
    SetSummary {
        seq: i as u64 + 1,
        received_at: UnixMillis(BASE.0 + i as i64 * 3),
        stream: StreamKey(STREAMS[i % STREAMS.len()].to_owned()),
        transport: if i % 3 == 2 {
            Transport::Poll
        } else {
            Transport::Push
        },
        iss: Some(format!(
            "https://{}.example.com",
            STREAMS[i % STREAMS.len()]
        )),
        jti: Some(format!(
            "{:016x}-{i}",
            (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        )),
        verdict,
        verdict_detail: if verdict == Verdict::Valid {
            "verified with key k1 (ES256)".to_owned()
        } else {
            "the signature does not verify with key k1 (ES256)".to_owned()
        },
        redelivered: i.is_multiple_of(250),
        exchange: Some(i as u64 + 1),
        conclusions: Conclusions {
            events: vec![EVENTS[i % EVENTS.len()].to_owned()],
            subject: format!("email {email}"),
            subject_values: vec!["email".to_owned(), email],
            findings,
            rejection: (verdict != Verdict::Valid).then(|| "invalid_key".to_owned()),
            decoded: true,
        },
    }
}

/// One frame of the whole window, CPU side: egui's layout and the tessellation.
fn frame(ctx: &egui::Context, state: &InspectorState, view: &mut ViewState) -> f64 {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let started = Instant::now();
    let output = ctx.run_ui(input, |ui| {
        root_ui(ui, state, &Default::default(), view, BASE);
    });
    let _triangles = ctx.tessellate(output.shapes, output.pixels_per_point);
    started.elapsed().as_secs_f64() * 1000.0
}

fn frames(ctx: &egui::Context, state: &InspectorState, view: &mut ViewState, label: &str) {
    for _ in 0..5 {
        frame(ctx, state, view);
    }
    let mut times: Vec<f64> = (0..50).map(|_| frame(ctx, state, view)).collect();
    times.sort_by(f64::total_cmp);
    println!(
        "frame {label:<34} median {:6.2} ms   p95 {:6.2} ms   max {:6.2} ms",
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1]
    );
}

fn main() {
    let count = arg("--sets", 1e6) as usize;
    let mut state = InspectorState::default();
    let before = rss();
    let started = Instant::now();
    for i in 0..count {
        state.timeline.push_summary(&summary(i), BASE);
    }
    let pushed = started.elapsed().as_secs_f64();
    let after = rss();
    println!("{count} SETs held on the timeline");
    println!(
        "pushed in {pushed:.2} s ({:.0} SETs/s, as the window takes them at reopen)",
        count as f64 / pushed
    );
    println!(
        "resident memory: {:.0} bytes per SET held (timeline), whole process {:.1} MiB",
        (after - before) as f64 / count as f64,
        after as f64 / 1_048_576.0
    );
    let sizes = state.timeline.dictionary().sizes();
    println!(
        "dictionary: {} texts, {} event lists, {} subjects, {} finding lists",
        sizes[0], sizes[1], sizes[2], sizes[3]
    );

    for filter in [
        "type:session-revoked",
        "subject:user4242@example.com",
        "verdict:invalid or severity:error",
        "family:risc and not transport:poll",
        "after:2026-11-23T09:10:00Z before:2026-11-23T09:20:00Z",
        "keycloak",
        "",
    ] {
        let started = Instant::now();
        state.timeline.set_filter(filter, BASE);
        let took = started.elapsed().as_secs_f64() * 1000.0;
        let asked = state.timeline.take_unresolved().map_or(0, |u| u.seqs.len());
        println!(
            "filter change {:<56} {took:7.1} ms  {:>8} shown{}",
            format!("{filter:?}"),
            state.timeline.visible_sets(),
            if asked > 0 {
                format!(", {asked} asked of the record (claims)")
            } else {
                String::new()
            }
        );
    }

    // One subject's history, found again from the start (as when a subject is typed).
    for subject in ["email user4242@example.com", "user4242@example.com"] {
        let started = Instant::now();
        let mut history = ssf_inspector::core::subject_history::SubjectHistory::new(subject);
        history.refresh(&state.timeline);
        let took = started.elapsed().as_secs_f64() * 1000.0;
        println!(
            "subject history {:<54} {took:7.1} ms  {:>8} SETs",
            format!("{subject:?}"),
            history.rows().len()
        );
    }

    let ctx = egui::Context::default();
    let mut view = ViewState::default();
    frames(&ctx, &state, &mut view, "unfiltered, following the end");
    view.selected = Some(count as u64 / 2);
    view.scroll_to_selected = true;
    frames(&ctx, &state, &mut view, "unfiltered, a row in the middle");
    view.filter = "type:session-revoked".to_owned();
    state.timeline.set_filter(&view.filter, BASE);
    frames(&ctx, &state, &mut view, "filtered (type:session-revoked)");
}
