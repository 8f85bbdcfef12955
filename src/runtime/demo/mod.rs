//! The built-in demo transmitter: a real SSF 1.0 transmitter on 127.0.0.1 (discovery, JWKS,
//! stream management, status, verification, push delivery of ES256-signed SETs) that plays the
//! seed scenario: steady traffic, then the stream is disabled.

mod delivery;
pub mod keys;
mod server;
pub mod sets;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio_util::sync::CancellationToken;

use crate::core::stream::StreamStatus;
use keys::SigningKey;

/// The path of the demo issuer (so discovery exercises SSF §7.2 path insertion).
pub const ISSUER_PATH: &str = "/demo";

/// How the demo behaves.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Time between two events of the steady mix.
    pub event_interval: Duration,
    /// When to disable the stream (from stream creation); `None` never.
    pub disable_after: Option<Duration>,
    /// Send stream-updated before stopping (`true`), or stop without a word.
    pub tells: bool,
    /// Why the stream is disabled (the `reason` of stream-updated).
    pub disable_reason: String,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            event_interval: Duration::from_secs(2),
            disable_after: Some(Duration::from_secs(30)),
            tells: true,
            disable_reason: "Disabled by administrator mallory@example.com".to_owned(),
        }
    }
}

/// One SET waiting for delivery, and the status change to make once it is delivered.
struct Outgoing {
    claims: serde_json::Value,
    then: Option<StreamStatus>,
}

struct TxStream {
    config: serde_json::Value,
    status: StreamStatus,
    reason: Option<String>,
    queue: tokio::sync::mpsc::Sender<Outgoing>,
    cancel: CancellationToken,
}

struct Tx {
    issuer: String,
    token: String,
    key: SigningKey,
    options: DemoOptions,
    client: reqwest::Client,
    streams: Mutex<HashMap<String, TxStream>>,
    cancel: CancellationToken,
}

impl Tx {
    /// The `aud` the demo gives the receiver of a stream.
    fn audience(&self, stream_id: &str) -> String {
        format!("{}/receivers/{stream_id}", self.issuer)
    }

    fn set_status(&self, stream_id: &str, status: StreamStatus, reason: Option<String>) {
        if let Some(stream) = self.streams.lock().get_mut(stream_id) {
            stream.status = status;
            stream.reason = reason;
        }
    }

    fn status(&self, stream_id: &str) -> Option<StreamStatus> {
        self.streams.lock().get(stream_id).map(|s| s.status)
    }
}

/// A running demo transmitter.
pub struct DemoTransmitter {
    /// Its issuer URL (`http://127.0.0.1:PORT/demo`).
    pub issuer: String,
    /// The bearer token for its management API.
    pub management_token: String,
    /// Where it listens.
    pub addr: SocketAddr,
    cancel: CancellationToken,
}

impl DemoTransmitter {
    /// Bind 127.0.0.1 on a free port and serve until `cancel` fires.
    pub async fn start(options: DemoOptions, cancel: CancellationToken) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let issuer = format!("http://{addr}{ISSUER_PATH}");
        let tx = Arc::new(Tx {
            issuer: issuer.clone(),
            token: crate::runtime::random::random_token()?,
            key: SigningKey::generate_es256()?,
            options,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
            streams: Mutex::new(HashMap::new()),
            cancel: cancel.clone(),
        });
        let management_token = tx.token.clone();
        let app = server::router(tx);
        let shutdown = cancel.clone();
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move { shutdown.cancelled().await })
                .await;
            if let Err(err) = served {
                tracing::error!("demo transmitter stopped: {err:#}");
            }
        });
        tracing::info!(%issuer, "demo transmitter listening");
        Ok(Self {
            issuer,
            management_token,
            addr,
            cancel,
        })
    }

    /// Stop serving and delivering.
    pub fn stop(&self) {
        self.cancel.cancel();
    }
}
