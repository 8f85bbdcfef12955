//! Keyboard shortcuts, each defined once: ↓/↑ move through the timeline, Esc closes the
//! details (of a SET, or of an exchange in the exchanges view), Ctrl+F focuses the filter.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::view::CentralView;
use super::{Action, ViewState};
use crate::core::state::InspectorState;

/// Select the next SET.
pub const NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::ArrowDown);
/// Select the previous SET.
pub const PREVIOUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::ArrowUp);
/// Close the details panel.
pub const CLOSE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);
/// Focus the filter box.
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);

/// Read this frame's shortcuts.
pub fn handle(ctx: &egui::Context, state: &InspectorState, view: &mut ViewState) -> Option<Action> {
    if ctx.input_mut(|i| i.consume_shortcut(&FIND)) {
        view.focus_filter = true;
        return None;
    }
    if ctx.egui_wants_keyboard_input() {
        return None; // typing in a text field
    }
    if view.central == CentralView::Exchanges {
        let close =
            view.selected_exchange.is_some() && ctx.input_mut(|i| i.consume_shortcut(&CLOSE));
        return close.then_some(Action::SelectExchange(None));
    }
    if ctx.input_mut(|i| i.consume_shortcut(&CLOSE)) {
        return Some(Action::Select(None));
    }
    let step: isize = if ctx.input_mut(|i| i.consume_shortcut(&NEXT)) {
        1
    } else if ctx.input_mut(|i| i.consume_shortcut(&PREVIOUS)) {
        -1
    } else {
        return None;
    };
    let seqs: Vec<u64> = state.timeline.visible_seqs().collect();
    let current = view
        .selected
        .and_then(|seq| seqs.iter().position(|&s| s == seq));
    let next = match current {
        Some(pos) => pos
            .checked_add_signed(step)
            .filter(|&p| p < seqs.len())
            .unwrap_or(pos),
        None if step > 0 => 0,
        None => seqs.len().saturating_sub(1),
    };
    seqs.get(next).map(|&seq| Action::Step(seq))
}
