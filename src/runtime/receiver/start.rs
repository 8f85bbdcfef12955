//! A session's set-up: discovery, keys, the delivery opened (its `Source`), the stream
//! (attached, found, created or provisioned out of band), where the stream delivers, the
//! coverage it has, delivery started, the first status read and heartbeat. Every step is told
//! to the UI as it happens.

use std::sync::Arc;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::established::Established;
use super::exchange_log::ExchangeLog;
use super::keys::KeyCache;
use super::management::Management;
use super::session_config::SessionConfig;
use super::setup_plan::{Found, TookStreams, Undo, Want};
use super::shared::{Health, SessionDeps, step};
use super::source::{Setting, Source};
use super::{discovery, session_urls, setup, upkeep};
use crate::core::coverage::{Coverage, Way};
use crate::core::discovery::TransmitterMetadata;
use crate::core::ingest::Expectations;
use crate::core::json;
use crate::core::profile::StreamSetup;
use crate::core::stream::{StreamInfo, Watch, own_stream_description};
use crate::core::update::{NoticeLevel, Update};
use crate::runtime::journal::{Journal, JournalReader};
use crate::runtime::own_streams::OwnStreams;

/// Set the session up, up to receiving by `source`.
/// Every call it makes goes through `log`, whose last exchange is the evidence of a failure.
pub(super) async fn set_up(
    config: &SessionConfig,
    deps: &SessionDeps,
    cancel: &CancellationToken,
    log: &ExchangeLog,
    mut source: Box<dyn Source>,
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
    let setting = Setting {
        config,
        deps,
        cancel,
        log,
        metadata: &metadata,
        keys: &keys,
        expect: &expect,
        health: &health,
        own: own.as_ref(),
    };
    // Opened first (a push endpoint), so the transmitter can deliver as soon as the stream exists.
    let wanted_delivery = source.open(&setting).await?;
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
            tls_refusals: source.tls_refusals(),
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
    // Where its SETs come from, and whether its delivery reaches this receiver.
    let reach = source
        .reach(&setting, &stream_config, audience.as_deref(), &mut no_tls)
        .await?;
    let info = StreamInfo {
        issuer: metadata.issuer.clone(),
        stream_id: stream_id.clone(),
        transport: source.transport(),
        endpoint: reach.endpoint,
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
    let mut coverage = coverage(&metadata, listen_only, reach.delivers_here);
    source.limit_coverage(&mut coverage);
    tell_coverage(deps, key, &coverage).await;
    source.start(&setting);
    let mut established = Established {
        metadata: metadata.clone(),
        stream_id: stream_id.clone(),
        min_verification_interval: stream_config
            .get("min_verification_interval")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        undo: found.undo,
        source,
        // A PUT must send the push authorization the transmitter was given, which reads hide.
        delivery: wanted_delivery,
        delivers_here: reach.delivers_here,
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
