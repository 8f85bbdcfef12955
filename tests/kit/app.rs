//! The real app (`InspectorApp` with its runtime) under egui_kittest: a runtime to run it on,
//! frames until something holds, clicks through the accessibility tree, and a clean quit.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the kit"
)]

use std::time::{Duration, Instant};

use eframe::App as _;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ssf_inspector::app::{AppOptions, InspectorApp};
use ssf_inspector::runtime::Folders;
use ssf_inspector::runtime::transmitter::TransmitterOptions;

/// A runtime of one worker for the app (or a transmitter) of a test.
pub fn tokio_runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// How long a wait for a state may take before the test fails: generous, since it only stops a
/// test that fails; a passing one goes on as soon as the state holds (issue 22).
const GIVE_UP: Duration = Duration::from_secs(30);

/// Run frames until `done` holds (at most `within`, and never less than [`GIVE_UP`]; short
/// sleeps let the runtime work).
pub fn frames_until(
    harness: &mut Harness<'static, InspectorApp>,
    what: &str,
    within: Duration,
    done: impl Fn(&InspectorApp) -> bool,
) {
    let within = within.max(GIVE_UP);
    let deadline = Instant::now() + within;
    loop {
        harness.step();
        if done(harness.state()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {what} within {within:?}; latest notice: {:?}",
            harness.state().state().notice
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A few frames, so focus, clicks and typing take effect.
pub fn frames(harness: &mut Harness<'static, InspectorApp>, count: usize) {
    for _ in 0..count {
        harness.step();
    }
}

/// Click the labelled widget through the accessibility tree, as a screen reader would. A
/// pointer click aims at where the widget was drawn last frame, and here the streams panel
/// above the profiles grows while sessions answer, so under load a button can move down
/// between the frame that was read and the frame that takes the click.
pub fn click(harness: &mut Harness<'static, InspectorApp>, label: &str) {
    harness.get_by_label(label).click_accesskit();
    frames(harness, 2);
}

/// Quit the app as the window would (on_exit sends Shutdown), and wait until its runtime has
/// stopped every session and closed the record.
pub fn quit(mut harness: Harness<'static, InspectorApp>, rt: tokio::runtime::Runtime) {
    harness.state_mut().on_exit();
    drop(harness);
    let deadline = Instant::now() + GIVE_UP;
    while rt.metrics().num_alive_tasks() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} runtime tasks still alive {GIVE_UP:?} after quitting",
            rt.metrics().num_alive_tasks()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    rt.shutdown_timeout(Duration::from_secs(1));
}

/// The real app on `rt` with these folders, and the built-in transmitter when `demo` is given.
pub fn open(
    rt: &tokio::runtime::Runtime,
    folders: Folders,
    demo: Option<TransmitterOptions>,
) -> Harness<'static, InspectorApp> {
    let handle = rt.handle().clone();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_eframe(move |cc| {
            InspectorApp::with_options(
                cc,
                &handle,
                AppOptions {
                    demo,
                    folders,
                    ..AppOptions::default()
                },
            )
        })
}
