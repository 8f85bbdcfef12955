//! Command-line interface: the window by default, `watch` for the same runtime headless,
//! `profile` and `stream` for scripts.

pub mod audit;
pub mod capture;
pub mod decode;
mod decode_input;
pub mod export;
pub mod profile;
pub mod query;
pub mod stream;
mod stream_report;
mod stream_run;
pub mod transmitter;
pub mod watch;
mod watch_lines;

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::runtime::transmitter::TransmitterOptions;

/// Watch OpenID Shared Signals streams live; be told when a stream stops telling.
#[derive(Debug, Parser)]
#[command(
    name = "ssf-inspector",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to run; without one, the window opens on the built-in demo transmitter.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// How the built-in demo transmitter behaves.
    #[command(flatten)]
    pub demo: DemoArgs,
    /// Open the window without the built-in demo transmitter: only the profiles you start.
    #[arg(long)]
    pub no_demo: bool,
    /// Open the window in presenter mode: large type and state tiles, subjects masked
    /// (a•••@example.com). The View menu turns it off; the choice is remembered.
    #[arg(long)]
    pub presenter: bool,
    /// How much the window's record keeps.
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Captures, evidence bundles (their folder) or record files to open read-only in the
    /// window, beside the live streams.
    #[arg(value_name = "FILE")]
    pub open: Vec<std::path::PathBuf>,
}

/// The record's retention: what is outside it is pruned when the record is opened.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct RetentionArgs {
    /// Keep only what was received in the last DAYS days (the rest is pruned at start).
    #[arg(long, value_name = "DAYS")]
    pub keep_days: Option<u32>,
    /// Keep only the newest N SETs (the rest are pruned at start).
    #[arg(long, value_name = "N")]
    pub keep_sets: Option<u64>,
}

impl RetentionArgs {
    /// As the runtime takes it.
    pub fn retention(self) -> crate::core::retention::Retention {
        crate::core::retention::Retention {
            max_age_days: self.keep_days,
            max_sets: self.keep_sets,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Receive without a window and print every SET and alert; exit 4 at once when the stream
    /// cannot be set up (failed, or declined to harm no one's stream).
    Watch(WatchArgs),
    /// Decode SETs (token, claims object, JSON Lines): header, claims, verdict and findings.
    Decode(decode::DecodeArgs),
    /// Manage transmitter profiles (add, list, remove).
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// One stream management call for scripts (status, config, verify, pause, enable, disable,
    /// delete, add-subject, remove-subject); exit 1 when the transmitter refuses.
    #[command(subcommand)]
    Stream(stream::StreamCommand),
    /// Run the built-in SSF 1.0 transmitter as a server (push and poll, scenarios, control endpoint).
    Transmitter(transmitter::TransmitterArgs),
    /// Check SETs against the spec; exit 1 when any finding is an error, 2 when the input is unreadable.
    Lint(decode::DecodeArgs),
    /// Print the SETs of a record or a capture that a filter matches (the window's filter language).
    Query(query::QueryArgs),
    /// Write a capture file (JSON Lines, for `jq` and a colleague) of a record, whole or filtered.
    Capture(capture::CaptureArgs),
    /// Write an evidence bundle (a folder or a .zip: the capture, exchanges, findings,
    /// snapshots, SUMMARY.md and MANIFEST.sha256) of a record, an incident, a filter or a span.
    Export(export::ExportArgs),
    /// Audit a profile's transmitter: metadata, keys and error answers, each check with its
    /// evidence and spec section; exit 1 when a required check fails.
    Audit(audit::AuditArgs),
}

/// Options of `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Receive from the built-in demo transmitter.
    #[arg(long, conflicts_with = "profile")]
    pub demo: bool,
    /// Receive with a saved profile (see `profile add`); its stream is created if it has none.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Leave a stream this run created (or changed) as it is on exit, instead of undoing that.
    #[arg(long)]
    pub keep_stream: bool,
    /// Keep the SETs in this SQLite file (reloading the ones it holds) instead of in memory.
    #[arg(long, value_name = "FILE")]
    pub record: Option<std::path::PathBuf>,
    /// How much the record keeps.
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Print only the SETs this filter matches (the filter language, as in the window:
    /// `type:session-revoked and not verdict:valid`); alerts and stream changes are always printed.
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// Stop after this many seconds (runs until Ctrl-C when absent).
    #[arg(long)]
    pub seconds: Option<u64>,
    /// Print one JSON object per line instead of aligned text.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 3 as soon as a critical alert is raised (guard a stream from a script).
    #[arg(long)]
    pub exit_on_critical: bool,
}

/// Options of the built-in demo transmitter (valid before or after a subcommand).
#[derive(Debug, Args, Clone)]
pub struct DemoArgs {
    /// Milliseconds between two demo events.
    #[arg(long, global = true, default_value_t = 2000, value_name = "MS")]
    pub demo_interval_ms: u64,
    /// Seconds after which the demo disables its stream (0: never).
    #[arg(long, global = true, default_value_t = 30, value_name = "SECS")]
    pub demo_disable_after: u64,
    /// The demo stops without sending stream-updated (a transmitter that does not tell).
    #[arg(long, global = true)]
    pub demo_silent: bool,
    /// The demo transmitter bends the spec this way (repeatable; see `transmitter --quirk`).
    #[arg(long = "demo-quirk", global = true, value_name = "NAME", value_parser = transmitter::quirk_parser())]
    pub demo_quirks: Vec<crate::runtime::transmitter::Quirk>,
}

impl DemoArgs {
    /// The demo options these flags describe.
    pub fn options(&self) -> TransmitterOptions {
        TransmitterOptions {
            event_interval: Duration::from_millis(self.demo_interval_ms.max(10)),
            disable_after: (self.demo_disable_after > 0)
                .then(|| Duration::from_secs(self.demo_disable_after)),
            tells: !self.demo_silent,
            quirks: self.demo_quirks.iter().copied().collect(),
            ..TransmitterOptions::demo()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::{Cli, CliCommand};

    #[test]
    fn files_given_without_a_subcommand_are_opened_in_the_window() {
        let cli =
            Cli::try_parse_from(["ssf-inspector", "--no-demo", "a.jsonl", "b/record.sqlite3"])
                .expect("parses");
        assert!(cli.command.is_none() && cli.no_demo);
        assert_eq!(
            cli.open,
            [
                std::path::PathBuf::from("a.jsonl"),
                std::path::PathBuf::from("b/record.sqlite3")
            ]
        );
        let cli = Cli::try_parse_from(["ssf-inspector", "query", "--record", "r", "x"])
            .expect("a subcommand still parses");
        assert!(matches!(cli.command, Some(CliCommand::Query(_))) && cli.open.is_empty());
    }
}
