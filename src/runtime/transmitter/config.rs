//! Stream configurations as the transmitter keeps them (SSF §8.1.1): which fields the receiver
//! supplies, which the transmitter does, and the create / update (PATCH) / replace (PUT) rules.

use serde::Serialize;
use serde_json::Value;

use super::quirks::{Quirk, Quirks};
use crate::core::discovery::{LEGACY_POLL_METHOD, LEGACY_PUSH_METHOD, POLL_METHOD, PUSH_METHOD};
use crate::core::json;

/// An HTTP error answer: status and a description for the operator.
#[derive(Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// What is wrong.
    pub message: String,
}

impl ApiError {
    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: 400,
            message: message.into(),
        }
    }

    /// 404 for an unknown stream.
    pub fn no_stream() -> Self {
        Self {
            status: 404,
            message: "no such stream for this receiver".to_owned(),
        }
    }
}

/// The `delivery` object.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// `urn:ietf:rfc:8935` (push) or `urn:ietf:rfc:8936` (poll); with the `legacy-delivery`
    /// quirk, the RISC delivery-method URIs.
    pub method: String,
    /// Push: the receiver's URL; poll: the transmitter's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Push: the Authorization value the transmitter must send (a secret: never logged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_header: Option<String>,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("method", &self.method)
            .field("endpoint_url", &self.endpoint_url)
            .field(
                "authorization_header",
                &self.authorization_header.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl Delivery {
    /// True for push delivery (the RFC 8935 URN or the legacy RISC URI).
    pub fn is_push(&self) -> bool {
        self.method == PUSH_METHOD || self.method == LEGACY_PUSH_METHOD
    }
}

/// A stream configuration.
#[derive(Clone, Debug, Serialize)]
pub struct StreamConfig {
    /// Transmitter-supplied id.
    pub stream_id: String,
    /// Transmitter issuer.
    pub iss: String,
    /// Audience of the SETs (transmitter-supplied, cannot be updated): a string, or with the
    /// `strict-create` quirk what the receiver sent (a string or an array of strings).
    pub aud: Value,
    /// What the transmitter can send.
    pub events_supported: Vec<String>,
    /// What the receiver asked for.
    pub events_requested: Vec<String>,
    /// supported ∩ requested.
    pub events_delivered: Vec<String>,
    /// Delivery method and its parameters.
    pub delivery: Delivery,
    /// Minimum seconds between verification requests.
    pub min_verification_interval: u64,
    /// Receiver's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Seconds of receiver inactivity after which the transmitter pauses the stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inactivity_timeout: Option<u64>,
}

/// Transmitter-supplied members: a PATCH or PUT may repeat them, but only with the same value.
const TRANSMITTER_SUPPLIED: [&str; 6] = [
    "iss",
    "aud",
    "events_supported",
    "events_delivered",
    "min_verification_interval",
    "inactivity_timeout",
];

fn delivered(supported: &[String], requested: &[String]) -> Vec<String> {
    supported
        .iter()
        .filter(|s| requested.contains(s))
        .cloned()
        .collect()
}

/// The delivery method URIs accepted (push, poll): the RFC URNs, or with the `legacy-delivery`
/// quirk only the RISC ones.
pub fn methods(quirks: Quirks) -> (&'static str, &'static str) {
    if quirks.has(Quirk::LegacyDelivery) {
        (LEGACY_PUSH_METHOD, LEGACY_POLL_METHOD)
    } else {
        (PUSH_METHOD, POLL_METHOD)
    }
}

fn push_endpoint(value: &Value, quirks: Quirks) -> Result<String, ApiError> {
    let endpoint = json::string(value, "endpoint_url")
        .ok_or_else(|| ApiError::bad_request("push delivery needs delivery.endpoint_url"))?;
    if quirks.has(Quirk::PushHttpsOnly) && !endpoint.starts_with("https://") {
        return Err(ApiError::bad_request("push endpoint_url must use https"));
    }
    if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
        return Err(ApiError::bad_request(
            "delivery.endpoint_url must be an http(s) URL",
        ));
    }
    Ok(endpoint)
}

/// Parse `delivery`; none means poll (SSF §8.1.1.1), whose URL the transmitter supplies.
fn delivery_from(
    value: Option<&Value>,
    poll_url: &str,
    quirks: Quirks,
) -> Result<Delivery, ApiError> {
    let (push, poll) = methods(quirks);
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Delivery {
            method: poll.to_owned(),
            endpoint_url: Some(poll_url.to_owned()),
            authorization_header: None,
        });
    };
    let method = json::string(value, "method")
        .ok_or_else(|| ApiError::bad_request("delivery.method is required"))?;
    if method == push {
        Ok(Delivery {
            endpoint_url: Some(push_endpoint(value, quirks)?),
            authorization_header: json::string(value, "authorization_header"),
            method,
        })
    } else if method == poll {
        Ok(Delivery {
            method,
            endpoint_url: Some(poll_url.to_owned()),
            authorization_header: None,
        })
    } else {
        Err(ApiError::bad_request(format!(
            "delivery method {method} is not supported (use {push} or {poll})"
        )))
    }
}

fn object(body: &Value) -> Result<&serde_json::Map<String, Value>, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::bad_request("the body must be a JSON object"))
}

fn requested_from(body: &Value) -> Result<Option<Vec<String>>, ApiError> {
    match body.get("events_requested") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Ok(Some(json::string_list(body, "events_requested")))
        }
        Some(_) => Err(ApiError::bad_request(
            "events_requested must be an array of event-type URIs",
        )),
    }
}

/// How a change request treats missing receiver-supplied members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// PATCH: missing members stay as they are.
    Update,
    /// PUT: missing members are deleted.
    Replace,
}

/// What the transmitter supplies to a new stream.
#[derive(Clone, Debug)]
pub struct NewStream<'a> {
    /// Its issuer.
    pub iss: &'a str,
    /// The event types it can send.
    pub supported: Vec<String>,
    /// The stream's poll endpoint.
    pub poll_url: &'a str,
    /// Minimum seconds between verification requests.
    pub min_verification_interval: u64,
    /// Seconds of inactivity before a pause, if it pauses.
    pub inactivity_timeout: Option<u64>,
    /// The quirks in force (delivery methods, https-only push).
    pub quirks: Quirks,
}

impl StreamConfig {
    /// A new stream from a create request body.
    pub fn create(stream_id: String, body: &Value, new: NewStream<'_>) -> Result<Self, ApiError> {
        object(body)?;
        let requested = requested_from(body)?.unwrap_or_default();
        Ok(Self {
            aud: Value::from(format!("{}/receivers/{stream_id}", new.iss)),
            iss: new.iss.to_owned(),
            events_delivered: delivered(&new.supported, &requested),
            events_supported: new.supported,
            events_requested: requested,
            delivery: delivery_from(body.get("delivery"), new.poll_url, new.quirks)?,
            min_verification_interval: new.min_verification_interval,
            description: json::string(body, "description"),
            inactivity_timeout: new.inactivity_timeout,
            stream_id,
        })
    }

    /// Apply a PATCH or PUT body (its `stream_id` already matched this stream).
    pub fn change(
        &mut self,
        body: &Value,
        change: Change,
        poll_url: &str,
        quirks: Quirks,
    ) -> Result<(), ApiError> {
        let members = object(body)?;
        let current = serde_json::to_value(&*self).map_err(|err| ApiError {
            status: 500,
            message: err.to_string(),
        })?;
        for name in TRANSMITTER_SUPPLIED {
            if let Some(sent) = members.get(name)
                && current.get(name) != Some(sent)
            {
                return Err(ApiError::bad_request(format!(
                    "{name} is supplied by the transmitter and cannot be changed (SSF §8.1.1.3)"
                )));
            }
        }
        let requested = requested_from(body)?;
        let delivery = match (members.get("delivery"), change) {
            (None, Change::Update) => self.delivery.clone(),
            (value, _) => delivery_from(value, poll_url, quirks)?,
        };
        let description = match (members.contains_key("description"), change) {
            (false, Change::Update) => self.description.clone(),
            _ => json::string(body, "description"),
        };
        match (requested, change) {
            (Some(requested), _) => self.events_requested = requested,
            (None, Change::Replace) => self.events_requested = Vec::new(),
            (None, Change::Update) => {}
        }
        self.events_delivered = delivered(&self.events_supported, &self.events_requested);
        self.delivery = delivery;
        self.description = description;
        Ok(())
    }

    /// Whether an event of this type is delivered on the stream (verification and
    /// stream-updated always are: SSF §8.1.4.1, §8.1.5).
    pub fn delivers(&self, uri: &str) -> bool {
        crate::core::events::is_verification(uri)
            || crate::core::events::is_stream_updated(uri)
            || self.events_delivered.iter().any(|d| d == uri)
    }
}
