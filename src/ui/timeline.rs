//! The central timeline: one row per received SET, and a full-width line wherever the receiver
//! started or stopped (virtualised: only visible rows are laid out).

use egui::RichText;
use egui_extras::TableBuilder;

use super::timeline_columns::Columns;
use super::{Action, ViewState, theme};
use crate::core::marker::Marker;
use crate::core::state::InspectorState;
use crate::core::timeline::EntryView;
use crate::core::timeline::Row;

const ROW_HEIGHT: f32 = 22.0;

/// Draw the timeline table.
pub fn timeline_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    actions: &mut Vec<Action>,
) {
    let visible = state.timeline.visible();
    if state.timeline.visible_sets() == 0 && state.timeline.unresolved() > 0 {
        // Said in the table itself, rather than a bare "0 of N": rows appear as they match.
        super::filter_line::searching_ui(ui, state, view.presenter);
        return;
    }
    if state.timeline.visible_sets() == 0 {
        ui.centered_and_justified(|ui| {
            if state.timeline.is_empty() && state.streams.is_empty() {
                ui.label(
                    "No stream is running: start a profile (left), or add one with New profile…",
                );
            } else if state.timeline.is_empty() && state.streams.values().all(super::streams::not_set_up) {
                ui.label(
                    "No stream is set up: its card (left) says why, and what to choose in the profile",
                );
            } else if state.timeline.is_empty() && state.record.refuses_sets() {
                ui.label(
                    "No SET is taken while the record refuses them (see the red banner): the transmitter keeps them and delivers them again",
                );
            } else if state.timeline.is_empty() {
                ui.label(
                    "Waiting for SETs… the transmitter's first events appear here as they arrive",
                );
            } else if state.timeline.filter_error().is_some() {
                let filter = state.timeline.filter_in_force();
                let filter = if view.presenter {
                    crate::core::redact::filter_text(&filter)
                } else {
                    filter
                };
                ui.label(format!(
                    "No SET matches the last valid filter, {filter} (the text in the box has a mistake, shown above)"
                ));
            } else {
                ui.label("No SET matches the filter");
            }
        });
        return;
    }
    let dark = ui.visuals().dark_mode;
    ui.style_mut().interaction.selectable_labels = false;
    let selected_row = view
        .selected
        .and_then(|seq| state.timeline.visible_position(seq));
    let follow = super::follow::follow(ui, view, "timeline");
    let (columns, changed) = Columns::for_table(ui);
    let width = ui.available_width();
    let table = TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    let table = columns.add_to(table, width);
    if changed {
        table.reset();
    }
    let mut table = table
        .auto_shrink([false; 2])
        .max_scroll_height(f32::INFINITY)
        // Never taller than the room left (egui_extras' default minimum is 200 points): a
        // banner that takes the rest at 2× would otherwise cover the newest rows.
        .min_scrolled_height(0.0)
        .stick_to_bottom(follow.stick);
    if let Some(offset) = follow.offset {
        table = table.vertical_scroll_offset(offset);
    }
    if follow.to_end && !visible.is_empty() {
        table = table
            .animate_scrolling(false)
            .scroll_to_row(visible.len() - 1, Some(egui::Align::BOTTOM));
    }
    if std::mem::take(&mut view.scroll_to_selected)
        && let Some(row) = selected_row
    {
        table = table.scroll_to_row(row, Some(egui::Align::Center));
    }
    let drawn = table
        .header(ROW_HEIGHT, |mut header| {
            for title in columns.titles() {
                header.col(|ui| {
                    if !title.is_empty() {
                        ui.strong(*title);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, visible.len(), |mut row| {
                let record = match visible.get(row.index()) {
                    Some(Row::Set(i)) => state.timeline.entry(*i),
                    Some(Row::Marker(i)) => {
                        if let Some(marker) = state.timeline.marker(*i) {
                            marker_cells(&mut row, marker, dark, columns);
                        }
                        return;
                    }
                    None => None,
                };
                let Some(record) = record else { return };
                let selected = view.selected == Some(record.seq());
                row.set_selected(selected);
                row_cells(&mut row, record, (dark, view.presenter, selected), columns);
                let response = row.response();
                if response.clicked() {
                    actions.push(Action::Select(Some(record.seq())));
                }
                response.context_menu(|ui| row_menu_ui(ui, state, record, actions));
            });
        });
    super::follow::drawn(ui, view, "timeline", &drawn);
}

fn row_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    record: EntryView<'_>,
    (dark, presenter, selected): (bool, bool, bool),
    columns: Columns,
) {
    row.col(|ui| {
        // Weak text, unless selected: on the selection's fill, weak text reads at 2.8:1 (dark)
        // and 3.7:1 (light); the selected row's own colour reads (issue 23, item 9).
        let number = RichText::new(record.seq().to_string());
        ui.label(if selected { number } else { number.weak() });
    });
    if columns.shows_time() {
        row.col(|ui| {
            let time = columns.time(&record.received_at().time_of_day());
            ui.label(RichText::new(time).monospace());
        });
    }
    row.col(|ui| {
        let verdict = record.verdict();
        let mark =
            ui.label(RichText::new(columns.verdict(verdict)).color(theme::verdict(dark, verdict)));
        if columns.shows_time() {
            mark.on_hover_text(record.verdict_detail());
        } else {
            mark.on_hover_text(format!("{}: {}", verdict.label(), record.verdict_detail()));
        }
        if let Some(err) = record.rejection() {
            ui.label(RichText::new(format!("rejected: {err}")).color(theme::bad(dark)));
        }
        if record.redelivered() {
            ui.label(RichText::new("redelivered").color(theme::warn(dark)));
        }
    });
    row.col(|ui| {
        if let Some(event) = record.events().first()
            && columns.shows_family()
        {
            ui.label(
                RichText::new(event.family.tag())
                    .small()
                    .color(theme::family(dark, event.family)),
            );
        }
        ui.label(record.title())
            .on_hover_text(record.events().first().map_or("", |e| e.uri.as_str()));
    });
    row.col(|ui| {
        if presenter {
            ui.label(crate::core::redact::subject_line(record.subject()));
        } else {
            ui.label(record.subject());
        }
    });
}

/// A row's right-click menu: copy its ids, filter by its subject or type, show its exchange.
/// The raw token can be copied once the SET is held whole (selected, or among the newest).
fn row_menu_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    record: EntryView<'_>,
    actions: &mut Vec<Action>,
) {
    let full = state.timeline.full(record.seq());
    let copy_raw = ui
        .add_enabled(full.is_some(), egui::Button::new("Copy raw token"))
        .on_disabled_hover_text("Select the row first: its token is read from the record");
    if copy_raw.clicked()
        && let Some(full) = full
    {
        ui.ctx().copy_text(full.raw.clone());
        ui.close();
    }
    if let Some(jti) = record.jti()
        && ui.button("Copy jti").clicked()
    {
        ui.ctx().copy_text(jti.to_owned());
        ui.close();
    }
    if ui.button("Copy subject").clicked() {
        ui.ctx().copy_text(record.subject().to_owned());
        ui.close();
    }
    ui.separator();
    let subject = full
        .and_then(|r| super::details::subject_value(r))
        .unwrap_or_else(|| record.subject().to_owned());
    if record.subject() != "-" && ui.button("Filter by this subject").clicked() {
        actions.push(Action::AddFilterTerm("subject", subject));
        ui.close();
    }
    if record.subject() != "-" && ui.button("History of this subject").clicked() {
        actions.push(Action::OpenSubjectHistory(record.subject().to_owned()));
        ui.close();
    }
    if let Some(event) = record.events().first()
        && ui.button(format!("Filter by {}", event.name)).clicked()
    {
        actions.push(Action::AddFilterTerm("type", event.uri.clone()));
        ui.close();
    }
    if let Some(id) = record.exchange()
        && ui.button(format!("Show exchange #{id}")).clicked()
    {
        actions.push(Action::ShowExchange(id));
        ui.close();
    }
}

/// A receiver marker: its time, then the sentence across the remaining columns.
fn marker_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    marker: &Marker,
    dark: bool,
    columns: Columns,
) {
    let color = if marker.kind.ends_coverage() {
        theme::warn(dark)
    } else {
        theme::good(dark)
    };
    row.col(|ui| {
        ui.label(RichText::new("--").weak());
    });
    if columns.shows_time() {
        row.col(|ui| {
            let time = columns.time(&marker.at.time_of_day());
            ui.label(RichText::new(time).monospace().color(color));
        });
        row.col(|ui| {
            ui.label(
                RichText::new(marker.stream.0.as_str())
                    .italics()
                    .color(color),
            );
        });
    } else {
        // No room for the stream's name beside the mark's column: the time and the stream
        // are on hover of the title.
        row.col(|_| {});
    }
    row.col(|ui| {
        let title = ui.label(RichText::new(marker.kind.title()).italics().color(color));
        if !columns.shows_time() {
            title.on_hover_text(format!(
                "{} UTC, stream {}",
                marker.at.time_of_day(),
                marker.stream.0
            ));
        }
    });
    row.col(|ui| {
        ui.label(RichText::new(marker.kind.meaning()).italics().color(color))
            .on_hover_text(marker.kind.describe());
    });
}
