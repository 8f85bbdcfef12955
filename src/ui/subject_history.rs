//! The subject history window: every SET about one subject across streams, in arrival order,
//! each told in one line (time, stream, event, what it says); the subject typed here (RFC 9493
//! JSON, a subject line, a plain value) or opened from the details or a row's menu. A line
//! selects its SET. In presenter mode the subject is shown masked, read-only.

use egui::RichText;

use super::{Action, ViewState};
use crate::core::incident_story::thousands;
use crate::core::state::InspectorState;
use crate::core::subject_history::account;

/// The most lines drawn (the rest are counted): a subject seen a million times is read by its
/// count and the filter, not by scrolling.
const LINES_SHOWN: usize = 2_000;

/// Draw the window while it is open.
pub fn subject_history_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let Some(history) = view.subject_history.as_mut() else {
        return;
    };
    history.refresh(&state.timeline);
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
            let rows = history.rows();
            ui.label(format!(
                "{} SET{} about it, across every stream",
                thousands(rows.len()),
                if rows.len() == 1 { "" } else { "s" }
            ));
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for index in rows.iter().take(LINES_SHOWN) {
                        let Some(entry) = state.timeline.entry(*index) else {
                            continue;
                        };
                        let full = state.timeline.full(entry.seq()).map(AsRef::as_ref);
                        let line = format!(
                            "{}  {}  {}: {}",
                            entry.received_at().time_of_day(),
                            entry.stream(),
                            entry.title(),
                            account(&entry, full, presenter)
                        );
                        let selected = view.selected == Some(entry.seq());
                        if ui
                            .selectable_label(selected, RichText::new(line).monospace())
                            .on_hover_text(format!("Select SET #{}", entry.seq()))
                            .clicked()
                        {
                            actions.push(Action::ShowEvidence(entry.seq()));
                        }
                    }
                    if rows.len() > LINES_SHOWN {
                        ui.label(
                            RichText::new(format!(
                                "… and {} more: filter the timeline by the subject to see them",
                                thousands(rows.len() - LINES_SHOWN)
                            ))
                            .italics(),
                        );
                    }
                });
        });
    if !open {
        view.subject_history = None;
    }
}
