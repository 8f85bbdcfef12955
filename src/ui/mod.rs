//! The window: draws from [`InspectorState`] and a [`ViewState`], returns [`Action`]s. Never
//! blocks, never awaits, never touches the network.

pub mod action;
mod alerts;
mod banner;
pub mod command_keys;
mod config_form;
mod confirm;
mod connection_test;
mod demo_reset;
mod details;
mod exchange_details;
mod exchanges;
mod export_form;
mod facts;
mod filter_line;
mod follow;
mod help;
pub mod input_order;
mod json_tree;
mod left_panel;
pub mod oauth_draft;
pub mod paste_form;
pub mod profile_draft;
mod profile_form;
mod profiles;
mod record_banner;
pub mod replay_form;
mod rules_form;
pub mod setup_draft;
mod setup_form;
pub mod shortcuts;
mod state_tile;
pub mod status_bar;
mod status_form;
mod status_history;
mod stream_actions;
mod streams;
mod subject_form;
mod subject_history;
mod subject_picker;
pub mod theme;
mod timeline;
mod timeline_columns;
mod toolbar;
mod transmitter_info;
pub mod view;
pub mod view_menu;

pub use action::Action;
pub use view::ViewState;

use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;
use view::CentralView;

/// Draw `add_contents` in a child `Ui` whose widget ids follow from `key` alone (within this
/// `Ui`'s scope), not from how many widgets were drawn before it. egui aims a click at the
/// widget id of the frame that was drawn; in a list that changes above the click (a stream
/// coming up, a new alert listed first), counted ids shift, and the click is lost or, worse,
/// lands on the neighbour that inherited the id.
pub(crate) fn keyed_ui<R>(
    ui: &mut egui::Ui,
    key: impl egui::AsIdSalt,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let id = ui.scope_id().with(key);
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), add_contents)
        .inner
}

/// Draw the whole window for one frame.
pub fn root_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    now: UnixMillis,
) -> Vec<Action> {
    let mut actions = Vec::new();
    actions.extend(shortcuts::handle(ui.ctx(), state, view));
    actions.extend(paste_form::paste_anywhere(ui.ctx(), view));
    view_menu::apply(ui.ctx(), view);
    // Dialogs are modal: behind one, the panels are drawn disabled (the dialogs are windows
    // of their own, drawn on the context, and stay enabled).
    if shortcuts::modal_open(view) {
        ui.disable();
    }
    record_banner::record_banner_ui(ui, state, now, &mut actions);
    egui::Panel::top("toolbar").show(ui, |ui| toolbar::toolbar_ui(ui, state, view));
    egui::Panel::bottom("status_bar")
        .show(ui, |ui| status_bar::status_bar_ui(ui, state, view, now));
    // Above the status bar, across the window: appearing or going, it moves nothing that is
    // laid out from the top (toolbar, stream buttons, the table's first rows), so a click
    // aimed at a button lands on it.
    banner::banner_ui(
        ui,
        state,
        view.presenter,
        &mut view.stories,
        now,
        &mut actions,
    );
    left_panel::left_panel_ui(ui, state, view, now, &mut actions);
    details_panel_ui(ui, state, view, &mut actions, now);
    egui::CentralPanel::default().show(ui, |ui| {
        filter_line::filter_line_ui(ui, state, view);
        match view.central {
            CentralView::Timeline => timeline::timeline_ui(ui, state, view, &mut actions),
            CentralView::Exchanges => exchanges::exchanges_ui(ui, state, view, &mut actions),
        }
    });
    profile_form::profile_form_ui(ui, state, view, &mut actions);
    subject_form::subject_form_ui(ui, state, view, &mut actions);
    config_form::config_form_ui(ui, state, view, &mut actions);
    status_form::status_form_ui(ui, view, &mut actions);
    transmitter_info::transmitter_info_ui(ui, state, view, now);
    subject_history::subject_history_ui(ui, state, view, &mut actions);
    export_form::export_form_ui(ui, state, view, &mut actions);
    paste_form::paste_form_ui(ui, state, view, now, &mut actions);
    replay_form::replay_form_ui(ui, state, view, &mut actions);
    confirm::confirm_ui(ui, view, &mut actions);
    help::help_ui(ui, view);
    actions
}

/// The right panel: the selected SET (timeline) or the selected exchange (exchanges).
fn details_panel_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
    now: UnixMillis,
) {
    let panel = |id: &str, width: f32| {
        egui::Panel::right(id.to_owned())
            .resizable(true)
            .default_size(width)
            .size_range(280.0..=900.0)
    };
    match view.central {
        CentralView::Timeline => {
            let Some(seq) = view.selected.filter(|seq| state.timeline.contains(*seq)) else {
                return;
            };
            panel("details", 370.0).show(ui, |ui| match state.timeline.full(seq) {
                Some(record) => details::details_ui(ui, record, view, actions, now),
                None => details::not_loaded_ui(ui, seq, state.unavailable_sets.get(&seq)),
            });
        }
        CentralView::Exchanges => {
            if let Some(selected) = &view.selected_exchange {
                panel("exchange_details", 420.0).show(ui, |ui| {
                    exchange_details::exchange_details_ui(ui, selected, view.presenter, actions);
                });
            }
        }
    }
}
