//! "Follow live" for the live tables (timeline, exchanges), held while a person aims at a row:
//! at a high rate every arriving row scrolls the table, and rows that keep sliding up cannot be
//! picked. A pointer merely resting on the table (a presenter's) does not hold it; a press on
//! it does. When the hold ends the table goes back to its newest row, again each frame until it
//! is there (rows keep arriving), after which egui keeps it stuck to its end. A table that gets
//! shorter while following (the banner arrives) goes back to its end the same way.
//!
//! A hold keeps the rows where the last frame drew them. egui moves a table stuck to its end
//! after drawing it (to the end of what was just drawn), so without more the first held frame
//! would draw the rows one frame of arrivals higher than the person saw them: the row under a
//! press would not be the row pressed. The offset each frame is drawn at is kept, and the
//! first held frame is drawn at it again.

use std::time::Duration;

use super::ViewState;

/// How long after the pointer last moved over the table following stays held.
const HOLD_AFTER_MOVE: Duration = Duration::from_secs(3);

/// How a live table scrolls this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Follow {
    /// Keep the table's end in view as rows arrive.
    pub stick: bool,
    /// Scroll to the last row now, without animation: a hold has ended and the table is not at
    /// its end yet (rows arrived meanwhile, and egui no longer counts it as stuck there).
    pub to_end: bool,
    /// Draw at this vertical offset: a hold starts, and this is where the last frame drew the
    /// rows the person is aiming at.
    pub offset: Option<f32>,
}

/// Where a table was drawn: its scroll area, and the offset of the last frame drawn (known
/// from its second frame on).
#[derive(Clone, Copy, Debug)]
struct Drawn {
    scroll: egui::Id,
    offset: Option<f32>,
}

fn drawn_id(table: &str) -> egui::Id {
    egui::Id::unique(("follow_drawn", table))
}

/// Decide for the table (`table` names it) about to fill the rest of `ui`. Following is held
/// while the pointer is over it and has moved in the last [`HOLD_AFTER_MOVE`], or a button is
/// down (from the frame of the press); `view.follow_held` records that for the status bar and
/// for the end of the hold.
pub fn follow(ui: &egui::Ui, view: &mut ViewState, table: &str) -> Follow {
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
    // The offset the last frame was drawn at, and this frame's (read before egui moves it).
    let last = ui.data(|d| d.get_temp::<Drawn>(drawn_id(table)));
    let offset = last
        .filter(|_| view.follow_held && !was_held)
        .and_then(|last| last.offset);
    if let Some(last) = last {
        let drawn = Drawn {
            scroll: last.scroll,
            offset: offset.or_else(|| {
                egui::scroll_area::State::load(ui.ctx(), last.scroll)
                    .map(|s| s.unclamped_offset().y)
            }),
        };
        ui.data_mut(|d| d.insert_temp(drawn_id(table), drawn));
    }
    Follow {
        stick: following,
        to_end: following && view.follow_catching_up,
        offset,
    }
}

/// After the table (`table` names it) was drawn: catching up ends once its end is in view.
pub fn drawn<R>(
    ui: &egui::Ui,
    view: &mut ViewState,
    table: &str,
    output: &egui::scroll_area::ScrollAreaOutput<R>,
) {
    let bottom = output.state.clamped_offset().y + output.inner_rect.height();
    if bottom + 1.0 >= output.content_size.y {
        view.follow_catching_up = false;
    } else if view.follow && !view.follow_held {
        // Following, and the end is out of view without a hold: the table got shorter (the
        // banner arrived, the window shrank), which egui's stick to the end does not follow.
        view.follow_catching_up = true;
        ui.ctx().request_repaint();
    }
    let id = drawn_id(table);
    let drawn_at = ui.data(|d| d.get_temp::<Drawn>(id)).and_then(|d| d.offset);
    if view.follow
        && !view.follow_held
        && drawn_at.is_some_and(|at| (at - output.state.unclamped_offset().y).abs() > 0.5)
    {
        // egui moved the table to its end after drawing it (rows came, or the table got
        // shorter): draw again where it is now, not at the next event, which may be a second
        // away once nothing arrives (a disabled stream sends nothing).
        ui.ctx().request_repaint();
    }
    if ui.data(|d| d.get_temp::<Drawn>(id)).is_none() {
        let drawn = Drawn {
            scroll: output.id,
            offset: None,
        };
        ui.data_mut(|d| d.insert_temp(id, drawn));
    }
}
