//! How the quirks shape answers: the configuration as shown (no id, an unresolvable poll URL),
//! the one stream every call is about with `config-without-id`, and the deleted streams
//! remembered for `deleted-is-disabled`.

use std::sync::Arc;

use serde_json::Value;

use crate::runtime::transmitter::config::{ApiError, StreamConfig};
use crate::runtime::transmitter::delivery::Outbox;
use crate::runtime::transmitter::{DELETED_REMEMBERED, Quirk, Quirks, Stream, Tx, scenario};

/// The host `wrong-poll-url` names (`.invalid` never resolves: RFC 6761 §6.4).
pub const UNRESOLVABLE_HOST: &str = "ssf-transmitter.invalid";

/// A stream configuration as the transmitter answers it.
pub(super) fn config_json(tx: &Tx, quirks: Quirks, config: &StreamConfig) -> Value {
    let mut body = serde_json::to_value(config).unwrap_or(Value::Null);
    let poll = !config.delivery.is_push();
    if quirks.has(Quirk::ConfigWithoutId) {
        if let Some(members) = body.as_object_mut() {
            members.remove("stream_id");
            members.remove("description");
        }
        if poll {
            body["delivery"]["endpoint_url"] = Value::from(format!("{}/poll", tx.issuer));
        }
    }
    if quirks.has(Quirk::StreamModel)
        && let Some(members) = body.as_object_mut()
    {
        members.insert("stream_model".to_owned(), Value::from("single-stream"));
    }
    if quirks.has(Quirk::WrongPollUrl)
        && poll
        && let Some(url) = body["delivery"]["endpoint_url"].as_str()
    {
        body["delivery"]["endpoint_url"] = Value::from(unresolvable(url));
    }
    body
}

/// The same URL with [`UNRESOLVABLE_HOST`] for host and https for scheme, port and path kept:
/// as a transmitter behind a TLS proxy names its own misconfigured host (the receiver's TLS rule
/// would refuse a plain-http one before its name is looked up).
fn unresolvable(url: &str) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let scheme = "https";
    let (authority, path) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
    let port = authority
        .rsplit_once(':')
        .map(|(_, port)| port)
        .filter(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    match port {
        Some(port) => format!("{scheme}://{UNRESOLVABLE_HOST}:{port}{path}"),
        None => format!("{scheme}://{UNRESOLVABLE_HOST}{path}"),
    }
}

/// With `config-without-id`, the one stream (the first by id, should there be several).
pub(super) fn the_one(tx: &Tx) -> Option<String> {
    tx.streams.lock().keys().min().cloned()
}

/// Whether calls act on the one stream whatever `stream_id` they name (`config-without-id`,
/// `ignores-stream-id`).
pub(super) fn ignores_ids(quirks: Quirks) -> bool {
    quirks.has(Quirk::ConfigWithoutId) || quirks.has(Quirk::IgnoresStreamId)
}

/// The stream a call is about: the one it names, or with `config-without-id` or
/// `ignores-stream-id` the one stream whatever it names.
pub(super) fn target(tx: &Tx, quirks: Quirks, named: Option<String>) -> Result<String, ApiError> {
    if ignores_ids(quirks) {
        return the_one(tx).ok_or_else(ApiError::no_stream);
    }
    named.ok_or_else(|| ApiError::bad_request("stream_id is required"))
}

/// A new outbox for the stream (its delivery changed, or it was reset): what was queued, held
/// or unacknowledged is dropped, its push worker and scenario start again.
pub(super) fn restart_delivery(tx: &Arc<Tx>, stream_id: &str, stream: &mut Stream) {
    stream.cancel.cancel();
    stream.cancel = tx.cancel.child_token();
    stream.outbox = if stream.config.delivery.is_push() {
        Outbox::push(tx, stream_id, &stream.config, stream.cancel.clone())
    } else {
        Outbox::poll()
    };
    tokio::spawn(scenario::play(
        Arc::clone(tx),
        stream_id.to_owned(),
        stream.cancel.clone(),
    ));
}

/// `config-without-id` DELETE: the stream stays, its subjects and SETs are gone.
pub(super) fn reset(tx: &Arc<Tx>, stream_id: &str) -> Result<(), ApiError> {
    let mut streams = tx.streams.lock();
    let stream = streams.get_mut(stream_id).ok_or_else(ApiError::no_stream)?;
    stream.added_subjects.clear();
    stream.removed_subjects.clear();
    restart_delivery(tx, stream_id, stream);
    tracing::info!(%stream_id, "transmitter: stream reset (config-without-id)");
    Ok(())
}

impl Tx {
    /// Remember that a stream was deleted (its status then reads as disabled with the
    /// `deleted-is-disabled` quirk).
    pub(super) fn remember_deleted(&self, stream_id: &str) {
        let mut deleted = self.deleted.lock();
        if deleted.len() >= DELETED_REMEMBERED {
            deleted.pop_front();
        }
        deleted.push_back(stream_id.to_owned());
    }

    /// Whether a stream of this id was deleted.
    pub(super) fn was_deleted(&self, stream_id: &str) -> bool {
        self.deleted.lock().iter().any(|id| id == stream_id)
    }
}

#[cfg(test)]
mod tests {
    use super::unresolvable;

    #[test]
    fn the_host_changes_and_the_port_and_path_stay() {
        let url = unresolvable("http://127.0.0.1:4711/demo/poll/ab12");
        assert_eq!(url, "https://ssf-transmitter.invalid:4711/demo/poll/ab12");
        let url = unresolvable("http://[::1]:80/poll");
        assert_eq!(url, "https://ssf-transmitter.invalid:80/poll");
        let url = unresolvable("https://example.com");
        assert_eq!(url, "https://ssf-transmitter.invalid");
    }
}
