//! Stream management calls (SSF §8): streams (list, create, update, replace, delete), status
//! (read, update), subjects (add, remove) and verification. Errors say what to check.

use anyhow::Context as _;
use reqwest::Method;
use serde_json::{Value, json};

use super::auth::Auth;
use super::exchange_log::{ExchangeLog, Reply};
use crate::core::discovery::{PUSH_METHOD, TransmitterMetadata};

/// A client for one transmitter's management API, with its bearer token.
pub struct Management<'a> {
    /// HTTP client.
    pub client: &'a reqwest::Client,
    /// Validated metadata.
    pub metadata: &'a TransmitterMetadata,
    /// How calls are authorized (never logged).
    pub auth: &'a Auth,
    /// Where the exchanges are kept.
    pub log: &'a ExchangeLog,
}

fn endpoint<'m>(value: Option<&'m String>, name: &str) -> anyhow::Result<&'m str> {
    value
        .map(String::as_str)
        .with_context(|| format!("the transmitter metadata has no {name}"))
}

fn checked(reply: Reply, what: &str) -> anyhow::Result<Reply> {
    let status = reply.status;
    if status.is_success() {
        return Ok(reply);
    }
    let hint = match status.as_u16() {
        401 => " (the management token was refused: check it)",
        403 => " (the token may not do this: check its scopes, e.g. ssf.manage)",
        404 => " (the transmitter does not know this stream: it may have been deleted)",
        409 => " (the transmitter already has a stream for this receiver)",
        429 => " (too many requests: wait for min_verification_interval)",
        _ => "",
    };
    anyhow::bail!(
        "{what} answered HTTP {status}{hint}: {}",
        reply.text().trim()
    )
}

/// The body of a push delivery.
pub fn push_delivery(endpoint_url: &str, authorization_header: &str) -> Value {
    json!({"method": PUSH_METHOD, "endpoint_url": endpoint_url, "authorization_header": authorization_header})
}

impl Management<'_> {
    async fn call(
        &self,
        method: Method,
        url: &str,
        query: Option<(&str, &str)>,
        body: Option<&Value>,
        what: &str,
    ) -> anyhow::Result<Reply> {
        let mut request = self.client.request(method, url);
        if let Some(query) = query {
            request = request.query(&[query]);
        }
        if let Some(token) = self.auth.token(self.client, self.log).await? {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let reply = self
            .log
            .send(self.client, request)
            .await
            .with_context(|| what.to_owned())?;
        checked(reply, what)
    }

    fn streams_url(&self) -> anyhow::Result<&str> {
        endpoint(
            self.metadata.configuration_endpoint.as_ref(),
            "configuration_endpoint",
        )
    }

    /// GET every stream of this receiver (SSF §8.1.1.2 without stream_id).
    pub async fn list_streams(&self) -> anyhow::Result<Vec<Value>> {
        let response = self
            .call(
                Method::GET,
                self.streams_url()?,
                None,
                None,
                "listing the streams",
            )
            .await?;
        Ok(match response.json::<Value>()? {
            Value::Array(streams) => streams,
            single @ Value::Object(_) => vec![single],
            _ => Vec::new(),
        })
    }

    /// POST a new stream; `delivery: None` asks for poll (the transmitter supplies the URL).
    pub async fn create_stream(
        &self,
        delivery: Option<Value>,
        events_requested: &[String],
        description: &str,
    ) -> anyhow::Result<Value> {
        let mut body = json!({"events_requested": events_requested, "description": description});
        if let Some(delivery) = delivery {
            body["delivery"] = delivery;
        }
        let response = self
            .call(
                Method::POST,
                self.streams_url()?,
                None,
                Some(&body),
                "creating the stream",
            )
            .await?;
        response.json()
    }

    /// PATCH (`replace == false`) or PUT a stream configuration; `body` has `stream_id`.
    pub async fn change_stream(&self, body: &Value, replace: bool) -> anyhow::Result<Value> {
        let (method, what) = if replace {
            (Method::PUT, "replacing the stream")
        } else {
            (Method::PATCH, "updating the stream")
        };
        let response = self
            .call(method, self.streams_url()?, None, Some(body), what)
            .await?;
        Ok(response.json().unwrap_or(Value::Null))
    }

    /// DELETE a stream.
    pub async fn delete_stream(&self, stream_id: &str) -> anyhow::Result<()> {
        self.call(
            Method::DELETE,
            self.streams_url()?,
            Some(("stream_id", stream_id)),
            None,
            "deleting the stream",
        )
        .await?;
        Ok(())
    }

    /// GET the stream's status.
    pub async fn read_status(&self, stream_id: &str) -> anyhow::Result<Value> {
        let url = endpoint(self.metadata.status_endpoint.as_ref(), "status_endpoint")?;
        let response = self
            .call(
                Method::GET,
                url,
                Some(("stream_id", stream_id)),
                None,
                "reading the stream status",
            )
            .await?;
        response.json()
    }

    /// POST a status change (receiver-initiated).
    pub async fn update_status(
        &self,
        stream_id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> anyhow::Result<Value> {
        let url = endpoint(self.metadata.status_endpoint.as_ref(), "status_endpoint")?;
        let mut body = json!({"stream_id": stream_id, "status": status});
        if let Some(reason) = reason {
            body["reason"] = Value::from(reason);
        }
        let response = self
            .call(
                Method::POST,
                url,
                None,
                Some(&body),
                "updating the stream status",
            )
            .await?;
        Ok(response.json().unwrap_or(Value::Null))
    }

    /// POST add or remove subject.
    pub async fn subject(&self, stream_id: &str, subject: &Value, add: bool) -> anyhow::Result<()> {
        let (url, what) = if add {
            (
                endpoint(
                    self.metadata.add_subject_endpoint.as_ref(),
                    "add_subject_endpoint",
                )?,
                "adding the subject",
            )
        } else {
            (
                endpoint(
                    self.metadata.remove_subject_endpoint.as_ref(),
                    "remove_subject_endpoint",
                )?,
                "removing the subject",
            )
        };
        let body = json!({"stream_id": stream_id, "subject": subject});
        self.call(Method::POST, url, None, Some(&body), what)
            .await?;
        Ok(())
    }

    /// POST a verification request with `state`.
    /// POST a verification request; returns the record id of its exchange.
    pub async fn request_verification(&self, stream_id: &str, state: &str) -> anyhow::Result<u64> {
        let url = endpoint(
            self.metadata.verification_endpoint.as_ref(),
            "verification_endpoint",
        )?;
        let body = json!({"stream_id": stream_id, "state": state});
        self.call(
            Method::POST,
            url,
            None,
            Some(&body),
            "requesting verification",
        )
        .await
        .map(|reply| reply.exchange)
    }
}
