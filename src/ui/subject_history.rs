//! The subject history window: every SET about one subject across streams and the files opened
//! beside them, in time order, each told in one line (time, where, stream, event, what it says);
//! the subject typed here (RFC 9493 JSON, a subject line, a plain value) or opened from the
//! details or a row's menu. A line selects its SET where it is. In presenter mode the subject is
//! shown masked, read-only.

use egui::RichText;

use super::view::Source;
use super::{Action, ViewState};
use crate::core::incident_story::thousands;
use crate::core::opened::OpenedFiles;
use crate::core::state::InspectorState;
use crate::core::subject_history::{SubjectHistory, account};
use crate::core::time::UnixMillis;

/// The most lines drawn (the rest are counted): a subject seen a million times is read by its
/// count and the filter, not by scrolling.
const LINES_SHOWN: usize = 2_000;

/// Draw the window while it is open.
pub fn subject_history_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    opened: &OpenedFiles,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let Some(history) = view.subject_history.as_mut() else {
        view.subject_history_files.clear();
        return;
    };
    history.refresh(&state.timeline);
    // The same subject asked of every opened file.
    view.subject_history_files
        .retain(|(id, _)| opened.get(*id).is_some());
    for file in opened.iter() {
        let at = match view
            .subject_history_files
            .iter()
            .position(|(id, _)| *id == file.id)
        {
            Some(at) => at,
            None => {
                view.subject_history_files
                    .push((file.id, SubjectHistory::new(&history.text)));
                view.subject_history_files.len() - 1
            }
        };
        if let Some((_, in_file)) = view.subject_history_files.get_mut(at) {
            in_file.text.clone_from(&history.text);
            in_file.refresh(&file.contents.timeline);
        }
    }
    let mut lines = lines(state, opened, history, &view.subject_history_files);
    lines.sort_by_key(|line| line.0);
    let files = &view.subject_history_files;
    let selected_now = (view.source, view.selected);
    let mut picked = None;
    let mut open = true;
    egui::Window::new("Subject history")
        .id(egui::Id::unique("subject_history"))
        .open(&mut open)
        .collapsible(false)
        .default_size([560.0, 420.0])
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                let label = ui.label("Subject identifier");
                if presenter {
                    ui.label(crate::core::redact::subject_line(&history.text))
                        .labelled_by(label.id)
                        .on_hover_text("Presenter mode: the subject is masked");
                } else {
                    ui.add(
                        egui::TextEdit::singleline(&mut history.text)
                            .hint_text("email a@example.com, {\"format\": …} or a value")
                            .desired_width(360.0),
                    )
                    .labelled_by(label.id);
                }
            });
            if let Some(error) = history.error() {
                ui.label(RichText::new(error).color(super::theme::warn(ui.visuals().dark_mode)));
            } else if let Some(matching) = history.matching()
                && !presenter
            {
                ui.label(RichText::new(format!("Matches {matching}")).small().weak());
            }
            let count = lines.len();
            let across = if files.is_empty() {
                "across every stream"
            } else {
                "across every stream and opened file"
            };
            ui.label(format!(
                "{} SET{} about it, {across}",
                thousands(count),
                if count == 1 { "" } else { "s" }
            ));
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for (_, source, index) in lines.iter().take(LINES_SHOWN) {
                        let (timeline, place) = match source {
                            Source::Live => (&state.timeline, None),
                            Source::Opened(id) => match opened.get(*id) {
                                Some(file) => (&file.contents.timeline, Some(&file.header.name)),
                                None => continue,
                            },
                        };
                        let Some(entry) = timeline.entry(*index) else {
                            continue;
                        };
                        let full = timeline.full(entry.seq()).map(AsRef::as_ref);
                        let place = match place {
                            Some(name) => format!("📂 {name}  "),
                            None if !files.is_empty() => "live  ".to_owned(),
                            None => String::new(),
                        };
                        let line = format!(
                            "{}  {place}{}  {}: {}",
                            entry.received_at().time_of_day(),
                            entry.stream(),
                            entry.title(),
                            account(&entry, full, presenter)
                        );
                        let selected = selected_now == (*source, Some(entry.seq()));
                        if ui
                            .selectable_label(selected, RichText::new(line).monospace())
                            .on_hover_text(format!("Select SET #{}", entry.seq()))
                            .clicked()
                        {
                            picked = Some((*source, entry.seq()));
                        }
                    }
                    if count > LINES_SHOWN {
                        ui.label(
                            RichText::new(format!(
                                "… and {} more: filter the timeline by the subject to see them",
                                thousands(count - LINES_SHOWN)
                            ))
                            .italics(),
                        );
                    }
                });
        });
    if let Some((source, seq)) = picked {
        // The SET is shown where it is: the live timeline or its file's.
        view.show_source(source);
        actions.push(Action::ShowEvidence(seq));
    }
    if !open {
        view.subject_history = None;
        view.subject_history_files.clear();
    }
}

/// Every row about the subject: (when received, where, index on that timeline).
fn lines(
    state: &InspectorState,
    opened: &OpenedFiles,
    live: &SubjectHistory,
    files: &[(u64, SubjectHistory)],
) -> Vec<(UnixMillis, Source, usize)> {
    let mut lines = Vec::new();
    let mut add = |timeline: &crate::core::timeline::Timeline, source, rows: &[usize]| {
        for index in rows {
            if let Some(entry) = timeline.entry(*index) {
                lines.push((entry.received_at(), source, *index));
            }
        }
    };
    add(&state.timeline, Source::Live, live.rows());
    for (id, history) in files {
        if let Some(file) = opened.get(*id) {
            add(&file.contents.timeline, Source::Opened(*id), history.rows());
        }
    }
    lines
}
