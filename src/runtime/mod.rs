//! The tokio side: the demo transmitter, the receiver (discovery, push, management), the record
//! store and exports. It talks to the UI only through the bridge's bounded channels.

pub mod export;
pub mod notify;
pub mod profiles;
pub mod random;
pub mod receiver;
pub mod record;
mod sessions;
pub mod transmitter;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::bridge::{COMMAND_CAPACITY, UpdateSender};
use crate::core::alerts::Alert;
use crate::core::events::CATALOGUE;
use crate::core::marker::Marker;
use crate::core::profile::Profile;
use crate::core::record::StreamKey;
use crate::core::status_ledger::StatusChange;
use crate::core::update::{NoticeLevel, Update};
use receiver::operations::StreamOp;
use receiver::session::{SessionConfig, SessionDeps, run_session};
use record::RecordStore;
use sessions::Sessions;
use transmitter::{Transmitter, TransmitterOptions};

/// The local name of the built-in demo stream.
pub const DEMO_STREAM: &str = "demo";

/// What the UI (or `watch`) asks the runtime to do.
pub enum Command {
    /// Start the built-in transmitter and receive from it by push.
    StartDemo(Box<TransmitterOptions>),
    /// Start a session for a profile (resolved: config and its HTTP client).
    StartSession(Box<SessionConfig>, reqwest::Client),
    /// Load the saved profiles and send them to the UI.
    LoadProfiles,
    /// Save (add or replace) a profile; literal secrets (key, value) go to the secrets file.
    SaveProfile(Box<Profile>, Vec<(String, String)>),
    /// Remove a profile and its stored secrets.
    RemoveProfile(String),
    /// Start receiving with a saved profile.
    StartProfile(String),
    /// Stop a stream's session (the transmitter is left as it was found).
    StopStream(StreamKey),
    /// A management operation on a running stream.
    Stream(StreamKey, StreamOp),
    /// Write an alert (new or changed) to the record.
    RecordAlert(Box<Alert>),
    /// Write a stream status change to the record's status history.
    RecordStatus(Box<StatusChange>),
    /// Export the record as JSON Lines (ask for a path when `None`).
    Export(Option<PathBuf>),
    /// Show a desktop notification for an alert, with the alert sound when asked.
    Notify {
        /// The alert.
        alert: Box<Alert>,
        /// Play the alert sound too.
        sound: bool,
    },
    /// Stop everything.
    Shutdown,
}

impl std::fmt::Debug for Command {
    /// Secret values never reach a log: `SaveProfile` shows its secret keys, not their values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::StartDemo(options) => f.debug_tuple("StartDemo").field(options).finish(),
            Self::StartSession(config, _) => f.debug_tuple("StartSession").field(config).finish(),
            Self::LoadProfiles => f.write_str("LoadProfiles"),
            Self::SaveProfile(profile, secrets) => {
                let keys: Vec<(&str, &str)> = secrets
                    .iter()
                    .map(|(key, _)| (key.as_str(), "<redacted>"))
                    .collect();
                f.debug_tuple("SaveProfile")
                    .field(profile)
                    .field(&keys)
                    .finish()
            }
            Self::RemoveProfile(name) => f.debug_tuple("RemoveProfile").field(name).finish(),
            Self::StartProfile(name) => f.debug_tuple("StartProfile").field(name).finish(),
            Self::StopStream(key) => f.debug_tuple("StopStream").field(key).finish(),
            Self::Stream(key, op) => f.debug_tuple("Stream").field(key).field(op).finish(),
            Self::Export(path) => f.debug_tuple("Export").field(path).finish(),
            Self::Notify { alert, sound } => f
                .debug_struct("Notify")
                .field("alert", &alert.kind)
                .field("sound", sound)
                .finish(),
            Self::RecordAlert(alert) => f.debug_tuple("RecordAlert").field(&alert.id).finish(),
            Self::RecordStatus(change) => f.debug_tuple("RecordStatus").field(change).finish(),
            Self::Shutdown => f.write_str("Shutdown"),
        }
    }
}

/// The UI's handle on the runtime.
#[derive(Clone)]
pub struct RuntimeHandle {
    commands: mpsc::Sender<Command>,
    finished: CancellationToken,
}

/// The command queue is full or the runtime has stopped.
#[derive(Debug, thiserror::Error)]
#[error("the runtime is not accepting commands ({0})")]
pub struct CommandRejected(&'static str);

impl RuntimeHandle {
    /// Queue a command without waiting (safe on the UI thread).
    pub fn try_send(&self, command: Command) -> Result<(), CommandRejected> {
        self.commands.try_send(command).map_err(|err| match err {
            mpsc::error::TrySendError::Full(_) => CommandRejected("queue full"),
            mpsc::error::TrySendError::Closed(_) => CommandRejected("stopped"),
        })
    }

    /// Cancelled once the runtime has stopped: sessions ended (their stop markers written)
    /// and the record closed.
    pub fn finished(&self) -> CancellationToken {
        self.finished.clone()
    }

    /// Queue a command, waiting for room (async callers).
    pub async fn send(&self, command: Command) -> Result<(), CommandRejected> {
        self.commands
            .send(command)
            .await
            .map_err(|_| CommandRejected("stopped"))
    }
}

/// Where the runtime keeps the record and the profiles.
#[derive(Clone, Debug, Default)]
pub struct Folders {
    /// The SQLite record (`None`: in memory only).
    pub record: Option<PathBuf>,
    /// The folder of `profiles.json` and `secrets.json` (`None`: the user's config folder, or
    /// `SSF_INSPECTOR_CONFIG_DIR`).
    pub config: Option<PathBuf>,
}

impl Folders {
    /// The user's folders (or the ones `SSF_INSPECTOR_DATA_DIR` / `SSF_INSPECTOR_CONFIG_DIR` name).
    pub fn user() -> Self {
        Self {
            record: default_record_path(),
            config: None,
        }
    }

    /// A data folder (the record is `record.sqlite3` in it) and a config folder (tests, scripts).
    pub fn at(data: &std::path::Path, config: &std::path::Path) -> Self {
        Self {
            record: Some(data.join(RECORD_FILE)),
            config: Some(config.to_path_buf()),
        }
    }
}

/// The record's file name in the data folder.
const RECORD_FILE: &str = "record.sqlite3";

/// The durable record's file in the user's data folder (or `SSF_INSPECTOR_DATA_DIR`).
pub fn default_record_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SSF_INSPECTOR_DATA_DIR") {
        return Some(PathBuf::from(dir).join(RECORD_FILE));
    }
    directories::ProjectDirs::from("dev", "ssf-inspector", "ssf-inspector")
        .map(|d| d.data_dir().join(RECORD_FILE))
}

/// Start the runtime's command loop on `handle`. With a `record` path, SETs are kept in that
/// SQLite file and the ones already there are sent to the UI first; without, in memory.
pub fn spawn(
    handle: &tokio::runtime::Handle,
    updates: UpdateSender,
    record: Option<PathBuf>,
) -> RuntimeHandle {
    spawn_in(
        handle,
        updates,
        Folders {
            record,
            config: None,
        },
    )
}

/// [`spawn`] with explicit folders for the record and the profiles.
pub fn spawn_in(
    handle: &tokio::runtime::Handle,
    updates: UpdateSender,
    folders: Folders,
) -> RuntimeHandle {
    let (commands, rx) = mpsc::channel(COMMAND_CAPACITY);
    let finished = CancellationToken::new();
    let done = finished.clone().drop_guard();
    handle.spawn(async move {
        run(rx, updates, folders).await;
        drop(done);
    });
    RuntimeHandle { commands, finished }
}

/// Hand what the record held to the UI: SETs and markers in time order, the latest exchanges,
/// and the alerts of earlier runs (listed, not raised again). `None` when the UI is gone.
async fn replay(reloaded: record::Reloaded, updates: &UpdateSender) -> Option<()> {
    let record::Reloaded { records, history } = reloaded;
    let mut markers = history.markers.into_iter().peekable();
    for record in records {
        // At the same millisecond a start goes before the SET, a stop or loss after it.
        let before = |m: &Marker| {
            m.at < record.received_at || (m.at == record.received_at && !m.kind.ends_coverage())
        };
        while let Some(marker) = markers.next_if(before) {
            updates.send(Update::Marker(marker)).await.ok()?;
        }
        updates.send(Update::Reloaded(record)).await.ok()?;
    }
    for marker in markers {
        updates.send(Update::Marker(marker)).await.ok()?;
    }
    for exchange in history.exchanges {
        updates
            .send(Update::Exchange(std::sync::Arc::new(exchange)))
            .await
            .ok()?;
    }
    if !history.earlier_alerts.is_empty() {
        updates
            .send(Update::EarlierAlerts(history.earlier_alerts))
            .await
            .ok()?;
    }
    Some(())
}

/// Open the record (reloading what it holds into the UI), or fall back to memory with a notice.
async fn open_record(path: Option<PathBuf>, updates: &UpdateSender) -> Option<RecordStore> {
    if let Some(path) = path {
        match RecordStore::open_all(&path).await {
            Ok((store, reloaded)) => {
                let count = reloaded.records.len();
                replay(reloaded, updates).await?;
                if count > 0 {
                    updates
                        .notice(
                            NoticeLevel::Info,
                            format!("Reloaded {count} SETs from {}", path.display()),
                        )
                        .await;
                }
                return Some(store);
            }
            Err(err) => {
                let text = format!(
                    "The record {} could not be opened ({err:#}); SETs are kept in memory only this session",
                    path.display()
                );
                updates.notice(NoticeLevel::Error, text).await;
            }
        }
    }
    match RecordStore::in_memory().await {
        Ok(store) => Some(store),
        Err(err) => {
            updates
                .notice(
                    NoticeLevel::Error,
                    format!("Cannot keep a record at all: {err:#}"),
                )
                .await;
            None
        }
    }
}

async fn run(mut commands: mpsc::Receiver<Command>, updates: UpdateSender, folders: Folders) {
    let cancel = CancellationToken::new();
    let Folders { record, config } = folders;
    let Some(store) = open_record(record, &updates).await else {
        return;
    };
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            let text = format!("Cannot start the HTTP client: {err:#}");
            updates.notice(NoticeLevel::Error, text).await;
            return;
        }
    };
    let deps = SessionDeps {
        client,
        store: store.clone(),
        updates: updates.clone(),
    };
    let mut sessions = Sessions::new(cancel.clone());
    let notify_failed = Arc::new(AtomicBool::new(false));
    while let Some(command) = commands.recv().await {
        match command {
            Command::StartDemo(options) => {
                let (session_cancel, ops) = sessions.register(&StreamKey(DEMO_STREAM.to_owned()));
                tokio::spawn(start_demo(*options, deps.clone(), session_cancel, ops));
            }
            Command::StartSession(config, client) => {
                sessions.start(
                    *config,
                    SessionDeps {
                        client,
                        ..deps.clone()
                    },
                );
            }
            Command::LoadProfiles => sessions::send_profiles(config.clone(), &deps).await,
            Command::SaveProfile(profile, secrets) => {
                sessions::save_profile(config.clone(), *profile, secrets, &deps).await;
            }
            Command::RemoveProfile(name) => {
                sessions::remove_profile(config.clone(), name, &deps).await;
            }
            Command::StartProfile(name) => {
                let resolved = sessions::resolve_profile(config.clone(), name, &deps).await;
                if let Some((session, client)) = resolved {
                    sessions.start(
                        session,
                        SessionDeps {
                            client,
                            ..deps.clone()
                        },
                    );
                }
            }
            Command::StopStream(key) => {
                if !sessions.stop(&key) {
                    updates
                        .notice(NoticeLevel::Info, format!("{key} was not running"))
                        .await;
                }
            }
            Command::Stream(key, op) => sessions.operate(&key, op, &deps).await,
            Command::RecordAlert(alert) => {
                if let Err(err) = store.append_alert(&alert).await {
                    updates
                        .notice(
                            NoticeLevel::Error,
                            format!("An alert could not be recorded: {err}"),
                        )
                        .await;
                }
            }
            Command::RecordStatus(change) => {
                let StatusChange {
                    stream,
                    status,
                    reason,
                    source,
                    at,
                } = *change;
                let stored = store
                    .append_status(&stream, status, reason.as_deref(), &source, at)
                    .await;
                if let Err(err) = stored {
                    updates
                        .notice(
                            NoticeLevel::Error,
                            format!("A stream status change could not be recorded: {err}"),
                        )
                        .await;
                }
            }
            Command::Export(path) => {
                tokio::spawn(export::export(store.clone(), path, updates.clone()));
            }
            Command::Notify { alert, sound } => {
                tokio::spawn(notify(
                    alert,
                    sound,
                    updates.clone(),
                    Arc::clone(&notify_failed),
                ));
            }
            Command::Shutdown => break,
        }
    }
    cancel.cancel();
    // Give the sessions a moment to leave their streams as found, then commit and close.
    tokio::time::sleep(Duration::from_millis(200)).await;
    store.close().await.ok();
}

/// Show a desktop notification off the async workers; the first failure of a run is told in the
/// status bar (the banner is the alert, the notification an extra).
async fn notify(alert: Box<Alert>, sound: bool, updates: UpdateSender, failed: Arc<AtomicBool>) {
    let outcome = tokio::task::spawn_blocking(move || notify::show(&alert, sound)).await;
    let why = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(err)) => format!("{err:#}"),
        Err(err) => format!("the notification task failed: {err}"),
    };
    tracing::warn!("desktop notification not shown: {why}");
    if !failed.swap(true, Ordering::Relaxed) {
        updates
            .notice(NoticeLevel::Error, format!("Desktop notification: {why}"))
            .await;
    }
}

async fn start_demo(
    options: TransmitterOptions,
    deps: SessionDeps,
    cancel: CancellationToken,
    ops: mpsc::Receiver<StreamOp>,
) {
    let local = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let transmitter = match Transmitter::start(local, options, cancel.clone()).await {
        Ok(transmitter) => transmitter,
        Err(err) => {
            let text = format!("The built-in demo transmitter could not start: {err:#}");
            deps.updates.notice(NoticeLevel::Error, text).await;
            return;
        }
    };
    let config = SessionConfig {
        key: StreamKey(DEMO_STREAM.to_owned()),
        label: "Built-in demo transmitter".to_owned(),
        issuer: transmitter.issuer.clone(),
        metadata_url: None,
        auth: std::sync::Arc::new(receiver::auth::Auth::Bearer(
            transmitter.management_token.clone(),
        )),
        delivery: crate::core::profile::DeliveryMode::Push,
        push_authorization: None,
        audience: None,
        allow_insecure_http: false,
        leave_as_found: false,
        // The demo is fast: read the status every 10 s, verify every 15 s, expect a SET every few seconds.
        watch: receiver::session::WatchSettings {
            status_interval: Duration::from_secs(10),
            verification_interval: Duration::from_secs(15),
            verification_timeout: Duration::from_secs(10),
            silence_after: Some(Duration::from_secs(12)),
        },
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        events_requested: CATALOGUE
            .iter()
            .filter(|e| e.replaced_by.is_none())
            .map(|e| e.uri.to_owned())
            .collect(),
    };
    run_session(config, deps, cancel, ops).await;
    transmitter.stop();
}
