//! *Replay* on 127.0.0.1: a SET sent once to a push endpoint the test listens on, unchanged
//! (the same bytes, RFC 8935 media type) and re-signed (verifies against the JWKS the app
//! serves while it runs, a new `jti`, a `txn` naming the original, `iss` kept); the exchange is
//! kept; an endpoint not on this machine is refused without its host named, before any
//! connection.

use crate::fixtures::{self, TestKey};
use crate::receiving;

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use parking_lot::Mutex;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::jose::decode_compact;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::replay::{ReplayMode, ReplayOutcome, ReplayRequest};
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::stream::DEMO_STREAM;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet, Verdict, verify};
use ssf_inspector::runtime::transmitter::TransmitterOptions;
use ssf_inspector::runtime::{self, Command, Folders};

/// What the test's push endpoint saw of one request.
#[derive(Clone, Debug, Default)]
struct Seen {
    content_type: String,
    authorization: String,
    body: String,
    /// The verdict against the JWKS the token's `jku` names, fetched while the replay runs.
    served_verdict: Option<Verdict>,
}

/// A push endpoint on 127.0.0.1 that answers 202 and keeps what it was sent.
async fn endpoint() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let kept = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/push",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let kept = Arc::clone(&kept);
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                let jws = decode_compact(&body).expect("a SET was pushed");
                let served_verdict = match jws.header.get("jku").and_then(|v| v.as_str()) {
                    None => None,
                    Some(jku) => {
                        let jwks: serde_json::Value = reqwest::get(jku)
                            .await
                            .expect("the JWKS is served while the replay runs")
                            .json()
                            .await
                            .expect("a JWKS");
                        let keys = KeySet::from_jwks(&jwks).expect("its keys");
                        Some(verify(&jws, &keys, &AlgorithmPolicy::default()).verdict)
                    }
                };
                kept.lock().push(Seen {
                    content_type: header("content-type"),
                    authorization: header("authorization"),
                    body,
                    served_verdict,
                });
                (StatusCode::ACCEPTED, "taken")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/push", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, seen)
}

/// Replay through a runtime as the window does; the outcome and the state that saw it.
async fn replayed(request: ReplayRequest) -> (ReplayOutcome, InspectorState) {
    let (updates, mut rx) = update_channel(no_wake());
    let rt = runtime::spawn_in(
        &tokio::runtime::Handle::current(),
        updates,
        Folders::default(),
    );
    rt.send(Command::Replay(Box::new(request)))
        .await
        .expect("send");
    let mut state = InspectorState::default();
    let answered = receiving::until(&mut rx, &mut state, |s| s.replayed.is_some()).await;
    rt.send(Command::Shutdown).await.ok();
    assert!(answered, "the replay was answered");
    (state.replayed.clone().expect("replayed"), state)
}

fn token() -> (String, TestKey) {
    let key = TestKey::es256("k-replay");
    (key.sign(&fixtures::session_revoked("jti-original")), key)
}

fn request(raw: String, url: String, mode: ReplayMode) -> ReplayRequest {
    ReplayRequest {
        raw,
        stream: None,
        url,
        mode,
        authorization: Some("Bearer replay-push-s3cret".to_owned()),
        confirmed_host: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_replay_posts_the_same_token_once_and_keeps_the_exchange() {
    let (url, seen) = endpoint().await;
    let (raw, _) = token();
    let (outcome, state) = replayed(request(raw.clone(), url.clone(), ReplayMode::Unchanged)).await;
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.status, Some(202));
    assert_eq!(outcome.body, "taken");
    assert_eq!(outcome.jti, "jti-original");
    let seen = seen.lock().clone();
    assert_eq!(seen.len(), 1, "sent once");
    assert_eq!(seen[0].body, raw);
    assert_eq!(seen[0].content_type, "application/secevent+jwt");
    assert_eq!(seen[0].authorization, "Bearer replay-push-s3cret");
    let kept = state
        .exchanges
        .iter()
        .find(|e| Some(e.id) == outcome.exchange)
        .expect("the exchange is kept");
    assert_eq!(kept.url, url);
    assert_eq!(kept.status, Some(202));
    assert!(
        !format!("{kept:?}").contains("replay-push-s3cret"),
        "the authorization is redacted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resigned_replay_verifies_against_the_served_jwks_with_a_new_jti() {
    let (url, seen) = endpoint().await;
    let (raw, original_key) = token();
    let (outcome, _) = replayed(request(raw, url, ReplayMode::Resigned)).await;
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.status, Some(202));
    let seen = seen.lock().clone();
    assert_eq!(seen.len(), 1, "sent once");
    assert_eq!(seen[0].served_verdict, Some(Verdict::Valid));
    let jws = decode_compact(&seen[0].body).unwrap();
    let jti = jws.claim_str("jti").unwrap();
    assert_ne!(jti, "jti-original");
    assert_eq!(jti, outcome.jti);
    assert_eq!(jws.claim_str("txn"), Some("replay-of:jti-original"));
    let original = decode_compact(&token().0).unwrap();
    assert_eq!(jws.claim_str("iss"), original.claim_str("iss"));
    // Not the original transmitter's key any more.
    let by_original = verify(&jws, &original_key.jwks(), &AlgorithmPolicy::default());
    assert_ne!(by_original.verdict, Verdict::Valid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_host_is_refused_unless_named() {
    let (raw, _) = token();
    let url = "https://receiver.example.invalid/push".to_owned();
    let (outcome, state) = replayed(request(raw, url, ReplayMode::Unchanged)).await;
    assert_eq!(
        outcome.error.as_deref(),
        Some(
            "Not sent: receiver.example.invalid is not this machine, and sending a SET there \
             was not confirmed"
        )
    );
    assert_eq!(outcome.status, None);
    assert_eq!(outcome.exchange, None);
    assert!(state.exchanges.is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_to_the_apps_own_receiver_is_let_in_and_stored_again() {
    let (updates, mut rx) = update_channel(no_wake());
    let rt = runtime::spawn_in(
        &tokio::runtime::Handle::current(),
        updates,
        Folders::default(),
    );
    let options = TransmitterOptions {
        disable_after: None,
        ..TransmitterOptions::demo()
    };
    rt.send(Command::StartDemo(Box::new(options)))
        .await
        .expect("start the demo");
    let key = StreamKey(DEMO_STREAM.to_owned());
    let mut state = InspectorState::default();
    assert!(
        receiving::until(&mut rx, &mut state, receiving::set_up_with(&key, 1)).await,
        "the demo is set up and a SET came"
    );
    let endpoint = state.streams[&key]
        .info
        .as_ref()
        .map(|info| info.endpoint.clone())
        .expect("the demo's push endpoint");
    let first = state
        .timeline
        .entries()
        .next()
        .map(|e| e.seq())
        .expect("a SET");
    let raw = state.timeline.full(first).expect("held whole").raw.clone();
    let before = state.timeline.len();
    let mut replay = request(raw, endpoint, ReplayMode::Resigned);
    replay.authorization = None;
    replay.stream = Some(key.clone());
    rt.send(Command::Replay(Box::new(replay)))
        .await
        .expect("send");
    let answered = receiving::until(&mut rx, &mut state, |s| s.replayed.is_some()).await;
    assert!(answered, "the replay was answered");
    let outcome = state.replayed.clone().expect("replayed");
    // Let in (not 401): the receiver took it and answered as RFC 8935 says for its verdict.
    assert_ne!(outcome.status, Some(401), "{outcome:?}");
    assert!(outcome.status.is_some(), "{outcome:?}");
    let jti = outcome.jti.clone();
    let stored = receiving::until(&mut rx, &mut state, |s| {
        s.timeline.len() > before && s.timeline.entries().any(|e| e.jti() == Some(jti.as_str()))
    })
    .await;
    rt.send(Command::Shutdown).await.ok();
    assert!(stored, "the replayed SET is in the timeline");
}
