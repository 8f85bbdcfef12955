//! A session's set-up: discovery, keys, the push endpoint, the stream (attached, found, created
//! or provisioned out of band), the coverage it has, the first status read and heartbeat, and
//! the poller. Every step is told to the UI as it happens.

use std::sync::Arc;

use parking_lot::RwLock;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::exchange_log::ExchangeLog;
use super::keys::KeyCache;
use super::management::{Management, push_delivery};
use super::push::{PushListener, PushStream};
use super::session::{Established, Health, SessionConfig, SessionDeps, step};
use super::setup::{self, Undo, Want};
use super::{discovery, poll, session_urls, upkeep};
use crate::core::coverage::{Coverage, Way};
use crate::core::discovery::{TransmitterMetadata, delivery_method_for};
use crate::core::ingest::Expectations;
use crate::core::json;
use crate::core::profile::{DeliveryMode, PushTls, StreamSetup};
use crate::core::record::Transport;
use crate::core::stream::{StreamInfo, Watch, own_stream_description};
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::random::{random_hex, random_token};

/// Set the session up, up to receiving.
pub(super) async fn set_up(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
) -> anyhow::Result<Established> {
    let key = &config.key;
    // Nothing is sent to a URL the TLS rule refuses; the plain-http ones accepted are shown.
    let mut no_tls = session_urls::before_discovery(config)?;
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
    let listen_only = config.stream == StreamSetup::ListenOnly;
    if !listen_only && metadata.configuration_endpoint.is_none() {
        anyhow::bail!(
            "the transmitter's metadata has no configuration_endpoint: its streams are provisioned out of band. Listen only (--listen-only) with the push endpoint or poll URL it was given"
        );
    }
    session_urls::of_metadata(config, &metadata, &mut no_tls)?;
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
        rules: config.rules,
    };
    let health = Arc::new(Health::default());
    // Push: open the endpoint first, so the transmitter can deliver as soon as the stream exists.
    let push = match config.delivery {
        DeliveryMode::Push => {
            Some(open_push(config, deps, cancel, (&keys, &health), &expect).await?)
        }
        DeliveryMode::Poll => None,
    };
    let wanted_delivery = match &push {
        Some((endpoint, auth, _)) => push_delivery(
            delivery_method_for(true, &metadata.delivery_methods_supported),
            endpoint,
            auth,
        ),
        None => json!({"method": delivery_method_for(false, &metadata.delivery_methods_supported)}),
    };
    let found = if listen_only {
        setup::Found {
            config: json!({"delivery": wanted_delivery}),
            undo: Undo::Nothing(
                "listened only: the stream was provisioned out of band and is left as it is"
                    .to_owned(),
            ),
            done: "listening only: no management call is made".to_owned(),
            replaced: Vec::new(),
            create_exchange: None,
        }
    } else {
        step(deps, key, "finding the stream").await;
        let (events, defaulted) = requested_events(config, &metadata);
        let want = Want {
            setup: &config.stream,
            options: &config.setup,
            delivery: wanted_delivery.clone(),
            events,
            events_defaulted: defaulted,
            description: own_stream_description(&key.0),
        };
        setup::establish(&management, &want).await?
    };
    let stream_config = found.config;
    deps.updates
        .notice(NoticeLevel::Info, format!("{key}: {}", found.done))
        .await;
    if !found.replaced.is_empty() {
        let replaced = Update::StreamsReplaced {
            key: key.clone(),
            replaced: found.replaced,
            exchange: found.create_exchange,
            at: crate::core::time::UnixMillis::now(),
        };
        deps.updates.send(replaced).await.ok();
    }
    let stream_id = json::string(&stream_config, "stream_id").unwrap_or_default();
    let audience = json::string(&stream_config, "aud").or_else(|| config.audience.clone());
    if let Some((_, _, stream)) = &push {
        stream.expect.write().audience.clone_from(&audience);
    }
    let endpoint = match &push {
        Some((endpoint, _, _)) => {
            warn_if_elsewhere(deps, config, &stream_config, endpoint).await;
            endpoint.clone()
        }
        None => config
            .setup
            .poll_url
            .clone()
            .or_else(|| {
                stream_config
                    .pointer("/delivery/endpoint_url")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default(),
    };
    if push.is_none() && endpoint.is_empty() {
        anyhow::bail!(
            "the stream's configuration names no poll URL (delivery.endpoint_url); give one with --poll-url"
        );
    }
    if push.is_none() {
        session_urls::of_poll_endpoint(config, &endpoint, &mut no_tls)?;
    }
    let info = StreamInfo {
        issuer: metadata.issuer.clone(),
        stream_id: stream_id.clone(),
        transport: if push.is_some() {
            Transport::Push
        } else {
            Transport::Poll
        },
        endpoint: endpoint.clone(),
        events_delivered: json::string_list(&stream_config, "events_delivered"),
        no_tls,
    };
    let configured = Update::StreamConfigured {
        key: key.clone(),
        info,
    };
    deps.updates.send(configured).await.ok();
    // What the receiver found or set up is the baseline later reads are compared with.
    let shown = Update::StreamConfig {
        key: key.clone(),
        config: stream_config.clone(),
        set_by_receiver: true,
    };
    deps.updates.send(shown).await.ok();
    let coverage = coverage(&metadata, listen_only);
    tell_coverage(deps, key, &coverage).await;
    if push.is_none() {
        let poller = poll::Poller {
            key: key.clone(),
            endpoint,
            auth: Arc::clone(&config.auth),
            keys: Arc::clone(&keys),
            expect: Expectations { audience, ..expect },
            deps: deps.clone(),
            log: log.clone(),
            health: Arc::clone(&health),
            interval: config.watch.poll_interval,
        };
        tokio::spawn(poller.run(cancel.clone()));
    }
    let mut established = Established {
        metadata: metadata.clone(),
        stream_id: stream_id.clone(),
        min_verification_interval: stream_config
            .get("min_verification_interval")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        undo: found.undo,
        push: push.map(|(_, _, stream)| stream),
        // A PUT must send the push authorization the transmitter was given, which reads hide.
        delivery: wanted_delivery,
        keys,
        coverage,
        health,
    };
    tell_watch(deps, config).await;
    upkeep::first_reads(&management, deps, key, &mut established).await;
    Ok(established)
}

/// How the stream is watched for silence and heartbeats.
async fn tell_watch(deps: &SessionDeps, config: &SessionConfig) {
    let watch = Watch {
        silence_after_millis: config
            .watch
            .silence_after
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        verification_timeout_millis: i64::try_from(config.watch.verification_timeout.as_millis())
            .unwrap_or(i64::MAX),
    };
    let watch = Update::Watch {
        key: config.key.clone(),
        watch,
    };
    deps.updates.send(watch).await.ok();
}

/// The event types to request, and whether they are the default choice: the profile's, else
/// those the catalogue knows that the metadata says are supported (when it says), else every
/// current type the catalogue knows.
fn requested_events(config: &SessionConfig, metadata: &TransmitterMetadata) -> (Vec<String>, bool) {
    if !config.events_requested.is_empty() {
        return (config.events_requested.clone(), false);
    }
    let known = upkeep::every_event_type();
    let supported = json::string_list(&metadata.document, "events_supported");
    let both: Vec<String> = known
        .iter()
        .filter(|e| supported.contains(e))
        .cloned()
        .collect();
    if both.is_empty() {
        (known, true)
    } else {
        (both, true)
    }
}

type OpenPush = (String, String, Arc<PushStream>);

/// Open the push endpoint: on the profile's address and path, or a free port and a random path.
async fn open_push(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
    (keys, health): (&Arc<KeyCache>, &Arc<Health>),
    expect: &Expectations,
) -> anyhow::Result<OpenPush> {
    step(deps, &config.key, "opening the push endpoint").await;
    let tls = config.setup.push_tls.as_ref();
    let listener = PushListener::bind(
        config.listen,
        tls,
        deps.store.clone(),
        deps.updates.clone(),
        cancel.clone(),
    )
    .await
    .map_err(|err| anyhow::anyhow!("the push endpoint could not be opened: {err:#}"))?;
    let authorization = match &config.push_authorization {
        Some(value) => value.clone(),
        None => format!("Bearer {}", random_token()?),
    };
    crate::core::secrets::register(&authorization);
    let stream = Arc::new(PushStream {
        key: config.key.clone(),
        authorization: authorization.clone(),
        keys: Arc::clone(keys),
        expect: RwLock::new(expect.clone()),
        policy: AlgorithmPolicy::default(),
        fault: RwLock::new(super::push::PushFault::None),
        health: Arc::clone(health),
    });
    let path = match &config.setup.push_path {
        Some(path) => path.clone(),
        None => format!("/push/{}", random_hex(8)?),
    };
    let endpoint = listener.add_stream(&path, Arc::clone(&stream));
    if let (Some(tls), Some(fingerprint)) = (tls, &listener.fingerprint) {
        let text = match tls {
            PushTls::SelfSigned => format!(
                "{}: push endpoint {endpoint} (self-signed certificate, SHA-256 fingerprint {fingerprint}): give the transmitter this certificate or fingerprint to trust",
                config.key
            ),
            PushTls::Files { cert, .. } => format!(
                "{}: push endpoint {endpoint} (certificate from {cert}, SHA-256 fingerprint {fingerprint})",
                config.key
            ),
        };
        deps.updates.notice(NoticeLevel::Info, text).await;
    }
    Ok((endpoint, authorization, stream))
}

/// An attached (or found) push stream that delivers elsewhere cannot reach this receiver.
async fn warn_if_elsewhere(
    deps: &SessionDeps,
    config: &SessionConfig,
    stream_config: &Value,
    endpoint: &str,
) {
    let Some(delivers_to) = stream_config
        .pointer("/delivery/endpoint_url")
        .and_then(Value::as_str)
    else {
        return;
    };
    if delivers_to != endpoint && config.stream != StreamSetup::ListenOnly {
        let text = format!(
            "{}: the stream delivers to {delivers_to}, and this receiver listens at {endpoint}: its SETs will not arrive here unless something forwards them",
            config.key
        );
        deps.updates.notice(NoticeLevel::Error, text).await;
    }
}

/// The ways of noticing a stop this stream has, from its metadata and set-up.
fn coverage(metadata: &TransmitterMetadata, listen_only: bool) -> Coverage {
    let mut coverage = Coverage::full();
    if listen_only {
        let why = "listening only: the receiver makes no management call";
        coverage.lack(Way::StatusReads, why);
        coverage.lack(Way::ConfigReads, why);
        coverage.lack(Way::Heartbeat, why);
        return coverage;
    }
    if metadata.status_endpoint.is_none() {
        coverage.lack(Way::StatusReads, "the metadata has no status_endpoint");
    }
    if metadata.configuration_endpoint.is_none() {
        coverage.lack(
            Way::ConfigReads,
            "the metadata has no configuration_endpoint",
        );
    }
    if metadata.verification_endpoint.is_none() {
        coverage.lack(Way::Heartbeat, "the metadata has no verification_endpoint");
    }
    coverage
}

/// Show the coverage; a missing way is said once as a warning, never a failure.
async fn tell_coverage(
    deps: &SessionDeps,
    key: &crate::core::record::StreamKey,
    coverage: &Coverage,
) {
    deps.updates
        .send(Update::Coverage {
            key: key.clone(),
            coverage: coverage.clone(),
        })
        .await
        .ok();
    if !coverage.missing.is_empty() {
        let text = format!("{key}: coverage is partial: {}", coverage.line());
        deps.updates.notice(NoticeLevel::Error, text).await;
    }
}
