//! Getting SETs to the receiver. Every SET is offered to a stream's outbox, which applies the
//! stream's status (enabled: send, paused: hold, disabled: drop) and its subject and event-type
//! filters. Push streams have a worker that POSTs in order with retries and backoff (RFC 8935);
//! poll streams keep pending and unacknowledged SETs for the poll endpoint (RFC 8936).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

use super::config::StreamConfig;
use super::{Stream, Tx, sets};
use crate::core::events;
use crate::core::stream::StreamStatus;

/// How many SETs a paused stream holds before it drops the oldest.
const HELD_LIMIT: usize = 10_000;
/// How many SETs may wait for the push worker.
const PUSH_QUEUE: usize = 1024;

/// A signed SET on its way, with what the filters need to know about it.
#[derive(Clone, Debug)]
pub(super) struct Outgoing {
    pub jti: String,
    pub token: String,
    pub event_uri: String,
    pub subject: Option<Value>,
}

/// Where a stream's SETs go.
pub(super) enum Outbox {
    /// Handed to the push worker.
    Push {
        queue: mpsc::Sender<Outgoing>,
        held: VecDeque<Outgoing>,
    },
    /// Waiting for the receiver to poll.
    Poll(PollQueue),
}

/// A poll stream's SETs: pending (not yet delivered) and delivered but not acknowledged.
pub(super) struct PollQueue {
    pub pending: VecDeque<Outgoing>,
    pub unacked: Vec<(Outgoing, Instant)>,
    pub held: VecDeque<Outgoing>,
    pub notify: Arc<Notify>,
}

impl Outbox {
    /// An outbox for a push stream, with its worker started.
    pub fn push(
        tx: &Arc<Tx>,
        stream_id: &str,
        config: &StreamConfig,
        cancel: CancellationToken,
    ) -> Self {
        let (queue, rx) = mpsc::channel(PUSH_QUEUE);
        let endpoint = config.delivery.endpoint_url.clone().unwrap_or_default();
        let auth = config.delivery.authorization_header.clone();
        tokio::spawn(push_worker(
            Arc::clone(tx),
            stream_id.to_owned(),
            endpoint,
            auth,
            rx,
            cancel,
        ));
        Self::Push {
            queue,
            held: VecDeque::new(),
        }
    }

    /// An outbox for a poll stream.
    pub fn poll() -> Self {
        Self::Poll(PollQueue {
            pending: VecDeque::new(),
            unacked: Vec::new(),
            held: VecDeque::new(),
            notify: Arc::new(Notify::new()),
        })
    }

    /// Send now, whatever the status (stream-updated announcing a stop goes out this way).
    pub fn send(&mut self, item: Outgoing) {
        match self {
            Self::Push { queue, .. } => {
                if queue.try_send(item).is_err() {
                    tracing::warn!("transmitter: push queue full or closed, SET dropped");
                }
            }
            Self::Poll(poll) => {
                poll.pending.push_back(item);
                poll.notify.notify_one();
            }
        }
    }

    fn hold(&mut self, item: Outgoing) {
        let held = match self {
            Self::Push { held, .. } => held,
            Self::Poll(poll) => &mut poll.held,
        };
        if held.len() >= HELD_LIMIT {
            held.pop_front();
            tracing::warn!("transmitter: paused stream holds {HELD_LIMIT} SETs, oldest dropped");
        }
        held.push_back(item);
    }

    /// The stream was disabled: what it held is lost (SSF §8.1.2: "will not hold any events").
    pub fn drop_held(&mut self) {
        let held = match self {
            Self::Push { held, .. } => held,
            Self::Poll(poll) => &mut poll.held,
        };
        if !held.is_empty() {
            tracing::info!(
                count = held.len(),
                "transmitter: stream disabled, held SETs dropped"
            );
            held.clear();
        }
    }

    /// The stream was enabled again: send what was held, in order.
    pub fn release_held(&mut self) {
        let held: Vec<Outgoing> = match self {
            Self::Push { held, .. } => held.drain(..).collect(),
            Self::Poll(poll) => poll.held.drain(..).collect(),
        };
        for item in held {
            self.send(item);
        }
    }
}

/// Offer a SET to a stream: the event-type and subject filters, then the status decides.
pub(super) fn offer(stream_id: &str, stream: &mut Stream, item: Outgoing) {
    if !stream.config.delivers(&item.event_uri) {
        return;
    }
    if let Some(subject) = &item.subject
        && stream
            .removed_subjects
            .iter()
            .any(|removed| subject_matches(removed, subject))
    {
        tracing::debug!(%stream_id, "transmitter: subject removed from the stream, SET not sent");
        return;
    }
    match stream.status {
        StreamStatus::Enabled | StreamStatus::Unknown => stream.outbox.send(item),
        StreamStatus::Paused => stream.outbox.hold(item),
        StreamStatus::Disabled => {
            tracing::info!(%stream_id, jti = %item.jti, "transmitter: stream disabled, SET dropped");
        }
    }
}

/// SSF §8.1.3.1: simple subjects match when identical; complex ones when every member present on
/// both sides is identical.
pub(super) fn subject_matches(a: &Value, b: &Value) -> bool {
    let complex = |v: &Value| v.get("format").and_then(Value::as_str) == Some("complex");
    match (a.as_object(), b.as_object()) {
        (Some(x), Some(y)) if complex(a) && complex(b) => x
            .iter()
            .filter(|(k, _)| k.as_str() != "format")
            .all(|(k, v)| y.get(k).is_none_or(|w| w == v)),
        (Some(x), _) if complex(a) => x.values().any(|member| member == b),
        (_, Some(y)) if complex(b) => y.values().any(|member| member == a),
        _ => a == b,
    }
}

/// Sign a SET for a stream with the active key.
pub(super) fn signed(
    tx: &Tx,
    config: &StreamConfig,
    event_uri: &str,
    payload: &Value,
    subject: &Value,
) -> Option<Outgoing> {
    let claims = sets::set_claims(&tx.issuer, &config.aud, event_uri, payload, subject).ok()?;
    let keys = tx.keys.lock();
    let token = keys.active()?.sign_set(&claims).ok()?;
    Some(Outgoing {
        jti: claims
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        token,
        event_uri: event_uri.to_owned(),
        subject: Some(subject.clone()),
    })
}

/// A stream-updated SET announcing `status`.
pub(super) fn stream_updated(
    tx: &Tx,
    config: &StreamConfig,
    status: StreamStatus,
    reason: Option<&str>,
) -> Option<Outgoing> {
    let mut payload = serde_json::json!({"status": status.as_str()});
    if let Some(reason) = reason {
        payload["reason"] = Value::from(reason);
    }
    signed(
        tx,
        config,
        events::STREAM_UPDATED,
        &payload,
        &sets::stream_subject(&config.stream_id),
    )
}

async fn push_worker(
    tx: Arc<Tx>,
    stream_id: String,
    endpoint: String,
    auth: Option<String>,
    mut queue: mpsc::Receiver<Outgoing>,
    cancel: CancellationToken,
) {
    loop {
        let item = tokio::select! {
            () = cancel.cancelled() => return,
            item = queue.recv() => item,
        };
        let Some(item) = item else { return };
        if !push_one(&tx, &stream_id, &endpoint, auth.as_deref(), &item, &cancel).await {
            tracing::error!(%stream_id, jti = %item.jti, "transmitter: gave up on a SET after {} attempts", tx.options.max_attempts);
        }
    }
}

/// An error and its causes on one line (a TLS failure says why: unknown CA, wrong name…).
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The POST of one SET (RFC 8935 §2): its media type, and the Authorization the stream names.
fn push_request(
    tx: &Tx,
    endpoint: &str,
    auth: Option<&str>,
    item: &Outgoing,
) -> reqwest::RequestBuilder {
    let request = tx
        .client
        .post(endpoint)
        .header(reqwest::header::CONTENT_TYPE, "application/secevent+jwt")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(item.token.clone());
    match auth {
        Some(auth) => request.header(reqwest::header::AUTHORIZATION, auth),
        None => request,
    }
}

/// POST one SET once, without retrying (the `verify-on-create` push): `Err` says why it did
/// not reach the receiver or was not taken (2xx).
pub(super) async fn push_once(
    tx: &Tx,
    endpoint: &str,
    auth: Option<&str>,
    item: &Outgoing,
) -> Result<(), String> {
    match push_request(tx, endpoint, auth, item).send().await {
        Ok(resp) if resp.status().is_success() => Ok(()),
        Ok(resp) => Err(format!("the receiver answered HTTP {}", resp.status())),
        Err(err) => Err(with_causes(&err)),
    }
}

/// POST one SET, retrying 5xx, 429 and network errors with exponential backoff. True when the
/// receiver took it (202) or refused it for good (4xx: retrying would not help).
async fn push_one(
    tx: &Tx,
    stream_id: &str,
    endpoint: &str,
    auth: Option<&str>,
    item: &Outgoing,
    cancel: &CancellationToken,
) -> bool {
    let mut backoff = tx.options.retry_base;
    for attempt in 1..=tx.options.max_attempts {
        let retry = match push_request(tx, endpoint, auth, item).send().await {
            Ok(resp)
                if resp.status() == StatusCode::ACCEPTED || resp.status() == StatusCode::OK =>
            {
                tracing::info!(%stream_id, jti = %item.jti, attempt, "transmitter: SET pushed");
                return true;
            }
            Ok(resp)
                if resp.status().is_server_error()
                    || resp.status() == StatusCode::TOO_MANY_REQUESTS =>
            {
                format!("HTTP {}", resp.status())
            }
            Ok(resp) => {
                let status = resp.status();
                let body = resp.text().await.unwrap_or_default();
                tracing::warn!(%stream_id, jti = %item.jti, %status, %body, "transmitter: the receiver refused a SET");
                return true;
            }
            Err(err) => with_causes(&err),
        };
        tracing::warn!(%stream_id, jti = %item.jti, attempt, %retry, "transmitter: push failed");
        if attempt == tx.options.max_attempts {
            break;
        }
        tokio::select! {
            () = cancel.cancelled() => return false,
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(Duration::from_secs(60));
    }
    false
}
