//! The typed generic netlink socket: resolve a family, send typed requests, get typed replies,
//! dumps and events.
//!
//! [`GenlSocket`] is the blocking face of the one generic netlink client of this crate; the
//! tokio socket (`tokio::AsyncGenlSocket`, feature `tokio`) is the
//! other. Both run the same code, so they answer the same situation with the same result:
//!
//! | | `GenlSocket` | `AsyncGenlSocket` |
//! |---|---|---|
//! | family, group resolution | [`family`](GenlSocket::family), [`family_id`](GenlSocket::family_id), [`refresh_family`](GenlSocket::refresh_family), [`list_families`](GenlSocket::list_families), [`policy`](GenlSocket::policy) | the same, `async` |
//! | requests | [`request`](GenlSocket::request), [`request_all`](GenlSocket::request_all), [`ack`](GenlSocket::ack), [`request_view`](GenlSocket::request_view) | the same, `async` |
//! | dumps | [`dump`](GenlSocket::dump) (an `Iterator`), [`dump_with`](GenlSocket::dump_with), [`dump_borrowed`](GenlSocket::dump_borrowed), [`dump_view`](GenlSocket::dump_view) | `dump` (a `Stream`), the others `async` |
//! | groups and events | [`join`](GenlSocket::join), [`join_group`](GenlSocket::join_group), [`leave_group`](GenlSocket::leave_group), [`recv_view`](GenlSocket::recv_view), [`recv_event`](GenlSocket::recv_event), [`events`](GenlSocket::events) (an `Iterator`) | the same; `events` is a `Stream` |
//! | timeouts | [`set_timeout`](GenlSocket::set_timeout), [`with_timeout`](GenlSocket::with_timeout), [`set_event_timeout`](GenlSocket::set_event_timeout) | the same |
//! | in memory | [`with_transport`](GenlSocket::with_transport) | the same |
//!
//! A request is answered as its command declares (see [`Answer`]): with a declared reply
//! (`#[genl(reply = ...)]`) it is sent without `NLM_F_ACK` and its one reply ends it; otherwise
//! it carries `NLM_F_ACK` and the ACK ends it. Use [`ack`](GenlSocket::ack) for commands the
//! kernel answers with the ACK alone.

use std::marker::PhantomData;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use netlink_genl_core::Error;
use netlink_genl_core::conn::run_blocking;
use netlink_genl_core::consts::protocol;
use netlink_genl_core::mem::MemTransport;
use netlink_genl_core::request::{DumpSummary, Exchange};
use netlink_genl_core::socket::{NlSocket, WithTimeout};

use crate::check::SchemaReport;
use crate::client::GenlClient;
use crate::ctrl::PolicyDump;
use crate::family::{FamilyCache, FamilyInfo};
pub use crate::message::{Answer, GenlBorrowed, GenlEvent, GenlRequest, GenlView};
use crate::message::{GenlDecode, GenlDecodeOwned, GenlMessage};

/// A generic netlink socket with a family cache. See the [module documentation](self) and the
/// [crate documentation](crate).
#[derive(Debug)]
pub struct GenlSocket {
    inner: GenlClient<NlSocket>,
}

impl GenlSocket {
    /// Open a `NETLINK_GENERIC` socket (extended ACKs on).
    pub fn new() -> Result<Self, Error> {
        Ok(Self::from_socket(NlSocket::new(protocol::GENERIC)?))
    }

    /// Wrap a socket opened for `NETLINK_GENERIC` (e.g. with custom buffer sizes). Its
    /// `NETLINK_DEBUG` trace knows the genl header and nlctrl's names, and learns every family
    /// this socket resolves: command and attribute names for families resolved for a
    /// [`GenlMessage`] type (e.g. by [`request`](Self::request)), the name for the others.
    pub fn from_socket(sock: NlSocket) -> Self {
        GenlSocket {
            inner: GenlClient::new(sock),
        }
    }

    /// A socket whose other end is `peer`, in memory (see [`netlink_genl_core::mem`]): the
    /// client behaves exactly as with the kernel.
    pub fn with_transport(peer: &MemTransport) -> Result<Self, Error> {
        Ok(Self::from_socket(NlSocket::with_transport(
            protocol::GENERIC,
            peer,
        )?))
    }

    /// The underlying socket (options, counters, port id).
    pub fn socket(&self) -> &NlSocket {
        &self.inner.conn
    }

    /// The underlying socket, mutably (options, raw requests).
    pub fn socket_mut(&mut self) -> &mut NlSocket {
        &mut self.inner.conn
    }

    /// Give back the underlying socket.
    pub fn into_socket(self) -> NlSocket {
        self.inner.conn
    }

    /// The families resolved so far.
    pub fn families(&self) -> &FamilyCache {
        &self.inner.families
    }

    /// The families resolved so far, mutably (e.g. to forget one whose id changed).
    pub fn families_mut(&mut self) -> &mut FamilyCache {
        &mut self.inner.families
    }

    /// The longest a request or dump waits for each datagram of its answer (see
    /// [`NlSocket::set_timeout`]).
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.conn.timeout()
    }

    /// Bound the wait for each datagram of an answer; [`Error::Timeout`] when it runs out.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.conn.set_timeout(timeout);
    }

    /// This socket with another timeout until the guard is dropped:
    /// `sock.with_timeout(Duration::from_millis(100)).request(&msg)`.
    pub fn with_timeout(&mut self, timeout: Duration) -> WithTimeout<'_, Self> {
        let before = self.timeout();
        self.set_timeout(Some(timeout));
        WithTimeout::new(self, before, |s, t| s.set_timeout(t))
    }

    /// Bound the wait for an event ([`NlSocket::set_event_timeout`]; none by default).
    pub fn set_event_timeout(&mut self, timeout: Option<Duration>) {
        self.inner.conn.set_event_timeout(timeout);
    }

    // -----------------------------------------------------------------------------------------
    // Family resolution.

    /// Family `name`: from the cache, else asked of nlctrl (`GETFAMILY` do) and cached. An
    /// unknown family is the kernel's `ENOENT` ([`Error::Kernel`]).
    pub fn family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        run_blocking(self.inner.family(name))
    }

    /// Ask nlctrl for family `name` again (bypassing the cache) and cache the answer.
    pub fn refresh_family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        run_blocking(self.inner.refresh_family(name))
    }

    /// The id of `T`'s family (`nlctrl` is always 0x10 and is not looked up).
    pub fn family_id<T: GenlMessage>(&mut self) -> Result<u16, Error> {
        run_blocking(self.inner.family_id::<T>())
    }

    /// Every registered family (`GETFAMILY` dump), in the kernel's order. Also refreshes the
    /// cache.
    pub fn list_families(&mut self) -> Result<Vec<FamilyInfo>, Error> {
        run_blocking(self.inner.list_families())
    }

    /// The attribute policies of family `name` (`GETPOLICY` dump), for every operation or only
    /// command `op`.
    pub fn policy(&mut self, name: &str, op: Option<u32>) -> Result<PolicyDump, Error> {
        run_blocking(self.inner.policy(name, op))
    }

    /// Compare `T`'s declarations with the running kernel's family: its operations, their
    /// do/dump handlers and, for each operation `T` declares (`#[genl(do(..), dump(..))]`),
    /// the kernel's policy (`GETPOLICY`) against the request's attributes: attributes the
    /// kernel does not accept or has and `T` lacks, kinds and widths, bounds, nests, groups
    /// (see [`check`](crate::check) for every rule). Kernel errors while reading the
    /// kernel's side are errors; differences are [`SchemaReport`] findings.
    ///
    /// ```
    /// use netlink_genl::ctrl::Ctrl;
    /// use netlink_genl::GenlSocket;
    ///
    /// let mut sock = GenlSocket::new()?;
    /// let report = sock.check_schema::<Ctrl>()?;
    /// assert!(report.is_clean(), "{report}");
    /// # Ok::<(), netlink_genl::Error>(())
    /// ```
    pub fn check_schema<T: GenlMessage>(&mut self) -> Result<SchemaReport, Error> {
        run_blocking(self.inner.check_schema::<T>())
    }

    /// A request of `msg` to its family (resolved through the cache).
    pub fn prepare<'m, T: GenlMessage>(&mut self, msg: &'m T) -> Result<GenlRequest<'m, T>, Error> {
        run_blocking(self.inner.prepare(msg))
    }

    // -----------------------------------------------------------------------------------------
    // Requests.

    /// Send `msg` to its family and return the reply, decoded. Kernel errors are
    /// [`Error::Kernel`] with the errno, the extended-ACK message and the attribute path
    /// (`GetFamily.name`).
    ///
    /// A command with a declared reply (`#[genl(reply = ...)]`) is sent without `NLM_F_ACK`:
    /// its reply ends the exchange. An undeclared one carries `NLM_F_ACK`; the first reply is
    /// returned once the ACK arrived (further replies are read and ignored: see
    /// [`request_all`](Self::request_all)), and an ACK without a reply is an error that says
    /// the kernel applied the request. A command declared `#[genl(ack)]` is refused before it
    /// is sent: use [`ack`](Self::ack).
    pub fn request<T: GenlMessage + GenlDecodeOwned>(&mut self, msg: &T) -> Result<T, Error> {
        run_blocking(self.inner.request(msg))
    }

    /// Send `msg` and collect every reply, decoded, until the answer ends.
    pub fn request_all<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Vec<T>, Error> {
        run_blocking(self.inner.request_all(msg))
    }

    /// Send `msg` with `NLM_F_ACK` and wait for the kernel's ACK (reply data, if any, is
    /// ignored): the call for commands the kernel answers with the ACK alone.
    pub fn ack<T: GenlMessage>(&mut self, msg: &T) -> Result<(), Error> {
        run_blocking(self.inner.ack(msg))
    }

    /// Send `req` (family id, header and flags given) and call `f` with each reply, borrowed
    /// from the receive buffer, until the answer ends. Returns the number of replies.
    pub fn request_view<T, F>(&mut self, req: &GenlRequest<'_, T>, f: F) -> Result<usize, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        run_blocking(self.inner.request_view(req, f))
    }

    // -----------------------------------------------------------------------------------------
    // Dumps.

    /// Dump: send `msg` with `NLM_F_DUMP` and iterate the replies, decoded as owned `T`s. The
    /// iterator ends at `NLMSG_DONE`; an error inside `DONE` is its last item. A reply that
    /// fails to decode is yielded as an error and the iteration goes on with the next one.
    /// After the end, [`Dump::interrupted`] says whether the kernel flagged the dump
    /// inconsistent (`NLM_F_DUMP_INTR`). Dropping it early drains the rest of the dump.
    pub fn dump<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Dump<'_, T>, Error> {
        let ex = run_blocking(self.inner.start_dump(msg))?;
        Ok(Dump {
            sock: &mut self.inner.conn,
            ex,
            failed: false,
            _t: PhantomData,
        })
    }

    /// Dump `msg` and call `f` with each reply decoded as `D` (usually the same enum as the
    /// request). Decoding works on the socket's buffer: nothing is copied or allocated beyond
    /// what `D`'s fields own. Returns the message count and whether the dump was interrupted
    /// (`NLM_F_DUMP_INTR`). If `f` fails (or a reply fails to decode), the rest of the dump is
    /// drained and that error returned.
    pub fn dump_with<T, D, F>(&mut self, msg: &T, f: F) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        D: for<'a> GenlDecode<'a>,
        F: FnMut(D) -> Result<(), Error>,
    {
        run_blocking(self.inner.dump_with(msg, f))
    }

    /// Dump `msg` and call `f` with each reply decoded as `K::At<'_>`, borrowing the receive
    /// buffer: with borrowed types (`&'a str`, `ArrayView`) a dump allocates nothing at all.
    /// Name the message type with a turbofish: `dump_borrowed::<CtrlRef, _, _>(&req, |m| ...)`.
    pub fn dump_borrowed<K, T, F>(&mut self, msg: &T, f: F) -> Result<DumpSummary, Error>
    where
        K: GenlBorrowed + ?Sized,
        T: GenlMessage,
        F: for<'a> FnMut(K::At<'a>) -> Result<(), Error>,
    {
        run_blocking(self.inner.dump_borrowed::<K, T, F>(msg, f))
    }

    /// Dump `req` and call `f` with each reply borrowed from the receive buffer, undecoded: the
    /// zero-copy path for message types that borrow (`v.decode::<MyMsg<'_>>()`). Returns the
    /// summary as [`dump_with`](Self::dump_with).
    pub fn dump_view<T, F>(&mut self, req: &GenlRequest<'_, T>, f: F) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        run_blocking(self.inner.dump_view(req, f))
    }

    // -----------------------------------------------------------------------------------------
    // Multicast groups and events.

    /// Join group `group` of family `family` by name; returns the group number. The name is
    /// resolved through the cache, refreshing the family once if the group is not known.
    pub fn join_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        run_blocking(self.inner.join_group(family, group))
    }

    /// Join group `group` of `T`'s family.
    pub fn join<T: GenlMessage>(&mut self, group: &str) -> Result<u32, Error> {
        run_blocking(self.inner.join::<T>(group))
    }

    /// Leave group `group` of family `family`.
    pub fn leave_group(&mut self, family: &str, group: &str) -> Result<(), Error> {
        run_blocking(self.inner.leave_group(family, group))
    }

    /// The number of group `group` of family `family` (see [`crate::mcast`]).
    pub fn resolve_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        run_blocking(self.inner.resolve_group(family, group))
    }

    /// The next notification, borrowed and undecoded (any family). Queued notifications (that
    /// arrived during a request) come first. Waits without bound unless an
    /// [event timeout](Self::set_event_timeout) is set. [`Error::Overrun`] means some were
    /// lost; the socket goes on working.
    pub fn recv_view(&mut self) -> Result<GenlView<'_>, Error> {
        run_blocking(self.inner.recv_view())
    }

    /// The next notification of `T`'s family, decoded. Notifications of other families (when
    /// the socket joined several) are skipped. A command `T` does not declare is a
    /// [`DecodeErrorKind::UnknownCommand`](netlink_genl_core::DecodeErrorKind::UnknownCommand)
    /// error; the socket goes on working.
    pub fn recv_event<T: GenlMessage + GenlDecodeOwned>(&mut self) -> Result<GenlEvent<T>, Error> {
        run_blocking(self.inner.recv_event::<T>())
    }

    /// An endless iterator of [`recv_event`](Self::recv_event) results.
    pub fn events<T: GenlMessage + GenlDecodeOwned>(&mut self) -> Events<'_, T> {
        Events {
            sock: self,
            _t: PhantomData,
        }
    }
}

impl AsFd for GenlSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.conn.as_fd()
    }
}

impl AsRawFd for GenlSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.conn.as_raw_fd()
    }
}

/// The owned iterator of [`GenlSocket::dump`].
#[derive(Debug)]
pub struct Dump<'s, T> {
    sock: &'s mut NlSocket,
    ex: Exchange,
    /// The exchange itself failed (a kernel or I/O error): nothing more will come.
    failed: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T> Dump<'_, T> {
    /// Whether a message so far carried `NLM_F_DUMP_INTR` (check after the iteration: the
    /// dump was inconsistent and may be retried).
    pub fn interrupted(&self) -> bool {
        self.ex.interrupted()
    }

    /// Messages and the interrupted flag so far.
    pub fn summary(&self) -> DumpSummary {
        self.ex.summary()
    }

    /// The answer is complete.
    pub fn is_done(&self) -> bool {
        self.ex.is_done()
    }
}

impl<T: GenlMessage + GenlDecodeOwned> Iterator for Dump<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.sock.next_reply(&mut self.ex) {
            Ok(None) => None,
            // One message that does not decode is that item's error; the dump goes on.
            Ok(Some(m)) => Some(
                GenlView::parse(m, 0)
                    .and_then(|v| v.decode::<T>())
                    .map_err(Error::from),
            ),
            Err(e) => {
                self.failed = self.ex.is_done() || !matches!(e, Error::Decode(_));
                Some(Err(e))
            }
        }
    }
}

impl<T> Drop for Dump<'_, T> {
    fn drop(&mut self) {
        if !self.ex.is_done() {
            self.sock.drain(&mut self.ex);
        }
    }
}

/// The iterator of [`GenlSocket::events`]: endless; each item is one event or an error
/// ([`Error::Overrun`] means events were lost, the next item continues).
#[derive(Debug)]
pub struct Events<'s, T> {
    sock: &'s mut GenlSocket,
    _t: PhantomData<fn() -> T>,
}

impl<T: GenlMessage + GenlDecodeOwned> Iterator for Events<'_, T> {
    type Item = Result<GenlEvent<T>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.sock.recv_event::<T>())
    }
}
