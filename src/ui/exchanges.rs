//! The central exchanges table: every HTTP exchange the receiver made or served (discovery,
//! management, polls, pushes), newest last; virtualised, so thousands of rows stay cheap.

use std::sync::Arc;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{Action, ViewState, theme};
use crate::core::exchange::Exchange;
use crate::core::state::InspectorState;

const ROW_HEIGHT: f32 = 22.0;

/// The indexes of the exchanges the filter lets through (`None`: all of them).
pub fn visible(state: &InspectorState, filter: &str) -> Option<Vec<usize>> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    Some(
        state
            .exchanges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.matches_text(&needle))
            .map(|(i, _)| i)
            .collect(),
    )
}

/// Draw the exchanges table.
pub fn exchanges_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let shown = visible(state, &view.exchange_filter);
    let count = shown.as_ref().map_or(state.exchanges.len(), Vec::len);
    if count == 0 {
        ui.centered_and_justified(|ui| {
            if state.exchanges.is_empty() {
                ui.label(
                    "No HTTP exchange yet: discovery, management calls and deliveries appear here",
                );
            } else {
                ui.label("No exchange matches the filter");
            }
        });
        return;
    }
    let dark = ui.visuals().dark_mode;
    ui.style_mut().interaction.selectable_labels = false;
    let follow = super::follow::follow(ui, view, "exchanges");
    let selected = view.selected_exchange.as_ref().map(|v| &v.exchange);
    let mut table = TableBuilder::new(ui);
    if let Some(offset) = follow.offset {
        table = table.vertical_scroll_offset(offset);
    }
    if follow.to_end {
        table = table
            .animate_scrolling(false)
            .scroll_to_row(count - 1, Some(egui::Align::BOTTOM));
    }
    if std::mem::take(&mut view.scroll_to_selected)
        && let Some(selected) = selected
    {
        let at = |i: usize| {
            state
                .exchanges
                .get(i)
                .is_some_and(|e| Arc::ptr_eq(e, selected))
        };
        let row = match &shown {
            Some(list) => list.iter().position(|&i| at(i)),
            None => (0..state.exchanges.len()).position(at),
        };
        if let Some(row) = row {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        }
    }
    let drawn = table
        .id_salt("exchanges")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(48.0))
        .column(Column::exact(100.0))
        .column(Column::initial(80.0).at_least(50.0).clip(true))
        .column(Column::exact(56.0))
        .column(Column::exact(72.0))
        .column(Column::exact(64.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .auto_shrink([false; 2])
        .max_scroll_height(f32::INFINITY)
        // Never taller than the room left (egui_extras' default minimum is 200 points): a
        // banner that takes the rest at 2× would otherwise cover the newest rows.
        .min_scrolled_height(0.0)
        .stick_to_bottom(follow.stick)
        .header(ROW_HEIGHT, |mut header| {
            for title in ["#", "Time", "Stream", "Method", "Status", "Duration", "URL"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, count, |mut row| {
                let index = match &shown {
                    Some(list) => list.get(row.index()).copied(),
                    None => Some(row.index()),
                };
                let Some(exchange) = index.and_then(|i| state.exchanges.get(i)) else {
                    return;
                };
                row.set_selected(selected.is_some_and(|s| Arc::ptr_eq(s, exchange)));
                row_cells(&mut row, exchange, dark);
                if row.response().clicked() {
                    actions.push(Action::SelectExchange(Some(Arc::clone(exchange))));
                }
            });
        });
    super::follow::drawn(ui, view, "exchanges", &drawn);
}

fn row_cells(row: &mut egui_extras::TableRow<'_, '_>, exchange: &Exchange, dark: bool) {
    row.col(|ui| {
        ui.label(RichText::new(exchange.id.to_string()).weak());
    });
    row.col(|ui| {
        ui.label(RichText::new(exchange.at.time_of_day()).monospace());
    });
    row.col(|ui| {
        ui.label(exchange.stream.as_ref().map_or("-", |s| s.0.as_str()));
    });
    row.col(|ui| {
        ui.label(RichText::new(&exchange.method).monospace());
    });
    row.col(|ui| {
        let text = exchange
            .status
            .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
        ui.label(RichText::new(text).color(theme::http_status(dark, exchange.status)));
    });
    row.col(|ui| {
        ui.label(format!("{} ms", exchange.duration_millis));
    });
    row.col(|ui| {
        ui.label(RichText::new(&exchange.url).monospace())
            .on_hover_text(&exchange.url);
    });
}
