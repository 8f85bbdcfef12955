//! Sockets held against the push listener on 127.0.0.1 (issue 21): idle, slow-header and
//! slow-body connections beyond the connection limit, over plain HTTP and TLS, cannot keep a
//! valid push out; the listener holds no more than its limit; a client that half-closes after
//! its request still gets the answer.

use crate::fixtures;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use fixtures::{TestKey, expectations, session_revoked};
use parking_lot::RwLock;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::profile::PushTls;
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::verify::AlgorithmPolicy;
use ssf_inspector::runtime::receiver::keys::KeyCache;
use ssf_inspector::runtime::receiver::push::{PushFault, PushListener, PushStream};
use ssf_inspector::runtime::receiver::push_guard::ConnLimits;
use ssf_inspector::runtime::record::RecordStore;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

const AUTH: &str = "Bearer the-right-push-token";
/// The limit the listeners here are given (small, so the test's own sockets stay few).
const LIMIT: usize = 64;
/// The listeners' deadlines.
const HOUR: Duration = Duration::from_secs(3600);
/// A bound that stops a test whose push is never answered.
const GIVE_UP: Duration = Duration::from_secs(30);

async fn listen(tls: Option<&PushTls>, key: &TestKey) -> (PushListener, String, CancellationToken) {
    let (updates, mut rx) = update_channel(no_wake());
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let store = RecordStore::in_memory().await.expect("an in-memory record");
    let cancel = CancellationToken::new();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    // Deadlines of an hour: the held sockets never time out while a test runs, so a valid push
    // answered at all was let in by the limit, not by a deadline (issue 22: no time threshold).
    let limits = ConnLimits {
        max_connections: LIMIT,
        first_byte: HOUR,
        request_deadline: HOUR,
        idle_timeout: HOUR,
        handshake_timeout: HOUR,
    };
    let listener = PushListener::bind_with(addr, tls, store, updates, cancel.clone(), limits)
        .await
        .expect("bind");
    let stream = Arc::new(PushStream {
        key: StreamKey("held".to_owned()),
        authorization: AUTH.to_owned(),
        keys: Arc::new(KeyCache::fixed(key.jwks())),
        expect: RwLock::new(expectations()),
        policy: AlgorithmPolicy::default(),
        fault: RwLock::new(PushFault::None),
        health: Default::default(),
        own: None,
    });
    let url = listener.add_stream("/push/held", stream);
    (listener, url, cancel)
}

/// Idle sockets, sockets that sent half a request's headers, and sockets that sent headers and
/// half a body: `each` of every kind.
async fn hold(addr: SocketAddr, each: usize) -> Vec<TcpStream> {
    let mut held = Vec::new();
    for kind in 0..3 {
        for _ in 0..each {
            let mut conn = TcpStream::connect(addr).await.expect("connect");
            let start: &[u8] = match kind {
                0 => b"",
                1 => b"POST /push/held HTTP/1.1\r\nHost: x\r\n",
                _ => b"POST /push/held HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\nab",
            };
            conn.write_all(start).await.expect("start");
            held.push(conn);
        }
    }
    held
}

/// How many of `held` the listener has closed (EOF, reset, or an answer), each asked briefly.
async fn closed_by_listener(held: &mut [TcpStream]) -> usize {
    let mut closed = 0;
    for conn in held {
        let mut buf = [0_u8; 64];
        let read = tokio::time::timeout(Duration::from_millis(20), conn.read(&mut buf)).await;
        // Timed out: still open. Anything else (EOF, reset, an answer): closed.
        if read.is_ok() {
            closed += 1;
        }
    }
    closed
}

async fn valid_push(client: &reqwest::Client, url: &str, key: &TestKey, n: usize) -> u16 {
    let sent = client
        .post(url)
        .header("content-type", "application/secevent+jwt")
        .header("authorization", AUTH)
        .body(key.sign(&session_revoked(&format!("held-{n}"))))
        .send();
    let answer = tokio::time::timeout(GIVE_UP, sent)
        .await
        .expect("a valid push is answered, though held sockets would hold it for an hour")
        .expect("an answer");
    answer.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_sockets_beyond_the_limit_cannot_keep_a_plain_push_out() {
    let key = TestKey::es256("k1");
    let (listener, url, cancel) = listen(None, &key).await;
    // A new client each time: a fresh connection, as a transmitter's next push may be.
    for round in 0..3 {
        let mut held = hold(listener.addr, LIMIT).await;
        let client = reqwest::Client::new();
        assert_eq!(valid_push(&client, &url, &key, round).await, 202);
        let closed = closed_by_listener(&mut held).await;
        assert!(
            closed >= held.len() - LIMIT,
            "the listener holds at most {LIMIT}: {closed} of {} closed",
            held.len()
        );
    }
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_sockets_beyond_the_limit_cannot_keep_a_tls_push_out() {
    let key = TestKey::es256("k1");
    let (listener, url, cancel) = listen(Some(&PushTls::SelfSigned), &key).await;
    let pem = listener
        .certificate_pem()
        .expect("a certificate")
        .to_owned();
    let cert = reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate");
    for round in 0..3 {
        let _held = hold(listener.addr, LIMIT).await;
        let client = reqwest::Client::builder()
            .tls_certs_only([cert.clone()])
            .build()
            .expect("a client");
        assert_eq!(valid_push(&client, &url, &key, round).await, 202);
    }
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_half_closes_after_its_request_gets_the_answer() {
    let key = TestKey::es256("k1");
    let (listener, _url, cancel) = listen(None, &key).await;
    let token = key.sign(&session_revoked("half-closed"));
    let request = format!(
        "POST /push/held HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n\
         Content-Type: application/secevent+jwt\r\nContent-Length: {}\r\n\r\n{token}",
        token.len()
    );
    let mut conn = TcpStream::connect(listener.addr).await.expect("connect");
    conn.write_all(request.as_bytes()).await.expect("send");
    conn.shutdown().await.expect("half-close");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), conn.read_to_end(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    cancel.cancel();
}
