//! `ssf-inspector stream …` as a script runs it: the real binary against the built-in
//! transmitter on 127.0.0.1 (started here), with its profiles in a private config folder.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the kit"
)]

pub mod captures;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef, StreamSetup};
use ssf_inspector::runtime::profiles::ProfileFiles;
use ssf_inspector::runtime::transmitter::{Scenario, Transmitter, TransmitterOptions};
use tokio_util::sync::CancellationToken;

pub const SESSION_REVOKED: &str =
    "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
pub const PUSH_SECRET: &str = "Bearer push-secret-0f3a9c";

/// A transmitter in this process and a config folder with profiles for it.
pub struct Setup {
    pub rt: tokio::runtime::Runtime,
    pub tx: Transmitter,
    cancel: CancellationToken,
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Setup {
    pub fn new(folder: &str, multiple_streams: bool) -> Self {
        Self::with(
            folder,
            TransmitterOptions {
                multiple_streams,
                ..Self::options()
            },
        )
    }

    /// Steady, slow traffic (one SET an hour), verification at any pace.
    pub fn options() -> TransmitterOptions {
        TransmitterOptions {
            scenario: Scenario::Steady,
            event_interval: Duration::from_secs(3600),
            min_verification_interval: 0,
            ..TransmitterOptions::default()
        }
    }

    /// A transmitter with these options, and the profile `tx` (auto, poll) for it.
    pub fn with(folder: &str, options: TransmitterOptions) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let cancel = CancellationToken::new();
        let tx = rt
            .block_on(Transmitter::start(
                SocketAddr::from(([127, 0, 0, 1], 0)),
                options,
                cancel.clone(),
            ))
            .expect("start the transmitter");
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
        std::fs::remove_dir_all(&base).ok();
        let (config, data) = (base.join("config"), base.join("data"));
        std::fs::create_dir_all(&data).expect("data folder");
        let setup = Self {
            rt,
            tx,
            cancel,
            config,
            data,
        };
        setup.save_profiles(&[("tx", StreamSetup::Auto)]);
        setup
    }

    /// Profiles named as given, each for this transmitter with its token stored.
    pub fn save_profiles(&self, profiles: &[(&str, StreamSetup)]) {
        let files = ProfileFiles::new(self.config.clone());
        files
            .store_secret("tx.token", &self.tx.management_token)
            .expect("store the token");
        let profiles: Vec<Profile> = profiles
            .iter()
            .map(|(name, stream)| Profile {
                name: (*name).to_owned(),
                issuer: self.tx.issuer.clone(),
                auth: ManagementAuth::Bearer {
                    token: SecretRef::Stored("tx.token".to_owned()),
                },
                delivery: DeliveryMode::Poll,
                stream: stream.clone(),
                ..Profile::default()
            })
            .collect();
        files.save(&profiles).expect("save the profiles");
    }

    /// Create a stream at the transmitter (as another receiver would); its id.
    pub fn create(&self, body: &Value) -> String {
        let created = self.create_config(body);
        created["stream_id"]
            .as_str()
            .expect("a stream_id")
            .to_owned()
    }

    /// Create a stream at the transmitter; the configuration it answers.
    pub fn create_config(&self, body: &Value) -> Value {
        self.rt.block_on(async {
            reqwest::Client::new()
                .post(format!("{}/streams", self.tx.issuer))
                .bearer_auth(&self.tx.management_token)
                .json(body)
                .send()
                .await
                .expect("POST streams")
                .json()
                .await
                .expect("the created stream")
        })
    }

    /// The ids the transmitter lists.
    pub fn listed(&self) -> Vec<String> {
        self.configurations()
            .iter()
            .filter_map(|s| s["stream_id"].as_str().map(str::to_owned))
            .collect()
    }

    /// The configurations the transmitter lists (one read as an object, as a transmitter with
    /// one stream answers; none for a 404).
    pub fn configurations(&self) -> Vec<Value> {
        let answer = self.rt.block_on(async {
            reqwest::Client::new()
                .get(format!("{}/streams", self.tx.issuer))
                .bearer_auth(&self.tx.management_token)
                .send()
                .await
                .expect("GET streams")
        });
        if answer.status() == 404 {
            return Vec::new();
        }
        match self.rt.block_on(answer.json::<Value>()).expect("JSON") {
            Value::Array(all) => all,
            one => vec![one],
        }
    }

    /// Run `ssf-inspector stream ARGS` (stdin closed); never a credential in its output.
    pub fn stream(&self, args: &[&str]) -> Output {
        self.run("stream", args)
    }

    /// Run `ssf-inspector COMMAND ARGS` (stdin closed); never a credential in its output.
    pub fn run(&self, command: &str, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
            .arg(command)
            .args(args)
            .env("SSF_INSPECTOR_CONFIG_DIR", &self.config)
            .env("SSF_INSPECTOR_DATA_DIR", &self.data)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .expect("run ssf-inspector");
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!all.contains(&self.tx.management_token), "a token: {all}");
        assert!(!all.contains("push-secret"), "a push secret: {all}");
        output
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit `code`, and the stdout.
pub fn expect(output: &Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    stdout(output)
}

pub fn json_of(output: &Output, code: i32) -> Value {
    serde_json::from_str(expect(output, code).trim()).expect("one JSON object")
}
