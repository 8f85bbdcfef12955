//! The timeline's columns sized to the width the table gets: wide, every column as it was;
//! medium (a larger scale, a details panel open), a compact #, the time to the second and the
//! verdict in a word; narrow (2.0× on 1280×720), the time dropped and the verdict a mark, so the
//! Event and Subject columns stay on screen.

use egui_extras::{Column, TableBuilder};

use crate::core::verify::Verdict;

/// How much of each row the table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Room for everything: #, the time with milliseconds, the verdict in full, the event with
    /// its family, the subject.
    Wide,
    /// The time to the second, the verdict in a word.
    Medium,
    /// No time column, the verdict a mark (its words on hover), the event without its family.
    Narrow,
}

/// The table's width from which every column is shown in full.
const WIDE_FROM: f32 = 760.0;
/// The table's width from which the time is shown.
const MEDIUM_FROM: f32 = 520.0;

impl Columns {
    /// The columns for a table `width` points wide.
    pub fn for_width(width: f32) -> Self {
        if width >= WIDE_FROM {
            Self::Wide
        } else if width >= MEDIUM_FROM {
            Self::Medium
        } else {
            Self::Narrow
        }
    }

    /// The headers, left to right.
    pub fn titles(self) -> &'static [&'static str] {
        match self {
            Self::Wide | Self::Medium => &["#", "Received", "Verdict", "Event", "Subject"],
            Self::Narrow => &["#", "", "Event", "Subject"],
        }
    }

    /// Whether the time of arrival has a column.
    pub fn shows_time(self) -> bool {
        self != Self::Narrow
    }

    /// Whether the event's family tag (CAEP, RISC…) is drawn before its name.
    pub fn shows_family(self) -> bool {
        self == Self::Wide
    }

    /// The columns for the width `ui` has now, and whether they differ from the last frame's
    /// (kept in `ui`'s memory).
    pub fn for_table(ui: &egui::Ui) -> (Self, bool) {
        let columns = Self::for_width(ui.available_width());
        let id = ui.scope_id().with("timeline_columns");
        let last = ui.data(|d| d.get_temp::<Self>(id));
        ui.data_mut(|d| d.insert_temp(id, columns));
        (columns, last.is_some_and(|last| last != columns))
    }

    /// The columns added to `table`, `width` wide. One table for every kind, so that its scroll position
    /// stays when the kind changes; the caller resets the widths a drag kept (`reset`), so
    /// that a width dragged when wide does not squeeze the Subject off screen when narrow.
    pub fn add_to(self, table: TableBuilder<'_>, width: f32) -> TableBuilder<'_> {
        let event = ((width - 36.0 - 20.0 - 24.0) / 2.0).clamp(100.0, 220.0);
        match self {
            Self::Wide => table
                .column(Column::exact(44.0))
                .column(Column::exact(96.0))
                .column(Column::initial(130.0).at_least(90.0).clip(true))
                .column(Column::initial(200.0).at_least(110.0).clip(true))
                .column(Column::remainder().at_least(120.0).clip(true)),
            Self::Medium => table
                .column(Column::exact(36.0).clip(true))
                .column(Column::exact(72.0))
                .column(Column::initial(90.0).at_least(60.0).clip(true))
                .column(Column::initial(170.0).at_least(110.0).clip(true))
                .column(Column::remainder().at_least(100.0).clip(true)),
            // The event and the subject share what is left evenly.
            Self::Narrow => table
                .column(Column::exact(36.0).clip(true))
                .column(Column::exact(20.0))
                .column(Column::initial(event).at_least(100.0).clip(true))
                .column(Column::remainder().at_least(80.0).clip(true)),
        }
    }

    /// The verdict as the column has room for it.
    pub fn verdict(self, verdict: Verdict) -> &'static str {
        match self {
            Self::Wide => verdict.label(),
            Self::Medium => short(verdict),
            Self::Narrow if verdict.is_valid() => "✔",
            Self::Narrow => "✖",
        }
    }

    /// The time of day as the column has room for it: milliseconds only when wide.
    pub fn time(self, time_of_day: &str) -> String {
        match self {
            Self::Wide => time_of_day.to_owned(),
            Self::Medium | Self::Narrow => time_of_day
                .split_once('.')
                .map_or(time_of_day, |(seconds, _)| seconds)
                .to_owned(),
        }
    }
}

/// The verdict in a word or two.
fn short(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "valid",
        Verdict::BadSignature => "invalid",
        Verdict::UnknownKey => "unknown key",
        Verdict::AlgNotAllowed => "alg refused",
        Verdict::Unsecured => "unsigned",
        Verdict::Malformed => "malformed",
        Verdict::NotVerified => "unverified",
        Verdict::CritUnsupported => "crit unknown",
    }
}
