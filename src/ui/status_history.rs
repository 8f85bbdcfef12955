//! A stream's status history under its card: when the status changed, to what, who said so
//! (the transmitter by stream-updated, a status read, this receiver) with the evidence, then
//! the changes earlier runs recorded.

use egui::RichText;

use super::{Action, theme};
use crate::core::effects::StatusChange;
use crate::core::state::InspectorState;
use crate::core::stream::{StatusSource, StreamState};

/// Draw the history of `stream`, newest first, folded until opened.
pub fn status_history_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    stream: &StreamState,
    presenter: bool,
    actions: &mut Vec<Action>,
) {
    // A transmitter's reason may name people: masked in presenter mode.
    let said = |reason: &str| {
        if presenter {
            crate::core::redact::text(reason)
        } else {
            reason.to_owned()
        }
    };
    let earlier: Vec<_> = state
        .earlier_status
        .iter()
        .filter(|change| change.stream == stream.key)
        .collect();
    let count = stream.status_history.len() + earlier.len();
    if count == 0 {
        return;
    }
    let dark = ui.visuals().dark_mode;
    egui::CollapsingHeader::new(format!("Status history ({count})"))
        .id_salt(("status_history", &stream.key.0))
        .show(ui, |ui| {
            // One entry per change: the status and when on a line, who and why wrapped below.
            for entry in stream.status_history.iter().rev() {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(entry.status.as_str())
                            .color(theme::status(dark, entry.status))
                            .strong(),
                    );
                    ui.label(RichText::new(entry.at.rfc3339()).monospace().small());
                });
                ui.horizontal_wrapped(|ui| {
                    source_ui(ui, entry.source, entry.exchange, actions);
                    if let Some(reason) = &entry.reason {
                        ui.label(format!("· reason: {}", said(reason)));
                    }
                });
                ui.add_space(4.0);
            }
            for change in earlier.iter().rev() {
                recorded_change_ui(ui, change, " (an earlier run)", presenter);
            }
        });
}

/// The status changes a file opened beside the live streams holds, newest first, folded.
pub fn recorded_status_ui(ui: &mut egui::Ui, changes: &[StatusChange], presenter: bool) {
    if changes.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!("Status changes in the file ({})", changes.len()))
        .id_salt("recorded_status")
        .show(ui, |ui| {
            for change in changes.iter().rev() {
                let stream = format!(" ({})", change.stream);
                recorded_change_ui(ui, change, &stream, presenter);
            }
        });
}

/// One recorded change: the status and when on a line, who said so and why below (a
/// transmitter's reason masked in presenter mode).
fn recorded_change_ui(ui: &mut egui::Ui, change: &StatusChange, note: &str, presenter: bool) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.label(RichText::new(change.status.as_str()).color(theme::status(dark, change.status)));
        ui.label(RichText::new(change.at.rfc3339()).monospace().small());
    });
    let mut words = format!("{}{note}", earlier_source(&change.source));
    if let Some(reason) = &change.reason {
        let reason = if presenter {
            crate::core::redact::text(reason)
        } else {
            reason.clone()
        };
        words.push_str(&format!(" · reason: {reason}"));
    }
    ui.add(egui::Label::new(RichText::new(words).weak()).wrap());
    ui.add_space(4.0);
}

/// Who said so, with a link to the evidence.
fn source_ui(
    ui: &mut egui::Ui,
    source: StatusSource,
    exchange: Option<u64>,
    actions: &mut Vec<Action>,
) {
    match source {
        StatusSource::StreamUpdated { seq } => {
            ui.label("transmitter, stream-updated");
            if ui
                .link(format!("SET #{seq}"))
                .on_hover_text("Show the stream-updated SET")
                .clicked()
            {
                actions.push(Action::ShowEvidence(seq));
            }
        }
        StatusSource::StatusRead => {
            ui.label("found by a status read");
        }
        StatusSource::Receiver => {
            ui.label("set by this receiver");
        }
    }
    if let Some(id) = exchange
        && !matches!(source, StatusSource::StreamUpdated { .. })
        && ui
            .link(format!("exchange #{id}"))
            .on_hover_text("Show the HTTP exchange")
            .clicked()
    {
        actions.push(Action::ShowExchange(id));
    }
}

/// The record's source words (`stream_updated #12`, `status_read`, `receiver`) said plainly.
fn earlier_source(source: &str) -> String {
    if let Some(seq) = source.strip_prefix("stream_updated ") {
        format!("transmitter, stream-updated {seq}")
    } else if source == "status_read" {
        "found by a status read".to_owned()
    } else if source == "receiver" {
        "set by this receiver".to_owned()
    } else {
        source.to_owned()
    }
}
