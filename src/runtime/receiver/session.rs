//! One watched stream, end to end: discovery, keys, a push endpoint, stream creation, the first
//! status read and a verification request. Every step is reported to the UI as it happens, and
//! a failure says what to check.

use std::net::SocketAddr;
use std::sync::Arc;

use parking_lot::RwLock;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::discovery;
use super::management::Management;
use super::push::{PushListener, PushStream};
use crate::bridge::UpdateSender;
use crate::core::discovery::is_loopback;
use crate::core::ingest::Expectations;
use crate::core::json;
use crate::core::record::{StreamKey, Transport};
use crate::core::stream::{Connection, StatusSource, StreamInfo, StreamStatus};
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::random::{random_hex, random_token};
use crate::runtime::store::MemoryStore;

/// What a push session needs to know.
#[derive(Clone)]
pub struct SessionConfig {
    /// Local stream name.
    pub key: StreamKey,
    /// Label for the screen.
    pub label: String,
    /// Transmitter issuer URL.
    pub issuer: String,
    /// Management bearer token (never logged).
    pub management_token: String,
    /// Where the push listener binds (port 0 for any free port).
    pub listen: SocketAddr,
    /// Event types to ask for.
    pub events_requested: Vec<String>,
}

impl std::fmt::Debug for SessionConfig {
    /// The management token is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionConfig")
            .field("key", &self.key)
            .field("issuer", &self.issuer)
            .field("management_token", &"<redacted>")
            .field("listen", &self.listen)
            .finish_non_exhaustive()
    }
}

/// Shared services a session uses.
#[derive(Clone)]
pub struct SessionDeps {
    /// HTTP client.
    pub client: reqwest::Client,
    /// The record.
    pub store: Arc<MemoryStore>,
    /// To the UI.
    pub updates: UpdateSender,
}

/// Run a push session until `cancel` fires.
pub async fn run_push_session(config: SessionConfig, deps: SessionDeps, cancel: CancellationToken) {
    let key = config.key.clone();
    let added = Update::StreamAdded {
        key: key.clone(),
        label: config.label.clone(),
    };
    deps.updates.send(added).await.ok();
    if let Err(err) = set_up(&config, &deps, &cancel).await {
        let connection = Connection::Failed(format!("{err:#}"));
        deps.updates
            .send(Update::Connection { key, connection })
            .await
            .ok();
        return;
    }
    cancel.cancelled().await;
    let stopped = Update::Connection {
        key,
        connection: Connection::Stopped,
    };
    deps.updates.send(stopped).await.ok();
}

async fn step(deps: &SessionDeps, key: &StreamKey, what: &str) {
    let connection = Connection::Connecting(what.to_owned());
    deps.updates
        .send(Update::Connection {
            key: key.clone(),
            connection,
        })
        .await
        .ok();
}

async fn set_up(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
) -> anyhow::Result<()> {
    let key = &config.key;
    if config.issuer.starts_with("http://") && !is_loopback(&config.issuer) {
        anyhow::bail!(
            "the issuer {} is plain http; only loopback transmitters may skip TLS",
            config.issuer
        );
    }
    step(deps, key, "reading transmitter metadata").await;
    let metadata = discovery::fetch_metadata(&deps.client, &config.issuer).await?;
    step(deps, key, "fetching signing keys").await;
    let keys = discovery::fetch_keys(&deps.client, &metadata).await?;
    step(deps, key, "opening the push endpoint").await;
    let listener = PushListener::bind(
        config.listen,
        Arc::clone(&deps.store),
        deps.updates.clone(),
        cancel.clone(),
    )
    .await
    .map_err(|err| anyhow::anyhow!("could not listen on {}: {err:#}", config.listen))?;
    let authorization = format!("Bearer {}", random_token()?);
    let stream = Arc::new(PushStream {
        key: key.clone(),
        authorization: authorization.clone(),
        keys: RwLock::new(Arc::new(keys)),
        expect: RwLock::new(Expectations {
            issuer: Some(metadata.issuer.clone()),
            audience: None,
        }),
        policy: AlgorithmPolicy::default(),
    });
    let endpoint = listener.add_stream(&random_hex(8)?, Arc::clone(&stream));
    step(deps, key, "creating the stream").await;
    let management = Management {
        client: &deps.client,
        metadata: &metadata,
        token: &config.management_token,
    };
    let requested: Vec<&str> = config.events_requested.iter().map(String::as_str).collect();
    let created = management
        .create_push_stream(&endpoint, &authorization, &requested)
        .await?;
    let Some(stream_id) = created
        .get("stream_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        anyhow::bail!("the transmitter created a stream but its response has no stream_id");
    };
    if let Some(aud) = created.get("aud").and_then(Value::as_str) {
        stream.expect.write().audience = Some(aud.to_owned());
    }
    let events_delivered = json::string_list(&created, "events_delivered");
    let info = StreamInfo {
        issuer: metadata.issuer.clone(),
        stream_id: stream_id.clone(),
        transport: Transport::Push,
        endpoint,
        events_delivered,
        insecure_http: metadata.issuer.starts_with("http://"),
    };
    deps.updates
        .send(Update::StreamConfigured {
            key: key.clone(),
            info,
        })
        .await
        .ok();
    let status = management.read_status(&stream_id).await?;
    if let Some(parsed) = status
        .get("status")
        .and_then(Value::as_str)
        .and_then(StreamStatus::parse)
    {
        let update = Update::Status {
            key: key.clone(),
            status: parsed,
            reason: status
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_owned),
            source: StatusSource::StatusRead,
            at: UnixMillis::now(),
        };
        deps.updates.send(update).await.ok();
    }
    deps.updates
        .send(Update::Connection {
            key: key.clone(),
            connection: Connection::Connected,
        })
        .await
        .ok();
    let state = random_token()?;
    management.request_verification(&stream_id, &state).await?;
    let text =
        format!("Verification requested on {key}; the transmitter will send a verification SET");
    deps.updates.notice(NoticeLevel::Info, text).await;
    Ok(())
}
