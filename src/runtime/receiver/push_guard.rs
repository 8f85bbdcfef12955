//! Connection limits of the push endpoint, so slow or idle clients cannot hold it: at most
//! [`MAX_CONNECTIONS`] at once (one more is closed at accept), a request whose headers and body
//! do not arrive within [`REQUEST_DEADLINE`] is cut off (the slow-header and slow-body
//! attacks), and a keep-alive connection idle for [`IDLE_TIMEOUT`] is closed.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Connections served at once; one more is closed as soon as it is accepted.
pub const MAX_CONNECTIONS: usize = 512;
/// From the first byte of a request to its answer's first byte: headers and body must have
/// arrived by then.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// A connection with no byte read or written for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A listener whose connections are counted and timed.
pub(super) struct Guarded<L> {
    inner: L,
    slots: Arc<Semaphore>,
}

impl<L> Guarded<L> {
    pub(super) fn new(inner: L) -> Self {
        Self {
            inner,
            slots: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        }
    }
}

impl<L> axum::serve::Listener for Guarded<L>
where
    L: axum::serve::Listener,
{
    type Io = GuardedIo<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (io, addr) = self.inner.accept().await;
            // Over the limit: dropping the connection closes it (and frees its descriptor).
            if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
                return (GuardedIo::new(io, permit), addr);
            }
            tracing::debug!("push listener: {MAX_CONNECTIONS} connections open; one more closed");
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A connection with its slot and its deadlines.
pub struct GuardedIo<Io> {
    io: Io,
    _slot: OwnedSemaphorePermit,
    /// The next deadline: idle, or the pending request's.
    timer: Pin<Box<Sleep>>,
    last_activity: Instant,
    /// When the first byte of the request now being read arrived (none since the last write).
    reading_since: Option<Instant>,
}

impl<Io> GuardedIo<Io> {
    fn new(io: Io, slot: OwnedSemaphorePermit) -> Self {
        let now = Instant::now();
        Self {
            io,
            _slot: slot,
            timer: Box::pin(tokio::time::sleep_until(now + IDLE_TIMEOUT)),
            last_activity: now,
            reading_since: None,
        }
    }

    fn deadline(&self) -> Instant {
        let idle = self.last_activity + IDLE_TIMEOUT;
        match self.reading_since {
            Some(since) => idle.min(since + REQUEST_DEADLINE),
            None => idle,
        }
    }

    /// Err when the deadline has passed (the timer wakes the task when it does).
    fn check(&mut self, cx: &mut Context<'_>) -> std::io::Result<()> {
        let deadline = self.deadline();
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                if self.reading_since.is_some() {
                    "the request did not arrive in time"
                } else {
                    "the connection was idle too long"
                },
            )),
            Poll::Pending => Ok(()),
        }
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for GuardedIo<Io> {
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
            this.last_activity = now;
            this.reading_since.get_or_insert(now);
        }
        read
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for GuardedIo<Io> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.io).poll_write(cx, data);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            this.last_activity = Instant::now();
            this.reading_since = None;
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
