//! The journal of the receiver's own actions (`own-actions.jsonl` beside the profiles, 0600):
//! each process appends what it asks of a transmitter before asking and how it ended after,
//! and every session reads what other processes did on its stream. Bounded: past
//! [`KEPT_BYTES`] the newest half is kept.

use std::io::{BufRead as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use parking_lot::Mutex;

use crate::core::own_action::{OwnAction, OwnActionEntry, Phase};
use crate::core::record::StreamKey;
use crate::core::time::UnixMillis;

const FILE: &str = "own-actions.jsonl";
/// Past this size the journal keeps its newest half.
const KEPT_BYTES: u64 = 256 * 1024;

/// The journal of one config folder.
#[derive(Clone, Debug)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Kept in `dir` (the profiles' folder).
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join(FILE),
        }
    }

    /// Append one entry (a failure is logged, never fatal: the journal only spares false alerts).
    pub fn append(&self, entry: &OwnActionEntry) {
        if let Err(err) = self.try_append(entry) {
            tracing::warn!(
                "the own-actions journal {} could not be written: {err:#}",
                self.path.display()
            );
        }
    }

    fn try_append(&self, entry: &OwnActionEntry) -> anyhow::Result<()> {
        if let Some(dir) = self.path.parent() {
            crate::runtime::private::folder(dir)?;
        }
        crate::runtime::private::file(&self.path)?;
        if std::fs::metadata(&self.path)?.len() > KEPT_BYTES {
            self.keep_newest_half()?;
        }
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new().append(true).open(&self.path)?;
        file.write_all(line.as_bytes())?;
        Ok(())
    }

    fn keep_newest_half(&self) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(&self.path)?;
        let lines: Vec<&str> = text.lines().collect();
        let kept = lines[lines.len() / 2..].join("\n");
        crate::runtime::profiles::write_atomically(&self.path, format!("{kept}\n").as_bytes())
    }

    /// Write an action about to be sent; the returned handle writes how it ended.
    pub fn asked(&self, profile: &str, stream_id: &str, action: OwnAction, by: &str) -> Asked {
        let entry = OwnActionEntry {
            profile: profile.to_owned(),
            stream_id: stream_id.to_owned(),
            action,
            phase: Phase::Asked,
            by: by.to_owned(),
            pid: std::process::id(),
            at: UnixMillis::now(),
        };
        self.append(&entry);
        Asked {
            journal: self.clone(),
            entry,
        }
    }
}

/// An action written as asked: say how it ended.
pub struct Asked {
    journal: Journal,
    entry: OwnActionEntry,
}

impl Asked {
    /// The transmitter accepted it (`true`) or not.
    pub fn ended(mut self, done: bool) {
        self.entry.phase = if done { Phase::Done } else { Phase::Failed };
        self.entry.at = UnixMillis::now();
        self.journal.append(&self.entry);
    }

    /// How it ended is not known (an answer that could not be read): the entry stays asked,
    /// so other processes expect its effect for a while rather than take it for a stranger's.
    pub fn unknown(self) {}
}

/// A session's reading of the journal: what other processes did with its profile since it
/// started, each entry once.
#[derive(Debug)]
pub struct JournalReader {
    journal: Journal,
    profile: String,
    since: UnixMillis,
    offset: Mutex<u64>,
    /// Verifications asked before this reader started, not told yet.
    earlier: Mutex<Vec<OwnActionEntry>>,
}

impl JournalReader {
    /// Read `journal` for `profile`, from entries written from now on; and the verifications
    /// it holds from before (an earlier run's, whose SETs a transmitter that queues them, or
    /// ignores acknowledgements, may deliver now).
    pub fn new(journal: Journal, profile: &str) -> Self {
        let offset = std::fs::metadata(&journal.path).map_or(0, |m| m.len());
        let now = UnixMillis::now();
        let earlier = Self {
            journal: journal.clone(),
            profile: profile.to_owned(),
            since: UnixMillis(0),
            offset: Mutex::new(0),
            earlier: Mutex::new(Vec::new()),
        };
        let asked: Vec<OwnActionEntry> = earlier
            .read(true)
            .into_iter()
            .filter(|e| {
                matches!(e.action, OwnAction::Verification { .. }) && e.phase == Phase::Asked
            })
            .collect();
        Self {
            journal,
            profile: profile.to_owned(),
            since: now,
            offset: Mutex::new(offset),
            earlier: Mutex::new(asked),
        }
    }

    /// The journal, to write this process's own actions.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Tell the state what other processes did with this profile since the last call, before
    /// anything it caused (a status read, a verification SET) is told.
    pub async fn tell(&self, updates: &crate::bridge::UpdateSender, key: &StreamKey) {
        for entry in self.new_entries() {
            let update = crate::core::update::Update::OwnAction {
                key: key.clone(),
                entry,
            };
            updates.send(update).await.ok();
        }
    }

    /// The entries other processes wrote for this profile since the last call (the first call
    /// also gives the verifications asked before this reader started).
    pub fn new_entries(&self) -> Vec<OwnActionEntry> {
        let mut entries = std::mem::take(&mut *self.earlier.lock());
        entries.extend(self.read(false));
        entries
    }

    /// The entries for this profile from the offset on (`any_process`: this one's too).
    fn read(&self, any_process: bool) -> Vec<OwnActionEntry> {
        let mut offset = self.offset.lock();
        let Ok(mut file) = std::fs::File::open(&self.journal.path) else {
            return Vec::new();
        };
        let len = file.metadata().map_or(0, |m| m.len());
        if len < *offset {
            *offset = 0; // cut to its newest half: read it again, older entries skipped below
        }
        if file.seek(std::io::SeekFrom::Start(*offset)).is_err() {
            return Vec::new();
        }
        let mut entries = Vec::new();
        let mut reader = std::io::BufReader::new(file);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                // A line still being written: read it next time.
                Ok(_) if !line.ends_with('\n') => break,
                Ok(read) => *offset += read as u64,
            }
            let Ok(entry) = serde_json::from_str::<OwnActionEntry>(line.trim()) else {
                continue;
            };
            if entry.profile == self.profile
                && (any_process || entry.pid != std::process::id())
                && entry.at >= self.since
            {
                entries.push(entry);
            }
        }
        entries
    }
}
