//! An async netlink socket on tokio (feature `tokio`): the same socket, request patterns and
//! rules as the blocking [`NlSocket`], driven by readiness instead of blocking reads.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), netlink_genl_core::Error> {
//! use netlink_genl_core::consts::protocol;
//! use netlink_genl_core::request::RawRequest;
//! use netlink_genl_core::socket::NlSocket;
//! use netlink_genl_core::tokio::AsyncNlSocket;
//!
//! let mut sock = AsyncNlSocket::new(NlSocket::new(protocol::GENERIC)?)?;
//! // nlctrl GETFAMILY dump, as raw bytes: genl header {cmd 3, version 1}.
//! let mut families = 0;
//! sock.dump(&RawRequest::new(0x10, &[3, 1, 0, 0]), 0, |_msg| {
//!     families += 1;
//!     Ok(())
//! })
//! .await?;
//! assert!(families > 0);
//! # Ok(())
//! # }
//! ```

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use ::tokio::io::unix::AsyncFd;
use ::tokio::time::Sleep;
use futures_core::Stream;

use crate::consts::{NLM_F_ACK, NLM_F_DUMP};
use crate::error::Error;
use crate::header::NlMsgHdr;
use crate::message::Message;
use crate::request::{DumpSummary, Exchange, NlRequest};
use crate::socket::{NlSocket, Notification, WithTimeout};

fn would_block(e: &Error) -> bool {
    matches!(e, Error::Io(io) if io.kind() == io::ErrorKind::WouldBlock)
}

/// A [`NlSocket`] registered with the tokio reactor: the same core, rules and errors as the
/// blocking socket, driven by readiness instead of blocking reads. Needs a tokio runtime with
/// I/O and time enabled (the timeouts use tokio's timer).
///
/// Every future and stream it returns is `Send` when its inputs are, and can be dropped at any
/// `.await`: an exchange left unfinished is read to its end before the socket's next request.
/// A dump yields to the runtime between datagrams (the kernel fills the next datagram inside
/// each receive, so without a yield a long dump would hold the worker to its end).
#[derive(Debug)]
pub struct AsyncNlSocket {
    inner: AsyncFd<NlSocket>,
    /// The timer bounding the current wait.
    sleep: Option<Pin<Box<Sleep>>>,
    /// A datagram was read since the task last yielded.
    read_since_yield: bool,
}

impl AsyncNlSocket {
    /// Put `sock` in non-blocking mode and register it with the current tokio runtime.
    /// Configure the socket (buffer sizes, options) before; memberships and timeouts can also
    /// change after.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime with I/O enabled (tokio's own rule for registering a file
    /// descriptor).
    pub fn new(mut sock: NlSocket) -> Result<Self, Error> {
        sock.set_nonblocking(true)?;
        // SAFETY: `register` needs the fd to stay open, and to be what `as_raw_fd` returns,
        // for as long as it is registered. The `NlSocket` owns its fd (an `OwnedFd`, or the
        // event fd of its in-memory transport, held by an `Arc` the socket keeps; never
        // replaced or closed before drop, and `as_raw_fd` always returns it), and this type
        // owns the `NlSocket` and lends it only as `&NlSocket` or within its own methods (no
        // `&mut` escapes, so it cannot be swapped out or dropped while registered);
        // `into_inner` deregisters first.
        let inner = unsafe { AsyncFd::register(sock) }.map_err(io::Error::from)?;
        Ok(AsyncNlSocket {
            inner,
            sleep: None,
            read_since_yield: false,
        })
    }

    /// The socket (port id, counters, options).
    pub fn get_ref(&self) -> &NlSocket {
        self.inner.get_ref()
    }

    /// Join multicast group `group` (see [`NlSocket::add_membership`]).
    pub fn add_membership(&mut self, group: u32) -> Result<(), Error> {
        self.inner.get_mut().add_membership(group)
    }

    /// Leave multicast group `group`.
    pub fn drop_membership(&mut self, group: u32) -> Result<(), Error> {
        self.inner.get_mut().drop_membership(group)
    }

    /// Set the kernel receive buffer (`SO_RCVBUF`, see [`NlSocket::set_recv_buffer_size`]).
    pub fn set_recv_buffer_size(&mut self, bytes: usize) -> Result<(), Error> {
        self.inner.get_mut().set_recv_buffer_size(bytes)
    }

    /// Names for this socket's `NETLINK_DEBUG` trace (see [`NlSocket::set_debug_names`]).
    pub fn set_debug_names(&mut self, names: Box<dyn crate::debug::Resolver + Send + Sync>) {
        self.inner.get_mut().set_debug_names(names);
    }

    /// The longest a request or dump waits for each datagram of its answer (see
    /// [`NlSocket::set_timeout`]).
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.get_ref().timeout()
    }

    /// Bound the wait for each datagram of an answer ([`NlSocket::set_timeout`]).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.get_mut().set_timeout(timeout);
    }

    /// This socket with another timeout until the guard is dropped:
    /// `sock.with_timeout(d).request(..).await`.
    pub fn with_timeout(&mut self, timeout: Duration) -> WithTimeout<'_, Self> {
        let before = self.timeout();
        self.set_timeout(Some(timeout));
        WithTimeout::new(self, before, |s, t| s.set_timeout(t))
    }

    /// Bound the wait for a notification ([`NlSocket::set_event_timeout`]).
    pub fn set_event_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.get_mut().set_event_timeout(timeout);
    }

    /// Deregister and return the (still non-blocking) socket.
    pub fn into_inner(self) -> NlSocket {
        self.inner.into_inner()
    }

    /// Start the next wait from now: a wait left by a dropped future or stream does not count.
    #[inline]
    fn fresh_wait(&mut self) {
        if self.sleep.is_some() {
            self.sleep = None;
        }
        self.inner.get_mut().core_mut().reset_wait();
    }

    /// Run one core step to completion (a new operation: its wait starts now).
    async fn step<T>(
        &mut self,
        mut ex: Option<&mut Exchange>,
        mut op: impl FnMut(&mut NlSocket, Option<&mut Exchange>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.fresh_wait();
        poll_fn(|cx| self.poll_step(cx, ex.as_deref_mut(), &mut op)).await
    }

    /// Poll one core step until it does not fail with `WouldBlock`: wait for readiness, bound
    /// the wait by the core's deadline, and, when the step needs a new datagram and one was
    /// read since the task last yielded, yield first. `ex`: the exchange a timeout ends.
    fn poll_step<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut ex: Option<&mut Exchange>,
        mut op: impl FnMut(&mut NlSocket, Option<&mut Exchange>) -> Result<T, Error>,
    ) -> Poll<Result<T, Error>> {
        loop {
            if self.read_since_yield && self.inner.get_ref().core_ref().needs_datagram() {
                self.read_since_yield = false;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let before = self.inner.get_ref().stats().datagrams;
            let r = op(self.inner.get_mut(), ex.as_deref_mut());
            if self.inner.get_ref().stats().datagrams != before {
                self.read_since_yield = true;
            }
            match r {
                Err(e) if would_block(&e) => {}
                r => {
                    self.fresh_wait();
                    return Poll::Ready(r);
                }
            }
            match self.inner.poll_read_ready_mut(cx) {
                Poll::Ready(Ok(mut guard)) => {
                    guard.clear_ready();
                    continue;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Pending => {}
            }
            let Some(deadline) = self.inner.get_mut().core_mut().wait_deadline() else {
                self.sleep = None;
                return Poll::Pending;
            };
            let deadline = ::tokio::time::Instant::from_std(deadline);
            let sleep = match &mut self.sleep {
                Some(s) if s.deadline() == deadline => s,
                slot => slot.insert(Box::pin(::tokio::time::sleep_until(deadline))),
            };
            if sleep.as_mut().poll(cx).is_ready() {
                self.sleep = None;
                match self
                    .inner
                    .get_mut()
                    .core_mut()
                    .wait_expired(ex.as_deref_mut())
                {
                    Some(e) => return Poll::Ready(Err(e)),
                    // An abandoned exchange timed out while settled: the step goes on.
                    None => continue,
                }
            }
            return Poll::Pending;
        }
    }

    /// Build a request (see [`Connection::begin`](crate::conn::Connection::begin)).
    pub(crate) fn begin<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        let ex = self.inner.get_mut().begin(req, flags)?;
        self.read_since_yield = false;
        self.fresh_wait();
        Ok(ex)
    }

    /// Send the request built by `begin`, after reading any exchange left unfinished to its
    /// end.
    pub(crate) async fn send_pending(&mut self) -> Result<(), Error> {
        self.step(None, |s, _| s.settle()).await?;
        self.step(None, |s, _| s.send_pending()).await
    }

    /// Build and send a request. The request is only borrowed while it is built, so the
    /// future is `Send` whatever `R` is.
    async fn start<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        let ex = self.begin(req, flags)?;
        self.send_pending().await?;
        Ok(ex)
    }

    /// Send `req` (see [`NlSocket::send_request`]); read its answer with
    /// [`next_reply`](Self::next_reply).
    pub async fn send_request<R: NlRequest>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<Exchange, Error> {
        self.start(req, flags).await
    }

    /// Send `req` as a request with `NLM_F_ACK`; read the answer with
    /// [`next_reply`](Self::next_reply).
    pub async fn start_request<R: NlRequest>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<Exchange, Error> {
        self.start(req, flags | NLM_F_ACK).await
    }

    /// Send `req` as a dump; read the answer with [`next_reply`](Self::next_reply).
    pub async fn start_dump<R: NlRequest>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<Exchange, Error> {
        self.start(req, flags | NLM_F_DUMP).await
    }

    /// The next data message answering `ex`, borrowed from the receive buffer, or `None` when
    /// the answer is complete (see [`NlSocket::next_reply`]).
    pub async fn next_reply(&mut self, ex: &mut Exchange) -> Result<Option<Message<'_>>, Error> {
        let pos = self.step(Some(&mut *ex), next_pos).await?;
        match pos {
            Some((start, end)) => self.inner.get_ref().message_at(start, end).map(Some),
            None => Ok(None),
        }
    }

    /// Poll for the next data message of `ex`, borrowed from the receive buffer; `None` when
    /// the answer is complete. For hand-written futures and streams.
    pub fn poll_next_reply(
        &mut self,
        cx: &mut Context<'_>,
        ex: &mut Exchange,
    ) -> Poll<Result<Option<Message<'_>>, Error>> {
        match self.poll_step(cx, Some(ex), next_pos) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Ready(Ok(None)) => Poll::Ready(Ok(None)),
            Poll::Ready(Ok(Some((start, end)))) => {
                Poll::Ready(self.inner.get_ref().message_at(start, end).map(Some))
            }
        }
    }

    /// Read and discard the rest of an exchange's answer (see [`NlSocket::drain`]).
    pub async fn drain(&mut self, ex: &mut Exchange) {
        while !ex.is_done() {
            match self.next_reply(ex).await {
                Ok(_) => {}
                Err(Error::Io(_)) => return,
                Err(_) => {}
            }
        }
    }

    /// Send `req` and call `on_reply` with each reply until the answer ends (see
    /// [`NlSocket::request_with`]). Returns the number of replies.
    pub async fn request_with<R, F>(
        &mut self,
        req: &R,
        flags: u16,
        on_reply: F,
    ) -> Result<usize, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start(req, flags).await?;
        self.drive(&mut ex, on_reply).await?;
        Ok(ex.messages())
    }

    /// Send `req` with `NLM_F_ACK` and call `on_reply` with each reply until the ACK (see
    /// [`NlSocket::request`]). Returns the number of replies.
    pub async fn request<R, F>(&mut self, req: &R, flags: u16, on_reply: F) -> Result<usize, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        self.request_with(req, flags | NLM_F_ACK, on_reply).await
    }

    /// Send `req` with `NLM_F_ACK` and wait for the ACK.
    pub async fn ack<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<(), Error> {
        self.request(req, flags, |_| Ok(())).await.map(drop)
    }

    /// Send `req` as a dump and call `on_msg` with each message until `NLMSG_DONE` (see
    /// [`NlSocket::dump`]).
    pub async fn dump<R, F>(&mut self, req: &R, flags: u16, on_msg: F) -> Result<DumpSummary, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start(req, flags | NLM_F_DUMP).await?;
        self.drive(&mut ex, on_msg).await?;
        Ok(ex.summary())
    }

    /// Feed every reply of `ex` to `f`; if `f` fails, drain the rest and return its error.
    async fn drive<F>(&mut self, ex: &mut Exchange, mut f: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        while let Some(m) = self.next_reply(ex).await? {
            if let Err(e) = f(m) {
                self.drain(ex).await;
                return Err(e);
            }
        }
        Ok(())
    }

    /// The next notification (see [`NlSocket::recv_notification`]), borrowed from the socket.
    pub async fn recv_notification(&mut self) -> Result<Notification<'_>, Error> {
        let pos = self.step(None, |s, _| s.next_notification_pos()).await?;
        self.inner.get_ref().notification_at(pos)
    }

    /// Poll for the next notification, borrowed from the socket.
    pub fn poll_recv_notification(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Notification<'_>, Error>> {
        match self.poll_step(cx, None, |s, _| s.next_notification_pos()) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Ready(Ok(pos)) => Poll::Ready(self.inner.get_ref().notification_at(pos)),
        }
    }

    /// Notifications as a [`Stream`] of owned messages. [`Error::Overrun`] items say that
    /// notifications were lost; the stream goes on after them.
    pub fn notifications(&mut self) -> Notifications<'_> {
        self.fresh_wait();
        Notifications { sock: self }
    }
}

fn next_pos(s: &mut NlSocket, ex: Option<&mut Exchange>) -> Result<Option<(usize, usize)>, Error> {
    match ex {
        Some(ex) => s.next_reply_pos(ex),
        None => Ok(None),
    }
}

/// A notification copied out of the socket (see [`AsyncNlSocket::notifications`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedNotification {
    /// The multicast group (0 for a unicast notification).
    pub group: u32,
    /// The message header.
    pub header: NlMsgHdr,
    /// The whole message, header included.
    pub bytes: Vec<u8>,
}

impl OwnedNotification {
    /// The message, borrowed.
    pub fn message(&self) -> Option<Message<'_>> {
        crate::message::MessageIter::new(&self.bytes).next()?.ok()
    }
}

/// A [`Stream`] of [`OwnedNotification`]s.
#[derive(Debug)]
pub struct Notifications<'s> {
    sock: &'s mut AsyncNlSocket,
}

impl Stream for Notifications<'_> {
    type Item = Result<OwnedNotification, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.sock.poll_recv_notification(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(r) => Poll::Ready(Some(r.map(|n| OwnedNotification {
                group: n.group,
                header: *n.message.header(),
                bytes: message_bytes(&n.message),
            }))),
        }
    }
}

/// The bytes of a message: header and payload.
fn message_bytes(m: &Message<'_>) -> Vec<u8> {
    let mut v = Vec::with_capacity(crate::consts::NLMSG_HDRLEN + m.payload().len());
    v.extend_from_slice(zerocopy::IntoBytes::as_bytes(m.header()));
    v.extend_from_slice(m.payload());
    v
}
