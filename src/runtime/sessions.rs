//! The running sessions (one per watched stream), and the profile commands that start them:
//! each session has a cancel token and a queue of management operations, and runs as a tracked
//! task, so that shutdown can wait for every session to finish leaving its stream as found.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::core::connection_test::ConnectionTest;
use crate::core::profile::Profile;
use crate::core::record::StreamKey;
use crate::core::update::{NoticeLevel, Update};
use crate::runtime::profiles::{self, ProfileFiles};
use crate::runtime::receiver;
use crate::runtime::receiver::operations::{OpOutcome, StreamOp};
use crate::runtime::receiver::session::{SessionConfig, SessionDeps, run_session};

/// How many operations may wait for one session.
const OPS_CAPACITY: usize = 16;

struct Running {
    cancel: CancellationToken,
    ops: mpsc::Sender<StreamOp>,
}

/// Every running session by stream.
pub(super) struct Sessions {
    running: HashMap<StreamKey, Running>,
    root: CancellationToken,
    /// Every session task (stopped ones too, until they end).
    tasks: TaskTracker,
    /// The session tasks not ended yet, by a number of their own: their streams.
    live: Arc<Mutex<HashMap<u64, StreamKey>>>,
    next_task: u64,
}

impl Sessions {
    pub fn new(root: CancellationToken) -> Self {
        Self {
            running: HashMap::new(),
            root,
            tasks: TaskTracker::new(),
            live: Arc::new(Mutex::new(HashMap::new())),
            next_task: 0,
        }
    }

    /// Run a session's task (`session`, for the stream `key`) where shutdown waits for it.
    pub fn spawn(&mut self, key: &StreamKey, session: impl Future<Output = ()> + Send + 'static) {
        self.next_task += 1;
        let task = self.next_task;
        self.live.lock().insert(task, key.clone());
        let live = Arc::clone(&self.live);
        self.tasks.spawn(async move {
            session.await;
            live.lock().remove(&task);
        });
    }

    /// Cancel every session and wait, at most `deadline`, for each to end (its stream left as
    /// found, its stop marker written). Returns the streams whose session had not ended.
    pub async fn stop_all(&mut self, deadline: Duration) -> Vec<StreamKey> {
        self.root.cancel();
        self.running.clear();
        self.tasks.close();
        if tokio::time::timeout(deadline, self.tasks.wait())
            .await
            .is_ok()
        {
            return Vec::new();
        }
        let mut left: Vec<StreamKey> = self.live.lock().values().cloned().collect();
        left.sort();
        left.dedup();
        left
    }

    /// Register a session; returns its cancel token and operation queue. A session already
    /// running for the same stream is stopped first.
    pub fn register(&mut self, key: &StreamKey) -> (CancellationToken, mpsc::Receiver<StreamOp>) {
        self.stop(key);
        let cancel = self.root.child_token();
        let (ops, rx) = mpsc::channel(OPS_CAPACITY);
        self.running.insert(
            key.clone(),
            Running {
                cancel: cancel.clone(),
                ops,
            },
        );
        (cancel, rx)
    }

    /// Start a session.
    pub fn start(&mut self, config: SessionConfig, deps: SessionDeps) {
        let (cancel, ops) = self.register(&config.key);
        let key = config.key.clone();
        self.spawn(&key, run_session(config, deps, cancel, ops));
    }

    /// Stop a session (it leaves its stream as found when its profile says so).
    pub fn stop(&mut self, key: &StreamKey) -> bool {
        match self.running.remove(key) {
            Some(running) => {
                running.cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// Queue an operation for a running session; one that cannot be queued is answered at once
    /// (a form that sent it waits for its answer).
    pub async fn operate(&self, key: &StreamKey, op: StreamOp, deps: &SessionDeps) {
        const NOT_RUNNING: &str = "not running: start it first";
        let (op, why) = match self.running.get(key) {
            Some(running) if !running.cancel.is_cancelled() => match running.ops.try_send(op) {
                Ok(()) => return,
                Err(mpsc::error::TrySendError::Full(op)) => {
                    (op, "busy with earlier operations; try again in a moment")
                }
                Err(mpsc::error::TrySendError::Closed(op)) => (op, NOT_RUNNING),
            },
            _ => (op, NOT_RUNNING),
        };
        let outcome = OpOutcome {
            key: key.clone(),
            op,
            result: Err(why.to_owned()),
        };
        deps.updates.send(Update::OpOutcome(outcome)).await.ok();
    }
}

/// Load the profiles (from `config`, or the user's config folder when `None`) and show them.
pub(super) async fn send_profiles(config: Option<PathBuf>, deps: &SessionDeps) {
    let loaded = tokio::task::spawn_blocking(move || {
        ProfileFiles::at(config.as_deref()).and_then(|files| files.load())
    })
    .await;
    match loaded {
        Ok(Ok(profiles)) => {
            deps.updates.send(Update::Profiles(profiles)).await.ok();
        }
        Ok(Err(err)) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Cannot read the profiles: {err:#}"),
                )
                .await;
        }
        Err(err) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Cannot read the profiles: {err}"),
                )
                .await;
        }
    }
}

/// Save a profile and its literal secrets (both files or neither), then show the profiles.
pub(super) async fn save_profile(
    config: Option<PathBuf>,
    profile: Profile,
    secrets: Vec<(String, String)>,
    deps: &SessionDeps,
) {
    let name = profile.name.clone();
    let folder = config.clone();
    let saved = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        if let Some((_, why)) = profile
            .check()
            .into_iter()
            .find(|(c, _)| *c == crate::core::profile::Concern::Error)
        {
            anyhow::bail!("{why}");
        }
        ProfileFiles::at(folder.as_deref())?.put(profile, &secrets)
    })
    .await;
    match saved {
        Ok(Ok(())) => {
            deps.updates
                .notice(NoticeLevel::Info, format!("Profile \"{name}\" saved"))
                .await;
        }
        Ok(Err(err)) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Profile \"{name}\" not saved: {err:#}"),
                )
                .await;
        }
        Err(err) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Profile \"{name}\" not saved: {err}"),
                )
                .await;
        }
    }
    send_profiles(config, deps).await;
}

/// Remove a profile and its stored secrets, then show the profiles.
pub(super) async fn remove_profile(config: Option<PathBuf>, name: String, deps: &SessionDeps) {
    let removed = tokio::task::spawn_blocking({
        let name = name.clone();
        let folder = config.clone();
        move || -> anyhow::Result<()> {
            ProfileFiles::at(folder.as_deref())?.remove(&name).map(drop)
        }
    })
    .await;
    if let Ok(Err(err)) = removed {
        deps.updates
            .notice(
                NoticeLevel::Error,
                format!("Profile \"{name}\" not removed: {err:#}"),
            )
            .await;
    }
    send_profiles(config, deps).await;
}

/// Test a profile's connection (typed secrets used, not stored), off the command loop.
pub(super) fn test_connection(
    config: Option<PathBuf>,
    profile: Profile,
    secrets: Vec<(String, String)>,
    deps: &SessionDeps,
) {
    let deps = deps.clone();
    tokio::spawn(async move {
        let name = profile.name.clone();
        let resolved = tokio::task::spawn_blocking(move || {
            let files = ProfileFiles::at(config.as_deref())?;
            profiles::session_with_secrets(&files, &profile, &secrets)
        })
        .await
        .map_err(anyhow::Error::from)
        .and_then(|resolved| resolved);
        match resolved {
            Ok((session, client)) => {
                receiver::connection_test::run(session, client, deps.store, deps.updates).await;
            }
            Err(err) => {
                let mut test = ConnectionTest::start(&name);
                test.fail(format!("the profile cannot be used: {err:#}"));
                let update = Update::ConnectionTest(Box::new(test));
                deps.updates.send(update).await.ok();
            }
        }
    });
}

/// Resolve a saved profile into a session config and client.
pub(super) async fn resolve_profile(
    config: Option<PathBuf>,
    name: String,
    deps: &SessionDeps,
) -> Option<(SessionConfig, reqwest::Client)> {
    let resolved = tokio::task::spawn_blocking({
        let name = name.clone();
        move || -> anyhow::Result<(SessionConfig, reqwest::Client)> {
            let files = ProfileFiles::at(config.as_deref())?;
            let profile = files.load()?.into_iter().find(|p| p.name == name);
            let profile = profile.ok_or_else(|| anyhow::anyhow!("no profile named \"{name}\""))?;
            profiles::session_for(&files, &profile, true)
        }
    })
    .await;
    match resolved {
        Ok(Ok(resolved)) => Some(resolved),
        Ok(Err(err)) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Cannot start \"{name}\": {err:#}"),
                )
                .await;
            None
        }
        Err(err) => {
            deps.updates
                .notice(
                    NoticeLevel::Error,
                    format!("Cannot start \"{name}\": {err}"),
                )
                .await;
            None
        }
    }
}
