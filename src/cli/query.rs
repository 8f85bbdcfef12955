//! `ssf-inspector query --record FILE [--json] FILTER…`: the SETs of a record or of a capture
//! file (told apart by their content) that a filter (the filter language, as in the window)
//! matches, in their order: one line each, or one JSON object per line. A record is read
//! without its lock, so a running instance may keep writing; a capture's lines that cannot be
//! read are told on standard error and skipped. Exit 0 when the query ran (matches or not), 2
//! when it could not.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use crate::core::capture::{Item, Reader};
use crate::core::filter::Filter;
use crate::core::record::SetRecord;
use crate::core::time::UnixMillis;

use crate::runtime::opened::is_record;

/// Call `each` with every SET of the capture `filter` matches, in file order, until it returns
/// false; lines that cannot be read are told on standard error. Returns how many SETs were read.
fn each_matching_in_capture(
    path: &std::path::Path,
    filter: &Filter,
    now: UnixMillis,
    mut each: impl FnMut(SetRecord) -> bool,
) -> anyhow::Result<u64> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = Reader::open(std::io::BufReader::new(file))
        .with_context(|| format!("{} is neither a record nor a capture", path.display()))?;
    let mut read = 0;
    for item in reader {
        match item {
            Ok(Item::Set(record)) => {
                read += 1;
                if filter.matches(record.as_ref(), now) && !each(*record) {
                    break;
                }
            }
            Ok(_) => {}
            Err(problem) => eprintln!("{}: {problem}", path.display()),
        }
    }
    Ok(read)
}

/// Options of `query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The record to read (the window's is record.sqlite3 in its data folder), or a capture
    /// file (`ssf-inspector capture`).
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
    let print = |record: SetRecord| {
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
    };
    let read = if is_record(&args.record)? {
        crate::runtime::record::query::each_matching(&args.record, &filter, now, print)?
    } else {
        each_matching_in_capture(&args.record, &filter, now, print)?
    };
    if broken.is_some() {
        // Standard output closed (piped into head): what was asked for was printed.
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{matched} of {read} SETs match");
    Ok(ExitCode::SUCCESS)
}
