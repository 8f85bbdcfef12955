//! The profile form's "Stream set-up" section: how the stream is got, and the options that
//! bend set-up for a transmitter that bends the spec. Collapsed unless something is set.

use egui::RichText;

use super::profile_draft::ProfileDraft;
use super::setup_draft::{SetupDraft, SetupMode, TlsMode};
use crate::core::profile::DeliveryMode;

/// A labelled text field in the section's grid.
fn text_row_ui(ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(320.0),
        )
        .labelled_by(label.id);
    ui.end_row();
    response
}

/// Draw the section.
pub fn setup_ui(ui: &mut egui::Ui, draft: &mut ProfileDraft) {
    let push = draft.delivery == DeliveryMode::Push;
    let changed = draft.setup != SetupDraft::default();
    egui::CollapsingHeader::new(RichText::new("Stream set-up").strong())
        .id_salt("profile_form_setup")
        .default_open(changed)
        .show(ui, |ui| {
            let setup = &mut draft.setup;
            ui.label("How the stream is got").on_hover_text(
                "A create can replace another receiver's stream on transmitters that keep one \
                     stream per receiver: by default the receiver creates only when the \
                     transmitter lists no stream it did not make",
            );
            for &mode in SetupMode::ALL {
                ui.radio_value(&mut setup.mode, mode, mode.label());
            }
            egui::Grid::new("profile_form_setup_fields")
                .num_columns(2)
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    if setup.mode == SetupMode::Attach {
                        text_row_ui(
                            ui,
                            "Stream id",
                            &mut setup.attach_id,
                            "the stream to attach to",
                        );
                    }
                    if matches!(setup.mode, SetupMode::Auto | SetupMode::Always) {
                        text_row_ui(
                            ui,
                            "Extra create members",
                            &mut setup.create_members,
                            r#"JSON, e.g. {"aud": "https://rp.example"}"#,
                        );
                    }
                    if push {
                        text_row_ui(
                            ui,
                            "Push path",
                            &mut setup.push_path,
                            "random when empty, e.g. /ssf/events",
                        );
                    } else {
                        text_row_ui(
                            ui,
                            "Poll URL",
                            &mut setup.poll_url,
                            "empty: the one the stream names",
                        );
                    }
                });
            if matches!(setup.mode, SetupMode::Auto | SetupMode::Always) {
                ui.checkbox(
                    &mut setup.omit_description,
                    "Leave description out of the create (a transmitter that refuses it)",
                );
            }
            if push {
                tls_ui(ui, setup);
            }
        });
}

fn tls_ui(ui: &mut egui::Ui, setup: &mut SetupDraft) {
    ui.horizontal(|ui| {
        ui.label("Push over");
        ui.radio_value(&mut setup.tls, TlsMode::None, "http");
        ui.radio_value(&mut setup.tls, TlsMode::SelfSigned, "https (self-signed)");
        ui.radio_value(&mut setup.tls, TlsMode::Files, "https (certificate files)");
    });
    if setup.tls == TlsMode::Files {
        egui::Grid::new("profile_form_setup_tls")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                text_row_ui(
                    ui,
                    "Certificate (PEM)",
                    &mut setup.tls_cert,
                    "path to the chain",
                );
                text_row_ui(
                    ui,
                    "Private key (PEM)",
                    &mut setup.tls_key,
                    "path to the key",
                );
            });
    }
}
