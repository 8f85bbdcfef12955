//! The keyboard shortcuts overlay (F1 or ?): every shortcut from `shortcuts::TABLE`, written as
//! this machine writes it.

use egui::RichText;

use super::ViewState;
use super::shortcuts;

/// Draw the overlay while it is open; its close button and Esc close it.
pub fn help_ui(ui: &mut egui::Ui, view: &mut ViewState) {
    if !view.help_open {
        return;
    }
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ui.ctx(), |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    for (shortcut, what) in shortcuts::TABLE {
                        ui.label(
                            RichText::new(shortcuts::label(ui.ctx(), &shortcut))
                                .monospace()
                                .strong(),
                        );
                        ui.label(what);
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.label(
                RichText::new("Right-click a row for copy and filter actions; click a subject or an event type in the details to filter by it.")
                    .weak(),
            );
        });
    if !open {
        view.help_open = false;
    }
}
