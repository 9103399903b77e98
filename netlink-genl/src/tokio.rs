//! The typed generic netlink socket on tokio (feature `tokio`): the same client as
//! [`GenlSocket`](crate::GenlSocket), its operations as futures and its dumps and events as
//! streams (the table in [`crate::socket`] lists them side by side).
//!
//! Every future and stream is `Send` when its inputs are (so it can be `tokio::spawn`ed on the
//! multi-thread runtime), and can be dropped at any `.await`: a dump left unfinished is read to
//! its end before the socket's next request. Dumps yield to the runtime between datagrams.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), netlink_genl::Error> {
//! use netlink_genl::ctrl::{Ctrl, Family};
//! use netlink_genl::tokio::AsyncGenlSocket;
//!
//! let mut sock = AsyncGenlSocket::new()?;
//! let reply = sock.request(&Ctrl::GetFamily(Family::by_name("nlctrl"))).await?;
//! assert_eq!(reply.into_family().id, Some(0x10));
//! # Ok(())
//! # }
//! ```

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use netlink_genl_core::Error;
use netlink_genl_core::consts::protocol;
use netlink_genl_core::mem::MemTransport;
use netlink_genl_core::request::{DumpSummary, Exchange};
use netlink_genl_core::socket::{NlSocket, WithTimeout};
use netlink_genl_core::tokio::AsyncNlSocket;

use crate::check::SchemaReport;
use crate::client::{GenlClient, event_of};
use crate::ctrl::PolicyDump;
use crate::family::{FamilyCache, FamilyInfo};
use crate::message::{
    GenlBorrowed, GenlDecode, GenlDecodeOwned, GenlEvent, GenlMessage, GenlRequest, GenlView,
};

/// A generic netlink socket on tokio with a family cache.
#[derive(Debug)]
pub struct AsyncGenlSocket {
    inner: GenlClient<AsyncNlSocket>,
}

impl AsyncGenlSocket {
    /// Open a `NETLINK_GENERIC` socket (extended ACKs on) on the current tokio runtime.
    pub fn new() -> Result<Self, Error> {
        Self::from_socket(NlSocket::new(protocol::GENERIC)?)
    }

    /// Wrap a configured socket opened for `NETLINK_GENERIC`. Its `NETLINK_DEBUG` trace learns
    /// the families it resolves, as [`GenlSocket`](crate::GenlSocket)'s does.
    pub fn from_socket(sock: NlSocket) -> Result<Self, Error> {
        Ok(AsyncGenlSocket {
            inner: GenlClient::new(AsyncNlSocket::new(sock)?),
        })
    }

    /// A socket whose other end is `peer`, in memory (see [`netlink_genl_core::mem`]).
    pub fn with_transport(peer: &MemTransport) -> Result<Self, Error> {
        Self::from_socket(NlSocket::with_transport(protocol::GENERIC, peer)?)
    }

    /// The async socket underneath (port id, counters, raw requests).
    pub fn socket(&self) -> &AsyncNlSocket {
        &self.inner.conn
    }

    /// The async socket underneath, mutably (memberships, raw requests).
    pub fn socket_mut(&mut self) -> &mut AsyncNlSocket {
        &mut self.inner.conn
    }

    /// The families resolved so far.
    pub fn families(&self) -> &FamilyCache {
        &self.inner.families
    }

    /// The families resolved so far, mutably.
    pub fn families_mut(&mut self) -> &mut FamilyCache {
        &mut self.inner.families
    }

    /// The longest a request or dump waits for each datagram of its answer.
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.conn.timeout()
    }

    /// Bound the wait for each datagram of an answer; [`Error::Timeout`] when it runs out.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.conn.set_timeout(timeout);
    }

    /// This socket with another timeout until the guard is dropped.
    pub fn with_timeout(&mut self, timeout: Duration) -> WithTimeout<'_, Self> {
        let before = self.timeout();
        self.set_timeout(Some(timeout));
        WithTimeout::new(self, before, |s, t| s.set_timeout(t))
    }

    /// Bound the wait for an event (none by default).
    pub fn set_event_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.conn.set_event_timeout(timeout);
    }

    /// Family `name`, from the cache or asked of nlctrl and cached.
    pub async fn family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        self.inner.family(name).await
    }

    /// Ask nlctrl for family `name` again and cache the answer.
    pub async fn refresh_family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        self.inner.refresh_family(name).await
    }

    /// The id of `T`'s family.
    pub async fn family_id<T: GenlMessage>(&mut self) -> Result<u16, Error> {
        self.inner.family_id::<T>().await
    }

    /// Every registered family (`GETFAMILY` dump). Also refreshes the cache.
    pub async fn list_families(&mut self) -> Result<Vec<FamilyInfo>, Error> {
        self.inner.list_families().await
    }

    /// The attribute policies of family `name` (`GETPOLICY` dump), for every operation or only
    /// command `op`.
    pub async fn policy(&mut self, name: &str, op: Option<u32>) -> Result<PolicyDump, Error> {
        self.inner.policy(name, op).await
    }

    /// Compare `T`'s declarations with the running kernel's family (see
    /// [`GenlSocket::check_schema`](crate::GenlSocket::check_schema)).
    pub async fn check_schema<T: GenlMessage>(&mut self) -> Result<SchemaReport, Error> {
        self.inner.check_schema::<T>().await
    }

    /// A request of `msg` to its family (resolved through the cache).
    pub async fn prepare<'m, T: GenlMessage>(
        &mut self,
        msg: &'m T,
    ) -> Result<GenlRequest<'m, T>, Error> {
        self.inner.prepare(msg).await
    }

    /// Send `msg` to its family and return the reply, decoded (see
    /// [`GenlSocket::request`](crate::GenlSocket::request)).
    pub async fn request<T: GenlMessage + GenlDecodeOwned>(&mut self, msg: &T) -> Result<T, Error> {
        self.inner.request(msg).await
    }

    /// Send `msg` and collect every reply until the answer ends.
    pub async fn request_all<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Vec<T>, Error> {
        self.inner.request_all(msg).await
    }

    /// Send `msg` with `NLM_F_ACK` and wait for the ACK (reply data, if any, is ignored).
    pub async fn ack<T: GenlMessage>(&mut self, msg: &T) -> Result<(), Error> {
        self.inner.ack(msg).await
    }

    /// Send `req` and call `f` with each reply, borrowed, until the answer ends.
    pub async fn request_view<T, F>(
        &mut self,
        req: &GenlRequest<'_, T>,
        f: F,
    ) -> Result<usize, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        self.inner.request_view(req, f).await
    }

    /// Dump `msg` and call `f` with each reply decoded as `D` (borrowing the receive buffer
    /// when `D` has borrowed fields).
    pub async fn dump_with<T, D, F>(&mut self, msg: &T, f: F) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        D: for<'a> GenlDecode<'a>,
        F: FnMut(D) -> Result<(), Error>,
    {
        self.inner.dump_with(msg, f).await
    }

    /// Dump `msg` and call `f` with each reply decoded as `K::At<'_>`, borrowing the receive
    /// buffer (see [`GenlSocket::dump_borrowed`](crate::GenlSocket::dump_borrowed)).
    pub async fn dump_borrowed<K, T, F>(&mut self, msg: &T, f: F) -> Result<DumpSummary, Error>
    where
        K: GenlBorrowed + ?Sized,
        T: GenlMessage,
        F: for<'a> FnMut(K::At<'a>) -> Result<(), Error>,
    {
        self.inner.dump_borrowed::<K, T, F>(msg, f).await
    }

    /// Dump `req` and call `f` with each reply borrowed from the receive buffer, undecoded.
    pub async fn dump_view<T, F>(
        &mut self,
        req: &GenlRequest<'_, T>,
        f: F,
    ) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        self.inner.dump_view(req, f).await
    }

    /// Dump `msg`: a [`Stream`] of the replies decoded as owned `T`s, ending at `NLMSG_DONE`
    /// (an error inside `DONE` is its last item; a reply that fails to decode is an error item
    /// and the stream goes on). Dropping it early is fine: the rest of the dump is read and
    /// discarded before the socket's next request.
    pub async fn dump<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<DumpStream<'_, T>, Error> {
        let ex = self.inner.start_dump(msg).await?;
        Ok(DumpStream {
            sock: &mut self.inner.conn,
            ex,
            failed: false,
            _t: PhantomData,
        })
    }

    /// Join group `group` of family `family` by name (refreshing the family once if the group
    /// is not known); returns the group number.
    pub async fn join_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        self.inner.join_group(family, group).await
    }

    /// Join group `group` of `T`'s family.
    pub async fn join<T: GenlMessage>(&mut self, group: &str) -> Result<u32, Error> {
        self.inner.join::<T>(group).await
    }

    /// Leave group `group` of family `family`.
    pub async fn leave_group(&mut self, family: &str, group: &str) -> Result<(), Error> {
        self.inner.leave_group(family, group).await
    }

    /// The number of group `group` of family `family`.
    pub async fn resolve_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        self.inner.resolve_group(family, group).await
    }

    /// The next notification, borrowed and undecoded (any family).
    pub async fn recv_view(&mut self) -> Result<GenlView<'_>, Error> {
        self.inner.recv_view().await
    }

    /// The next event of `T`'s family, decoded (notifications of other families are skipped).
    pub async fn recv_event<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
    ) -> Result<GenlEvent<T>, Error> {
        self.inner.recv_event::<T>().await
    }

    /// Events of `T`'s family as an endless [`Stream`] ([`Error::Overrun`] items say events
    /// were lost; the stream goes on). Resolves the family first.
    pub async fn events<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
    ) -> Result<EventStream<'_, T>, Error> {
        let family_id = self.inner.family_id::<T>().await?;
        Ok(EventStream {
            sock: &mut self.inner.conn,
            family_id,
            _t: PhantomData,
        })
    }
}

/// The [`Stream`] of [`AsyncGenlSocket::dump`].
#[derive(Debug)]
pub struct DumpStream<'s, T> {
    sock: &'s mut AsyncNlSocket,
    ex: Exchange,
    /// The exchange itself failed: nothing more will come.
    failed: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T> DumpStream<'_, T> {
    /// Messages so far and whether one carried `NLM_F_DUMP_INTR` (check after the end).
    pub fn summary(&self) -> DumpSummary {
        self.ex.summary()
    }

    /// The answer is complete.
    pub fn is_done(&self) -> bool {
        self.ex.is_done()
    }
}

impl<T: GenlMessage + GenlDecodeOwned> Stream for DumpStream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        match this.sock.poll_next_reply(cx, &mut this.ex) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(None)) => Poll::Ready(None),
            // One message that does not decode is that item's error; the dump goes on.
            Poll::Ready(Ok(Some(m))) => Poll::Ready(Some(
                GenlView::parse(m, 0)
                    .and_then(|v| v.decode::<T>())
                    .map_err(Error::from),
            )),
            Poll::Ready(Err(e)) => {
                this.failed = this.ex.is_done() || !matches!(e, Error::Decode(_));
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// The [`Stream`] of [`AsyncGenlSocket::events`].
#[derive(Debug)]
pub struct EventStream<'s, T> {
    sock: &'s mut AsyncNlSocket,
    family_id: u16,
    _t: PhantomData<fn() -> T>,
}

impl<T: GenlMessage + GenlDecodeOwned> Stream for EventStream<'_, T> {
    type Item = Result<GenlEvent<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            let n = match this.sock.poll_recv_notification(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Ok(n)) => n,
            };
            let ev = GenlView::parse(n.message, n.group)
                .map_err(Error::from)
                .and_then(|v| event_of::<T>(this.family_id, v));
            match ev {
                Ok(None) => continue,
                Ok(Some(ev)) => return Poll::Ready(Some(Ok(ev))),
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }
}
