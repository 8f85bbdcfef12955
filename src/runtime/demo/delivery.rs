//! Per-stream delivery: one task pushes SETs in order (RFC 8935) with the stream's
//! authorization header and bounded retries; another plays the scenario into its queue.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Outgoing, Tx, sets};
use crate::core::events;
use crate::core::stream::StreamStatus;

/// Attempts per SET before the transmitter gives up on it.
const MAX_ATTEMPTS: u32 = 4;

pub(super) fn spawn(
    tx: Arc<Tx>,
    stream_id: String,
    endpoint: String,
    queue: mpsc::Receiver<Outgoing>,
    cancel: CancellationToken,
) {
    let sender = tx.streams.lock().get(&stream_id).map(|s| s.queue.clone());
    if let Some(sender) = sender {
        let scenario = play_scenario(Arc::clone(&tx), stream_id.clone(), sender, cancel.clone());
        tokio::spawn(scenario);
    }
    tokio::spawn(deliver(tx, stream_id, endpoint, queue, cancel));
}

async fn deliver(
    tx: Arc<Tx>,
    stream_id: String,
    endpoint: String,
    mut queue: mpsc::Receiver<Outgoing>,
    cancel: CancellationToken,
) {
    let auth = tx.streams.lock().get(&stream_id).and_then(|s| {
        s.config
            .pointer("/delivery/authorization_header")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    });
    let mut held: VecDeque<Outgoing> = VecDeque::new();
    loop {
        let next = tokio::select! {
            () = cancel.cancelled() => return,
            next = queue.recv() => next,
        };
        let Some(item) = next else { return };
        match (tx.status(&stream_id), &item.then) {
            (None, _) => return,
            // A status change announcement goes out even as the stream stops (SSF §8.1.5).
            (Some(StreamStatus::Disabled), None) => {
                tracing::info!(%stream_id, "demo transmitter: stream disabled, SET dropped");
                continue;
            }
            (Some(StreamStatus::Paused), None) => {
                held.push_back(item);
                continue;
            }
            _ => {}
        }
        for ready in held.drain(..).chain(std::iter::once(item)) {
            push_one(&tx, &stream_id, &endpoint, auth.as_deref(), &ready).await;
            if let Some(status) = ready.then {
                let reason = ready
                    .claims
                    .pointer("/events")
                    .and_then(|e| e.as_object())
                    .and_then(|e| {
                        e.values().find_map(|p| {
                            p.get("reason").and_then(|r| r.as_str()).map(str::to_owned)
                        })
                    });
                tx.set_status(&stream_id, status, reason);
            }
        }
    }
}

async fn push_one(tx: &Tx, stream_id: &str, endpoint: &str, auth: Option<&str>, item: &Outgoing) {
    let token = match tx.key.sign_set(&item.claims) {
        Ok(token) => token,
        Err(err) => {
            tracing::error!(%stream_id, "demo transmitter could not sign a SET: {err:#}");
            return;
        }
    };
    let mut backoff = Duration::from_millis(200);
    for attempt in 1..=MAX_ATTEMPTS {
        let mut request = tx
            .client
            .post(endpoint)
            .header(reqwest::header::CONTENT_TYPE, "application/secevent+jwt")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(token.clone());
        if let Some(auth) = auth {
            request = request.header(reqwest::header::AUTHORIZATION, auth);
        }
        let retry = match request.send().await {
            Ok(resp) if resp.status() == StatusCode::ACCEPTED => return,
            Ok(resp)
                if resp.status().is_server_error()
                    || resp.status() == StatusCode::TOO_MANY_REQUESTS =>
            {
                format!("HTTP {}", resp.status())
            }
            Ok(resp) => {
                let status = resp.status();
                let body = resp.text().await.unwrap_or_default();
                tracing::warn!(%stream_id, %status, %body, "demo transmitter: push rejected");
                return;
            }
            Err(err) => format!("{err:#}"),
        };
        tracing::warn!(%stream_id, attempt, %retry, "demo transmitter: push failed, will retry");
        tokio::select! {
            () = tx.cancel.cancelled() => return,
            () = tokio::time::sleep(backoff) => {}
        }
        backoff *= 2;
    }
    tracing::error!(%stream_id, "demo transmitter: gave up on a SET after {MAX_ATTEMPTS} attempts");
}

/// Steady traffic; then, after `disable_after`, the stream is disabled (announced with
/// stream-updated when the transmitter `tells`). Events keep happening and are dropped.
async fn play_scenario(
    tx: Arc<Tx>,
    stream_id: String,
    queue: mpsc::Sender<Outgoing>,
    cancel: CancellationToken,
) {
    let started = tokio::time::Instant::now();
    let aud = tx.audience(&stream_id);
    let mut disabled = false;
    let mut ticker = tokio::time::interval(tx.options.event_interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for n in 0_usize.. {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = ticker.tick() => {}
        }
        if !disabled
            && tx
                .options
                .disable_after
                .is_some_and(|after| started.elapsed() >= after)
        {
            disabled = true;
            disable(&tx, &stream_id, &aud, &queue).await;
        }
        let (uri, payload, subject) = sets::steady_event(n);
        let Ok(claims) = sets::set_claims(&tx.issuer, &aud, &uri, &payload, &subject) else {
            continue;
        };
        if queue.send(Outgoing { claims, then: None }).await.is_err() {
            return;
        }
    }
}

async fn disable(tx: &Tx, stream_id: &str, aud: &str, queue: &mpsc::Sender<Outgoing>) {
    let reason = tx.options.disable_reason.clone();
    if !tx.options.tells {
        tracing::info!(%stream_id, "demo transmitter: disabling the stream silently");
        tx.set_status(stream_id, StreamStatus::Disabled, Some(reason));
        return;
    }
    let payload = serde_json::json!({"status": "disabled", "reason": reason});
    let subject = sets::stream_subject(stream_id);
    if let Ok(claims) =
        sets::set_claims(&tx.issuer, aud, events::STREAM_UPDATED, &payload, &subject)
    {
        tracing::info!(%stream_id, "demo transmitter: disabling the stream (stream-updated sent first)");
        let then = Some(StreamStatus::Disabled);
        queue.send(Outgoing { claims, then }).await.ok();
    }
}
