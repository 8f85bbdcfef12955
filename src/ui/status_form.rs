//! Change a stream's status with a reason of one's own (SSF §8.1.2.2): the reason is sent to the
//! transmitter and kept in the exchange and the status history.

use super::action::STATUS_REASON;
use super::view::StatusDraft;
use super::{Action, ViewState};
use crate::core::record::StreamKey;
use crate::core::stream::StreamStatus;
use crate::core::stream_op::StreamOp;

impl StatusDraft {
    /// A draft for `key`, proposing `status` and the default reason.
    pub fn new(key: StreamKey, status: StreamStatus) -> Self {
        Self {
            key,
            status,
            reason: STATUS_REASON.to_owned(),
        }
    }
}

/// Draw the status form when it is open.
pub fn status_form_ui(ui: &mut egui::Ui, view: &mut ViewState, actions: &mut Vec<Action>) {
    let Some(draft) = view.status_form.as_mut() else {
        return;
    };
    let mut open = true;
    let mut done = false;
    egui::Window::new(format!("Change the status of {}", draft.key))
        .id(egui::Id::unique("status_form"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                for status in [
                    StreamStatus::Enabled,
                    StreamStatus::Paused,
                    StreamStatus::Disabled,
                ] {
                    ui.radio_value(&mut draft.status, status, status.as_str());
                }
            });
            let label = ui.label("Reason");
            ui.add(egui::TextEdit::singleline(&mut draft.reason).desired_width(320.0))
                .labelled_by(label.id);
            ui.label(
                egui::RichText::new(
                    "A status the receiver sets brings no stream-updated event (SSF §8.1.5)",
                )
                .small()
                .weak(),
            );
            ui.horizontal(|ui| {
                if ui.button("Send").clicked() {
                    let reason = Some(draft.reason.trim().to_owned()).filter(|r| !r.is_empty());
                    actions.push(Action::StreamOp {
                        key: draft.key.clone(),
                        op: StreamOp::SetStatus {
                            status: draft.status,
                            reason,
                        },
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
    if !open || done {
        view.status_form = None;
    }
}
