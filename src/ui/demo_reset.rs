//! *Reset demo*, under the built-in demo's stream: the story played again from its start for
//! a presenter, on a fresh in-memory record with the window following live.

use super::view::DemoReset;
use super::{Action, ViewState};
use crate::core::state::InspectorState;
use crate::core::stream::{Connection, DEMO_STREAM, StreamState};

/// The button (and, while a reset runs, what it is doing).
pub fn demo_reset_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    stream: &StreamState,
    view: &ViewState,
    actions: &mut Vec<Action>,
) {
    if stream.key.0 != DEMO_STREAM || view.demo_reset == DemoReset::Unavailable {
        return;
    }
    if view.demo_reset == DemoReset::Resetting {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Resetting the demo: stopping every stream…");
        });
        return;
    }
    // A reset stops every stream: one the user started is not stopped behind their back.
    let others: Vec<&str> = state
        .streams
        .values()
        .filter(|s| {
            s.key.0 != DEMO_STREAM && s.connection != Connection::Stopped && !s.session_ended
        })
        .map(|s| s.label.as_str())
        .collect();
    let blocked = format!(
        "Stop the other streams first ({}): a reset stops every stream",
        others.join(", ")
    );
    if ui
        .add_enabled(others.is_empty(), egui::Button::new("Reset demo").small())
        .on_hover_text(
            "Play the demo again from its start: the window starts empty on a fresh in-memory \
             record, following live (the record file keeps what it holds)",
        )
        .on_disabled_hover_text(blocked)
        .clicked()
    {
        actions.push(Action::ResetDemo);
    }
}
