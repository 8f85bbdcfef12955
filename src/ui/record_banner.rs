//! The red banner for a record that refuses SETs: the one asked for cannot be opened (until
//! the user chooses memory), or writes to it fail (until one succeeds). While it shows, no push
//! is answered 202 and no polled SET is acknowledged, and the banner says so.

use egui::RichText;

use super::{Action, theme};
use crate::core::record_health::RecordHealth;
use crate::core::state::InspectorState;
use crate::core::time::{UnixMillis, human_duration};

/// Draw the banner while the record refuses SETs.
pub fn record_banner_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let (title, path, reason, what) = match &state.record {
        RecordHealth::Unavailable { path, reason } => (
            "The record cannot be opened",
            path,
            reason,
            "Nothing is acknowledged: pushes are answered 503 and polled SETs stay at the \
             transmitter, which will deliver them again. Fix the cause and restart, or keep \
             SETs in memory for this session (they are lost when the app stops)."
                .to_owned(),
        ),
        RecordHealth::Failing {
            path,
            reason,
            since,
        } => (
            "The record cannot store SETs",
            path,
            reason,
            format!(
                "Failing for {}: pushes are answered 503 and polled SETs are not acknowledged, \
                 so the transmitter keeps them. This clears by itself once a write succeeds.",
                human_duration(now.millis_since(*since))
            ),
        ),
        RecordHealth::Durable { .. } | RecordHealth::Memory { .. } => return,
    };
    let frame = egui::Frame::new()
        .fill(theme::banner_fill())
        .inner_margin(egui::Margin::symmetric(16, 10));
    egui::Panel::top("record_banner")
        .frame(frame)
        .show(ui, |ui| {
            theme::banner_buttons(ui.visuals_mut());
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("⚠  {title}")).size(22.0).strong());
                if matches!(state.record, RecordHealth::Unavailable { .. }) {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let button = ui
                            .button(RichText::new("Keep SETs in memory").strong())
                            .on_hover_text(
                                "Acknowledge SETs without a record this session; they are lost when the app stops",
                            );
                        if button.clicked() {
                            actions.push(Action::UseMemoryRecord);
                        }
                    });
                }
            });
            // The reason usually names the file; when it does not, the path goes first.
            let said = if reason.contains(path.as_str()) {
                reason.clone()
            } else {
                format!("{path}: {reason}")
            };
            ui.label(RichText::new(said).size(15.0));
            ui.label(what);
        });
}
