//! `ssf-inspector audit --profile NAME [--json] [--out FILE]`: the transmitter audit
//! (`runtime::audit`) of a profile's transmitter, headless. Prints the report as Markdown (or
//! JSON), writes it to FILE (0600) when asked. Exit 0 when no required check failed, 1 when
//! one did, 2 when the audit could not run (no such profile, a secret that cannot be resolved,
//! cancelled).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use tokio_util::sync::CancellationToken;

use crate::core::audit::render;
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::audit::{Target, run as audit};
use crate::runtime::profiles::{ProfileFiles, session_for};
use crate::runtime::record::RecordStore;

/// Options of `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The profile whose transmitter is audited (see `ssf-inspector profile list`).
    #[arg(long, value_name = "NAME")]
    pub profile: String,
    /// Print the report as JSON (its fields: see the README, "Audit a transmitter").
    #[arg(long)]
    pub json: bool,
    /// Also write the report (as printed) to this file, readable by its owner only.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Run `audit`.
pub fn run(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("ssf-audit")
        .enable_all()
        .build()?;
    let outcome = rt.block_on(audit_profile(args));
    rt.shutdown_timeout(Duration::from_secs(1));
    outcome
}

async fn audit_profile(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let files = ProfileFiles::user()?;
    let Some(profile) = files.load()?.into_iter().find(|p| p.name == args.profile) else {
        anyhow::bail!(
            "no profile named \"{}\" in {} (see `ssf-inspector profile list`)",
            args.profile,
            files.dir().display()
        );
    };
    // Resolving the profile registers its secrets, so none is printed or written.
    let (config, client) = session_for(&files, &profile, true)?;
    let target = Target {
        profile: profile.name.clone(),
        issuer: config.issuer.clone(),
        metadata_url: config.metadata_url.clone(),
        allow_insecure_http: config.allow_insecure_http,
    };
    // Exchanges are kept in memory (redacted); the window's record is left alone.
    let store = RecordStore::in_memory().await?;
    let cancel = CancellationToken::new();
    let on_interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
    let progress = |step: crate::runtime::audit::Progress| {
        tracing::debug!("audit {}/{}: {}", step.done, step.of, step.doing);
    };
    let audited = audit(
        store,
        &client,
        &target,
        &AlgorithmPolicy::default(),
        progress,
        &cancel,
    )
    .await?;
    let report = &audited.report;
    let text = if args.json {
        let mut text = serde_json::to_string_pretty(report)?;
        text.push('\n');
        text
    } else {
        render::markdown(report)
    };
    let text = crate::core::secrets::scrub(&text).into_owned();
    if let Some(path) = &args.out {
        let mut file = crate::runtime::private::create(path)?;
        file.write_all(text.as_bytes())?;
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(if report.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
