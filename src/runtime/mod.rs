//! The tokio side: the demo transmitter, the receiver (discovery, push, management), the record
//! store and exports. It talks to the UI only through the bridge's bounded channels.

pub mod audit;
pub mod bundle;
pub mod capture;
mod command;
mod effect_sink;
pub mod export;
pub mod journal;
pub mod net;
pub mod notify;
pub mod opened;
pub mod own_push;
pub mod own_streams;
mod paste;
pub mod private;
pub mod profiles;
pub mod random;
mod reading;
pub mod receiver;
pub mod record;
mod replay;
mod replay_send;
pub mod scrub_log;
mod sessions;
pub mod signals;
pub mod transmitter;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::bridge::{COMMAND_CAPACITY, UpdateSender};
use crate::core::record::StreamKey;
use crate::core::update::NoticeLevel;
use receiver::operations::StreamOp;
use receiver::session::{SessionConfig, SessionDeps, run_session};
use sessions::Sessions;
use transmitter::{Transmitter, TransmitterOptions};

pub use command::{Command, CommandRejected, Outbox, RuntimeHandle};
pub use effect_sink::EffectSink;

/// How long shutdown waits for the sessions to leave their streams as found.
pub const SESSIONS_STOP_DEADLINE: Duration = Duration::from_secs(10);

pub use crate::core::stream::DEMO_STREAM;

/// Where the runtime keeps the record and the profiles.
#[derive(Clone, Debug, Default)]
pub struct Folders {
    /// The SQLite record (`None`: in memory only).
    pub record: Option<PathBuf>,
    /// The folder of `profiles.json` and `secrets.json` (`None`: the user's config folder, or
    /// `SSF_INSPECTOR_CONFIG_DIR`).
    pub config: Option<PathBuf>,
    /// How much the record keeps (pruned at open).
    pub retention: crate::core::retention::Retention,
}

impl Folders {
    /// The user's folders (or the ones `SSF_INSPECTOR_DATA_DIR` / `SSF_INSPECTOR_CONFIG_DIR` name).
    pub fn user() -> Self {
        Self {
            record: default_record_path(),
            config: None,
            retention: crate::core::retention::Retention::default(),
        }
    }

    /// A data folder (the record is `record.sqlite3` in it) and a config folder (tests, scripts).
    pub fn at(data: &std::path::Path, config: &std::path::Path) -> Self {
        Self {
            record: Some(data.join(RECORD_FILE)),
            config: Some(config.to_path_buf()),
            retention: crate::core::retention::Retention::default(),
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
            ..Folders::default()
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
    let (effects, effect_queue) = EffectSink::channel();
    let finished = CancellationToken::new();
    let done = finished.clone().drop_guard();
    handle.spawn(async move {
        run(rx, effect_queue, updates, folders).await;
        drop(done);
    });
    RuntimeHandle {
        commands,
        finished,
        effects,
    }
}

async fn run(
    mut commands: mpsc::Receiver<Command>,
    effects: mpsc::UnboundedReceiver<crate::core::effects::Effects>,
    updates: UpdateSender,
    folders: Folders,
) {
    let cancel = CancellationToken::new();
    let Folders {
        record,
        config,
        retention,
    } = folders;
    // A zip opened in the window has its capture taken out beside the record (or the profiles).
    let unzip_into = record
        .as_deref()
        .and_then(std::path::Path::parent)
        .or(config.as_deref())
        .map(|folder| folder.join("opened"));
    let Some(store) = replay::open_record(record, retention, &updates).await else {
        return;
    };
    replay::forward_health(&store, updates.clone(), cancel.clone());
    let effects_stop = CancellationToken::new();
    let effects_written = tokio::spawn(effect_sink::write(
        effects,
        store.clone(),
        updates.clone(),
        effects_stop.clone(),
    ));
    let client = match net::client_builder()
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
    let latest_check = reading::Latest::default();
    let mut opened = opened::OpenedFiles::new(unzip_into);
    while let Some(command) = commands.recv().await {
        match command {
            Command::StartDemo(options) => {
                let key = StreamKey(DEMO_STREAM.to_owned());
                let (session_cancel, ops) = sessions.register(&key);
                let demo = start_demo(*options, deps.clone(), session_cancel, ops);
                sessions.spawn(&key, demo);
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
            Command::DecodePasted { text, profile } => {
                paste::decode(config.clone(), text, profile, &deps);
            }
            Command::Replay(request) => replay_send::spawn(*request, &deps),
            Command::TestConnection(profile, secrets) => {
                sessions::test_connection(config.clone(), *profile, secrets, &deps);
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
            Command::Export { path, filter } => {
                tokio::spawn(export::export(store.clone(), path, filter, updates.clone()));
            }
            Command::SaveCapture { path, filter } => {
                let source = capture::Saving {
                    health: store.health(),
                    config: config.clone(),
                };
                tokio::spawn(capture::save(source, path, filter, updates.clone()));
            }
            Command::ExportBundle {
                path,
                filter,
                incident,
            } => {
                let source = capture::Saving {
                    health: store.health(),
                    config: config.clone(),
                };
                let asked = bundle::save::Asked {
                    path,
                    filter,
                    incident,
                };
                tokio::spawn(bundle::save::save(source, asked, updates.clone()));
            }
            Command::Notify { alert, sound } => {
                tokio::spawn(notify::notify_async(
                    alert,
                    sound,
                    updates.clone(),
                    Arc::clone(&notify_failed),
                ));
            }
            Command::UseMemoryRecord => {
                if store.choose_memory() {
                    let text = "SETs are kept in memory only this session: they are lost when the app stops";
                    updates.notice(NoticeLevel::Info, text.to_owned()).await;
                }
            }
            Command::LoadSet(seq) => {
                tokio::spawn(reading::load_set(store.clone(), seq, updates.clone()));
            }
            Command::CheckSets(job) => {
                tokio::spawn(reading::check_sets(
                    store.clone(),
                    *job,
                    latest_check.clone(),
                    updates.clone(),
                ));
            }
            Command::OpenFile { id, path } => opened.open(id, path, &updates),
            Command::CloseFile(id) => opened.close(id),
            Command::LoadOpenedSet { id, seq } => opened.load_set(id, seq, &updates),
            Command::CheckOpened { id, job } => opened.check(id, *job, &updates),
            Command::Shutdown => break,
        }
    }
    opened.close_all();
    // Every session leaves its stream as found (a slow transmitter may take seconds) and writes
    // its stop marker; one that has not ended by the deadline is said, and marked stopped here.
    let left = sessions.stop_all(SESSIONS_STOP_DEADLINE).await;
    for key in left {
        let text = format!(
            "{key}: the session had not finished leaving its stream as found {} s after the stop: what it was undoing may not be done (its last exchanges show how far it went)",
            SESSIONS_STOP_DEADLINE.as_secs()
        );
        tracing::error!("{text}");
        // Said if anyone still reads (a window that has closed does not).
        let said = updates.notice(NoticeLevel::Error, text);
        tokio::time::timeout(Duration::from_secs(1), said)
            .await
            .ok();
        let marker = crate::core::marker::Marker {
            stream: key,
            kind: crate::core::marker::MarkerKind::Stopped,
            at: crate::core::time::UnixMillis::now(),
        };
        if let Err(err) = store.append_marker(&marker).await {
            tracing::warn!("the receiver marker could not be recorded: {err}");
        }
    }
    cancel.cancel();
    // Every effect handed over before the stop is written before the record closes.
    effects_stop.cancel();
    effects_written.await.ok();
    store.close().await.ok();
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
    crate::core::secrets::register(&transmitter.management_token);
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
        rules: crate::core::set_rules::SetRules::default(),
        leave_as_found: false,
        // The demo is fast: read the status every 10 s, verify every 15 s, expect a SET every few seconds.
        watch: receiver::session::WatchSettings {
            status_interval: Duration::from_secs(10),
            verification_interval: Duration::from_secs(15),
            verification_timeout: Duration::from_secs(10),
            silence_after: Some(Duration::from_secs(12)),
            poll_interval: Duration::from_secs(2),
        },
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        events_requested: crate::core::events::default_requested(),
        // The demo's transmitter is its own: it starts empty, so the stream is created.
        stream: crate::core::profile::StreamSetup::Auto,
        setup: crate::core::profile::SetupOptions::default(),
        profile_dir: None,
    };
    run_session(config, deps, cancel, ops).await;
    transmitter.stop();
}
