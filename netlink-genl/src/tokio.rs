//! The typed generic netlink socket on tokio (feature `tokio`): the same requests, dumps and
//! events as [`GenlSocket`](crate::GenlSocket), as futures and streams.
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

use futures_core::Stream;
use netlink_core::consts::protocol;
use netlink_core::request::{DumpSummary, Exchange};
use netlink_core::socket::NlSocket;
use netlink_core::tokio::AsyncNlSocket;
use netlink_core::{DecodeError, Error};

use crate::ctrl::{Ctrl, Family};
use crate::family::{FamilyCache, FamilyInfo};
use crate::header::GENL_ID_CTRL;
use crate::message::{GenlDecodeOwned, GenlMessage};
use crate::socket::{GenlEvent, GenlNames, GenlRequest, GenlView, no_reply};

/// A generic netlink socket on tokio with a family cache.
#[derive(Debug)]
pub struct AsyncGenlSocket {
    sock: AsyncNlSocket,
    families: FamilyCache,
    /// The trace's names, installed on `sock` again when they grow.
    names: GenlNames,
    /// A dump dropped before its end: drained before the next request (dropping cannot await).
    abandoned: Option<Exchange>,
}

impl AsyncGenlSocket {
    /// Open a `NETLINK_GENERIC` socket (extended ACKs on) on the current tokio runtime.
    pub fn new() -> Result<Self, Error> {
        Self::from_socket(NlSocket::new(protocol::GENERIC)?)
    }

    /// Wrap a configured socket opened for `NETLINK_GENERIC`. Its `NETLINK_DEBUG` trace learns
    /// the families it resolves, as [`GenlSocket`](crate::GenlSocket)'s does.
    pub fn from_socket(mut sock: NlSocket) -> Result<Self, Error> {
        let names = GenlNames::new();
        sock.set_debug_names(Box::new(names.clone()));
        Ok(AsyncGenlSocket {
            sock: AsyncNlSocket::new(sock)?,
            families: FamilyCache::new(),
            names,
            abandoned: None,
        })
    }

    /// Teach the trace `T`'s family (only while tracing).
    fn learn_type<T: GenlMessage>(&mut self, id: u16) {
        if netlink_core::debug::enabled() && self.names.learn_type::<T>(id) {
            self.sock.set_debug_names(Box::new(self.names.clone()));
        }
    }

    /// Teach the trace a family resolved by name.
    fn learn_info(&mut self, info: &FamilyInfo) {
        if netlink_core::debug::enabled() && self.names.learn_info(info) {
            self.sock.set_debug_names(Box::new(self.names.clone()));
        }
    }

    /// The async socket underneath (port id, counters, raw requests).
    pub fn socket(&self) -> &AsyncNlSocket {
        &self.sock
    }

    /// The family cache.
    pub fn families(&self) -> &FamilyCache {
        &self.families
    }

    /// Finish reading a dump that was dropped midway, so the kernel ends it.
    async fn settle(&mut self) {
        if let Some(mut ex) = self.abandoned.take() {
            loop {
                match self.sock.next_reply(&mut ex).await {
                    Ok(Some(_)) => continue,
                    Ok(None) | Err(Error::Io(_)) => return,
                    Err(_) if ex.is_done() => return,
                    Err(_) => continue,
                }
            }
        }
    }

    /// Family `name`, from the cache or asked of nlctrl and cached.
    pub async fn family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        if self.families.get(name).is_none() {
            self.refresh_family(name).await?;
        }
        self.families
            .get(name)
            .ok_or_else(|| DecodeError::custom("family vanished from the cache").into())
    }

    /// Ask nlctrl for family `name` again and cache the answer.
    pub async fn refresh_family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        let req = Ctrl::GetFamily(Family::by_name(name));
        let reply = self.request_to(GENL_ID_CTRL, &req).await?;
        let info = FamilyInfo::try_from(reply.into_family())?;
        self.learn_info(&info);
        Ok(self.families.insert(info))
    }

    /// The id of `T`'s family.
    pub async fn family_id<T: GenlMessage>(&mut self) -> Result<u16, Error> {
        if T::FAMILY == "nlctrl" {
            return Ok(GENL_ID_CTRL);
        }
        let id = self.family(T::FAMILY).await?.id;
        self.learn_type::<T>(id);
        Ok(id)
    }

    async fn request_to<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        family_id: u16,
        msg: &T,
    ) -> Result<T, Error> {
        let all = self.request_all_to(family_id, msg).await?;
        all.into_iter()
            .next()
            .ok_or_else(|| no_reply::<T>(msg.command()))
    }

    async fn request_all_to<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        family_id: u16,
        msg: &T,
    ) -> Result<Vec<T>, Error> {
        self.settle().await;
        let req = GenlRequest::new(family_id, msg);
        let mut out = Vec::new();
        self.sock
            .request(&req, req.flags(), |m| {
                out.push(GenlView::parse(m, 0)?.decode::<T>()?);
                Ok(())
            })
            .await?;
        Ok(out)
    }

    /// Send `msg` to its family and return the reply, decoded, once the kernel acknowledged
    /// it (see [`GenlSocket::request`](crate::GenlSocket::request)).
    pub async fn request<T: GenlMessage + GenlDecodeOwned>(&mut self, msg: &T) -> Result<T, Error> {
        let id = self.family_id::<T>().await?;
        self.request_to(id, msg).await
    }

    /// Send `msg` and collect every reply until the ACK.
    pub async fn request_all<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Vec<T>, Error> {
        let id = self.family_id::<T>().await?;
        self.request_all_to(id, msg).await
    }

    /// Send `msg` and wait for the ACK (reply data, if any, is ignored).
    pub async fn ack<T: GenlMessage>(&mut self, msg: &T) -> Result<(), Error> {
        let id = self.family_id::<T>().await?;
        self.settle().await;
        let req = GenlRequest::new(id, msg);
        self.sock.ack(&req, req.flags()).await
    }

    /// Dump `msg` and call `f` with each reply decoded as `D` (borrowing the receive buffer
    /// when `D` has borrowed fields).
    pub async fn dump_with<T, D, F>(&mut self, msg: &T, mut f: F) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        D: for<'a> crate::GenlDecode<'a>,
        F: FnMut(D) -> Result<(), Error>,
    {
        let id = self.family_id::<T>().await?;
        self.settle().await;
        let req = GenlRequest::new(id, msg);
        self.sock
            .dump(&req, req.flags(), |m| {
                f(GenlView::parse(m, 0)?.decode::<D>()?)
            })
            .await
    }

    /// Dump `msg`: a [`Stream`] of the replies decoded as owned `T`s, ending at `NLMSG_DONE`
    /// (an error inside `DONE` is its last item). Dropping it early is fine: the rest of the dump
    /// is read and discarded before the socket's next request.
    pub async fn dump<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<DumpStream<'_, T>, Error> {
        let id = self.family_id::<T>().await?;
        self.settle().await;
        let req = GenlRequest::new(id, msg);
        let ex = self.sock.start_dump(&req, req.flags()).await?;
        Ok(DumpStream {
            sock: self,
            ex: Some(ex),
            _t: PhantomData,
        })
    }

    /// Join group `group` of family `family` by name (refreshing the family once if the group
    /// is not known); returns the group number.
    pub async fn join_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        let id = match self.family(family).await?.group_id(group) {
            Some(id) => id,
            None => self
                .refresh_family(family)
                .await?
                .group_id(group)
                .ok_or_else(|| {
                    Error::from(DecodeError::custom(format!(
                        "family {family} has no multicast group {group:?}"
                    )))
                })?,
        };
        self.sock.add_membership(id)?;
        Ok(id)
    }

    /// Join group `group` of `T`'s family.
    pub async fn join<T: GenlMessage>(&mut self, group: &str) -> Result<u32, Error> {
        self.family_id::<T>().await?;
        self.join_group(T::FAMILY, group).await
    }

    /// The next event of `T`'s family, decoded (notifications of other families are skipped).
    pub async fn recv_event<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
    ) -> Result<GenlEvent<T>, Error> {
        let id = self.family_id::<T>().await?;
        loop {
            let n = self.sock.recv_notification().await?;
            let v = GenlView::parse(n.message, n.group)?;
            if v.family_id() != id {
                continue;
            }
            return Ok(GenlEvent {
                group: v.group(),
                header: *v.header(),
                msg: v.decode::<T>()?,
            });
        }
    }

    /// Events of `T`'s family as an endless [`Stream`] ([`Error::Overrun`] items say events
    /// were lost; the stream goes on). Resolves the family first.
    pub async fn events<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
    ) -> Result<EventStream<'_, T>, Error> {
        let family_id = self.family_id::<T>().await?;
        Ok(EventStream {
            sock: self,
            family_id,
            _t: PhantomData,
        })
    }
}

/// The [`Stream`] of [`AsyncGenlSocket::dump`].
#[derive(Debug)]
pub struct DumpStream<'s, T> {
    sock: &'s mut AsyncGenlSocket,
    /// `None` once the stream has ended (after `DONE` or the first error).
    ex: Option<Exchange>,
    _t: PhantomData<fn() -> T>,
}

impl<T> DumpStream<'_, T> {
    /// Messages so far and whether one carried `NLM_F_DUMP_INTR` (check after the end).
    pub fn summary(&self) -> Option<DumpSummary> {
        self.ex.as_ref().map(Exchange::summary)
    }
}

impl<T: GenlMessage + GenlDecodeOwned> Stream for DumpStream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let Some(ex) = this.ex.as_mut() else {
            return Poll::Ready(None);
        };
        if ex.is_done() {
            return Poll::Ready(None);
        }
        let r = match this.sock.sock.poll_next_reply(cx, ex) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(None)) => return Poll::Ready(None),
            Poll::Ready(Ok(Some(range))) => this
                .sock
                .sock
                .message_at(range)
                .and_then(|m| Ok(GenlView::parse(m, 0)?.decode::<T>()?)),
            Poll::Ready(Err(e)) => Err(e),
        };
        Poll::Ready(Some(r))
    }
}

impl<T> Drop for DumpStream<'_, T> {
    fn drop(&mut self) {
        if let Some(ex) = self.ex.take() {
            if !ex.is_done() {
                self.sock.abandoned = Some(ex);
            }
        }
    }
}

/// The [`Stream`] of [`AsyncGenlSocket::events`].
#[derive(Debug)]
pub struct EventStream<'s, T> {
    sock: &'s mut AsyncGenlSocket,
    family_id: u16,
    _t: PhantomData<fn() -> T>,
}

impl<T: GenlMessage + GenlDecodeOwned> Stream for EventStream<'_, T> {
    type Item = Result<GenlEvent<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let mut notes = this.sock.sock.notifications();
        loop {
            let n = match Pin::new(&mut notes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(n))) => n,
            };
            let Some(m) = n.message() else { continue };
            let v = match GenlView::parse(m, n.group) {
                Ok(v) => v,
                Err(e) => return Poll::Ready(Some(Err(e.into()))),
            };
            if v.family_id() != this.family_id {
                continue;
            }
            let ev = v
                .decode::<T>()
                .map(|msg| GenlEvent {
                    group: v.group(),
                    header: *v.header(),
                    msg,
                })
                .map_err(Error::from);
            return Poll::Ready(Some(ev));
        }
    }
}
