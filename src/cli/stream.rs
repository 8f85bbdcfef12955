//! `ssf-inspector stream status|config|verify|pause|enable|disable|delete|add-subject|
//! remove-subject --profile NAME`: one management call for scripts. The stream acted on is
//! `--stream ID`, else the profile's attached stream, else the receiver's own (found by its
//! description); every exchange goes through the exchange log, so nothing printed holds a
//! credential. Exit 0 when done, 1 when the transmitter refused, 2 for usage or profile errors.

use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgGroup, Args, Subcommand};
use serde_json::Value;

use super::stream_run::manage;
use crate::core::lint::{Finding, Level, subjects};
use crate::core::stream::StreamStatus;
use crate::core::stream_op::StreamOp;

/// Stream subcommands.
#[derive(Debug, Subcommand)]
pub enum StreamCommand {
    /// Read the stream's status at the transmitter.
    Status(Target),
    /// Read the stream's configuration (credentials redacted).
    Config(Target),
    /// Ask the transmitter for a verification SET.
    Verify(Target),
    /// Pause the stream: the transmitter holds its events.
    Pause(StatusArgs),
    /// Enable the stream.
    Enable(StatusArgs),
    /// Disable the stream: the transmitter drops its events.
    Disable(StatusArgs),
    /// Delete the stream at the transmitter (asks, or needs --yes).
    Delete(DeleteArgs),
    /// Add a subject to the stream.
    AddSubject(SubjectArgs),
    /// Remove a subject from the stream.
    RemoveSubject(SubjectArgs),
}

/// Which profile and stream, and how to print.
#[derive(Debug, Args)]
pub struct Target {
    /// The saved profile of the transmitter (see `profile add`).
    #[arg(long, value_name = "NAME")]
    pub profile: String,
    /// The stream's id at the transmitter (default: the profile's attached stream, else the
    /// receiver's own stream).
    #[arg(long, value_name = "ID")]
    pub stream: Option<String>,
    /// Print one JSON object (with the HTTP status and the answer) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `pause`, `enable` and `disable`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Which stream.
    #[command(flatten)]
    pub target: Target,
    /// The reason to give the transmitter.
    #[arg(long)]
    pub reason: Option<String>,
}

/// Options of `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Which stream.
    #[command(flatten)]
    pub target: Target,
    /// Delete without asking (needed when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

/// Options of `add-subject` and `remove-subject`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["subject", "email"])))]
pub struct SubjectArgs {
    /// Which stream.
    #[command(flatten)]
    pub target: Target,
    /// The Subject Identifier as JSON, e.g. '{"format":"email","email":"a@example.com"}'.
    #[arg(long, value_name = "JSON")]
    pub subject: Option<String>,
    /// Shorthand for an email subject.
    #[arg(long, value_name = "ADDR")]
    pub email: Option<String>,
}

impl SubjectArgs {
    /// The subject, checked with the subject rules: errors refuse it, warnings are told.
    fn subject(&self) -> anyhow::Result<Value> {
        let value = match (&self.subject, &self.email) {
            (Some(text), _) => serde_json::from_str(text)
                .map_err(|err| anyhow::anyhow!("--subject is not JSON: {err}"))?,
            (None, Some(email)) => serde_json::json!({"format": "email", "email": email}),
            (None, None) => anyhow::bail!("give the subject with --subject JSON or --email ADDR"),
        };
        let mut findings: Vec<Finding> = Vec::new();
        subjects::validate(&value, "subject", &mut findings);
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Level::Error)
            .map(|f| format!("{} ({})", f.message, f.reference))
            .collect();
        if !errors.is_empty() {
            anyhow::bail!("the subject is not valid: {}", errors.join("; "));
        }
        for warning in findings.iter().filter(|f| f.severity == Level::Warning) {
            eprintln!(
                "ssf-inspector: note: {} ({})",
                warning.message, warning.reference
            );
        }
        Ok(value)
    }
}

impl StreamCommand {
    /// The subcommand's name, its target and the operation.
    fn parts(&self) -> anyhow::Result<(&'static str, &Target, StreamOp)> {
        let status = |args: &StatusArgs, status| StreamOp::SetStatus {
            status,
            reason: args.reason.clone(),
        };
        Ok(match self {
            Self::Status(target) => ("status", target, StreamOp::ReadStatus),
            Self::Config(target) => ("config", target, StreamOp::ReadConfig),
            Self::Verify(target) => ("verify", target, StreamOp::RequestVerification),
            Self::Pause(args) => ("pause", &args.target, status(args, StreamStatus::Paused)),
            Self::Enable(args) => ("enable", &args.target, status(args, StreamStatus::Enabled)),
            Self::Disable(args) => (
                "disable",
                &args.target,
                status(args, StreamStatus::Disabled),
            ),
            Self::Delete(args) => ("delete", &args.target, StreamOp::Delete),
            Self::AddSubject(args) => (
                "add-subject",
                &args.target,
                StreamOp::AddSubject(args.subject()?),
            ),
            Self::RemoveSubject(args) => (
                "remove-subject",
                &args.target,
                StreamOp::RemoveSubject(args.subject()?),
            ),
        })
    }
}

/// Run one stream subcommand to completion.
pub fn run(command: &StreamCommand) -> anyhow::Result<ExitCode> {
    let (name, target, op) = command.parts()?;
    // `delete --yes`: deleted without asking.
    let confirmed = matches!(command, StreamCommand::Delete(args) if args.yes);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("ssf-stream")
        .enable_all()
        .build()?;
    let code = rt.block_on(manage(name, target, op, confirmed));
    rt.shutdown_timeout(Duration::from_secs(1));
    code
}
