//! Finding the receiver's stream at the transmitter (or creating one), and what to undo so the
//! transmitter is left as it was found.

use serde_json::{Value, json};

use super::management::Management;
use crate::core::discovery::POLL_METHOD;
use crate::core::json;

/// What to undo when the session stops.
pub(super) enum Undo {
    /// The stream was used as it was.
    Nothing,
    /// The session created this stream: delete it.
    Delete(String),
    /// The session changed the stream: PATCH this body back.
    Restore(Value),
}

/// Use this session's stream (the one with its description), else create one; when the
/// transmitter allows one stream per receiver (409), use the receiver's existing stream. The
/// stream used has its delivery pointed at us.
pub(super) async fn find_or_create(
    management: &Management<'_>,
    wanted: Option<Value>,
    events_requested: &[String],
    description: &str,
) -> anyhow::Result<(Value, Undo)> {
    let streams = match management.list_streams().await {
        Ok(streams) => streams,
        Err(err) => {
            tracing::info!("listing streams failed ({err:#}); creating one");
            Vec::new()
        }
    };
    let mine = streams
        .iter()
        .find(|s| json::string(s, "description").as_deref() == Some(description))
        .cloned();
    let existing = match mine {
        Some(mine) => mine,
        None => {
            match management
                .create_stream(wanted.clone(), events_requested, description)
                .await
            {
                Ok(created) => {
                    let id = json::string(&created, "stream_id").unwrap_or_default();
                    return Ok((created, Undo::Delete(id)));
                }
                // One stream per receiver: use the one there is.
                Err(err) if format!("{err:#}").contains("HTTP 409") => {
                    let Some(first) = streams.into_iter().next() else {
                        return Err(err);
                    };
                    first
                }
                Err(err) => return Err(err),
            }
        }
    };
    let stream_id = json::string(&existing, "stream_id").unwrap_or_default();
    let current = existing.get("delivery").cloned().unwrap_or(Value::Null);
    let target = wanted.unwrap_or_else(|| json!({"method": POLL_METHOD}));
    let same_method = current.get("method") == target.get("method");
    if same_method && target.get("method").and_then(Value::as_str) == Some(POLL_METHOD) {
        return Ok((existing, Undo::Nothing));
    }
    let changed = management
        .change_stream(&json!({"stream_id": stream_id, "delivery": target}), false)
        .await?;
    let config = if changed.get("stream_id").is_some() {
        changed
    } else {
        existing
    };
    Ok((
        config,
        Undo::Restore(json!({"stream_id": stream_id, "delivery": current})),
    ))
}
