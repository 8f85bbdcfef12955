//! The Export window: SETs alone as JSON Lines, a capture (the SETs with their exchanges,
//! alerts, status changes and markers, the file a colleague opens), or an evidence bundle (a
//! capture with its exchanges, findings, snapshots, summary and manifest, as a zip or a
//! folder); which SETs (all, or what the filter matches), and where: a path typed here (always
//! works), or a native save dialog (when the desktop has one).

use egui::RichText;

use super::view::ExportKind;
use super::{Action, ViewState};
use crate::core::state::InspectorState;

/// The path the field starts with (relative: in the home folder).
pub const DEFAULT_PATH: &str = "ssf-inspector-export.jsonl";

/// The path the field starts with for a capture.
pub const CAPTURE_PATH: &str = "ssf-inspector-capture.jsonl";

/// The path the field starts with for an evidence bundle.
pub const BUNDLE_PATH: &str = "ssf-inspector-evidence.zip";

/// Each kind's title, starting path, button and what it writes.
fn kind_texts(kind: ExportKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        ExportKind::Sets => (
            "Export SETs",
            DEFAULT_PATH,
            "Export to this path",
            "JSON Lines, one SET per line; the file is private (0600)",
        ),
        ExportKind::Capture => (
            "Save capture",
            CAPTURE_PATH,
            "Save to this path",
            "A header (profiles and the transmitter's keys as fetched, secrets removed), then \
             one line per SET, exchange (credentials redacted), alert, status change and \
             marker; the file is private (0600)",
        ),
        ExportKind::Bundle => (
            "Export evidence",
            BUNDLE_PATH,
            "Export to this path",
            "A zip (or a new folder, for a path not ending in .zip): the capture, the \
             exchanges (credentials redacted), lint findings, the metadata and key snapshots, \
             SUMMARY.md and MANIFEST.sha256 (sha256sum -c checks it); secrets removed, private",
        ),
    }
}

/// Draw the window while it is open.
pub fn export_form_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let kind = &mut view.export_kind;
    let incident = view.export_incident.as_ref();
    let Some(path) = view.export_form.as_mut() else {
        return;
    };
    let mut open = true;
    let mut done = false;
    egui::Window::new(kind_texts(*kind).0)
        .id(egui::Id::unique("export_form"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                let was = *kind;
                ui.radio_value(kind, ExportKind::Sets, "SETs (JSON Lines)");
                ui.radio_value(kind, ExportKind::Capture, "Capture")
                    .on_hover_text("For a colleague or jq: a header, then the SETs with their exchanges, alerts, status changes and markers");
                ui.radio_value(kind, ExportKind::Bundle, "Evidence bundle")
                    .on_hover_text("To hand over: the capture with what proves it, a summary and a SHA-256 manifest");
                // A path still as the window offered it follows the kind chosen.
                if was != *kind && path == kind_texts(was).1 {
                    kind_texts(*kind).1.clone_into(path);
                }
            });
            let filter = state.timeline.filter_in_force();
            let filter = if presenter {
                crate::core::redact::filter_text(&filter)
            } else {
                filter
            };
            let what = match incident {
                Some(incident) if *kind == ExportKind::Bundle => format!(
                    "Incident #{} on stream {} (since {} UTC): the stop, the alerts folded \
                     under it, and the stream's SETs, status changes and markers from {} \
                     minutes before it to its end",
                    incident.alert,
                    incident.stream,
                    incident.first_seen.time_of_day(),
                    crate::core::bundle::incident::MARGIN / 60_000
                ),
                _ if filter.is_empty() => format!(
                    "All {} SETs of the record, raw tokens included",
                    state.timeline.len()
                ),
                _ => format!(
                    "The SETs the filter {filter} matches ({} shown now), raw tokens included",
                    state.timeline.visible_sets()
                ),
            };
            ui.label(what);
            let (_, _, save, form) = kind_texts(*kind);
            ui.label(RichText::new(form).weak());
            ui.horizontal(|ui| {
                let label = ui.label("Path");
                ui.add(egui::TextEdit::singleline(path).desired_width(340.0))
                    .labelled_by(label.id)
                    .on_hover_text("A relative path is in your home folder");
            });
            ui.horizontal(|ui| {
                let typed = path.trim();
                let to = |path: Option<std::path::PathBuf>| match *kind {
                    ExportKind::Sets => Action::Export(path),
                    ExportKind::Capture => Action::SaveCapture(path),
                    ExportKind::Bundle => Action::ExportEvidence {
                        path,
                        incident: incident.cloned(),
                    },
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
        view.export_incident = None;
    }
}
