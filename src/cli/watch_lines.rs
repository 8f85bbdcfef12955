//! What `watch` prints: one line (aligned text, or a JSON object) per SET, connection change,
//! notice, marker, coverage, stream status change, alert and record health change.

use std::io::Write as _;

use serde_json::json;

use crate::core::effects::StatusChange;
use crate::core::record_health::RecordHealth;
use crate::core::state::InspectorState;
use crate::core::stream::Connection;
use crate::core::time::UnixMillis;
use crate::core::update::Update;

pub(super) fn alert_lines(alerts: &[crate::core::alerts::Alert], json: bool) -> Vec<String> {
    alerts
        .iter()
        .map(|alert| {
            if json {
                alert.to_json().to_string()
            } else {
                let at = alert.first_seen.time_of_day();
                format!(
                    "{at}  ALERT {}  {}: {}",
                    alert.severity.as_str(),
                    alert.kind.title(),
                    alert.cause
                )
            }
        })
        .collect()
}

pub(super) fn print(lines: &[String]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// A notice (or an operation's outcome, said as one).
fn notice_line(text: &str, now: UnixMillis, json: bool) -> String {
    if json {
        json!({"kind": "notice", "at": now.rfc3339(), "text": text}).to_string()
    } else {
        format!("{}  {text}", now.time_of_day())
    }
}

pub(super) fn describe(update: &Update, state: &InspectorState, json: bool) -> Option<String> {
    let now = UnixMillis::now();
    match update {
        Update::Set(record) if json => Some(record.json_line(false)),
        Update::Set(record) => Some(format!(
            "{}  {:<6} {:<28} {:<44} {}",
            record.received_at.time_of_day(),
            record.stream.0,
            record.title(),
            record.subject,
            record.verification.verdict.label()
        )),
        Update::Connection {
            key, connection, ..
        } => {
            let previous = state.streams.get(key).map(|s| &s.connection);
            if previous == Some(connection) {
                return None;
            }
            let value = json!({"kind": "connection", "stream": key.0, "at": now.rfc3339(), "connection": connection});
            Some(if json {
                value.to_string()
            } else {
                format!(
                    "{}  {:<6} connection: {}",
                    now.time_of_day(),
                    key.0,
                    connection_text(connection)
                )
            })
        }
        Update::Notice { text, .. } => Some(notice_line(text, now, json)),
        Update::OpOutcome(outcome) => Some(notice_line(&outcome.text(), now, json)),
        Update::Marker(marker) => {
            let value = json!({"kind": "marker", "stream": marker.stream.0, "at": marker.at.rfc3339(), "marker": marker.kind.as_str()});
            Some(if json {
                value.to_string()
            } else {
                format!(
                    "{}  {:<6} {}",
                    marker.at.time_of_day(),
                    marker.stream.0,
                    marker.kind.describe()
                )
            })
        }
        Update::Coverage { key, coverage } => {
            let value = json!({"kind": "coverage", "stream": key.0, "at": now.rfc3339(), "coverage": coverage.available(), "missing": coverage.missing});
            Some(if json {
                value.to_string()
            } else {
                format!(
                    "{}  {:<6} coverage: {}",
                    now.time_of_day(),
                    key.0,
                    coverage.line()
                )
            })
        }
        Update::RecordHealth(health) => Some(record_line(health, json)),
        Update::StreamAdded { .. }
        | Update::VerificationFailed { .. }
        | Update::StreamsReplaced { .. }
        | Update::AcksIgnored { .. }
        | Update::DeletedByReceiver { .. }
        | Update::SessionEnded { .. }
        | Update::EarlierAlerts(_)
        | Update::EarlierStatus(_)
        | Update::ConnectionTest(_)
        | Update::Pasted(_)
        | Update::Replayed(_)
        | Update::Opened { .. }
        | Update::Metadata { .. }
        | Update::Keys { .. }
        | Update::KeysUnreachable { .. }
        | Update::StreamConfigured { .. }
        | Update::Status { .. }
        | Update::UnknownStatus { .. }
        | Update::OwnAction { .. }
        | Update::Exchange(_)
        | Update::StreamConfig { .. }
        | Update::Profiles(_)
        | Update::VerificationRequested { .. }
        | Update::VerificationSent { .. }
        | Update::Watch { .. }
        | Update::StreamGone { .. }
        | Update::PushRefused { .. }
        | Update::Reloaded(_)
        | Update::Reloading { .. }
        | Update::SetLoaded(_)
        | Update::SetUnavailable { .. }
        | Update::Matched { .. } => None,
    }
}

/// One line per stream status change (from a SET, a status read or this receiver), each
/// stamped with when it changed.
pub(super) fn status_lines(changes: &[StatusChange], json: bool) -> Vec<String> {
    changes
        .iter()
        .map(|change| {
            if json {
                let value = json!({"kind": "stream", "stream": change.stream.0, "at": change.at.rfc3339(), "status": change.status.as_str(), "reason": change.reason, "source": change.source, "exchange": change.exchange});
                value.to_string()
            } else {
                format!(
                    "{}  {:<6} status: {}",
                    change.at.time_of_day(),
                    change.stream.0,
                    change.status.as_str()
                )
            }
        })
        .collect()
}

fn connection_text(connection: &Connection) -> String {
    match connection {
        Connection::Connecting(step) => format!("connecting ({step})"),
        Connection::Connected => "connected".to_owned(),
        Connection::Failed(why) => format!("FAILED: {why}"),
        Connection::Declined(why) => format!("NOT SET UP: {why}"),
        Connection::Stopped => "stopped".to_owned(),
    }
}

fn record_line(health: &RecordHealth, json: bool) -> String {
    let now = UnixMillis::now();
    if json {
        let state = match health {
            RecordHealth::Durable { .. } => "durable",
            RecordHealth::Memory { .. } => "memory",
            RecordHealth::Unavailable { .. } => "unavailable",
            RecordHealth::Failing { .. } => "failing",
        };
        let value = json!({"kind": "record", "at": now.rfc3339(), "record": state, "refuses_sets": health.refuses_sets(), "text": health.summary()});
        return value.to_string();
    }
    let what = if health.refuses_sets() {
        format!(
            "{}; SETs are refused (503, not acknowledged) until it is fixed",
            health.summary()
        )
    } else {
        health.summary()
    };
    format!("{}  {what}", now.time_of_day())
}

#[cfg(test)]
mod status_line_tests {
    use super::status_lines;
    use crate::core::record::StreamKey;
    use crate::core::state::InspectorState;
    use crate::core::stream::{StatusSource, StreamStatus};
    use crate::core::time::UnixMillis;
    use crate::core::update::Update;

    #[test]
    fn a_status_line_carries_when_the_status_changed_not_when_it_was_printed() {
        let key = StreamKey("s".to_owned());
        let mut state = InspectorState::default();
        let added = Update::StreamAdded {
            key: key.clone(),
            label: "s".to_owned(),
        };
        let _ = state.apply(added, UnixMillis::now());
        let changed_at = UnixMillis(1_700_000_000_000);
        let read = Update::Status {
            key,
            status: StreamStatus::Disabled,
            reason: Some("admin".to_owned()),
            source: StatusSource::StatusRead,
            at: changed_at,
            exchange: None,
        };
        let effects = state.apply(read, UnixMillis::now());
        let lines = status_lines(&effects.statuses, true);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains(&changed_at.rfc3339()), "{}", lines[0]);
        assert!(lines[0].contains("\"status\":\"disabled\""), "{}", lines[0]);
    }
}
