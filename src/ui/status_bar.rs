//! The bottom bar: the latest notice, and how long since the last SET.

use egui::RichText;

use super::{ViewState, theme};
use crate::core::state::InspectorState;
use crate::core::time::{UnixMillis, human_duration};
use crate::core::update::NoticeLevel;

/// Draw the status bar.
pub fn status_bar_ui(ui: &mut egui::Ui, state: &InspectorState, view: &ViewState, now: UnixMillis) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
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
        if let Some(notice) = &state.notice {
            ui.separator();
            let color = match notice.level {
                NoticeLevel::Info => ui.visuals().text_color(),
                NoticeLevel::Error => theme::bad(dark),
            };
            ui.label(
                RichText::new(format!("{} UTC  {}", notice.at.time_of_day(), notice.text))
                    .color(color),
            );
        }
    });
}
