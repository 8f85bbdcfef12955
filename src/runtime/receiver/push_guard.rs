//! Connection limits of the push endpoint, so idle or slow clients cannot hold it.
//!
//! At most [`ConnLimits::max_connections`] are open at once. A connection beyond them is not
//! refused: it takes the place of the open one that has kept the listener waiting longest, which
//! is the one that has been waiting for its client since the earliest moment (since it was
//! opened, or since its last answer), whether it sent part of a request or nothing. A connection
//! whose request has arrived whole is being answered and goes only when every one is. An
//! attacker's idle, slow-header or slow-body sockets are therefore the ones closed, and a
//! transmitter that connects and sends its push at once is served, however many sockets are held
//! against it and however fast they reconnect. Each connection also has deadlines: its first byte within
//! [`ConnLimits::first_byte`], a request's headers and body within
//! [`ConnLimits::request_deadline`] of its first byte, and at most [`ConnLimits::idle_timeout`]
//! without a byte between requests.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// Connections held at once by default (fewer when the process may not open that many files:
/// see `net::open_files`).
pub const MAX_CONNECTIONS: usize = 4096;
/// Connections the system may queue for the listener before it takes them.
pub const LISTEN_BACKLOG: u32 = 4096;
/// By default, from a connection's opening to its first byte (a TLS ClientHello, or a request).
pub const FIRST_BYTE: Duration = Duration::from_secs(5);
/// By default, from the first byte of a request to its answer's first byte: headers and body
/// must have arrived by then.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// By default, a connection with no byte read or written for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// By default, a TLS handshake not done by then is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The push listener's connection limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnLimits {
    /// Connections held at once; one more takes the place of the one that did least.
    pub max_connections: usize,
    /// From opening to the first byte.
    pub first_byte: Duration,
    /// From a request's first byte to its answer.
    pub request_deadline: Duration,
    /// Without a byte, between requests.
    pub idle_timeout: Duration,
    /// For a TLS handshake.
    pub handshake_timeout: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            max_connections: MAX_CONNECTIONS,
            first_byte: FIRST_BYTE,
            request_deadline: REQUEST_DEADLINE,
            idle_timeout: IDLE_TIMEOUT,
            handshake_timeout: HANDSHAKE_TIMEOUT,
        }
    }
}

/// A push listener's connections: open now, and closed to make room so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnStats {
    pub open: usize,
    pub evicted: u64,
}

/// The open connections, and how many were closed to make room.
pub(super) struct Pool {
    limits: ConnLimits,
    open: Mutex<Open>,
    evicted: AtomicU64,
}

#[derive(Default)]
struct Open {
    next: u64,
    by_id: HashMap<u64, Arc<Conn>>,
}

/// What the pool knows of one connection.
struct Conn {
    progress: Mutex<Progress>,
    evicted: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

#[derive(Clone, Copy)]
struct Progress {
    /// When it was opened.
    opened: Instant,
    /// The last byte read or written.
    last: Option<Instant>,
    /// The first byte of the request being read (none since the last answer).
    request_since: Option<Instant>,
    /// Since when the listener has been waiting for this client: its opening, or its last answer.
    waiting_since: Instant,
    /// Its request has arrived whole and is being answered.
    received: bool,
}

impl Progress {
    /// Which to close first: lower ranks go first. Those waiting for their client before those
    /// being answered, each the one waiting since the earliest first.
    fn rank(&self) -> (bool, Instant) {
        (self.received, self.waiting_since)
    }
}

impl Pool {
    pub(super) fn new(limits: ConnLimits) -> Arc<Self> {
        Arc::new(Self {
            limits,
            open: Mutex::default(),
            evicted: AtomicU64::new(0),
        })
    }

    pub(super) fn limits(&self) -> ConnLimits {
        self.limits
    }

    /// Connections open now, and how many were closed to make room so far.
    pub(super) fn stats(&self) -> ConnStats {
        ConnStats {
            open: self.open.lock().by_id.len(),
            evicted: self.evicted.load(Ordering::Relaxed),
        }
    }

    /// Take in a new connection; when the pool is full, the one that did least is closed first.
    pub(super) fn admit(self: &Arc<Self>) -> Admitted {
        let now = Instant::now();
        let conn = Arc::new(Conn {
            progress: Mutex::new(Progress {
                opened: now,
                last: None,
                request_since: None,
                waiting_since: now,
                received: false,
            }),
            evicted: AtomicBool::new(false),
            waker: Mutex::new(None),
        });
        let mut open = self.open.lock();
        while open.by_id.len() >= self.limits.max_connections.max(1) {
            let victim = open
                .by_id
                .iter()
                .min_by_key(|(_, conn)| conn.progress.lock().rank())
                .map(|(id, _)| *id);
            let Some(conn) = victim.and_then(|id| open.by_id.remove(&id)) else {
                break;
            };
            conn.evict();
            let count = self.evicted.fetch_add(1, Ordering::Relaxed) + 1;
            if count.is_power_of_two() {
                tracing::debug!(
                    "push listener: {count} connections closed so far to make room for new ones"
                );
            }
        }
        let id = open.next;
        open.next += 1;
        open.by_id.insert(id, Arc::clone(&conn));
        Admitted {
            pool: Arc::clone(self),
            id,
            conn,
        }
    }

    /// Connections open now.
    #[cfg(test)]
    fn open_count(&self) -> usize {
        self.open.lock().by_id.len()
    }
}

impl Conn {
    fn evict(&self) {
        self.evicted.store(true, Ordering::Release);
        if let Some(waker) = self.waker.lock().take() {
            waker.wake();
        }
    }
}

/// A connection's place in the pool, given back when dropped.
pub(super) struct Admitted {
    pool: Arc<Pool>,
    id: u64,
    conn: Arc<Conn>,
}

impl Admitted {
    /// Whether the pool closed it to make room.
    pub(super) fn was_evicted(&self) -> bool {
        self.conn.evicted.load(Ordering::Acquire)
    }
}

/// Tells whether a connection was closed to make room.
pub(super) struct EvictionWatch(Arc<Conn>);

impl EvictionWatch {
    pub(super) fn was_evicted(&self) -> bool {
        self.0.evicted.load(Ordering::Acquire)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.pool.open.lock().by_id.remove(&self.id);
    }
}

/// Tells the pool that a connection's request has arrived whole, so it is not closed to make
/// room while it is answered.
#[derive(Clone)]
pub(super) struct RequestMark(Arc<Conn>);

impl RequestMark {
    pub(super) fn received(&self) {
        self.0.progress.lock().received = true;
    }
}

/// A connection with its place in the pool and its deadlines.
pub struct Tracked<Io> {
    io: Io,
    place: Admitted,
    limits: ConnLimits,
    /// The next deadline.
    timer: Pin<Box<Sleep>>,
}

impl<Io> Tracked<Io> {
    pub(super) fn new(io: Io, place: Admitted) -> Self {
        let limits = place.pool.limits();
        let opened = place.conn.progress.lock().opened;
        Self {
            io,
            place,
            limits,
            timer: Box::pin(tokio::time::sleep_until(opened + limits.first_byte)),
        }
    }

    /// Tells, after the connection was handed on (to a TLS handshake), whether the pool closed
    /// it to make room.
    pub(super) fn eviction_watch(&self) -> EvictionWatch {
        EvictionWatch(Arc::clone(&self.place.conn))
    }

    /// For the request bodies read on this connection: marks a request received whole.
    pub(super) fn request_mark(&self) -> RequestMark {
        RequestMark(Arc::clone(&self.place.conn))
    }

    fn deadline(&self) -> Instant {
        let progress = *self.place.conn.progress.lock();
        let quiet = match progress.last {
            Some(last) => last + self.limits.idle_timeout,
            None => progress.opened + self.limits.first_byte,
        };
        match progress.request_since {
            Some(since) => quiet.min(since + self.limits.request_deadline),
            None => quiet,
        }
    }

    /// Err when the connection was closed to make room, or a deadline has passed; else the
    /// task is woken by either.
    fn check(&mut self, cx: &mut Context<'_>) -> std::io::Result<()> {
        *self.place.conn.waker.lock() = Some(cx.waker().clone());
        if self.place.was_evicted() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "closed to make room for a new connection",
            ));
        }
        let deadline = self.deadline();
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                let progress = *self.place.conn.progress.lock();
                let why = match (progress.last, progress.request_since) {
                    (None, _) => "no byte arrived in time",
                    (_, Some(_)) => "the request did not arrive in time",
                    (Some(_), None) => "the connection was idle too long",
                };
                Err(std::io::Error::new(std::io::ErrorKind::TimedOut, why))
            }
            Poll::Pending => Ok(()),
        }
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for Tracked<Io> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if let Err(err) = this.check(cx) {
            return Poll::Ready(Err(err));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut this.io).poll_read(cx, buf);
        if matches!(read, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let now = Instant::now();
            let mut progress = this.place.conn.progress.lock();
            progress.last = Some(now);
            progress.request_since.get_or_insert(now);
        }
        read
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for Tracked<Io> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.place.was_evicted() {
            return Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "closed to make room for a new connection",
            )));
        }
        let written = Pin::new(&mut this.io).poll_write(cx, data);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            let now = Instant::now();
            let mut progress = this.place.conn.progress.lock();
            progress.last = Some(now);
            progress.request_since = None;
            if progress.received {
                progress.received = false;
                progress.waiting_since = now;
            }
        }
        written
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max: usize) -> ConnLimits {
        ConnLimits {
            max_connections: max,
            ..ConnLimits::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_pool_closes_the_one_waiting_longest() {
        let pool = Pool::new(limits(2));
        let first = pool.admit();
        tokio::time::advance(Duration::from_millis(10)).await;
        let second = pool.admit();
        let third = pool.admit();
        assert!(first.was_evicted());
        assert!(!second.was_evicted() && !third.was_evicted());
        assert_eq!(pool.open_count(), 2);
        drop(first);
        assert_eq!(
            pool.open_count(),
            2,
            "an evicted place is already given back"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_connection_outlives_older_ones_that_sent_part_of_a_request() {
        let pool = Pool::new(limits(2));
        let slow = pool.admit();
        slow.conn.progress.lock().request_since = Some(Instant::now());
        tokio::time::advance(Duration::from_millis(10)).await;
        let fresh = pool.admit();
        let _next = pool.admit();
        assert!(slow.was_evicted(), "waiting since the earliest goes first");
        assert!(
            !fresh.was_evicted(),
            "a new connection is not the first to go"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_received_whole_goes_only_when_every_one_is() {
        let pool = Pool::new(limits(2));
        let answering = pool.admit();
        tokio::time::advance(Duration::from_millis(10)).await;
        let waiting = pool.admit();
        RequestMark(Arc::clone(&answering.conn)).received();
        let newcomer = pool.admit();
        assert!(
            waiting.was_evicted(),
            "one waiting for its client goes first"
        );
        assert!(!answering.was_evicted());
        RequestMark(Arc::clone(&newcomer.conn)).received();
        let _another = pool.admit();
        assert!(
            answering.was_evicted(),
            "then the one waiting since the earliest"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn eviction_wakes_the_connection_so_it_closes_at_once() {
        use tokio::io::AsyncReadExt as _;
        let pool = Pool::new(limits(1));
        let (client, server) = tokio::io::duplex(64);
        let mut tracked = Tracked::new(server, pool.admit());
        let reader = tokio::spawn(async move {
            let mut buf = [0_u8; 8];
            tracked.read(&mut buf).await
        });
        tokio::task::yield_now().await;
        let _newcomer = pool.admit();
        let read = reader.await.expect("the read task");
        let err = read.expect_err("closed to make room");
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionAborted);
        drop(client);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_that_says_nothing_is_closed_after_the_first_byte_deadline() {
        use tokio::io::AsyncReadExt as _;
        let pool = Pool::new(limits(4));
        let (_client, server) = tokio::io::duplex(64);
        let mut tracked = Tracked::new(server, pool.admit());
        let started = Instant::now();
        let mut buf = [0_u8; 8];
        let err = tracked.read(&mut buf).await.expect_err("timed out");
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), FIRST_BYTE);
    }
}
