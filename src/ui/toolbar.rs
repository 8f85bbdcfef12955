//! The top bar: name, timeline or exchanges, filter, counts, follow, export, theme.

use super::view::{CentralView, Source};
use super::{ViewState, command_keys, exchanges};
use crate::core::incident_story::thousands;
use crate::core::state::InspectorState;

/// Draw the toolbar.
pub fn toolbar_ui(ui: &mut egui::Ui, state: &InspectorState, view: &mut ViewState) {
    // Wraps onto a second line rather than overlapping when the scale leaves too little width.
    ui.horizontal_wrapped(|ui| {
        ui.heading("SSF Inspector");
        ui.separator();
        ui.selectable_value(&mut view.central, CentralView::Timeline, "Timeline")
            .on_hover_text(super::shortcuts::hint(
                ui.ctx(),
                "Received SETs",
                &command_keys::TIMELINE,
            ));
        ui.selectable_value(&mut view.central, CentralView::Exchanges, "Exchanges")
            .on_hover_text(super::shortcuts::hint(
                ui.ctx(),
                "Every HTTP request and answer (credentials redacted)",
                &command_keys::EXCHANGES,
            ));
        ui.separator();
        let label = ui.label("Filter");
        let hint = match view.central {
            CentralView::Timeline => "text, type:, subject:, verdict:invalid, after:-15m…",
            CentralView::Exchanges => "method, URL, status, stream…",
        };
        let width = (ui.available_width() * 0.4).clamp(140.0, 260.0);
        view.reveal_hidden_subjects();
        // Each view keeps its own filter, in one box.
        let central = view.central;
        let id = egui::Id::unique("filter_box");
        let masked = crate::core::redact::filter_text(view.filter_of(central));
        // In presenter mode a text naming a subject is shown masked and cannot be edited (an
        // edit of the masked text could not be told back onto the real one), unless it is being
        // typed: a value shown is then one the presenter is typing.
        let typing = ui.memory(|m| m.has_focus(id));
        let focus = std::mem::take(&mut view.focus_filter);
        let mut response = if view.presenter && masked != view.filter_of(central) && !typing {
            let mut shown = masked.as_str();
            let edit = egui::TextEdit::singleline(&mut shown)
                .id(id)
                .interactive(false)
                .desired_width(width);
            ui.add(edit).labelled_by(label.id).on_hover_text(
                "Names a subject: shown masked in presenter mode, and not editable \
                 (✖ clears it; turn presenter mode off in the View menu to edit it)",
            )
        } else {
            let edit = egui::TextEdit::singleline(view.filter_of_mut(central))
                .id(id)
                .hint_text(hint)
                .desired_width(width);
            let response = ui.add(edit).labelled_by(label.id);
            if focus {
                response.request_focus();
            }
            response
        };
        if central == CentralView::Timeline {
            response = response.on_hover_text(FILTER_HELP);
        }
        response.on_hover_text(super::shortcuts::hint(
            ui.ctx(),
            "Focus the filter",
            &super::shortcuts::FIND,
        ));
        if central == CentralView::Timeline {
            hidden_subjects_ui(ui, view);
        }
        // Always there (disabled with nothing to clear): clearing moves nothing beside it.
        let clear = ui
            .add_enabled(view.is_filtered(central), egui::Button::new("✖"))
            .on_hover_text("Clear the filter")
            .on_disabled_hover_text("No filter to clear");
        if clear.clicked() {
            view.clear_filter_of(central);
        }
        count_ui(ui, state, view);
        ui.separator();
        let ticked = ui.checkbox(&mut view.follow, "Follow live").on_hover_text(
            "Keep the newest row in view; held while the pointer is over the table, so a \
                 row can be picked while events arrive (picking one stops following)",
        );
        if ticked.changed() && view.follow {
            // Back to the live end at once, not at the next row that arrives.
            view.follow_catching_up = true;
        }
        // Export and Save capture read the live record.
        let live = view.source == Source::Live;
        let not_live = "Export and Save capture read the live record: show the live streams first";
        if ui
            .add_enabled(live, egui::Button::new("Export…"))
            .on_disabled_hover_text(not_live)
            .on_hover_text(super::shortcuts::hint(
                ui.ctx(),
                "Save the received SETs (raw token included) as JSON Lines: all of them, or with a \
                 filter set only those it matches",
                &command_keys::EXPORT,
            ))
            .clicked()
        {
            command_keys::open_export(view);
        }
        if ui
            .add_enabled(live, egui::Button::new("Save capture…"))
            .on_disabled_hover_text(not_live)
            .on_hover_text(
                "Save what a colleague needs to see this record: the SETs (all, or what the \
                 filter matches) with their exchanges, alerts, status changes and markers, \
                 secrets removed",
            )
            .clicked()
        {
            command_keys::open_capture(view);
        }
        ui.separator();
        // Both menus stay open while boxes are ticked; a click outside closes them.
        let config = || {
            egui::containers::menu::MenuConfig::new()
                .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        };
        egui::containers::menu::MenuButton::new("Notify")
            .config(config())
            .ui(ui, |ui| notify_ui(ui, view))
            .0
            .on_hover_text("What a critical alert does besides the red banner");
        egui::containers::menu::MenuButton::new("View")
            .config(config())
            .ui(ui, |ui| super::view_menu::view_menu_ui(ui, view))
            .0
            .on_hover_text("Presenter mode, UI scale, theme");
        let help = super::shortcuts::hint(ui.ctx(), "Keyboard shortcuts", &super::shortcuts::HELP);
        if ui.button("?").on_hover_text(help).clicked() {
            view.help_open = !view.help_open;
        }
    });
}

/// How many rows the view shows of how many, in a width that fits the longest count of this
/// size ("12 of 63 SETs"), so that a filter coming or going moves nothing after it.
fn count_ui(ui: &mut egui::Ui, state: &InspectorState, view: &ViewState) {
    let (shown, total, what) = match view.central {
        CentralView::Timeline => (state.timeline.visible_sets(), state.timeline.len(), "SETs"),
        CentralView::Exchanges => {
            let total = state.exchanges.len();
            let shown = exchanges::visible(state, &view.exchange_filter).map_or(total, |v| v.len());
            (shown, total, "exchanges")
        }
    };
    // Grouped as the rest of the window writes counts (1,000,000 SETs).
    let (shown, total) = (thousands(shown), thousands(total));
    let text = if shown == total {
        format!("{total} {what}")
    } else {
        format!("{shown} of {total} {what}")
    };
    let widest = egui::WidgetText::from(format!("{total} of {total} {what}")).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let size = egui::vec2(widest.size().x, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(
        size,
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_size(size);
            ui.add(egui::Label::new(text).extend());
        },
    );
}

/// Presenter mode's subjects in the filter, held out of the box: each shown masked, a click
/// takes it out of the filter.
fn hidden_subjects_ui(ui: &mut egui::Ui, view: &mut ViewState) {
    let mut removed = None;
    for (i, subject) in view.hidden_subjects.iter().enumerate() {
        let chip = format!("subject:{} ✖", crate::core::redact::mask(subject));
        if ui
            .small_button(chip)
            .on_hover_text("The timeline shows only this subject's SETs; click to take it out")
            .clicked()
        {
            removed = Some(i);
        }
    }
    if let Some(i) = removed {
        view.hidden_subjects.remove(i);
    }
}

/// How critical alerts reach a person who is not looking at the window.
fn notify_ui(ui: &mut egui::Ui, view: &mut ViewState) {
    ui.checkbox(
        &mut view.desktop_notifications,
        "Desktop notification on critical alerts",
    );
    ui.add_enabled(
        view.desktop_notifications,
        egui::Checkbox::new(&mut view.alert_sound, "Sound on critical alerts"),
    )
    .on_disabled_hover_text("The sound goes with the notification");
}

/// The filter language in brief, on the filter box.
const FILTER_HELP: &str = "Free text, or field:value terms: type:session-revoked, family:risc, \
subject:user@example.com, stream:, iss:, jti:, verdict:invalid, finding:RULE, severity:error, \
transport:poll, redelivered, is:rejected, after:/before: (2026-11-23T09:00:00Z or -15m). \
Combine with and, or, not (or -term) and parentheses.";
