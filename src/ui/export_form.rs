//! The Export window: SETs alone as JSON Lines, or a capture (the SETs with their exchanges,
//! alerts, status changes and markers, the file a colleague opens); which SETs (all, or what
//! the filter matches), and where: a path typed here (always works), or a native save dialog
//! (when the desktop has one).

use egui::RichText;

use super::{Action, ViewState};
use crate::core::state::InspectorState;

/// The path the field starts with (relative: in the home folder).
pub const DEFAULT_PATH: &str = "ssf-inspector-export.jsonl";

/// The path the field starts with for a capture.
pub const CAPTURE_PATH: &str = "ssf-inspector-capture.jsonl";

/// Draw the window while it is open.
pub fn export_form_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let capture = &mut view.export_as_capture;
    let Some(path) = view.export_form.as_mut() else {
        return;
    };
    let mut open = true;
    let mut done = false;
    let title = if *capture {
        "Save capture"
    } else {
        "Export SETs"
    };
    egui::Window::new(title)
        .id(egui::Id::unique("export_form"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                let was = *capture;
                ui.radio_value(capture, false, "SETs (JSON Lines)");
                ui.radio_value(capture, true, "Capture")
                    .on_hover_text("For a colleague or jq: a header, then the SETs with their exchanges, alerts, status changes and markers");
                if was != *capture {
                    let (from, to) = if *capture {
                        (DEFAULT_PATH, CAPTURE_PATH)
                    } else {
                        (CAPTURE_PATH, DEFAULT_PATH)
                    };
                    if path == from {
                        to.clone_into(path);
                    }
                }
            });
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
            let form = if *capture {
                "A header (profiles and the transmitter's keys as fetched, secrets removed), then \
                 one line per SET, exchange (credentials redacted), alert, status change and \
                 marker; the file is private (0600)"
            } else {
                "JSON Lines, one SET per line; the file is private (0600)"
            };
            ui.label(RichText::new(form).weak());
            ui.horizontal(|ui| {
                let label = ui.label("Path");
                ui.add(egui::TextEdit::singleline(path).desired_width(340.0))
                    .labelled_by(label.id)
                    .on_hover_text("A relative path is in your home folder");
            });
            ui.horizontal(|ui| {
                let typed = path.trim();
                let save = if *capture {
                    "Save to this path"
                } else {
                    "Export to this path"
                };
                let to = |path: Option<std::path::PathBuf>| {
                    if *capture {
                        Action::SaveCapture(path)
                    } else {
                        Action::Export(path)
                    }
                };
                if ui
                    .add_enabled(!typed.is_empty(), egui::Button::new(save))
                    .clicked()
                {
                    actions.push(to(Some(std::path::PathBuf::from(typed))));
                    done = true;
                }
                if ui
                    .button("Choose in a file dialog…")
                    .on_hover_text("The desktop's save dialog, where there is one")
                    .clicked()
                {
                    actions.push(to(None));
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
