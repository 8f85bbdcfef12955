//! An empty `jti` names no SET (issue 21, 12): a poll answer that brings a second SET under
//! the key `""` after the first was acknowledged brings a new SET, stored and told, not a copy
//! acknowledged again without being stored.

use crate::fixtures;

use std::sync::Arc;
use std::time::Duration;

use axum::routing::post;
use serde_json::{Value, json};
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::set_rules::SetRules;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::receiver::auth::Auth;
use ssf_inspector::runtime::receiver::exchange_log::ExchangeLog;
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::poll::Poller;
use ssf_inspector::runtime::receiver::session::SessionDeps;
use ssf_inspector::runtime::record::RecordStore;
use tokio_util::sync::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_set_with_an_empty_jti_is_stored_not_taken_for_a_copy() {
    let key = fixtures::TestKey::es256("k1");
    let now_secs = ssf_inspector::core::time::UnixMillis::now().as_secs();
    let token = |n: i64| {
        let mut claims = fixtures::session_revoked("unused");
        claims["jti"] = json!("");
        claims["iat"] = json!(now_secs - n);
        key.sign(&claims)
    };
    // Two different SETs, each under the key "" of its own answer; then nothing.
    let answers = Arc::new(parking_lot::Mutex::new(vec![
        json!({"sets": {"": token(2)}, "moreAvailable": false}),
        json!({"sets": {"": token(1)}, "moreAvailable": false}),
    ]));
    let asked = Arc::new(parking_lot::Mutex::new(Vec::<Value>::new()));
    let app = axum::Router::new().route(
        "/poll",
        post({
            let (answers, asked) = (Arc::clone(&answers), Arc::clone(&asked));
            move |axum::Json(body): axum::Json<Value>| async move {
                asked.lock().push(body);
                let mut answers = answers.lock();
                let answer = if answers.is_empty() {
                    json!({"sets": {}})
                } else {
                    answers.remove(0)
                };
                axum::Json(answer)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/poll", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });

    let store = RecordStore::in_memory().await.unwrap();
    let (updates, mut rx) = update_channel(no_wake());
    let stream = StreamKey("empty-jti".to_owned());
    let poller = Poller {
        key: stream.clone(),
        endpoint: url,
        auth: Arc::new(Auth::None),
        keys: Arc::new(KeyCache::fixed(key.jwks())),
        // The profile accepts SETs without a jti, so the first is acknowledged.
        expect: Expectations {
            rules: SetRules::LENIENT,
            ..fixtures::expectations()
        },
        deps: SessionDeps {
            client: ssf_inspector::runtime::net::client_builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap(),
            store,
            updates: updates.clone(),
        },
        log: ExchangeLog::new(
            RecordStore::in_memory().await.unwrap(),
            updates,
            Some(stream),
        ),
        health: Arc::default(),
        interval: Duration::from_millis(20),
        own: None,
    };
    let cancel = CancellationToken::new();
    let polling = tokio::spawn(poller.run(cancel.clone()));
    let mut stored = Vec::new();
    let mut copies = 0;
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(update) = rx.recv().await {
            match update {
                Update::Set(set) => stored.push(set),
                Update::AcksIgnored { .. } => copies += 1,
                _ => {}
            }
            if stored.len() + copies >= 2 && answers.lock().is_empty() {
                break;
            }
        }
    })
    .await
    .expect("both answers were taken");
    cancel.cancel();
    polling.await.unwrap();
    assert_eq!(copies, 0, "not taken for a copy of the first");
    assert_eq!(stored.len(), 2, "both stored");
    assert!(stored.iter().all(|set| set.rejection.is_none()));
    assert!(stored.iter().all(|set| !set.redelivered));
    assert_ne!(stored[0].raw, stored[1].raw);
    // The first was acknowledged (the transmitter asked for `jti` "" to be).
    assert!(
        asked.lock().iter().any(|body| body["ack"] == json!([""])),
        "{:?}",
        asked.lock()
    );
}
