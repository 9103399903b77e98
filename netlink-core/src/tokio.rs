//! An async netlink socket on tokio (feature `tokio`): the same socket, request patterns and
//! rules as the blocking [`NlSocket`], driven by readiness instead of blocking reads.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), netlink_core::Error> {
//! use netlink_core::consts::protocol;
//! use netlink_core::request::RawRequest;
//! use netlink_core::socket::NlSocket;
//! use netlink_core::tokio::AsyncNlSocket;
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

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use ::tokio::io::unix::AsyncFd;
use futures_core::Stream;

use crate::error::Error;
use crate::header::NlMsgHdr;
use crate::message::Message;
use crate::request::{DumpSummary, Exchange, NlRequest};
use crate::socket::{NlSocket, Notification};

fn would_block(e: &Error) -> bool {
    matches!(e, Error::Io(io) if io.kind() == io::ErrorKind::WouldBlock)
}

/// A [`NlSocket`] registered with the tokio reactor. Needs a tokio runtime with I/O enabled.
#[derive(Debug)]
pub struct AsyncNlSocket {
    inner: AsyncFd<NlSocket>,
}

impl AsyncNlSocket {
    /// Put `sock` in non-blocking mode and register it with the current tokio runtime.
    /// Configure the socket (buffer sizes, options) before; memberships can also change after.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime with I/O enabled (tokio's own rule for registering a file
    /// descriptor).
    pub fn new(mut sock: NlSocket) -> Result<Self, Error> {
        sock.set_nonblocking(true)?;
        // SAFETY: `register` needs the fd to stay open, and to be what `as_raw_fd` returns,
        // for as long as it is registered. The `NlSocket` owns its fd (`OwnedFd`, never
        // replaced or closed before drop, and `as_raw_fd` always returns it), and this type
        // owns the `NlSocket` and lends it only as `&NlSocket` (no `&mut` escapes, so it cannot
        // be swapped out or dropped while registered); `into_inner` deregisters first.
        let inner = unsafe { AsyncFd::register(sock) }.map_err(io::Error::from)?;
        Ok(AsyncNlSocket { inner })
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

    /// Deregister and return the (still non-blocking) socket.
    pub fn into_inner(self) -> NlSocket {
        self.inner.into_inner()
    }

    /// Run `op` until it does not fail with `WouldBlock`, waiting for the socket to be readable
    /// (or writable) in between.
    async fn retry<T>(
        &mut self,
        write: bool,
        mut op: impl FnMut(&mut NlSocket) -> Result<T, Error>,
    ) -> Result<T, Error> {
        loop {
            match op(self.inner.get_mut()) {
                Err(e) if would_block(&e) => {
                    let mut guard = if write {
                        self.inner.writable_mut().await?
                    } else {
                        self.inner.readable_mut().await?
                    };
                    guard.clear_ready();
                }
                r => return r,
            }
        }
    }

    /// Send `req` (see [`NlSocket::send_request`]). Returns its sequence number.
    pub async fn send_request<R: NlRequest + ?Sized>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<u32, Error> {
        self.retry(true, |s| s.send_request(req, flags)).await
    }

    /// Send `req` as a request with `NLM_F_ACK`; read the answer with
    /// [`next_reply`](Self::next_reply).
    pub async fn start_request<R: NlRequest>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<Exchange, Error> {
        self.retry(true, |s| s.start_request(req, flags)).await
    }

    /// Send `req` as a dump; read the answer with [`next_reply`](Self::next_reply).
    pub async fn start_dump<R: NlRequest>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<Exchange, Error> {
        self.retry(true, |s| s.start_dump(req, flags)).await
    }

    /// The next data message answering `ex`, borrowed from the receive buffer, or `None` when
    /// the answer is complete (see [`NlSocket::next_reply`]).
    pub async fn next_reply(&mut self, ex: &mut Exchange) -> Result<Option<Message<'_>>, Error> {
        match self.retry(false, |s| s.next_reply_pos(ex)).await? {
            Some((start, end)) => self.inner.get_ref().message_at(start, end).map(Some),
            None => Ok(None),
        }
    }

    /// Poll for the next data message of `ex`; on `Ready(Ok(Some(range)))` lend it with
    /// [`message_at`](Self::message_at). For hand-written futures and streams.
    pub fn poll_next_reply(
        &mut self,
        cx: &mut Context<'_>,
        ex: &mut Exchange,
    ) -> Poll<Result<Option<(usize, usize)>, Error>> {
        loop {
            match self.inner.get_mut().next_reply_pos(ex) {
                Err(e) if would_block(&e) => {
                    let mut guard = ready!(self.inner.poll_read_ready_mut(cx))?;
                    guard.clear_ready();
                }
                r => return Poll::Ready(r),
            }
        }
    }

    /// The message in the receive buffer at `range` (from [`poll_next_reply`](Self::poll_next_reply)).
    pub fn message_at(&self, range: (usize, usize)) -> Result<Message<'_>, Error> {
        self.inner.get_ref().message_at(range.0, range.1)
    }

    /// Send `req` with `NLM_F_ACK` and call `on_reply` with each reply until the ACK (see
    /// [`NlSocket::request`]). Returns the number of replies.
    pub async fn request<R, F>(
        &mut self,
        req: &R,
        flags: u16,
        mut on_reply: F,
    ) -> Result<usize, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start_request(req, flags).await?;
        self.drive(&mut ex, &mut on_reply).await?;
        Ok(ex.messages())
    }

    /// Send `req` with `NLM_F_ACK` and wait for the ACK.
    pub async fn ack<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<(), Error> {
        self.request(req, flags, |_| Ok(())).await.map(drop)
    }

    /// Send `req` as a dump and call `on_msg` with each message until `NLMSG_DONE` (see
    /// [`NlSocket::dump`]).
    pub async fn dump<R, F>(
        &mut self,
        req: &R,
        flags: u16,
        mut on_msg: F,
    ) -> Result<DumpSummary, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start_dump(req, flags).await?;
        self.drive(&mut ex, &mut on_msg).await?;
        Ok(ex.summary())
    }

    /// Feed every reply of `ex` to `f`; if `f` fails, drain the rest and return its error.
    async fn drive(
        &mut self,
        ex: &mut Exchange,
        f: &mut dyn FnMut(Message<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut failed = None;
        while let Some(range) = self.retry(false, |s| s.next_reply_pos(ex)).await? {
            if failed.is_none() {
                if let Err(e) = f(self.message_at(range)?) {
                    failed = Some(e);
                }
            }
        }
        failed.map_or(Ok(()), Err)
    }

    /// The next notification (see [`NlSocket::recv_notification`]), borrowed from the socket.
    pub async fn recv_notification(&mut self) -> Result<Notification<'_>, Error> {
        let pos = self.retry(false, |s| s.next_notification_pos()).await?;
        self.inner.get_ref().notification_at(pos)
    }

    /// Notifications as a [`Stream`] of owned messages. [`Error::Overrun`] items say that
    /// notifications were lost; the stream goes on after them.
    pub fn notifications(&mut self) -> Notifications<'_> {
        Notifications { sock: self }
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
        loop {
            match this.sock.inner.get_mut().next_notification_pos() {
                Ok(pos) => {
                    let n = this.sock.inner.get_ref().notification_at(pos);
                    return Poll::Ready(Some(n.map(|n| OwnedNotification {
                        group: n.group,
                        header: *n.message.header(),
                        bytes: message_bytes(&n.message),
                    })));
                }
                Err(e) if would_block(&e) => match this.sock.inner.poll_read_ready_mut(cx) {
                    Poll::Ready(Ok(mut guard)) => guard.clear_ready(),
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
                    Poll::Pending => return Poll::Pending,
                },
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
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
