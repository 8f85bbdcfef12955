//! "Follow live" for the live tables (timeline, exchanges), held while a person aims at a row:
//! at a high rate every arriving row scrolls the table, and rows that keep sliding up cannot be
//! picked. A pointer merely resting on the table (a presenter's) does not hold it. When the
//! hold ends the table goes back to its newest row.

use std::time::Duration;

use super::ViewState;

/// How long after the pointer last moved over the table following stays held.
const HOLD_AFTER_MOVE: Duration = Duration::from_secs(3);

/// How a live table scrolls this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Follow {
    /// Keep the table's end in view as rows arrive.
    pub stick: bool,
    /// Scroll to the last row now: a hold has just ended (rows arrived meanwhile, and egui no
    /// longer counts the table as at its end).
    pub to_end: bool,
}

/// Decide for the table about to fill the rest of `ui`. Following is held while the pointer
/// is over it and has moved in the last [`HOLD_AFTER_MOVE`] (or a button is down);
/// `view.follow_held` records that for the status bar and for the end of the hold.
pub fn follow(ui: &egui::Ui, view: &mut ViewState) -> Follow {
    let (since_move, button_down) =
        ui.input(|i| (i.pointer.time_since_last_movement(), i.pointer.any_down()));
    let hold = HOLD_AFTER_MOVE.as_secs_f32();
    let aiming = since_move < hold || button_down;
    let was_held = view.follow_held;
    view.follow_held = view.follow && aiming && ui.rect_contains_pointer(ui.max_rect());
    if view.follow_held {
        // Redraw when the hold runs out, even if no row arrives to wake the window.
        let left = (hold - since_move).max(0.05);
        ui.ctx()
            .request_repaint_after(Duration::from_secs_f32(left));
    }
    Follow {
        stick: view.follow && !view.follow_held,
        to_end: view.follow && was_held && !view.follow_held,
    }
}
