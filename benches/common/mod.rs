//! What the push benches share: distinct signed SETs, and the receiver's push endpoint on
//! 127.0.0.1 with a record (the UI channel's receiving end is the caller's).
#![allow(dead_code, reason = "each bench binary uses a different part")]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use jsonwebtoken::Algorithm;
use parking_lot::RwLock;
use serde_json::json;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet};
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::push::{PushFault, PushListener, PushStream};
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::transmitter::keys::SigningKey;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub mod measure;

/// Keep-alive connections of the load generator.
pub const CONNECTIONS: usize = 48;
/// The push endpoint's Authorization.
pub const AUTH: &str = "Bearer bench-push-token";

pub fn claims(n: usize) -> serde_json::Value {
    json!({
        "iss": "https://tr.example.com/", "aud": "https://rx.example.com/", "jti": format!("{n:032x}"),
        "iat": UnixMillis::now().as_secs(), "txn": format!("t{n}"),
        "sub_id": {"format": "email", "email": format!("user{}@example.com", n % 1000)},
        "events": {"https://schemas.openid.net/secevent/caep/event-type/session-revoked": {
            "initiating_entity": "policy", "reason_admin": {"en": "Landspeed policy violation"},
            "event_timestamp": UnixMillis::now().as_secs()}}
    })
}

/// `count` distinct tokens signed on both cores, and the JWKS that verifies them.
pub fn tokens(alg: Algorithm, count: usize) -> (Arc<Vec<String>>, KeySet, Arc<SigningKey>) {
    let key = Arc::new(SigningKey::generate(alg).unwrap());
    let halves: Vec<Vec<String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|half| {
                let key = Arc::clone(&key);
                std::thread::Builder::new()
                    .name(format!("sign-{half}"))
                    .spawn_scoped(scope, move || {
                        (half..count)
                            .step_by(2)
                            .map(|n| key.sign_set(&claims(n)).unwrap())
                            .collect()
                    })
                    .unwrap()
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let tokens: Vec<String> = halves.into_iter().flatten().collect();
    let keys = KeySet::from_jwks(&json!({"keys": [key.public_jwk()]})).unwrap();
    (Arc::new(tokens), keys, key)
}

/// The receiver's push endpoint with a durable record in the target folder.
///
/// With `durable` false the record is SQLite in memory: the difference is the file's cost.
pub async fn receiver(
    alg: Algorithm,
    keys: KeySet,
    durable: bool,
) -> (
    String,
    RecordStore,
    CancellationToken,
    mpsc::Receiver<Update>,
) {
    let store = if durable {
        let dir =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-push-{alg:?}"));
        std::fs::remove_dir_all(&dir).ok();
        RecordStore::open(&dir.join("record.sqlite3"))
            .await
            .unwrap()
            .0
    } else {
        RecordStore::in_memory().await.unwrap()
    };
    let (listener, cancel, rx) = listen(store.clone(), None).await;
    let url = listener.add_stream("/push/bench", bench_stream(keys));
    (url, store, cancel, rx)
}

/// A push listener on 127.0.0.1 for `store`, over TLS when `tls` says so, with the default
/// connection limits (the caller adds its stream).
pub async fn listen(
    store: RecordStore,
    tls: Option<&ssf_inspector::core::profile::PushTls>,
) -> (PushListener, CancellationToken, mpsc::Receiver<Update>) {
    let (updates, rx) = update_channel(no_wake());
    let cancel = CancellationToken::new();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let listener = PushListener::bind(addr, tls, store, updates, cancel.clone())
        .await
        .unwrap();
    (listener, cancel, rx)
}

/// The bench stream: [`AUTH`], verified with `keys`, the claims' issuer and audience.
pub fn bench_stream(keys: KeySet) -> Arc<PushStream> {
    Arc::new(PushStream {
        key: StreamKey("bench".to_owned()),
        authorization: AUTH.to_owned(),
        keys: Arc::new(KeyCache::fixed(keys)),
        expect: RwLock::new(Expectations {
            issuer: Some("https://tr.example.com/".to_owned()),
            audience: Some("https://rx.example.com/".to_owned()),
            ..Expectations::default()
        }),
        policy: AlgorithmPolicy::default(),
        fault: RwLock::new(PushFault::None),
        health: Default::default(),
        own: None,
    })
}

/// Push one token; an answer other than 202 (or no answer) as its status and body.
pub async fn push(client: &reqwest::Client, url: &str, token: String) -> Result<(), (u16, String)> {
    let answer = client
        .post(url)
        .header("content-type", "application/secevent+jwt")
        .header("authorization", AUTH)
        .body(token)
        .send()
        .await;
    match answer {
        Ok(answer) if answer.status() == 202 => Ok(()),
        Ok(answer) => {
            let status = answer.status().as_u16();
            Err((status, answer.text().await.unwrap_or_default()))
        }
        Err(err) => Err((0, err.to_string())),
    }
}

/// Bare `inspect` of `tokens` on one thread for about `window`, as `expect` checks them: how many
/// were inspected and how long it took.
pub fn bare_inspect(
    tokens: &[String],
    keys: &KeySet,
    expect: &Expectations,
    window: std::time::Duration,
) -> (usize, std::time::Duration) {
    use ssf_inspector::core::ingest::{self, Arrival};
    use ssf_inspector::core::record::Transport;
    let started = std::time::Instant::now();
    let mut done = 0_usize;
    while started.elapsed() < window {
        let arrival = Arrival {
            stream: StreamKey("bench".to_owned()),
            transport: Transport::Push,
            received_at: UnixMillis::now(),
        };
        let token = tokens[done % tokens.len()].clone();
        std::hint::black_box(ingest::inspect(
            token,
            arrival,
            keys,
            &AlgorithmPolicy::default(),
            expect,
        ));
        done += 1;
    }
    (done, started.elapsed())
}
