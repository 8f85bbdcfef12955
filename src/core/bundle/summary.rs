//! A bundle's `SUMMARY.md`: what was watched (profiles, streams), from when to when, what was
//! chosen, each incident's story, the gaps in coverage the markers show, counts by event type,
//! verdict and subject, and what each file is. Plain words; every known secret scrubbed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::super::capture::Header;
use super::super::incident_story::{count, thousands};
use super::super::marker::{Marker, MarkerKind};
use super::super::secrets::scrub;
use super::super::time::UnixMillis;
use super::tally::Tally;

/// How many subjects the summary lists (the rest are counted).
pub const SUBJECTS_LISTED: usize = 50;

/// What the summary is made of.
pub struct Summary<'a> {
    /// The capture's header.
    pub header: &'a Header,
    /// What was chosen, in words (the whole record, a filter, a span, an incident).
    pub selection: &'a str,
    /// The capture's items, counted.
    pub tally: &'a Tally,
    /// Each incident's name and story, as `core::incident_story` tells it.
    pub stories: &'a [(String, String)],
}

/// A time without a gap: stream, from, to (`None`: not watched again within the bundle).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// The stream.
    pub stream: String,
    /// When watching ended.
    pub from: UnixMillis,
    /// How it ended (stopped, lost).
    pub kind: MarkerKind,
    /// When it was watched again, if it was.
    pub to: Option<UnixMillis>,
}

/// The gaps in coverage the markers show: from each stop or loss to the next start of the
/// same stream.
pub fn gaps(markers: &[Marker]) -> Vec<Gap> {
    let mut sorted: Vec<&Marker> = markers.iter().collect();
    sorted.sort_by_key(|m| m.at);
    let mut open: BTreeMap<&str, Gap> = BTreeMap::new();
    let mut gaps = Vec::new();
    for marker in sorted {
        let stream = marker.stream.0.as_str();
        if marker.kind.ends_coverage() {
            open.entry(stream).or_insert(Gap {
                stream: stream.to_owned(),
                from: marker.at,
                kind: marker.kind,
                to: None,
            });
        } else if let Some(mut gap) = open.remove(stream) {
            gap.to = Some(marker.at);
            gaps.push(gap);
        }
    }
    gaps.extend(open.into_values());
    gaps.sort_by(|a, b| a.from.cmp(&b.from).then(a.stream.cmp(&b.stream)));
    gaps
}

/// A text in a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

impl Summary<'_> {
    /// The Markdown text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let h = self.header;
        let t = self.tally;
        out.push_str("# Evidence bundle\n\n");
        let _ = writeln!(
            out,
            "Saved {} by {} (ssf-inspector {}) from the record `{}`.\n",
            h.saved_at, h.saved_by, h.app_version, h.source
        );
        let _ = writeln!(out, "What was chosen: {}.\n", self.selection);
        out.push_str("## What was watched\n\n");
        if h.profiles.is_empty() {
            out.push_str("- No transmitter profile was known where it was saved.\n");
        }
        for profile in &h.profiles {
            let text = |name: &str| profile.get(name).and_then(|v| v.as_str()).unwrap_or("?");
            let _ = writeln!(
                out,
                "- Profile `{}`: issuer {}",
                text("name"),
                text("issuer")
            );
        }
        if t.by_stream.is_empty() {
            out.push_str("- No SET of any stream.\n");
        }
        for (stream, count) in &t.by_stream {
            let _ = writeln!(
                out,
                "- Stream `{stream}`: {} SET{}",
                thousands(to_usize(*count)),
                if *count == 1 { "" } else { "s" }
            );
        }
        out.push_str("\n## From when to when\n\n");
        match (t.first, t.last) {
            (Some(first), Some(last)) => {
                let _ = writeln!(out, "From {} to {}.", first.rfc3339(), last.rfc3339());
            }
            _ => out.push_str("Nothing in it has a time: it is empty.\n"),
        }
        out.push_str("\n## Incidents\n\n");
        if self.stories.is_empty() {
            out.push_str("No stop of a stream is among its alerts.\n");
        }
        for (id, story) in self.stories {
            let _ = writeln!(out, "- Incident {id}: {story}.");
        }
        out.push_str("\n## Gaps in coverage\n\n");
        let gaps = gaps(&t.markers);
        if gaps.is_empty() {
            out.push_str("No gap: no marker in it says the receiver stopped watching.\n");
        }
        for gap in gaps {
            let how = match gap.kind {
                MarkerKind::Lost => "the receiver ended without stopping",
                _ => "the receiver stopped",
            };
            let _ = match gap.to {
                Some(to) => writeln!(
                    out,
                    "- Stream `{}` not watched from {} ({how}) to {}.",
                    gap.stream,
                    gap.from.rfc3339(),
                    to.rfc3339()
                ),
                None => writeln!(
                    out,
                    "- Stream `{}` not watched from {} ({how}) to the end of the bundle.",
                    gap.stream,
                    gap.from.rfc3339()
                ),
            };
        }
        self.counts(&mut out);
        out.push_str(FILES);
        scrub(&out).into_owned()
    }

    fn counts(&self, out: &mut String) {
        let t = self.tally;
        out.push_str("\n## Counts\n\n");
        let n = |n: u64, one: &str, many: &str| count(to_usize(n), one, many);
        let _ = writeln!(
            out,
            "{} ({} with lint findings), {}, {}, {}, {}.\n",
            n(t.sets, "SET", "SETs"),
            thousands(to_usize(t.with_findings)),
            n(t.alerts.len() as u64, "alert", "alerts"),
            n(t.statuses.len() as u64, "status change", "status changes"),
            n(t.markers.len() as u64, "marker", "markers"),
            n(t.exchanges, "exchange", "exchanges"),
        );
        if t.sets == 0 {
            return;
        }
        out.push_str("| Event type | SETs |\n| --- | ---: |\n");
        for (name, count) in &t.by_type {
            let _ = writeln!(out, "| {} | {} |", cell(name), thousands(to_usize(*count)));
        }
        out.push_str("\n| Verdict | SETs |\n| --- | ---: |\n");
        for (verdict, count) in &t.by_verdict {
            let _ = writeln!(out, "| {verdict} | {} |", thousands(to_usize(*count)));
        }
        out.push_str("\n| Subject | SETs |\n| --- | ---: |\n");
        let (subjects, others) = t.top_subjects(SUBJECTS_LISTED);
        for (subject, count) in subjects {
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(subject),
                thousands(to_usize(count))
            );
        }
        if others > 0 {
            let _ = writeln!(
                out,
                "\n{} other subjects are left out of this table.",
                thousands(others)
            );
        }
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

const FILES: &str = "
## Files

- `capture.jsonl`: the capture (a header line, then one line per SET, alert, status change, \
marker and exchange); open it in ssf-inspector, or read it with `jq`.
- `exchanges.jsonl`: the HTTP exchanges that carried and proved what it holds, credentials \
redacted.
- `findings.jsonl`: the lint findings, one line per SET that has any.
- `snapshots/`: the transmitter's metadata, signing keys (JWKS) and stream descriptions as \
fetched, each with the time it was fetched.
- `MANIFEST.sha256`: the SHA-256 of every other file; `sha256sum -c MANIFEST.sha256` in this \
folder proves none was changed.
";
