//! The transmitter's counterparts in runtime tests, on 127.0.0.1 only: a management client for a
//! transmitter started in the test, and a tiny push receiver that records every request and
//! answers from a script. SETs are decoded and their signatures checked against the JWKS.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the peer helpers"
)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use parking_lot::Mutex;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use ssf_inspector::core::discovery::{POLL_METHOD, PUSH_METHOD};
use ssf_inspector::core::events;
use ssf_inspector::core::jose::{DecodedJws, decode_compact};
use ssf_inspector::core::verify::{AlgorithmPolicy, KeySet, verify};
use ssf_inspector::runtime::transmitter::{Quirk, Scenario, Transmitter, TransmitterOptions};
use tokio_util::sync::CancellationToken;

/// The management token of every test transmitter.
pub const TOKEN: &str = "manager-token";
/// What a push receiver asks the transmitter to send in `Authorization`.
pub const PUSH_AUTH: &str = "Bearer receiver-secret";

fn localhost() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Quiet options with short timings, the management token set to [`TOKEN`].
pub fn quiet() -> TransmitterOptions {
    TransmitterOptions {
        scenario: Scenario::Quiet,
        token: Some(TOKEN.to_owned()),
        retry_base: Duration::from_millis(20),
        long_poll_timeout: Duration::from_millis(300),
        redelivery_after: Duration::from_millis(200),
        ..TransmitterOptions::default()
    }
}

/// [`quiet`] options with these quirks.
pub fn quirky(quirks: &[Quirk]) -> TransmitterOptions {
    TransmitterOptions {
        quirks: quirks.iter().copied().collect(),
        ..quiet()
    }
}

/// The event types a test stream asks for (all supported by the transmitter).
pub fn requested() -> Vec<String> {
    vec![
        events::caep("credential-change"),
        events::caep("session-revoked"),
        events::risc("account-disabled"),
    ]
}

/// A create body for a poll stream.
pub fn poll_body() -> Value {
    json!({"events_requested": requested(), "delivery": {"method": POLL_METHOD}})
}

/// A create body for a push stream to `endpoint`.
pub fn push_body(endpoint: &str) -> Value {
    json!({
        "events_requested": requested(),
        "delivery": {"method": PUSH_METHOD, "endpoint_url": endpoint, "authorization_header": PUSH_AUTH},
    })
}

/// A transmitter started in the test, with an HTTP client; stopped when dropped.
pub struct Peer {
    pub tx: Transmitter,
    pub http: reqwest::Client,
    cancel: CancellationToken,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

impl Peer {
    pub async fn start(options: TransmitterOptions) -> Self {
        let cancel = CancellationToken::new();
        let tx = Transmitter::start(localhost(), options, cancel.clone())
            .await
            .expect("the transmitter starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(4))
            .build()
            .expect("an HTTP client");
        Self { tx, http, cancel }
    }

    /// `{issuer}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.tx.issuer)
    }

    /// A request with the management token.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.tx.management_token)
    }

    /// Send a JSON body with the management token.
    pub async fn send(&self, method: Method, path: &str, body: &Value) -> Response {
        self.req(method, path)
            .json(body)
            .send()
            .await
            .expect("the transmitter answers")
    }

    /// A GET with the management token and a query; the answer.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Response {
        self.req(Method::GET, path)
            .query(query)
            .send()
            .await
            .expect("the transmitter answers")
    }

    /// A GET that must answer 200 with JSON.
    pub async fn get_json(&self, path: &str, query: &[(&str, &str)]) -> Value {
        let resp = self.get(path, query).await;
        assert_eq!(resp.status(), 200, "GET {path} {query:?}");
        resp.json().await.expect("a JSON answer")
    }

    /// Assert the HTTP status of a JSON request with the management token.
    pub async fn check(&self, method: Method, path: &str, body: &Value, expected: u16) {
        let got = self.send(method.clone(), path, body).await.status();
        assert_eq!(got, expected, "{method} {path} {body}");
    }

    /// `DELETE /streams?stream_id=`: the HTTP status.
    pub async fn delete(&self, stream_id: &str) -> u16 {
        self.req(Method::DELETE, "/streams")
            .query(&[("stream_id", stream_id)])
            .send()
            .await
            .expect("the transmitter answers")
            .status()
            .as_u16()
    }

    /// Create a stream; asserts 201 and returns the configuration.
    pub async fn create(&self, body: &Value) -> Value {
        let resp = self.send(Method::POST, "/streams", body).await;
        assert_eq!(resp.status(), 201, "create stream");
        resp.json().await.expect("a JSON configuration")
    }

    /// Trigger an event through the control endpoint; returns the `jti`s it made.
    pub async fn event(&self, body: &Value) -> Vec<String> {
        let resp = self.send(Method::POST, "/control/event", body).await;
        assert_eq!(resp.status(), 202, "control/event");
        let answer: Value = resp.json().await.expect("JSON");
        answer["jti"]
            .as_array()
            .expect("a jti list")
            .iter()
            .map(|j| j.as_str().expect("a jti string").to_owned())
            .collect()
    }

    /// Trigger a credential-change on one stream; returns its `jti`.
    pub async fn credential_change(&self, stream_id: &str) -> String {
        let jtis = self
            .event(&json!({"event": "credential-change", "stream_id": stream_id}))
            .await;
        assert_eq!(jtis.len(), 1, "one SET for one stream");
        jtis.into_iter().next().expect("one jti")
    }

    /// A transmitter-initiated status change (`control/status`).
    pub async fn transmitter_status(&self, stream_id: &str, status: &str, reason: &str) {
        let body = json!({"stream_id": stream_id, "status": status, "reason": reason});
        let resp = self.send(Method::POST, "/control/status", &body).await;
        assert_eq!(resp.status(), 200, "control/status");
    }

    /// A receiver-initiated status change (`POST /status`).
    pub async fn receiver_status(&self, stream_id: &str, status: &str) {
        let body = json!({"stream_id": stream_id, "status": status});
        let resp = self.send(Method::POST, "/status", &body).await;
        assert_eq!(resp.status(), 200, "POST status");
    }

    /// `GET /status?stream_id=`: the status value.
    pub async fn status_of(&self, stream_id: &str) -> String {
        let resp = self
            .req(Method::GET, "/status")
            .query(&[("stream_id", stream_id)])
            .send()
            .await
            .expect("the transmitter answers");
        assert_eq!(resp.status(), 200, "GET status");
        let body: Value = resp.json().await.expect("JSON");
        body["status"].as_str().expect("a status").to_owned()
    }

    /// The published keys.
    pub async fn keys(&self) -> KeySet {
        let document: Value = self
            .http
            .get(self.url("/jwks.json"))
            .send()
            .await
            .expect("the JWKS answers")
            .json()
            .await
            .expect("a JSON JWKS");
        KeySet::from_jwks(&document).expect("a usable JWKS")
    }

    /// POST to a poll endpoint; asserts 200 and returns the body.
    pub async fn poll(&self, endpoint: &str, body: &Value) -> Value {
        let resp = self
            .http
            .post(endpoint)
            .bearer_auth(&self.tx.management_token)
            .header("Content-Language", "en")
            .json(body)
            .send()
            .await
            .expect("the poll endpoint answers");
        assert_eq!(resp.status(), 200, "poll");
        resp.json().await.expect("a JSON poll answer")
    }

    /// POST `body` to a poll endpoint with the management token: the answer, whatever it is.
    pub async fn poll_raw(&self, endpoint: &str, body: &Value) -> Response {
        let request = self
            .http
            .post(endpoint)
            .bearer_auth(&self.tx.management_token);
        let answer = request.json(body).send().await;
        answer.expect("the poll endpoint answers")
    }

    /// Replace the quirks through `POST /control/quirks`; asserts 200 and returns the names
    /// the transmitter answered.
    pub async fn set_quirks(&self, names: &[&str]) -> Vec<String> {
        let resp = self
            .send(Method::POST, "/control/quirks", &json!({"quirks": names}))
            .await;
        assert_eq!(resp.status(), 200, "control/quirks {names:?}");
        let answer: Value = resp.json().await.expect("JSON");
        let names = answer["quirks"].as_array().expect("a quirk list");
        names
            .iter()
            .map(|n| n.as_str().expect("a name").to_owned())
            .collect()
    }

    /// A poll with `returnImmediately`, acknowledging `acks`.
    pub async fn poll_now(&self, endpoint: &str, acks: &[String]) -> Value {
        let body = json!({"ack": acks, "returnImmediately": true});
        self.poll(endpoint, &body).await
    }
}

/// A stream configuration's `stream_id`.
pub fn id_of(config: &Value) -> &str {
    config["stream_id"].as_str().expect("a stream_id")
}

/// A stream configuration's `delivery.endpoint_url`.
pub fn endpoint_of(config: &Value) -> &str {
    config["delivery"]["endpoint_url"]
        .as_str()
        .expect("an endpoint_url")
}

/// The `jti`s of a poll answer's `sets`, sorted (a JSON object has no order).
pub fn jtis(answer: &Value) -> Vec<String> {
    let sets = answer["sets"].as_object().expect("sets is an object");
    let mut jtis: Vec<String> = sets.keys().cloned().collect();
    jtis.sort();
    jtis
}

/// Decode a SET and check that it is signed by a key of `keys`.
pub fn decode_verified(token: &str, keys: &KeySet) -> DecodedJws {
    let decoded = decode_compact(token).expect("a compact JWS");
    let checked = verify(&decoded, keys, &AlgorithmPolicy::default());
    assert!(checked.verdict.is_valid(), "{}", checked.detail);
    decoded
}

/// The only event URI of a decoded SET.
pub fn event_uri(set: &DecodedJws) -> String {
    let events = set.claims["events"].as_object().expect("events object");
    assert_eq!(events.len(), 1, "one event per SET");
    events.keys().next().expect("one event").clone()
}

/// The payload of the only event of a decoded SET.
pub fn payload(set: &DecodedJws) -> Value {
    set.claims["events"]
        .as_object()
        .and_then(|e| e.values().next())
        .cloned()
        .expect("an event payload")
}

/// One request the push receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn set(&self) -> DecodedJws {
        decode_compact(&self.body).expect("a compact JWS")
    }

    pub fn jti(&self) -> String {
        self.set().claim_str("jti").expect("a jti").to_owned()
    }

    pub fn event_uri(&self) -> String {
        event_uri(&self.set())
    }
}

/// How the receiver answers request number `n` (from 0) carrying `body`.
pub type Script = Arc<dyn Fn(usize, &str) -> u16 + Send + Sync>;

/// Answer from `statuses` in turn, then 202 for ever.
pub fn statuses(statuses: Vec<u16>) -> Script {
    Arc::new(move |n, _| statuses.get(n).copied().unwrap_or(202))
}

#[derive(Clone)]
struct ReceiverState {
    seen: Arc<Mutex<Vec<Received>>>,
    script: Script,
}

/// A push receiver on 127.0.0.1 recording every request; stopped when dropped.
pub struct Receiver {
    pub url: String,
    seen: Arc<Mutex<Vec<Received>>>,
    cancel: CancellationToken,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

async fn record(State(state): State<ReceiverState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let body = String::from_utf8_lossy(&body).into_owned();
    let n = {
        let mut seen = state.seen.lock();
        seen.push(Received {
            headers,
            body: body.clone(),
        });
        seen.len() - 1
    };
    StatusCode::from_u16((state.script)(n, &body)).expect("a valid status")
}

impl Receiver {
    pub async fn start(script: Script) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = ReceiverState {
            seen: Arc::clone(&seen),
            script,
        };
        let app = axum::Router::new()
            .route("/events", axum::routing::post(record))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind(localhost())
            .await
            .expect("the receiver listens");
        let addr = listener.local_addr().expect("an address");
        let cancel = CancellationToken::new();
        let stop = cancel.clone();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await
                .expect("the receiver serves");
        });
        Self {
            url: format!("http://{addr}/events"),
            seen,
            cancel,
        }
    }

    /// Everything received so far.
    pub fn seen(&self) -> Vec<Received> {
        self.seen.lock().clone()
    }

    /// Wait (at most `within`) until `done` holds for what was received; returns it either way.
    pub async fn wait_until(
        &self,
        within: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let waited = tokio::time::timeout(within, async {
            loop {
                if done(&self.seen.lock()) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        let seen = self.seen();
        assert!(
            waited.is_ok(),
            "waited {within:?}; the receiver got {} requests",
            seen.len()
        );
        seen
    }

    /// Wait until at least `n` requests arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        self.wait_until(Duration::from_secs(3), |seen| seen.len() >= n)
            .await
    }

    /// What arrived during `quiet` from now (to check that nothing more comes).
    pub async fn settle(&self, quiet: Duration) -> Vec<Received> {
        tokio::time::sleep(quiet).await;
        self.seen()
    }
}
