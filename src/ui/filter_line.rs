//! The line above the central table, always one line high (so nothing below it moves as it
//! changes): why the filter text does not parse, a filter set aside to show evidence it hid
//! (with *Restore filter*), or the record's search of the claims while rows are shown. With no
//! row shown yet the search is told in the table itself ([`searching_ui`]).

use egui::RichText;

use super::view::CentralView;
use super::{ViewState, theme};
use crate::core::filter::FilterError;
use crate::core::state::InspectorState;

/// Draw the line for the view in the central panel.
pub fn filter_line_ui(ui: &mut egui::Ui, state: &InspectorState, view: &mut ViewState) {
    view.forget_replaced_set_asides();
    let height = ui.spacing().interact_size.y;
    let size = egui::vec2(ui.available_width(), height);
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(size, layout, |ui| {
        ui.set_min_size(size);
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        let central = view.central;
        let error = state.timeline.filter_error();
        if central == CentralView::Timeline
            && let Some(error) = error
        {
            error_ui(ui, error, view.presenter);
        } else if let Some(aside) = view.filter_set_aside(central) {
            let said = format!("Filter set aside to show {} —", aside.shown);
            ui.label(RichText::new(said).color(theme::warn(ui.visuals().dark_mode)));
            let restore = ui.small_button("Restore filter").on_hover_text(format!(
                "Put the filter back: {}",
                shown_filter(&aside.text, view.presenter)
            ));
            if restore.clicked() {
                view.restore_filter(central);
            }
        } else if central == CentralView::Timeline
            && state.timeline.unresolved() > 0
            && state.timeline.visible_sets() > 0
        {
            ui.label(searching_text(state, view.presenter))
                .on_hover_text(SEARCH_HELP);
            progress_ui(ui, state, 120.0);
        }
    });
}

/// In the table itself, while no row is shown yet: the record is searching the claims.
pub fn searching_ui(ui: &mut egui::Ui, state: &InspectorState, presenter: bool) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.label(searching_text(state, presenter))
            .on_hover_text(SEARCH_HELP);
        progress_ui(ui, state, 280.0);
    });
}

const SEARCH_HELP: &str = "Free text is also looked for in every claim. SETs read back from the \
record are held compact, so the record reads their claims; a row appears as soon as it matches";

/// "Searching the claims of 104,448 SETs for "foo"… 37% — rows appear as they match".
fn searching_text(state: &InspectorState, presenter: bool) -> String {
    let (done, asked) = state.timeline.search_progress();
    let filter = shown_filter(&state.timeline.filter_in_force(), presenter);
    format!(
        "Searching the claims of {} SETs for \"{filter}\"… {}% — rows appear as they match",
        grouped(asked),
        percent(done, asked)
    )
}

fn progress_ui(ui: &mut egui::Ui, state: &InspectorState, width: f32) {
    let (done, asked) = state.timeline.search_progress();
    let fraction = if asked == 0 {
        0.0
    } else {
        done as f32 / asked as f32
    };
    ui.add(egui::ProgressBar::new(fraction).desired_width(width))
        .on_hover_text(format!(
            "{} of {} SETs searched",
            grouped(done),
            grouped(asked)
        ));
}

/// A filter as shown: in presenter mode its subjects masked.
fn shown_filter(filter: &str, presenter: bool) -> String {
    if presenter {
        crate::core::redact::filter_text(filter)
    } else {
        filter.to_owned()
    }
}

/// Why the filter text does not parse, at which column, and that the last good filter is
/// still in force; a long error is cut to the line (all of it on hover).
fn error_ui(ui: &mut egui::Ui, error: &FilterError, presenter: bool) {
    // The error may quote the text, a subject with it.
    let error = shown_filter(&error.to_string(), presenter);
    let note = RichText::new("(the last valid filter is still applied)").weak();
    let note_width = egui::WidgetText::from(note.clone())
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x;
    let room = ui.available_width() - note_width - ui.spacing().item_spacing.x;
    let text =
        RichText::new(format!("⚠ Filter: {error}")).color(theme::bad(ui.visuals().dark_mode));
    let size = egui::vec2(room.max(60.0), ui.spacing().interact_size.y);
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(size, layout, |ui| {
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(&error);
    });
    ui.label(note);
}

fn percent(done: usize, of: usize) -> usize {
    (done * 100).checked_div(of).unwrap_or(0)
}

/// `104448` as "104,448".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(1000), "1,000");
        assert_eq!(super::grouped(104_448), "104,448");
        assert_eq!(super::grouped(1_234_567), "1,234,567");
    }
}
