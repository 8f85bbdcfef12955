//! What the UI (or `watch`) asks of the runtime, the handle it asks through (with the sink of
//! the reducer's effects), and the window's outbox.

use std::collections::VecDeque;

use std::path::PathBuf;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::effect_sink::EffectSink;
use super::receiver::operations::StreamOp;
use super::receiver::session::SessionConfig;
use super::transmitter::TransmitterOptions;
use crate::core::alerts::Alert;
use crate::core::effects::Effects;
use crate::core::profile::Profile;
use crate::core::record::StreamKey;

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
    /// Test a profile's connection (not saved yet, perhaps): literal secrets (key, value) are
    /// used for it and not stored.
    TestConnection(Box<Profile>, Vec<(String, String)>),
    /// Decode text pasted into the window, with a saved profile's keys when one is named.
    DecodePasted {
        /// The text (a token, a claims object, JSON Lines).
        text: String,
        /// The profile whose transmitter's keys verify the signatures.
        profile: Option<String>,
    },
    /// Send a SET once more to a push endpoint (*Replay*).
    Replay(Box<crate::core::replay::ReplayRequest>),
    /// Remove a profile and its stored secrets.
    RemoveProfile(String),
    /// Start receiving with a saved profile.
    StartProfile(String),
    /// Stop a stream's session (the transmitter is left as it was found).
    StopStream(StreamKey),
    /// A management operation on a running stream.
    Stream(StreamKey, StreamOp),
    /// Export the record as JSON Lines (ask for a path when `None`).
    Export {
        /// Where to write (`None`: ask in a save dialog).
        path: Option<PathBuf>,
        /// Only the SETs this filter matches (what the timeline shows), when one is set.
        filter: Option<String>,
    },
    /// Save a capture of the record (ask for a path when `None`).
    SaveCapture {
        /// Where to write (`None`: ask in a save dialog).
        path: Option<PathBuf>,
        /// Only the SETs this filter matches (what the timeline shows), when one is set.
        filter: Option<String>,
    },
    /// Write an evidence bundle of the record (`runtime::bundle`): a folder, or a zip when the
    /// path ends in `.zip` (ask for a path when `None`).
    ExportBundle {
        /// Where to write (`None`: ask in a save dialog).
        path: Option<PathBuf>,
        /// Only the SETs this filter matches (what the timeline shows), when one is set.
        filter: Option<String>,
        /// Only this incident, when one is named.
        incident: Option<crate::core::bundle::incident::IncidentRef>,
    },
    /// Show a desktop notification for an alert, with the alert sound when asked.
    Notify {
        /// The alert.
        alert: Box<Alert>,
        /// Play the alert sound too.
        sound: bool,
    },
    /// Keep SETs in memory this session, instead of the record that cannot be used.
    UseMemoryRecord,
    /// Read one SET whole from the record (the window shows its details).
    LoadSet(u64),
    /// Check SETs the timeline holds only compact against its filter, with their claims.
    CheckSets(Box<crate::core::timeline::Unresolved>),
    /// Open a capture, an evidence bundle or a record read-only beside the live streams, as
    /// file `id` (the window numbers them): this path, or the one a file dialog asks for.
    OpenFile {
        /// The window's number for it.
        id: u64,
        /// The file (`None`: ask in a dialog).
        path: Option<PathBuf>,
    },
    /// Close opened file `id`.
    CloseFile(u64),
    /// Read SET `seq` of opened file `id` whole (its details).
    LoadOpenedSet {
        /// The opened file.
        id: u64,
        /// The SET.
        seq: u64,
    },
    /// Check SETs of opened file `id` against its filter, with their claims.
    CheckOpened {
        /// The opened file.
        id: u64,
        /// What to check.
        job: Box<crate::core::timeline::Unresolved>,
    },
    /// Stop everything.
    Shutdown,
}

/// Secrets (key, value) as Debug shows them: the keys, each value `<redacted>`.
fn secret_keys(secrets: &[(String, String)]) -> Vec<(&str, &str)> {
    secrets
        .iter()
        .map(|(key, _)| (key.as_str(), "<redacted>"))
        .collect()
}

impl std::fmt::Debug for Command {
    /// Secret values never reach a log: `SaveProfile` shows its secret keys, not their values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::StartDemo(options) => f.debug_tuple("StartDemo").field(options).finish(),
            Self::StartSession(config, _) => f.debug_tuple("StartSession").field(config).finish(),
            Self::LoadProfiles => f.write_str("LoadProfiles"),
            Self::SaveProfile(profile, secrets) => f
                .debug_tuple("SaveProfile")
                .field(profile)
                .field(&secret_keys(secrets))
                .finish(),
            Self::TestConnection(profile, secrets) => f
                .debug_tuple("TestConnection")
                .field(profile)
                .field(&secret_keys(secrets))
                .finish(),
            // A pasted token may be someone's evidence: its size is enough for a log.
            Self::DecodePasted { text, profile } => f
                .debug_struct("DecodePasted")
                .field("bytes", &text.len())
                .field("profile", profile)
                .finish(),
            // The request's Debug shows the token's size, never the token or authorization.
            Self::Replay(request) => f.debug_tuple("Replay").field(request).finish(),
            Self::RemoveProfile(name) => f.debug_tuple("RemoveProfile").field(name).finish(),
            Self::StartProfile(name) => f.debug_tuple("StartProfile").field(name).finish(),
            Self::StopStream(key) => f.debug_tuple("StopStream").field(key).finish(),
            Self::Stream(key, op) => f.debug_tuple("Stream").field(key).field(op).finish(),
            Self::Export { path, filter } => f
                .debug_struct("Export")
                .field("path", path)
                .field("filter", filter)
                .finish(),
            Self::SaveCapture { path, filter } => f
                .debug_struct("SaveCapture")
                .field("path", path)
                .field("filter", filter)
                .finish(),
            Self::ExportBundle {
                path,
                filter,
                incident,
            } => f
                .debug_struct("ExportBundle")
                .field("path", path)
                .field("filter", filter)
                .field("incident", &incident.as_ref().map(|i| i.alert))
                .finish(),
            Self::Notify { alert, sound } => f
                .debug_struct("Notify")
                .field("alert", &alert.kind)
                .field("sound", sound)
                .finish(),
            Self::UseMemoryRecord => f.write_str("UseMemoryRecord"),
            Self::LoadSet(seq) => f.debug_tuple("LoadSet").field(seq).finish(),
            Self::CheckSets(job) => f
                .debug_struct("CheckSets")
                .field("generation", &job.generation)
                .field("sets", &job.seqs.len())
                .finish(),
            Self::OpenFile { id, path } => f
                .debug_struct("OpenFile")
                .field("id", id)
                .field("path", path)
                .finish(),
            Self::CloseFile(id) => f.debug_tuple("CloseFile").field(id).finish(),
            Self::LoadOpenedSet { id, seq } => f
                .debug_struct("LoadOpenedSet")
                .field("id", id)
                .field("seq", seq)
                .finish(),
            Self::CheckOpened { id, job } => f
                .debug_struct("CheckOpened")
                .field("id", id)
                .field("generation", &job.generation)
                .field("sets", &job.seqs.len())
                .finish(),
            Self::Shutdown => f.write_str("Shutdown"),
        }
    }
}

/// The UI's handle on the runtime.
#[derive(Clone)]
pub struct RuntimeHandle {
    pub(super) commands: mpsc::Sender<Command>,
    pub(super) finished: CancellationToken,
    pub(super) effects: EffectSink,
}

/// The command queue is full or the runtime has stopped.
#[derive(Debug, thiserror::Error)]
#[error("the runtime is not accepting commands ({0})")]
pub struct CommandRejected(&'static str);

impl RuntimeHandle {
    /// A handle whose commands go to the receiver returned, which holds at most `capacity`
    /// (tests and tools that stand in for the runtime).
    /// Its effects go nowhere: see [`Self::channel_with_effects`].
    pub fn channel(capacity: usize) -> (Self, mpsc::Receiver<Command>) {
        let (handle, received, _) = Self::channel_with_effects(capacity);
        (handle, received)
    }

    /// [`Self::channel`], with the queue its effect sink feeds.
    pub fn channel_with_effects(
        capacity: usize,
    ) -> (
        Self,
        mpsc::Receiver<Command>,
        mpsc::UnboundedReceiver<Effects>,
    ) {
        let (commands, received) = mpsc::channel(capacity.max(1));
        let finished = CancellationToken::new();
        let (effects, queue) = EffectSink::channel();
        let handle = Self {
            commands,
            finished,
            effects,
        };
        (handle, received, queue)
    }

    /// Where the reducer's effects go to be written to the record.
    pub fn effects(&self) -> EffectSink {
        self.effects.clone()
    }

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

/// The UI's side of the command queue: what the queue had no room for waits here, in order, and
/// goes as room comes ([`Outbox::flush`], each frame). Nothing the window hands the runtime (a
/// stream operation, a notification) is dropped for a full queue, and the UI thread never waits
/// for room. (Record writes do not take this queue: see [`EffectSink`].)
pub struct Outbox {
    handle: RuntimeHandle,
    waiting: VecDeque<Command>,
}

impl Outbox {
    pub fn new(handle: RuntimeHandle) -> Self {
        Self {
            handle,
            waiting: VecDeque::new(),
        }
    }

    /// The handle it sends on.
    pub fn handle(&self) -> &RuntimeHandle {
        &self.handle
    }

    /// Send `command` after every one still waiting; Err only when the runtime has stopped.
    pub fn send(&mut self, command: Command) -> Result<(), CommandRejected> {
        self.waiting.push_back(command);
        self.flush()
    }

    /// Send what waits, in order, while the queue has room. Err when the runtime has stopped:
    /// what waited is dropped then, since nothing will take it.
    pub fn flush(&mut self) -> Result<(), CommandRejected> {
        while let Some(command) = self.waiting.pop_front() {
            match self.handle.commands.try_send(command) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(command)) => {
                    self.waiting.push_front(command);
                    return Ok(());
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    self.waiting.clear();
                    return Err(CommandRejected("stopped"));
                }
            }
        }
        Ok(())
    }

    /// How many commands wait for room.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// At exit, off the frame loop: keep sending until nothing waits, the runtime stops, or
    /// `within` has passed. Returns how many were left unsent.
    pub fn drain_blocking(&mut self, within: std::time::Duration) -> usize {
        let deadline = std::time::Instant::now() + within;
        while self.flush().is_ok()
            && !self.waiting.is_empty()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.waiting.len()
    }
}
