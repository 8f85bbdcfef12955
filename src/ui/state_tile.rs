//! Presenter mode's large state tile per stream: one word (enabled, paused, disabled, silent,
//! failed…) readable across a room, in the colour of its meaning, over the stream's card.

use egui::RichText;

use super::theme;
use crate::core::alerts::AlertKind;
use crate::core::state::InspectorState;
use crate::core::stream::{Connection, StreamState, StreamStatus};

/// What the tile says, and how it is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tile {
    /// Delivering.
    Enabled,
    /// The transmitter holds the events.
    Paused,
    /// The transmitter drops the events.
    Disabled,
    /// Nothing arrives for longer than expected.
    Silent,
    /// The receiver cannot reach or set up the stream.
    Failed,
    /// The stream is gone at the transmitter.
    Deleted,
    /// The receiver stopped watching it (or deleted it).
    Stopped,
    /// Being set up.
    Connecting,
    /// No answer yet.
    Unknown,
}

impl Tile {
    /// The stream's tile, from the last answer and the alerts in force.
    pub fn of(stream: &StreamState, state: &InspectorState) -> Self {
        let active = |kind: AlertKind| {
            state
                .alerts
                .iter()
                .any(|a| a.stream == stream.key && a.kind == kind && a.is_active())
        };
        if stream.deleted_by_receiver || stream.connection == Connection::Stopped {
            return Self::Stopped;
        }
        if active(AlertKind::StreamDeleted) {
            return Self::Deleted;
        }
        match (&stream.connection, stream.status) {
            (Connection::Failed(_) | Connection::Declined(_), _) => Self::Failed,
            (_, StreamStatus::Disabled) => Self::Disabled,
            (_, StreamStatus::Paused) => Self::Paused,
            (Connection::Connecting(_), _) => Self::Connecting,
            _ if active(AlertKind::Silent) || active(AlertKind::HeartbeatLost) => Self::Silent,
            (_, StreamStatus::Enabled) => Self::Enabled,
            (_, StreamStatus::Unknown) => Self::Unknown,
        }
    }

    /// The word shown.
    pub fn word(self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Paused => "PAUSED",
            Self::Disabled => "DISABLED",
            Self::Silent => "SILENT",
            Self::Failed => "FAILED",
            Self::Deleted => "DELETED",
            Self::Stopped => "STOPPED",
            Self::Connecting => "CONNECTING",
            Self::Unknown => "UNKNOWN",
        }
    }

    fn colour(self, dark: bool) -> egui::Color32 {
        match self {
            Self::Enabled => theme::good(dark),
            Self::Paused | Self::Silent => theme::warn(dark),
            Self::Disabled | Self::Failed | Self::Deleted => theme::bad(dark),
            Self::Stopped | Self::Connecting | Self::Unknown => theme::muted(dark),
        }
    }
}

/// Draw the tile: the word large in its colour (the theme's text colours, so it keeps their
/// contrast), framed by the same colour.
pub fn state_tile_ui(ui: &mut egui::Ui, stream: &StreamState, state: &InspectorState) {
    let dark = ui.visuals().dark_mode;
    let tile = Tile::of(stream, state);
    let colour = tile.colour(dark);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(3.0, colour))
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.vertical_centered(|ui| {
                ui.label(RichText::new(tile.word()).size(34.0).strong().color(colour));
                ui.label(RichText::new(&stream.label).size(16.0));
            });
        });
}
