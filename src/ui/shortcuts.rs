//! Keyboard shortcuts, each defined once: ↓/↑ move through the timeline (or the exchanges),
//! Esc closes the details (of a SET, or of an exchange in the exchanges view), Ctrl+F focuses
//! the filter; the command shortcuts (`command_keys`) and the UI scale's (`view_menu`) are read
//! from here too. `TABLE` lists them all, for the help overlay.

use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::view::CentralView;
use super::{Action, ViewState, command_keys};
use crate::core::state::InspectorState;

/// Select the next SET.
pub const NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::ArrowDown);
/// Select the previous SET.
pub const PREVIOUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::ArrowUp);
/// Close the details panel.
pub const CLOSE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);
/// Focus the filter box.
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Open or close the list of shortcuts.
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
/// Send the subject form (read by the form, so Enter in its JSON box still starts a new line).
pub const SUBMIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);

/// Every shortcut and what it does: the help overlay lists this table and the tooltips quote it.
pub const TABLE: [(KeyboardShortcut, &str); 17] = [
    (
        NEXT,
        "Select the next row (SETs or exchanges); stops following live",
    ),
    (PREVIOUS, "Select the previous row"),
    (
        CLOSE,
        "Close the dialog in front, the details, or this list",
    ),
    (FIND, "Focus the filter box"),
    (
        command_keys::ACKNOWLEDGE,
        "Acknowledge the incident in the banner",
    ),
    (command_keys::TIMELINE, "Show the timeline of SETs"),
    (command_keys::EXCHANGES, "Show the HTTP exchanges"),
    (command_keys::NEW_PROFILE, "Open the form for a new profile"),
    (
        command_keys::EXPORT,
        "Open the Export window (SETs as JSON Lines)",
    ),
    (
        command_keys::OPEN,
        "Open a capture, an evidence bundle or a record beside the live streams",
    ),
    (
        command_keys::DECODE,
        "Open the Decode window (a token or JSON Lines, verified and linted)",
    ),
    (
        command_keys::PASTE,
        "Outside a text field: decode the token pasted, in the Decode window",
    ),
    (
        SUBMIT,
        "Send the form: the subject typed (subject form), the text (Decode window)",
    ),
    (HELP, "Show or hide this list of shortcuts (also ?)"),
    (
        super::view_menu::ZOOM_IN,
        "Larger type (UI scale up to 2.0×)",
    ),
    (super::view_menu::ZOOM_OUT, "Smaller type (down to 1.0×)"),
    (super::view_menu::ZOOM_RESET, "UI scale back to 1.0×"),
];

/// How a shortcut is written on this machine (Ctrl or ⌘).
pub fn label(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    ctx.format_shortcut(shortcut)
}

/// What the tooltip of a control with `shortcut` says after `what`.
pub fn hint(ctx: &egui::Context, what: &str, shortcut: &KeyboardShortcut) -> String {
    format!("{what} ({})", label(ctx, shortcut))
}

/// Read this frame's shortcuts.
/// `live` is the live streams' state (the banner's incident), `state` the one shown (the rows
/// stepped through).
pub fn handle(
    ctx: &egui::Context,
    live: &InspectorState,
    state: &InspectorState,
    view: &mut ViewState,
) -> Option<Action> {
    if ctx.input_mut(|i| i.consume_shortcut(&FIND)) {
        view.focus_filter = true;
        return None;
    }
    if ctx.input_mut(|i| i.consume_shortcut(&HELP)) {
        view.help_open = !view.help_open;
        return None;
    }
    if super::view_menu::handle_shortcuts(ctx, view) {
        return None;
    }
    if let Some(action) = command_keys::handle(ctx, live, view, modal_open(view)) {
        return action;
    }
    // Esc closes the dialog in front (even while typing in it), nothing saved or sent.
    if close_dialog(view) && close_pressed(ctx) {
        close_front_dialog(view);
        return None;
    }
    if ctx.egui_wants_keyboard_input() {
        return None; // typing in a text field
    }
    if ctx.input(|i| {
        i.events
            .iter()
            .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
    }) {
        view.help_open = !view.help_open;
        return None;
    }
    if view.help_open && close_pressed(ctx) {
        view.help_open = false;
        return None;
    }
    if view.central == CentralView::Exchanges {
        if view.selected_exchange.is_some() && close_pressed(ctx) {
            return Some(Action::SelectExchange(None));
        }
        let step = step(ctx)?;
        let shown: Vec<usize> = super::exchanges::visible(state, &view.exchange_filter)
            .unwrap_or_else(|| (0..state.exchanges.len()).collect());
        let current = view.selected_exchange.as_ref().and_then(|selected| {
            shown.iter().position(|&i| {
                state
                    .exchanges
                    .get(i)
                    .is_some_and(|e| Arc::ptr_eq(e, &selected.exchange))
            })
        });
        let next = moved(current, step, shown.len())?;
        return shown
            .get(next)
            .and_then(|&i| state.exchanges.get(i))
            .map(|exchange| Action::ShowExchange(exchange.id));
    }
    if close_pressed(ctx) {
        return Some(Action::Select(None));
    }
    let step = step(ctx)?;
    let seqs: Vec<u64> = state.timeline.visible_seqs().collect();
    let current = view
        .selected
        .and_then(|seq| seqs.iter().position(|&s| s == seq));
    let next = moved(current, step, seqs.len())?;
    seqs.get(next).map(|&seq| Action::Step(seq))
}

/// Esc pressed this frame, consumed, unless a menu is open: then Esc is the menu's (egui
/// closes it) and closes nothing behind it.
fn close_pressed(ctx: &egui::Context) -> bool {
    !egui::Popup::is_any_open(ctx) && ctx.input_mut(|i| i.consume_shortcut(&CLOSE))
}

/// ↓ (+1) or ↑ (-1) pressed this frame, consumed.
fn step(ctx: &egui::Context) -> Option<isize> {
    if ctx.input_mut(|i| i.consume_shortcut(&NEXT)) {
        Some(1)
    } else if ctx.input_mut(|i| i.consume_shortcut(&PREVIOUS)) {
        Some(-1)
    } else {
        None
    }
}

/// The row a step leads to in a list of `len` rows: it stays on the first or last row; with no
/// row selected, ↓ starts at the first and ↑ at the last.
fn moved(current: Option<usize>, step: isize, len: usize) -> Option<usize> {
    let next = match current {
        Some(pos) => pos
            .checked_add_signed(step)
            .filter(|&p| p < len)
            .unwrap_or(pos),
        None if step > 0 => 0,
        None => len.checked_sub(1)?,
    };
    (next < len).then_some(next)
}

/// True when a dialog that asks something (a form, the confirmation) is open: the rest of the
/// window takes no clicks until it is closed.
pub fn modal_open(view: &ViewState) -> bool {
    view.confirm.is_some()
        || view.profile_form.is_some()
        || view.subject_form.is_some()
        || view.config_form.is_some()
        || view.status_form.is_some()
        || view.export_form.is_some()
        || view.paste_form.is_some()
        || view.replay_form.is_some()
}

/// True when a dialog (a form, the confirmation, the transmitter's facts) is open.
fn close_dialog(view: &ViewState) -> bool {
    view.confirm.is_some()
        || view.profile_form.is_some()
        || view.subject_form.is_some()
        || view.config_form.is_some()
        || view.status_form.is_some()
        || view.transmitter_info.is_some()
        || view.export_form.is_some()
        || view.paste_form.is_some()
        || view.replay_form.is_some()
        || view.subject_history.is_some()
}

/// Close the dialog in front: the confirmation first, then the forms.
fn close_front_dialog(view: &mut ViewState) {
    if view.confirm.take().is_some() {
        return;
    }
    if view.subject_form.take().is_some()
        || view.config_form.take().is_some()
        || view.status_form.take().is_some()
        || view.transmitter_info.take().is_some()
        || view.export_form.take().is_some()
        || view.paste_form.take().is_some()
        || view.replay_form.take().is_some()
        || view.subject_history.take().is_some()
    {
        return;
    }
    view.profile_form = None;
}
