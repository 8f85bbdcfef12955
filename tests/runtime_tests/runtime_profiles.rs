//! Profiles end to end on 127.0.0.1: a profile made with `ssf-inspector profile add` receives
//! from the built-in transmitter by poll and by push with `watch --profile`, and leaves the
//! transmitter as it found it.

use std::process::Command;
use std::time::Duration;

use crate::receiving;

use serde_json::Value;
use ssf_inspector::runtime::transmitter::{Transmitter, TransmitterOptions};
use tokio_util::sync::CancellationToken;

fn bin(config_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ssf-inspector"));
    command
        .env("SSF_INSPECTOR_CONFIG_DIR", config_dir)
        .env("RUST_LOG", "warn");
    command
}

async fn transmitter() -> (Transmitter, CancellationToken) {
    let options = TransmitterOptions {
        long_poll_timeout: Duration::from_millis(500),
        ..receiving::steady()
    };
    receiving::transmitter(options).await
}

/// A runtime receiving with `profile` (in memory), and its update channel.
async fn start_session(
    files: &ssf_inspector::runtime::profiles::ProfileFiles,
    profile: &ssf_inspector::core::profile::Profile,
) -> (
    ssf_inspector::runtime::RuntimeHandle,
    tokio::sync::mpsc::Receiver<ssf_inspector::core::update::Update>,
) {
    let (rt, rx) = receiving::runtime();
    receiving::start(&rt, files, profile, |_| {}).await;
    (rt, rx)
}

fn watch(config_dir: &std::path::Path, name: &str, delivery: &str, tx: &Transmitter) -> Vec<Value> {
    let added = bin(config_dir)
        .args([
            "profile",
            "add",
            name,
            "--issuer",
            &tx.issuer,
            "--token",
            &tx.management_token,
            "--delivery",
            delivery,
        ])
        .output()
        .expect("run profile add");
    assert!(
        added.status.success(),
        "{} (issuer {} token {})",
        String::from_utf8_lossy(&added.stderr),
        tx.issuer,
        tx.management_token
    );
    let output = bin(config_dir)
        .args(["watch", "--profile", name, "--seconds", "3", "--json"])
        .output()
        .expect("run watch");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

async fn check(delivery: &'static str) {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("profiles-{delivery}"));
    std::fs::remove_dir_all(&dir).ok();
    let (tx, cancel) = transmitter().await;
    let dir_for_watch = dir.clone();
    let lines = tokio::task::spawn_blocking(move || watch(&dir_for_watch, "local", delivery, &tx))
        .await
        .expect("watch finished");
    let sets: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "set").collect();
    assert!(
        sets.len() >= 5,
        "{delivery}: only {} SETs in {lines:#?}",
        sets.len()
    );
    for set in &sets {
        assert_eq!(set["verdict"], "valid", "{set}");
        assert_eq!(set["transport"], delivery, "{set}");
        assert_eq!(set["accepted"], true, "{set}");
    }
    assert!(
        sets.iter().any(|s| s["event_names"][0] == "Verification"),
        "the verification SET arrived by {delivery}"
    );
    let secrets = std::fs::metadata(dir.join("secrets.json")).expect("a secrets file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            secrets.permissions().mode() & 0o777,
            0o600,
            "the secrets file is private"
        );
    }
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_profile_receives_verified_sets_and_deletes_the_stream_it_created() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-poll-clean");
    std::fs::remove_dir_all(&dir).ok();
    let (tx, cancel) = transmitter().await;
    let token = tx.management_token.clone();
    let issuer = tx.issuer.clone();
    let (lines, tx) = tokio::task::spawn_blocking(move || {
        let lines = watch(&dir, "poller", "poll", &tx);
        (lines, tx)
    })
    .await
    .expect("watch finished");
    let sets: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "set").collect();
    assert!(sets.len() >= 5, "only {} SETs: {lines:#?}", sets.len());
    assert!(
        sets.iter()
            .all(|s| s["verdict"] == "valid" && s["transport"] == "poll"),
        "{sets:#?}"
    );
    assert!(
        receiving::streams_at(&tx).await.is_empty(),
        "the stream watch created is deleted on exit"
    );
    let profiles = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-poll-clean/profiles.json"),
    )
    .unwrap();
    assert!(profiles.contains(&issuer));
    assert!(
        !profiles.contains(&token),
        "the token is not in the profiles file"
    );
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_profile_receives_verified_sets() {
    check("push").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_signing_key_is_fetched_on_its_first_unknown_kid() {
    use ssf_inspector::core::update::Update;
    use ssf_inspector::runtime::Command;

    let (tx, cancel) = transmitter().await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-rotation");
    std::fs::remove_dir_all(&dir).ok();
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    let profile = ssf_inspector::core::profile::Profile {
        name: "rotating".to_owned(),
        issuer: tx.issuer.clone(),
        auth: ssf_inspector::core::profile::ManagementAuth::Bearer {
            token: ssf_inspector::core::profile::SecretRef::Stored("rotating.token".to_owned()),
        },
        ..Default::default()
    };
    files
        .store_secret("rotating.token", &tx.management_token)
        .expect("store the token");
    let (rt, mut rx) = start_session(&files, &profile).await;
    let mut before = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut rotated_at = None;
    let mut old_kid = None;
    let mut after_rotation = Vec::new();
    while let Ok(Some(update)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        let Update::Set(record) = update else {
            continue;
        };
        match rotated_at {
            None => {
                before += 1;
                assert_eq!(record.verification.verdict.as_str(), "valid");
                old_kid = record.jws.as_ref().and_then(|j| j.kid()).map(str::to_owned);
                if before == 3 {
                    let response = reqwest::Client::new()
                        .post(format!("{}/control/rotate-keys", tx.issuer))
                        .bearer_auth(&tx.management_token)
                        .send()
                        .await
                        .expect("rotate");
                    assert_eq!(response.status(), 200);
                    rotated_at = Some(record.seq);
                }
            }
            Some(_) => {
                // SETs signed before the rotation may still be on their way (a loaded
                // machine): take them too, up to three signed with another key.
                after_rotation.push(record);
                let rekeyed = after_rotation
                    .iter()
                    .filter(|r| r.jws.as_ref().and_then(|j| j.kid()) != old_kid.as_deref())
                    .count();
                if rekeyed == 3 {
                    break;
                }
            }
        }
    }
    rt.send(Command::Shutdown).await.ok();
    assert!(
        after_rotation.len() >= 3,
        "SETs kept coming after the rotation"
    );
    for record in &after_rotation {
        assert_eq!(
            record.verification.verdict.as_str(),
            "valid",
            "#{}: {}",
            record.seq,
            record.verification.detail
        );
    }
    let new_kid = after_rotation
        .last()
        .and_then(|r| r.jws.as_ref())
        .and_then(|j| j.kid())
        .map(str::to_owned);
    assert!(
        new_kid.is_some() && new_kid != old_kid,
        "signed with the new key ({new_kid:?}, was {old_kid:?})"
    );
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issuer_mismatch_stops_the_session_and_names_both_values() {
    use ssf_inspector::core::stream::Connection;
    use ssf_inspector::core::update::Update;
    use ssf_inspector::runtime::Command;

    let (tx, cancel) = transmitter().await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-mismatch");
    std::fs::remove_dir_all(&dir).ok();
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    // The metadata says the issuer without the trailing slash: SSF §7.2.4 wants them identical.
    let profile = ssf_inspector::core::profile::Profile {
        name: "mismatch".to_owned(),
        issuer: format!("{}/", tx.issuer),
        ..Default::default()
    };
    let (rt, mut rx) = start_session(&files, &profile).await;
    let mut failure = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while let Ok(Some(update)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        if let Update::Connection {
            connection: Connection::Failed(why),
            ..
        } = update
        {
            failure = Some(why);
            break;
        }
    }
    rt.send(Command::Shutdown).await.ok();
    let why = failure.expect("the session failed");
    assert!(
        why.contains(&format!("\"{}/\"", tx.issuer)) && why.contains(&format!("\"{}\"", tx.issuer)),
        "{why}"
    );
    assert!(why.contains("SSF §7.2.4"), "{why}");
    assert!(
        receiving::streams_at(&tx).await.is_empty(),
        "no stream was created with unvalidated metadata"
    );
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_credentials_profile_gets_a_token_once_and_receives_by_poll() {
    client_credentials(ssf_inspector::core::profile::DeliveryMode::Poll).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_credentials_profile_gets_a_token_once_and_receives_by_push() {
    client_credentials(ssf_inspector::core::profile::DeliveryMode::Push).await;
}

async fn client_credentials(delivery: ssf_inspector::core::profile::DeliveryMode) {
    use ssf_inspector::core::profile::{ManagementAuth, Profile, SecretRef};
    use ssf_inspector::core::update::Update;
    use ssf_inspector::runtime::Command;

    let options = TransmitterOptions {
        long_poll_timeout: Duration::from_millis(500),
        oauth_client: Some(("inspector".to_owned(), "client-s3cret".to_owned())),
        ..receiving::steady()
    };
    let (tx, cancel) = receiving::transmitter(options).await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("profiles-oauth-{delivery:?}"));
    std::fs::remove_dir_all(&dir).ok();
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    files
        .store_secret("oauth.client_secret", "client-s3cret")
        .expect("store");
    let profile = Profile {
        name: "oauth".to_owned(),
        issuer: tx.issuer.clone(),
        delivery,
        auth: ManagementAuth::ClientCredentials {
            token_endpoint: format!("{}/oauth/token", tx.issuer),
            client_id: "inspector".to_owned(),
            client_secret: SecretRef::Stored("oauth.client_secret".to_owned()),
            scopes: vec!["ssf.read".to_owned(), "ssf.manage".to_owned()],
        },
        ..Profile::default()
    };
    let (rt, mut rx) = start_session(&files, &profile).await;
    let (mut sets, mut token_requests, mut secrets_seen) = (0, 0, false);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while let Ok(Some(update)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        match update {
            Update::Set(record) => {
                assert_eq!(record.verification.verdict.as_str(), "valid");
                sets += 1;
                if sets == 5 {
                    break;
                }
            }
            Update::Exchange(exchange) => {
                if exchange.url.ends_with("/oauth/token") {
                    token_requests += 1;
                    assert_eq!(exchange.status, Some(200));
                }
                let text = format!("{exchange:?}");
                secrets_seen |=
                    text.contains("client-s3cret") || text.contains(&tx.management_token);
            }
            _ => {}
        }
    }
    rt.send(Command::Shutdown).await.ok();
    assert_eq!(sets, 5, "SETs arrived by {delivery:?} with an OAuth token");
    assert_eq!(
        token_requests, 1,
        "the token is fetched once and reused until it nears expiry"
    );
    assert!(
        !secrets_seen,
        "no exchange shows the client secret or the access token"
    );
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_injected_push_fault_is_answered_and_the_transmitter_retries_until_it_lifts() {
    use std::collections::HashSet;

    use ssf_inspector::core::record::StreamKey;
    use ssf_inspector::core::update::Update;
    use ssf_inspector::runtime::Command;
    use ssf_inspector::runtime::receiver::operations::StreamOp;
    use ssf_inspector::runtime::receiver::push::PushFault;

    let (tx, cancel) = transmitter().await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-fault");
    std::fs::remove_dir_all(&dir).ok();
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    files
        .store_secret("faulty.token", &tx.management_token)
        .expect("store");
    let profile = ssf_inspector::core::profile::Profile {
        name: "faulty".to_owned(),
        issuer: tx.issuer.clone(),
        auth: ssf_inspector::core::profile::ManagementAuth::Bearer {
            token: ssf_inspector::core::profile::SecretRef::Stored("faulty.token".to_owned()),
        },
        ..Default::default()
    };
    let (rt, mut rx) = start_session(&files, &profile).await;
    let key = StreamKey("faulty".to_owned());
    let (mut refused, mut stored, mut phase, mut attempts) = (HashSet::new(), HashSet::new(), 0, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while let Ok(Some(update)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        match update {
            Update::Set(record) => {
                stored.insert(record.jti.clone().unwrap_or_default());
                if phase == 0 && stored.len() >= 2 {
                    phase = 1;
                    rt.send(Command::Stream(
                        key.clone(),
                        StreamOp::SetPushFault(PushFault::Answer(503)),
                    ))
                    .await
                    .expect("fault");
                }
                if phase == 2 && refused.iter().all(|jti| stored.contains(jti)) {
                    break;
                }
            }
            Update::Exchange(exchange)
                if exchange.method == "POST"
                    && exchange.status == Some(503)
                    && exchange.url.contains("/push/") =>
            {
                let jti = ssf_inspector::core::jose::decode_compact(&exchange.request_body)
                    .ok()
                    .and_then(|j| j.claim_str("jti").map(str::to_owned));
                refused.insert(jti.unwrap_or_default());
                attempts += 1;
                // Lift the fault while the transmitter is still retrying (it gives up after 5 tries).
                if phase == 1 && attempts >= 2 {
                    phase = 2;
                    rt.send(Command::Stream(
                        key.clone(),
                        StreamOp::SetPushFault(PushFault::None),
                    ))
                    .await
                    .expect("lift");
                }
            }
            _ => {}
        }
    }
    rt.send(Command::Shutdown).await.ok();
    assert!(
        attempts >= 2 && !refused.is_empty(),
        "pushes were answered 503 while the fault was on"
    );
    let lost: Vec<&String> = refused
        .iter()
        .filter(|jti| !stored.contains(*jti))
        .collect();
    assert!(
        lost.is_empty(),
        "every refused SET was retried and stored after the fault lifted: lost {lost:?}"
    );
    cancel.cancel();
}

#[test]
fn profile_add_keeps_the_watch_settings_and_list_shows_them() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-watch-cli");
    std::fs::remove_dir_all(&dir).ok();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "profile",
            "add",
            "watched",
            "--issuer",
            "https://ssf.example",
        ];
        args.extend_from_slice(extra);
        bin(&dir).args(args).output().expect("run profile add")
    };
    let refused = add(&["--heartbeat-every", "30", "--heartbeat-timeout", "30"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(
            "error: the heartbeat timeout (30 s) must be shorter than the heartbeat interval (30 s)"
        ),
        "{stderr}"
    );
    assert!(!dir.join("profiles.json").exists(), "nothing saved");

    let added = add(&[
        "--status-every",
        "20",
        "--heartbeat-every",
        "90",
        "--heartbeat-timeout",
        "45",
        "--silent-after",
        "600",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir.clone());
    let saved = files.load().expect("the profiles load");
    assert_eq!(
        saved[0].watch,
        ssf_inspector::core::profile::ProfileWatch {
            status_every_secs: 20,
            heartbeat_every_secs: 90,
            heartbeat_timeout_secs: 45,
            silent_after_secs: Some(600),
            ..ssf_inspector::core::profile::ProfileWatch::default()
        }
    );
    let listed = bin(&dir).args(["profile", "list"]).output().expect("list");
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stdout.contains(
            "watch     status every 20 s, heartbeat every 90 s (timeout 45 s), silent after 600 s"
        ),
        "{stdout}"
    );

    // Without the options: the defaults, and the silence threshold is learned.
    let plain = add(&[]);
    assert!(plain.status.success());
    let listed = bin(&dir).args(["profile", "list"]).output().expect("list");
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stdout.contains("status every 60 s, heartbeat every 120 s (timeout 60 s), silent after learned from the traffic"),
        "{stdout}"
    );
}

#[test]
fn a_session_watches_at_its_profile_intervals() {
    use ssf_inspector::core::profile::{Profile, ProfileWatch};
    use ssf_inspector::runtime::receiver::session::WatchSettings;

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-watch-session");
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    let profile = Profile {
        name: "watched".to_owned(),
        issuer: "https://ssf.example".to_owned(),
        watch: ProfileWatch {
            status_every_secs: 20,
            heartbeat_every_secs: 90,
            heartbeat_timeout_secs: 45,
            silent_after_secs: Some(600),
            ..ssf_inspector::core::profile::ProfileWatch::default()
        },
        ..Profile::default()
    };
    let (config, _) =
        ssf_inspector::runtime::profiles::session_for(&files, &profile, true).expect("a session");
    assert_eq!(
        config.watch,
        WatchSettings {
            status_interval: Duration::from_secs(20),
            verification_interval: Duration::from_secs(90),
            verification_timeout: Duration::from_secs(45),
            silence_after: Some(Duration::from_secs(600)),
            ..WatchSettings::default()
        }
    );
    let broken = Profile {
        watch: ProfileWatch {
            status_every_secs: 0,
            ..ProfileWatch::default()
        },
        ..profile
    };
    let err = ssf_inspector::runtime::profiles::session_for(&files, &broken, true)
        .expect_err("an unusable watch is refused");
    assert!(
        format!("{err:#}").contains("the status interval must be at least 1 s"),
        "{err:#}"
    );
}

#[test]
fn a_secret_that_starts_with_a_hyphen_is_taken_as_the_value() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-hyphen");
    std::fs::remove_dir_all(&dir).ok();
    // Random base64url tokens start with '-' one time in 64.
    let added = bin(&dir)
        .args([
            "profile",
            "add",
            "dash",
            "--issuer",
            "https://ssf.example",
            "--token",
            "-mRMI1token",
            "--push-auth",
            "-Bearer-like-and-long-enough",
        ])
        .output()
        .expect("run profile add");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let secrets = std::fs::read_to_string(dir.join("secrets.json")).expect("secrets");
    assert!(secrets.contains("\"-mRMI1token\""), "stored as given");
    assert!(
        secrets.contains("\"-Bearer-like-and-long-enough\""),
        "stored as given"
    );
}

#[test]
fn events_are_named_on_the_command_line_and_unknown_ones_refused() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-events");
    std::fs::remove_dir_all(&dir).ok();
    let add = |events: &str| {
        bin(&dir)
            .args(["profile", "add", "few", "--issuer", "https://ssf.example"])
            .args(["--event", events])
            .output()
            .expect("run profile add")
    };
    let refused = add("session-revoked,no-such-event");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("unknown event type(s): no-such-event"),
        "{stderr}"
    );
    let added = add("session-revoked,account-disabled");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let listed = bin(&dir).args(["profile", "list"]).output().expect("list");
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stdout.contains("events    session-revoked, account-disabled"),
        "{stdout}"
    );
    let saved = std::fs::read_to_string(dir.join("profiles.json")).expect("profiles");
    assert!(
        saved.contains("https://schemas.openid.net/secevent/risc/event-type/account-disabled"),
        "saved as URIs: {saved}"
    );
}

#[test]
fn an_empty_push_authorization_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-empty-push-auth");
    std::fs::remove_dir_all(&dir).ok();
    let added = bin(&dir)
        .args(["profile", "add", "empty", "--issuer", "http://127.0.0.1:9"])
        .args(["--push-auth", ""])
        .output()
        .expect("profile add");
    assert_eq!(added.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&added.stderr).contains("--push-auth is empty"));
    // A profile whose stored value is empty (edited by hand, an empty file) is not started.
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    files.store_secret("empty.push_auth", "").expect("store");
    let profile = ssf_inspector::core::profile::Profile {
        name: "empty".to_owned(),
        issuer: "http://127.0.0.1:9".to_owned(),
        push_authorization: Some(ssf_inspector::core::profile::SecretRef::Stored(
            "empty.push_auth".to_owned(),
        )),
        ..ssf_inspector::core::profile::Profile::default()
    };
    let err =
        ssf_inspector::runtime::profiles::session_for(&files, &profile, true).expect_err("refused");
    assert!(
        format!("{err:#}").contains("the push authorization is empty"),
        "{err:#}"
    );
}

#[test]
fn a_push_authorization_without_a_real_credential_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-bare-push-auth");
    std::fs::remove_dir_all(&dir).ok();
    let add = |value: &str| {
        bin(&dir)
            .args(["profile", "add", "bare", "--issuer", "http://127.0.0.1:9"])
            .args(["--push-auth", value])
            .output()
            .expect("profile add")
    };
    // The scheme word alone, or a credential anyone could guess, is no secret.
    for value in [
        "Bearer",
        "Bearer ",
        "bearer   ",
        "Bearer abc",
        "short-opaque",
    ] {
        let refused = add(value);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{value:?}: {stderr}");
        assert!(
            stderr.contains("--push-auth") && stderr.contains("16 or more"),
            "{value:?}: {stderr}"
        );
        if value.trim().len() > "Bearer".len() {
            assert!(
                !stderr.contains(value.trim()),
                "the value is not quoted: {stderr}"
            );
        }
        assert!(
            !dir.join("secrets.json").exists(),
            "{value:?}: nothing stored"
        );
        assert!(
            !dir.join("profiles.json").exists(),
            "{value:?}: nothing saved"
        );
    }
    let only_scheme = add("Bearer");
    assert!(
        String::from_utf8_lossy(&only_scheme.stderr).contains("only the scheme"),
        "{}",
        String::from_utf8_lossy(&only_scheme.stderr)
    );
    for value in ["Bearer 0123456789abcdef", "opaque-0123456789"] {
        let added = add(value);
        assert!(
            added.status.success(),
            "{value:?}: {}",
            String::from_utf8_lossy(&added.stderr)
        );
    }
    // A value from elsewhere (env:, file:, edited by hand) is checked when the profile starts.
    let files = ssf_inspector::runtime::profiles::ProfileFiles::new(dir);
    files
        .store_secret("bare.push_auth", "Bearer ")
        .expect("store");
    let profile = ssf_inspector::core::profile::Profile {
        name: "bare".to_owned(),
        issuer: "http://127.0.0.1:9".to_owned(),
        push_authorization: Some(ssf_inspector::core::profile::SecretRef::Stored(
            "bare.push_auth".to_owned(),
        )),
        ..ssf_inspector::core::profile::Profile::default()
    };
    let err =
        ssf_inspector::runtime::profiles::session_for(&files, &profile, true).expect_err("refused");
    assert!(
        format!("{err:#}").contains("the push authorization is only the scheme"),
        "{err:#}"
    );
}

/// `profile add` and `profile remove` change profiles.json and secrets.json together or not at
/// all: either file broken, neither is written.
#[test]
fn a_broken_profile_file_leaves_both_files_as_they_were() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-both-or-neither");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("config folder");
    let (profiles, secrets) = (dir.join("profiles.json"), dir.join("secrets.json"));
    let add = |name: &str| {
        bin(&dir)
            .args(["profile", "add", name, "--issuer", "https://ssf.example"])
            .args(["--token", "management-token-0123456789"])
            .output()
            .expect("profile add")
    };
    let read = |path: &std::path::Path| std::fs::read_to_string(path).ok();

    std::fs::write(&profiles, "[{\"name\": broken").expect("break profiles.json");
    let added = add("half");
    let stderr = String::from_utf8_lossy(&added.stderr);
    assert_eq!(added.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("profiles.json"), "{stderr}");
    assert_eq!(
        read(&secrets),
        None,
        "no secret stored for a profile not saved"
    );
    assert_eq!(read(&profiles).as_deref(), Some("[{\"name\": broken"));

    std::fs::remove_file(&profiles).expect("mend");
    assert!(add("kept").status.success());
    let saved = read(&profiles);
    std::fs::write(&secrets, "{\"kept.token\": ").expect("break secrets.json");
    let removed = bin(&dir)
        .args(["profile", "remove", "kept"])
        .output()
        .expect("profile remove");
    let stderr = String::from_utf8_lossy(&removed.stderr);
    assert_eq!(removed.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("secrets.json"), "{stderr}");
    assert_eq!(read(&profiles), saved, "the profile is still there");
    let added = add("other");
    assert_eq!(
        added.status.code(),
        Some(2),
        "a broken secrets file stops add too"
    );
    assert_eq!(read(&profiles), saved);
}

/// The config folder and every file in it are private, whether `profile add` creates them or
/// finds an earlier version's (0755 / 0644) files.
#[cfg(unix)]
#[test]
fn the_config_folder_and_its_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    };
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-private");
    std::fs::remove_dir_all(&base).ok();
    let dir = base.join("config").join("ssf-inspector");
    let add = |name: &str| {
        let added = bin(&dir)
            .args(["profile", "add", name, "--issuer", "https://ssf.example"])
            .args(["--token", "management-token-0123456789"])
            .output()
            .expect("profile add");
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
    };
    add("first");
    assert_eq!(mode(&base.join("config")), 0o700);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("profiles.json")), 0o600);
    assert_eq!(mode(&dir.join("secrets.json")), 0o600);

    std::fs::set_permissions(
        dir.join("profiles.json"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("widen");
    // A temporary file a crash left behind, readable by all, is not written through.
    std::fs::write(dir.join("profiles.tmp"), "").expect("stale");
    std::fs::set_permissions(
        dir.join("profiles.tmp"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("widen");
    add("second");
    assert_eq!(mode(&dir.join("profiles.json")), 0o600);
}
