//! A complete SSF 1.0 transmitter on 127.0.0.1: discovery metadata, a JWKS with key rotation,
//! stream management with bearer authorization, status, subjects, verification, push delivery
//! with retries and a poll endpoint (RFC 8935 / 8936), stream-updated when it changes a stream's
//! status (or not, for the `silent` personality), and scenarios to play. It is the app's demo,
//! the tests' peer, and `ssf-inspector transmitter`.

/// The value of a `Result`, or (from the handler) the answer for its error.
macro_rules! or_answer {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(err) => return $crate::runtime::transmitter::http::error(&err),
        }
    };
}

pub mod config;
mod control;
mod delivery;
mod http;
pub mod keys;
mod push_trust;
pub mod quirks;
mod scenario;
pub mod sets;
mod strict;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio_util::sync::CancellationToken;

use crate::core::stream::StreamStatus;
use config::StreamConfig;
use delivery::Outbox;
use keys::KeyRing;
pub use push_trust::PushTrust;
pub use quirks::{Quirk, Quirks};
pub use scenario::Scenario;

/// How many deleted stream ids the transmitter remembers (`deleted-is-disabled`).
const DELETED_REMEMBERED: usize = 1024;

/// How the transmitter behaves.
#[derive(Clone, Debug)]
pub struct TransmitterOptions {
    /// What it plays on each stream.
    pub scenario: Scenario,
    /// Time between two scenario events.
    pub event_interval: Duration,
    /// `mallory`: when to disable the stream (from its creation).
    pub disable_after: Option<Duration>,
    /// Send stream-updated when the transmitter changes a stream's status (`--tells`), or not (`--silent`).
    pub tells: bool,
    /// The `reason` given when the scenario disables a stream.
    pub disable_reason: String,
    /// Management bearer token; a random one when `None`.
    pub token: Option<String>,
    /// A token that may read but not change (answers 403 to changes).
    pub read_token: Option<String>,
    /// Issuer path (`/demo` gives `http://127.0.0.1:PORT/demo`); empty for none.
    pub issuer_path: String,
    /// Signing algorithm of the active key (ES256 or RS256).
    pub signing_alg: jsonwebtoken::Algorithm,
    /// Allow several streams per receiver (otherwise a second create gets 409).
    pub multiple_streams: bool,
    /// Seconds between verification requests (faster requests get 429).
    pub min_verification_interval: u64,
    /// Pause a stream after this much receiver inactivity (with stream-updated when it tells).
    pub inactivity_timeout: Option<Duration>,
    /// How long a poll without `returnImmediately` waits for a SET.
    pub long_poll_timeout: Duration,
    /// A polled SET not acknowledged within this time is delivered again.
    pub redelivery_after: Duration,
    /// First retry delay of a failed push (doubles each time).
    pub retry_base: Duration,
    /// Attempts per pushed SET before giving up.
    pub max_attempts: u32,
    /// How long a rotated-out key stays in the JWKS.
    pub key_grace: Duration,
    /// An OAuth client (id, secret) that may get the management token from `{issuer}/oauth/token`
    /// by the client-credentials grant.
    pub oauth_client: Option<(String, String)>,
    /// `expires_in` of the tokens that endpoint issues.
    pub oauth_token_lifetime: Duration,
    /// Deviations from the spec to reproduce (none: spec behaviour); changeable while running
    /// through `POST {issuer}/control/quirks`.
    pub quirks: Quirks,
    /// Which receiver certificates the push client trusts (https push endpoints).
    pub push_trust: PushTrust,
    /// The event types it can send (`None`: every current CAEP and RISC type), as a
    /// configuration's `events_supported` says; `strict-create` refuses the others.
    pub events_supported: Option<Vec<String>>,
}

impl Default for TransmitterOptions {
    fn default() -> Self {
        Self {
            scenario: Scenario::Steady,
            event_interval: Duration::from_secs(2),
            disable_after: None,
            tells: true,
            disable_reason: "Disabled by administrator mallory@example.com".to_owned(),
            token: None,
            read_token: None,
            issuer_path: String::new(),
            signing_alg: jsonwebtoken::Algorithm::ES256,
            multiple_streams: false,
            min_verification_interval: 15,
            inactivity_timeout: None,
            long_poll_timeout: Duration::from_secs(15),
            redelivery_after: Duration::from_secs(30),
            retry_base: Duration::from_millis(250),
            max_attempts: 5,
            key_grace: Duration::from_secs(600),
            oauth_client: None,
            oauth_token_lifetime: Duration::from_secs(3600),
            quirks: Quirks::NONE,
            push_trust: PushTrust::default(),
            events_supported: None,
        }
    }
}

impl TransmitterOptions {
    /// The app's built-in demo: steady traffic, then after 30 s the stream is disabled and the
    /// transmitter says so.
    pub fn demo() -> Self {
        Self {
            scenario: Scenario::Mallory,
            disable_after: Some(Duration::from_secs(30)),
            issuer_path: "/demo".to_owned(),
            ..Self::default()
        }
    }
}

/// One stream at the transmitter.
struct Stream {
    config: StreamConfig,
    status: StreamStatus,
    /// A status value SSF does not define, set by the operator (`"failed"`): what status reads
    /// answer instead of `status` until the status changes.
    raw_status: Option<String>,
    reason: Option<String>,
    /// Subjects the receiver removed (events about them are no longer sent).
    removed_subjects: Vec<serde_json::Value>,
    /// Subjects the receiver added.
    added_subjects: Vec<serde_json::Value>,
    outbox: Outbox,
    last_verification: Option<Instant>,
    last_activity: Instant,
    cancel: CancellationToken,
}

/// How the JWKS endpoint answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JwksFault {
    /// Every published key.
    #[default]
    Served,
    /// 503: the receiver cannot fetch the keys.
    Unavailable,
    /// Without the key that signs now.
    WithoutActiveKey,
}

/// Faults the operator injects through the control endpoint, to watch a receiver notice them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// The receiver's access was revoked: its management and poll calls get 401.
    pub access_revoked: bool,
    /// How the JWKS endpoint answers.
    pub jwks: JwksFault,
    /// How long a DELETE of a stream takes to be answered (a transmitter under load).
    pub delete_delay: Duration,
}

/// Shared transmitter state.
struct Tx {
    issuer: String,
    token: String,
    options: TransmitterOptions,
    keys: Mutex<KeyRing>,
    streams: Mutex<HashMap<String, Stream>>,
    faults: Mutex<Faults>,
    /// The quirks in force now.
    quirks: Mutex<Quirks>,
    /// Ids of deleted streams, newest last (at most [`DELETED_REMEMBERED`]).
    deleted: Mutex<VecDeque<String>>,
    client: reqwest::Client,
    cancel: CancellationToken,
}

/// A running transmitter.
pub struct Transmitter {
    /// Its issuer URL.
    pub issuer: String,
    /// The management bearer token.
    pub management_token: String,
    /// Where it listens.
    pub addr: SocketAddr,
    cancel: CancellationToken,
    tx: Arc<Tx>,
}

impl Transmitter {
    /// Listen on `addr` (port 0 for a free one) and serve until `cancel` fires.
    pub async fn start(
        addr: SocketAddr,
        options: TransmitterOptions,
        cancel: CancellationToken,
    ) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|err| anyhow::anyhow!("cannot listen on {addr}: {err}"))?;
        let addr = listener.local_addr()?;
        let path = options.issuer_path.trim_end_matches('/');
        let issuer = format!("http://{addr}{path}");
        let token = match &options.token {
            Some(token) => token.clone(),
            None => crate::runtime::random::random_token()?,
        };
        let tx = Arc::new(Tx {
            issuer: issuer.clone(),
            token: token.clone(),
            keys: Mutex::new(KeyRing::new(options.signing_alg, options.key_grace)?),
            client: push_trust::push_client(&options.push_trust)?,
            quirks: Mutex::new(options.quirks),
            deleted: Mutex::new(VecDeque::new()),
            options,
            streams: Mutex::new(HashMap::new()),
            faults: Mutex::new(Faults::default()),
            cancel: cancel.clone(),
        });
        if let Some(timeout) = tx.options.inactivity_timeout {
            tokio::spawn(control::watch_inactivity(Arc::clone(&tx), timeout));
        }
        let tx_quirks = tx.quirks();
        let app = http::router(Arc::clone(&tx));
        let shutdown = cancel.clone();
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move { shutdown.cancelled().await })
                .await;
            if let Err(err) = served {
                tracing::error!("transmitter stopped: {err:#}");
            }
        });
        tracing::info!(%issuer, quirks = %tx_quirks, "transmitter listening");
        Ok(Self {
            issuer,
            management_token: token,
            addr,
            cancel,
            tx,
        })
    }

    /// A copy of the key that signs now, as its JWKS publishes it (benches pre-sign the SETs
    /// they push themselves).
    pub fn signing_key(&self) -> Option<keys::SigningKey> {
        self.tx.keys.lock().active().cloned()
    }

    /// Stop serving and delivering.
    pub fn stop(&self) {
        self.cancel.cancel();
    }
}

impl Tx {
    /// The quirks in force now.
    fn quirks(&self) -> Quirks {
        *self.quirks.lock()
    }

    /// Change a stream's status as the transmitter (scenario, control endpoint, inactivity).
    /// When it tells, stream-updated goes out before stopping, and upon re-enabling.
    fn set_status_as_transmitter(
        &self,
        stream_id: &str,
        status: StreamStatus,
        reason: Option<String>,
    ) {
        let mut streams = self.streams.lock();
        let Some(stream) = streams.get_mut(stream_id) else {
            return;
        };
        stream.raw_status = None;
        if stream.status == status {
            return;
        }
        let announcement = self
            .options
            .tells
            .then(|| delivery::stream_updated(self, &stream.config, status, reason.as_deref()))
            .flatten();
        tracing::info!(%stream_id, status = status.as_str(), tells = self.options.tells, "transmitter changes the stream status");
        if status == StreamStatus::Enabled {
            stream.status = status;
            stream.reason = reason;
            if let Some(item) = announcement {
                stream.outbox.send(item);
            }
            stream.outbox.release_held();
        } else {
            if let Some(item) = announcement {
                stream.outbox.send(item);
            }
            stream.status = status;
            stream.reason = reason;
            if status == StreamStatus::Disabled {
                stream.outbox.drop_held();
            }
        }
    }
}
