//! The one dispatcher of the window's [`Action`]s: what each does to the view and the state, and
//! the runtime command it needs (tests drive the window through it too).

use std::sync::Arc;

use crate::core::effects::Effects;
use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;
use crate::core::update::NoticeLevel;
use crate::runtime::Command;
use crate::ui::view::ExchangeView;
use crate::ui::{self, Action, ViewState};

/// What a UI action asks of the runtime, and what it changed of the state that the record keeps.
#[derive(Debug, Default)]
pub struct Dispatched {
    /// The runtime command it needs, if any.
    pub command: Option<Command>,
    /// The reducer's effects (an acknowledgement), for the record.
    pub effects: Effects,
}

/// Apply a UI action to the view and state. The single dispatcher of [`Action`]s (tests drive
/// the UI through it too).
pub fn apply_action(
    action: &Action,
    state: &mut InspectorState,
    view: &mut ViewState,
) -> Dispatched {
    let mut effects = Effects::default();
    let command = act(action, state, view, &mut effects);
    Dispatched { command, effects }
}

/// [`apply_action`]: the command it needs; what the state changed goes to `effects`.
fn act(
    action: &Action,
    state: &mut InspectorState,
    view: &mut ViewState,
    effects: &mut Effects,
) -> Option<Command> {
    match action {
        Action::Select(seq) => {
            view.selected = *seq;
            // A row picked is kept in view: following the live end would scroll it away.
            if seq.is_some() {
                view.follow = false;
            }
            None
        }
        Action::Step(seq) => {
            view.selected = Some(*seq);
            view.scroll_to_selected = true;
            view.follow = false;
            None
        }
        Action::Acknowledge(alert_id) => {
            effects.extend(state.acknowledge(*alert_id));
            None
        }
        Action::ShowEvidence(seq) => {
            view.central = ui::view::CentralView::Timeline;
            // Evidence the filter hides is shown all the same: the filter is set aside (kept,
            // to be put back with one click), and the window says so.
            if state.timeline.contains(*seq) && state.timeline.visible_position(*seq).is_none() {
                view.set_filter_aside(view.central, format!("SET #{seq}"));
            }
            view.selected = Some(*seq);
            view.follow = false;
            view.scroll_to_selected = true;
            None
        }
        // With a filter set, what the timeline shows is exported (the last filter that parsed).
        Action::Export(path) => Some(Command::Export {
            path: path.clone(),
            filter: (!state.timeline.filter_in_force().is_empty())
                .then(|| state.timeline.filter_in_force()),
        }),
        Action::SaveCapture(path) => Some(Command::SaveCapture {
            path: path.clone(),
            filter: (!state.timeline.filter_in_force().is_empty())
                .then(|| state.timeline.filter_in_force()),
        }),
        Action::OpenEvidence(incident) => {
            crate::ui::command_keys::open_evidence(view, incident.clone());
            None
        }
        // An incident's bundle takes its own span; otherwise what the timeline shows.
        Action::ExportEvidence { path, incident } => Some(Command::ExportBundle {
            path: path.clone(),
            filter: (incident.is_none() && !state.timeline.filter_in_force().is_empty())
                .then(|| state.timeline.filter_in_force()),
            incident: incident.clone(),
        }),
        Action::UseMemoryRecord => Some(Command::UseMemoryRecord),
        Action::DecodePasted { text, profile } => {
            // The answer to this paste replaces the last one when it comes.
            state.pasted = None;
            Some(Command::DecodePasted {
                text: text.clone(),
                profile: profile.clone(),
            })
        }
        Action::Replay(request) => {
            // The answer to this replay replaces the last one when it comes.
            state.replayed = None;
            Some(Command::Replay(Box::new(request.clone())))
        }
        Action::AddFilterTerm(field, value) => {
            view.add_filter_term(field, value);
            view.central = ui::view::CentralView::Timeline;
            None
        }
        Action::SaveProfile { profile, secrets } => {
            view.profile_form = None;
            Some(Command::SaveProfile(profile.clone(), secrets.clone()))
        }
        Action::TestConnection { profile, secrets } => {
            // Shown at once as running; the runtime tells each step as it ends.
            let started = crate::core::connection_test::ConnectionTest::start(&profile.name);
            state.connection_test = Some(started);
            Some(Command::TestConnection(profile.clone(), secrets.clone()))
        }
        Action::RemoveProfile(name) => Some(Command::RemoveProfile(name.clone())),
        Action::StartProfile(name) => Some(Command::StartProfile(name.clone())),
        Action::StopStream(key) => Some(Command::StopStream(key.clone())),
        // The app starts its runtime again (`InspectorApp::reset_demo`): nothing to send.
        Action::ResetDemo => None,
        Action::StreamOp { key, op } => Some(Command::Stream(key.clone(), op.clone())),
        Action::SelectExchange(exchange) => {
            view.selected_exchange = exchange
                .clone()
                .map(|e| ExchangeView::new(e, &state.timeline));
            None
        }
        // The app opens and closes files itself (`InspectorApp::dispatch`).
        Action::OpenFile(_) | Action::CloseFile(_) => None,
        Action::OpenSubjectHistory(subject) => {
            view.subject_history = Some(crate::core::subject_history::SubjectHistory::new(subject));
            None
        }
        Action::ShowExchange(id) => {
            match state.exchanges.iter().rev().find(|e| e.id == *id) {
                Some(exchange) => {
                    view.central = ui::view::CentralView::Exchanges;
                    let needle = view.exchange_filter.trim().to_lowercase();
                    if !exchange.matches_text(&needle) {
                        view.set_filter_aside(view.central, format!("exchange #{id}"));
                    }
                    view.follow = false;
                    view.scroll_to_selected = true;
                    let shown = ExchangeView::new(Arc::clone(exchange), &state.timeline);
                    view.selected_exchange = Some(shown);
                }
                None => state.note(
                    NoticeLevel::Error,
                    format!(
                        "Exchange #{id} is older than the {} the window keeps; it is still in the record database (record.sqlite3 in the data folder)",
                        crate::core::state::EXCHANGES_KEPT
                    ),
                    UnixMillis::now(),
                ),
            }
            None
        }
    }
}
