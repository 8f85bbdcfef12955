//! RFC 8936 poll delivery: long polls the transmitter's endpoint, stores each SET, acknowledges
//! only what is stored, reports rejected ones in `setErrs`, drains `moreAvailable` at once, and
//! backs off with jitter on failure (each failure shown as the stream's connection state).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use super::auth::Auth;
use super::exchange_log::ExchangeLog;
use super::keys::KeyCache;
use super::session::SessionDeps;
use crate::core::ingest::{self, Arrival, Expectations};
use crate::core::record::{StreamKey, Transport};
use crate::core::stream::Connection;
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::core::verify::{AlgorithmPolicy, Verdict};

/// SETs asked for per poll.
const MAX_EVENTS: u64 = 100;
/// How long one (long) poll may take before the receiver gives up on it.
const POLL_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait between failed polls.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// A poll loop for one stream.
pub struct Poller {
    /// Local stream name.
    pub key: StreamKey,
    /// The transmitter's poll URL.
    pub endpoint: String,
    /// Bearer token for the poll endpoint.
    pub auth: Arc<Auth>,
    /// Keys to verify with.
    pub keys: Arc<KeyCache>,
    /// Issuer and audience expectations.
    pub expect: Expectations,
    /// Client, store, UI.
    pub deps: SessionDeps,
    /// Where the poll exchanges are kept.
    pub log: ExchangeLog,
}

impl Poller {
    /// Poll until `cancel` fires; then send the last acknowledgements.
    pub async fn run(self, cancel: CancellationToken) {
        let mut acks: Vec<String> = Vec::new();
        let mut errors = Map::new();
        let mut backoff = Duration::from_secs(1);
        let mut failing = false;
        loop {
            let body = request_body(&acks, &errors, false);
            let outcome = tokio::select! {
                () = cancel.cancelled() => break,
                outcome = self.poll_once(&body) => outcome,
            };
            match outcome {
                Ok((sets, more, exchange)) => {
                    acks.clear();
                    errors.clear();
                    backoff = Duration::from_secs(1);
                    if failing {
                        failing = false;
                        self.connection(Connection::Connected).await;
                    }
                    self.store_all(sets, exchange, &mut acks, &mut errors).await;
                    if !more && acks.is_empty() && errors.is_empty() {
                        continue;
                    }
                }
                Err(err) => {
                    failing = true;
                    let wait = jittered(backoff);
                    self.connection(Connection::Failed(format!(
                        "{err:#}; polling again in {} s",
                        wait.as_secs().max(1)
                    )))
                    .await;
                    tokio::select! {
                        () = cancel.cancelled() => break,
                        () = tokio::time::sleep(wait) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        if !acks.is_empty() || !errors.is_empty() {
            let body = request_body(&acks, &errors, true);
            tokio::time::timeout(Duration::from_secs(5), self.poll_once(&body))
                .await
                .ok();
        }
    }

    async fn connection(&self, connection: Connection) {
        self.deps
            .updates
            .send(Update::Connection {
                key: self.key.clone(),
                connection,
            })
            .await
            .ok();
    }

    /// One poll: the SETs, whether more are available, and the exchange's record id.
    async fn poll_once(&self, body: &Value) -> anyhow::Result<(Map<String, Value>, bool, u64)> {
        let mut request = self
            .deps
            .client
            .post(&self.endpoint)
            .timeout(POLL_TIMEOUT)
            .json(body);
        if body.get("setErrs").is_some() {
            request = request.header(reqwest::header::CONTENT_LANGUAGE, "en");
        }
        if let Some(token) = self.auth.token(&self.deps.client, &self.log).await? {
            request = request.bearer_auth(token);
        }
        let response = self
            .log
            .send(&self.deps.client, request)
            .await
            .map_err(crate::runtime::net::cause::at_poll_url)?;
        let status = response.status;
        if !status.is_success() {
            let hint = match status.as_u16() {
                401 | 403 => " (access to the stream was refused or revoked)",
                404 | 410 => " (the stream is gone)",
                _ => "",
            };
            anyhow::bail!("the poll endpoint answered HTTP {status}{hint}");
        }
        let reply: Value = response.json()?;
        let Some(sets) = reply.get("sets").and_then(Value::as_object) else {
            anyhow::bail!("the poll answer has no \"sets\" object (RFC 8936 §2.5)");
        };
        let more = reply
            .get("moreAvailable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok((sets.clone(), more, response.exchange))
    }

    /// Store every SET; acknowledge the stored and accepted ones, report the rejected ones.
    /// A SET that could not be stored is neither acknowledged nor reported: it will come again.
    async fn store_all(
        &self,
        sets: Map<String, Value>,
        exchange: u64,
        acks: &mut Vec<String>,
        errors: &mut Map<String, Value>,
    ) {
        for (jti, token) in sets {
            let raw = token
                .as_str()
                .map_or_else(|| token.to_string(), str::to_owned);
            let arrival = Arrival {
                stream: self.key.clone(),
                transport: Transport::Poll,
                received_at: UnixMillis::now(),
            };
            let policy = AlgorithmPolicy::default();
            let mut record = ingest::inspect(
                raw.clone(),
                arrival.clone(),
                &self.keys.current(),
                &policy,
                &self.expect,
            );
            if record.verification.verdict == Verdict::UnknownKey && self.keys.refresh().await {
                record = ingest::inspect(raw, arrival, &self.keys.current(), &policy, &self.expect);
            }
            record.exchange = Some(exchange);
            // Acknowledge only what is durably stored; an unstored SET comes again later.
            let stored = match self.deps.store.append(record).await {
                Ok(stored) => stored,
                Err(err) => {
                    let text = format!(
                        "A polled SET on {} could not be stored and was not acknowledged: {err}",
                        self.key
                    );
                    self.deps
                        .updates
                        .notice(crate::core::update::NoticeLevel::Error, text)
                        .await;
                    continue;
                }
            };
            match &stored.rejection {
                None => acks.push(jti),
                Some(rejection) => {
                    errors.insert(
                        jti,
                        json!({"err": rejection.err, "description": rejection.description}),
                    );
                }
            }
            self.deps.updates.send(Update::Set(stored)).await.ok();
        }
    }
}

fn request_body(acks: &[String], errors: &Map<String, Value>, ack_only: bool) -> Value {
    let mut body = json!({"ack": acks, "returnImmediately": ack_only, "maxEvents": if ack_only { 0 } else { MAX_EVENTS }});
    if !errors.is_empty() {
        body["setErrs"] = Value::Object(errors.clone());
    }
    body
}

/// The delay plus up to a quarter of it at random, so many receivers do not retry in step.
fn jittered(delay: Duration) -> Duration {
    let mut byte = [0_u8; 1];
    aws_lc_rs::rand::SecureRandom::fill(&aws_lc_rs::rand::SystemRandom::new(), &mut byte).ok();
    delay + delay / 4 * u32::from(byte[0]) / 255
}
