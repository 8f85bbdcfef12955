//! Desktop notifications for critical alerts (freedesktop notifications over D-Bus, where the
//! desktop offers them) and an optional alert sound: asked of the notification server, or played
//! by the desktop's sound player when the server cannot play sounds. Never blocks the caller;
//! a desktop without notifications is reported once, and the banner stays the alert that counts.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::bridge::UpdateSender;
use crate::core::alerts::{Alert, Severity};
use crate::core::update::NoticeLevel;

/// The freedesktop sound theme's name for a warning.
const SOUND_NAME: &str = "dialog-warning";

/// Where the freedesktop sound theme keeps it, for players that take a file.
const SOUND_FILE: &str = "/usr/share/sounds/freedesktop/stereo/dialog-warning.oga";

/// The notification's title and text for an alert.
pub fn content(alert: &Alert) -> (String, String) {
    let mut body = format!("Stream {}: {}", alert.stream, alert.cause);
    if let Some(reason) = &alert.reason {
        body.push_str(&format!(" (reason: {reason})"));
    }
    (format!("SSF Inspector: {}", alert.kind.title()), body)
}

/// Show a notification for `alert` (and ask for a sound when `sound`). Blocking: run it off
/// the async workers. The error says what is missing.
pub fn show(alert: &Alert, sound: bool) -> anyhow::Result<()> {
    let (summary, body) = content(alert);
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("SSF Inspector")
        .summary(&summary)
        .body(&body)
        .icon(SOUND_NAME)
        .urgency(if alert.severity == Severity::Critical {
            notify_rust::Urgency::Critical
        } else {
            notify_rust::Urgency::Normal
        });
    let server_sounds = sound
        && notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|c| c == "sound"));
    if server_sounds {
        notification.sound_name(SOUND_NAME);
    }
    let shown = notification.show().map(|_| ()).map_err(|err| {
        anyhow::anyhow!(
            "no desktop notification service answered ({err}); the alert banner is shown in the window"
        )
    });
    let sounded = if sound && !server_sounds {
        play_sound()
    } else {
        Ok(())
    };
    match (shown, sounded) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(err), Ok(())) | (Ok(()), Err(err)) => Err(err),
        (Err(shown), Err(sounded)) => Err(anyhow::anyhow!("{shown:#}; {sounded:#}")),
    }
}

/// Play the warning sound with the first player the desktop has that plays it (blocking until
/// it ends).
pub fn play_sound() -> anyhow::Result<()> {
    let players: [(&str, &[&str]); 3] = [
        ("canberra-gtk-play", &["--id", SOUND_NAME]),
        ("paplay", &[SOUND_FILE]),
        ("pw-play", &[SOUND_FILE]),
    ];
    let mut tried = Vec::new();
    for (program, args) in players {
        let played = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match played {
            Ok(status) if status.success() => return Ok(()),
            Ok(status) => tried.push(format!("{program} failed ({status})")),
            Err(_) => {} // not installed
        }
    }
    if tried.is_empty() {
        anyhow::bail!(
            "no sound player found (canberra-gtk-play, paplay or pw-play); install one to hear alerts"
        )
    }
    anyhow::bail!("the alert sound could not be played: {}", tried.join(", "))
}

/// Show a desktop notification off the async workers; the first failure of a run is told in the
/// status bar (the banner is the alert, the notification an extra).
pub(super) async fn notify_async(
    alert: Box<Alert>,
    sound: bool,
    updates: UpdateSender,
    failed: Arc<AtomicBool>,
) {
    let outcome = tokio::task::spawn_blocking(move || show(&alert, sound)).await;
    let why = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(err)) => format!("{err:#}"),
        Err(err) => format!("the notification task failed: {err}"),
    };
    tracing::warn!("desktop notification not shown: {why}");
    if !failed.swap(true, Ordering::Relaxed) {
        updates
            .notice(NoticeLevel::Info, UNAVAILABLE.to_owned())
            .await;
    }
}

/// What the status bar says, once a run, when a desktop notification or the alert sound could
/// not be given: plain words (the cause, a D-Bus error or a missing player, goes to the log).
pub const UNAVAILABLE: &str = "Desktop notification or alert sound unavailable here (the cause is in the log); the banner shows every critical alert";
