//! Serving the push endpoint until the session stops it: one accept loop for plain TCP and TLS.
//! Every accepted connection takes a place in the pool (`push_guard`), which closes the one that
//! did least when full; each is served by a task of its own (its TLS handshake too, so a failed
//! one never stops the listener), over HTTP/1.1 with half-closed connections answered.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Router;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper_util::rt::TokioIo;
use parking_lot::Mutex;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

use super::push_guard::{Pool, RequestMark, Tracked};

/// Failed TLS handshakes logged per minute; the rest are counted.
const LOGGED_FAILURES_PER_MINUTE: u32 = 10;

/// The TLS side of a listener: what it serves with, and where failed handshakes are counted.
#[derive(Clone)]
pub(super) struct TlsSide {
    pub acceptor: TlsAcceptor,
    pub refusals: Arc<TlsRefusals>,
}

/// Accept and serve until `cancel` fires. A failed accept (too many open files) is waited out,
/// never the end of the listener.
pub(super) async fn serve(
    tcp: TcpListener,
    tls: Option<TlsSide>,
    app: Router,
    pool: Arc<Pool>,
    cancel: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => return,
            accepted = tcp.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                // A connection dropped before it was taken is nothing; anything else (too many
                // open files) is waited out.
                use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
                if !matches!(
                    err.kind(),
                    ConnectionAborted | ConnectionRefused | ConnectionReset
                ) {
                    tracing::warn!("push listener: accept failed: {err}");
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
                continue;
            }
        };
        stream.set_nodelay(true).ok();
        let io = Tracked::new(stream, pool.admit());
        let mark = io.request_mark();
        let (tls, app, cancel) = (tls.clone(), app.clone(), cancel.clone());
        let handshake_timeout = pool.limits().handshake_timeout;
        tokio::spawn(async move {
            match tls {
                None => serve_http(io, app, mark, cancel).await,
                Some(tls) => {
                    let evicted = io.eviction_watch();
                    let handshake = tls.acceptor.accept(io);
                    match tokio::time::timeout(handshake_timeout, handshake).await {
                        Ok(Ok(io)) => serve_http(io, app, mark, cancel).await,
                        // Closed to make room: nothing the transmitter refused.
                        Ok(Err(_)) if evicted.was_evicted() => {}
                        Ok(Err(err)) => tls.refusals.note(peer, &err.to_string()),
                        Err(_) => tls.refusals.note(peer, "timed out"),
                    }
                }
            }
        });
    }
}

/// HTTP/1.1 on one connection until it closes; when the session stops, the request under way
/// is answered first. A client that half-closes after its request still gets the answer. Each
/// request tells the pool when its body has arrived whole (`mark`).
async fn serve_http<Io>(io: Io, app: Router, mark: RequestMark, cancel: CancellationToken)
where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
        let (app, mark) = (app.clone(), mark.clone());
        async move {
            let request = request.map(|body| {
                axum::body::Body::new(Marked {
                    body,
                    mark: Some(mark),
                })
            });
            app.oneshot(request).await
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .half_close(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    tokio::select! {
        served = connection.as_mut() => {
            if let Err(err) = served {
                tracing::trace!("push listener: connection ended: {err}");
            }
        }
        () = cancel.cancelled() => {
            connection.as_mut().graceful_shutdown();
            connection.await.ok();
        }
    }
}

/// A request body that tells the pool when it has been read to its end.
struct Marked<B> {
    body: B,
    mark: Option<RequestMark>,
}

impl<B: HttpBody + Unpin> HttpBody for Marked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        if (matches!(polled, Poll::Ready(None)) || this.body.is_end_stream())
            && let Some(mark) = this.mark.take()
        {
            mark.received();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Failed TLS handshakes: counted, the latest kept (a create that fails while the transmitter
/// could not verify this receiver's certificate is linked to them), and logged at debug a few
/// per minute.
#[derive(Debug, Default)]
pub struct TlsRefusals {
    window: Mutex<Option<(Instant, u32)>>,
    total: std::sync::atomic::AtomicU64,
    latest: Mutex<Option<String>>,
}

impl TlsRefusals {
    /// How many handshakes failed so far.
    pub fn count(&self) -> u64 {
        self.total.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The latest failure: with whom, and why.
    pub fn latest(&self) -> Option<String> {
        self.latest.lock().clone()
    }

    fn note(&self, peer: SocketAddr, why: &str) {
        self.total
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *self.latest.lock() = Some(format!("{peer}: {why}"));
        let mut window = self.window.lock();
        let now = Instant::now();
        let (started, count) = match *window {
            Some((started, count)) if now.duration_since(started) < Duration::from_secs(60) => {
                (started, count)
            }
            Some((_, count)) => {
                if count > LOGGED_FAILURES_PER_MINUTE {
                    let unlogged = count - LOGGED_FAILURES_PER_MINUTE;
                    tracing::debug!(
                        "push listener: {unlogged} more TLS handshakes failed (not logged)"
                    );
                }
                (now, 0)
            }
            None => (now, 0),
        };
        if count < LOGGED_FAILURES_PER_MINUTE {
            tracing::debug!("push listener: TLS handshake with {peer} failed: {why}");
        }
        *window = Some((started, count.saturating_add(1)));
    }
}
