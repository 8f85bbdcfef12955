//! No secret the receiver holds reaches any sink, even when the transmitter echoes the request
//! and its Authorization header in every error answer (`echo-errors`). Three secrets are
//! planted, each a distinct random-looking value: the management bearer token (which is also
//! the OAuth access token the built-in token endpoint yields), the push authorization, and an
//! OAuth client secret. Each is looked for as it is (its `Bearer ` form contains it) and in the
//! base64 forms an Authorization header would carry (`Basic base64(id:secret)` above all), in:
//!
//! 1. the real binary (`watch --profile … --record … --json`, `RUST_LOG=debug`): stdout,
//!    stderr, every file of its data folder as bytes (the record and its `-wal`/`-shm`), and
//!    every text of every table of the record. Against a strict transmitter (`strict-create`)
//!    that refuses the create and echoes it; one that refuses an unsupported event type, then
//!    lets a second profile (OAuth client credentials) create its stream, revokes its access
//!    for a while (refusals echoed, logged and printed) and lets it delete the stream on stop;
//!    and one without PATCH (`no-patch`) whose refusal echoes the new push authorization. The
//!    record's files are 0600 (`the_record_files_are_private`).
//! 2. The runtime in this process, by push with OAuth client credentials: PATCH refused (501),
//!    a subject and a status refused (400), the configuration read, the JWKS unavailable, access
//!    revoked (401 on reads, verification), the stream deleted behind the receiver's back (404
//!    on a status change and on the delete at stop), and a second session whose token endpoint
//!    echoes the client credentials back. Then every update (Debug), the state (alerts,
//!    notices, exchanges, each stream's connection, configuration and metadata, and all of it
//!    Debug-formatted), the record after shutdown (bytes and rows), an export and a capture.
//! 3. The window drawn from that final state: every accessibility node's label, value and
//!    description, with each stream's configuration unfolded, each transmitter shown and each
//!    exchange selected in turn.
//!
//! Every test also checks that the echoes really came (so a clean sink means scrubbed, not
//! spared). Everything runs on 127.0.0.1, without DNS, in bounded time.

use crate::receiving;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use parking_lot::Mutex;
use serde_json::{Value, json};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::profile::{
    DeliveryMode, ManagementAuth, Profile, ProfileWatch, SecretRef, SetupOptions,
};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{Connection, StreamChange, StreamStatus, own_stream_description};
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::profiles::ProfileFiles;
use ssf_inspector::runtime::receiver::operations::StreamOp;
use ssf_inspector::runtime::receiver::session::WatchSettings;
use ssf_inspector::runtime::transmitter::{
    Quirk, Quirks, Scenario, Transmitter, TransmitterOptions,
};
use ssf_inspector::runtime::{self, Command, RuntimeHandle};
use ssf_inspector::ui::view::{CentralView, ExchangeView};
use ssf_inspector::ui::{ViewState, root_ui};
use tokio_util::sync::CancellationToken;

// ---------------------------------------------------------------------------------------------
// The secrets and how they are looked for
// ---------------------------------------------------------------------------------------------

/// The transmitter's management bearer token. The built-in token endpoint hands the same value
/// out as the OAuth access token, so it is the access token too.
const MANAGEMENT_TOKEN: &str = "mgmt-Qx7vK2pL9rT4wZ8nB1yHc6Ds";
/// The credential of the push authorization (the profile stores `Bearer` and this). It holds
/// characters JSON encoders escape (`"`, `\`, and `<`, `>`, `&`, `/` for some), so an echo
/// carries it in other forms than it was sent.
const PUSH_CREDENTIAL: &str = "push-3Hd8<sF2>mQ9&kW5/tY7\"cR1\\JeV0";
/// The OAuth client.
const CLIENT_ID: &str = "ssf-sinks-client";
/// Its secret.
const CLIENT_SECRET: &str = "oauth-9Zk4Lm2Xp7Qr5Vt8Wn3sGaE6";

/// The push authorization as the profile keeps it (an Authorization header value).
fn push_authorization() -> String {
    format!("Bearer {PUSH_CREDENTIAL}")
}

/// One form of one secret to look for.
struct Needle {
    what: String,
    bytes: Vec<u8>,
}

/// Every form looked for: each secret as it is (its `Bearer ` form contains it), base64 of it
/// and of its `Bearer ` form, and the client credentials as a `Basic` Authorization header
/// carries them (base64 of `id:secret`), standard and URL-safe, padding left off (a padded
/// form contains the unpadded one).
fn needles() -> &'static [Needle] {
    static NEEDLES: OnceLock<Vec<Needle>> = OnceLock::new();
    NEEDLES.get_or_init(|| {
        let mut out: Vec<Needle> = Vec::new();
        let mut add = |what: String, bytes: Vec<u8>| {
            if !out.iter().any(|n| n.bytes == bytes) {
                out.push(Needle { what, bytes });
            }
        };
        let b64 = |text: &str| {
            [STANDARD.encode(text), URL_SAFE.encode(text)]
                .map(|form| form.trim_end_matches('=').as_bytes().to_vec())
        };
        for (what, secret) in [
            ("management token (= OAuth access token)", MANAGEMENT_TOKEN),
            ("push authorization", PUSH_CREDENTIAL),
            ("OAuth client secret", CLIENT_SECRET),
        ] {
            add(what.to_owned(), secret.as_bytes().to_vec());
            for (how, form) in escaped_forms(secret) {
                add(format!("{what}, {how}"), form.into_bytes());
            }
            for form in b64(secret) {
                add(format!("{what}, base64"), form);
            }
            for form in b64(&format!("Bearer {secret}")) {
                add(format!("{what}, base64 of its Bearer form"), form);
            }
        }
        for form in b64(&format!("{CLIENT_ID}:{CLIENT_SECRET}")) {
            add(
                "OAuth client credentials, base64 as in `Authorization: Basic`".to_owned(),
                form,
            );
        }
        out
    })
}

/// `secret` as JSON encoders write it inside a string (serde's, and an ASCII-only, HTML-safe one
/// with escaped slashes) and percent-encoded; forms equal to the secret left out.
fn escaped_forms(secret: &str) -> Vec<(&'static str, String)> {
    let serde = serde_json::to_string(secret).expect("a string");
    let serde = serde[1..serde.len() - 1].to_owned();
    let mut other = String::new();
    for c in secret.chars() {
        match c {
            '"' => other.push_str("\\\""),
            '\\' => other.push_str("\\\\"),
            '/' => other.push_str("\\/"),
            '<' | '>' | '&' => other.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => other.push(c),
        }
    }
    let percent: String = secret
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    [
        ("JSON-escaped", serde),
        ("escaped as Go or PHP write it", other),
        ("percent-encoded", percent),
    ]
    .into_iter()
    .filter(|(_, form)| form != secret)
    .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The sinks looked at, and every secret found in one.
#[derive(Default)]
struct Sinks {
    checked: usize,
    leaks: Vec<String>,
}

impl Sinks {
    fn check(&mut self, sink: &str, text: impl AsRef<[u8]>) {
        self.checked += 1;
        let text = text.as_ref();
        for needle in needles() {
            if contains(text, &needle.bytes) {
                let line = format!("{sink}: the {}", needle.what);
                if !self.leaks.contains(&line) {
                    self.leaks.push(line);
                }
            }
        }
    }

    fn assert_clean(&self, what: &str) {
        assert!(self.checked > 0, "no sink of {what} was checked");
        assert!(
            self.leaks.is_empty(),
            "LEAK: a secret reached {} sink(s) of {what} ({} texts checked):\n  {}",
            self.leaks.len(),
            self.checked,
            self.leaks.join("\n  ")
        );
    }
}

/// The variant name of a Debug-formatted update.
fn variant(debug: &str) -> &str {
    let end = debug
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(debug.len());
    &debug[..end]
}

// ---------------------------------------------------------------------------------------------
// Files: bytes, modes, the record's rows
// ---------------------------------------------------------------------------------------------

/// A fresh folder under the test target folder.
fn fresh_folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("secrets-in-sinks")
        .join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("a test folder");
    dir
}

/// The record file and its `-wal` / `-shm` siblings, those that exist.
fn record_files(record: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", record.display())))
        .filter(|path| path.exists())
        .collect()
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode(_: &Path) -> u32 {
    0o600
}

/// Each file's bytes as a sink (read before anything opens the record again).
fn check_files(sinks: &mut Sinks, files: &[PathBuf]) {
    for path in files {
        let bytes = std::fs::read(path).expect("read a file");
        sinks.check(&format!("file {} (bytes)", path.display()), bytes);
    }
}

/// Every text and blob of every table of the record, per table (what a row keeps even where a
/// long text is split over overflow pages in the file).
fn check_record_rows(sinks: &mut Sinks, record: &Path) {
    let db = rusqlite::Connection::open(record).expect("open the record");
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("list tables")
        .query_map([], |row| row.get(0))
        .expect("list tables")
        .collect::<Result<_, _>>()
        .expect("table names");
    assert!(tables.iter().any(|t| t == "exchanges"), "{tables:?}");
    for table in tables {
        let mut statement = db
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let columns = statement.column_count();
        let mut rows = statement.query([]).expect("query");
        let mut text = Vec::new();
        while let Some(row) = rows.next().expect("a row") {
            for i in 0..columns {
                match row.get_ref(i).expect("a column") {
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                        text.extend_from_slice(t);
                        text.push(b'\n');
                    }
                    _ => {}
                }
            }
        }
        let file = record
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        sinks.check(&format!("record {file}, table {table} (rows)"), text);
    }
}

/// The response bodies the record keeps for exchanges answered with `status`.
fn recorded_answers(record: &Path, status: u16) -> Vec<String> {
    let db = rusqlite::Connection::open(record).expect("open the record");
    db.prepare(
        "SELECT method || ' ' || url || ' -> ' || response_body FROM exchanges WHERE status = ?1",
    )
    .expect("select exchanges")
    .query_map([status], |row| row.get(0))
    .expect("query exchanges")
    .collect::<Result<_, _>>()
    .expect("exchange rows")
}

// ---------------------------------------------------------------------------------------------
// The transmitter (in this process) and profiles for it
// ---------------------------------------------------------------------------------------------

/// The built-in transmitter with the planted management token and OAuth client.
fn transmitter_options(quirks: Quirks) -> TransmitterOptions {
    TransmitterOptions {
        scenario: Scenario::Steady,
        event_interval: Duration::from_millis(250),
        long_poll_timeout: Duration::from_millis(300),
        min_verification_interval: 0,
        token: Some(MANAGEMENT_TOKEN.to_owned()),
        oauth_client: Some((CLIENT_ID.to_owned(), CLIENT_SECRET.to_owned())),
        quirks,
        ..TransmitterOptions::default()
    }
}

/// A test-side HTTP client: no proxy, loopback only.
fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a client")
}

/// POST JSON to the transmitter with the management (operator) token.
async fn post(tx: &Transmitter, path: &str, body: &Value) -> Value {
    let answer = test_client()
        .post(format!("{}{path}", tx.issuer))
        .bearer_auth(MANAGEMENT_TOKEN)
        .json(body)
        .send()
        .await
        .expect("POST to the transmitter");
    assert!(
        answer.status().is_success(),
        "POST {path}: {}",
        answer.status()
    );
    answer.json().await.unwrap_or(Value::Null)
}

/// A profile for `tx` named `name`, delivering by push with the planted push authorization
/// (stored in `files`), and the management token stored too (for bearer profiles).
fn profile(files: &ProfileFiles, tx: &Transmitter, name: &str, auth: Auth<'_>) -> Profile {
    files
        .store_secret(&format!("{name}.push_auth"), &push_authorization())
        .expect("store the push authorization");
    let auth = match auth {
        Auth::Bearer => {
            files
                .store_secret(&format!("{name}.token"), MANAGEMENT_TOKEN)
                .expect("store the token");
            ManagementAuth::Bearer {
                token: SecretRef::Stored(format!("{name}.token")),
            }
        }
        Auth::Client { token_endpoint } => {
            files
                .store_secret(&format!("{name}.client_secret"), CLIENT_SECRET)
                .expect("store the client secret");
            ManagementAuth::ClientCredentials {
                token_endpoint: token_endpoint.to_owned(),
                client_id: CLIENT_ID.to_owned(),
                client_secret: SecretRef::Stored(format!("{name}.client_secret")),
                scopes: vec!["ssf.manage".to_owned()],
            }
        }
    };
    Profile {
        name: name.to_owned(),
        issuer: tx.issuer.clone(),
        auth,
        delivery: DeliveryMode::Push,
        push_authorization: Some(SecretRef::Stored(format!("{name}.push_auth"))),
        ..Profile::default()
    }
}

/// How a profile authorizes its management calls.
#[derive(Clone, Copy)]
enum Auth<'a> {
    /// The management token, stored.
    Bearer,
    /// OAuth client credentials at this token endpoint.
    Client { token_endpoint: &'a str },
}

// ---------------------------------------------------------------------------------------------
// 1. The real binary: `watch --profile P --record FILE --json --seconds N`, logs at debug
// ---------------------------------------------------------------------------------------------

/// A transmitter in this process (its own tokio runtime) and a config and data folder.
struct Peer {
    rt: tokio::runtime::Runtime,
    tx: Transmitter,
    cancel: CancellationToken,
    config: PathBuf,
    data: PathBuf,
}

impl Peer {
    fn new(folder: &str, quirks: Quirks) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("sinks-transmitter")
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let cancel = CancellationToken::new();
        let tx = rt
            .block_on(Transmitter::start(
                SocketAddr::from(([127, 0, 0, 1], 0)),
                transmitter_options(quirks),
                cancel.clone(),
            ))
            .expect("start the transmitter");
        let base = fresh_folder(folder);
        let (config, data) = (base.join("config"), base.join("data"));
        std::fs::create_dir_all(&data).expect("a data folder");
        Self {
            rt,
            tx,
            cancel,
            config,
            data,
        }
    }

    fn files(&self) -> ProfileFiles {
        ProfileFiles::new(self.config.clone())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// What a run of the binary left.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// The JSON lines of stdout.
    lines: Vec<Value>,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The `kind` lines of stdout.
    fn of_kind(&self, kind: &str) -> Vec<&Value> {
        self.lines.iter().filter(|l| l["kind"] == kind).collect()
    }
}

fn reader(
    name: &str,
    mut from: impl std::io::Read + Send + 'static,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let mut bytes = Vec::new();
            from.read_to_end(&mut bytes).ok();
            bytes
        })
        .expect("a reader thread")
}

/// Run `ssf-inspector watch --profile NAME --record RECORD --json --seconds SECONDS` with
/// `RUST_LOG=debug` and this peer's folders; killed (it is this test's child) if it outlives
/// its seconds by far.
fn watch(peer: &Peer, name: &str, record: &Path, seconds: u64) -> Run {
    let mut child = Process::new(env!("CARGO_BIN_EXE_ssf-inspector"))
        .args(["watch", "--profile", name, "--json", "--seconds"])
        .arg(seconds.to_string())
        .arg("--record")
        .arg(record)
        .env("RUST_LOG", "debug")
        .env("SSF_INSPECTOR_CONFIG_DIR", &peer.config)
        .env("SSF_INSPECTOR_DATA_DIR", &peer.data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ssf-inspector watch");
    let out = reader("watch-stdout", child.stdout.take().expect("stdout"));
    let err = reader("watch-stderr", child.stderr.take().expect("stderr"));
    let deadline = Instant::now() + Duration::from_secs(seconds + 25);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for watch") {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out.join().expect("stdout read");
    let stderr = err.join().expect("stderr read");
    let lines = String::from_utf8_lossy(&stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let run = Run {
        code: status.and_then(|s| s.code()),
        stdout,
        stderr,
        lines,
    };
    assert!(
        status.is_some(),
        "watch did not end within {seconds} s + 25 s; stderr:\n{}",
        run.stderr()
    );
    run
}

/// Run `watch` for `name` and look for every secret in what it printed and wrote (into
/// `sinks`); the record is created by this run. Returns the run for the case's own evidence.
fn watch_and_search(peer: &Peer, name: &str, seconds: u64, sinks: &mut Sinks) -> (Run, PathBuf) {
    let record = peer.data.join(format!("{name}.sqlite3"));
    let run = watch(peer, name, &record, seconds);
    // 0 when it ran until --seconds; 4 when its stream was not set up (a refused create ends
    // it at once).
    assert!(
        matches!(run.code, Some(0 | 4)),
        "watch failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        run.code,
        run.stdout(),
        run.stderr()
    );
    assert!(
        run.stderr().contains("DEBUG"),
        "the logs are at debug: {}",
        run.stderr()
    );
    sinks.check(&format!("{name}: stdout (--json lines)"), &run.stdout);
    sinks.check(
        &format!("{name}: stderr (the logs, RUST_LOG=debug)"),
        &run.stderr,
    );
    let created = record_files(&record);
    assert!(!created.is_empty(), "no record at {}", record.display());
    // Modes are reported, not asserted here (see `the_record_files_are_private`).
    for path in &created {
        let mode = mode(path);
        if mode != 0o600 {
            eprintln!(
                "NOTE: {} was created with mode {mode:o}, not 0600",
                path.display()
            );
        }
    }
    // Every file the run left in its data folder (the record and whatever else), as bytes.
    check_files(sinks, &files_under(&peer.data));
    check_record_rows(sinks, &record);
    (run, record)
}

/// The connection lines of a run that failed, with their texts.
fn failures(run: &Run) -> Vec<String> {
    run.of_kind("connection")
        .iter()
        .filter(|l| l["connection"]["state"] == "failed")
        .filter_map(|l| l["connection"]["detail"].as_str().map(str::to_owned))
        .collect()
}

fn notices(run: &Run) -> Vec<String> {
    run.of_kind("notice")
        .iter()
        .filter_map(|l| l["text"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn watch_with_a_refused_create_echoing_both_secrets_prints_and_records_none() {
    let peer = Peer::new(
        "watch-refused-create",
        Quirks::from([Quirk::EchoErrors, Quirk::StrictCreate]),
    );
    let files = peer.files();
    let refused = profile(&files, &peer.tx, "refused", Auth::Bearer);
    files.save(&[refused]).expect("save the profile");
    let mut sinks = Sinks::default();
    let (run, record) = watch_and_search(&peer, "refused", 3, &mut sinks);
    sinks.assert_clean("`watch --profile refused`");
    assert_eq!(run.code, Some(4), "not set up: it ends at once");
    // The create was refused with the request echoed (its delivery.authorization_header and
    // the Authorization header), and that answer is what the failure quotes.
    let failed = failures(&run);
    assert!(
        failed.iter().any(|f| f.contains("HTTP 422")
            && f.contains("\"authorization\"")
            && f.contains("\"request\"")),
        "the failure quotes the echoed refusal: {failed:#?}\n{}",
        run.stdout()
    );
    assert!(
        run.of_kind("alert")
            .iter()
            .any(|a| a["alert"] == "setup_failed"),
        "{}",
        run.stdout()
    );
    let echoed = recorded_answers(&record, 422);
    assert!(
        echoed
            .iter()
            .any(|a| a.contains("\"authorization\"") && a.contains("authorization_header")),
        "the record keeps the echoed refusal: {echoed:#?}"
    );
}

const SESSION_REVOKED: &str = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const CREDENTIAL_CHANGE: &str =
    "https://schemas.openid.net/secevent/caep/event-type/credential-change";
/// An event type the built-in transmitter does not support (it sends CAEP and RISC only).
const SCIM_DELETE: &str = "urn:ietf:params:scim:event:prov:delete";

/// A profile for the strict transmitter (OAuth client credentials at its token endpoint):
/// `aud` given, no description, the events named, status read every second.
fn strict_profile(files: &ProfileFiles, tx: &Transmitter, name: &str, events: &[&str]) -> Profile {
    let token_endpoint = format!("{}/oauth/token", tx.issuer);
    let auth = Auth::Client {
        token_endpoint: &token_endpoint,
    };
    Profile {
        setup: SetupOptions {
            create_members: Some(json!({"aud": format!("https://receiver.example/{name}")})),
            omit_description: true,
            ..SetupOptions::default()
        },
        events_requested: events.iter().map(|e| (*e).to_owned()).collect(),
        watch: ProfileWatch {
            status_every_secs: 1,
            heartbeat_every_secs: 2,
            heartbeat_timeout_secs: 1,
            ..ProfileWatch::default()
        },
        ..profile(files, tx, name, auth)
    }
}

/// Once the transmitter has a stream: revoke the receiver's access for `how_long`, then grant
/// it again (within 20 s in all).
async fn revoke_for_a_while(issuer: String, how_long: Duration) {
    let client = test_client();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let listed: Value = client
            .get(format!("{issuer}/streams"))
            .bearer_auth(MANAGEMENT_TOKEN)
            .send()
            .await
            .expect("GET streams")
            .json()
            .await
            .unwrap_or(Value::Null);
        if listed.as_array().is_some_and(|l| !l.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "no stream was created");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fault = |access: &'static str| {
        client
            .post(format!("{issuer}/control/fault"))
            .bearer_auth(MANAGEMENT_TOKEN)
            .json(&json!({ "access": access }))
            .send()
    };
    fault("revoked").await.expect("revoke");
    tokio::time::sleep(how_long).await;
    fault("granted").await.expect("grant");
}

/// Against a strict transmitter that echoes its errors and has no PATCH: a profile asking for
/// an event type it does not support is refused (422, echoed); then one asking for supported
/// types only creates its stream, receives by push, reads the configuration (which carries
/// the push authorization) and the status, and deletes the stream on stop. (With the default
/// events the receiver would narrow them after the refusal, but it finds only the types named
/// in the first 400 characters of the answer, so the narrowed create is refused again.)
#[test]
fn watch_refused_then_created_by_oauth_prints_and_records_no_secret() {
    let peer = Peer::new(
        "watch-created",
        Quirks::from([Quirk::EchoErrors, Quirk::StrictCreate, Quirk::NoPatch]),
    );
    let files = peer.files();
    let unsupported = strict_profile(
        &files,
        &peer.tx,
        "unsupported",
        &[SESSION_REVOKED, SCIM_DELETE],
    );
    let created = strict_profile(
        &files,
        &peer.tx,
        "created",
        &[SESSION_REVOKED, CREDENTIAL_CHANGE],
    );
    files
        .save(&[unsupported, created])
        .expect("save the profiles");

    let mut sinks = Sinks::default();
    let (refused, refused_record) = watch_and_search(&peer, "unsupported", 3, &mut sinks);
    // While it runs, its access is revoked for a while: the refused reads are echoed (a
    // configuration read refused is logged), the connection fails, then comes back.
    let revoke = peer.rt.spawn(revoke_for_a_while(
        peer.tx.issuer.clone(),
        Duration::from_millis(2500),
    ));
    let (run, record) = watch_and_search(&peer, "created", 6, &mut sinks);
    peer.rt.block_on(revoke).expect("the revocation task");
    sinks.assert_clean("`watch --profile unsupported`, then `watch --profile created`");
    let failed = failures(&refused);
    assert!(
        failed.iter().any(|f| f.contains("HTTP 422")
            && f.contains("Unsupported event URI(s)")
            && f.contains("\"authorization\"")),
        "the failure quotes the echoed refusal: {failed:#?}\n{}",
        refused.stdout()
    );
    let echoed = recorded_answers(&refused_record, 422);
    assert!(
        echoed
            .iter()
            .any(|a| a.contains(SCIM_DELETE) && a.contains("authorization_header")),
        "the refused create was echoed: {echoed:#?}"
    );

    let failed = failures(&run);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("HTTP 401") && f.contains("Authorization: ")),
        "the revoked status read is quoted, echo included: {failed:#?}\n{}",
        run.stdout()
    );
    assert!(
        run.stderr()
            .lines()
            .any(|l| l.contains("reading the configuration:") && l.contains("Authorization: ")),
        "the refused configuration read is logged, echo included:\n{}",
        run.stderr()
    );
    let told = notices(&run);
    assert!(
        told.iter().any(|n| n.contains("created stream"))
            && told.iter().any(|n| n.contains("deleted stream")),
        "the stream was created, and deleted on stop: {told:#?}\n{}",
        run.stdout()
    );
    assert!(
        run.of_kind("connection")
            .iter()
            .any(|l| l["connection"]["state"] == "connected"),
        "{}",
        run.stdout()
    );
    // SETs came by push, with the push authorization; the token was fetched by the client
    // credentials; the configuration read back carries the push authorization.
    assert!(!run.of_kind("set").is_empty(), "{}", run.stdout());
    assert!(
        !recorded_answers(&record, 200)
            .iter()
            .filter(|a| a.contains("/oauth/token"))
            .collect::<Vec<_>>()
            .is_empty()
    );
    assert!(
        recorded_answers(&record, 200)
            .iter()
            .any(|a| a.contains("GET ") && a.contains("authorization_header")),
        "a configuration read is recorded"
    );
}

#[test]
fn watch_pointing_its_stream_past_a_missing_patch_prints_and_records_no_secret() {
    let peer = Peer::new(
        "watch-no-patch",
        Quirks::from([Quirk::EchoErrors, Quirk::NoPatch]),
    );
    // The receiver's own stream from an earlier run, delivering elsewhere: the run PATCHes its
    // delivery (501, echoed with the new authorization_header), then PUTs it.
    peer.rt.block_on(post(
        &peer.tx,
        "/streams",
        &json!({
            "delivery": {
                "method": "urn:ietf:rfc:8935",
                "endpoint_url": "http://127.0.0.1:9/elsewhere",
                "authorization_header": "Bearer an-earlier-run",
            },
            "events_requested": [],
            "description": own_stream_description("unpatched"),
        }),
    ));
    let files = peer.files();
    let unpatched = profile(&files, &peer.tx, "unpatched", Auth::Bearer);
    files.save(&[unpatched]).expect("save the profile");
    let mut sinks = Sinks::default();
    let (run, record) = watch_and_search(&peer, "unpatched", 3, &mut sinks);
    sinks.assert_clean("`watch --profile unpatched`");
    let told = notices(&run);
    assert!(
        told.iter()
            .any(|n| n.contains("by PUT (PATCH is not implemented)")),
        "{told:#?}\n{}",
        run.stdout()
    );
    let echoed = recorded_answers(&record, 501);
    assert!(
        echoed
            .iter()
            .any(|a| a.contains("\"authorization\"") && a.contains("authorization_header")),
        "the refused PATCH was echoed: {echoed:#?}"
    );
}

#[test]
fn the_record_files_are_private() {
    let peer = Peer::new(
        "watch-modes",
        Quirks::from([Quirk::EchoErrors, Quirk::StrictCreate]),
    );
    let files = peer.files();
    let modes = profile(&files, &peer.tx, "modes", Auth::Bearer);
    files.save(&[modes]).expect("save the profile");
    let record = peer.data.join("modes.sqlite3");
    let run = watch(&peer, "modes", &record, 1);
    assert_eq!(run.code, Some(4), "not set up: {}", run.stderr());
    let modes: Vec<String> = record_files(&record)
        .iter()
        .map(|p| format!("{} {:o}", p.display(), mode(p)))
        .collect();
    assert!(!modes.is_empty());
    assert!(
        record_files(&record).iter().all(|p| mode(p) == 0o600),
        "the record files are readable by others: {modes:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. In process: the runtime, refused and echoed operations, the state, the record, an export
// ---------------------------------------------------------------------------------------------

/// One thing done to the state, in order: what the window's state is rebuilt from.
#[derive(Clone)]
enum Step {
    Apply(Update, UnixMillis),
    Tick(UnixMillis),
}

/// What the in-process session left.
struct Outcome {
    /// The state as the updates made it.
    state: InspectorState,
    /// Every update applied to it, Debug-formatted.
    seen: Vec<String>,
    /// Every step, to rebuild the state.
    steps: Vec<Step>,
    /// The record file.
    record: PathBuf,
    /// The export.
    export: PathBuf,
    /// A capture (issue 24), saved as the window saves one.
    capture: PathBuf,
    /// The main stream and the one whose token endpoint echoes.
    main: StreamKey,
    echo_token: StreamKey,
}

/// Updates applied to a state as the app does (reducer, watchdog ticks, record writes).
struct Pump {
    rx: tokio::sync::mpsc::Receiver<Update>,
    rt: RuntimeHandle,
    state: InspectorState,
    seen: Vec<String>,
    steps: Vec<Step>,
    last_tick: Instant,
}

impl Pump {
    fn apply(&mut self, update: Update) {
        let now = UnixMillis::now();
        self.seen.push(format!("{update:?}"));
        self.steps.push(Step::Apply(update.clone(), now));
        let effects = self.state.apply(update, now);
        self.rt.effects().record(effects).ok();
    }

    async fn housekeeping(&mut self) {
        if self.last_tick.elapsed() >= Duration::from_millis(250) {
            let now = UnixMillis::now();
            self.steps.push(Step::Tick(now));
            let effects = self.state.tick(now);
            self.rt.effects().record(effects).ok();
            self.last_tick = Instant::now();
        }
    }

    /// Apply updates until `done` holds (checked after each one), at most `within` and never
    /// less than 30 s (a bound that only stops a failing test, issue 22).
    async fn until(
        &mut self,
        what: &str,
        within: Duration,
        done: impl Fn(&InspectorState) -> bool,
    ) {
        let within = within.max(Duration::from_secs(30));
        let deadline = Instant::now() + within;
        while !done(&self.state) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what}; the notice: {:?}; the streams: {:#?}",
                self.state.notice,
                self.state
                    .streams
                    .values()
                    .map(|s| (&s.key, &s.connection))
                    .collect::<Vec<_>>()
            );
            let step = left.min(Duration::from_millis(100));
            match tokio::time::timeout(step, self.rx.recv()).await {
                Ok(Some(update)) => self.apply(update),
                Ok(None) => panic!("the runtime stopped while waiting for {what}"),
                Err(_) => {}
            }
            self.housekeeping().await;
        }
    }

    /// Wait for the notice that contains `text` (after asking for `op`).
    async fn operate(&mut self, key: &StreamKey, op: StreamOp, text: &str) {
        let what = format!("{op:?} to end with a notice containing \"{text}\"");
        self.rt
            .send(Command::Stream(key.clone(), op))
            .await
            .expect("send the operation");
        self.until(&what, Duration::from_secs(10), |s| {
            s.notice.as_ref().is_some_and(|n| n.text.contains(text))
        })
        .await;
    }

    /// After `Shutdown`: apply what still comes until the runtime has finished and the
    /// channel is quiet (bounded).
    async fn drain(&mut self) {
        let finished = self.rt.finished();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let step = if finished.is_cancelled() {
                Duration::from_millis(500)
            } else {
                Duration::from_millis(100)
            };
            match tokio::time::timeout(step, self.rx.recv()).await {
                Ok(Some(update)) => self.apply(update),
                Ok(None) => break,
                Err(_) if finished.is_cancelled() => break,
                Err(_) => {}
            }
            assert!(
                Instant::now() < deadline,
                "the runtime did not stop in 15 s"
            );
        }
    }
}

fn connected(state: &InspectorState, key: &StreamKey) -> bool {
    state
        .streams
        .get(key)
        .is_some_and(|s| s.connection == Connection::Connected)
}

fn failed_with(state: &InspectorState, key: &StreamKey, text: &str) -> bool {
    state
        .streams
        .get(key)
        .is_some_and(|s| matches!(&s.connection, Connection::Failed(why) if why.contains(text)))
}

fn alerted(state: &InspectorState, key: &StreamKey, kind: AlertKind) -> bool {
    state
        .alerts
        .iter()
        .any(|a| &a.stream == key && a.kind == kind)
}

/// Session watch intervals short enough for the faults to show within seconds.
fn quick(config: &mut ssf_inspector::runtime::receiver::session::SessionConfig) {
    config.watch = WatchSettings {
        status_interval: Duration::from_millis(400),
        verification_interval: Duration::from_millis(1500),
        verification_timeout: Duration::from_secs(1),
        silence_after: None,
        poll_interval: Duration::from_secs(1),
    };
}

/// The in-process session, run once for the tests that read it.
fn outcome() -> &'static Mutex<Outcome> {
    static OUTCOME: OnceLock<Mutex<Outcome>> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("sinks-runtime")
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let outcome = rt.block_on(in_process_session());
        rt.shutdown_timeout(Duration::from_secs(2));
        Mutex::new(outcome)
    })
}

async fn in_process_session() -> Outcome {
    let base = fresh_folder("in-process");
    let record = base.join("record.sqlite3");
    let export = base.join("export.jsonl");
    let capture = base.join("capture.jsonl");
    let (tx, cancel) = receiving::transmitter(transmitter_options(Quirks::from([
        Quirk::EchoErrors,
        Quirk::NoPatch,
    ])))
    .await;
    let files = ProfileFiles::new(base.join("config"));
    let token_endpoint = format!("{}/oauth/token", tx.issuer);
    let main = profile(
        &files,
        &tx,
        "sinks",
        Auth::Client {
            token_endpoint: &token_endpoint,
        },
    );
    let (updates, rx) = update_channel(no_wake());
    let rt = runtime::spawn(
        &tokio::runtime::Handle::current(),
        updates,
        Some(record.clone()),
    );
    let mut pump = Pump {
        rx,
        rt: rt.clone(),
        state: InspectorState::default(),
        seen: Vec::new(),
        steps: Vec::new(),
        last_tick: Instant::now(),
    };
    let key = receiving::start(&rt, &files, &main, quick).await;
    pump.until("push delivery", Duration::from_secs(20), |s| {
        connected(s, &key) && s.streams.get(&key).is_some_and(|st| st.sets_received >= 2)
    })
    .await;
    refused_operations(&mut pump, &key).await;
    faults(&mut pump, &tx, &key).await;
    // A status change to a stream the transmitter no longer has (deleted behind the
    // receiver's back): 404, echoed; so is the delete on stop.
    let stream_id = pump.state.streams[&key]
        .info
        .as_ref()
        .map(|i| i.stream_id.clone())
        .expect("the stream id");
    let deleted = test_client()
        .delete(format!("{}/streams", tx.issuer))
        .query(&[("stream_id", &stream_id)])
        .bearer_auth(MANAGEMENT_TOKEN)
        .send()
        .await
        .expect("DELETE the stream");
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let pause = StreamOp::SetStatus {
        status: StreamStatus::Paused,
        reason: Some("maintenance".to_owned()),
    };
    // The stream is read before anything is asked of it: that read's 404 is what is said.
    pump.operate(
        &key,
        pause,
        "nothing was sent: reading the stream configuration answered HTTP 404",
    )
    .await;
    pump.until("the stream found gone", Duration::from_secs(10), |s| {
        alerted(s, &key, AlertKind::StreamDeleted)
    })
    .await;
    // A second session whose token endpoint echoes: the client credentials come back as
    // `Authorization: Basic base64(id:secret)` in the answer.
    let echo_endpoint = format!("{}/verify", tx.issuer);
    let echoing = profile(
        &files,
        &tx,
        "echo-token",
        Auth::Client {
            token_endpoint: &echo_endpoint,
        },
    );
    let echo_token = receiving::start(&rt, &files, &echoing, quick).await;
    pump.until(
        "the echoing token endpoint to fail the session",
        Duration::from_secs(10),
        |s| failed_with(s, &echo_token, "token endpoint answered HTTP 401"),
    )
    .await;
    rt.send(Command::Export {
        path: Some(export.clone()),
        filter: None,
    })
    .await
    .expect("export");
    pump.until("the export", Duration::from_secs(10), |s| {
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("Exported"))
    })
    .await;
    rt.send(Command::SaveCapture {
        path: Some(capture.clone()),
        filter: None,
    })
    .await
    .expect("capture");
    pump.until("the capture", Duration::from_secs(10), |s| {
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("Saved a capture"))
    })
    .await;
    rt.send(Command::Shutdown).await.expect("shut down");
    pump.drain().await;
    cancel.cancel();
    Outcome {
        state: pump.state,
        seen: pump.seen,
        steps: pump.steps,
        record,
        export,
        capture,
        main: key,
        echo_token,
    }
}

/// Operations the transmitter refuses, each answer echoing the request and the token.
async fn refused_operations(pump: &mut Pump, key: &StreamKey) {
    let change = StreamChange {
        events_requested: vec![
            "https://schemas.openid.net/secevent/caep/event-type/session-revoked".to_owned(),
        ],
        description: Some("changed by the sinks test".to_owned()),
        replace: false,
    };
    pump.operate(
        key,
        StreamOp::Configure(change),
        "updating the stream answered HTTP 501",
    )
    .await;
    pump.operate(
        key,
        StreamOp::RemoveSubject(json!({"email": "no-format@example.com"})),
        "removing the subject answered HTTP 400",
    )
    .await;
    let unknown = StreamOp::SetStatus {
        status: StreamStatus::Unknown,
        reason: Some("not a status".to_owned()),
    };
    pump.operate(key, unknown, "updating the stream status answered HTTP 400")
        .await;
    // Read as it is: the configuration carries delivery.authorization_header.
    pump.operate(key, StreamOp::ReadConfig, "configuration read")
        .await;
}

/// The JWKS unavailable, then access revoked: failures and alerts carry the echoed texts.
async fn faults(pump: &mut Pump, tx: &Transmitter, key: &StreamKey) {
    post(tx, "/control/fault", &json!({"jwks": "unavailable"})).await;
    pump.until("the JWKS unreachable alert", Duration::from_secs(10), |s| {
        alerted(s, key, AlertKind::JwksUnreachable)
    })
    .await;
    post(tx, "/control/fault", &json!({"jwks": "served"})).await;
    post(tx, "/control/fault", &json!({"access": "revoked"})).await;
    pump.operate(
        key,
        StreamOp::ReadConfig,
        "reading the stream configuration answered HTTP 401",
    )
    .await;
    // The stream is read before a verification is asked of it: that read is refused first.
    pump.operate(
        key,
        StreamOp::RequestVerification,
        "nothing was sent: the stream could not be read first (reading the stream configuration answered HTTP 401",
    )
    .await;
    pump.until("the status read refused", Duration::from_secs(10), |s| {
        failed_with(s, key, "reading the stream status failed")
            && alerted(s, key, AlertKind::ConnectionFailed)
    })
    .await;
    post(tx, "/control/fault", &json!({"access": "granted"})).await;
    pump.until("the connection back", Duration::from_secs(10), |s| {
        connected(s, key)
    })
    .await;
}

/// The state's texts, each a sink.
fn check_state(sinks: &mut Sinks, state: &InspectorState) {
    for alert in state.alerts.iter().chain(&state.earlier_alerts) {
        let kind = alert.kind.as_str();
        sinks.check(&format!("alert {kind}: cause"), &alert.cause);
        if let Some(reason) = &alert.reason {
            sinks.check(&format!("alert {kind}: reason"), reason);
        }
    }
    if let Some(notice) = &state.notice {
        sinks.check("the latest notice", &notice.text);
    }
    for exchange in &state.exchanges {
        let name = format!(
            "exchange {} {} ({:?})",
            exchange.method, exchange.url, exchange.status
        );
        sinks.check(&format!("{name}: url"), &exchange.url);
        for (header, value) in exchange
            .request_headers
            .iter()
            .chain(&exchange.response_headers)
        {
            sinks.check(
                &format!("{name}: header {header}"),
                format!("{header}: {value}"),
            );
        }
        sinks.check(&format!("{name}: request body"), &exchange.request_body);
        sinks.check(&format!("{name}: response body"), &exchange.response_body);
    }
    for stream in state.streams.values() {
        let name = format!("stream {}", stream.key);
        sinks.check(
            &format!("{name}: connection"),
            format!("{:?}", stream.connection),
        );
        if let Some(config) = &stream.config {
            sinks.check(&format!("{name}: configuration"), config.to_string());
        }
        if let Some((metadata, _)) = &stream.metadata {
            sinks.check(&format!("{name}: metadata"), metadata.to_string());
        }
        if let Some(reason) = &stream.status_reason {
            sinks.check(&format!("{name}: status reason"), reason);
        }
        sinks.check(&format!("{name}: info"), format!("{:?}", stream.info));
    }
    sinks.check("the whole state (Debug)", format!("{state:?}"));
}

#[test]
fn in_process_no_update_state_record_or_export_holds_a_secret() {
    let outcome = outcome().lock();
    let mut sinks = Sinks::default();
    for text in &outcome.seen {
        sinks.check(&format!("Update::{}", variant(text)), text);
    }
    check_state(&mut sinks, &outcome.state);
    // The record after shutdown: the files as bytes, then every row.
    check_files(&mut sinks, &record_files(&outcome.record));
    check_record_rows(&mut sinks, &outcome.record);
    let export = std::fs::read(&outcome.export).expect("the export");
    sinks.check("the export (JSON Lines)", &export);
    let capture = std::fs::read(&outcome.capture).expect("the capture");
    sinks.check("the capture (JSON Lines)", &capture);
    sinks.assert_clean("the in-process runtime");

    // The secrets really were echoed to the receiver, and each sink above saw the texts.
    let state = &outcome.state;
    let echoed = |status: u16, path: &str, form: &str| {
        state.exchanges.iter().any(|e| {
            e.status == Some(status)
                && e.url.contains(path)
                && e.response_body.to_ascii_lowercase().contains(form)
        })
    };
    assert!(
        echoed(501, "/streams", "\"authorization\""),
        "PATCH 501 echoed"
    );
    assert!(
        echoed(400, "/subjects:remove", "\"authorization\""),
        "remove subject 400 echoed"
    );
    assert!(
        echoed(400, "/status", "\"authorization\""),
        "status 400 echoed"
    );
    assert!(
        echoed(401, "/streams", "; authorization: "),
        "the configuration read while revoked, echoed as text"
    );
    assert!(
        echoed(404, "/streams", "; authorization: "),
        "the configuration read of the deleted stream (before a status change), 404 echoed"
    );
    assert!(
        echoed(401, "/verify", "grant_type=client_credentials"),
        "the client credentials echoed by the token endpoint"
    );
    let main = &state.streams[&outcome.main];
    assert!(
        main.config
            .as_ref()
            .and_then(|c| c.pointer("/delivery/authorization_header"))
            .is_some(),
        "the configuration as read holds the push authorization: {:?}",
        main.config
    );
    for kind in [
        AlertKind::JwksUnreachable,
        AlertKind::ConnectionFailed,
        AlertKind::StreamDeleted,
    ] {
        assert!(alerted(state, &outcome.main, kind), "{kind:?}");
    }
    assert!(
        state
            .alerts
            .iter()
            .any(|a| a.kind == AlertKind::ConnectionFailed && a.cause.contains("Authorization: ")),
        "an alert quotes an echoed answer: {:#?}",
        state.alerts
    );
    assert!(failed_with(state, &outcome.echo_token, "HTTP 401"));
    assert!(
        String::from_utf8_lossy(&export).contains("\"kind\":\"set\""),
        "the export holds the SETs"
    );
    let capture = String::from_utf8_lossy(&capture);
    assert!(
        capture.contains("\"kind\":\"set\"") && capture.contains("\"kind\":\"exchange\""),
        "the capture holds the SETs and the exchanges that echoed the secrets"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. The window drawn from that final state
// ---------------------------------------------------------------------------------------------

struct Window {
    state: InspectorState,
    view: ViewState,
}

/// The window over the state the in-process session's updates make (rebuilt step by step:
/// the reducer is deterministic on its inputs and clock).
fn window() -> Harness<'static, Window> {
    let (steps, now) = {
        let outcome = outcome().lock();
        (outcome.steps.clone(), UnixMillis::now())
    };
    let mut state = InspectorState::default();
    for step in steps {
        match step {
            Step::Apply(update, at) => {
                state.apply(update, at);
            }
            Step::Tick(at) => {
                state.tick(at);
            }
        }
    }
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(
            move |ui, w: &mut Window| {
                // The actions are the user's intents; none is carried out here.
                let _ = root_ui(ui, &w.state, &Default::default(), &mut w.view, now);
            },
            Window {
                state,
                view: ViewState::default(),
            },
        )
}

/// What the window showed: every text once (a text is charged to the first view that shows
/// it), and the secrets found in them.
#[derive(Default)]
struct Screen {
    sinks: Sinks,
    texts: std::collections::HashSet<String>,
}

impl Screen {
    /// Every node's label, value and description; returns how many nodes there were and
    /// whether any text contained `evidence` (lower case).
    fn scan(&mut self, harness: &Harness<'_, Window>, view: &str, evidence: &str) -> (usize, bool) {
        let mut nodes = 0;
        let mut seen = false;
        for node in harness.query_all(By::new()) {
            nodes += 1;
            let node = node.accesskit_node();
            let texts = [node.label(), node.value(), node.description()];
            for text in texts.into_iter().flatten() {
                seen |= text.to_ascii_lowercase().contains(evidence);
                if self.texts.insert(text.clone()) {
                    let sink = format!("window, {view}: a {:?} node", node.role());
                    self.sinks.check(&sink, &text);
                }
            }
        }
        (nodes, seen)
    }
}

#[test]
fn the_window_shows_no_secret() {
    let mut harness = window();
    harness.run();
    let mut screen = Screen::default();
    let (nodes, _) = screen.scan(&harness, "streams, alerts, timeline", "");
    assert!(nodes > 50, "the window was drawn ({nodes} nodes)");
    assert!(
        harness
            .query_all_by_label_contains("Authorization: ")
            .next()
            .is_some(),
        "an alert or notice on screen quotes an echoed answer"
    );

    // Each stream's configuration as read, unfolded.
    let folded = harness
        .query_all_by_label("Configuration (as read)")
        .count();
    for i in 0..folded {
        if let Some(header) = harness.query_all_by_label("Configuration (as read)").nth(i) {
            header.click();
        }
        harness.run();
    }
    let (_, shown) = screen.scan(&harness, "configurations unfolded", "authorization_header");
    assert!(shown, "the configuration as read is on screen");

    // Each stream's transmitter: metadata and keys.
    let keys: Vec<StreamKey> = harness.state().state.streams.keys().cloned().collect();
    for key in keys {
        harness.state_mut().view.transmitter_info = Some(key.clone());
        harness.run();
        screen.scan(&harness, &format!("transmitter of {key}"), "");
    }
    harness.state_mut().view.transmitter_info = None;

    // Every exchange, selected: its headers and bodies.
    harness.state_mut().view.central = CentralView::Exchanges;
    let exchanges: Vec<_> = harness.state().state.exchanges.iter().cloned().collect();
    let mut echoes_shown = 0;
    for exchange in exchanges {
        let name = format!(
            "exchange #{} {} {} ({:?})",
            exchange.id, exchange.method, exchange.url, exchange.status
        );
        let echo = exchange.status.is_some_and(|s| s >= 400)
            && exchange
                .response_body
                .to_ascii_lowercase()
                .contains("authorization");
        let view = ExchangeView::new(exchange, &harness.state().state.timeline);
        harness.state_mut().view.selected_exchange = Some(view);
        harness.run();
        let (_, shown) = screen.scan(&harness, &name, "authorization");
        if echo && shown {
            echoes_shown += 1;
        }
    }
    assert!(
        echoes_shown >= 5,
        "echoed answers were on screen ({echoes_shown})"
    );
    screen.sinks.assert_clean("the window");
}

#[test]
fn a_configuration_read_never_shows_the_push_authorization() {
    let config = serde_json::json!({
        "stream_id": "s1",
        "delivery": {
            "method": "urn:ietf:rfc:8935",
            "endpoint_url": "https://rx.example.com/push",
            "authorization_header": "Bearer never-registered-as-a-secret"
        }
    });
    let update = ssf_inspector::core::secrets::scrub_update(Update::StreamConfig {
        key: StreamKey("s".to_owned()),
        config,
        set_by_receiver: false,
        exchange: None,
    });
    let Update::StreamConfig { config, .. } = update else {
        panic!("the same update comes back");
    };
    let text = config.to_string();
    assert!(!text.contains("never-registered"), "{text}");
    assert_eq!(
        config["delivery"]["endpoint_url"], "https://rx.example.com/push",
        "the rest is kept"
    );
}
