//! Files opened read-only beside the live streams (issue 24): a capture a colleague sent, an
//! evidence bundle, a record file. Each has a state of its own, filled the way a reopened record
//! fills the live one (SETs as what they concluded, markers, exchanges, earlier alerts and
//! status changes), so the window's timeline, filter, details and exchanges show it as they show
//! the live streams; nothing in it raises an alert or reaches the live record.

use super::opened_info::{ManifestCheck, OpenedHeader, Reverified};
use super::state::InspectorState;
use super::time::UnixMillis;
use super::update::{OpenedUpdate, Update};

/// How many unreadable lines are kept in words (the rest are counted).
pub const PROBLEMS_KEPT: usize = 100;

/// How far reading the file has gone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Loading {
    /// Being read.
    #[default]
    Reading,
    /// Read to its end.
    Done,
    /// It could not be opened, and why.
    Failed(String),
}

/// One opened file.
#[derive(Debug)]
pub struct OpenedFile {
    /// Its number (the window's tab, the runtime's commands).
    pub id: u64,
    /// Its name, path, kind and header.
    pub header: OpenedHeader,
    /// How far it has been read.
    pub loading: Loading,
    /// Lines that could not be read (at most [`PROBLEMS_KEPT`]), in words.
    pub problems: Vec<String>,
    /// How many lines could not be read.
    pub problem_count: usize,
    /// Its SETs checked again with the keys it carries.
    pub reverified: Reverified,
    /// A bundle's manifest checked against its files (`None`: no bundle, or not yet).
    pub manifest: Option<ManifestCheck>,
    /// What it holds, as the window draws it.
    pub contents: InspectorState,
}

/// Every file opened this session, in the order opened.
#[derive(Debug, Default)]
pub struct OpenedFiles {
    files: Vec<OpenedFile>,
    next_id: u64,
}

impl OpenedFiles {
    /// A new file being opened (`shown_as` names it until the runtime says what it is: the path
    /// asked for, or "choosing a file…"); returns its number.
    pub fn begin(&mut self, shown_as: &str) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.files.push(OpenedFile {
            id,
            header: OpenedHeader {
                name: shown_as.to_owned(),
                path: shown_as.to_owned(),
                ..OpenedHeader::default()
            },
            loading: Loading::Reading,
            problems: Vec::new(),
            problem_count: 0,
            reverified: Reverified::default(),
            manifest: None,
            contents: InspectorState::default(),
        });
        id
    }

    /// Close one: it leaves the window (the runtime is told separately).
    pub fn close(&mut self, id: u64) {
        self.files.retain(|file| file.id != id);
    }

    /// The file with this number, while it is open.
    pub fn get(&self, id: u64) -> Option<&OpenedFile> {
        self.files.iter().find(|file| file.id == id)
    }

    /// The same, to change.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut OpenedFile> {
        self.files.iter_mut().find(|file| file.id == id)
    }

    /// Every open file, in the order opened.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &OpenedFile> {
        self.files.iter()
    }

    /// Whether none is open.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Take what the runtime tells of file `id` (one closed meanwhile takes nothing).
    pub fn apply(&mut self, id: u64, update: OpenedUpdate, now: UnixMillis) {
        if matches!(update, OpenedUpdate::Cancelled) {
            self.close(id);
            return;
        }
        let Some(file) = self.get_mut(id) else {
            return;
        };
        match update {
            OpenedUpdate::Began(header) => file.header = *header,
            OpenedUpdate::Contents(contents) => {
                if takes(&contents) {
                    // What an opened file's state changes is its own: nothing of it is
                    // recorded, so its effects are let go.
                    let _ = file.contents.apply(*contents, now);
                }
            }
            OpenedUpdate::Markers(markers) => file.contents.timeline.insert_markers(markers),
            OpenedUpdate::Problem(text) => {
                file.problem_count += 1;
                if file.problems.len() < PROBLEMS_KEPT {
                    file.problems.push(text);
                }
            }
            OpenedUpdate::Loaded => file.loading = Loading::Done,
            OpenedUpdate::Failed(why) => file.loading = Loading::Failed(why),
            OpenedUpdate::Reverified(part) => file.reverified.merge(part),
            OpenedUpdate::Manifest(check) => file.manifest = Some(check),
            OpenedUpdate::Cancelled => {}
        }
    }
}

/// The updates an opened file's state takes: what a reopened record tells and what the window
/// asks of it, never anything that could raise an alert.
fn takes(update: &Update) -> bool {
    matches!(
        update,
        Update::Reloading { .. }
            | Update::Reloaded(_)
            | Update::Exchange(_)
            | Update::EarlierAlerts(_)
            | Update::EarlierStatus(_)
            | Update::SetLoaded(_)
            | Update::SetUnavailable { .. }
            | Update::Matched { .. }
    )
}
