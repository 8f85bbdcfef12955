//! `ssf-inspector watch`: the GUI's runtime and reducer without a window, printing every SET,
//! stream change and alert as it happens (aligned text, or one JSON object per line).

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::json;

use super::WatchArgs;
use crate::bridge::{no_wake, update_channel};
use crate::core::alerts::Severity;
use crate::core::record::StreamKey;
use crate::core::state::InspectorState;
use crate::core::stream::{Connection, StreamStatus};
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::runtime::profiles::{self, ProfileFiles};
use crate::runtime::transmitter::TransmitterOptions;
use crate::runtime::{self, Command};

/// Exit status of `watch --exit-on-critical` when a critical alert was raised.
pub const CRITICAL_EXIT: u8 = 3;

/// Run `watch` to completion.
pub fn run(args: &WatchArgs, demo: TransmitterOptions) -> anyhow::Result<ExitCode> {
    if !args.demo && args.profile.is_none() {
        anyhow::bail!(
            "say where to receive from: --demo (the built-in transmitter) or --profile NAME"
        );
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ssf-watch")
        .enable_all()
        .build()?;
    let code = rt.block_on(watch(args, demo));
    rt.shutdown_timeout(Duration::from_secs(1));
    code
}

async fn watch(args: &WatchArgs, demo: TransmitterOptions) -> anyhow::Result<ExitCode> {
    let (updates, mut rx) = update_channel(no_wake());
    let runtime = runtime::spawn(
        &tokio::runtime::Handle::current(),
        updates,
        args.record.clone(),
    );
    let watched = match &args.profile {
        Some(name) => {
            let files = ProfileFiles::user()?;
            let profile = files.load()?.into_iter().find(|p| &p.name == name);
            let Some(profile) = profile else {
                anyhow::bail!(
                    "no profile named \"{name}\" in {} (see `ssf-inspector profile list`)",
                    files.dir().display()
                );
            };
            let (config, client) = profiles::session_for(&files, &profile, !args.keep_stream)?;
            runtime
                .send(Command::StartSession(Box::new(config), client))
                .await?;
            StreamKey(name.clone())
        }
        None => {
            runtime.send(Command::StartDemo(Box::new(demo))).await?;
            StreamKey(crate::runtime::DEMO_STREAM.to_owned())
        }
    };
    let deadline = args.seconds.map_or(Duration::MAX, Duration::from_secs);
    let deadline = tokio::time::sleep(deadline.min(Duration::from_secs(100 * 365 * 86_400)));
    tokio::pin!(deadline);
    let mut state = InspectorState::default();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let mut critical = false;
    let mut ledgers = crate::runtime::Ledgers::default();
    let ended = crate::runtime::signals::termination();
    tokio::pin!(ended);
    loop {
        let update = tokio::select! {
            () = &mut deadline => break,
            // Ctrl+C or SIGTERM: stop like the deadline does (markers, undo, record closed).
            () = &mut ended => break,
            _ = clock.tick() => None,
            update = rx.recv() => match update {
                Some(update) => Some(update),
                None => break,
            },
        };
        let now = UnixMillis::now();
        for command in ledgers.commands(&state) {
            runtime.send(command).await.ok();
        }
        let Some(update) = update else {
            // Once a second: silence and heartbeat deadlines.
            let alerts = state.tick(now);
            if print(&alert_lines(&alerts, args.json)).is_err() {
                break;
            }
            if args.exit_on_critical && alerts.iter().any(|a| a.severity == Severity::Critical) {
                critical = true;
                break;
            }
            continue;
        };
        let line = describe(&update, &state, args.json);
        let before = statuses(&state);
        let alerts = state.apply(update, now);
        let mut lines: Vec<String> = line.into_iter().collect();
        lines.extend(status_changes(&before, &state, args.json));
        lines.extend(alert_lines(&alerts, args.json));
        if print(&lines).is_err() {
            break; // stdout closed (e.g. piped into head)
        }
        if args.exit_on_critical && alerts.iter().any(|a| a.severity == Severity::Critical) {
            critical = true;
            break;
        }
    }
    for command in ledgers.commands(&state) {
        runtime.send(command).await.ok();
    }
    runtime.send(Command::Shutdown).await.ok();
    // Let the session leave the transmitter as it found it, and report that.
    let _ = tokio::time::timeout(Duration::from_secs(6), async {
        while let Some(update) = rx.recv().await {
            let stopped = matches!(&update, Update::Connection { key, connection: Connection::Stopped | Connection::Failed(_) | Connection::Declined(_) } if key == &watched);
            if let Some(line) = describe(&update, &state, args.json) {
                print(&[line]).ok();
            }
            state.apply(update, UnixMillis::now());
            if stopped {
                break;
            }
        }
    })
    .await;
    Ok(if critical {
        ExitCode::from(CRITICAL_EXIT)
    } else {
        ExitCode::SUCCESS
    })
}

fn alert_lines(alerts: &[crate::core::alerts::Alert], json: bool) -> Vec<String> {
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

fn print(lines: &[String]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

fn describe(update: &Update, state: &InspectorState, json: bool) -> Option<String> {
    let now = UnixMillis::now();
    match update {
        Update::Set(record) if json => Some(record.to_json(false).to_string()),
        Update::Set(record) => Some(format!(
            "{}  {:<6} {:<28} {:<44} {}",
            record.received_at.time_of_day(),
            record.stream.0,
            record.title(),
            record.subject,
            record.verification.verdict.label()
        )),
        Update::Connection { key, connection } => {
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
        Update::Notice { text, .. } => {
            let value = json!({"kind": "notice", "at": now.rfc3339(), "text": text});
            Some(if json {
                value.to_string()
            } else {
                format!("{}  {text}", now.time_of_day())
            })
        }
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
        Update::StreamAdded { .. }
        | Update::VerificationFailed { .. }
        | Update::StreamsReplaced { .. }
        | Update::AcksIgnored { .. }
        | Update::DeletedByReceiver { .. }
        | Update::SessionEnded { .. }
        | Update::EarlierAlerts(_)
        | Update::Metadata { .. }
        | Update::Keys { .. }
        | Update::KeysUnreachable { .. }
        | Update::StreamConfigured { .. }
        | Update::Status { .. }
        | Update::Exchange(_)
        | Update::StreamConfig { .. }
        | Update::Profiles(_)
        | Update::VerificationRequested { .. }
        | Update::VerificationSent { .. }
        | Update::Watch { .. }
        | Update::StreamGone { .. }
        | Update::PushRefused { .. }
        | Update::Reloaded(_) => None,
    }
}

fn statuses(state: &InspectorState) -> Vec<(StreamKey, StreamStatus)> {
    state
        .streams
        .values()
        .map(|s| (s.key.clone(), s.status))
        .collect()
}

/// One line per stream whose transmitter-side status changed (from a SET or a status read).
fn status_changes(
    before: &[(StreamKey, StreamStatus)],
    state: &InspectorState,
    json: bool,
) -> Vec<String> {
    let now = UnixMillis::now();
    state
        .streams
        .values()
        .filter(|s| before.iter().any(|(k, status)| k == &s.key && *status != s.status))
        .map(|s| {
            let value = json!({"kind": "stream", "stream": s.key.0, "at": now.rfc3339(), "status": s.status.as_str(), "reason": s.status_reason});
            if json {
                value.to_string()
            } else {
                format!("{}  {:<6} status: {}", now.time_of_day(), s.key.0, s.status.as_str())
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
