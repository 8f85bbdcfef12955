//! Stream management calls (SSF §8): create a stream, read its status, request verification.

use anyhow::Context as _;
use serde_json::{Value, json};

use crate::core::discovery::{PUSH_METHOD, TransmitterMetadata};

/// A client for one transmitter's management API, with its bearer token.
pub struct Management<'a> {
    /// HTTP client.
    pub client: &'a reqwest::Client,
    /// Validated metadata.
    pub metadata: &'a TransmitterMetadata,
    /// Bearer token (never logged).
    pub token: &'a str,
}

fn endpoint<'m>(value: Option<&'m String>, name: &str) -> anyhow::Result<&'m str> {
    value
        .map(String::as_str)
        .with_context(|| format!("the transmitter metadata has no {name}"))
}

async fn checked(response: reqwest::Response, what: &str) -> anyhow::Result<reqwest::Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    let hint = match status.as_u16() {
        401 => " (the management token was refused: check it)",
        403 => " (the token may not do this: check its scopes)",
        409 => " (the transmitter already has a stream for this receiver)",
        _ => "",
    };
    anyhow::bail!("{what} answered HTTP {status}{hint}: {}", body.trim())
}

impl Management<'_> {
    /// POST a JSON body with the bearer token; a non-2xx answer is an error that says `what` failed.
    async fn post_json(
        &self,
        url: &str,
        body: &Value,
        what: &str,
    ) -> anyhow::Result<reqwest::Response> {
        let response = self
            .client
            .post(url)
            .bearer_auth(self.token)
            .json(body)
            .send()
            .await?;
        checked(response, what).await
    }

    /// POST a new push stream; returns the stream configuration.
    pub async fn create_push_stream(
        &self,
        endpoint_url: &str,
        authorization_header: &str,
        events_requested: &[&str],
    ) -> anyhow::Result<Value> {
        let url = endpoint(
            self.metadata.configuration_endpoint.as_ref(),
            "configuration_endpoint",
        )?;
        let body = json!({
            "delivery": {
                "method": PUSH_METHOD,
                "endpoint_url": endpoint_url,
                "authorization_header": authorization_header,
            },
            "events_requested": events_requested,
            "description": "ssf-inspector",
        });
        let response = self.post_json(url, &body, "creating the stream").await?;
        Ok(response.json().await?)
    }

    /// GET the stream's status.
    pub async fn read_status(&self, stream_id: &str) -> anyhow::Result<Value> {
        let url = endpoint(self.metadata.status_endpoint.as_ref(), "status_endpoint")?;
        let request = self
            .client
            .get(url)
            .query(&[("stream_id", stream_id)])
            .bearer_auth(self.token);
        let response = checked(request.send().await?, "reading the stream status").await?;
        Ok(response.json().await?)
    }

    /// POST a verification request with `state`.
    pub async fn request_verification(&self, stream_id: &str, state: &str) -> anyhow::Result<()> {
        let url = endpoint(
            self.metadata.verification_endpoint.as_ref(),
            "verification_endpoint",
        )?;
        let body = json!({"stream_id": stream_id, "state": state});
        self.post_json(url, &body, "requesting verification")
            .await?;
        Ok(())
    }
}
