//! The left panel: streams, profiles and alerts. Its width is the user's (dragged) or a default
//! that leaves the timeline room at the scale in use, each scale remembering its own; what the
//! panel holds wraps in that width and never widens it (a disable's reason coming or going moved
//! the table by ~55 px, issue 23).

use super::{Action, ViewState, alerts, keyed_ui, profiles, streams};
use crate::core::opened::OpenedFiles;
use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;

/// The narrowest the panel gets: presenter mode's state tile still fits one word.
const MIN_WIDTH: f32 = 230.0;
/// The default at 1.0× on a usual window.
const DEFAULT_WIDTH: f32 = 320.0;
/// The default's share of the window's width: at 1.5× and 2.0× on 1280×720 the panel takes
/// no more than this by default, so the timeline keeps its Event and Subject columns.
const DEFAULT_SHARE: f32 = 0.25;
/// The widest a drag makes it.
const MAX_WIDTH: f32 = 520.0;

/// Draw the left panel.
pub fn left_panel_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    opened: &OpenedFiles,
    view: &mut ViewState,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let window = ui.available_width();
    let default = (window * DEFAULT_SHARE).clamp(MIN_WIDTH, DEFAULT_WIDTH);
    // Each scale its own remembered width (egui keeps a panel's width by its id): narrowed at
    // 2.0×, the panel is not left narrow at 1.0×.
    let scale = (ui.ctx().zoom_factor() * 10.0).round();
    egui::Panel::left(("streams", scale.to_bits()))
        .resizable(true)
        .default_size(default)
        .size_range(MIN_WIDTH..=MAX_WIDTH.max(MIN_WIDTH))
        .show(ui, |ui| {
            within_width_ui(ui, |ui| {
                // A solid scroll bar: a floating one would cover the buttons at the right edge.
                ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
                // Each section, and each item in it, keeps ids of its own (see `keyed_ui`).
                egui::ScrollArea::vertical().show(ui, |ui| {
                    keyed_ui(ui, "opened", |ui| {
                        super::opened::opened_files_ui(ui, opened, view, actions);
                    });
                    keyed_ui(ui, "streams", |ui| {
                        streams::streams_ui(ui, state, view, now, actions);
                    });
                    ui.separator();
                    keyed_ui(ui, "profiles", |ui| {
                        profiles::profiles_ui(ui, state, view, actions);
                    });
                    ui.separator();
                    keyed_ui(ui, "alerts", |ui| {
                        alerts::alerts_ui(ui, state, view, now, actions);
                        alerts::earlier_alerts_ui(ui, state, actions);
                    });
                });
            });
        });
}

/// Draw `add_contents` in the width `ui` has now, and report no more than that width to it:
/// a line that cannot wrap is clipped at the edge rather than widening the panel (egui keeps a
/// resizable panel as wide as its contents were).
fn within_width_ui(ui: &mut egui::Ui, add_contents: impl FnOnce(&mut egui::Ui)) {
    let rect = ui.available_rect_before_wrap();
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    child.shrink_clip_rect(rect);
    add_contents(&mut child);
    let used = child.min_rect();
    let bottom = used.bottom().min(rect.bottom());
    ui.advance_cursor_after_rect(egui::Rect::from_min_max(
        rect.min,
        egui::pos2(rect.right(), bottom.max(rect.top())),
    ));
}
