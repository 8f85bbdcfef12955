//! The left panel's stream list: a status light per stream, its connection and its numbers.

use egui::RichText;

use super::facts::{Facts, facts_ui};
use super::{Action, ViewState, json_tree, stream_actions, theme};
use crate::core::remedy;
use crate::core::state::InspectorState;
use crate::core::stream::{Connection, StatusSource, StreamState, StreamStatus};
use crate::core::time::{UnixMillis, human_duration};

/// Draw every stream, each with its action row.
pub fn streams_ui(
    ui: &mut egui::Ui,
    state: &InspectorState,
    view: &mut ViewState,
    now: UnixMillis,
    actions: &mut Vec<Action>,
) {
    ui.heading("Streams");
    if state.streams.is_empty() {
        if view.demo_requested {
            ui.label("Starting the built-in demo transmitter…");
        } else {
            ui.label(
                RichText::new("None running: start a profile below, or add one with New profile…")
                    .weak(),
            );
        }
    }
    for stream in state.streams.values() {
        let alarmed = state.alerts.iter().any(|a| {
            a.stream == stream.key
                && a.is_active()
                && a.severity == crate::core::alerts::Severity::Critical
        });
        // Ids per stream, so one stream growing a row leaves the next one's buttons alone.
        super::keyed_ui(ui, ("stream", &stream.key.0), |ui| {
            if view.presenter {
                super::state_tile::state_tile_ui(ui, stream, state);
            }
            // The buttons come first, under the name: what the card then says (a reason, a
            // failure) grows below them and moves none of them.
            let light = stream_header_ui(ui, stream, alarmed);
            stream_actions::stream_actions_ui(ui, stream, view, actions);
            super::demo_reset::demo_reset_ui(ui, state, stream, view, actions);
            stream_ui(
                ui,
                stream,
                light,
                (state.record.refuses_sets(), view.presenter),
                now,
            );
            super::status_history::status_history_ui(ui, state, stream, view.presenter, actions);
            if let Some(serde_json::Value::Object(config)) = &stream.config {
                egui::CollapsingHeader::new("Configuration (as read)")
                    .id_salt(("stream_config", &stream.key.0))
                    .show(ui, |ui| {
                        json_tree::json_object_ui(
                            ui,
                            &format!("config{}", stream.key),
                            config,
                            now,
                        );
                    });
            }
        });
        ui.add_space(8.0);
    }
}

fn status_light_ui(ui: &mut egui::Ui, color: egui::Color32, tooltip: &str) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter().circle_filled(rect.center(), 6.0, color);
    response.on_hover_text(tooltip);
}

/// The stream's light and name; returns the light's colour. `alarmed`: a critical alert is
/// active for the stream, so its light is red whatever the transmitter says.
fn stream_header_ui(ui: &mut egui::Ui, stream: &StreamState, alarmed: bool) -> egui::Color32 {
    let dark = ui.visuals().dark_mode;
    // What the panel says comes from the last answer: a stream this receiver deleted, or no
    // longer watches, is not shown as a live green "enabled".
    let watched = stream.connection != Connection::Stopped && !stream.deleted_by_receiver;
    let light = if alarmed {
        theme::bad(dark)
    } else if !watched {
        theme::muted(dark)
    } else {
        theme::status(dark, stream.status)
    };
    ui.horizontal(|ui| {
        status_light_ui(
            ui,
            light,
            &format!("Transmitter status: {}", stream.status.as_str()),
        );
        ui.label(RichText::new(&stream.label).strong());
    });
    light
}

/// Every name a stream's card can show, so its values line up whichever lines are shown.
const NAMES: [&str; 12] = [
    "Status",
    "Reason",
    "Receiver",
    "Issuer",
    "Stream id",
    "Delivery",
    "Events",
    "Received",
    "Silence",
    "Heartbeat",
    "Redelivered",
    "Coverage",
];

/// A text in `color`, wrapped in the width it has.
fn wrapped(ui: &mut egui::Ui, text: impl Into<String>, color: egui::Color32) {
    ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
}

/// The stream's facts, the status in `light`'s colour.
fn stream_ui(
    ui: &mut egui::Ui,
    stream: &StreamState,
    light: egui::Color32,
    (refused, presenter): (bool, bool),
    now: UnixMillis,
) {
    let dark = ui.visuals().dark_mode;
    let watched = stream.connection != Connection::Stopped && !stream.deleted_by_receiver;
    facts_ui(ui, &NAMES, |facts, ui| {
        let mut status = stream.status.as_str().to_owned();
        if let Some((at, source)) = stream.status_changed {
            let by = match source {
                StatusSource::StreamUpdated { .. } => "stream-updated",
                StatusSource::StatusRead => "status read",
                StatusSource::Receiver => "set by this receiver",
            };
            status = format!("{status} since {} UTC ({by})", at.time_of_day());
        }
        let mut light = light;
        if stream.deleted_by_receiver {
            status = "deleted by this receiver".to_owned();
        } else if let Some(gone) = stream.gone_at {
            // What the last read found outranks the last status told: the stream is gone.
            status = format!(
                "gone at the transmitter since {} UTC (deleted or replaced there)",
                gone.time_of_day()
            );
            light = theme::bad(dark);
        } else if !watched {
            status = format!("{status}, when last seen (no longer watched)");
        }
        facts.row(ui, "Status", |ui| wrapped(ui, status, light));
        if let Some(reason) = &stream.status_reason {
            facts.row(ui, "Reason", |ui| {
                if presenter {
                    ui.label(crate::core::redact::text(reason));
                } else {
                    ui.label(reason);
                }
            });
        }
        let (text, color) = match &stream.connection {
            Connection::Connecting(step) => (format!("connecting: {step}…"), theme::muted(dark)),
            Connection::Connected if stream.gone_at.is_some() => (
                "listening, but the transmitter no longer has the stream".to_owned(),
                theme::warn(dark),
            ),
            Connection::Connected => ("listening".to_owned(), theme::good(dark)),
            Connection::Failed(why) => (
                format!("failed: {}", remedy::for_window(why)),
                theme::bad(dark),
            ),
            Connection::Declined(why) => (
                format!("not set up: {}", remedy::for_window(why)),
                theme::warn(dark),
            ),
            Connection::Stopped => ("stopped".to_owned(), theme::muted(dark)),
        };
        facts.row(ui, "Receiver", |ui| wrapped(ui, text, color));
        if let Some(info) = &stream.info {
            facts.row(ui, "Issuer", |ui| {
                ui.add(egui::Label::new(RichText::new(&info.issuer).monospace()).wrap());
            });
            if !info.no_tls.is_empty() {
                facts.row(ui, "", |ui| no_tls_ui(ui, &info.no_tls, dark));
            }
            facts.row(ui, "Stream id", |ui| {
                ui.add(egui::Label::new(RichText::new(&info.stream_id).monospace()).wrap());
            });
            facts.row(ui, "Delivery", |ui| {
                ui.label(format!("{} to {}", info.transport.as_str(), info.endpoint));
            });
            // The latest configuration read or set, else the one found at set-up.
            let delivered = stream
                .config
                .as_ref()
                .and_then(|c| c.get("events_delivered"))
                .and_then(serde_json::Value::as_array)
                .map_or(info.events_delivered.len(), Vec::len);
            facts.row(ui, "Events", |ui| {
                ui.label(format!("{delivered} event types delivered"));
            });
        }
        // A stream never set up is not watched: no count of what it did not receive.
        if not_set_up(stream) {
            return;
        }
        let quiet = human_duration(stream.quiet_millis(now));
        let received = match stream.last_set_at {
            Some(_) => format!("{} SETs · last {quiet} ago", stream.sets_received),
            // Only a stream that is being received is watched for its first SET.
            None if watched
                && stream.connection == Connection::Connected
                && stream.gone_at.is_none() =>
            {
                format!("none yet · watching for {quiet}")
            }
            None => "none".to_owned(),
        };
        facts.row(ui, "Received", |ui| {
            ui.label(received);
        });
        watch_rows_ui(ui, facts, stream, refused, now);
    });
}

/// How the stream is watched when the transmitter does not tell: the silence count-up against
/// its threshold, and the verification heartbeat.
/// `refused`: the receiver's record refuses SETs, so silence is not counted against the stream.
fn watch_rows_ui(
    ui: &mut egui::Ui,
    facts: &Facts,
    stream: &StreamState,
    refused: bool,
    now: UnixMillis,
) {
    let dark = ui.visuals().dark_mode;
    let quiet = stream.quiet_millis(now);
    let watched = stream.connection == Connection::Connected
        && !stream.deleted_by_receiver
        && stream.gone_at.is_none();
    let (silence, color) = match stream.silence_limit_millis() {
        // Nothing is awaited of a stream not received, deleted, or gone: no count-up in red.
        _ if !watched => (
            "not counted: the stream is not being received".to_owned(),
            theme::muted(dark),
        ),
        _ if refused => (
            "not counted: the record refuses SETs, so the quiet is the receiver's".to_owned(),
            theme::muted(dark),
        ),
        // A stream known to be paused or disabled delivers nothing: its quiet is that stop's
        // consequence, not a second alarm (the watchdog raises none), so it is not shown as one.
        _ if matches!(stream.status, StreamStatus::Paused | StreamStatus::Disabled) => (
            format!(
                "silent for {} · expected while {} (no silence alert)",
                human_duration(quiet),
                stream.status.as_str()
            ),
            theme::muted(dark),
        ),
        Some((limit, learned)) => {
            let how = if learned { "learned" } else { "set" };
            let color = if quiet > limit {
                theme::bad(dark)
            } else if quiet > limit / 2 {
                theme::warn(dark)
            } else {
                theme::muted(dark)
            };
            let text = format!(
                "silent for {} · alert after {} ({how})",
                human_duration(quiet),
                human_duration(limit)
            );
            (text, color)
        }
        None => (
            "learning the stream's cadence…".to_owned(),
            theme::muted(dark),
        ),
    };
    facts.row(ui, "Silence", |ui| wrapped(ui, silence, color));
    let mut words = Vec::new();
    if let Some((_, asked)) = &stream.pending_verification {
        words.push(format!(
            "asked {} ago",
            human_duration(now.millis_since(*asked))
        ));
    }
    if let Some(rtt) = stream.verification_rtt_millis {
        words.push(format!("last round trip {}", human_duration(rtt)));
    }
    if words.is_empty() {
        words.push("none asked yet".to_owned());
    }
    facts.row(ui, "Heartbeat", |ui| {
        wrapped(ui, words.join(" · "), theme::muted(dark));
    });
    let copies = |n: u64| if n == 1 { "copy" } else { "copies" };
    let mut redelivered = Vec::new();
    if stream.repeats_after_ack > 0 {
        let n = stream.repeats_after_ack;
        redelivered.push(format!("{n} {} after acknowledgement", copies(n)));
    }
    if stream.refused_repeats > 0 {
        let n = stream.refused_repeats;
        redelivered.push(format!("{n} {} after refusal in setErrs", copies(n)));
    }
    if !redelivered.is_empty() {
        let text = format!("{} (not stored again)", redelivered.join(", "));
        facts.row(ui, "Redelivered", |ui| wrapped(ui, text, theme::warn(dark)));
    }
    coverage_row_ui(ui, facts, stream);
}

/// Which ways of noticing a stop this stream has, and why a way is missing.
fn coverage_row_ui(ui: &mut egui::Ui, facts: &Facts, stream: &StreamState) {
    let Some(coverage) = &stream.coverage else {
        return;
    };
    let dark = ui.visuals().dark_mode;
    let have: Vec<&str> = coverage
        .available()
        .into_iter()
        .map(crate::core::coverage::Way::label)
        .collect();
    facts.row(ui, "Coverage", |ui| {
        wrapped(
            ui,
            format!("watched by {}", have.join(", ")),
            theme::muted(dark),
        );
        for (way, why) in &coverage.missing {
            wrapped(
                ui,
                format!("⚠ no {}: {why}", way.label()),
                theme::warn(dark),
            );
        }
    });
}

/// "no TLS" for the stream, with each plain-http URL it calls.
fn no_tls_ui(ui: &mut egui::Ui, plain: &[crate::core::tls_rule::NoTls], dark: bool) {
    let elsewhere = plain.iter().any(|p| !p.loopback);
    let text = if elsewhere {
        format!("⚠ no TLS: {} URL(s), some remote", plain.len())
    } else {
        format!("⚠ no TLS: {} local URL(s)", plain.len())
    };
    let color = if elsewhere {
        theme::bad(dark)
    } else {
        theme::warn(dark)
    };
    ui.vertical(|ui| {
        // Short: a header does not wrap, and one wider than the card widened all after it
        // (values ran under the panel's edge, its scroll bar out of sight).
        egui::CollapsingHeader::new(RichText::new(text).color(color))
            .id_salt("no_tls")
            .show(ui, |ui| {
                for no_tls in plain {
                    ui.add(egui::Label::new(RichText::new(no_tls.line()).small()).wrap());
                }
            });
    });
}

/// The stream's set-up failed or was declined: it never received, and nothing watches it.
pub(super) fn not_set_up(stream: &StreamState) -> bool {
    !stream.set_up
        && matches!(
            stream.connection,
            Connection::Declined(_) | Connection::Failed(_)
        )
}
