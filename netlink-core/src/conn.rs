//! [`Connection`]: the socket operations that typed layers (such as `netlink-genl`) are
//! written against once, for the blocking and the tokio socket alike.
//!
//! Each operation is a future. On the blocking [`NlSocket`] it is ready when it is first
//! polled (the work, including any wait, happens inside); on the tokio
//! `AsyncNlSocket` (feature `tokio`) it waits for the reactor. A layer written
//! as `async fn`s over `C: Connection` therefore behaves the same on both, by construction;
//! its blocking face runs each future with [`run_blocking`].
//!
//! The trait is sealed: the sockets of this crate implement it.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::debug::Resolver;
use crate::error::Error;
use crate::message::Message;
use crate::request::{Exchange, NlRequest};
use crate::socket::{NlSocket, Notification};

mod sealed {
    pub trait Sealed {}
}

/// The socket operations a typed layer needs. See the [module documentation](self).
pub trait Connection: Send + sealed::Sealed {
    /// Build `req` (with `flags | NLM_F_REQUEST` and a new sequence number) into the send
    /// buffer. `NLM_F_ACK` in `flags`: the ACK ends its answer; `NLM_F_DUMP`: `NLMSG_DONE`
    /// does; neither: its first reply does. Send it with [`send`](Self::send).
    fn begin<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error>;
    /// Send the request built by [`begin`](Self::begin), after reading any exchange left
    /// unfinished (a dropped dump) to its end.
    fn send(&mut self) -> impl Future<Output = Result<(), Error>> + Send;
    /// The next data message answering `ex`, borrowed from the receive buffer, or `None` when
    /// the answer is complete.
    fn next_reply<'s>(
        &'s mut self,
        ex: &'s mut Exchange,
    ) -> impl Future<Output = Result<Option<Message<'s>>, Error>> + Send + 's;
    /// Read and discard the rest of `ex`'s answer.
    fn drain<'s>(&'s mut self, ex: &'s mut Exchange) -> impl Future<Output = ()> + Send + 's;
    /// The next notification, borrowed from the socket.
    fn recv_notification(&mut self)
    -> impl Future<Output = Result<Notification<'_>, Error>> + Send;
    /// Join multicast group `group`.
    fn add_membership(&mut self, group: u32) -> Result<(), Error>;
    /// Leave multicast group `group`.
    fn drop_membership(&mut self, group: u32) -> Result<(), Error>;
    /// Names for the `NETLINK_DEBUG` trace.
    fn set_debug_names(&mut self, names: Box<dyn Resolver + Send + Sync>);
    /// The blocking socket underneath, if this is one (for blocking-only APIs such as
    /// lending iterators).
    fn blocking(&mut self) -> Option<&mut NlSocket> {
        None
    }
}

impl sealed::Sealed for NlSocket {}

impl Connection for NlSocket {
    fn begin<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        NlSocket::begin(self, req, flags)
    }
    fn send(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        std::future::ready(NlSocket::settle(self).and_then(|()| self.send_pending()))
    }
    #[inline]
    fn next_reply<'s>(
        &'s mut self,
        ex: &'s mut Exchange,
    ) -> impl Future<Output = Result<Option<Message<'s>>, Error>> + Send + 's {
        std::future::ready(NlSocket::next_reply(self, ex))
    }
    fn drain<'s>(&'s mut self, ex: &'s mut Exchange) -> impl Future<Output = ()> + Send + 's {
        NlSocket::drain(self, ex);
        std::future::ready(())
    }
    fn recv_notification(
        &mut self,
    ) -> impl Future<Output = Result<Notification<'_>, Error>> + Send {
        std::future::ready(NlSocket::recv_notification(self))
    }
    fn add_membership(&mut self, group: u32) -> Result<(), Error> {
        NlSocket::add_membership(self, group)
    }
    fn drop_membership(&mut self, group: u32) -> Result<(), Error> {
        NlSocket::drop_membership(self, group)
    }
    fn set_debug_names(&mut self, names: Box<dyn Resolver + Send + Sync>) {
        NlSocket::set_debug_names(self, names);
    }
    fn blocking(&mut self) -> Option<&mut NlSocket> {
        Some(self)
    }
}

#[cfg(feature = "tokio")]
impl sealed::Sealed for crate::tokio::AsyncNlSocket {}

#[cfg(feature = "tokio")]
impl Connection for crate::tokio::AsyncNlSocket {
    fn begin<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        crate::tokio::AsyncNlSocket::begin(self, req, flags)
    }
    fn send(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        self.send_pending()
    }
    fn next_reply<'s>(
        &'s mut self,
        ex: &'s mut Exchange,
    ) -> impl Future<Output = Result<Option<Message<'s>>, Error>> + Send + 's {
        crate::tokio::AsyncNlSocket::next_reply(self, ex)
    }
    fn drain<'s>(&'s mut self, ex: &'s mut Exchange) -> impl Future<Output = ()> + Send + 's {
        crate::tokio::AsyncNlSocket::drain(self, ex)
    }
    fn recv_notification(
        &mut self,
    ) -> impl Future<Output = Result<Notification<'_>, Error>> + Send {
        crate::tokio::AsyncNlSocket::recv_notification(self)
    }
    fn add_membership(&mut self, group: u32) -> Result<(), Error> {
        crate::tokio::AsyncNlSocket::add_membership(self, group)
    }
    fn drop_membership(&mut self, group: u32) -> Result<(), Error> {
        crate::tokio::AsyncNlSocket::drop_membership(self, group)
    }
    fn set_debug_names(&mut self, names: Box<dyn Resolver + Send + Sync>) {
        crate::tokio::AsyncNlSocket::set_debug_names(self, names);
    }
}

/// Run a future of a [`Connection`] on the blocking socket to its end: its operations never
/// wait outside a system call, so it is complete when first polled. A future that is not
/// (one that waits on something else) is reported as an error rather than spun on.
pub fn run_blocking<T>(fut: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let mut fut = pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(r) => r,
        Poll::Pending => Err(std::io::Error::other(
            "a blocking netlink operation waited outside the socket (a future that is not \
             the blocking socket's was run with run_blocking)",
        )
        .into()),
    }
}
