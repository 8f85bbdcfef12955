//! A transmitter and a receiving session on 127.0.0.1, as the runtime tests need them: the
//! built-in transmitter with steady traffic, a profile for it with its token in a private
//! secrets file, and a runtime (record in memory) running a session for that profile.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the kit"
)]

use std::net::SocketAddr;
use std::time::Duration;

use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::profiles::{ProfileFiles, session_for};
use ssf_inspector::runtime::receiver::session::SessionConfig;
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
    reqwest::Client::new()
        .get(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .send()
        .await
        .expect("GET streams")
        .json()
        .await
        .expect("a JSON array")
}
