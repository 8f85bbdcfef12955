//! A transmitter and a receiving session on 127.0.0.1, as the runtime tests need them: the
//! built-in transmitter with steady traffic, a profile for it with its token in a private
//! secrets file, and a runtime (record in memory) running a session for that profile.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the kit"
)]

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{Value, json};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::Connection;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::profiles::{ProfileFiles, session_for};
use ssf_inspector::runtime::receiver::session::{SessionConfig, WatchSettings};
use ssf_inspector::runtime::transmitter::{Scenario, Transmitter, TransmitterOptions};
use ssf_inspector::runtime::{self, Command, RuntimeHandle};
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;

/// Steady traffic every 100 ms, short long polls, verification at any pace.
pub fn steady() -> TransmitterOptions {
    TransmitterOptions {
        scenario: Scenario::Steady,
        event_interval: Duration::from_millis(100),
        long_poll_timeout: Duration::from_millis(300),
        min_verification_interval: 0,
        ..TransmitterOptions::default()
    }
}

/// Start a transmitter on a free loopback port; cancel the token to stop it.
pub async fn transmitter(options: TransmitterOptions) -> (Transmitter, CancellationToken) {
    let cancel = CancellationToken::new();
    let tx = Transmitter::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        options,
        cancel.clone(),
    )
    .await
    .expect("start the transmitter");
    (tx, cancel)
}

/// Profile files in `folder` (under the test target folder) holding the transmitter's token as
/// `t`, and a profile named `name` for that transmitter, delivering by `delivery`.
pub fn profile_for(
    tx: &Transmitter,
    folder: &str,
    name: &str,
    delivery: DeliveryMode,
) -> (ProfileFiles, Profile) {
    let files = ProfileFiles::new(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder));
    files
        .store_secret("t", &tx.management_token)
        .expect("store the token");
    let profile = Profile {
        name: name.to_owned(),
        issuer: tx.issuer.clone(),
        auth: ManagementAuth::Bearer {
            token: SecretRef::Stored("t".to_owned()),
        },
        delivery,
        ..Profile::default()
    };
    (files, profile)
}

/// A runtime (record in memory) and its update channel.
pub fn runtime() -> (RuntimeHandle, Receiver<Update>) {
    let (updates, rx) = update_channel(no_wake());
    let rt = runtime::spawn(&tokio::runtime::Handle::current(), updates, None);
    (rt, rx)
}

/// Start a session for `profile` on `rt`, after `adjust` had its say on the configuration;
/// returns the stream's key.
pub async fn start(
    rt: &RuntimeHandle,
    files: &ProfileFiles,
    profile: &Profile,
    adjust: impl FnOnce(&mut SessionConfig),
) -> StreamKey {
    let (mut config, client) = session_for(files, profile, true).expect("a session");
    adjust(&mut config);
    let key = config.key.clone();
    rt.send(Command::StartSession(Box::new(config), client))
        .await
        .expect("start the session");
    key
}

/// The streams the transmitter has for its management token (read with that token).
pub async fn streams_at(tx: &Transmitter) -> Vec<serde_json::Value> {
    serde_json::from_value(streams_at_one(tx).await).expect("a JSON array")
}

/// `GET /streams` as it answers: the one configuration of a transmitter that keeps one per
/// token (an object), or the list.
pub async fn streams_at_one(tx: &Transmitter) -> Value {
    reqwest::Client::new()
        .get(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .send()
        .await
        .expect("GET streams")
        .json()
        .await
        .expect("a JSON answer")
}

/// Apply updates (and tick the watchdog) until `done` holds or 30 s pass (a bound that only
/// stops a test that fails, never a time it must beat); true when it held.
pub async fn until(
    rx: &mut Receiver<Update>,
    state: &mut InspectorState,
    done: impl Fn(&InspectorState) -> bool,
) -> bool {
    until_noting(rx, state, &mut Vec::new(), done).await
}

/// What the status bar says for `update`: a notice, or an operation's outcome.
fn said_by(update: &Update) -> Option<String> {
    match update {
        Update::Notice { text, .. } => Some(text.clone()),
        Update::OpOutcome(outcome) => Some(outcome.text()),
        _ => None,
    }
}

/// As [`until`], keeping the text of every notice (and operation's outcome) seen in `said`.
pub async fn until_noting(
    rx: &mut Receiver<Update>,
    state: &mut InspectorState,
    said: &mut Vec<String>,
    done: impl Fn(&InspectorState) -> bool,
) -> bool {
    let end = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done(state) {
        match tokio::time::timeout(Duration::from_millis(50), rx.recv()).await {
            Ok(Some(update)) => {
                if let Some(text) = said_by(&update) {
                    said.push(text);
                }
                state.apply(update, UnixMillis::now());
            }
            Ok(None) => return false,
            Err(_) => {
                state.tick(UnixMillis::now());
            }
        }
        if tokio::time::Instant::now() > end {
            return false;
        }
    }
    true
}

pub fn connection(state: &InspectorState, key: &StreamKey) -> Connection {
    state
        .streams
        .get(key)
        .map_or(Connection::Stopped, |s| s.connection.clone())
}

/// Why the session failed or declined to set its stream up, once it did.
pub fn failure(state: &InspectorState, key: &StreamKey) -> Option<String> {
    match connection(state, key) {
        Connection::Failed(why) | Connection::Declined(why) => Some(why),
        _ => None,
    }
}

pub fn notices(seen: &[String]) -> String {
    seen.join("\n")
}

/// A poll stream made by someone else (raw HTTP with the management token).
pub async fn foreign_stream(tx: &Transmitter) -> Value {
    let answer = reqwest::Client::new()
        .post(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(&json!({
            "delivery": {"method": "urn:ietf:rfc:8936"},
            "description": "another receiver's stream",
            "events_requested": [
                ssf_inspector::core::events::caep("session-revoked"),
                ssf_inspector::core::events::caep("credential-change"),
            ],
        }))
        .send()
        .await
        .expect("create the foreign stream");
    assert_eq!(answer.status(), 201);
    answer.json().await.expect("its configuration")
}

pub fn fast() -> WatchSettings {
    WatchSettings {
        status_interval: Duration::from_millis(300),
        verification_interval: Duration::from_millis(700),
        verification_timeout: Duration::from_millis(600),
        silence_after: None,
        poll_interval: Duration::from_millis(200),
    }
}

pub async fn stop(
    rt: &RuntimeHandle,
    rx: &mut Receiver<Update>,
    state: &mut InspectorState,
    key: &StreamKey,
) -> Vec<String> {
    rt.send(Command::StopStream(key.clone()))
        .await
        .expect("stop");
    let mut said = Vec::new();
    let end = tokio::time::Instant::now() + Duration::from_secs(8);
    while let Ok(Some(update)) = tokio::time::timeout_at(end, rx.recv()).await {
        if let Some(text) = said_by(&update) {
            said.push(text);
        }
        let stopped = matches!(&update, Update::Connection { key: k, connection: Connection::Stopped, .. } if k == key);
        state.apply(update, UnixMillis::now());
        if stopped {
            break;
        }
    }
    said
}

/// Wait for the stream's connection to fail and return why (the test fails when it does not).
pub async fn failure_of(
    rx: &mut Receiver<Update>,
    state: &mut InspectorState,
    key: &StreamKey,
) -> String {
    let failed = until(rx, state, |s| failure(s, key).is_some()).await;
    assert!(failed, "no failure: {:?}", connection(state, key));
    failure(state, key).unwrap_or_default()
}

/// The transmitter's id of the stream the session set up (empty before).
pub fn stream_id(state: &InspectorState, key: &StreamKey) -> String {
    state
        .streams
        .get(key)
        .and_then(|s| s.info.as_ref())
        .map(|i| i.stream_id.clone())
        .expect("the stream is set up: wait for `set_up_with` first (SETs may come before)")
}

/// The stream `key` is set up (its id known) and at least `sets` SETs are in the timeline. SETs
/// can arrive before set-up is done: the push endpoint opens first, and under load the
/// transmitter's verification SET lands while the receiver is still establishing the stream.
pub fn set_up_with(key: &StreamKey, sets: usize) -> impl Fn(&InspectorState) -> bool + '_ {
    move |state: &InspectorState| {
        state.timeline.len() >= sets && state.streams.get(key).is_some_and(|s| s.set_up)
    }
}
