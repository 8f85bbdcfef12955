//! A stream's transmitter: its signing keys (listed now or removed, first and last use, so a
//! rotation is visible) and its metadata document in full, unknown members included.

use egui::RichText;

use super::{ViewState, json_tree, theme};
use crate::core::keys::KeyUse;
use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;

fn when(at: Option<UnixMillis>) -> String {
    at.map_or_else(|| "-".to_owned(), |at| format!("{} UTC", at.time_of_day()))
}

/// Draw the transmitter window when it is open.
pub fn transmitter_info_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    now: crate::core::time::UnixMillis,
) {
    let Some(key) = view.transmitter_info.clone() else {
        return;
    };
    let Some(stream) = state.streams.get(&key) else {
        view.transmitter_info = None;
        return;
    };
    let dark = ui.visuals().dark_mode;
    let mut open = true;
    egui::Window::new(format!("Transmitter of {key}"))
        .id(egui::Id::unique("transmitter_info"))
        .open(&mut open)
        .default_width(560.0)
        .default_height(480.0)
        .show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.strong("Signing keys");
                match stream.keys.fetched_at {
                    Some(at) => ui.label(format!("JWKS last fetched {} UTC", at.time_of_day())),
                    None => ui.label("The JWKS has not been fetched yet"),
                };
                keys_ui(ui, &stream.keys.keys, stream.keys.signing.as_deref(), dark);
                ui.separator();
                match &stream.metadata {
                    Some((document, legacy)) => {
                        ui.strong("Metadata");
                        if let Some(location) = legacy {
                            ui.label(
                                RichText::new(format!(
                                    "legacy: served at /.well-known/{location}, not ssf-configuration"
                                ))
                                .color(theme::warn(dark)),
                            );
                        }
                        match document.as_object() {
                            Some(object) => {
                                json_tree::json_object_ui(
                                    ui,
                                    &format!("metadata{key}"),
                                    object,
                                    now,
                                );
                            }
                            None => {
                                ui.label(document.to_string());
                            }
                        }
                    }
                    None => {
                        ui.label("The metadata has not been fetched yet");
                    }
                }
            });
        });
    if !open {
        view.transmitter_info = None;
    }
}

fn keys_ui(ui: &mut egui::Ui, keys: &[KeyUse], signing: Option<&str>, dark: bool) {
    if keys.is_empty() {
        ui.label("No key listed or used yet");
        return;
    }
    egui::Grid::new("signing_keys")
        .striped(true)
        .num_columns(7)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            for title in [
                "kid",
                "Type",
                "In JWKS",
                "First listed",
                "First used",
                "Last used",
                "SETs",
            ] {
                ui.strong(title);
            }
            ui.end_row();
            for key in keys {
                let kid = if key.kid.is_empty() {
                    "(no kid)"
                } else {
                    &key.kid
                };
                let mut name = RichText::new(kid).monospace();
                if signing == Some(key.kid.as_str()) {
                    name = name.strong();
                }
                ui.label(name)
                    .on_hover_text(if signing == Some(key.kid.as_str()) {
                        "signed the latest verified SET"
                    } else {
                        "not the key in use"
                    });
                let kind = key.listed_as.as_ref().map_or_else(
                    || "-".to_owned(),
                    |(kty, alg)| format!("{kty} {}", alg.as_deref().unwrap_or("")),
                );
                ui.label(kind.trim());
                if key.in_jwks {
                    ui.label(RichText::new("listed").color(theme::good(dark)));
                } else if let Some(removed) = key.removed_at {
                    ui.label(
                        RichText::new(format!("removed {} UTC", removed.time_of_day()))
                            .color(theme::bad(dark)),
                    );
                } else {
                    ui.label(RichText::new("never listed").color(theme::warn(dark)));
                }
                ui.label(when(key.first_listed));
                ui.label(when(key.first_used));
                ui.label(when(key.last_used));
                ui.label(key.sets.to_string());
                ui.end_row();
            }
        });
}
