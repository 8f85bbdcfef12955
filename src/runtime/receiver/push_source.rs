//! Push delivery as a `Source`: the RFC 8935 endpoint opened before the stream exists (on the
//! profile's address and path, or a free port and a random path; over TLS when asked), the
//! stream's audience set once known, and a stream found delivering elsewhere said.

use std::sync::Arc;

use parking_lot::RwLock;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::keys::KeyCache;
use super::management::push_delivery;
use super::push::{PushFault, PushListener, PushStream};
use super::push_serve::TlsRefusals;
use super::session_config::SessionConfig;
use super::shared::{Health, SessionDeps, step};
use super::source::{BoxFuture, Reach, Setting, Source};
use crate::core::discovery::delivery_method_for;
use crate::core::ingest::Expectations;
use crate::core::profile::{PushTls, StreamSetup};
use crate::core::record::Transport;
use crate::core::tls_rule::NoTls;
use crate::core::update::NoticeLevel;
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::journal::JournalReader;
use crate::runtime::random::{random_hex, random_token};

/// Push: the endpoint, once open.
#[derive(Default)]
pub struct PushSource {
    opened: Option<OpenPush>,
}

impl Source for PushSource {
    fn transport(&self) -> Transport {
        Transport::Push
    }

    fn open<'a>(&'a mut self, at: &'a Setting<'a>) -> BoxFuture<'a, anyhow::Result<Value>> {
        Box::pin(async move {
            let shared = (at.keys, at.health, at.own);
            let push = open_push(at.config, at.deps, at.cancel, shared, at.expect).await?;
            let method = delivery_method_for(true, &at.metadata.delivery_methods_supported);
            let delivery = push_delivery(method, &push.endpoint, &push.auth);
            self.opened = Some(push);
            Ok(delivery)
        })
    }

    fn tls_refusals(&self) -> Option<Arc<TlsRefusals>> {
        self.opened.as_ref().and_then(|push| push.refusals.clone())
    }

    fn reach<'a>(
        &'a mut self,
        at: &'a Setting<'a>,
        stream: &'a Value,
        audience: Option<&'a str>,
        _no_tls: &'a mut Vec<NoTls>,
    ) -> BoxFuture<'a, anyhow::Result<Reach>> {
        Box::pin(async move {
            let Some(push) = &self.opened else {
                anyhow::bail!("the push endpoint was not opened");
            };
            push.stream.expect.write().audience = audience.map(str::to_owned);
            let elsewhere = warn_if_elsewhere(at.deps, at.config, stream, &push.endpoint).await;
            Ok(Reach {
                endpoint: push.endpoint.clone(),
                delivers_here: !elsewhere,
            })
        })
    }

    /// The endpoint receives since it was opened.
    fn start(&mut self, _at: &Setting<'_>) {}

    fn set_push_fault(&self, fault: PushFault) -> bool {
        let Some(push) = &self.opened else {
            return false;
        };
        *push.stream.fault.write() = fault;
        true
    }
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
        fault: RwLock::new(PushFault::None),
        health: Arc::clone(health),
        own: own.cloned(),
    });
    let path = match &config.setup.push_path {
        Some(path) => path.clone(),
        None => format!("/push/{}", random_hex(8)?),
    };
    let endpoint = listener.add_stream(&path, Arc::clone(&stream));
    crate::runtime::own_push::remember(&endpoint, &authorization);
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
