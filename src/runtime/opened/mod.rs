//! Files opened read-only in the window beside the live streams (issue 24): a capture, an
//! evidence bundle (a folder holding `capture.jsonl`, or a zip of one: its manifest checked), a
//! record file (told apart by its SQLite header). Each is read on the blocking pool and told to the window as `Update::Opened`; its
//! SETs are then checked again with the key sets it carries. One SET is read again whole for the
//! details, and the filter's free text is checked against the file, as for the live record.

mod bundle;
mod capture;
mod record;
mod reverify;
mod sink;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;

use crate::bridge::UpdateSender;
use crate::core::capture::CaptureKeys;
use crate::core::filter::Filter;
use crate::core::opened_info::OpenedKind;
use crate::core::time::UnixMillis;
use crate::core::timeline::Unresolved;
use crate::core::update::{OpenedUpdate, Update};
use capture::OpenedCapture;
use record::OpenedRecord;
use sink::Sink;

/// How an SQLite database file begins.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// The capture an evidence bundle (a folder) holds.
const BUNDLE_CAPTURE: &str = crate::core::bundle::CAPTURE;

/// Whether the file is an SQLite database (a record) rather than a capture.
pub fn is_record(path: &Path) -> anyhow::Result<bool> {
    use std::io::Read as _;
    let mut start = Vec::with_capacity(SQLITE_MAGIC.len());
    std::fs::File::open(path)
        .with_context(|| format!("cannot open {}", path.display()))?
        .take(SQLITE_MAGIC.len() as u64)
        .read_to_end(&mut start)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(start == SQLITE_MAGIC)
}

/// What a path given to open is: a record, a capture, or a bundle's capture (the file to read;
/// a zip's taken out first, kept while it is open).
fn kind_of(
    path: &Path,
    unzip_into: Option<&Path>,
) -> Result<(OpenedKind, PathBuf, Option<bundle::Unzipped>), String> {
    if bundle::is_zip(path) {
        let Some(into) = unzip_into else {
            return Err(
                "a zip is opened by taking its capture out into the data folder, and \
                        this window has none: unzip it and open its folder"
                    .to_owned(),
            );
        };
        let unzipped = bundle::unzip_capture(path, into).map_err(|err| format!("{err:#}"))?;
        return Ok((OpenedKind::Bundle, unzipped.capture(), Some(unzipped)));
    }
    if path.is_dir() {
        let inside = path.join(BUNDLE_CAPTURE);
        if inside.is_file() {
            return Ok((OpenedKind::Bundle, inside, None));
        }
        return Err(format!(
            "{} is a folder without {BUNDLE_CAPTURE}: open an evidence bundle's folder, a capture \
             (.jsonl) or a record (.sqlite3)",
            path.display()
        ));
    }
    match is_record(path) {
        Ok(true) => Ok((OpenedKind::Record, path.to_path_buf(), None)),
        Ok(false) => Ok((OpenedKind::Capture, path.to_path_buf(), None)),
        Err(err) => Err(format!("{err:#}")),
    }
}

/// An opened file as the runtime keeps it (a zip's capture taken out, removed with it).
enum Source {
    Capture {
        capture: OpenedCapture,
        /// Held while the file is open: dropped, the folder is removed.
        _unzipped: Option<bundle::Unzipped>,
    },
    Record(OpenedRecord),
}

struct Entry {
    /// Set once the path is known (a file dialog answers later).
    source: parking_lot::RwLock<Option<Arc<Source>>>,
    closed: CancellationToken,
}

/// The files open in the window, by the number the window gave each.
pub(super) struct OpenedFiles {
    files: HashMap<u64, Arc<Entry>>,
    /// Where a zip's capture is taken out (`None`: this runtime has no folder; a zip is not
    /// opened).
    unzip_into: Option<PathBuf>,
}

impl OpenedFiles {
    /// No file open yet; a zip's capture goes under `unzip_into`.
    pub(super) fn new(unzip_into: Option<PathBuf>) -> Self {
        Self {
            files: HashMap::new(),
            unzip_into,
        }
    }

    /// Open `path` (or the file a dialog asks for) as file `id` and read it.
    pub(super) fn open(&mut self, id: u64, path: Option<PathBuf>, updates: &UpdateSender) {
        let entry = Arc::new(Entry {
            source: parking_lot::RwLock::new(None),
            closed: CancellationToken::new(),
        });
        self.files.insert(id, Arc::clone(&entry));
        let sink = Sink {
            id,
            updates: updates.clone(),
            handle: tokio::runtime::Handle::current(),
            closed: entry.closed.clone(),
        };
        let unzip_into = self.unzip_into.clone();
        tokio::spawn(async move {
            let path = match path {
                Some(path) => path,
                None => match ask().await {
                    Some(path) => path,
                    None => {
                        let update = Update::Opened {
                            id,
                            update: OpenedUpdate::Cancelled,
                        };
                        sink.updates.send(update).await.ok();
                        return;
                    }
                },
            };
            tokio::task::spawn_blocking(move || load(&entry, &path, unzip_into.as_deref(), &sink))
                .await
                .ok();
        });
    }

    /// Close file `id`: its reading stops, and it is forgotten.
    pub(super) fn close(&mut self, id: u64) {
        if let Some(entry) = self.files.remove(&id) {
            entry.closed.cancel();
        }
    }

    /// Read SET `seq` of file `id` whole for the details.
    pub(super) fn load_set(&self, id: u64, seq: u64, updates: &UpdateSender) {
        let Some(source) = self.source(id) else {
            return;
        };
        let updates = updates.clone();
        tokio::spawn(async move {
            let read = tokio::task::spawn_blocking(move || match source.as_ref() {
                Source::Capture { capture, .. } => capture.read_one(seq),
                Source::Record(record) => {
                    crate::runtime::record::query::read_one(&record.path, seq)
                        .map_err(|err| format!("{err:#}"))
                }
            })
            .await;
            let contents = match read {
                Ok(Ok(Some(record))) => Update::SetLoaded(Arc::new(record)),
                Ok(Ok(None)) => Update::SetUnavailable {
                    seq,
                    reason: "the file no longer holds it".to_owned(),
                },
                Ok(Err(reason)) => Update::SetUnavailable { seq, reason },
                Err(err) => Update::SetUnavailable {
                    seq,
                    reason: format!("the read stopped: {err}"),
                },
            };
            let update = Update::Opened {
                id,
                update: OpenedUpdate::Contents(Box::new(contents)),
            };
            updates.send(update).await.ok();
        });
    }

    /// Check SETs of file `id` that its timeline holds only compact against its filter.
    pub(super) fn check(&self, id: u64, job: Unresolved, updates: &UpdateSender) {
        let (Some(source), Some(entry)) = (self.source(id), self.files.get(&id)) else {
            return;
        };
        let Ok(filter) = Filter::parse(&job.filter) else {
            return;
        };
        let sink = Sink {
            id,
            updates: updates.clone(),
            handle: tokio::runtime::Handle::current(),
            closed: entry.closed.clone(),
        };
        tokio::task::spawn_blocking(move || {
            let generation = job.generation;
            let mut seqs = job.seqs;
            seqs.sort_unstable();
            let answer = |answers| {
                sink.contents(Update::Matched {
                    generation,
                    answers,
                })
            };
            let checked = match source.as_ref() {
                Source::Capture { capture, .. } => {
                    capture.check(&filter, UnixMillis::now(), &seqs, answer)
                }
                Source::Record(record) => crate::runtime::record::query::check_sets(
                    &record.path,
                    &filter,
                    UnixMillis::now(),
                    &seqs,
                    answer,
                )
                .map_err(|err| format!("{err:#}")),
            };
            if let Err(why) = checked {
                sink.send(OpenedUpdate::Problem(format!(
                    "the filter's free text could not be checked against the file: {why}"
                )));
            }
        });
    }

    fn source(&self, id: u64) -> Option<Arc<Source>> {
        self.files.get(&id)?.source.read().clone()
    }

    /// Stop reading every file (the runtime stops).
    pub(super) fn close_all(&mut self) {
        for (_, entry) in self.files.drain() {
            entry.closed.cancel();
        }
    }
}

/// Ask for a file in the desktop's dialog (`None`: cancelled, or no dialog).
async fn ask() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title("Open a capture, an evidence bundle or a record")
        .add_filter(
            "Captures and records",
            &["jsonl", "sqlite3", "sqlite", "db"],
        )
        .add_filter("Any file", &["*"])
        .pick_file()
        .await
        .map(|handle| handle.path().to_path_buf())
}

/// Read the file at `path` (blocking): what it is, all it holds, then its SETs checked again.
fn load(entry: &Entry, path: &Path, unzip_into: Option<&Path>, sink: &Sink) {
    let (kind, file, unzipped) = match kind_of(path, unzip_into) {
        Ok(found) => found,
        Err(why) => {
            sink.send(OpenedUpdate::Failed(why));
            return;
        }
    };
    let source = Arc::new(match kind {
        OpenedKind::Record => Source::Record(OpenedRecord { path: file }),
        OpenedKind::Capture | OpenedKind::Bundle => Source::Capture {
            capture: OpenedCapture::new(file),
            _unzipped: unzipped,
        },
    });
    *entry.source.write() = Some(Arc::clone(&source));
    match source.as_ref() {
        Source::Capture { capture, .. } => {
            capture.load(kind, path, sink);
            let Some(header) = capture.header() else {
                return;
            };
            if kind == OpenedKind::Bundle {
                // What a colleague handed over, checked against what the bundle held when made.
                let check = if path.is_dir() {
                    bundle::check_folder(path)
                } else {
                    bundle::check_zip(path)
                };
                if !sink.send(OpenedUpdate::Manifest(check)) {
                    return;
                }
            }
            let keys = CaptureKeys::of(&header);
            reverify::run(&keys, capture.len(), sink, |each| capture.each_set(each));
        }
        Source::Record(opened) => {
            let total = record::load(&opened.path, sink);
            let Some(total) = total else { return };
            let keys = match record::key_snapshots(&opened.path) {
                Ok(header) => CaptureKeys::of(&header),
                Err(_) => CaptureKeys::default(),
            };
            reverify::run(&keys, total, sink, |each| {
                crate::runtime::record::query::each_set(&opened.path, |record| {
                    each(record.seq, record)
                })
                .map(|_| ())
                .map_err(|err| format!("{err:#}"))
            });
        }
    }
}
