//! Evidence bundles (issue 24): a folder, or a `.zip` of one, that a responder hands over and
//! that proves itself. Its layout, for whoever opens one:
//!
//! ```text
//! capture.jsonl        a regular capture (core::capture): open it to open the bundle
//! exchanges.jsonl      the HTTP exchanges that carried and proved what it holds (redacted),
//!                      as the capture's exchange lines
//! findings.jsonl       one line per SET with lint findings: seq, jti, stream, time, events
//! snapshots/NN-KIND.json
//!                      each metadata, JWKS and stream-description snapshot of the header, as
//!                      fetched (KIND: metadata, jwks, stream)
//! SUMMARY.md           what it holds in plain words
//! MANIFEST.sha256      the SHA-256 of every other file, as `sha256sum -c MANIFEST.sha256`
//!                      checks it inside the folder (after unzipping, for a zip)
//! ```
//!
//! Every file is scrubbed of the known secrets as it is written; the folder and its files are
//! private (0700, 0600).

pub mod incident;
pub mod summary;
pub mod tally;

/// The bundle's main file, a capture.
pub const CAPTURE: &str = "capture.jsonl";
/// The exchanges, one line each.
pub const EXCHANGES: &str = "exchanges.jsonl";
/// The SETs' lint findings, one line per SET that has any.
pub const FINDINGS: &str = "findings.jsonl";
/// The folder of snapshots.
pub const SNAPSHOTS: &str = "snapshots";
/// The summary in plain words.
pub const SUMMARY: &str = "SUMMARY.md";
/// The manifest over every other file.
pub const MANIFEST: &str = "MANIFEST.sha256";

/// The manifest's lines read back: (hex digest, path) for each line `sha256sum` writes (text
/// mode, two spaces; binary mode, ` *`); `Err` names the first line that is neither.
pub fn manifest_entries(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            let parsed = line.split_once(' ').and_then(|(digest, rest)| {
                let path = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('*'))?;
                let hex = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
                (hex && !path.is_empty()).then(|| (digest.to_lowercase(), path.to_owned()))
            });
            parsed.ok_or_else(|| format!("line {} is not \"<sha-256>  <file>\"", number + 1))
        })
        .collect()
}

/// One line of the manifest, as `sha256sum` writes it in text mode: the hex digest, two
/// spaces, the path relative to the bundle's folder (`/` between folders).
pub fn manifest_line(hex_digest: &str, path: &str) -> String {
    format!("{hex_digest}  {path}\n")
}

/// A snapshot's file name in the bundle: numbered in the header's order, named by its kind.
pub fn snapshot_file(index: usize, kind: super::capture::SnapshotKind) -> String {
    let kind: &'static str = kind.into();
    format!("{SNAPSHOTS}/{:02}-{kind}.json", index + 1)
}

/// What a bundle holds, in words for its summary: an incident, the SETs a filter matches, a
/// span, or the whole record.
pub fn selection(
    filter: Option<&str>,
    from: Option<super::time::UnixMillis>,
    until: Option<super::time::UnixMillis>,
    incident: Option<&incident::Incident>,
) -> String {
    let mut parts = Vec::new();
    if let Some(incident) = incident {
        let end = incident.end().map_or_else(
            || "the end of the record (it is still in force)".to_owned(),
            |end| format!("its end at {}", end.rfc3339()),
        );
        let folded = match incident.folded.len() {
            0 => "nothing folded under it".to_owned(),
            n => format!(
                "{} folded under it",
                super::incident_story::count(n, "alert", "alerts")
            ),
        };
        parts.push(format!(
            "incident {} ({} on stream `{}`, {folded}), the stream's SETs, status changes and \
             markers from {} minutes before it to {end}",
            incident.id,
            incident.head.kind.title(),
            incident.head.stream.0,
            incident::MARGIN / 60_000,
        ));
    }
    if let Some(filter) = filter {
        parts.push(format!("the SETs the filter `{filter}` matches"));
    }
    match (from, until) {
        (Some(from), Some(until)) => {
            parts.push(format!("from {} until {}", from.rfc3339(), until.rfc3339()));
        }
        (Some(from), None) => parts.push(format!("from {}", from.rfc3339())),
        (None, Some(until)) => parts.push(format!("until {}", until.rfc3339())),
        (None, None) => {}
    }
    if parts.is_empty() {
        return "the whole record".to_owned();
    }
    parts.join("; ")
}
