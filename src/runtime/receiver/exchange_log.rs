//! Every HTTP exchange the receiver makes (discovery, JWKS, management, poll) or answers (push)
//! is kept: in the record, and shown in the window, with credentials redacted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::bridge::UpdateSender;
use crate::core::exchange::Exchange;
use crate::core::record::StreamKey;
use crate::core::time::UnixMillis;
use crate::core::update::Update;
use crate::runtime::record::RecordStore;

/// Where exchanges go.
pub struct ExchangeLog {
    /// The record.
    pub store: RecordStore,
    /// The UI.
    pub updates: UpdateSender,
    /// The stream they belong to.
    pub stream: Option<StreamKey>,
    /// The record id of the exchange this log sent last (0: none yet): the evidence of what a
    /// call's answer, or its failure, makes the caller say. Each log is used by one task at a
    /// time, and a clone starts with nothing sent, so it is never another task's exchange.
    sent: AtomicU64,
}

impl ExchangeLog {
    /// A log of the exchanges of `stream` (none: not a stream's).
    pub fn new(store: RecordStore, updates: UpdateSender, stream: Option<StreamKey>) -> Self {
        Self {
            store,
            updates,
            stream,
            sent: AtomicU64::new(0),
        }
    }

    /// The exchange this log (not a clone of it) sent last, answered or not.
    pub fn last_sent(&self) -> Option<u64> {
        Some(self.sent.load(Ordering::Relaxed)).filter(|id| *id != 0)
    }
}

impl Clone for ExchangeLog {
    /// The same destinations, with nothing sent yet: a clone goes to another task, whose
    /// calls are its own evidence.
    fn clone(&self) -> Self {
        Self::new(
            self.store.clone(),
            self.updates.clone(),
            self.stream.clone(),
        )
    }
}

/// Most bytes of an answer that are read (metadata, JWKS, management, token): an answer
/// announced or found larger is refused, not read whole.
pub const RESPONSE_LIMIT: usize = 1024 * 1024;

/// Most bytes of a poll answer that are read (it holds up to `maxEvents` SETs).
pub const POLL_ANSWER_LIMIT: usize = 16 * 1024 * 1024;

/// What the exchange keeps of an answer that was too large.
const TOO_LARGE_KEPT: usize = 4 * 1024;

/// How an answer is read: at most `limit` bytes, and optionally compared with the previous
/// answer to the same request (an unchanged body is recorded by its hash, not copied again).
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    /// Most bytes read.
    pub limit: usize,
    /// The previous answer's hash, for bodies fetched again and again (the JWKS).
    pub unchanged: Option<&'a Unchanged>,
}

impl Default for Reading<'_> {
    fn default() -> Self {
        Self {
            limit: RESPONSE_LIMIT,
            unchanged: None,
        }
    }
}

/// The last successful answer's SHA-256, size and exchange id.
#[derive(Default)]
pub struct Unchanged(parking_lot::Mutex<Option<(Vec<u8>, usize, u64)>>);

impl Unchanged {
    /// What to record of `body` (answer of exchange `id`): a note naming the earlier exchange
    /// when it is the same, else the body (and it becomes the one compared with).
    fn recorded(&self, body: &[u8], id: u64) -> String {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
        let mut last = self.0.lock();
        if let Some((seen, len, earlier)) = &*last
            && seen.as_slice() == digest.as_ref()
        {
            let hex = hex::encode(digest);
            return format!(
                "(unchanged: the same {len} bytes as exchange #{earlier}, SHA-256 {hex})"
            );
        }
        *last = Some((digest.as_ref().to_vec(), body.len(), id));
        String::from_utf8_lossy(body).into_owned()
    }
}

/// An answer larger than the receiver reads.
#[derive(Debug)]
pub struct TooLarge {
    url: String,
    limit: usize,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the answer from {} is larger than {} bytes, the most this receiver reads: it was not used",
            self.url, self.limit
        )
    }
}

impl std::error::Error for TooLarge {}

/// A body as read: whole, or only its start when it is larger than the limit.
enum Body {
    Whole(bytes::Bytes),
    TooLarge {
        start: Vec<u8>,
        announced: Option<u64>,
    },
}

/// Read at most `limit` bytes; an announced length over it is not read at all.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> reqwest::Result<Body> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit as u64) {
        return Ok(Body::TooLarge {
            start: Vec::new(),
            announced,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            body.extend_from_slice(&chunk);
            body.truncate(TOO_LARGE_KEPT);
            return Ok(Body::TooLarge {
                start: body,
                announced,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body::Whole(bytes::Bytes::from(body)))
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

/// An exchange not kept yet: its record id is taken (what it brought can name it), and it is
/// kept with [`ExchangeLog::keep`] once its caller has made its answer's body a reference to
/// what was stored from it.
pub struct HeldExchange(pub Exchange);

impl HeldExchange {
    /// Its record id.
    pub fn id(&self) -> u64 {
        self.0.id
    }
}

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
    /// Send a request, keep the exchange (also when no answer came), and return the answer
    /// (at most [`RESPONSE_LIMIT`] bytes of it).
    pub async fn send(
        &self,
        client: &reqwest::Client,
        request: reqwest::RequestBuilder,
    ) -> anyhow::Result<Reply> {
        self.send_reading(client, request, Reading::default()).await
    }

    /// [`Self::send`], reading the answer as `reading` says.
    pub async fn send_reading(
        &self,
        client: &reqwest::Client,
        request: reqwest::RequestBuilder,
        reading: Reading<'_>,
    ) -> anyhow::Result<Reply> {
        let (reply, held) = self.send_holding(client, request, reading).await?;
        self.keep(held.0).await;
        reply
    }

    /// [`Self::send_reading`], with the exchange handed back to be kept by the caller once
    /// it knows more (a poll answer's SETs stored: see [`HeldExchange`]). Err only when the
    /// request could not be built (nothing was sent).
    pub async fn send_holding(
        &self,
        client: &reqwest::Client,
        request: reqwest::RequestBuilder,
        reading: Reading<'_>,
    ) -> anyhow::Result<(anyhow::Result<Reply>, HeldExchange)> {
        let request = request.build()?;
        let id = self.store.exchange_id();
        self.sent.store(id, Ordering::Relaxed);
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
            let body = read_limited(response, reading.limit).await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        }
        .await;
        let (status, response_headers, response_body) = match &outcome {
            Ok((status, headers, body)) => (
                Some(status.as_u16()),
                headers.clone(),
                match (body, reading.unchanged) {
                    (Body::Whole(body), Some(unchanged)) if status.is_success() => {
                        unchanged.recorded(body, id)
                    }
                    (Body::Whole(body), _) => String::from_utf8_lossy(body).into_owned(),
                    (Body::TooLarge { start, announced }, _) => {
                        let length = announced.map_or_else(
                            || format!("more than {}", reading.limit),
                            |n| n.to_string(),
                        );
                        format!(
                            "{}\n… (cut: the answer is {length} bytes; at most {} are read)",
                            String::from_utf8_lossy(start),
                            reading.limit
                        )
                    }
                },
            ),
            Err(err) => (None, Vec::new(), format!("(no answer: {err})")),
        };
        let held = HeldExchange(Exchange {
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
        });
        let reply = match outcome {
            Err(err) => Err(crate::runtime::net::cause::unreachable(&url, &err)),
            Ok((_, _, Body::TooLarge { .. })) => Err(TooLarge {
                url,
                limit: reading.limit,
            }
            .into()),
            Ok((status, _, Body::Whole(body))) => Ok(Reply {
                exchange: id,
                status,
                body,
            }),
        };
        Ok((reply, held))
    }

    /// Keep an exchange: record it, then show it (redacted).
    pub async fn keep(&self, exchange: Exchange) {
        let exchange = exchange.redact();
        if let Err(err) = self.store.append_exchange(exchange.clone()).await {
            tracing::warn!("an HTTP exchange could not be recorded: {err}");
        }
        self.updates
            .send(Update::Exchange(Arc::new(exchange)))
            .await
            .ok();
    }
}
