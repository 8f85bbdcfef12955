//! One watched stream, end to end: discovery, keys, the stream (found or created, by push or
//! poll), the first status read, a verification request, then delivery until stopped. Every step
//! is reported to the UI as it happens; a failure says what to check. On stop the stream is left
//! as it was found (a stream the session created is deleted, a changed one is restored).

use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::exchange_log::ExchangeLog;
use super::keys::KeyCache;
use super::management::{Management, push_delivery};
use super::operations::{self, StreamOp};
use super::push::{PushListener, PushStream};
use super::{discovery, poll, setup, upkeep};
use crate::bridge::UpdateSender;
use crate::core::discovery::is_loopback;
use crate::core::ingest::Expectations;
use crate::core::json;
use crate::core::marker::{Marker, MarkerKind};
use crate::core::profile::DeliveryMode;
use crate::core::record::{StreamKey, Transport};
use crate::core::stream::{Connection, StreamInfo, Watch};
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::random::{random_hex, random_token};
use crate::runtime::record::RecordStore;

pub use super::session_config::{SessionConfig, WatchSettings};

/// Shared services a session uses.
#[derive(Clone)]
pub struct SessionDeps {
    /// HTTP client (built with the profile's TLS settings).
    pub client: reqwest::Client,
    /// The record.
    pub store: RecordStore,
    /// To the UI.
    pub updates: UpdateSender,
}

/// A session that is up: what it needs to clean up after itself.
pub(super) struct Established {
    pub(super) metadata: crate::core::discovery::TransmitterMetadata,
    pub(super) stream_id: String,
    pub(super) min_verification_interval: u64,
    pub(super) undo: setup::Undo,
    pub(super) push: Option<Arc<PushStream>>,
    /// The delivery the receiver set (what a PUT sends back).
    pub(super) delivery: Value,
    pub(super) keys: Arc<KeyCache>,
}

/// Run a session until `cancel` fires.
pub async fn run_session(
    config: SessionConfig,
    deps: SessionDeps,
    cancel: CancellationToken,
    mut ops: tokio::sync::mpsc::Receiver<StreamOp>,
) {
    let key = config.key.clone();
    deps.updates
        .send(Update::StreamAdded {
            key: key.clone(),
            label: config.label.clone(),
        })
        .await
        .ok();
    // The record shows the receiver's own coverage: started here, stopped at the end (a crash
    // leaves no "stopped"; the next start of the record marks that run "lost").
    mark(&deps, &key, MarkerKind::Started).await;
    match set_up(&config, &deps, &cancel).await {
        Ok(established) => {
            let log = ExchangeLog {
                store: deps.store.clone(),
                updates: deps.updates.clone(),
                stream: Some(key.clone()),
            };
            let management = Management {
                client: &deps.client,
                metadata: &established.metadata,
                auth: &config.auth,
                log: &log,
            };
            let min_verification = Duration::from_secs(established.min_verification_interval);
            // A second of margin: asking exactly at min_verification_interval may be answered 429.
            let verify_every = config
                .watch
                .verification_interval
                .max(min_verification + Duration::from_secs(1));
            let start = tokio::time::Instant::now();
            let mut status_tick = tokio::time::interval_at(
                start + config.watch.status_interval,
                config.watch.status_interval,
            );
            let mut verify_tick = tokio::time::interval_at(start + verify_every, verify_every);
            // A late tick (a slow status read) must not be followed by a burst of catch-up ticks.
            status_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            verify_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let op = tokio::select! {
                    () = cancel.cancelled() => break,
                    _ = status_tick.tick() => {
                        upkeep::watch_status(&management, &deps, &key, &established.stream_id).await;
                        // The key in use must still be published: a removal, or a JWKS that
                        // cannot be fetched, is found here rather than at the next SET.
                        established.keys.check().await;
                        continue;
                    }
                    _ = verify_tick.tick() => {
                        upkeep::heartbeat(&management, &deps, &key, &established.stream_id).await;
                        continue;
                    }
                    op = ops.recv() => op,
                };
                let Some(op) = op else {
                    cancel.cancelled().await;
                    break;
                };
                if let StreamOp::SetPushFault(fault) = op {
                    let text = match &established.push {
                        Some(push) => {
                            *push.fault.write() = fault;
                            format!("{key}: push endpoint fault set to {fault:?}")
                        }
                        None => format!("{key} is a poll stream: no push endpoint to fault"),
                    };
                    deps.updates
                        .notice(crate::core::update::NoticeLevel::Info, text)
                        .await;
                    continue;
                }
                let target = operations::Target {
                    key: &key,
                    stream_id: &established.stream_id,
                    delivery: &established.delivery,
                };
                operations::perform(op, &management, &deps, &target).await;
            }
            if config.leave_as_found {
                upkeep::leave_as_found(&config, &deps, established).await;
            }
            mark(&deps, &key, MarkerKind::Stopped).await;
            tell_connection(&deps, &key, Connection::Stopped).await;
        }
        Err(err) => {
            let connection = Connection::Failed(format!("{err:#}"));
            tell_connection(&deps, &key, connection).await;
            mark(&deps, &key, MarkerKind::Stopped).await;
        }
    }
}

/// Record a receiver marker and show it on the timeline.
async fn mark(deps: &SessionDeps, key: &StreamKey, kind: MarkerKind) {
    let marker = Marker {
        stream: key.clone(),
        kind,
        at: UnixMillis::now(),
    };
    if let Err(err) = deps.store.append_marker(&marker).await {
        tracing::warn!("the receiver marker could not be recorded: {err}");
    }
    deps.updates.send(Update::Marker(marker)).await.ok();
}

/// Show the receiver's connection to a stream.
pub(super) async fn tell_connection(deps: &SessionDeps, key: &StreamKey, connection: Connection) {
    deps.updates
        .send(Update::Connection {
            key: key.clone(),
            connection,
        })
        .await
        .ok();
}

async fn step(deps: &SessionDeps, key: &StreamKey, what: &str) {
    let connection = Connection::Connecting(what.to_owned());
    tell_connection(deps, key, connection).await;
}

async fn set_up(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
) -> anyhow::Result<Established> {
    let key = &config.key;
    if config.issuer.starts_with("http://")
        && !is_loopback(&config.issuer)
        && !config.allow_insecure_http
    {
        anyhow::bail!(
            "the issuer {} is plain http; only loopback transmitters may skip TLS unless the profile allows it",
            config.issuer
        );
    }
    let log = ExchangeLog {
        store: deps.store.clone(),
        updates: deps.updates.clone(),
        stream: Some(key.clone()),
    };
    step(deps, key, "reading transmitter metadata").await;
    let (metadata, legacy) = discovery::fetch_metadata(
        &log,
        &deps.client,
        &config.issuer,
        config.metadata_url.as_deref(),
    )
    .await?;
    if let Some(location) = legacy {
        let text = format!(
            "{key}: the transmitter serves its metadata at the legacy /.well-known/{location} (SSF 1.0 uses ssf-configuration)"
        );
        deps.updates.notice(NoticeLevel::Info, text).await;
    }
    let shown = Update::Metadata {
        key: key.clone(),
        document: metadata.document.clone(),
        legacy: legacy.map(str::to_owned),
    };
    deps.updates.send(shown).await.ok();
    step(deps, key, "fetching signing keys").await;
    let keys = Arc::new(KeyCache::fetch(deps.client.clone(), metadata.clone(), log.clone()).await?);
    let management = Management {
        client: &deps.client,
        metadata: &metadata,
        auth: &config.auth,
        log: &log,
    };
    let expect = Expectations {
        issuer: Some(metadata.issuer.clone()),
        audience: config.audience.clone(),
    };

    // Push: open the endpoint first, so the transmitter can deliver as soon as the stream exists.
    let push = match config.delivery {
        DeliveryMode::Push => {
            step(deps, key, "opening the push endpoint").await;
            let listener = PushListener::bind(
                config.listen,
                deps.store.clone(),
                deps.updates.clone(),
                cancel.clone(),
            )
            .await
            .map_err(|err| {
                anyhow::anyhow!(
                    "could not listen on {}: {err:#}; choose another listen address",
                    config.listen
                )
            })?;
            let authorization = match &config.push_authorization {
                Some(value) => value.clone(),
                None => format!("Bearer {}", random_token()?),
            };
            let stream = Arc::new(PushStream {
                key: key.clone(),
                authorization: authorization.clone(),
                keys: Arc::clone(&keys),
                expect: RwLock::new(expect.clone()),
                policy: AlgorithmPolicy::default(),
                fault: RwLock::new(super::push::PushFault::None),
            });
            let endpoint = listener.add_stream(&random_hex(8)?, Arc::clone(&stream));
            Some((endpoint, authorization, stream))
        }
        DeliveryMode::Poll => None,
    };
    step(deps, key, "finding or creating the stream").await;
    let wanted_delivery = push
        .as_ref()
        .map(|(endpoint, auth, _)| push_delivery(endpoint, auth));
    let requested = if config.events_requested.is_empty() {
        upkeep::every_event_type()
    } else {
        config.events_requested.clone()
    };
    let (stream_config, undo) = setup::find_or_create(
        &management,
        wanted_delivery.clone(),
        &requested,
        &crate::core::stream::own_stream_description(&key.0),
    )
    .await?;
    let Some(stream_id) = json::string(&stream_config, "stream_id") else {
        anyhow::bail!("the transmitter's stream configuration has no stream_id");
    };
    let audience = json::string(&stream_config, "aud").or_else(|| config.audience.clone());
    if let Some((_, _, stream)) = &push {
        stream.expect.write().audience.clone_from(&audience);
    }
    let transport = if push.is_some() {
        Transport::Push
    } else {
        Transport::Poll
    };
    let endpoint = match &push {
        Some((endpoint, _, _)) => endpoint.clone(),
        None => stream_config
            .pointer("/delivery/endpoint_url")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    };
    let info = StreamInfo {
        issuer: metadata.issuer.clone(),
        stream_id: stream_id.clone(),
        transport,
        endpoint: endpoint.clone(),
        events_delivered: json::string_list(&stream_config, "events_delivered"),
        insecure_http: metadata.issuer.starts_with("http://"),
    };
    deps.updates
        .send(Update::StreamConfigured {
            key: key.clone(),
            info,
        })
        .await
        .ok();
    // What the receiver found or set up is the baseline later reads are compared with.
    let delivery = stream_config
        .get("delivery")
        .cloned()
        .unwrap_or(Value::Null);
    deps.updates
        .send(Update::StreamConfig {
            key: key.clone(),
            config: stream_config.clone(),
            set_by_receiver: true,
        })
        .await
        .ok();
    upkeep::read_status(&management, deps, key, &stream_id).await?;
    tell_connection(deps, key, Connection::Connected).await;
    if push.is_none() {
        let expect = Expectations { audience, ..expect };
        let poller = poll::Poller {
            key: key.clone(),
            endpoint,
            auth: Arc::clone(&config.auth),
            keys: Arc::clone(&keys),
            expect,
            deps: deps.clone(),
            log: log.clone(),
        };
        tokio::spawn(poller.run(cancel.clone()));
    }
    upkeep::heartbeat(&management, deps, key, &stream_id).await;
    // A PUT must send the push authorization the transmitter was given, which reads may hide.
    let delivery = wanted_delivery.unwrap_or(delivery);
    let push = push.map(|(_, _, stream)| stream);
    let min_verification_interval = stream_config
        .get("min_verification_interval")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let watch = Watch {
        silence_after_millis: config
            .watch
            .silence_after
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        verification_timeout_millis: i64::try_from(config.watch.verification_timeout.as_millis())
            .unwrap_or(i64::MAX),
    };
    deps.updates
        .send(Update::Watch {
            key: key.clone(),
            watch,
        })
        .await
        .ok();
    Ok(Established {
        metadata,
        stream_id,
        min_verification_interval,
        undo,
        push,
        delivery,
        keys,
    })
}
