//! "Are you sure?" for the actions that cannot be undone: removing a profile, deleting a stream
//! at its transmitter. From the keyboard: the dialog opens with Cancel focused (the safe choice:
//! an Enter meant for something else cancels), Tab and Shift+Tab go between its two buttons,
//! Enter or Space answers with the focused one as a click does, Escape cancels
//! (`shortcuts::CLOSE`).

use egui::RichText;

use super::view::Confirm;
use super::{Action, ViewState, theme};
use crate::core::stream_op::StreamOp;

/// Draw the pending confirmation, if any.
pub fn confirm_ui(ui: &mut egui::Ui, view: &mut ViewState, actions: &mut Vec<Action>) {
    let Some(confirm) = view.confirm.clone() else {
        return;
    };
    // Just opened: Cancel takes the focus.
    let focus = std::mem::take(&mut view.focus_form);
    let (question, detail, yes, action) = match confirm {
        Confirm::RemoveProfile(name) => (
            format!("Remove the profile \"{name}\"?"),
            "Its stored secrets are deleted too. A running stream keeps running until stopped",
            "Remove profile",
            Action::RemoveProfile(name),
        ),
        Confirm::DeleteStream(key) => (
            format!("Delete the stream {key} at its transmitter?"),
            "The transmitter forgets the stream and stops sending its events",
            "Delete stream",
            Action::StreamOp {
                key,
                op: StreamOp::Delete,
            },
        ),
    };
    let dark = ui.visuals().dark_mode;
    let mut answered = false;
    let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ui.ctx(), |ui| {
        ui.set_max_width(420.0);
        ui.heading(question);
        ui.label(detail);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let button = egui::Button::new(RichText::new(yes).color(theme::bad(dark)));
            if ui.add(button).clicked() {
                actions.push(action);
                answered = true;
            }
            let cancel = ui.button("Cancel");
            if cancel.clicked() {
                answered = true;
            }
            if focus {
                // After the button has read this frame's keys: the Enter or Space that opened
                // the dialog (on the menu item) does not also answer it.
                cancel.request_focus();
            }
        });
    });
    if answered || modal.should_close() {
        view.confirm = None;
    }
}
