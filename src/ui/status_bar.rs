//! The bottom bar: where SETs are kept, the latest notice, and how long since the last SET.

use egui::RichText;

use super::{Action, ViewState, theme};
use crate::core::state::InspectorState;
use crate::core::time::{UnixMillis, human_duration};
use crate::core::update::NoticeLevel;

/// How long an information notice stays in the status bar.
pub const INFO_SHOWN_MILLIS: i64 = 30_000;

/// Draw the status bar.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    // *Decode…* and *Open…* at the right end (what comes from elsewhere), the rest from the left
    // in the width they leave.
    let right = egui::Layout::right_to_left(egui::Align::Center);
    ui.with_layout(right, |ui| {
        let hint = super::shortcuts::hint(
            ui.ctx(),
            "Decode, verify and lint a token or JSON Lines you paste; nothing is sent \
             anywhere (Ctrl+V outside a text field opens it too)",
            &super::command_keys::DECODE,
        );
        if ui.small_button("Decode…").on_hover_text(hint).clicked() {
            super::command_keys::open_decode(view);
        }
        let hint = super::shortcuts::hint(
            ui.ctx(),
            "Open a capture, an evidence bundle (its folder or .zip) or a record file read-only \
             beside the live streams (a file dropped on the window opens too)",
            &super::command_keys::OPEN,
        );
        if ui.small_button("Open…").on_hover_text(hint).clicked() {
            actions.push(Action::OpenFile(None));
        }
        ui.separator();
        let left = egui::Layout::left_to_right(egui::Align::Center);
        ui.with_layout(left, |ui| {
            // A long notice is cut ("…", whole on hover) before it reaches *Decode…*.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            facts_ui(ui, state, view, now, dark);
        });
    });
}

/// Where SETs are kept, the reading of the record, the last SET, the hold, the notice.
fn facts_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &ViewState,
    now: UnixMillis,
    dark: bool,
) {
    record_ui(ui, state, dark);
    ui.separator();
    let held = state.timeline.len();
    if held < state.reload_total {
        ui.spinner();
        ui.label(format!(
            "Reading the record: {held} of {} SETs",
            state.reload_total
        ));
        ui.separator();
    }
    let last = state.streams.values().filter_map(|s| s.last_set_at).max();
    match last {
        Some(at) => ui.label(format!(
            "Last SET {} ago",
            human_duration(now.millis_since(at))
        )),
        None => ui.label("No SET received yet"),
    };
    if view.follow_held {
        ui.label(RichText::new("· following held while the pointer is on the table").weak());
    }
    // An error stays until another notice replaces it; information is said for a while
    // (a note that stays all through a demo reads as something still wrong).
    let shown = state.notice.as_ref().filter(|notice| {
        notice.level == NoticeLevel::Error || now.millis_since(notice.at) < INFO_SHOWN_MILLIS
    });
    if let Some(notice) = shown {
        ui.separator();
        let color = match notice.level {
            NoticeLevel::Info => ui.visuals().text_color(),
            NoticeLevel::Error => theme::bad(dark),
        };
        ui.label(
            RichText::new(format!(
                "{} UTC  {}",
                notice.at.time_of_day(),
                crate::core::remedy::for_window(&notice.text)
            ))
            .color(color),
        );
    }
}

/// Where SETs go: the record file, or memory (in the warning colour, as nothing survives).
fn record_ui(ui: &mut egui::Ui, state: &InspectorState, dark: bool) {
    use crate::core::record_health::RecordHealth;
    let (text, color) = match &state.record {
        RecordHealth::Durable { .. } => ("Recording", theme::good(dark)),
        RecordHealth::Memory { .. } => ("In memory only", theme::warn(dark)),
        RecordHealth::Unavailable { .. } | RecordHealth::Failing { .. } => {
            ("Not recording: SETs refused", theme::bad(dark))
        }
    };
    // The summary is made only while the pointer is on the label, not every frame.
    ui.label(RichText::new(text).color(color).strong())
        .on_hover_ui(|ui| {
            ui.label(state.record.summary());
        });
}
