//! `ssf-inspector watch`: the GUI's runtime and reducer without a window, printing every SET
//! (or those `--filter` matches), stream change and alert as it happens (aligned text, or one
//! JSON object per line). Its timeline counts SETs instead of holding them, and a record on
//! disk (`--record FILE`) holds none in memory either: memory stays flat on a long run.

use std::process::ExitCode;
use std::time::Duration;

use super::WatchArgs;
use super::watch_lines::{alert_lines, describe, print, status_lines};
use crate::bridge::{no_wake, update_channel};
use crate::core::alerts::Severity;
use crate::core::record::StreamKey;
use crate::core::record_health::RecordHealth;
use crate::core::state::InspectorState;
use crate::core::stream::Connection;
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::runtime::profiles::{self, ProfileFiles};
use crate::runtime::transmitter::TransmitterOptions;
use crate::runtime::{self, Command};

/// Exit status of `watch --exit-on-critical` when a critical alert was raised.
pub const CRITICAL_EXIT: u8 = 3;
/// Exit status of `watch` when its stream could not be set up (failed, or declined so as to
/// harm no one's stream): nothing is received, so it ends at once.
pub const NOT_SET_UP_EXIT: u8 = 4;

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
    let filter = match args.filter.as_deref() {
        Some(text) => Some(
            crate::core::filter::Filter::parse(text)
                .map_err(|err| anyhow::anyhow!("--filter \"{text}\": {err}"))?,
        ),
        None => None,
    };
    let (updates, mut rx) = update_channel(no_wake());
    let folders = runtime::Folders {
        record: args.record.clone(),
        retention: args.retention.retention(),
        ..runtime::Folders::default()
    };
    let runtime = runtime::spawn_in(&tokio::runtime::Handle::current(), updates, folders);
    // SETs are printed as they come and not held (with --record FILE the store holds none
    // either): memory stays flat however long this runs.
    let mut state = InspectorState::default();
    state.timeline = crate::core::timeline::Timeline::counting();
    // The record first: one that was asked for and cannot be used ends the run before a
    // stream is touched (SETs would be refused, or worse, kept in memory unasked).
    if let Err(err) = record_ready(&mut rx, &mut state, args.json).await {
        runtime.send(Command::Shutdown).await.ok();
        return Err(err);
    }
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
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let mut exit = ExitCode::SUCCESS;
    let effects = runtime.effects();
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
        let Some(update) = update else {
            // Once a second: silence and heartbeat deadlines.
            let ticked = state.tick(now);
            let alerts = ticked.raised.clone();
            effects.record(ticked).ok();
            if print(&alert_lines(&alerts, args.json)).is_err() {
                break;
            }
            if args.exit_on_critical && alerts.iter().any(|a| a.severity == Severity::Critical) {
                exit = ExitCode::from(CRITICAL_EXIT);
                break;
            }
            continue;
        };
        let ended = matches!(&update, Update::SessionEnded { key } if key == &watched);
        let filtered_out = match (&update, &filter) {
            (Update::Set(record), Some(filter)) => !filter.matches(record.as_ref(), now),
            _ => false,
        };
        let line = if filtered_out {
            None
        } else {
            describe(&update, &state, args.json)
        };
        let applied = state.apply(update, now);
        let mut lines: Vec<String> = line.into_iter().collect();
        lines.extend(status_lines(&applied.statuses, args.json));
        lines.extend(alert_lines(&applied.raised, args.json));
        let alerts = applied.raised.clone();
        // Written whatever happens next (stdout closed, an exit on a critical alert).
        effects.record(applied).ok();
        if print(&lines).is_err() {
            break; // stdout closed (e.g. piped into head)
        }
        if args.exit_on_critical && alerts.iter().any(|a| a.severity == Severity::Critical) {
            exit = ExitCode::from(CRITICAL_EXIT);
            break;
        }
        // A session that ends on its own was never set up (or its set-up was declined):
        // nothing will be received, so the run ends now, and not with success.
        if ended && not_set_up(&state, &watched) {
            exit = ExitCode::from(NOT_SET_UP_EXIT);
            break;
        }
    }
    runtime.send(Command::Shutdown).await.ok();
    // Let the session leave the transmitter as it found it, and report that; then wait until
    // the runtime has stopped (the stop marker committed, the record closed), still printing
    // what it says meanwhile so it is never blocked on a full channel.
    let finished = runtime.finished();
    let within = crate::runtime::SESSIONS_STOP_DEADLINE + Duration::from_secs(5);
    let _ = tokio::time::timeout(within, async {
        loop {
            let update = tokio::select! {
                biased; // what was said before the runtime stopped is printed first
                update = rx.recv() => update,
                () = finished.cancelled() => break,
            };
            let Some(update) = update else {
                finished.cancelled().await;
                break;
            };
            if let Some(line) = describe(&update, &state, args.json) {
                print(&[line]).ok();
            }
            // Until the runtime stops, what changes is still written (the sink refuses after).
            effects.record(state.apply(update, UnixMillis::now())).ok();
        }
    })
    .await;
    Ok(exit)
}

/// The watched stream's session ended with its set-up failed or declined.
fn not_set_up(state: &InspectorState, watched: &StreamKey) -> bool {
    state.streams.get(watched).is_some_and(|stream| {
        matches!(
            stream.connection,
            Connection::Failed(_) | Connection::Declined(_)
        )
    })
}

/// Wait for the runtime to say whether the record can be used (its first update).
async fn record_ready(
    rx: &mut tokio::sync::mpsc::Receiver<Update>,
    state: &mut InspectorState,
    json: bool,
) -> anyhow::Result<()> {
    let first = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await;
    let Ok(Some(update)) = first else {
        anyhow::bail!("the runtime did not say within 30 s whether the record can be used");
    };
    if let Update::RecordHealth(RecordHealth::Unavailable { path, reason }) = &update {
        anyhow::bail!(
            "the record {path} cannot be used: {reason} (nothing was received; without --record SETs are kept in memory only)"
        );
    }
    if let Some(line) = describe(&update, state, json) {
        print(&[line])?;
    }
    state.apply(update, UnixMillis::now());
    Ok(())
}
