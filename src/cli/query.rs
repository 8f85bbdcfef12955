//! `ssf-inspector query --record FILE [--json] FILTER…`: the SETs of a record that a filter
//! (the filter language, as in the window) matches, oldest first: one line each, or one JSON
//! object per line. The record is read without its lock, so a running instance may keep
//! writing. Exit 0 when the query ran (matches or not), 2 when it could not.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;

use crate::core::filter::Filter;
use crate::core::time::UnixMillis;

/// Options of `query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The record to read (the window's is record.sqlite3 in its data folder).
    #[arg(long, value_name = "FILE")]
    pub record: std::path::PathBuf,
    /// One JSON object per matching SET instead of a line of text.
    #[arg(long)]
    pub json: bool,
    /// The filter (several words are joined with spaces); none matches every SET.
    #[arg(
        value_name = "FILTER",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub filter: Vec<String>,
}

/// Run `query`.
pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let text = args.filter.join(" ");
    let filter =
        Filter::parse(&text).map_err(|err| anyhow::anyhow!("the filter \"{text}\": {err}"))?;
    let now = UnixMillis::now();
    let mut out = std::io::stdout().lock();
    let mut matched = 0_u64;
    let mut broken = None;
    let read =
        crate::runtime::record::query::each_matching(&args.record, &filter, now, |record| {
            matched += 1;
            let line = if args.json {
                record.json_line(false)
            } else {
                format!(
                    "#{:<6} {} UTC  {:<8} {:<28} {:<44} {}",
                    record.seq,
                    record.received_at.rfc3339(),
                    record.stream.0,
                    record.title(),
                    record.subject,
                    record.verification.verdict.label()
                )
            };
            match writeln!(out, "{line}") {
                Ok(()) => true,
                Err(err) => {
                    broken = Some(err);
                    false
                }
            }
        })?;
    if broken.is_some() {
        // Standard output closed (piped into head): what was asked for was printed.
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{matched} of {read} SETs match");
    Ok(ExitCode::SUCCESS)
}
