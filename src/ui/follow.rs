//! "Follow live" for the live tables (timeline, exchanges), held while a person aims at a row:
//! at a high rate every arriving row scrolls the table, and rows that keep sliding up cannot be
//! picked. A pointer merely resting on the table (a presenter's) does not hold it. When the
//! hold ends the table goes back to its newest row, again each frame until it is there (rows
//! keep arriving), after which egui keeps it stuck to its end.

use std::time::Duration;

use super::ViewState;

/// How long after the pointer last moved over the table following stays held.
const HOLD_AFTER_MOVE: Duration = Duration::from_secs(3);

/// How a live table scrolls this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Follow {
    /// Keep the table's end in view as rows arrive.
    pub stick: bool,
    /// Scroll to the last row now, without animation: a hold has ended and the table is not at
    /// its end yet (rows arrived meanwhile, and egui no longer counts it as stuck there).
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
    let following = view.follow && !view.follow_held;
    if following && was_held {
        view.follow_catching_up = true;
    }
    if !following {
        view.follow_catching_up = false;
    }
    Follow {
        stick: following,
        to_end: following && view.follow_catching_up,
    }
}

/// After the table was drawn: catching up ends once its end is in view.
pub fn drawn<R>(view: &mut ViewState, table: &egui::scroll_area::ScrollAreaOutput<R>) {
    let bottom = table.state.clamped_offset().y + table.inner_rect.height();
    if bottom + 1.0 >= table.content_size.y {
        view.follow_catching_up = false;
    }
}
