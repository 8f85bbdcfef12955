//! Change a running stream's receiver-supplied configuration: the event types to request and
//! the description, sent as an update (PATCH: only these fields) or a replacement (PUT: the full
//! receiver-supplied configuration, delivery included as the session set it). The form stays
//! open until the transmitter has answered: it closes on success, and on a refusal keeps the
//! edit and says why.

use egui::RichText;

use super::view::ConfigDraft;
use super::{Action, ViewState, theme};
use crate::core::events::{self, EventRef};
use crate::core::json;
use crate::core::state::InspectorState;
use crate::core::stream::{Connection, OWN_STREAM_PREFIX, StreamChange, StreamState};
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
            waiting: None,
            error: None,
        }
    }

    /// While a change sent waits for its answer: the answer once it came (or the stream
    /// stopped without one); the form then closes on success, or keeps the edit and says why.
    fn answer(&self, state: &InspectorState) -> Option<Result<(), String>> {
        let since = self.waiting?;
        let answer = state.op_outcome_since(since, |outcome| {
            outcome.key == self.key && matches!(outcome.op, StreamOp::Configure(_))
        });
        if let Some(outcome) = answer {
            return Some(outcome.result.clone().map(|_| ()));
        }
        let running = state.streams.get(&self.key).is_some_and(|stream| {
            stream.connection != Connection::Stopped && !stream.session_ended
        });
        (!running).then(|| {
            Err("the stream stopped before the transmitter answered: the change may not have been made (Read config tells)".to_owned())
        })
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
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let presenter = view.presenter;
    let Some(draft) = view.config_form.as_mut() else {
        return;
    };
    match draft.answer(state) {
        Some(Ok(())) => {
            view.config_form = None;
            return;
        }
        Some(Err(why)) => {
            draft.waiting = None;
            draft.error = Some(why);
        }
        None => {}
    }
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
            answer_ui(ui, draft, presenter);
            let waiting = draft.waiting.is_some();
            let mut sent = None;
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!waiting, egui::Button::new("Update (PATCH)"))
                    .on_hover_text("Change only the events requested and the description")
                    .clicked()
                {
                    sent = Some(draft.request(false));
                }
                if ui
                    .add_enabled(!waiting, egui::Button::new("Replace (PUT)"))
                    .on_hover_text(
                        "Send the full receiver-supplied configuration: delivery as set, these events, this description (an empty one is deleted)",
                    )
                    .clicked()
                {
                    sent = Some(draft.request(true));
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
            // The form stays open until the transmitter has answered: a refused change keeps
            // the edit, to be corrected and sent again.
            if let Some(op) = sent {
                actions.push(Action::StreamOp {
                    key: draft.key.clone(),
                    op,
                });
                draft.waiting = Some(state.op_outcomes_count);
                draft.error = None;
            }
        });
    if !open || done {
        view.config_form = None;
    }
}

/// The answer to the change sent: waiting for it, or why the last one was not made.
fn answer_ui(ui: &mut egui::Ui, draft: &ConfigDraft, presenter: bool) {
    if draft.waiting.is_some() {
        // No spinner: it would redraw the window every frame for as long as the answer takes.
        ui.label("Sent; waiting for the transmitter's answer…");
    } else if let Some(why) = &draft.error {
        // The transmitter's answer may quote anything: masked in presenter mode.
        let why = if presenter {
            crate::core::redact::text(why)
        } else {
            why.clone()
        };
        let dark = ui.visuals().dark_mode;
        ui.add(
            egui::Label::new(
                RichText::new(format!("✖ Not changed: {why}")).color(theme::bad(dark)),
            )
            .wrap(),
        );
        ui.label(RichText::new("The edit is kept: change it and send again, or Cancel").weak());
    }
}
