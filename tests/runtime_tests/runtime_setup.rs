//! Stream set-up against the built-in transmitter on 127.0.0.1, as a careful engineer expects
//! it: a stream of another receiver stops the create and is left untouched, attach receives
//! and changes nothing, a 409 never takes over someone's stream, a stream this run created is
//! deleted on stop (and said), and the receiver's own actions raise no alert.

use std::time::Duration;

use crate::receiving;

use receiving::{connection, fast, foreign_stream, notices, stop, until};
use ssf_inspector::core::alerts::AlertKind;
use ssf_inspector::core::profile::{DeliveryMode, StreamSetup};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::{Connection, StatusSource, StreamStatus};
use ssf_inspector::runtime::Command;
use ssf_inspector::runtime::receiver::operations::StreamOp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_of_another_receiver_stops_the_create_and_is_left_untouched() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let theirs = foreign_stream(&tx).await;
    let (files, profile) = receiving::profile_for(&tx, "setup-foreign", "mine", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(
        matches!(connection(&state, &key), Connection::Declined(_)),
        "the receiver's own choice, not a failure at the transmitter"
    );
    let kinds: Vec<AlertKind> = state.alerts.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [AlertKind::SetupDeclined],
        "a warning, no critical banner"
    );
    assert!(state.banner_alerts().next().is_none());
    let id = theirs["stream_id"].as_str().expect("an id");
    assert!(why.contains("did not make") && why.contains(id), "{why}");
    assert!(
        why.contains("--attach") && why.contains("--create-stream always"),
        "{why}"
    );
    let listed = receiving::streams_at(&tx).await;
    assert_eq!(listed, vec![theirs], "their stream is exactly as it was");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attach_receives_from_the_stream_and_changes_nothing() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let theirs = foreign_stream(&tx).await;
    let id = theirs["stream_id"].as_str().expect("an id").to_owned();
    let (files, mut profile) =
        receiving::profile_for(&tx, "setup-attach", "attached", DeliveryMode::Poll);
    profile.stream = StreamSetup::Attach {
        stream_id: id.clone(),
    };
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 3)).await,
        "SETs arrive from the attached stream: {:?}",
        connection(&state, &key)
    );
    assert_eq!(
        state.streams[&key]
            .info
            .as_ref()
            .map(|i| i.stream_id.clone()),
        Some(id.clone())
    );
    let said = stop(&rt, &mut rx, &mut state, &key).await;
    assert!(
        said.iter()
            .any(|t| t.contains(&format!("left stream {id} as it was"))),
        "{}",
        notices(&said)
    );
    let listed = receiving::streams_at(&tx).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["delivery"], theirs["delivery"]);
    assert_eq!(listed[0]["description"], theirs["description"]);
    assert!(state.alerts.is_empty(), "{:?}", state.alerts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_always_meets_a_409_and_takes_no_stream_over() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let theirs = foreign_stream(&tx).await;
    let (files, mut profile) =
        receiving::profile_for(&tx, "setup-409", "eager", DeliveryMode::Push);
    profile.stream = StreamSetup::CreateAlways;
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("409") && why.contains("does not take over"),
        "{why}"
    );
    assert_eq!(receiving::streams_at(&tx).await, vec![theirs]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_this_run_created_is_deleted_on_stop_and_that_is_said() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "setup-undo", "tidy", DeliveryMode::Poll);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await);
    let id = receiving::stream_id(&state, &key);
    let said = stop(&rt, &mut rx, &mut state, &key).await;
    assert!(
        said.iter()
            .any(|t| t.contains(&format!("deleted stream {id}, which this run created"))),
        "{}",
        notices(&said)
    );
    assert!(receiving::streams_at(&tx).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receivers_own_actions_raise_no_alert() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let (files, profile) = receiving::profile_for(&tx, "setup-own", "own", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, receiving::set_up_with(&key, 2)).await);
    let op = |op: StreamOp| Command::Stream(key.clone(), op);
    let status = |status| StreamOp::SetStatus {
        status,
        reason: Some("the user's own".to_owned()),
    };
    let paused = |s: &InspectorState| {
        s.streams[&key].status == StreamStatus::Paused
            && matches!(
                s.streams[&key].status_changed,
                Some((_, StatusSource::Receiver))
            )
    };
    rt.send(op(status(StreamStatus::Paused)))
        .await
        .expect("pause");
    assert!(
        until(&mut rx, &mut state, paused).await,
        "shown as set by the receiver"
    );
    // Paused for longer than a status interval and a heartbeat timeout: nothing is raised.
    let hold = tokio::time::Instant::now() + Duration::from_millis(1500);
    until(&mut rx, &mut state, |_| tokio::time::Instant::now() > hold).await;
    rt.send(op(status(StreamStatus::Disabled)))
        .await
        .expect("disable");
    assert!(
        until(&mut rx, &mut state, |s| s.streams[&key].status
            == StreamStatus::Disabled)
        .await
    );
    rt.send(op(status(StreamStatus::Enabled)))
        .await
        .expect("enable");
    assert!(
        until(&mut rx, &mut state, |s| s.streams[&key].status
            == StreamStatus::Enabled)
        .await
    );
    rt.send(op(StreamOp::RequestVerification))
        .await
        .expect("verify");
    let answered = |s: &InspectorState| s.streams[&key].verification_rtt_millis.is_some();
    assert!(
        until(&mut rx, &mut state, answered).await,
        "the manual verification is answered"
    );
    rt.send(op(StreamOp::Delete)).await.expect("delete");
    assert!(until(&mut rx, &mut state, |s| s.streams[&key].deleted_by_receiver).await);
    // Status reads and heartbeats after the delete would find it gone: the receiver's doing.
    let hold = tokio::time::Instant::now() + Duration::from_millis(1500);
    until(&mut rx, &mut state, |_| tokio::time::Instant::now() > hold).await;
    assert!(
        state.alerts.is_empty(),
        "own actions raised: {:?}",
        state.alerts
    );
    assert!(
        receiving::streams_at(&tx).await.is_empty(),
        "deleted at the transmitter"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verification_the_user_asked_for_that_is_refused_is_said_not_raised() {
    // The transmitter takes one verification request a minute: the set-up's heartbeat is
    // answered, the user's Verify right after gets 429 (issue 23: it raised "Verification
    // request refused", an alert for the receiver's own request).
    let options = ssf_inspector::runtime::transmitter::TransmitterOptions {
        min_verification_interval: 60,
        ..receiving::steady()
    };
    let (tx, _cancel) = receiving::transmitter(options).await;
    let (files, profile) = receiving::profile_for(&tx, "setup-verify", "asked", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| {
        c.watch = fast();
        c.watch.verification_interval = Duration::from_secs(3600);
    })
    .await;
    let mut state = InspectorState::default();
    let answered = |s: &InspectorState| {
        receiving::set_up_with(&key, 2)(s) && s.streams[&key].verification_rtt_millis.is_some()
    };
    assert!(
        until(&mut rx, &mut state, answered).await,
        "the set-up's heartbeat is answered"
    );
    let mut said = Vec::new();
    rt.send(Command::Stream(key.clone(), StreamOp::RequestVerification))
        .await
        .expect("verify");
    let refusal_said =
        |s: &InspectorState| s.notice.as_ref().is_some_and(|n| n.text.contains("429"));
    assert!(
        receiving::until_noting(&mut rx, &mut state, &mut said, refusal_said).await,
        "the refusal is said: {}",
        notices(&said)
    );
    assert!(
        state.alerts.is_empty(),
        "the user's own request raised: {:?}",
        state.alerts
    );
    assert!(
        state.streams[&key].pending_verification.is_none(),
        "nothing is awaited"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_only_receives_a_stream_provisioned_out_of_band_without_a_management_call() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let provisioned = reqwest::Client::new()
        .post(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(&serde_json::json!({"delivery": {
            "method": "urn:ietf:rfc:8935",
            "endpoint_url": format!("http://127.0.0.1:{port}/ssf/events"),
            "authorization_header": "Bearer provisioned-out-of-band"},
            "events_requested": [ssf_inspector::core::events::caep("session-revoked"),
                ssf_inspector::core::events::caep("credential-change")]}))
        .send()
        .await
        .expect("provision the stream");
    assert_eq!(provisioned.status(), 201);
    let (files, mut profile) =
        receiving::profile_for(&tx, "setup-listen", "listener", DeliveryMode::Push);
    files
        .store_secret("push", "Bearer provisioned-out-of-band")
        .expect("store");
    profile.stream = StreamSetup::ListenOnly;
    profile.listen = Some(format!("127.0.0.1:{port}"));
    profile.setup.push_path = Some("/ssf/events".to_owned());
    profile.push_authorization = Some(ssf_inspector::core::profile::SecretRef::Stored(
        "push".to_owned(),
    ));
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    assert!(
        until(&mut rx, &mut state, receiving::set_up_with(&key, 3)).await,
        "{:?}",
        connection(&state, &key)
    );
    let managed: Vec<String> = state
        .exchanges
        .iter()
        .filter(|e| {
            e.stream.as_ref() == Some(&key)
                && e.method != "POST"
                && !e.url.contains("jwks")
                && !e.url.contains("well-known")
        })
        .map(|e| format!("{} {}", e.method, e.url))
        .collect();
    assert!(managed.is_empty(), "no management call: {managed:?}");
    let coverage = state.streams[&key].coverage.clone().expect("coverage");
    assert!(
        coverage.line().contains("listening only"),
        "{}",
        coverage.line()
    );
    let said = stop(&rt, &mut rx, &mut state, &key).await;
    assert!(
        said.iter()
            .any(|t| t.contains("provisioned out of band and is left as it is")),
        "{}",
        notices(&said)
    );
    assert_eq!(
        receiving::streams_at(&tx).await.len(),
        1,
        "the stream stays"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_own_stream_that_cannot_be_changed_is_received_as_it_is_not_failed() {
    let options = ssf_inspector::runtime::transmitter::TransmitterOptions {
        read_token: Some("read-only-token-for-the-test".to_owned()),
        ..receiving::steady()
    };
    let (tx, _cancel) = receiving::transmitter(options).await;
    let earlier = reqwest::Client::new()
        .post(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(&serde_json::json!({"description": "ssf-inspector: readonly", "delivery": {"method": "urn:ietf:rfc:8936"}}))
        .send()
        .await
        .expect("create");
    assert_eq!(earlier.status(), 201);
    let (files, profile) =
        receiving::profile_for(&tx, "setup-readonly", "readonly", DeliveryMode::Push);
    files
        .store_secret("t", "read-only-token-for-the-test")
        .expect("the read token replaces the management one");
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |c| c.watch = fast()).await;
    let mut state = InspectorState::default();
    let mut said = Vec::new();
    let up = |s: &InspectorState| connection(s, &key) == Connection::Connected;
    assert!(
        receiving::until_noting(&mut rx, &mut state, &mut said, up).await,
        "{:?}",
        connection(&state, &key)
    );
    assert!(
        said.iter()
            .any(|t| t.contains("receiving from it as it is") && t.contains("403")),
        "{}",
        notices(&said)
    );
    assert!(
        said.iter()
            .any(|t| t.contains("its SETs will not arrive here")),
        "the mismatch of endpoints is said: {}",
        notices(&said)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_set_up_closes_its_push_endpoint() {
    use ssf_inspector::runtime::transmitter::{Quirk, Quirks, TransmitterOptions};
    let options = TransmitterOptions {
        quirks: Quirks::from([Quirk::StrictCreate]),
        ..receiving::steady()
    };
    let (tx, _cancel) = receiving::transmitter(options).await;
    let (files, profile) =
        receiving::profile_for(&tx, "setup-closed", "closed", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(why.contains("422"), "{why}");
    let ended = |s: &InspectorState| s.streams[&key].session_ended;
    assert!(until(&mut rx, &mut state, ended).await);
    // The endpoint it opened is named in the refused create request.
    let create = state
        .exchanges
        .iter()
        .find(|e| e.method == "POST" && e.url.ends_with("/streams"))
        .expect("the create request");
    let body: serde_json::Value = serde_json::from_str(&create.request_body).expect("JSON");
    let endpoint = body["delivery"]["endpoint_url"]
        .as_str()
        .expect("an endpoint")
        .to_owned();
    let pushed = reqwest::Client::new()
        .post(&endpoint)
        .header("content-type", "application/secevent+jwt")
        .body("a.b.c")
        .send()
        .await;
    assert!(
        pushed.is_err(),
        "the endpoint still answers after the failed set-up: {:?}",
        pushed.map(|r| r.status())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_profiles_stream_is_never_taken_over_on_a_409() {
    let (tx, _cancel) = receiving::transmitter(receiving::steady()).await;
    let theirs = reqwest::Client::new()
        .post(format!("{}/streams", tx.issuer))
        .bearer_auth(&tx.management_token)
        .json(&serde_json::json!({
            "description": "ssf-inspector: profile-b",
            "delivery": {"method": "urn:ietf:rfc:8935", "endpoint_url": "http://127.0.0.1:9/push/b", "authorization_header": "Bearer b"},
        }))
        .send()
        .await
        .expect("profile B's stream");
    assert_eq!(theirs.status(), 201);
    let before = receiving::streams_at(&tx).await;
    let (files, profile) = receiving::profile_for(&tx, "setup-b", "profile-a", DeliveryMode::Push);
    let (rt, mut rx) = receiving::runtime();
    let key = receiving::start(&rt, &files, &profile, |_| {}).await;
    let mut state = InspectorState::default();
    let why = receiving::failure_of(&mut rx, &mut state, &key).await;
    assert!(
        why.contains("409") && why.contains("does not take over"),
        "{why}"
    );
    assert!(matches!(connection(&state, &key), Connection::Declined(_)));
    assert_eq!(
        receiving::streams_at(&tx).await,
        before,
        "profile B's stream is untouched"
    );
}
