//! Change a running stream's receiver-supplied configuration: the event types to request and
//! the description, sent as an update (PATCH: only these fields) or a replacement (PUT: the full
//! receiver-supplied configuration, delivery included as the session set it).

use egui::RichText;

use super::view::ConfigDraft;
use super::{Action, ViewState, theme};
use crate::core::events::{self, EventRef};
use crate::core::json;
use crate::core::stream::{OWN_STREAM_PREFIX, StreamChange, StreamState};
use crate::core::stream_op::StreamOp;

impl ConfigDraft {
    /// A draft from the stream's configuration as last read (or set): every event type the
    /// transmitter supports (the catalogue's current ones when it does not say), the requested
    /// ones ticked.
    pub fn from_stream(stream: &StreamState) -> Self {
        let config = stream.config.clone().unwrap_or_default();
        let requested = json::string_list(&config, "events_requested");
        let mut offered = json::string_list(&config, "events_supported");
        if offered.is_empty() {
            offered = events::CATALOGUE
                .iter()
                .filter(|e| e.replaced_by.is_none() && !e.deprecated)
                .map(|e| e.uri.to_owned())
                .collect();
        }
        for uri in requested
            .iter()
            .chain(&json::string_list(&config, "events_delivered"))
        {
            if !offered.contains(uri) {
                offered.push(uri.clone());
            }
        }
        let choices = offered
            .into_iter()
            .map(|uri| {
                let ticked = requested.contains(&uri);
                (uri, ticked)
            })
            .collect();
        Self {
            key: stream.key.clone(),
            choices,
            description: json::string(&config, "description").unwrap_or_default(),
        }
    }

    fn request(&self, replace: bool) -> StreamOp {
        StreamOp::Configure(StreamChange {
            events_requested: self
                .choices
                .iter()
                .filter(|(_, ticked)| *ticked)
                .map(|(uri, _)| uri.clone())
                .collect(),
            description: Some(self.description.trim().to_owned()).filter(|d| !d.is_empty()),
            replace,
        })
    }
}

/// Draw the configuration form when it is open.
pub fn config_form_ui(
    ui: &mut egui::Ui,
    state: &crate::core::state::InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let Some(draft) = view.config_form.as_mut() else {
        return;
    };
    let dark = ui.visuals().dark_mode;
    let delivered = state
        .streams
        .get(&draft.key)
        .and_then(|s| s.config.as_ref())
        .map(|c| json::string_list(c, "events_delivered"))
        .unwrap_or_default();
    let mut open = true;
    let mut done = false;
    egui::Window::new(format!("Configure {}", draft.key))
        .id(egui::Id::unique("config_form"))
        .open(&mut open)
        .collapsible(false)
        .default_width(460.0)
        .show(ui.ctx(), |ui| {
            let label = ui.label("Description");
            ui.add(egui::TextEdit::singleline(&mut draft.description).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if draft.description.starts_with(OWN_STREAM_PREFIX) {
                ui.label(
                    RichText::new(
                        "SSF Inspector finds its stream by this description: change it and the next start creates a new stream",
                    )
                    .small()
                    .weak(),
                );
            }
            let count = draft.choices.iter().filter(|(_, t)| *t).count();
            ui.horizontal(|ui| {
                ui.strong(format!("Events requested ({count} of {})", draft.choices.len()));
                if ui.small_button("All").clicked() {
                    draft.choices.iter_mut().for_each(|(_, t)| *t = true);
                }
                if ui.small_button("None").clicked() {
                    draft.choices.iter_mut().for_each(|(_, t)| *t = false);
                }
            });
            egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                for (uri, ticked) in &mut draft.choices {
                    let event = EventRef::from_uri(uri);
                    ui.horizontal(|ui| {
                        ui.checkbox(ticked, format!("{} ({})", event.name, event.family.tag()))
                            .on_hover_text(uri.as_str());
                        if delivered.contains(uri) {
                            ui.label(RichText::new("delivered").small().color(theme::good(dark)));
                        }
                    });
                }
            });
            if count == 0 {
                ui.label(
                    RichText::new("SSF: events_requested SHOULD NOT be empty")
                        .color(theme::warn(dark)),
                );
            }
            ui.horizontal(|ui| {
                if ui
                    .button("Update (PATCH)")
                    .on_hover_text("Change only the events requested and the description")
                    .clicked()
                {
                    actions.push(Action::StreamOp {
                        key: draft.key.clone(),
                        op: draft.request(false),
                    });
                    done = true;
                }
                if ui
                    .button("Replace (PUT)")
                    .on_hover_text(
                        "Send the full receiver-supplied configuration: delivery as set, these events, this description (an empty one is deleted)",
                    )
                    .clicked()
                {
                    actions.push(Action::StreamOp {
                        key: draft.key.clone(),
                        op: draft.request(true),
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
    if !open || done {
        view.config_form = None;
    }
}
