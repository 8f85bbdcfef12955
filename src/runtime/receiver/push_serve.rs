//! Serving the push endpoint until the session stops it: over plain TCP, or over TLS with the
//! handshakes done aside (bounded in number and time), so a failed one never stops the listener.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::serve::Listener;
use parking_lot::Mutex;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tokio_util::sync::CancellationToken;

/// Handshakes in progress at once; a connection beyond them is closed.
const MAX_HANDSHAKES: usize = 64;
/// A handshake not done by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Failed handshakes logged per minute; the rest are counted.
const LOGGED_FAILURES_PER_MINUTE: u32 = 10;

/// Serve until `cancel` fires. `None` when asked to stop; else why serving ended on its own.
pub(super) async fn serve<L>(listener: L, app: Router, cancel: CancellationToken) -> Option<String>
where
    L: Listener,
    L::Addr: std::fmt::Debug,
{
    let shutdown = cancel.clone();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await;
    if cancel.is_cancelled() {
        return None;
    }
    Some(match served {
        Err(err) => err.to_string(),
        Ok(()) => "it stopped serving".to_owned(),
    })
}

/// TLS connections for `axum::serve`, handshaken by a task of their own.
pub(super) struct TlsListener {
    incoming: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    addr: SocketAddr,
}

impl TlsListener {
    /// Accept on `tcp` until `cancel` fires (or this listener is dropped); failed handshakes
    /// are counted in `refusals`.
    pub fn new(
        tcp: TcpListener,
        acceptor: TlsAcceptor,
        refusals: Arc<TlsRefusals>,
        cancel: CancellationToken,
    ) -> std::io::Result<Self> {
        let addr = tcp.local_addr()?;
        let (tx, incoming) = mpsc::channel(MAX_HANDSHAKES);
        tokio::spawn(accept_loop(tcp, acceptor, tx, refusals, cancel));
        Ok(Self { incoming, addr })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.incoming.recv().await {
            Some(connection) => connection,
            // The accept loop ended: the session is stopping; serving ends on its signal.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.addr)
    }
}

type Handshaken = mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>;

async fn accept_loop(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    tx: Handshaken,
    failures: Arc<TlsRefusals>,
    cancel: CancellationToken,
) {
    let slots = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => return,
            () = tx.closed() => return,
            accepted = tcp.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                // As axum does: a dropped connection is nothing; else (too many open files) wait.
                use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
                if !matches!(
                    err.kind(),
                    ConnectionAborted | ConnectionRefused | ConnectionReset
                ) {
                    tracing::warn!("push listener: accept failed: {err}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            failures.note(peer, "too many handshakes in progress");
            continue;
        };
        let (acceptor, tx, failures) = (acceptor.clone(), tx.clone(), Arc::clone(&failures));
        tokio::spawn(async move {
            let _slot = slot;
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    tx.send((tls, peer)).await.ok();
                }
                Ok(Err(err)) => failures.note(peer, &err.to_string()),
                Err(_) => failures.note(peer, "timed out"),
            }
        });
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
