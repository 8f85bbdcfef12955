//! Files opened beside the live streams, on the app's side: a number and a tab for each file the
//! user opens, the runtime asked to read it, its view forgotten when it closes, and when its first
//! SETs showed and when it was read whole logged (how long a large file takes to show).

use std::path::PathBuf;
use std::time::Instant;

use super::InspectorApp;
use crate::core::opened::OpenedFiles;
use crate::core::state::InspectorState;
use crate::runtime::Command;
use crate::ui::view::Source;

impl InspectorApp {
    /// Open `path` (or the file a dialog asks for) as a new file, shown at once.
    pub(super) fn open_file(&mut self, path: Option<PathBuf>) {
        let shown_as = path.as_ref().map_or_else(
            || "choosing a file…".to_owned(),
            |path| path.display().to_string(),
        );
        let id = self.opened.begin(&shown_as);
        self.opening.push((id, Instant::now(), false));
        self.view.show_source(Source::Opened(id));
        self.send(Command::OpenFile { id, path });
    }

    /// Close file `id`: it leaves the window, and the runtime stops reading it.
    pub(super) fn close_file(&mut self, id: u64) {
        self.opened.close(id);
        self.view.forget_source(Source::Opened(id));
        self.send(Command::CloseFile(id));
    }

    /// Log when an opened file's first SETs were on its timeline and when it was read whole
    /// (how long a large capture takes to show), once each.
    pub(super) fn log_opening(&mut self) {
        let opened = &self.opened;
        self.opening.retain_mut(|(id, asked, first)| {
            let Some(file) = opened.get(*id) else {
                return false;
            };
            let ms = asked.elapsed().as_millis();
            let held = file.contents.timeline.len();
            if !*first && held > 0 {
                *first = true;
                tracing::info!(
                    "first SETs of {} on the timeline {ms} ms after it was opened ({held} so far)",
                    file.header.name
                );
            }
            match &file.loading {
                crate::core::opened::Loading::Reading => true,
                crate::core::opened::Loading::Done => {
                    tracing::info!("{} read whole in {ms} ms: {held} SETs", file.header.name);
                    false
                }
                crate::core::opened::Loading::Failed(why) => {
                    tracing::info!("{} could not be read: {why}", file.header.name);
                    false
                }
            }
        });
    }
}

/// The state the window shows, to change: the live streams', or the opened file's.
pub(super) fn shown_mut<'a>(
    state: &'a mut InspectorState,
    opened: &'a mut OpenedFiles,
    source: Source,
) -> &'a mut InspectorState {
    match source {
        Source::Opened(id) => match opened.get_mut(id) {
            Some(file) => &mut file.contents,
            None => state,
        },
        Source::Live => state,
    }
}
