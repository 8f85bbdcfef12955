//! *Replay*: the window that sends the selected SET once more to a push endpoint (by default
//! this app's own push receiver for the SET's stream), unchanged or re-signed with the app's
//! test key; an endpoint not on this machine is sent to only once its host is ticked by name.
//! The endpoint's status and body are shown when they come.

use egui::RichText;

use super::view::ReplayDraft;
use super::{Action, ViewState, theme};
use crate::core::record::Transport;
use crate::core::replay::{ReplayMode, ReplayRequest, remote_host};
use crate::core::state::InspectorState;

/// The push endpoint this app receives the stream's SETs on, if it receives them by push.
pub fn own_push_endpoint(state: &InspectorState, draft: &ReplayDraft) -> Option<String> {
    let stream = state.streams.get(draft.stream.as_ref()?)?;
    let info = stream.info.as_ref()?;
    (info.transport == Transport::Push).then(|| info.endpoint.clone())
}

/// Draw the window while it is open.
pub fn replay_form_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let Some(draft) = view.replay_form.as_mut() else {
        return;
    };
    if draft.url.is_none() {
        draft.url = Some(own_push_endpoint(state, draft).unwrap_or_default());
    }
    if draft.waiting && state.replayed.is_some() {
        draft.waiting = false;
    }
    let own = own_push_endpoint(state, draft);
    let mut open = true;
    egui::Window::new(format!("Replay SET #{}", draft.seq))
        .id(egui::Id::unique("replay_form"))
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .show(ui.ctx(), |ui| {
            form_ui(ui, draft, own.as_deref(), actions);
            ui.separator();
            if draft.waiting {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Sending…");
                });
            } else if let Some(outcome) = state.replayed.as_ref().filter(|_| draft.sent) {
                outcome_ui(ui, outcome);
            }
        });
    if !open {
        view.replay_form = None;
    }
}

fn form_ui(
    ui: &mut egui::Ui,
    draft: &mut ReplayDraft,
    own: Option<&str>,
    actions: &mut Vec<Action>,
) {
    let label = ui.label("Push endpoint");
    let url = draft.url.get_or_insert_with(String::new);
    let edited = ui
        .add(egui::TextEdit::singleline(url).desired_width(f32::INFINITY))
        .labelled_by(label.id)
        .changed();
    if edited {
        draft.confirmed = false;
    }
    ui.horizontal(|ui| {
        ui.radio_value(&mut draft.resign, false, "Unchanged")
            .on_hover_text("The token as received, byte for byte");
        ui.radio_value(&mut draft.resign, true, "Re-signed with the test key")
            .on_hover_text(
                "A new jti, txn marks the replay, iss kept; signed with this run's ES256 key, \
                 whose JWKS is served on 127.0.0.1 while it is sent (jku in the header)",
            );
    });
    let label = ui.label("Authorization header (optional)");
    ui.add(
        egui::TextEdit::singleline(&mut draft.authorization)
            .password(true)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let url = draft.url.clone().unwrap_or_default();
    if own.is_some_and(|own| own == url.trim()) && draft.authorization.trim().is_empty() {
        ui.label(
            RichText::new("This app's own receiver: the Authorization it expects is sent").weak(),
        );
    }
    let remote = remote_host(url.trim());
    if let Some(host) = &remote {
        let dark = ui.visuals().dark_mode;
        ui.label(
            RichText::new(format!("{host} is not this machine"))
                .color(theme::bad(dark))
                .strong(),
        );
        ui.checkbox(&mut draft.confirmed, format!("Send this SET to {host}"));
    }
    let allowed = !url.trim().is_empty() && (remote.is_none() || draft.confirmed);
    let send = ui.add_enabled(allowed && !draft.waiting, egui::Button::new("Send once"));
    if send.clicked() {
        draft.waiting = true;
        draft.sent = true;
        actions.push(Action::Replay(ReplayRequest {
            raw: draft.raw.clone(),
            stream: draft.stream.clone(),
            url: url.trim().to_owned(),
            mode: if draft.resign {
                ReplayMode::Resigned
            } else {
                ReplayMode::Unchanged
            },
            authorization: Some(draft.authorization.trim().to_owned()).filter(|a| !a.is_empty()),
            confirmed_host: remote.filter(|_| draft.confirmed),
        }));
    }
}

fn outcome_ui(ui: &mut egui::Ui, outcome: &crate::core::replay::ReplayOutcome) {
    let dark = ui.visuals().dark_mode;
    if let Some(error) = &outcome.error {
        ui.add(egui::Label::new(RichText::new(error).color(theme::bad(dark))).wrap());
    }
    if let Some(status) = outcome.status {
        ui.horizontal(|ui| {
            ui.label("Answer");
            ui.label(
                RichText::new(status.to_string())
                    .strong()
                    .color(theme::http_status(dark, Some(status))),
            );
            ui.label(format!("· jti {}", outcome.jti));
            if let Some(id) = outcome.exchange {
                ui.label(format!("· exchange #{id}"));
            }
        });
        if outcome.body.is_empty() {
            ui.label(RichText::new("(empty body)").weak());
        } else {
            ui.add(egui::Label::new(RichText::new(&outcome.body).monospace()).wrap());
        }
    }
}
