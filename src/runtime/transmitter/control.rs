//! The control endpoint (behind the management token): trigger an event on demand, change a
//! stream's status as the transmitter (telling or not, per personality), rotate the signing key,
//! cut the receiver off (revoke its access, break or thin the JWKS), read or replace the quirks.
//! Also the inactivity watch (SSF §8.1.1 `inactivity_timeout`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::http::{Shared, authorize_operator, error, json_response, operator_json};
use super::{JwksFault, Quirks, Tx, delivery, sets};
use crate::core::events;
use crate::core::json;
use crate::core::stream::StreamStatus;
use crate::runtime::transmitter::config::ApiError;

/// The streams a control request is about: the one named, or all.
fn targets(tx: &Tx, request: &Value) -> Result<Vec<String>, ApiError> {
    let streams = tx.streams.lock();
    match json::string(request, "stream_id") {
        Some(id) if streams.contains_key(&id) => Ok(vec![id]),
        Some(_) => Err(ApiError::no_stream()),
        None => {
            let mut all: Vec<String> = streams.keys().cloned().collect();
            all.sort();
            Ok(all)
        }
    }
}

/// `POST …/control/event {"event": "credential-change" | URI, "stream_id"?, "subject"?}`.
pub(super) async fn event(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = match operator_json(&tx, &headers, &body) {
        Ok(request) => request,
        Err(err) => return error(&err),
    };
    let Some(name) = json::string(&request, "event") else {
        return error(&ApiError::bad_request(
            "event is required: an event-type URI or a CAEP/RISC name such as credential-change",
        ));
    };
    let uri = if name.contains(':') {
        name
    } else if events::lookup(&events::caep(&name)).is_some() {
        events::caep(&name)
    } else if events::lookup(&events::risc(&name)).is_some() {
        events::risc(&name)
    } else {
        return error(&ApiError::bad_request(format!("unknown event \"{name}\"")));
    };
    let ids = match targets(&tx, &request) {
        Ok(ids) => ids,
        Err(err) => return error(&err),
    };
    let subject = request
        .get("subject")
        .cloned()
        .unwrap_or_else(|| sets::subject(0));
    let payload = request
        .get("payload")
        .cloned()
        .unwrap_or_else(|| sets::payload_for(&uri));
    let mut jtis = Vec::new();
    let mut streams = tx.streams.lock();
    for id in ids {
        let Some(stream) = streams.get_mut(&id) else {
            continue;
        };
        if let Some(item) = delivery::signed(&tx, &stream.config, &uri, &payload, &subject) {
            jtis.push(item.jti.clone());
            delivery::offer(&id, stream, item);
        }
    }
    json_response(StatusCode::ACCEPTED, &json!({"event": uri, "jti": jtis}))
}

/// `POST …/control/status {"status", "reason"?, "stream_id"?}`: a transmitter-initiated change.
/// A status SSF does not define (`"failed"`) is what status reads answer from then on, without
/// a word and without changing delivery, until a status it defines is set.
pub(super) async fn status(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = match operator_json(&tx, &headers, &body) {
        Ok(request) => request,
        Err(err) => return error(&err),
    };
    let Some(said) = json::string(&request, "status").filter(|s| !s.is_empty()) else {
        return error(&ApiError::bad_request(
            "status is required: enabled, paused, disabled, or any other word to answer as is",
        ));
    };
    let ids = match targets(&tx, &request) {
        Ok(ids) => ids,
        Err(err) => return error(&err),
    };
    let Some(status) = StreamStatus::parse(&said) else {
        let mut streams = tx.streams.lock();
        for id in &ids {
            if let Some(stream) = streams.get_mut(id) {
                stream.raw_status = Some(said.clone());
            }
        }
        tracing::info!(status = %said, "transmitter: status reads now answer a status SSF does not define");
        return json_response(
            StatusCode::OK,
            &json!({"streams": ids, "status": said, "told": false}),
        );
    };
    for id in &ids {
        tx.set_status_as_transmitter(id, status, json::string(&request, "reason"));
    }
    json_response(
        StatusCode::OK,
        &json!({"streams": ids, "status": status.as_str(), "told": tx.options.tells}),
    )
}

/// `POST …/control/rotate-keys`: sign with a new key from now on.
pub(super) async fn rotate_keys(State(tx): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(err) = authorize_operator(&tx, &headers, true) {
        return error(&err);
    }
    let rotated = tx.keys.lock().rotate();
    match rotated {
        Ok(kid) => {
            tracing::info!(%kid, "transmitter: signing key rotated");
            json_response(StatusCode::OK, &json!({"kid": kid}))
        }
        Err(err) => error(&ApiError {
            status: 500,
            message: format!("{err:#}"),
        }),
    }
}

/// `POST …/control/fault {"access": "revoked"|"granted", "jwks": "served"|"unavailable"|
/// "without_active_key"}`: cut the receiver off, to watch it notice. Answers the faults now set.
pub(super) async fn fault(State(tx): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request = match operator_json(&tx, &headers, &body) {
        Ok(request) => request,
        Err(err) => return error(&err),
    };
    let access = match json::string(&request, "access").as_deref() {
        None => None,
        Some("revoked") => Some(true),
        Some("granted") => Some(false),
        Some(other) => {
            return error(&ApiError::bad_request(format!(
                "access must be \"revoked\" or \"granted\", not \"{other}\""
            )));
        }
    };
    let jwks = match json::string(&request, "jwks").as_deref() {
        None => None,
        Some("served") => Some(JwksFault::Served),
        Some("unavailable") => Some(JwksFault::Unavailable),
        Some("without_active_key") => Some(JwksFault::WithoutActiveKey),
        Some(other) => {
            return error(&ApiError::bad_request(format!(
                "jwks must be \"served\", \"unavailable\" or \"without_active_key\", not \"{other}\""
            )));
        }
    };
    let delete_delay = match request.get("delete_delay_ms") {
        None => None,
        Some(value) => match value.as_u64() {
            Some(millis) if millis <= 60_000 => Some(Duration::from_millis(millis)),
            _ => {
                return error(&ApiError::bad_request(
                    "delete_delay_ms must be a number of milliseconds up to 60000".to_owned(),
                ));
            }
        },
    };
    let now = {
        let mut faults = tx.faults.lock();
        if let Some(revoked) = access {
            faults.access_revoked = revoked;
        }
        if let Some(jwks) = jwks {
            faults.jwks = jwks;
        }
        if let Some(delay) = delete_delay {
            faults.delete_delay = delay;
        }
        *faults
    };
    tracing::info!(?now, "transmitter: faults set by the operator");
    let delay = u64::try_from(now.delete_delay.as_millis()).unwrap_or(u64::MAX);
    json_response(
        StatusCode::OK,
        &json!({"access_revoked": now.access_revoked, "jwks": format!("{:?}", now.jwks), "delete_delay_ms": delay}),
    )
}

/// `GET …/control/quirks`: `{"quirks": [names]}`.
pub(super) async fn quirks(State(tx): State<Shared>, headers: HeaderMap) -> Response {
    or_answer!(authorize_operator(&tx, &headers, false));
    json_response(StatusCode::OK, &json!({"quirks": tx.quirks().names()}))
}

/// `POST …/control/quirks {"quirks": [names]}`: replace the quirks in force; answers them.
pub(super) async fn set_quirks(
    State(tx): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = or_answer!(operator_json(&tx, &headers, &body));
    let names = match request.get("quirks").and_then(Value::as_array) {
        Some(items) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>()
        }
        _ => {
            return error(&ApiError::bad_request(
                "quirks must be an array of quirk names",
            ));
        }
    };
    let set = or_answer!(Quirks::parse(names).map_err(ApiError::bad_request));
    *tx.quirks.lock() = set;
    tracing::info!(quirks = %set, "transmitter: quirks set by the operator");
    json_response(StatusCode::OK, &json!({"quirks": set.names()}))
}

/// Pause streams whose receiver has been inactive for `timeout` (with stream-updated when the
/// transmitter tells, as SSF §8.1.1 requires).
pub(super) async fn watch_inactivity(tx: Arc<Tx>, timeout: Duration) {
    let period = (timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(5));
    let mut ticker = tokio::time::interval(period);
    loop {
        tokio::select! {
            () = tx.cancel.cancelled() => return,
            _ = ticker.tick() => {}
        }
        let idle: Vec<String> = tx
            .streams
            .lock()
            .iter()
            .filter(|(_, s)| {
                s.status == StreamStatus::Enabled
                    && s.last_activity.elapsed() >= timeout
                    && Instant::now() >= s.last_activity
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in idle {
            tx.set_status_as_transmitter(
                &id,
                StreamStatus::Paused,
                Some("inactivity_timeout".to_owned()),
            );
        }
    }
}
