//! `ssf-inspector export --record FILE [--filter F] [--since T] [--until T] [--incident ID]
//! --out DIR|FILE.zip`: an evidence bundle (`core::bundle`) of a record, of what a filter
//! matches within a span, or of one incident, written as a new folder or a `.zip`; the record
//! is read without its lock. Exit 0 when written, 2 when it could not be (an unknown incident
//! says which the record holds).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::core::bundle::selection;
use crate::core::filter::{Filter, instant};
use crate::core::time::UnixMillis;
use crate::runtime::bundle::{BundleSource, incidents, is_zip, write};

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The record to read (the window's is record.sqlite3 in its data folder).
    #[arg(long, value_name = "FILE")]
    pub record: PathBuf,
    /// Keep only the SETs this filter matches (the window's filter language).
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// Keep only what happened from this time on (as `after:` takes it: 2026-11-23T09:00:00Z,
    /// 2026-11-23, -2h).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Keep only what happened before this time (as `before:` takes it).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Keep one incident: RUN-ID (or the alert id alone when one run has it); the stop, the
    /// alerts folded under it, and its stream from 10 minutes before it to its end. An id the
    /// record does not hold lists the ones it does.
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// Where to write: a new (or empty) folder, or a new file ending in .zip.
    #[arg(long, value_name = "DIR|FILE.zip")]
    pub out: PathBuf,
}

/// Run `export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let now = UnixMillis::now();
    let filter = match &args.filter {
        Some(text) => Some(
            Filter::parse(text).map_err(|err| anyhow::anyhow!("the filter \"{text}\": {err}"))?,
        ),
        None => None,
    };
    let bound = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| instant(t, now).map_err(|err| anyhow::anyhow!("--{flag}: {err}")))
            .transpose()
    };
    let since = bound("since", &args.since)?;
    let until = bound("until", &args.until)?;
    anyhow::ensure!(
        args.record.is_file(),
        "{} is not a record file",
        args.record.display()
    );
    let all = match &args.incident {
        Some(_) => incidents(&args.record)?,
        None => Default::default(),
    };
    let incident = match &args.incident {
        Some(text) => Some(all.pick(text).map_err(|err| anyhow::anyhow!("{err}"))?),
        None => None,
    };
    let mut scope = incident.map(|i| i.scope()).unwrap_or_default();
    scope.from = scope.from.max(since);
    scope.until = match (scope.until, until) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let profiles = super::capture::user_profiles();
    let source = BundleSource {
        record: &args.record,
        filter: filter.as_ref().zip(args.filter.as_deref()),
        scope,
        selection: selection(args.filter.as_deref(), since, until, incident),
        profiles: &profiles,
        saved_by: "ssf-inspector export",
    };
    let bundled = write(&source, &args.out)?;
    let w = bundled.written;
    eprintln!(
        "wrote the bundle {}{}: {}; {} files in MANIFEST.sha256",
        args.out.display(),
        if is_zip(&args.out) { "" } else { "/" },
        w.words(),
        bundled.files.len()
    );
    Ok(ExitCode::SUCCESS)
}
