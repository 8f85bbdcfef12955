//! The poll endpoint (RFC 8936): acknowledgements, error reports, redelivery of unacknowledged
//! SETs, `maxEvents`, `returnImmediately` or a long poll, and `moreAvailable`; with the quirks
//! `no-long-poll` (404 unless `returnImmediately`), `immediate-poll` (never waits), `ignores-ack`
//! (reads `acks`), `ignores-set-errs` (a refused SET stays owed), `ignores-max-events` (every SET
//! waiting in one answer), `empty-more-available` (an empty answer says there is more) and
//! `config-without-id` (the one stream, whatever the URL names).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::quirked::target;
use super::{Shared, authorize, error, json_body, json_response};
use crate::runtime::transmitter::config::ApiError;
use crate::runtime::transmitter::delivery::Outbox;
use crate::runtime::transmitter::{Quirk, Quirks, Tx};

/// What one poll request asks.
struct PollRequest {
    max_events: Option<usize>,
    return_immediately: bool,
    acks: Vec<String>,
    errors: Map<String, Value>,
}

fn parse(body: &Value, quirks: Quirks) -> Result<PollRequest, ApiError> {
    let max_events = match body.get("maxEvents") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| ApiError::bad_request("maxEvents must be a non-negative integer"))?,
        ),
    };
    let return_immediately = match body.get("returnImmediately") {
        None | Some(Value::Null) => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| ApiError::bad_request("returnImmediately must be a boolean"))?,
    };
    // ignores-ack: acknowledgements are looked for under a name no receiver sends.
    let ack_member = if quirks.has(Quirk::IgnoresAck) {
        "acks"
    } else {
        "ack"
    };
    let acks = match body.get(ack_member) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{ack_member} must be an array of jti strings"
            )));
        }
    };
    let errors = match body.get("setErrs") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => {
            return Err(ApiError::bad_request(
                "setErrs must be an object of jti → {err, description}",
            ));
        }
    };
    Ok(PollRequest {
        max_events,
        return_immediately,
        acks,
        errors,
    })
}

/// The SETs taken, whether more are pending, and the stream's wake-up for a long poll.
type Taken = (
    Map<String, Value>,
    bool,
    Option<std::sync::Arc<tokio::sync::Notify>>,
);

/// Apply acks and errors, requeue overdue unacknowledged SETs, and take up to `maxEvents` SETs.
fn take(tx: &Tx, stream_id: &str, request: &PollRequest) -> Result<Taken, ApiError> {
    let mut streams = tx.streams.lock();
    let stream = streams.get_mut(stream_id).ok_or_else(ApiError::no_stream)?;
    stream.last_activity = Instant::now();
    let Outbox::Poll(queue) = &mut stream.outbox else {
        return Err(ApiError::bad_request(
            "this stream delivers by push, not poll",
        ));
    };
    // ignores-set-errs: a SET reported in setErrs stays owed, and comes again.
    let errors_answer = !tx.quirks().has(Quirk::IgnoresSetErrs);
    queue.unacked.retain(|(item, _)| {
        let answered = request.acks.contains(&item.jti)
            || (errors_answer && request.errors.contains_key(&item.jti));
        !answered
    });
    for (jti, report) in &request.errors {
        tracing::warn!(%stream_id, %jti, %report, "transmitter: the receiver reported a SET error");
    }
    // Redeliver what was not acknowledged in time, oldest first, before anything new.
    let overdue_after = tx.options.redelivery_after;
    let (overdue, waiting): (Vec<_>, Vec<_>) = queue
        .unacked
        .drain(..)
        .partition(|(_, at)| at.elapsed() >= overdue_after);
    queue.unacked = waiting;
    for (item, _) in overdue.into_iter().rev() {
        queue.pending.push_front(item);
    }
    // ignores-max-events: everything waiting, whatever was asked.
    let max = match request.max_events {
        Some(max) if !tx.quirks().has(Quirk::IgnoresMaxEvents) => max,
        _ => usize::MAX,
    };
    let mut sets = Map::new();
    while sets.len() < max {
        let Some(item) = queue.pending.pop_front() else {
            break;
        };
        sets.insert(item.jti.clone(), Value::from(item.token.clone()));
        queue.unacked.push((item, Instant::now()));
    }
    Ok((
        sets,
        !queue.pending.is_empty(),
        Some(std::sync::Arc::clone(&queue.notify)),
    ))
}

/// `POST {issuer}/poll/{stream_id}`.
pub(super) async fn poll(
    State(tx): State<Shared>,
    Path(stream_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&tx, Some(stream_id), &headers, &body).await
}

/// `POST {issuer}/poll`: the one stream's with `config-without-id`, else no stream.
pub(super) async fn poll_the_one(
    State(tx): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&tx, None, &headers, &body).await
}

async fn answer(tx: &Shared, named: Option<String>, headers: &HeaderMap, body: &[u8]) -> Response {
    or_answer!(authorize(tx, headers, true));
    let quirks = tx.quirks();
    let stream_id = or_answer!(match named {
        None if !quirks.has(Quirk::ConfigWithoutId) => Err(ApiError::no_stream()),
        named => target(tx, quirks, named),
    });
    let body = if body.is_empty() {
        Ok(json!({}))
    } else {
        json_body(body)
    };
    let request = or_answer!(body.and_then(|b| parse(&b, quirks)));
    if quirks.has(Quirk::NoLongPoll) && !request.return_immediately {
        return error(&ApiError {
            status: 404,
            message: "this transmitter does not support long polling".to_owned(),
        });
    }
    let (mut sets, mut more, notify) = or_answer!(take(tx, &stream_id, &request));
    let wants_events = request.max_events != Some(0);
    if wants_events
        && !request.return_immediately
        && !quirks.has(Quirk::ImmediatePoll)
        && let Some(notify) = notify
    {
        // Long poll: wait for a SET until the timeout (a stale wake-up just loops).
        let deadline = tokio::time::Instant::now() + tx.options.long_poll_timeout;
        let again = PollRequest {
            acks: Vec::new(),
            errors: Map::new(),
            ..request
        };
        while sets.is_empty() {
            let woken = tokio::select! {
                () = notify.notified() => true,
                () = tokio::time::sleep_until(deadline) => false,
                () = tx.cancel.cancelled() => false,
            };
            if !woken {
                break;
            }
            match take(tx, &stream_id, &again) {
                Ok((taken, more_now, _)) => {
                    sets = taken;
                    more = more_now;
                }
                Err(err) => return error(&err),
            }
        }
    }
    // empty-more-available: an empty answer says there is more.
    let more = more || (sets.is_empty() && quirks.has(Quirk::EmptyMoreAvailable));
    json_response(
        StatusCode::OK,
        &json!({"sets": sets, "moreAvailable": more}),
    )
}
