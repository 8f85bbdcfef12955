//! Do no harm, against the built-in transmitter's reproductions of real transmitters (127.0.0.1):
//! a transmitter that ignores `stream_id` never gets another receiver's stream deleted or
//! verified; a stream already gone is not "deleted"; a failed create that took a stream away
//! says so, linked to the TLS handshakes it refused; an attached stream that delivers elsewhere
//! is never asked for a verification; a 404 from the verification endpoint is no deletion; an
//! unknown status is a warning; the default event types are ones a transmitter supports; a
//! stream made without a description is found again; a refusal that names missing members says
//! which to give.

use std::time::Duration;

use crate::receiving;

use receiving::{connection, failure, fast, foreign_stream, notices, stop, until, until_noting};
use serde_json::{Value, json};
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::coverage::Way;
use ssf_inspector::core::profile::{DeliveryMode, PushTls, StreamSetup};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{Connection, StreamStatus};
use ssf_inspector::runtime::Command;
use ssf_inspector::runtime::receiver::operations::StreamOp;
use ssf_inspector::runtime::transmitter::{Quirk, Quirks, Transmitter, TransmitterOptions};

fn quirky(quirks: &[Quirk]) -> TransmitterOptions {
    TransmitterOptions {
        quirks: quirks.iter().copied().collect::<Quirks>(),
        ..receiving::steady()
    }
}

fn kinds(state: &InspectorState) -> Vec<AlertKind> {
    state.alerts.iter().map(|a| a.kind).collect()
}

fn cause_of(state: &InspectorState, kind: AlertKind) -> Option<String> {
    state
        .alerts
        .iter()
        .find(|a| a.kind == kind)
        .map(|a| a.cause.clone())
}

/// POST to the transmitter with its management token (another receiver, or its operator).
async fn post(tx: &Transmitter, path: &str, body: &Value) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(body)
        .send()
        .await
        .expect("the transmitter answers");
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap_or(Value::Null)
}

/// A push stream of another receiver, delivering to a closed port.
fn their_push_stream() -> Value {
    json!({
        "delivery": {
            "method": "urn:ietf:rfc:8935",
            "endpoint_url": "http://127.0.0.1:9/other-receiver",
            "authorization_header": "Bearer theirs",
        },
        "description": "another receiver's stream",
    })
}

fn requests_to(state: &InspectorState, path: &str) -> usize {
    state
        .exchanges
        .iter()
        .filter(|e| e.method == "POST" && e.url.contains(path))
        .count()
}

/// solarssk/ssf-transmitter keeps one stream and ignores `stream_id`. Our stream is replaced
/// by another receiver's create: the status read says ours is gone (not "delivery changed"),
/// and the exit clean-up deletes nothing, since the one stream there is theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_replaced_under_us_is_gone_and_the_exit_deletes_nothing() {
    let options = quirky(&[Quirk::SingleStream, Quirk::IgnoresStreamId]);
    let (tx, _cancel) = receiving::transmitter(options).await;
    let (files, profile) = receiving::profile_for(&tx, "harm-replaced", "mine", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(
        until(&mut rx, &mut state, up).await,
        "{:?}",
        connection(&state, &key)
    );
    let ours = receiving::stream_id(&state, &key);
    // Another receiver registers: the transmitter replaces our stream with theirs.
    let theirs = post(&tx, "/streams", &their_push_stream()).await;
    let their_id = theirs["stream_id"].as_str().expect("an id").to_owned();
    let gone = |s: &InspectorState| cause_of(s, AlertKind::StreamDeleted).is_some();
    assert!(until(&mut rx, &mut state, gone).await, "{:?}", state.alerts);
    let cause = cause_of(&state, AlertKind::StreamDeleted).unwrap_or_default();
    assert!(
        cause.contains(&format!("answers for stream {their_id}")) && cause.contains(&ours),
        "{cause}"
    );
    assert!(
        !kinds(&state).contains(&AlertKind::DeliveryChanged),
        "not taken for ours: {:?}",
        state.alerts
    );
    let verifications = requests_to(&state, "/verify");
    let said = stop(&rt, &mut rx, &mut state, &key).await;
    assert!(
        said.iter().any(
            |t| t.contains(&format!("deleted nothing: stream {ours}")) && t.contains(&their_id)
        ),
        "{}",
        notices(&said)
    );
    assert!(
        !said.iter().any(|t| t.contains("deleted stream")),
        "{}",
        notices(&said)
    );
    let listed = receiving::streams_at_one(&tx).await;
    assert_eq!(
        listed["stream_id"],
        their_id.as_str(),
        "theirs is still there"
    );
    assert_eq!(listed["delivery"], theirs["delivery"]);
    assert_eq!(
        requests_to(&state, "/verify"),
        verifications,
        "no heartbeat once ours was gone (it would reach theirs)"
    );
}

/// The transmitter's administrator deleted our stream: on stop nothing is "deleted", and the
/// notice says it was gone already.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_an_admin_deleted_is_not_said_deleted_on_stop() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "harm-admin", "mine", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(until(&mut rx, &mut state, up).await);
    let ours = receiving::stream_id(&state, &key);
    let deleted = reqwest::Client::new()
        .delete(format!("{}/streams", tx.issuer))
        .query(&[("stream_id", &ours)])
        .bearer_auth(&tx.management_token)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 204);
    let said = stop(&rt, &mut rx, &mut state, &key).await;
    assert!(
        said.iter()
            .any(|t| t.contains("deleted nothing") && t.contains("was already gone")),
        "{}",
        notices(&said)
    );
    assert!(
        !said.iter().any(|t| t.contains("deleted stream")),
        "{}",
        notices(&said)
    );
}

/// solarssk/ssf-transmitter, `--create-stream always`, a push certificate it does not trust:
/// it drops the stream listed before, fails the verification push of the new one and answers
/// 502. The failure names the TLS handshakes the listener refused, and the stream taken away
/// is a critical alert with the create as evidence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_create_that_took_a_stream_away_says_so_and_why() {
    let options = quirky(&[Quirk::SingleStream, Quirk::VerifyOnCreate]);
    let (tx, _cancel) = receiving::transmitter(options).await;
    let theirs = foreign_stream(&tx).await;
    let their_id = theirs["stream_id"].as_str().expect("an id").to_owned();
    let (files, mut profile) =
        receiving::profile_for(&tx, "harm-failed-create", "always", DeliveryMode::Push);
    profile.stream = StreamSetup::CreateAlways;
    profile.setup.push_tls = Some(PushTls::SelfSigned);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(why.contains("HTTP 502"), "{why}");
    assert!(
        why.contains("TLS handshake") && why.contains("does not trust"),
        "linked to the refused handshakes: {why}"
    );
    assert!(why.contains("--push-cert/--push-key"), "what to do: {why}");
    assert!(
        why.contains(&their_id) && why.contains("took it away"),
        "{why}"
    );
    let replaced = |s: &InspectorState| cause_of(s, AlertKind::StreamReplaced).is_some();
    assert!(
        until(&mut rx, &mut state, replaced).await,
        "{:?}",
        state.alerts
    );
    let alert = state
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::StreamReplaced)
        .expect("the alert");
    assert!(alert.cause.contains(&their_id), "{}", alert.cause);
    assert!(
        alert.evidence_exchange.is_some(),
        "the create is the evidence"
    );
}

/// Attached to a push stream that delivers to another receiver: no verification is ever asked
/// of it (it would be pushed to them), the coverage says why, and a request for one from the
/// window is refused with that reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attached_stream_that_delivers_elsewhere_is_never_verified() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let theirs = post(&tx, "/streams", &their_push_stream()).await;
    let id = theirs["stream_id"].as_str().expect("an id").to_owned();
    let (files, mut profile) =
        receiving::profile_for(&tx, "harm-attach", "watcher", DeliveryMode::Push);
    profile.stream = StreamSetup::Attach {
        stream_id: id.clone(),
    };
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let mut said = Vec::new();
    let covered = |s: &InspectorState| {
        s.streams
            .get(&key)
            .and_then(|st| st.coverage.as_ref())
            .is_some()
    };
    assert!(until_noting(&mut rx, &mut state, &mut said, covered).await);
    let coverage = state.streams[&key].coverage.clone().expect("coverage");
    assert!(!coverage.has(Way::Heartbeat), "{coverage:?}");
    // Several status ticks and heartbeat intervals go by.
    let hold = tokio::time::Instant::now() + Duration::from_millis(2000);
    until_noting(&mut rx, &mut state, &mut said, |_| {
        tokio::time::Instant::now() > hold
    })
    .await;
    rt.send(Command::Stream(key.clone(), StreamOp::RequestVerification))
        .await
        .expect("ask");
    let refused = |s: &InspectorState| {
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("no verification was requested"))
    };
    assert!(
        until_noting(&mut rx, &mut state, &mut said, refused).await,
        "{}",
        notices(&said)
    );
    assert_eq!(requests_to(&state, "/verify"), 0, "{}", notices(&said));
    assert!(
        said.iter()
            .any(|t| t.contains("attached to stream") && t.contains("nothing changed")),
        "{}",
        notices(&said)
    );
    assert_eq!(receiving::streams_at(&tx).await, vec![theirs]);
}

/// A verification endpoint that answers 404 while the configuration finds the stream (a route
/// bug): a refused verification, quoting the answer; never "Stream deleted".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_from_the_verification_endpoint_is_no_deletion() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::VerifyNotFound])).await;
    let (files, profile) =
        receiving::profile_for(&tx, "harm-verify404", "v404", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let refused = |s: &InspectorState| cause_of(s, AlertKind::VerificationRefused).is_some();
    assert!(
        until(&mut rx, &mut state, refused).await,
        "{:?}",
        state.alerts
    );
    let hold = tokio::time::Instant::now() + Duration::from_millis(1500);
    until(&mut rx, &mut state, |_| tokio::time::Instant::now() > hold).await;
    assert!(
        !kinds(&state).contains(&AlertKind::StreamDeleted),
        "{:?}",
        state.alerts
    );
    let cause = cause_of(&state, AlertKind::VerificationRefused).unwrap_or_default();
    assert!(
        cause.contains("HTTP 404") && cause.contains("Not Found"),
        "{cause}"
    );
    assert!(!cause.contains("deleted"), "no guess: {cause}");
    assert_eq!(connection(&state, &key), Connection::Connected);
}

/// A status SSF does not define (`"failed"`) is a warning quoting it, and the card shows it,
/// not the last status it knew; a status it defines ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_status_is_a_warning_and_shown() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "harm-unknown", "odd", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(until(&mut rx, &mut state, up).await);
    post(&tx, "/control/status", &json!({"status": "failed"})).await;
    let warned = |s: &InspectorState| cause_of(s, AlertKind::UnknownStatus).is_some();
    assert!(
        until(&mut rx, &mut state, warned).await,
        "{:?}",
        state.alerts
    );
    let cause = cause_of(&state, AlertKind::UnknownStatus).unwrap_or_default();
    assert!(cause.contains("\"failed\""), "{cause}");
    let stream = &state.streams[&key];
    assert_eq!(stream.status, StreamStatus::Unknown);
    assert!(
        stream
            .status_reason
            .as_deref()
            .is_some_and(|r| r.contains("failed")),
        "{:?}",
        stream.status_reason
    );
    post(&tx, "/control/status", &json!({"status": "enabled"})).await;
    let ended = |s: &InspectorState| {
        s.alerts
            .iter()
            .any(|a| a.kind == AlertKind::UnknownStatus && !a.is_active())
    };
    assert!(
        until(&mut rx, &mut state, ended).await,
        "{:?}",
        state.alerts
    );
}

/// A transmitter whose metadata lists no event types is asked for the current CAEP and RISC
/// ones: never SCIM URNs or the specifications' example URIs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_event_types_are_ones_a_transmitter_supports() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "harm-events", "plain", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(until(&mut rx, &mut state, up).await);
    let create = state
        .exchanges
        .iter()
        .find(|e| e.method == "POST" && e.url.ends_with("/streams"))
        .expect("the create");
    let body: Value = serde_json::from_str(&create.request_body).expect("JSON");
    let asked: Vec<&str> = body["events_requested"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!asked.is_empty());
    assert!(
        asked
            .iter()
            .all(|uri| uri.contains("/caep/") || uri.contains("/risc/")),
        "{asked:?}"
    );
    let config = receiving::streams_at(&tx).await.remove(0);
    assert_eq!(
        config["events_delivered"], body["events_requested"],
        "everything asked is delivered"
    );
}

/// A transmitter that refuses a description: the stream is made without one, kept on stop
/// (`--keep-stream`), and the next run finds it as its own by the id the profile remembers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_made_without_a_description_is_found_again() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, mut profile) =
        receiving::profile_for(&tx, "harm-nodesc", "plain", DeliveryMode::Poll);
    profile.setup.omit_description = true;
    let (rt, mut rx) = receiving::runtime();
    let keep = |c: &mut ssf_inspector::runtime::receiver::session::SessionConfig| {
        c.leave_as_found = false;
    };
    let key = receiving::start(&rt, &files, &profile, keep).await;
    let mut state = InspectorState::default();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(until(&mut rx, &mut state, up).await);
    let made = receiving::stream_id(&state, &key);
    stop(&rt, &mut rx, &mut state, &key).await;
    let listed = receiving::streams_at(&tx).await;
    assert_eq!(listed.len(), 1);
    assert!(listed[0].get("description").is_none());
    // Again: not "a stream this receiver did not make".
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut said = Vec::new();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(
        until_noting(&mut rx, &mut state, &mut said, up).await,
        "{:?}",
        failure(&state, &key)
    );
    assert_eq!(receiving::stream_id(&state, &key), made);
    assert!(
        said.iter()
            .any(|t| t.contains(&format!("its own stream {made}"))),
        "{}",
        notices(&said)
    );
}

/// A create refused with `{"error":"missing_fields: iss"}` says which member to give, and how.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_naming_missing_members_says_to_give_them() {
    let (tx, _cancel) = receiving::transmitter(quirky(&[Quirk::RequiresIss])).await;
    let (files, mut profile) = receiving::profile_for(&tx, "harm-iss", "iss", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("missing_fields: iss") && why.contains(r#"--create-members '{"iss": "…"}'"#),
        "{why}"
    );
    profile.name = "iss-given".to_owned();
    profile.setup.create_members = Some(json!({"iss": "https://receiver.example/"}));
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(
        until(&mut rx, &mut state, up).await,
        "{:?}",
        failure(&state, &key)
    );
}

/// Run `ssf-inspector stream ARGS` with the profiles of `files` (another process of this
/// receiver); its exit status and output.
async fn cli(files: &ssf_inspector::runtime::profiles::ProfileFiles, args: &[&str]) -> String {
    let dir = files.dir().to_path_buf();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
            .arg("stream")
            .args(&args)
            .env("SSF_INSPECTOR_CONFIG_DIR", &dir)
            .env("SSF_INSPECTOR_DATA_DIR", dir.join("data"))
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run ssf-inspector stream")
    })
    .await
    .expect("the command ran");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{text}");
    text
}

/// The user pauses, verifies and enables the stream from a terminal (`ssf-inspector stream`)
/// while the session runs on the same profile: the session knows it was this receiver (the
/// journal of its own actions) and raises nothing: no "paused, not announced", no
/// "verification SET with a state not asked for".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_users_own_cli_actions_raise_no_alert_in_a_running_session() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "harm-own-cli", "own", DeliveryMode::Push);
    files
        .save(std::slice::from_ref(&profile))
        .expect("save the profile");
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| {
        c.watch = fast();
        // Heartbeats of its own would only add noise here.
        c.watch.verification_interval = Duration::from_secs(600);
    })
    .await;
    let mut state = InspectorState::default();
    let up =
        |s: &InspectorState| connection(s, &key) == Connection::Connected && s.timeline.len() >= 2;
    assert!(until(&mut rx, &mut state, up).await);
    let said = cli(&files, &["verify", "--profile", "own"]).await;
    let state_sent = said
        .split("state ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the state it sent")
        .to_owned();
    // The session's first heartbeat, then the one asked from the terminal.
    let answered = |s: &InspectorState| {
        s.timeline
            .entries()
            .filter(|e| e.title().contains("Verification"))
            .count()
            >= 2
    };
    assert!(
        until(&mut rx, &mut state, answered).await,
        "{:?}",
        state.alerts
    );
    cli(&files, &["pause", "--profile", "own"]).await;
    let paused = |s: &InspectorState| s.streams[&key].status == StreamStatus::Paused;
    assert!(
        until(&mut rx, &mut state, paused).await,
        "{:?}",
        state.alerts
    );
    // Several status reads find it paused.
    let hold = tokio::time::Instant::now() + Duration::from_millis(1200);
    until(&mut rx, &mut state, |_| tokio::time::Instant::now() > hold).await;
    cli(&files, &["enable", "--profile", "own"]).await;
    let enabled = |s: &InspectorState| s.streams[&key].status == StreamStatus::Enabled;
    assert!(until(&mut rx, &mut state, enabled).await);
    let hold = tokio::time::Instant::now() + Duration::from_millis(600);
    until(&mut rx, &mut state, |_| tokio::time::Instant::now() > hold).await;
    assert!(state.alerts.is_empty(), "{:#?}", state.alerts);
    assert!(!state_sent.is_empty());
    let history = &state.streams[&key].status_history;
    assert!(
        history.iter().any(|h| h.status == StreamStatus::Paused
            && h.source == ssf_inspector::core::stream::StatusSource::Receiver),
        "the pause is the receiver's own: {history:?}"
    );
}

/// Issue 22: a slow transmitter's DELETE at shutdown is waited for: the stream this run created
/// is deleted, the DELETE's exchange and the stop marker are in the record, and the runtime
/// stops only then (it used to close the record 200 ms after the stop).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_delete_at_shutdown_is_waited_for_and_recorded() {
    let (tx, cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) =
        receiving::profile_for(&tx, "harm-slow-delete", "slow", DeliveryMode::Push);
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("harm-slow-delete-data");
    std::fs::remove_dir_all(&folder).ok();
    let record = folder.join("record.sqlite3");
    let (updates, mut rx) = ssf_inspector::bridge::update_channel(ssf_inspector::bridge::no_wake());
    let rt = ssf_inspector::runtime::spawn(
        &tokio::runtime::Handle::current(),
        updates,
        Some(record.clone()),
    );
    let key = receiving::start(&rt, &files, &profile, |config| {
        config.watch = receiving::fast();
    })
    .await;
    let mut state = InspectorState::default();
    let delivering = receiving::set_up_with(&key, 2);
    assert!(receiving::until(&mut rx, &mut state, delivering).await);
    let ours = receiving::stream_id(&state, &key);
    let slow = reqwest::Client::new()
        .post(format!("{}/control/fault", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(&json!({"delete_delay_ms": 2500}))
        .send()
        .await
        .expect("control/fault");
    assert!(slow.status().is_success());
    rt.send(Command::Shutdown).await.expect("shutdown");
    let finished = rt.finished();
    let stopped = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            tokio::select! {
                () = finished.cancelled() => break,
                update = rx.recv() => match update {
                    Some(update) => { let _ = state.apply(update, ssf_inspector::core::time::UnixMillis::now()); }
                    None => { finished.cancelled().await; break; }
                },
            }
        }
    })
    .await;
    assert!(stopped.is_ok(), "the runtime stopped");
    let left = receiving::streams_at(&tx).await;
    let ids: Vec<&Value> = left.iter().map(|s| &s["stream_id"]).collect();
    assert!(
        ids.iter().all(|id| *id != ours.as_str()),
        "the stream this run made ({ours}) is deleted: {ids:?}"
    );
    cancel.cancel();
    let db = rusqlite::Connection::open(&record).expect("the record");
    let deletes: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM exchanges WHERE method = 'DELETE' AND status = 204 AND stream = ?1",
            [&key.0],
            |row| row.get(0),
        )
        .expect("count the DELETEs");
    assert_eq!(deletes, 1, "the DELETE's exchange is recorded");
    let (kind, marked_at): (String, i64) = db
        .query_row(
            "SELECT kind, at FROM markers WHERE stream = ?1 ORDER BY id DESC LIMIT 1",
            [&key.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("a marker");
    assert_eq!(kind, "receiver_stopped", "the last marker is the stop");
    let answered: i64 = db
        .query_row(
            "SELECT at + duration_millis FROM exchanges WHERE method = 'DELETE' AND stream = ?1",
            [&key.0],
            |row| row.get(0),
        )
        .expect("the DELETE");
    assert!(
        marked_at >= answered,
        "the stop is marked once the DELETE was answered ({marked_at} < {answered})"
    );
}
