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

/// Use the receiver's existing stream (pointing its delivery at us), or create one.
pub(super) async fn find_or_create(
    management: &Management<'_>,
    wanted: Option<Value>,
    events_requested: &[String],
) -> anyhow::Result<(Value, Undo)> {
    let existing = match management.list_streams().await {
        Ok(streams) => streams.into_iter().next(),
        Err(err) => {
            tracing::info!("listing streams failed ({err:#}); creating one");
            None
        }
    };
    let Some(existing) = existing else {
        let created = management.create_stream(wanted, events_requested).await?;
        let id = json::string(&created, "stream_id").unwrap_or_default();
        return Ok((created, Undo::Delete(id)));
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
