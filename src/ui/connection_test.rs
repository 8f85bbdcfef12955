//! The profile form's *Test connection* result: one line per step, ✔ passed, ✖ failed with its
//! cause, a spinner while it runs, a dash when it was not tried.

use egui::RichText;

use super::theme;
use crate::core::connection_test::{ConnectionTest, StepOutcome};

/// Draw the steps of `test`.
pub fn connection_test_ui(ui: &mut egui::Ui, test: &ConnectionTest) {
    let dark = ui.visuals().dark_mode;
    ui.separator();
    let heading = if !test.done {
        "Testing the connection…"
    } else if test.passed() {
        "Connection test passed"
    } else {
        "Connection test failed"
    };
    ui.strong(heading);
    egui::Grid::new("connection_test_steps")
        .num_columns(3)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for step in &test.steps {
                match &step.outcome {
                    StepOutcome::Running => {
                        ui.spinner();
                        ui.label(step.what);
                        ui.label(RichText::new("…").weak());
                    }
                    StepOutcome::Passed(text) => {
                        ui.label(RichText::new("✔").color(theme::good(dark)));
                        ui.label(step.what);
                        ui.add(egui::Label::new(crate::core::remedy::for_window(text)).wrap());
                    }
                    StepOutcome::Failed(text) => {
                        ui.label(RichText::new("✖").color(theme::bad(dark)).strong());
                        ui.label(RichText::new(step.what).color(theme::bad(dark)));
                        ui.add(egui::Label::new(crate::core::remedy::for_window(text)).wrap());
                    }
                    StepOutcome::Skipped(text) => {
                        ui.label(RichText::new("–").color(theme::muted(dark)));
                        ui.label(step.what);
                        ui.add(
                            egui::Label::new(
                                RichText::new(crate::core::remedy::for_window(text)).weak(),
                            )
                            .wrap(),
                        );
                    }
                }
                ui.end_row();
            }
        });
}
