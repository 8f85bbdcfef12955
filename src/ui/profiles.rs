//! The left panel's saved profiles: issuer, delivery, warnings, and Start/Stop, Edit…, Remove.
//! Start or Stop pressed leaves the keyboard focus on nothing, never on the button that takes
//! its place.

use egui::RichText;

use super::profile_draft::ProfileDraft;
use super::view::Confirm;
use super::{Action, ViewState, theme};
use crate::core::profile::{Concern, DeliveryMode, ManagementAuth, Profile};
use crate::core::record::StreamKey;
use crate::core::state::InspectorState;
use crate::core::stream::Connection;

/// Draw the saved profiles.
pub fn profiles_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.heading(format!("Profiles ({})", state.profiles.len()));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("New profile…")
                .on_hover_text(super::shortcuts::hint(
                    ui.ctx(),
                    "Add a transmitter to receive from",
                    &super::command_keys::NEW_PROFILE,
                ))
                .clicked()
            {
                super::command_keys::open_new_profile(view);
            }
        });
    });
    if !state.profiles_loaded {
        // The runtime reads them once the record is open (a large one takes a moment).
        ui.label(RichText::new("Reading the saved profiles…").weak());
    } else if state.profiles.is_empty() {
        ui.label(RichText::new("None saved yet").weak());
    }
    for profile in &state.profiles {
        super::keyed_ui(ui, ("profile", &profile.name), |ui| {
            profile_ui(ui, state, profile, view, actions);
        });
        ui.add_space(6.0);
    }
}

/// True when a session for `name` is running (its stream exists and its session has not
/// ended: stopped, or a set-up that failed or was declined).
fn is_running(state: &InspectorState, name: &str) -> bool {
    state
        .streams
        .get(&StreamKey(name.to_owned()))
        .is_some_and(|stream| stream.connection != Connection::Stopped && !stream.session_ended)
}

/// Why the last start of `name` ended without receiving, if it did.
fn ended_badly(state: &InspectorState, name: &str) -> Option<(&'static str, bool)> {
    let stream = state.streams.get(&StreamKey(name.to_owned()))?;
    if !stream.session_ended {
        return None;
    }
    match stream.connection {
        Connection::Failed(_) => Some(("start failed", true)),
        Connection::Declined(_) => Some(("not set up", false)),
        Connection::Connecting(_) | Connection::Connected | Connection::Stopped => None,
    }
}

fn profile_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    profile: &Profile,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let running = is_running(state, &profile.name);
    let failed = !running && ended_badly(state, &profile.name).is_some();
    ui.horizontal(|ui| {
        ui.label(RichText::new(&profile.name).strong());
        if running {
            ui.label(RichText::new("running").color(theme::good(dark)));
        } else if let Some((words, bad)) = ended_badly(state, &profile.name) {
            let color = if bad {
                theme::bad(dark)
            } else {
                theme::warn(dark)
            };
            ui.label(RichText::new(words).color(color)).on_hover_text(
                "Why is under the stream above; Edit… the profile, then Start again",
            );
        }
    });
    let delivery = match (profile.delivery, &profile.listen) {
        (DeliveryMode::Push, Some(listen)) => format!("push to {listen}"),
        (DeliveryMode::Push, None) => "push".to_owned(),
        (DeliveryMode::Poll, _) => "poll".to_owned(),
    };
    let auth = match &profile.auth {
        ManagementAuth::None => "no token".to_owned(),
        ManagementAuth::Bearer { token } => format!("token {}", token.describe()),
        ManagementAuth::ClientCredentials { client_id, .. } => {
            format!("client credentials ({client_id})")
        }
    };
    super::facts::facts_ui(
        ui,
        &["Issuer", "Delivery", "Management", "Stream"],
        |facts, ui| {
            facts.row(ui, "Issuer", |ui| {
                ui.add(egui::Label::new(RichText::new(&profile.issuer).monospace()).wrap());
            });
            facts.row(ui, "Delivery", |ui| ui.label(delivery));
            facts.row(ui, "Management", |ui| ui.label(auth));
            facts.row(ui, "Stream", |ui| ui.label(profile.stream.describe()));
        },
    );
    for (concern, text) in profile.check() {
        concern_ui(ui, concern, &text);
    }
    ui.horizontal(|ui| {
        // Start and Stop take each other's place: the one pressed gives up the keyboard focus,
        // which would otherwise stay on the place and so on the button that undoes it (a
        // second Enter stopping the stream just started).
        if running {
            let stop = ui
                .small_button("Stop")
                .on_hover_text("Stop receiving (the stream is left at the transmitter)");
            if stop.clicked() {
                stop.surrender_focus();
                actions.push(Action::StopStream(StreamKey(profile.name.clone())));
            }
        } else {
            let start = ui
                .add_enabled(
                    profile.is_usable(),
                    egui::Button::new(if failed { "Retry" } else { "Start" }).small(),
                )
                .on_hover_text(if failed {
                    "Start again, with the profile as it is saved now (Edit… it first to change it)"
                } else {
                    "Discover the transmitter, create a stream and start receiving"
                })
                .on_disabled_hover_text("Fix the profile's errors first (Edit…)");
            if start.clicked() {
                start.surrender_focus();
                actions.push(Action::StartProfile(profile.name.clone()));
            }
        }
        if ui.small_button("Edit…").clicked() {
            view.profile_form = Some(ProfileDraft::edit(profile));
            view.focus_form = true;
        }
        if ui
            .small_button("Remove")
            .on_hover_text("Forget this profile and its stored secrets")
            .clicked()
        {
            view.confirm = Some(Confirm::RemoveProfile(profile.name.clone()));
            view.focus_form = true;
        }
    });
}

/// One profile concern on a line: errors and invalid certificates in red, the rest in amber.
pub fn concern_ui(ui: &mut egui::Ui, concern: Concern, text: &str) {
    let dark = ui.visuals().dark_mode;
    let color = match concern {
        Concern::Error => theme::bad(dark),
        Concern::Warning if text.contains("invalid TLS certificates") => theme::bad(dark),
        Concern::Warning => theme::warn(dark),
    };
    let mark = match concern {
        Concern::Error => "✖",
        Concern::Warning => "⚠",
    };
    ui.add(egui::Label::new(RichText::new(format!("{mark} {text}")).color(color)).wrap());
}
