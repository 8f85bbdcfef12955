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
mod opened;
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

use crate::core::opened::OpenedFiles;
use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;
use view::{CentralView, Source};

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

/// The state the timeline, exchanges and details show: the live streams', or an opened file's.
pub fn shown<'a>(
    state: &'a InspectorState,
    opened: &'a OpenedFiles,
    source: Source,
) -> &'a InspectorState {
    match source {
        Source::Live => state,
        Source::Opened(id) => opened.get(id).map_or(state, |file| &file.contents),
    }
}

/// Draw the whole window for one frame. `state` is the live streams'; `opened` the files
/// opened beside them (the timeline shows the one `view.source` names).
pub fn root_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    opened: &OpenedFiles,
    view: &mut ViewState,
    now: UnixMillis,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if view.source != Source::Live
        && shown(state, opened, view.source).timeline.is_empty()
        && let Source::Opened(id) = view.source
        && opened.get(id).is_none()
    {
        // Closed meanwhile: back to the live streams.
        view.forget_source(view.source);
    }
    let live = state;
    let state = shown(live, opened, view.source);
    actions.extend(shortcuts::handle(ui.ctx(), live, state, view));
    actions.extend(dropped_files(ui.ctx()));
    actions.extend(paste_form::paste_anywhere(ui.ctx(), view));
    view_menu::apply(ui.ctx(), view);
    // Dialogs are modal: behind one, the panels are drawn disabled (the dialogs are windows
    // of their own, drawn on the context, and stay enabled).
    if shortcuts::modal_open(view) {
        ui.disable();
    }
    record_banner::record_banner_ui(ui, live, now, &mut actions);
    egui::Panel::top("toolbar").show(ui, |ui| toolbar::toolbar_ui(ui, state, view));
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        status_bar::status_bar_ui(ui, live, view, now, &mut actions);
    });
    // Above the status bar, across the window: appearing or going, it moves nothing that is
    // laid out from the top (toolbar, stream buttons, the table's first rows), so a click
    // aimed at a button lands on it.
    banner::banner_ui(
        ui,
        live,
        view.presenter,
        &mut view.stories,
        now,
        &mut actions,
    );
    left_panel::left_panel_ui(ui, live, opened, view, now, &mut actions);
    details_panel_ui(ui, state, opened, view, &mut actions, now);
    egui::CentralPanel::default().show(ui, |ui| {
        opened::sources_ui(ui, opened, view);
        filter_line::filter_line_ui(ui, state, view);
        match view.central {
            CentralView::Timeline => timeline::timeline_ui(ui, state, view, &mut actions),
            CentralView::Exchanges => exchanges::exchanges_ui(ui, state, view, &mut actions),
        }
    });
    profile_form::profile_form_ui(ui, live, view, &mut actions);
    subject_form::subject_form_ui(ui, live, view, &mut actions);
    config_form::config_form_ui(ui, live, view, &mut actions);
    status_form::status_form_ui(ui, view, &mut actions);
    transmitter_info::transmitter_info_ui(ui, live, view, now);
    subject_history::subject_history_ui(ui, live, opened, view, &mut actions);
    export_form::export_form_ui(ui, live, view, &mut actions);
    paste_form::paste_form_ui(ui, live, view, now, &mut actions);
    replay_form::replay_form_ui(ui, live, view, &mut actions);
    confirm::confirm_ui(ui, view, &mut actions);
    help::help_ui(ui, view);
    actions
}

/// Files dropped on the window this frame: each opened beside the live streams.
fn dropped_files(ctx: &egui::Context) -> Vec<Action> {
    ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|file| Action::OpenFile(Some(file.path().to_path_buf())))
            .collect()
    })
}

/// The right panel: the selected SET (timeline) or the selected exchange (exchanges).
fn details_panel_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    opened: &OpenedFiles,
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
                Some(record) => {
                    if let Source::Opened(id) = view.source
                        && let Some(file) = opened.get(id)
                    {
                        let checked = file.reverified.of(seq, record.verification.verdict);
                        let text = checked.unwrap_or_else(|| {
                            "not yet checked again with the file's keys".to_owned()
                        });
                        ui.label(egui::RichText::new(format!("📂 Signature {text}")).small());
                    }
                    details::details_ui(ui, record, view, actions, now);
                }
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
