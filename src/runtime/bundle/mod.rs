//! Writing an evidence bundle (`core::bundle` has its layout) from a record on disk, read
//! without its lock: the capture first (`runtime::capture`, with the filter and scope asked
//! for), then, from the capture read back a line at a time, the exchanges, the findings, the
//! snapshots and the summary (each incident's story counted over the record's SETs), then the
//! manifest; for a `.zip`, the folder is made beside it, zipped and removed.

pub(crate) mod manifest;
pub mod save;
mod zipped;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::core::alerts::Alert;
use crate::core::bundle::incident::Incidents;
use crate::core::bundle::summary::Summary;
use crate::core::bundle::tally::Tally;
use crate::core::bundle::{CAPTURE, EXCHANGES, FINDINGS, SNAPSHOTS, SUMMARY, snapshot_file};
use crate::core::capture::{Item, Reader, Scope, lines};
use crate::core::filter::Filter;
use crate::core::incident_story::{has_story, story};
use crate::core::profile::Profile;
use crate::core::secrets::scrub;
use crate::core::timeline::Around;
use crate::runtime::capture::{CaptureSource, Written};
use crate::runtime::record::{capture_rows, query};

pub use manifest::sha256_hex;

/// What to put in a bundle and where from.
pub struct BundleSource<'a> {
    /// The record file.
    pub record: &'a Path,
    /// The filter and its text, when only the SETs it matches are kept.
    pub filter: Option<(&'a Filter, &'a str)>,
    /// The part of the record kept (a span, an incident's).
    pub scope: Scope,
    /// What was chosen, in words, for the summary.
    pub selection: String,
    /// The transmitter profiles, for the capture's header.
    pub profiles: &'a [Profile],
    /// Who makes it (`ssf-inspector export`, the window).
    pub saved_by: &'a str,
}

/// What a bundle holds.
#[derive(Clone, Debug)]
pub struct Bundled {
    /// Its capture, counted.
    pub written: Written,
    /// The files the manifest names.
    pub files: Vec<String>,
    /// The stories of its incidents, by name.
    pub stories: Vec<(String, String)>,
}

/// Whether `out` names a zip (`.zip`, any case) rather than a folder.
pub fn is_zip(out: &Path) -> bool {
    out.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// The incidents of a record (its stops with what is folded under each).
pub fn incidents(record: &Path) -> anyhow::Result<Incidents> {
    let mut alerts = Vec::new();
    capture_rows::each_alert(record, |session, alert| alerts.push((session, alert)))?;
    Ok(Incidents::from_alerts(alerts))
}

/// Write the bundle to `out`: a new folder (or one that is empty), or a new `.zip`. Refuses a
/// folder that holds anything and a zip that exists. Blocking.
pub fn write(source: &BundleSource<'_>, out: &Path) -> anyhow::Result<Bundled> {
    if is_zip(out) {
        anyhow::ensure!(
            !out.exists(),
            "{} exists already: a bundle is written to a new file",
            out.display()
        );
        let name = out
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let parent = out.parent().unwrap_or(Path::new("."));
        if !parent.as_os_str().is_empty() {
            crate::runtime::private::folder(parent)?;
        }
        let staging = parent.join(format!(".{name}.partial"));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot remove {}", staging.display()))?;
        }
        let bundled = write_folder(source, &staging).and_then(|bundled| {
            let mut files = bundled.files.clone();
            files.push(crate::core::bundle::MANIFEST.to_owned());
            zipped::write(&staging, &files, out)?;
            Ok(bundled)
        });
        std::fs::remove_dir_all(&staging).ok();
        if bundled.is_err() {
            std::fs::remove_file(out).ok();
        }
        return bundled;
    }
    if out.exists() {
        anyhow::ensure!(
            out.is_dir(),
            "{} is a file: a bundle is a new folder, or a file ending in .zip",
            out.display()
        );
        let mut entries =
            std::fs::read_dir(out).with_context(|| format!("cannot list {}", out.display()))?;
        anyhow::ensure!(
            entries.next().is_none(),
            "{} is not empty: a bundle is written into a new or an empty folder",
            out.display()
        );
    }
    write_folder(source, out)
}

fn write_folder(source: &BundleSource<'_>, folder: &Path) -> anyhow::Result<Bundled> {
    crate::runtime::private::folder(folder)?;
    let capture = folder.join(CAPTURE);
    let written = crate::runtime::capture::write(
        &CaptureSource {
            record: source.record,
            filter: source.filter,
            profiles: source.profiles,
            saved_by: source.saved_by,
            scope: source.scope.clone(),
            selection: (!source.scope.is_whole()).then_some(source.selection.as_str()),
        },
        &capture,
    )?;
    let file = std::fs::File::open(&capture)
        .with_context(|| format!("cannot read {}", capture.display()))?;
    let reader = Reader::open(std::io::BufReader::new(file))
        .with_context(|| format!("cannot read back {}", capture.display()))?;
    let header = reader.header().clone();
    let mut exchanges = Lines::create(&folder.join(EXCHANGES))?;
    let mut findings = Lines::create(&folder.join(FINDINGS))?;
    let mut tally = Tally::default();
    for item in reader {
        let item = item.map_err(|problem| {
            anyhow::anyhow!("the capture just written does not read back: {problem}")
        })?;
        match &item {
            Item::Exchange(exchange) => exchanges.put(&lines::exchange_line(exchange))?,
            Item::Set(record) if !record.findings.is_empty() => {
                let line = serde_json::json!({
                    "seq": record.seq,
                    "jti": record.jti,
                    "stream": record.stream.0,
                    "received_at": record.received_at.rfc3339(),
                    "event_types": record.events.iter().map(|e| e.uri.as_str()).collect::<Vec<_>>(),
                    "findings": record.findings,
                });
                findings.put(&line.to_string())?;
            }
            _ => {}
        }
        tally.take(&item);
    }
    exchanges.finish()?;
    findings.finish()?;
    if !header.snapshots.is_empty() {
        crate::runtime::private::folder(&folder.join(SNAPSHOTS))?;
    }
    for (index, snapshot) in header.snapshots.iter().enumerate() {
        let text = serde_json::to_string_pretty(snapshot).unwrap_or_default();
        put(&folder.join(snapshot_file(index, snapshot.kind)), &text)?;
    }
    let stories = stories(source.record, &tally)?;
    let summary = Summary {
        header: &header,
        selection: &source.selection,
        tally: &tally,
        stories: &stories,
    };
    put(&folder.join(SUMMARY), &summary.render())?;
    let files = manifest::write(folder)?;
    Ok(Bundled {
        written,
        files,
        stories,
    })
}

/// Each incident's story among the bundle's alerts: its SETs before and after the stop counted
/// over the whole record (one pass over its narrow `sets` table), its ending read from the
/// status changes the bundle holds.
fn stories(record: &Path, tally: &Tally) -> anyhow::Result<Vec<(String, String)>> {
    let heads: Vec<&(Option<u64>, Alert)> =
        tally.alerts.iter().filter(|(_, a)| has_story(a)).collect();
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let mut around = vec![Around::default(); heads.len()];
    query::each_summary(record, 4096, |part| {
        for set in &part {
            for ((_, head), count) in heads.iter().zip(around.iter_mut()) {
                if set.stream != head.stream {
                    continue;
                }
                let end = head.resolved_at.or(head.unwatched_at);
                if set.received_at <= head.first_seen {
                    count.before += 1;
                } else if end.is_none_or(|end| set.received_at < end) {
                    count.after += 1;
                }
            }
        }
        true
    })?;
    Ok(heads
        .iter()
        .zip(around)
        .map(|((session, head), sets)| {
            let folded = tally
                .alerts
                .iter()
                .filter(|(run, a)| run == session && a.folded_under == Some(head.id))
                .map(|(_, a)| a);
            let history: Vec<_> = tally
                .statuses
                .iter()
                .filter(|c| c.stream == head.stream)
                .filter_map(|c| c.entry())
                .collect();
            let name = match session {
                Some(run) => format!("{run}-{}", head.id),
                None => format!("alert {}", head.id),
            };
            (name, story(head, folded, history.iter(), sets, false))
        })
        .collect())
}

/// A text file of the bundle, scrubbed, written 0600.
fn put(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = crate::runtime::private::create(path)?;
    file.write_all(scrub(text).as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// A JSON Lines file of the bundle written a line at a time, each scrubbed.
struct Lines {
    path: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
}

impl Lines {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let file = crate::runtime::private::create(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            out: std::io::BufWriter::new(file),
        })
    }

    fn put(&mut self, line: &str) -> anyhow::Result<()> {
        writeln!(self.out, "{}", scrub(line))
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}
