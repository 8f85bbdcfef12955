//! Runtime, on 127.0.0.1 only: the demo transmitter pushes to the receiver and the verified SETs
//! arrive in order; the push endpoint refuses a wrong bearer token with an RFC 8935 error body.

use crate::fixtures;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use fixtures::{TestKey, expectations, session_revoked};
use parking_lot::RwLock;
use serde_json::Value;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::events;
use ssf_inspector::core::marker::MarkerKind;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::core::verify::{AlgorithmPolicy, Verdict};
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::push::{PushFault, PushListener, PushStream};
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::transmitter::TransmitterOptions;
use ssf_inspector::runtime::{self, Command};
use tokio_util::sync::CancellationToken;

const DEADLINE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_pushes_verified_sets_in_order_then_disables_with_stream_updated() {
    let (updates, mut rx) = update_channel(no_wake());
    let rt = runtime::spawn(&tokio::runtime::Handle::current(), updates, None);
    let options = TransmitterOptions {
        event_interval: Duration::from_millis(60),
        disable_after: Some(Duration::from_millis(700)),
        ..TransmitterOptions::demo()
    };
    rt.send(Command::StartDemo(Box::new(options)))
        .await
        .unwrap();

    let mut state = InspectorState::default();
    let mut records = Vec::new();
    let mut raised = Vec::new();
    let started = tokio::time::Instant::now();
    // Until the alert, then half a second more to see that nothing follows the stop.
    let mut stop_at = started + DEADLINE;
    while let Ok(Some(update)) = tokio::time::timeout_at(stop_at, rx.recv()).await {
        if let Update::Set(record) = &update {
            records.push(Arc::clone(record));
        }
        let new = state.apply(update, UnixMillis::now()).raised;
        if !new.is_empty() && raised.is_empty() {
            stop_at = tokio::time::Instant::now() + Duration::from_millis(500);
        }
        raised.extend(new);
    }
    rt.send(Command::Shutdown).await.ok();

    assert!(records.len() >= 5, "only {} SETs arrived", records.len());
    for (i, record) in records.iter().enumerate() {
        assert_eq!(
            record.seq,
            i as u64 + 1,
            "SETs arrive in the order they were stored"
        );
        assert_eq!(
            record.verification.verdict,
            Verdict::Valid,
            "#{}: {}",
            record.seq,
            record.verification.detail
        );
        assert!(
            record.rejection.is_none(),
            "#{}: {:?}",
            record.seq,
            record.rejection
        );
    }
    // The scenario's events, minus the verification SET (whose place depends on timing), come in
    // the order they were sent.
    let played: Vec<&str> = records
        .iter()
        .map(|r| r.events[0].uri.as_str())
        .filter(|uri| !events::is_verification(uri))
        .collect();
    assert_eq!(played[0], events::caep("session-revoked"));
    assert_eq!(played[1], events::caep("credential-change"));
    assert_eq!(played[2], events::risc("account-disabled"));
    assert!(
        records
            .iter()
            .any(|r| events::is_verification(&r.events[0].uri)),
        "the verification SET arrived"
    );
    let last = records.last().unwrap();
    assert!(
        events::is_stream_updated(&last.events[0].uri),
        "stream-updated is the last SET: nothing after the stop"
    );
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(raised[0].kind.as_str(), "stream_disabled");
    assert_eq!(raised[0].evidence_seq, Some(last.seq));
    // Each SET names the push request that carried it, and the alert names the same one.
    for record in &records {
        let carried_by = record.exchange.expect("a pushed SET names its exchange");
        let exchange = state
            .exchanges
            .iter()
            .find(|e| e.id == carried_by)
            .expect("the exchange is listed");
        assert_eq!(exchange.method, "POST");
        assert!(exchange.url.starts_with("/push/"), "{}", exchange.url);
        assert_eq!(exchange.status, Some(202));
    }
    assert_eq!(raised[0].evidence_exchange, last.exchange);
    // The receiver's start is on the timeline.
    assert!(
        state
            .timeline
            .markers()
            .iter()
            .any(|m| m.kind == MarkerKind::Started)
    );
    let stream = state.streams.values().next().unwrap();
    assert_eq!(stream.status.as_str(), "disabled");
}

async fn listener_with(
    authorization: &str,
    key: &TestKey,
) -> (String, RecordStore, CancellationToken) {
    let (updates, mut rx) = update_channel(no_wake());
    // Keep the update channel drained, as the UI would.
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let store = RecordStore::in_memory().await.expect("an in-memory record");
    let cancel = CancellationToken::new();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let listener = PushListener::bind(addr, None, store.clone(), updates, cancel.clone())
        .await
        .expect("bind 127.0.0.1:0");
    let stream = Arc::new(PushStream {
        key: StreamKey("test".to_owned()),
        authorization: authorization.to_owned(),
        keys: Arc::new(KeyCache::fixed(key.jwks())),
        expect: RwLock::new(expectations()),
        policy: AlgorithmPolicy::default(),
        fault: RwLock::new(PushFault::None),
        health: Default::default(),
        own: None,
    });
    let url = listener.add_stream("s1", stream);
    (url, store, cancel)
}

fn push(client: &reqwest::Client, url: &str, auth: &str, body: String) -> reqwest::RequestBuilder {
    client
        .post(url)
        .header("content-type", "application/secevent+jwt")
        .header("accept", "application/json")
        .header("authorization", auth)
        .body(body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_bearer_token_gets_401_with_an_rfc8935_error_body() {
    let key = TestKey::es256("k1");
    let (url, store, cancel) = listener_with("Bearer right-token", &key).await;
    let client = reqwest::Client::new();
    let token = key.sign(&session_revoked("jti-401"));

    let response = push(&client, &url, "Bearer wrong-token", token.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-language"], "en");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["err"], "authentication_failed");
    assert!(body["description"].as_str().is_some_and(|d| !d.is_empty()));
    assert_eq!(
        store.len(),
        0,
        "an unauthenticated push is not recorded as a SET"
    );

    let response = push(&client, &url, "Bearer right-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.text().await.unwrap(), "", "202 has an empty body");

    let response = push(&client, &url, "Bearer right-token", "garbage".to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["err"], "invalid_request");
    assert_eq!(store.len(), 2, "the malformed SET is kept, marked rejected");
    assert!(store.snapshot()[1].rejection.is_some());
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_jti_is_accepted_again_and_flagged() {
    let key = TestKey::es256("k1");
    let (url, store, cancel) = listener_with("Bearer t", &key).await;
    let client = reqwest::Client::new();
    let token = key.sign(&session_revoked("same-jti"));
    for _ in 0..2 {
        let response = push(&client, &url, "Bearer t", token.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            202,
            "RFC 8935 §2: answer a duplicate as the first time"
        );
    }
    let records = store.snapshot();
    assert_eq!(records.len(), 2, "nothing is dropped");
    assert!(!records[0].redelivered);
    assert!(records[1].redelivered);
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_every_record_as_a_json_line_with_the_raw_token() {
    let key = TestKey::es256("k1");
    let (url, store, cancel) = listener_with("Bearer t", &key).await;
    let client = reqwest::Client::new();
    let token = key.sign(&session_revoked("exported"));
    push(&client, &url, "Bearer t", token.clone())
        .send()
        .await
        .unwrap();
    push(&client, &url, "Bearer t", "not-a-set".to_owned())
        .send()
        .await
        .unwrap();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-test.jsonl");
    let written = ssf_inspector::runtime::export::write_jsonl(&store, &path)
        .await
        .unwrap();
    assert_eq!(written, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["raw"], token.as_str());
    assert_eq!(lines[0]["verdict"], "valid");
    assert_eq!(lines[1]["verdict"], "malformed");
    assert_eq!(
        lines[1]["raw"], "not-a-set",
        "a malformed SET is exported as received"
    );
    // With a filter, only what it matches.
    let filter = ssf_inspector::core::filter::Filter::parse("verdict:malformed").unwrap();
    let written = ssf_inspector::runtime::export::write_matching(&store, &path, Some(filter))
        .await
        .unwrap();
    assert_eq!(written, 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains("not-a-set"), "{text}");
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_push_is_answered_202_only_after_the_set_is_stored() {
    let key = TestKey::es256("k1");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("push-failing-store.sqlite3");
    std::fs::remove_file(&path).ok();
    let (store, _) = RecordStore::open(&path).await.expect("open the record");
    let (updates, mut rx) = update_channel(no_wake());
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let cancel = CancellationToken::new();
    let listener = PushListener::bind(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        None,
        store.clone(),
        updates,
        cancel.clone(),
    )
    .await
    .expect("bind");
    let stream = Arc::new(PushStream {
        key: StreamKey("test".to_owned()),
        authorization: "Bearer t".to_owned(),
        keys: Arc::new(KeyCache::fixed(key.jwks())),
        expect: RwLock::new(expectations()),
        policy: AlgorithmPolicy::default(),
        fault: RwLock::new(PushFault::None),
        health: Default::default(),
        own: None,
    });
    let url = listener.add_stream("s1", stream);
    // Make every insert fail, as a full disk would.
    let other = rusqlite::Connection::open(&path).expect("a second connection");
    other
        .execute_batch("CREATE TRIGGER fail_inserts BEFORE INSERT ON sets BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;")
        .expect("install the trigger");
    let client = reqwest::Client::new();
    let token = key.sign(&session_revoked("stored-first"));
    let response = push(&client, &url, "Bearer t", token.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        503,
        "a SET that could not be stored is not acknowledged"
    );
    assert_eq!(store.len(), 0);
    other
        .execute_batch("DROP TRIGGER fail_inserts;")
        .expect("remove the trigger");
    let response = push(&client, &url, "Bearer t", token).send().await.unwrap();
    assert_eq!(
        response.status(),
        202,
        "the transmitter's retry is stored and acknowledged"
    );
    assert_eq!(store.len(), 1);
    store.close().await.expect("close");
    let (_, reloaded) = RecordStore::open(&path).await.expect("reopen");
    assert_eq!(reloaded.len(), 1, "the acknowledged SET survives a restart");
    assert_eq!(reloaded[0].jti.as_deref(), Some("stored-first"));
    cancel.cancel();
}
