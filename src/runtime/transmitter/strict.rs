//! The `strict-create` quirk: a create request must carry `aud`, may carry only `delivery`,
//! `events_requested` and `aud`, and may ask only for supported event types; anything else is
//! 422 Unprocessable Content.

use serde_json::Value;

use super::config::ApiError;

/// The members a strict create accepts.
const ALLOWED: [&str; 3] = ["delivery", "events_requested", "aud"];

fn unprocessable(message: String) -> ApiError {
    ApiError {
        status: 422,
        message,
    }
}

/// Check a create body; the `aud` it asks for.
pub(super) fn check_create(body: &Value, supported: &[String]) -> Result<Value, ApiError> {
    let Some(members) = body.as_object() else {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    };
    let mut unexpected: Vec<&str> = members
        .keys()
        .map(String::as_str)
        .filter(|name| !ALLOWED.contains(name))
        .collect();
    unexpected.sort_unstable();
    if !unexpected.is_empty() {
        return Err(unprocessable(format!(
            "unexpected members in a create request: {}",
            unexpected.join(", ")
        )));
    }
    let aud = match members.get("aud") {
        None | Some(Value::Null) => {
            return Err(unprocessable("aud is required".to_owned()));
        }
        Some(aud @ Value::String(_)) => aud.clone(),
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Value::Array(items.clone())
        }
        Some(_) => {
            return Err(unprocessable(
                "aud must be a string or an array of strings".to_owned(),
            ));
        }
    };
    if let Some(Value::Array(requested)) = members.get("events_requested") {
        let unsupported: Vec<&str> = requested
            .iter()
            .filter_map(Value::as_str)
            .filter(|uri| !supported.iter().any(|s| s == uri))
            .collect();
        if !unsupported.is_empty() {
            // As a pydantic validation error (solarssk/ssf-transmitter): the message names
            // what is unsupported and what is, and `input` repeats every type requested.
            let msg = format!(
                "Value error, Unsupported event URI(s): {unsupported:?}. Supported: {supported:?}"
            );
            let detail = serde_json::json!({"detail": [{
                "type": "value_error",
                "loc": ["body", "events_requested"],
                "msg": msg,
                "input": requested,
            }]});
            return Err(unprocessable(detail.to_string()));
        }
    }
    Ok(aud)
}
