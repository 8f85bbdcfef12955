//! "Follow live" for the live tables (timeline, exchanges), held while the pointer is over
//! the table: at a high rate every arriving row scrolls the table, and a person cannot aim at
//! rows that keep sliding up. egui keeps the table stuck to its end, so following resumes by
//! itself once the pointer leaves (unless the person scrolled away meanwhile).

use super::ViewState;

/// Whether the table about to fill the rest of `ui` keeps its end in view this frame; records
/// in `view` whether following is being held under the pointer (the status bar says so).
pub fn sticks_to_end(ui: &egui::Ui, view: &mut ViewState) -> bool {
    view.follow_held = view.follow && ui.rect_contains_pointer(ui.max_rect());
    view.follow && !view.follow_held
}
