//! The RFC 8935 push endpoint: one URL per stream on a local listener. It checks the
//! authorization header and the media type, inspects the SET, stores it (accepted or not), hands
//! it to the UI, and only then answers: 202, or 400/401 with an RFC 8935 error body. Over TLS
//! when the profile asks (`push_tls.rs`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use parking_lot::RwLock;
use tokio_util::sync::CancellationToken;

use super::exchange_log::ExchangeLog;
use super::intake::{Intake, Received};
use super::keys::KeyCache;
pub use super::push_answer::{DESCRIPTION_CHARS, STORED_PREFIX};
use super::push_answer::{error_response, header_pairs, set_answer, stored_reference_for};
use super::push_checks::{authorization_matches, is_set_media_type};
use super::push_guard::{ConnLimits, ConnStats, LISTEN_BACKLOG, Pool};
use super::push_refused::{RefusedGate, bounded_body};
use super::push_serve::{TlsRefusals, TlsSide, serve};
use super::push_tls::served_tls;
use crate::bridge::UpdateSender;
use crate::core::exchange::Exchange;
use crate::core::ingest::{Arrival, Expectations};
use crate::core::profile::PushTls;
use crate::core::record::{DeliveryError, StreamKey, Transport};
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::core::verify::AlgorithmPolicy;
use crate::runtime::net::open_files::connections_within_budget;
use crate::runtime::record::RecordStore;

/// Largest body accepted (RFC 8935 receivers should limit it).
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// What the endpoint of one stream checks.
pub struct PushStream {
    /// Local stream name.
    pub key: StreamKey,
    /// The `authorization_header` value the transmitter must send.
    pub authorization: String,
    /// Keys to verify with (replaced when the JWKS is refetched).
    pub keys: Arc<KeyCache>,
    /// Issuer and audience expectations.
    pub expect: RwLock<Expectations>,
    /// Accepted algorithms.
    pub policy: AlgorithmPolicy,
    /// A fault the user injected, to watch how the transmitter retries.
    pub fault: RwLock<PushFault>,
    /// The stream's health: a stream-updated SET taken tells its status.
    pub health: Arc<super::shared::Health>,
    /// What other processes of this receiver did to the stream (read before a verification
    /// SET is told, so one they asked for is not "unasked").
    pub own: Option<Arc<crate::runtime::journal::JournalReader>>,
}

pub use crate::core::stream_op::PushFault;

#[derive(Clone)]
struct Shared {
    streams: Arc<RwLock<HashMap<String, Arc<PushStream>>>>,
    store: RecordStore,
    updates: UpdateSender,
    refused: Arc<RefusedGate>,
}

/// A running push listener.
pub struct PushListener {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Over TLS: the SHA-256 fingerprint of the served certificate, `AB:CD:…`.
    pub fingerprint: Option<String>,
    /// Over TLS: the handshakes that failed (a transmitter that does not trust the certificate).
    pub(super) tls_refusals: Option<Arc<TlsRefusals>>,
    certificate_pem: Option<String>,
    shared: Shared,
    pool: Arc<Pool>,
}

/// A listening socket on `addr` with a long queue ([`LISTEN_BACKLOG`]), so a burst of
/// connections does not push a transmitter's out before they are taken.
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

impl PushListener {
    /// Bind `addr` (use port 0 for a free one), over TLS when `tls` says so, and serve until
    /// `cancel` fires, with the default connection limits.
    pub async fn bind(
        addr: SocketAddr,
        tls: Option<&PushTls>,
        store: RecordStore,
        updates: UpdateSender,
        cancel: CancellationToken,
    ) -> anyhow::Result<Self> {
        Self::bind_with(addr, tls, store, updates, cancel, ConnLimits::default()).await
    }

    /// [`Self::bind`] with the given connection limits.
    pub async fn bind_with(
        addr: SocketAddr,
        tls: Option<&PushTls>,
        store: RecordStore,
        updates: UpdateSender,
        cancel: CancellationToken,
        limits: ConnLimits,
    ) -> anyhow::Result<Self> {
        let tls = tls.map(|tls| served_tls(tls, addr.ip())).transpose()?;
        let listener = listen(addr).map_err(|err| {
            anyhow::anyhow!("could not listen on {addr}: {err}; choose another listen address")
        })?;
        let addr = listener.local_addr()?;
        let wanted = limits.max_connections;
        let limits = ConnLimits {
            max_connections: connections_within_budget(wanted),
            ..limits
        };
        if limits.max_connections < wanted {
            tracing::info!(
                "push listener on {addr}: at most {} connections at once, as the process may open few files",
                limits.max_connections
            );
        }
        let pool = Pool::new(limits);
        let shared = Shared {
            streams: Arc::default(),
            store,
            updates,
            refused: Arc::default(),
        };
        let app = Router::new()
            .route("/{*path}", post(receive))
            .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
            .with_state(shared.clone());
        let (side, fingerprint, certificate_pem, tls_refusals) = match tls {
            None => (None, None, None, None),
            Some(tls) => {
                let refusals = Arc::new(TlsRefusals::default());
                let side = TlsSide {
                    acceptor: tls.acceptor,
                    refusals: Arc::clone(&refusals),
                };
                (
                    Some(side),
                    Some(tls.fingerprint),
                    Some(tls.certificate_pem),
                    Some(refusals),
                )
            }
        };
        tokio::spawn(serve(listener, side, app, Arc::clone(&pool), cancel));
        Ok(Self {
            addr,
            pool,
            fingerprint,
            tls_refusals,
            certificate_pem,
            shared,
        })
    }

    /// Open an endpoint for a stream at `path` (from the root, e.g. `/push/1a2b` or a fixed
    /// `/ssf/events`); returns its URL (`https://` over TLS).
    pub fn add_stream(&self, path: &str, stream: Arc<PushStream>) -> String {
        let path = path.trim_start_matches('/');
        self.shared.streams.write().insert(path.to_owned(), stream);
        let scheme = if self.fingerprint.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}/{path}", self.addr)
    }

    /// Its connections: open now, and closed so far to make room for new ones.
    pub fn connections(&self) -> ConnStats {
        self.pool.stats()
    }

    /// Over TLS: the served certificate chain, PEM (public part only), for a transmitter to trust.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }
}

/// Most bytes of a push answer (the answers made here are far smaller).
const ANSWER_LIMIT: usize = 64 * 1024;

/// Answer a push, then keep the exchange (request and answer, credentials redacted).
async fn receive(
    State(shared): State<Shared>,
    Path(path): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = UnixMillis::now();
    let started = std::time::Instant::now();
    let stream = shared.streams.read().get(&path).map(|s| s.key.clone());
    let id = shared.store.exchange_id();
    let arrived = Arrived {
        at,
        exchange: id,
        started,
        uri: &uri,
    };
    let mut kept = Kept::Whole;
    let response = handle(&shared, &path, &headers, &body, arrived, &mut kept).await;
    let request_body = match kept {
        Kept::Whole => String::from_utf8_lossy(&body).into_owned(),
        Kept::Bounded => bounded_body(&body),
        // Recorded with its SET, in the same commit; or refused beyond the recording budget:
        // counted, not kept.
        Kept::WithSet | Kept::Nothing => return response,
    };
    let (parts, answer) = response.into_parts();
    // Every answer made here is small (error descriptions are bounded); should one not be,
    // it is replaced by a short one rather than sent empty.
    let answer = match axum::body::to_bytes(answer, ANSWER_LIMIT).await {
        Ok(answer) => answer,
        Err(err) => {
            tracing::error!("a push answer could not be kept ({err}); a short one is sent");
            Bytes::from_static(b"{\"err\":\"invalid_request\",\"description\":\"the receiver's answer was too long to send\"}")
        }
    };
    let log = ExchangeLog::new(shared.store.clone(), shared.updates.clone(), stream.clone());
    log.keep(Exchange {
        id,
        at,
        stream,
        method: "POST".to_owned(),
        url: uri.to_string(),
        status: Some(parts.status.as_u16()),
        request_headers: header_pairs(&headers),
        request_body,
        response_headers: header_pairs(&parts.headers),
        response_body: String::from_utf8_lossy(&answer).into_owned(),
        duration_millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
    .await;
    Response::from_parts(parts, axum::body::Body::from(answer))
}

/// What is kept of a request.
enum Kept {
    /// An authenticated request: all of it.
    Whole,
    /// A SET that was stored: recorded with it, its body a reference to it (the token is
    /// kept once, with the SET).
    WithSet,
    /// A refused one within the budget: a bounded prefix.
    Bounded,
    /// A refused one beyond the budget: nothing.
    Nothing,
}

/// Whether a refused request is recorded; when earlier ones were not, that is told.
async fn refused_kept(shared: &Shared) -> Kept {
    let Some(admitted) = shared.refused.admit() else {
        return Kept::Nothing;
    };
    if admitted.skipped_before > 0 {
        let text = format!(
            "{} refused push requests were not recorded (at most {} a second are)",
            admitted.skipped_before,
            super::push_refused::REFUSED_RECORDED_PER_SECOND
        );
        shared.updates.notice(NoticeLevel::Error, text).await;
    }
    Kept::Bounded
}

/// When a push arrived, the id its exchange will be recorded under, and what it asked.
#[derive(Clone, Copy)]
struct Arrived<'a> {
    at: UnixMillis,
    exchange: u64,
    started: std::time::Instant,
    uri: &'a axum::http::Uri,
}

async fn handle(
    shared: &Shared,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
    arrived: Arrived<'_>,
    kept: &mut Kept,
) -> Response {
    let received_at = arrived.at;
    let Some(stream) = shared.streams.read().get(path).cloned() else {
        *kept = refused_kept(shared).await;
        return (StatusCode::NOT_FOUND, "no stream is received at this URL").into_response();
    };
    let sent_auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if !authorization_matches(&stream.authorization, sent_auth) {
        *kept = refused_kept(shared).await;
        if !matches!(kept, Kept::Nothing) {
            let refused = Update::PushRefused {
                key: stream.key.clone(),
                at: received_at,
                exchange: arrived.exchange,
            };
            shared.updates.send(refused).await.ok();
        }
        let error = DeliveryError {
            err: "authentication_failed",
            description:
                "the Authorization header does not match the one this stream was created with"
                    .to_owned(),
        };
        return error_response(StatusCode::UNAUTHORIZED, &error);
    }
    let fault = *stream.fault.read();
    match fault {
        PushFault::None => {}
        PushFault::Answer(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return (status, "fault injected by the receiver: try again later").into_response();
        }
        PushFault::DelayMillis(millis) => {
            tokio::time::sleep(std::time::Duration::from_millis(millis)).await;
        }
    }
    let expect = stream.expect.read().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let received = Received {
        raw: String::from_utf8_lossy(body).into_owned(),
        arrival: Arrival {
            stream: stream.key.clone(),
            transport: Transport::Push,
            received_at,
        },
        exchange: Some(arrived.exchange),
        refused: (!is_set_media_type(content_type)).then(|| DeliveryError {
            err: "invalid_request",
            description: format!(
                "Content-Type must be application/secevent+jwt (RFC 8935 §2), got \"{}\"",
                crate::core::json::clip(content_type)
            ),
        }),
    };
    let intake = Intake {
        store: &shared.store,
        updates: &shared.updates,
        keys: &stream.keys,
        policy: &stream.policy,
        expect: &expect,
        health: &stream.health,
        own: stream.own.as_deref(),
    };
    let record = intake.inspect(received).await;
    if shared.updates.is_closed() {
        // The window is gone: stored, but answered so that it comes again to the next run.
        if let Err(err) = intake.keep(record, None).await {
            return not_stored(&err);
        }
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the receiver is shutting down",
        )
            .into_response();
    }
    // The answer is made before the commit, so the exchange goes into the same commit as its
    // SET: one round trip to the writer, and 202 only once both are durably stored (RFC 8935
    // §2.2); otherwise the transmitter retries.
    let answer = set_answer(record.rejection.as_ref());
    let exchange = Exchange {
        id: arrived.exchange,
        at: received_at,
        stream: Some(stream.key.clone()),
        method: "POST".to_owned(),
        url: arrived.uri.to_string(),
        status: Some(answer.status.as_u16()),
        request_headers: header_pairs(headers),
        request_body: String::new(),
        response_headers: header_pairs(&answer.headers),
        response_body: String::from_utf8_lossy(&answer.body).into_owned(),
        duration_millis: u64::try_from(arrived.started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
    .redact();
    let carried = (exchange, stored_reference_for(body));
    if let Err(err) = intake.keep(record, Some(carried)).await {
        return not_stored(&err);
    }
    *kept = Kept::WithSet;
    answer.into_response()
}

/// The answer to a SET that could not be stored: 503, so the transmitter tries again.
fn not_stored(err: &crate::runtime::record::RecordError) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the receiver could not store the SET: {err}"),
    )
        .into_response()
}
