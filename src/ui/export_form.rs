//! The Export window: which SETs are written (all, or what the filter matches), and where: a
//! path typed here (always works), or a native save dialog (when the desktop has one).

use egui::RichText;

use super::{Action, ViewState};
use crate::core::state::InspectorState;

/// The path the field starts with (relative: in the home folder).
pub const DEFAULT_PATH: &str = "ssf-inspector-export.jsonl";

/// Draw the window while it is open.
pub fn export_form_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let Some(path) = view.export_form.as_mut() else {
        return;
    };
    let mut open = true;
    let mut done = false;
    egui::Window::new("Export SETs")
        .id(egui::Id::unique("export_form"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            let filter = state.timeline.filter_in_force();
            let filter = if presenter {
                crate::core::redact::filter_text(&filter)
            } else {
                filter
            };
            let what = if filter.is_empty() {
                format!(
                    "All {} SETs of the record, raw tokens included",
                    state.timeline.len()
                )
            } else {
                format!(
                    "The SETs the filter {filter} matches ({} shown now), raw tokens included",
                    state.timeline.visible_sets()
                )
            };
            ui.label(what);
            ui.label(
                RichText::new("JSON Lines, one SET per line; the file is private (0600)").weak(),
            );
            ui.horizontal(|ui| {
                let label = ui.label("Path");
                ui.add(egui::TextEdit::singleline(path).desired_width(340.0))
                    .labelled_by(label.id)
                    .on_hover_text("A relative path is in your home folder");
            });
            ui.horizontal(|ui| {
                let typed = path.trim();
                if ui
                    .add_enabled(!typed.is_empty(), egui::Button::new("Export to this path"))
                    .clicked()
                {
                    actions.push(Action::Export(Some(std::path::PathBuf::from(typed))));
                    done = true;
                }
                if ui
                    .button("Choose in a file dialog…")
                    .on_hover_text("The desktop's save dialog, where there is one")
                    .clicked()
                {
                    actions.push(Action::Export(None));
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
    if !open || done {
        view.export_form = None;
    }
}
