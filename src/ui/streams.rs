//! The left panel's stream list: a status light per stream, its connection and its numbers.

use egui::RichText;

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
    egui::Grid::new(("stream", &stream.key.0))
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            ui.label("Status");
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
            ui.add(egui::Label::new(RichText::new(status).color(light)).wrap());
            ui.end_row();
            if let Some(reason) = &stream.status_reason {
                ui.label("Reason");
                if presenter {
                    ui.label(crate::core::redact::text(reason));
                } else {
                    ui.label(reason);
                }
                ui.end_row();
            }
            ui.label("Receiver");
            let (text, color) = match &stream.connection {
                Connection::Connecting(step) => {
                    (format!("connecting: {step}…"), theme::muted(dark))
                }
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
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
            ui.end_row();
            if let Some(info) = &stream.info {
                ui.label("Issuer");
                ui.add(egui::Label::new(RichText::new(&info.issuer).monospace()).wrap());
                ui.end_row();
                if !info.no_tls.is_empty() {
                    ui.label("");
                    no_tls_ui(ui, &info.no_tls, dark);
                    ui.end_row();
                }
                ui.label("Stream id");
                ui.label(RichText::new(&info.stream_id).monospace());
                ui.end_row();
                ui.label("Delivery");
                ui.add(
                    egui::Label::new(format!("{} to {}", info.transport.as_str(), info.endpoint))
                        .wrap(),
                );
                ui.end_row();
                ui.label("Events");
                // The latest configuration read or set, else the one found at set-up.
                let delivered = stream
                    .config
                    .as_ref()
                    .and_then(|c| c.get("events_delivered"))
                    .and_then(serde_json::Value::as_array)
                    .map_or(info.events_delivered.len(), Vec::len);
                ui.label(format!("{delivered} event types delivered"));
                ui.end_row();
            }
            // A stream never set up is not watched: no count of what it did not receive.
            if not_set_up(stream) {
                return;
            }
            ui.label("Received");
            let quiet = human_duration(stream.quiet_millis(now));
            match stream.last_set_at {
                Some(_) => ui.label(format!("{} SETs · last {quiet} ago", stream.sets_received)),
                // Only a stream that is being received is watched for its first SET.
                None if watched
                    && stream.connection == Connection::Connected
                    && stream.gone_at.is_none() =>
                {
                    ui.label(format!("none yet · watching for {quiet}"))
                }
                None => ui.label("none"),
            };
            ui.end_row();
            watch_rows_ui(ui, stream, refused, now);
        });
}

/// How the stream is watched when the transmitter does not tell: the silence count-up against
/// its threshold, and the verification heartbeat.
/// `refused`: the receiver's record refuses SETs, so silence is not counted against the stream.
fn watch_rows_ui(ui: &mut egui::Ui, stream: &StreamState, refused: bool, now: UnixMillis) {
    let dark = ui.visuals().dark_mode;
    ui.label("Silence");
    let quiet = stream.quiet_millis(now);
    let watched = stream.connection == Connection::Connected
        && !stream.deleted_by_receiver
        && stream.gone_at.is_none();
    match stream.silence_limit_millis() {
        // Nothing is awaited of a stream not received, deleted, or gone: no count-up in red.
        _ if !watched => {
            let text = "not counted: the stream is not being received";
            ui.add(egui::Label::new(RichText::new(text).color(theme::muted(dark))).wrap());
        }
        _ if refused => {
            let text = "not counted: the record refuses SETs, so the quiet is the receiver's";
            ui.add(egui::Label::new(RichText::new(text).color(theme::muted(dark))).wrap());
        }
        // A stream known to be paused or disabled delivers nothing: its quiet is that stop's
        // consequence, not a second alarm (the watchdog raises none), so it is not shown as one.
        _ if matches!(stream.status, StreamStatus::Paused | StreamStatus::Disabled) => {
            let text = format!(
                "silent for {} · expected while {} (no silence alert)",
                human_duration(quiet),
                stream.status.as_str()
            );
            ui.add(egui::Label::new(RichText::new(text).color(theme::muted(dark))).wrap());
        }
        Some((limit, learned)) => {
            let how = if learned { "learned" } else { "set" };
            let text = format!(
                "silent for {} · alert after {} ({how})",
                human_duration(quiet),
                human_duration(limit)
            );
            let color = if quiet > limit {
                theme::bad(dark)
            } else if quiet > limit / 2 {
                theme::warn(dark)
            } else {
                theme::muted(dark)
            };
            ui.label(RichText::new(text).color(color));
        }
        None => {
            ui.label(RichText::new("learning the stream's cadence…").color(theme::muted(dark)));
        }
    }
    ui.end_row();
    ui.label("Heartbeat");
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
    ui.label(RichText::new(words.join(" · ")).color(theme::muted(dark)));
    ui.end_row();
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
        ui.label("Redelivered");
        ui.label(
            RichText::new(format!("{} (not stored again)", redelivered.join(", ")))
                .color(theme::warn(dark)),
        );
        ui.end_row();
    }
    coverage_row_ui(ui, stream);
}

/// Which ways of noticing a stop this stream has, and why a way is missing.
fn coverage_row_ui(ui: &mut egui::Ui, stream: &StreamState) {
    let Some(coverage) = &stream.coverage else {
        return;
    };
    let dark = ui.visuals().dark_mode;
    ui.label("Coverage");
    let have: Vec<&str> = coverage
        .available()
        .into_iter()
        .map(crate::core::coverage::Way::label)
        .collect();
    ui.vertical(|ui| {
        ui.add(
            egui::Label::new(
                RichText::new(format!("watched by {}", have.join(", "))).color(theme::muted(dark)),
            )
            .wrap(),
        );
        for (way, why) in &coverage.missing {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("⚠ no {}: {why}", way.label())).color(theme::warn(dark)),
                )
                .wrap(),
            );
        }
    });
    ui.end_row();
}

/// "no TLS" for the stream, with each plain-http URL it calls.
fn no_tls_ui(ui: &mut egui::Ui, plain: &[crate::core::tls_rule::NoTls], dark: bool) {
    let elsewhere = plain.iter().any(|p| !p.loopback);
    let text = if elsewhere {
        format!("⚠ no TLS: {} URL(s), some on another machine", plain.len())
    } else {
        format!("⚠ no TLS: {} URL(s) on this machine", plain.len())
    };
    let color = if elsewhere {
        theme::bad(dark)
    } else {
        theme::warn(dark)
    };
    ui.vertical(|ui| {
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
