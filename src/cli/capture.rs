//! `ssf-inspector capture --record FILE [--filter F] --out FILE.jsonl`: a capture file (the
//! unit a responder hands over, `core::capture`) of a whole record or of the SETs a filter
//! matches, read without the record's lock (a running instance may go on writing) and written
//! 0600 a line at a time. Exit 0 when written, 2 when it could not be.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::core::filter::Filter;
use crate::runtime::capture::{CaptureSource, register_profile_secrets, write};
use crate::runtime::profiles::ProfileFiles;

/// Options of `capture`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// The record to read (the window's is record.sqlite3 in its data folder).
    #[arg(long, value_name = "FILE")]
    pub record: PathBuf,
    /// Keep only the SETs this filter matches (the window's filter language); alerts, status
    /// changes and markers are kept whole, exchanges only those that carried or prove what is kept.
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// Where to write the capture (JSON Lines).
    #[arg(long, value_name = "FILE.jsonl")]
    pub out: PathBuf,
}

/// The user's profiles, their secrets registered to be scrubbed (the header names what was
/// watched; without a profiles folder it names nothing).
pub(crate) fn user_profiles() -> Vec<crate::core::profile::Profile> {
    match ProfileFiles::user() {
        Ok(files) => match files.load() {
            Ok(profiles) => {
                register_profile_secrets(&files, &profiles);
                profiles
            }
            Err(err) => {
                eprintln!("ssf-inspector: the profiles are left out: {err:#}");
                Vec::new()
            }
        },
        Err(_) => Vec::new(),
    }
}

/// Run `capture`.
pub fn run(args: &CaptureArgs) -> anyhow::Result<ExitCode> {
    let filter = match &args.filter {
        Some(text) => Some(
            Filter::parse(text).map_err(|err| anyhow::anyhow!("the filter \"{text}\": {err}"))?,
        ),
        None => None,
    };
    anyhow::ensure!(
        args.record.is_file(),
        "{} is not a record file",
        args.record.display()
    );
    let profiles = user_profiles();
    let source = CaptureSource {
        record: &args.record,
        filter: filter.as_ref().zip(args.filter.as_deref()),
        profiles: &profiles,
        saved_by: "ssf-inspector capture",
        scope: crate::core::capture::Scope::default(),
        selection: None,
    };
    let written = write(&source, &args.out)?;
    eprintln!("wrote {}: {}", args.out.display(), written.words());
    Ok(ExitCode::SUCCESS)
}
