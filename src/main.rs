//! The `ssf-inspector` binary: parses the command line, then opens the window (default) or runs
//! a headless subcommand.

use std::process::ExitCode;
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use clap::Parser as _;
use ssf_inspector::app::{InspectorApp, TITLE};
use ssf_inspector::cli::{Cli, CliCommand, decode, profile, stream, transmitter, watch};
use ssf_inspector::runtime::transmitter::TransmitterOptions;

/// Every thread of the binary allocates from mimalloc: SETs are decoded on one thread and freed on
/// another, which glibc's malloc serves with arena locks and consolidation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ssf_inspector::app::mark_start();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,wgpu=warn,naga=warn,eframe=warn,egui_wgpu=warn")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(ssf_inspector::runtime::scrub_log::ScrubbedStderr)
        .init();
    let cli = Cli::parse();
    let demo = cli.demo.options();
    let outcome = match &cli.command {
        Some(CliCommand::Watch(args)) => watch::run(args, demo),
        Some(CliCommand::Decode(args)) => Ok(decode::run(args, decode::Mode::Decode)),
        Some(CliCommand::Lint(args)) => Ok(decode::run(args, decode::Mode::Lint)),
        Some(CliCommand::Query(args)) => ssf_inspector::cli::query::run(args),
        Some(CliCommand::Capture(args)) => ssf_inspector::cli::capture::run(args),
        Some(CliCommand::Export(args)) => ssf_inspector::cli::export::run(args),
        Some(CliCommand::Audit(args)) => ssf_inspector::cli::audit::run(args),
        Some(CliCommand::Transmitter(args)) => transmitter::run(args),
        Some(CliCommand::Profile(command)) => profile::run(command),
        Some(CliCommand::Stream(command)) => stream::run(command),
        None => run_gui(
            (!cli.no_demo).then_some(demo),
            cli.retention.retention(),
            cli.presenter,
            cli.open.clone(),
        )
        .map(|()| ExitCode::SUCCESS),
    };
    outcome.unwrap_or_else(|err| {
        eprintln!(
            "ssf-inspector: {}",
            ssf_inspector::core::secrets::scrub(&format!("{err:#}"))
        );
        ExitCode::from(2)
    })
}

fn run_gui(
    demo: Option<TransmitterOptions>,
    retention: ssf_inspector::core::retention::Retention,
    presenter: bool,
    open: Vec<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ssf-runtime")
        .enable_all()
        .build()?;
    let handle = rt.handle().clone();
    // The window's state sits beside the record (SSF_INSPECTOR_DATA_DIR moves both), made
    // private before eframe writes it; where it cannot be, the window keeps no state.
    let persistence_path = ssf_inspector::runtime::default_record_path()
        .and_then(|record| record.parent().map(std::path::Path::to_path_buf))
        .and_then(
            |dir| match ssf_inspector::runtime::private::window_state(&dir) {
                Ok(path) => Some(path),
                Err(err) => {
                    tracing::warn!("the window's state is not kept: {err:#}");
                    None
                }
            },
        );
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(TITLE)
            .with_app_id("ssf-inspector")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        persistence_path,
        ..Default::default()
    };
    let finished = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&finished);
    let result = eframe::run_native(
        TITLE,
        options,
        Box::new(move |cc| {
            // Ctrl+C or SIGTERM closes the window as its close button would: sessions stop and
            // the record gets its "receiver stopped" markers instead of a "lost" run.
            let ctx = cc.egui_ctx.clone();
            handle.spawn(async move {
                ssf_inspector::runtime::signals::termination().await;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                ctx.request_repaint();
            });
            let app = InspectorApp::new(cc, &handle, demo, retention, presenter, open);
            *slot.lock() = Some(app.runtime_finished());
            Ok(Box::new(app))
        }),
    );
    let finished = finished.lock().take();
    if let Some(finished) = finished {
        rt.block_on(async {
            // The sessions' undo may take up to its deadline against a slow transmitter.
            let within = ssf_inspector::runtime::SESSIONS_STOP_DEADLINE + Duration::from_secs(5);
            tokio::time::timeout(within, finished.finished().cancelled_owned())
                .await
                .ok();
        });
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    result.map_err(|err| anyhow::anyhow!("the window could not open: {err}"))
}
