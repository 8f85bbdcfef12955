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
use super::push_serve::TlsRefusals;
use super::session::{Established, Health, SessionConfig, SessionDeps, step};
use super::setup_plan::{Found, TookStreams, Undo, Want};
use super::{discovery, poll, session_urls, setup, upkeep};
use crate::core::coverage::{Coverage, Way};
use crate::core::discovery::{TransmitterMetadata, delivery_method_for};
use crate::core::ingest::Expectations;
use crate::core::json;
use crate::core::profile::{DeliveryMode, PushTls, StreamSetup};
use crate::core::record::Transport;
use crate::core::stream::{StreamInfo, Watch, own_stream_description};
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::journal::{Journal, JournalReader};
use crate::runtime::own_streams::OwnStreams;
use crate::runtime::random::{random_hex, random_token};

/// Set the session up, up to receiving.
/// Every call it makes goes through `log`, whose last exchange is the evidence of a failure.
pub(super) async fn set_up(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
    log: &ExchangeLog,
) -> anyhow::Result<Established> {
    let key = &config.key;
    // Nothing is sent to a URL the TLS rule refuses; the plain-http ones accepted are shown.
    let mut no_tls = session_urls::before_discovery(config)?;
    step(deps, key, "reading transmitter metadata").await;
    let (metadata, legacy) = discovery::fetch_metadata(
        log,
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
    let keys = Arc::new(KeyCache::fetch(deps.client.clone(), metadata.clone(), log).await?);
    let management = Management {
        client: &deps.client,
        metadata: &metadata,
        auth: &config.auth,
        log,
    };
    let expect = Expectations {
        issuer: Some(metadata.issuer.clone()),
        audience: config.audience.clone(),
        rules: config.rules,
    };
    let health = Arc::new(Health::default());
    // What other processes of this receiver do to the stream (a `stream pause` in a terminal).
    let own = config
        .profile_dir
        .as_deref()
        .map(|dir| Arc::new(JournalReader::new(Journal::in_dir(dir), &key.0)));
    let memory = config.profile_dir.as_deref().map(OwnStreams::in_dir);
    // Push: open the endpoint first, so the transmitter can deliver as soon as the stream exists.
    let push = match config.delivery {
        DeliveryMode::Push => {
            let shared = (&keys, &health, own.as_ref());
            Some(open_push(config, deps, cancel, shared, &expect).await?)
        }
        DeliveryMode::Poll => None,
    };
    let wanted_delivery = match &push {
        Some(OpenPush { endpoint, auth, .. }) => push_delivery(
            delivery_method_for(true, &metadata.delivery_methods_supported),
            endpoint,
            auth,
        ),
        None => json!({"method": delivery_method_for(false, &metadata.delivery_methods_supported)}),
    };
    let found = if listen_only {
        Found::listened_only(&wanted_delivery)
    } else {
        step(deps, key, "finding the stream").await;
        let want = Want {
            setup: &config.stream,
            options: &config.setup,
            delivery: wanted_delivery.clone(),
            events: config.events_requested.clone(),
            supported: json::string_list(&metadata.document, "events_supported"),
            description: own_stream_description(&key.0),
            remembered: memory
                .as_ref()
                .and_then(|m| m.recall(&key.0, &metadata.issuer)),
            tls_refusals: push.as_ref().and_then(|p| p.refusals.clone()),
        };
        establish(&management, &want, deps, key, memory.as_ref()).await?
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
    if let Some(push) = &push {
        push.stream.expect.write().audience.clone_from(&audience);
    }
    // Its delivery reaches this receiver (push to this endpoint, or a poll queue it polls).
    let mut delivers_here = true;
    let endpoint = match &push {
        Some(push) => {
            let elsewhere = warn_if_elsewhere(deps, config, &stream_config, &push.endpoint);
            delivers_here = !elsewhere.await;
            push.endpoint.clone()
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
        exchange: None,
    };
    deps.updates.send(shown).await.ok();
    let coverage = coverage(&metadata, listen_only, delivers_here);
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
            own: own.clone(),
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
        push: push.map(|push| push.stream),
        // A PUT must send the push authorization the transmitter was given, which reads hide.
        delivery: wanted_delivery,
        delivers_here,
        keys,
        coverage,
        health,
        own,
        memory,
    };
    tell_watch(deps, config).await;
    upkeep::first_reads(&management, deps, key, &mut established).await;
    Ok(established)
}

/// Get the stream as the profile says; a failed create that took streams away is that harm,
/// told as such; a stream this run created is remembered for the profile.
async fn establish(
    management: &Management<'_>,
    want: &Want<'_>,
    deps: &SessionDeps,
    key: &crate::core::record::StreamKey,
    memory: Option<&OwnStreams>,
) -> anyhow::Result<Found> {
    let found = match setup::establish(management, want).await {
        Ok(found) => found,
        Err(err) => {
            if let Some(took) = err.downcast_ref::<TookStreams>() {
                let replaced = Update::StreamsReplaced {
                    key: key.clone(),
                    replaced: took.vanished.clone(),
                    exchange: took.exchange,
                    at: crate::core::time::UnixMillis::now(),
                };
                deps.updates.send(replaced).await.ok();
            }
            return Err(err);
        }
    };
    if let (Some(memory), Undo::Delete { stream_id, .. }) = (memory, &found.undo)
        && let Err(err) = memory.remember(&key.0, &management.metadata.issuer, stream_id)
    {
        tracing::warn!("{key}: the stream this run made could not be remembered: {err:#}");
    }
    Ok(found)
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

/// The push endpoint opened for a session.
struct OpenPush {
    /// Its URL.
    endpoint: String,
    /// The Authorization value the transmitter must send.
    auth: String,
    /// What it receives for.
    stream: Arc<PushStream>,
    /// Over TLS: its failed handshakes.
    refusals: Option<Arc<TlsRefusals>>,
}

/// Open the push endpoint: on the profile's address and path, or a free port and a random path.
async fn open_push(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
    (keys, health, own): (&Arc<KeyCache>, &Arc<Health>, Option<&Arc<JournalReader>>),
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
        own: own.cloned(),
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
    Ok(OpenPush {
        endpoint,
        auth: authorization,
        stream,
        refusals: listener.tls_refusals.clone(),
    })
}

/// An attached (or found) push stream that delivers elsewhere cannot reach this receiver:
/// said, and true when so.
async fn warn_if_elsewhere(
    deps: &SessionDeps,
    config: &SessionConfig,
    stream_config: &Value,
    endpoint: &str,
) -> bool {
    let Some(delivers_to) = stream_config
        .pointer("/delivery/endpoint_url")
        .and_then(Value::as_str)
    else {
        return false;
    };
    if delivers_to != endpoint && config.stream != StreamSetup::ListenOnly {
        let text = format!(
            "{}: the stream delivers to {delivers_to}, and this receiver listens at {endpoint}: its SETs will not arrive here unless something forwards them, and no verification is asked for (it would go there)",
            config.key
        );
        deps.updates.notice(NoticeLevel::Error, text).await;
        return true;
    }
    false
}

/// The ways of noticing a stop this stream has, from its metadata and set-up.
fn coverage(metadata: &TransmitterMetadata, listen_only: bool, delivers_here: bool) -> Coverage {
    let mut coverage = Coverage::full();
    if !delivers_here {
        // Its verification SET would be pushed where it delivers, to that receiver.
        coverage.lack(
            Way::Heartbeat,
            "the stream delivers elsewhere: a verification SET would go to that receiver, so none is asked for",
        );
    }
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
