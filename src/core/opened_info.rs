//! What the window says of a file opened beside the live streams: what kind of file it is,
//! what a capture's header says of it, and how far its SETs have been checked again with the
//! keys it carries. Plain values, told by the runtime in `Update::Opened`.

use std::collections::BTreeMap;

use super::verify::Verdict;

/// What was opened.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum OpenedKind {
    /// A capture file (JSON Lines).
    Capture,
    /// An evidence bundle (a folder or a zip holding a capture and its manifest).
    Bundle,
    /// A record file (SQLite), read without its lock: another instance may keep writing it.
    Record,
}

impl OpenedKind {
    /// The kind's name for the window.
    pub fn label(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::Bundle => "evidence bundle",
            Self::Record => "record",
        }
    }
}

/// An opened file as the window names it, and what its header says (a capture's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenedHeader {
    /// The file name (no folder), for the badge.
    pub name: String,
    /// The whole path, for the tooltip.
    pub path: String,
    /// What it is (`None` until known).
    pub kind: Option<OpenedKind>,
    /// When it was saved (RFC 3339), by what and which version: a capture's header.
    pub saved: Option<Saved>,
}

/// What a capture's header says of its making.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Saved {
    /// When (RFC 3339).
    pub at: String,
    /// By what (`ssf-inspector capture`, the window).
    pub by: String,
    /// The version that wrote it.
    pub app_version: String,
    /// The record it was read from (a file name).
    pub source: String,
    /// The filter that chose its SETs; `None`: the whole record.
    pub filter: Option<String>,
    /// How many profiles it describes.
    pub profiles: usize,
    /// How many key sets (JWKS snapshots) it carries.
    pub key_sets: usize,
}

/// The SETs of an opened file checked again with the key sets it carries (the verdict each
/// had when it was received is kept beside the one found now).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reverified {
    /// SETs checked so far.
    pub checked: usize,
    /// SETs to check.
    pub total: usize,
    /// Checked with the same verdict as at receipt.
    pub same: usize,
    /// No key set the file carries could check them (none fetched before them, none at all).
    pub no_keys: usize,
    /// Those whose verdict differs, or that no key set could check: seq → (at receipt, now;
    /// `None`: no key set the file carries is for its stream).
    pub differ: BTreeMap<u64, (Verdict, Option<Verdict>)>,
    /// The seq up to which SETs were checked (they are checked in seq order).
    pub through: Option<u64>,
    /// Every SET has been checked.
    pub done: bool,
    /// Why none can be checked, when none can (a record carries no key sets).
    pub unavailable: Option<String>,
}

impl Reverified {
    /// Take the runtime's latest part: its counts replace the last ones, its differing SETs
    /// (only those found since the last part) are added.
    pub fn merge(&mut self, part: Self) {
        let mut differ = std::mem::take(&mut self.differ);
        differ.extend(part.differ);
        *self = Self { differ, ..part };
    }

    /// What the check says of one SET, in words; `None` until it has been reached.
    pub fn of(&self, seq: u64, at_receipt: Verdict) -> Option<String> {
        if let Some(why) = &self.unavailable {
            return Some(format!("not checked again: {why}"));
        }
        match self.differ.get(&seq) {
            Some((_, Some(now))) => {
                return Some(format!(
                    "checked again with the file's keys: {} (when received: {})",
                    now.label(),
                    at_receipt.label()
                ));
            }
            Some((_, None)) => {
                return Some(
                    "not checked again: the file carries no key set for its stream".to_owned(),
                );
            }
            None => {}
        }
        let reached = self.done || self.through.is_some_and(|through| seq <= through);
        reached.then(|| {
            format!(
                "checked again with the file's keys: {} (as when received)",
                at_receipt.label()
            )
        })
    }
}

/// A bundle's `MANIFEST.sha256` checked against its files when it was opened: whether what a
/// colleague handed over is what the bundle held when it was made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManifestCheck {
    /// Files the manifest names.
    pub listed: usize,
    /// Named files whose SHA-256 is not the manifest's.
    pub changed: Vec<String>,
    /// Named files that are not there.
    pub missing: Vec<String>,
    /// Files there that the manifest does not name.
    pub unlisted: Vec<String>,
    /// Why it could not be checked at all (no manifest, unreadable), when it could not.
    pub unchecked: Option<String>,
}

impl ManifestCheck {
    /// Every named file is there unchanged, and nothing else is.
    pub fn holds(&self) -> bool {
        self.unchecked.is_none()
            && self.changed.is_empty()
            && self.missing.is_empty()
            && self.unlisted.is_empty()
    }

    /// What the check found, in a line.
    pub fn words(&self) -> String {
        if let Some(why) = &self.unchecked {
            return format!("Manifest not checked: {why}");
        }
        if self.holds() {
            return format!(
                "✔ Manifest: the {} file{} it names are as the bundle was made",
                self.listed,
                if self.listed == 1 { "" } else { "s" }
            );
        }
        let mut parts = Vec::new();
        if !self.changed.is_empty() {
            parts.push(format!(
                "changed since it was made: {}",
                self.changed.join(", ")
            ));
        }
        if !self.missing.is_empty() {
            parts.push(format!("missing: {}", self.missing.join(", ")));
        }
        if !self.unlisted.is_empty() {
            parts.push(format!("not in the manifest: {}", self.unlisted.join(", ")));
        }
        format!("⚠ Manifest does not hold: {}", parts.join("; "))
    }
}
