//! `ssf-inspector stream …` as a script runs it: the real binary against the built-in
//! transmitter on 127.0.0.1 (started here), with its profile in a private config folder. The
//! own stream is found by its description, an attached one by the profile, any by --stream;
//! foreign streams alone are refused with their ids; nothing printed holds a credential.

mod receiving;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use ssf_inspector::core::profile::{DeliveryMode, ManagementAuth, Profile, SecretRef, StreamSetup};
use ssf_inspector::core::stream::own_stream_description;
use ssf_inspector::runtime::profiles::ProfileFiles;
use ssf_inspector::runtime::transmitter::{Scenario, Transmitter, TransmitterOptions};
use tokio_util::sync::CancellationToken;

const SESSION_REVOKED: &str = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const PUSH_SECRET: &str = "Bearer push-secret-0f3a9c";

/// A transmitter in this process and a config folder with profiles for it.
struct Setup {
    rt: tokio::runtime::Runtime,
    tx: Transmitter,
    cancel: CancellationToken,
    config: PathBuf,
    data: PathBuf,
}

impl Setup {
    fn new(folder: &str, multiple_streams: bool) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let cancel = CancellationToken::new();
        let options = TransmitterOptions {
            scenario: Scenario::Steady,
            event_interval: Duration::from_secs(3600),
            min_verification_interval: 0,
            multiple_streams,
            ..TransmitterOptions::default()
        };
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
    fn save_profiles(&self, profiles: &[(&str, StreamSetup)]) {
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
    fn create(&self, body: &Value) -> String {
        let created: Value = self.rt.block_on(async {
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
        });
        created["stream_id"]
            .as_str()
            .expect("a stream_id")
            .to_owned()
    }

    /// The ids the transmitter lists.
    fn listed(&self) -> Vec<String> {
        self.rt
            .block_on(receiving::streams_at(&self.tx))
            .iter()
            .filter_map(|s| s["stream_id"].as_str().map(str::to_owned))
            .collect()
    }

    /// Run `ssf-inspector stream ARGS` (stdin closed); never a credential in its output.
    fn stream(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
            .arg("stream")
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

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit `code`, and the stdout.
fn expect(output: &Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    stdout(output)
}

fn json_of(output: &Output, code: i32) -> Value {
    serde_json::from_str(expect(output, code).trim()).expect("one JSON object")
}

#[test]
fn manages_the_profiles_own_stream() {
    let s = Setup::new("cli-stream-own", false);
    let id = s.create(&json!({
        "delivery": {"method": "urn:ietf:rfc:8936"},
        "events_requested": [SESSION_REVOKED],
        "description": own_stream_description("tx"),
    }));
    let p = ["--profile", "tx"];
    let status = s.stream(&[&["status"][..], &p].concat());
    assert_eq!(expect(&status, 0), format!("stream {id}: enabled\n"));

    let pause = s.stream(&[&["pause"][..], &p, &["--reason", "maintenance"]].concat());
    assert_eq!(
        expect(&pause, 0),
        format!("stream {id}: paused (reason: maintenance)\n")
    );
    let status = json_of(&s.stream(&[&["status"][..], &p, &["--json"]].concat()), 0);
    assert_eq!(status["command"], "status");
    assert_eq!(status["profile"], "tx");
    assert_eq!(status["ok"], true);
    assert_eq!(status["stream_id"], id.as_str());
    assert_eq!(status["http_status"], 200);
    assert_eq!(status["answer"]["status"], "paused");
    assert_eq!(status["answer"]["reason"], "maintenance");

    let verify = json_of(&s.stream(&[&["verify"][..], &p, &["--json"]].concat()), 0);
    assert_eq!(verify["http_status"], 204);
    assert_eq!(verify["answer"], Value::Null);
    assert!(verify["state"].as_str().is_some_and(|s| !s.is_empty()));
    let verify = s.stream(&[&["verify"][..], &p].concat());
    assert!(expect(&verify, 0).starts_with(&format!("stream {id}: verification requested")));

    let add = s.stream(&[&["add-subject"][..], &p, &["--email", "a@example.com"]].concat());
    assert_eq!(
        expect(&add, 0),
        format!("stream {id}: subject added: email a@example.com\n")
    );
    let bad = s.stream(
        &[
            &["add-subject"][..],
            &p,
            &["--subject", r#"{"format":"email"}"#],
        ]
        .concat(),
    );
    expect(&bad, 2);
    assert!(
        stderr(&bad).contains("the subject is not valid"),
        "{}",
        stderr(&bad)
    );
    let subject = r#"{"format":"email","email":"a@example.com"}"#;
    let remove = s.stream(
        &[
            &["remove-subject"][..],
            &p,
            &["--subject", subject, "--json"],
        ]
        .concat(),
    );
    let remove = json_of(&remove, 0);
    assert_eq!(remove["http_status"], 204);
    assert_eq!(remove["subject"]["email"], "a@example.com");
    let enable = s.stream(&[&["enable"][..], &p].concat());
    assert_eq!(expect(&enable, 0), format!("stream {id}: enabled\n"));

    // Deleting asks for --yes when standard input cannot answer.
    let unasked = s.stream(&[&["delete"][..], &p].concat());
    expect(&unasked, 2);
    assert!(
        stderr(&unasked).contains(&format!("stream {id} was not deleted: confirm with --yes")),
        "{}",
        stderr(&unasked)
    );
    assert_eq!(s.listed(), vec![id.clone()]);
    let delete = json_of(
        &s.stream(&[&["delete"][..], &p, &["--yes", "--json"]].concat()),
        0,
    );
    assert_eq!(delete["deleted"], id.as_str());
    assert_eq!(delete["http_status"], 204);
    assert!(s.listed().is_empty());

    // The transmitter refuses a stream it does not know: exit 1, the status and why.
    let gone = s.stream(&[&["status"][..], &p, &["--stream", &id]].concat());
    expect(&gone, 1);
    let why = stderr(&gone);
    assert!(why.contains("the transmitter refused (HTTP 404)"), "{why}");
    assert!(
        why.contains("the transmitter does not know this stream"),
        "{why}"
    );
    let gone = json_of(
        &s.stream(&[&["pause"][..], &p, &["--stream", &id, "--json"]].concat()),
        1,
    );
    assert_eq!(gone["ok"], false);
    assert_eq!(gone["http_status"], 404);
    assert!(
        gone["error"]
            .as_str()
            .is_some_and(|e| e.contains("HTTP 404")),
        "{gone}"
    );
}

#[test]
fn foreign_streams_must_be_named() {
    let s = Setup::new("cli-stream-foreign", true);
    let poll = s.create(&json!({
        "delivery": {"method": "urn:ietf:rfc:8936"},
        "events_requested": [SESSION_REVOKED],
        "description": "another receiver",
    }));
    let push = s.create(&json!({
        "delivery": {
            "method": "urn:ietf:rfc:8935",
            "endpoint_url": "http://127.0.0.1:9/push",
            "authorization_header": PUSH_SECRET,
        },
        "events_requested": [SESSION_REVOKED],
    }));
    let refused = s.stream(&["status", "--profile", "tx"]);
    expect(&refused, 2);
    let why = stderr(&refused);
    assert!(why.contains(&poll) && why.contains(&push), "{why}");
    assert!(why.contains("name one with --stream"), "{why}");
    let refused = json_of(&s.stream(&["status", "--profile", "tx", "--json"]), 2);
    assert_eq!(refused["ok"], false);
    let mut ids: Vec<&str> = refused["streams"]
        .as_array()
        .expect("the listed ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    ids.sort_unstable();
    let mut expected = vec![poll.as_str(), push.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);

    // Named, it is used; its push authorization is not shown.
    let config = s.stream(&["config", "--profile", "tx", "--stream", &push, "--json"]);
    let config = json_of(&config, 0);
    assert_eq!(config["http_status"], 200);
    assert_eq!(config["answer"]["stream_id"], push.as_str());
    assert_eq!(
        config["answer"]["delivery"]["authorization_header"],
        "<redacted>"
    );
    let text = s.stream(&["config", "--profile", "tx", "--stream", &push]);
    assert!(expect(&text, 0).starts_with(&format!("stream {push} configuration:\n{{")));

    // A profile attached to a stream acts on it.
    s.save_profiles(&[
        ("tx", StreamSetup::Auto),
        (
            "att",
            StreamSetup::Attach {
                stream_id: poll.clone(),
            },
        ),
    ]);
    let attached = json_of(&s.stream(&["status", "--profile", "att", "--json"]), 0);
    assert_eq!(attached["stream_id"], poll.as_str());
    assert_eq!(attached["answer"]["status"], "enabled");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let s = Setup::new("cli-stream-unknown", false);
    let output = s.stream(&["status", "--profile", "nobody"]);
    expect(&output, 2);
    assert!(
        stderr(&output).contains("no profile named \"nobody\""),
        "{}",
        stderr(&output)
    );
}
