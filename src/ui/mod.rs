//! The window: draws from [`InspectorState`] and a [`ViewState`], returns [`Action`]s. Never
//! blocks, never awaits, never touches the network.

pub mod action;
mod alerts;
mod banner;
mod details;
mod json_tree;
pub mod shortcuts;
mod status_bar;
mod streams;
pub mod theme;
mod timeline;
mod toolbar;
pub mod view;

pub use action::Action;
pub use view::ViewState;

use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;

/// Draw the whole window for one frame.
pub fn root_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    now: UnixMillis,
) -> Vec<Action> {
    let mut actions = Vec::new();
    actions.extend(shortcuts::handle(ui.ctx(), state, view));
    banner::banner_ui(ui, state, now, &mut actions);
    egui::Panel::top("toolbar").show(ui, |ui| toolbar::toolbar_ui(ui, state, view, &mut actions));
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar::status_bar_ui(ui, state, now));
    egui::Panel::left("streams")
        .resizable(true)
        .default_size(260.0)
        .size_range(200.0..=460.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                streams::streams_ui(ui, state, now);
                ui.separator();
                alerts::alerts_ui(ui, state, now, &mut actions);
            });
        });
    let selected = view
        .selected
        .and_then(|seq| state.timeline.index_of_seq(seq))
        .and_then(|i| state.timeline.get(i));
    if let Some(record) = selected {
        egui::Panel::right("details")
            .resizable(true)
            .default_size(370.0)
            .size_range(280.0..=900.0)
            .show(ui, |ui| details::details_ui(ui, record, view, &mut actions));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        timeline::timeline_ui(ui, state, view, &mut actions);
    });
    actions
}
