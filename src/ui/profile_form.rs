//! The profile form (a window): labelled fields, the live check of the profile being typed, and
//! Save (disabled while the profile has an error).

use egui::RichText;

use super::profile_draft::ProfileDraft;
use super::profiles::concern_ui;
use super::{Action, ViewState, theme};
use crate::core::profile::{Concern, DeliveryMode};
use crate::core::state::InspectorState;

/// Draw the profile form when it is open.
pub fn profile_form_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let Some(draft) = view.profile_form.as_mut() else {
        return;
    };
    let focus = std::mem::take(&mut view.focus_form);
    let tested_draft = view.tested_draft.as_ref();
    let mut tested_now = None;
    let title = match &draft.original {
        Some(profile) => format!("Edit profile \"{}\"", profile.name),
        None => "New profile".to_owned(),
    };
    let mut open = true;
    let mut done = false;
    egui::Window::new(title)
        .id(egui::Id::unique("profile_form"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(520.0)
        .show(ui.ctx(), |ui| {
            // The fields scroll, so the checks, the buttons and a connection test's steps stay
            // in view on a 720-pixel screen at any scale.
            let tested = state
                .connection_test
                .as_ref()
                .is_some_and(|t| t.profile == draft.name.trim());
            let below = if tested { 440.0 } else { 250.0 };
            let room = (ui.ctx().content_rect().height() - below).max(160.0);
            egui::ScrollArea::vertical()
                .max_height(room)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    fields_ui(ui, draft, focus);
                    ui.separator();
                    watch_ui(ui, draft);
                    ui.separator();
                    super::setup_form::setup_ui(ui, draft);
                    super::rules_form::rules_ui(ui, draft);
                });
            ui.separator();
            let concerns = draft.concerns(&state.profiles);
            if concerns.is_empty() {
                ui.label(
                    RichText::new("✔ ready to save").color(theme::good(ui.visuals().dark_mode)),
                );
            }
            for (concern, text) in &concerns {
                concern_ui(ui, *concern, text);
            }
            ui.add_space(4.0);
            let usable = concerns.iter().all(|(c, _)| *c != Concern::Error);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(usable, egui::Button::new("Save"))
                    .on_disabled_hover_text("Fix the errors above first")
                    .clicked()
                {
                    let (profile, secrets) = draft.build();
                    actions.push(Action::SaveProfile {
                        profile: Box::new(profile),
                        secrets,
                    });
                }
                if ui
                    .add_enabled(usable, egui::Button::new("Test connection"))
                    .on_hover_text(
                        "Read the metadata and keys, and list the streams with the credentials \
                         typed here (nothing is saved or changed at the transmitter)",
                    )
                    .on_disabled_hover_text("Fix the errors above first")
                    .clicked()
                {
                    let (profile, secrets) = draft.build();
                    actions.push(Action::TestConnection {
                        profile: Box::new(profile),
                        secrets,
                    });
                    tested_now = Some(draft.clone());
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
            if let Some(test) = &state.connection_test
                && test.profile == draft.name.trim()
            {
                // A result speaks for the fields it was run with, not for what was typed since.
                if tested_now.is_some() || tested_draft == Some(&*draft) {
                    super::connection_test::connection_test_ui(ui, test);
                } else {
                    let text = "The fields changed since the connection was tested: test again";
                    ui.label(RichText::new(text).color(theme::muted(ui.visuals().dark_mode)));
                }
            }
        });
    if let Some(draft) = tested_now {
        view.tested_draft = Some(draft);
    }
    if !open || done {
        view.profile_form = None;
    }
}

/// A labelled single-line text field in a two-column grid.
fn text_row_ui(ui: &mut egui::Ui, label: &str, edit: egui::TextEdit<'_>) -> egui::Response {
    let label = ui.label(label);
    let response = ui.add(edit.desired_width(320.0)).labelled_by(label.id);
    ui.end_row();
    response
}

fn fields_ui(ui: &mut egui::Ui, draft: &mut ProfileDraft, focus: bool) {
    let dark = ui.visuals().dark_mode;
    let editing = draft.original.is_some();
    let token_hint = draft.token_hint();
    let push_hint = draft.push_authorization_hint();
    egui::Grid::new("profile_form_fields")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let name = text_row_ui(
                ui,
                "Name",
                egui::TextEdit::singleline(&mut draft.name)
                    .interactive(!editing)
                    .hint_text("e.g. okta-prod"),
            );
            let issuer = text_row_ui(
                ui,
                "Issuer URL",
                egui::TextEdit::singleline(&mut draft.issuer)
                    .hint_text("https://transmitter.example.com"),
            );
            if focus {
                // A saved profile's name cannot change: start on its issuer.
                if editing { issuer } else { name }.request_focus();
            }
            text_row_ui(
                ui,
                "Metadata URL",
                egui::TextEdit::singleline(&mut draft.metadata_url)
                    .hint_text("optional: when not at the well-known location"),
            );
            ui.label("Delivery");
            ui.horizontal(|ui| {
                ui.radio_value(&mut draft.delivery, DeliveryMode::Push, "push (RFC 8935)");
                ui.radio_value(&mut draft.delivery, DeliveryMode::Poll, "poll (RFC 8936)");
            });
            ui.end_row();
            ui.label("Management auth");
            ui.horizontal(|ui| {
                ui.radio_value(&mut draft.oauth.on, false, "bearer token");
                ui.radio_value(&mut draft.oauth.on, true, "OAuth client credentials");
            });
            ui.end_row();
            if draft.oauth.on {
                oauth_rows_ui(ui, draft);
            } else {
                text_row_ui(
                    ui,
                    "Management token",
                    egui::TextEdit::singleline(&mut draft.token.0)
                        .password(true)
                        .hint_text(token_hint),
                );
            }
            if draft.delivery == DeliveryMode::Push {
                text_row_ui(
                    ui,
                    "Listen address",
                    egui::TextEdit::singleline(&mut draft.listen)
                        .hint_text("127.0.0.1 and a free port"),
                );
                text_row_ui(
                    ui,
                    "Push authorization",
                    egui::TextEdit::singleline(&mut draft.push_authorization.0)
                        .password(true)
                        .hint_text(push_hint),
                );
            }
            text_row_ui(
                ui,
                "Events requested",
                egui::TextEdit::singleline(&mut draft.events).hint_text(
                    "empty: what the transmitter lists, or e.g. session-revoked, credential-change",
                ),
            );
            text_row_ui(
                ui,
                "Expected audience",
                egui::TextEdit::singleline(&mut draft.audience)
                    .hint_text("optional: when the transmitter assigns none"),
            );
            text_row_ui(
                ui,
                "CA certificate",
                egui::TextEdit::singleline(&mut draft.ca_cert)
                    .hint_text("optional: PEM file for a private CA"),
            );
        });
    ui.checkbox(
        &mut draft.allow_insecure_http,
        "Allow plain http to another machine",
    );
    let danger = RichText::new("Accept invalid certificates (dangerous)");
    let danger = if draft.accept_invalid_certs {
        danger.color(theme::bad(dark))
    } else {
        danger
    };
    ui.checkbox(&mut draft.accept_invalid_certs, danger);
}

/// The client-credentials rows (RFC 6749 §4.4): the token is fetched before management calls.
fn oauth_rows_ui(ui: &mut egui::Ui, draft: &mut ProfileDraft) {
    let kept = matches!(
        draft.original.as_ref().map(|p| &p.auth),
        Some(crate::core::profile::ManagementAuth::ClientCredentials { .. })
    );
    let oauth = &mut draft.oauth;
    text_row_ui(
        ui,
        "Token endpoint",
        egui::TextEdit::singleline(&mut oauth.token_endpoint)
            .hint_text("https://idp.example.com/oauth2/token"),
    );
    text_row_ui(
        ui,
        "Client id",
        egui::TextEdit::singleline(&mut oauth.client_id),
    );
    text_row_ui(
        ui,
        "Client secret",
        egui::TextEdit::singleline(&mut oauth.client_secret.0)
            .password(true)
            .hint_text(if kept {
                "stored: leave empty to keep it"
            } else {
                "secret, env:NAME or file:PATH"
            }),
    );
    text_row_ui(
        ui,
        "Scopes",
        egui::TextEdit::singleline(&mut oauth.scopes)
            .hint_text("optional, e.g. ssf.read ssf.manage"),
    );
}

/// The watch section: status reads, verification heartbeats and the silence threshold.
fn watch_ui(ui: &mut egui::Ui, draft: &mut ProfileDraft) {
    ui.label(RichText::new("Watch").strong())
        .on_hover_text("How the stream is watched when the transmitter does not tell");
    let watch = &mut draft.watch;
    egui::Grid::new("profile_form_watch")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            text_row_ui(
                ui,
                "Status every (s)",
                egui::TextEdit::singleline(&mut watch.status_every).hint_text("default 60"),
            )
            .on_hover_text("Read the stream status this often");
            text_row_ui(
                ui,
                "Heartbeat every (s)",
                egui::TextEdit::singleline(&mut watch.heartbeat_every)
                    .hint_text("default 120; never below the transmitter's minimum"),
            )
            .on_hover_text(
                "Request a verification SET this often (never more often than the \
                 transmitter's min_verification_interval allows)",
            );
            text_row_ui(
                ui,
                "Heartbeat timeout (s)",
                egui::TextEdit::singleline(&mut watch.heartbeat_timeout).hint_text("default 60"),
            )
            .on_hover_text("A requested verification SET must arrive within this time");
            text_row_ui(
                ui,
                "Silent after (s)",
                egui::TextEdit::singleline(&mut watch.silent_after)
                    .hint_text("empty: learn it from the traffic"),
            )
            .on_hover_text(
                "Alert when no SET came for this long; empty learns it from the stream's own \
                 cadence (ten times the usual gap, at least 30 s)",
            );
            if draft.delivery == crate::core::profile::DeliveryMode::Poll {
                text_row_ui(
                    ui,
                    "Poll every (s)",
                    egui::TextEdit::singleline(&mut watch.poll_every).hint_text("default 5"),
                )
                .on_hover_text(
                    "After an empty answer that came at once (a transmitter that does not hold \
                     long polls), wait this long before polling again",
                );
            }
        });
}
