//! Every HTTP exchange the receiver makes (discovery, JWKS, management, poll) or answers (push)
//! is kept: in the record, and shown in the window, with credentials redacted.

use std::sync::Arc;
use std::time::Instant;

use crate::bridge::UpdateSender;
use crate::core::exchange::Exchange;
use crate::core::record::StreamKey;
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::runtime::record::RecordStore;

/// Where exchanges go.
#[derive(Clone)]
pub struct ExchangeLog {
    /// The record.
    pub store: RecordStore,
    /// The UI.
    pub updates: UpdateSender,
    /// The stream they belong to.
    pub stream: Option<StreamKey>,
}

/// An answer that came but is not the JSON expected.
#[derive(Debug)]
pub struct NotJson(String);

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the answer is not the JSON expected: {}", self.0)
    }
}

impl std::error::Error for NotJson {}

/// A finished HTTP answer: status, headers and body.
pub struct Reply {
    /// The exchange's record id.
    pub exchange: u64,
    /// Status.
    pub status: reqwest::StatusCode,
    /// Body bytes.
    pub body: bytes::Bytes,
}

impl Reply {
    /// The body as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> anyhow::Result<T> {
        serde_json::from_slice(&self.body).map_err(|err| NotJson(err.to_string()).into())
    }

    /// The body as text, every secret the receiver holds scrubbed (an error body may echo
    /// the request).
    pub fn text(&self) -> String {
        crate::core::secrets::scrub(&String::from_utf8_lossy(&self.body)).into_owned()
    }
}

fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

impl ExchangeLog {
    /// Send a request, keep the exchange (also when no answer came), and return the answer.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        request: reqwest::RequestBuilder,
    ) -> anyhow::Result<Reply> {
        let request = request.build()?;
        let id = self.store.exchange_id();
        let at = UnixMillis::now();
        let started = Instant::now();
        let method = request.method().to_string();
        let url = request.url().to_string();
        let request_headers = header_pairs(request.headers());
        // Every credential sent is a secret, whatever made it: a `Basic base64(id:secret)` of
        // OAuth client credentials is registered by value before the answer (which may echo
        // it) can reach the record, the window, a notice or a log.
        for (name, value) in &request_headers {
            if crate::core::exchange::is_credential_header(name) {
                crate::core::secrets::register(value);
            }
        }
        let request_body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let outcome = async {
            let response = client.execute(request).await?;
            let status = response.status();
            let headers = header_pairs(response.headers());
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        }
        .await;
        let (status, response_headers, response_body) = match &outcome {
            Ok((status, headers, body)) => (
                Some(status.as_u16()),
                headers.clone(),
                String::from_utf8_lossy(body).into_owned(),
            ),
            Err(err) => (None, Vec::new(), format!("(no answer: {err})")),
        };
        self.keep(Exchange {
            id,
            at,
            stream: self.stream.clone(),
            method,
            url: url.clone(),
            status,
            request_headers,
            request_body,
            response_headers,
            response_body,
            duration_millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
        .await;
        let (status, _, body) =
            outcome.map_err(|err| crate::runtime::net::cause::unreachable(&url, &err))?;
        Ok(Reply {
            exchange: id,
            status,
            body,
        })
    }

    /// Keep an exchange: record it, then show it (redacted).
    pub async fn keep(&self, exchange: Exchange) {
        let exchange = exchange.redacted();
        if let Err(err) = self.store.append_exchange(exchange.clone()).await {
            tracing::warn!("an HTTP exchange could not be recorded: {err}");
        }
        self.updates
            .send(Update::Exchange(Arc::new(exchange)))
            .await
            .ok();
    }
}
