//! Under each stream: a row of small buttons for the management API (status, verification,
//! reads, stop) and a "More…" menu (subjects, delete at the transmitter).

use super::action::STATUS_REASON;
use super::view::{Confirm, SubjectDraft};
use super::{Action, ViewState};
use crate::core::stream::{Connection, StreamState, StreamStatus};
use crate::core::stream_op::StreamOp;

/// Draw the action row of `stream`.
pub fn stream_actions_ui(
    ui: &mut egui::Ui,
    stream: &StreamState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    // A session that ended (stopped, or a start that failed or was declined) has nothing to stop.
    let running = stream.connection != Connection::Stopped && !stream.session_ended;
    // Operations need the stream to exist at the transmitter and its session to run: none is
    // offered on a stream this receiver deleted (the session stays, to be stopped).
    let ready = running && stream.info.is_some() && !stream.deleted_by_receiver;
    let not_ready = if stream.deleted_by_receiver {
        "This receiver deleted the stream: there is nothing left to ask (Stop, then start the profile again to create one)"
    } else {
        "The stream is not running"
    };
    let set_status = |status| StreamOp::SetStatus {
        status,
        reason: Some(STATUS_REASON.to_owned()),
    };
    let buttons = [
        (
            "Pause",
            "Ask the transmitter to hold events (status paused)",
            set_status(StreamStatus::Paused),
        ),
        (
            "Enable",
            "Ask the transmitter to send events (status enabled)",
            set_status(StreamStatus::Enabled),
        ),
        (
            "Disable",
            "Ask the transmitter to drop events (status disabled)",
            set_status(StreamStatus::Disabled),
        ),
        (
            "Verify",
            "Request a verification event",
            StreamOp::RequestVerification,
        ),
        (
            "Read config",
            "Read the stream configuration from the transmitter",
            StreamOp::ReadConfig,
        ),
        (
            "Read status",
            "Read the stream status from the transmitter",
            StreamOp::ReadStatus,
        ),
    ];
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(4.0, 4.0);
        for (text, tooltip, op) in buttons {
            if ui
                .add_enabled(ready, egui::Button::new(text).small())
                .on_hover_text(tooltip)
                .on_disabled_hover_text(not_ready)
                .clicked()
            {
                actions.push(Action::StreamOp {
                    key: stream.key.clone(),
                    op,
                });
            }
        }
        if ui
            .add_enabled(running, egui::Button::new("Stop").small())
            .on_hover_text("Stop receiving on this stream")
            .on_disabled_hover_text(
                "Nothing runs on this stream: its session ended (Retry or Edit… its profile)",
            )
            .clicked()
        {
            actions.push(Action::StopStream(stream.key.clone()));
        }
        ui.add_enabled_ui(ready, |ui| {
            ui.menu_button("More…", |ui| more_ui(ui, stream, view));
        });
    });
}

/// The "More…" menu. An item chosen closes it: a click does by itself, but Enter on an item
/// clicks no pointer, and the menu stayed open over the dialog it opened, its items still
/// offered for a stream that dialog may delete.
fn more_ui(ui: &mut egui::Ui, stream: &StreamState, view: &mut ViewState) {
    let subject = |remove| SubjectDraft {
        key: stream.key.clone(),
        remove,
        text: String::new(),
        format: String::new(),
        fields: Vec::new(),
        seen: None,
    };
    if ui.button("Add subject…").clicked() {
        view.subject_form = Some(subject(false));
        view.focus_form = true;
        ui.close();
    }
    if ui.button("Remove subject…").clicked() {
        view.subject_form = Some(subject(true));
        view.focus_form = true;
        ui.close();
    }
    if ui
        .button("Change status…")
        .on_hover_text("Enable, pause or disable with a reason of your own")
        .clicked()
    {
        let proposal = match stream.status {
            StreamStatus::Enabled => StreamStatus::Paused,
            _ => StreamStatus::Enabled,
        };
        view.status_form = Some(super::view::StatusDraft::new(stream.key.clone(), proposal));
        ui.close();
    }
    if ui
        .button("Configure…")
        .on_hover_text("Change the events requested and the description (PATCH or PUT)")
        .clicked()
    {
        view.config_form = Some(super::view::ConfigDraft::from_stream(stream));
        ui.close();
    }
    if ui
        .button("Transmitter…")
        .on_hover_text("The transmitter's metadata in full, and its signing keys")
        .clicked()
    {
        view.transmitter_info = Some(stream.key.clone());
        ui.close();
    }
    ui.separator();
    if ui
        .button("Delete stream at transmitter…")
        .on_hover_text("DELETE the stream configuration; the transmitter stops sending")
        .clicked()
    {
        view.confirm = Some(Confirm::DeleteStream(stream.key.clone()));
        view.focus_form = true;
        ui.close();
    }
}
