//! A blocking netlink socket for any protocol (`NETLINK_GENERIC`, `NETLINK_ROUTE`,
//! `NETLINK_CONNECTOR`, ...), with reply filtering, a notification queue and counters.
//!
//! [`NlSocket`] owns one `AF_NETLINK` socket, its port id, its sequence numbers and two reusable
//! buffers (one to send, one to receive). What it guarantees:
//!
//! - **Nothing is silently truncated.** Datagrams are read with `MSG_TRUNC` into a
//!   [128 KiB buffer](DEFAULT_READ_BUFFER) (the kernel sizes dump datagrams to at most 32 KiB):
//!   one system call each. A larger datagram from the kernel is reported, counted, and the
//!   buffer grows (up to [a bound](DEFAULT_MAX_READ_BUFFER)) so the next fits;
//!   [`set_peek_sizing`](NlSocket::set_peek_sizing) sizes every datagram first instead, so that
//!   none is ever lost. The buffer never grows for a datagram from another sender.
//! - **Replies come from the kernel, for us.** A datagram whose sender port id is not 0 (another
//!   socket) is dropped and counted in [`SocketStats::foreign_sender`]; a unicast message with a
//!   sequence number or port id that is not the running request's is dropped and counted in
//!   [`SocketStats::foreign_seq`]. Neither is ever decoded as a reply.
//! - **Notifications are not lost.** Multicast messages and messages with sequence number 0 that
//!   arrive while a request is running are copied into a queue and returned later by
//!   [`NlSocket::recv_notification`].
//! - **Overruns are recovered from.** After `ENOBUFS` the kernel drops every answer until the
//!   socket's queue is empty. A request that meets it reads what is queued without waiting
//!   (keeping the notifications): its answer is there, or it fails at once with
//!   [`Error::AnswerLost`] (the request may have been applied). A dump rides it out (the kernel
//!   does not drop dump data). The event reader gets one [`Error::Overrun`]. `EINTR` is retried.
//! - **No wait without a bound.** Each datagram of an answer is waited for at most
//!   [`timeout`](NlSocket::set_timeout) ([10 s by default](DEFAULT_TIMEOUT)), then
//!   [`Error::Timeout`] says what was waited for. Notifications are waited for without bound
//!   unless [`set_event_timeout`](NlSocket::set_event_timeout) gives one: events come when the
//!   kernel has one.
//! - **Extended ACKs are on.** `NETLINK_EXT_ACK` and `NETLINK_CAP_ACK` are enabled at creation.
//!
//! The request patterns (request with ACK, dump to `DONE`) are methods of [`NlSocket`] built on
//! the [`NlRequest`] trait; see [`crate::request`]. Every protocol
//! decision is made by one I/O-free core shared with the tokio socket and the in-memory
//! transport ([`crate::mem`]); this type only moves bytes.
//!
//! ```
//! use netlink_genl_core::socket::NlSocket;
//! use netlink_genl_core::consts::protocol;
//!
//! let sock = NlSocket::new(protocol::GENERIC)?;
//! assert_ne!(sock.port_id(), 0);
//! # Ok::<(), netlink_genl_core::Error>(())
//! ```

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::Duration;

use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{AddressFamily, Protocol, RecvFlags, SendFlags, SocketFlags, SocketType};

use crate::client::{Core, Datagram, NotePos, RawIo, Wait};
use crate::consts::{
    NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK,
    NETLINK_GET_STRICT_CHK, NETLINK_LIST_MEMBERSHIPS, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO,
    NLM_F_ACK, NLM_F_DUMP, SOL_NETLINK,
};
use crate::debug::Resolver;
use crate::error::Error;
use crate::mem::{MemIo, MemTransport};
use crate::message::Message;
use crate::request::{DumpSummary, Exchange, NlRequest};

pub use crate::client::{
    DEFAULT_MAX_READ_BUFFER, DEFAULT_QUEUE_LIMIT, DEFAULT_READ_BUFFER, DEFAULT_TIMEOUT,
};

/// What the socket dropped, queued and survived. Read with [`NlSocket::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SocketStats {
    /// Datagrams received (all of them, including dropped ones).
    pub datagrams: u64,
    /// Datagrams dropped because their sender was not the kernel (sender port id != 0).
    pub foreign_sender: u64,
    /// Unicast messages dropped because their sequence number or port id did not belong to the
    /// running request (stale replies of an abandoned request, spoofed or misrouted messages).
    pub foreign_seq: u64,
    /// Notifications copied into the queue because they arrived while a request was running.
    pub queued: u64,
    /// Notifications dropped because the queue was full (reported as [`Error::Overrun`]).
    pub queue_dropped: u64,
    /// `ENOBUFS` (and `NLMSG_OVERRUN`) seen: the kernel dropped messages for this socket.
    pub overruns: u64,
    /// Times the receive buffer grew to fit a datagram.
    pub buffer_grows: u64,
    /// Datagrams from the kernel that did not fit the buffer and were lost (each was reported
    /// as an error; the buffer then grew so the next one of that size fits).
    pub truncated: u64,
    /// Of those, datagrams larger than the buffer's bound
    /// ([`NlSocket::set_max_read_buffer`]).
    pub oversized: u64,
    /// Messages that could not be framed (a header cut short, a length that does not fit) and
    /// did not belong to the exchange waiting for its answer: skipped (the rest of their
    /// datagram with them); one that may have been a notification is reported to the event
    /// reader as [`Error::Overrun`]. A framing error in the waiting exchange's own answer is
    /// that exchange's error instead.
    pub malformed: u64,
}

/// A notification: a multicast message, or a unicast one with sequence number 0 (e.g. the
/// per-task statistics TASKSTATS sends after `REGISTER_CPUMASK`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notification<'a> {
    /// The multicast group it was sent to; 0 for a unicast notification.
    pub group: u32,
    /// The message.
    pub message: Message<'a>,
}

/// A netlink socket. See the [module documentation](self).
pub struct NlSocket {
    io: Io,
    protocol: i32,
    core: Core,
}

/// Where the bytes go: a kernel socket, or an in-memory peer.
#[derive(Debug)]
pub(crate) enum Io {
    Fd(FdIo),
    Mem(MemIo),
}

/// An `AF_NETLINK` socket moving datagrams; blocking receives wait up to `SO_RCVTIMEO`.
#[derive(Debug)]
pub(crate) struct FdIo {
    fd: OwnedFd,
    pktinfo: bool,
    nonblocking: bool,
    /// The `SO_RCVTIMEO` in force.
    rcvtimeo: Option<Duration>,
}

impl fmt::Debug for NlSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NlSocket")
            .field("io", &self.io)
            .field("protocol", &self.protocol)
            .field("core", &self.core)
            .finish()
    }
}

fn errno_to_io(e: Errno) -> io::Error {
    io::Error::from_raw_os_error(e.raw_os_error())
}

/// The group number for a legacy `nl_groups` mask holding one bit (0 for none).
fn group_of_mask(mask: u32) -> u32 {
    if mask == 0 {
        0
    } else {
        mask.trailing_zeros() + 1
    }
}

impl FdIo {
    /// Put `SO_RCVTIMEO` to `bound` for a blocking wait. An unbounded wait keeps any timeout in
    /// force and goes on waiting when it expires (no system call to change it).
    fn apply_wait(&mut self, wait: Wait) -> io::Result<RecvFlags> {
        match wait {
            Wait::Poll => Ok(RecvFlags::DONTWAIT),
            Wait::Block(None) => Ok(RecvFlags::empty()),
            Wait::Block(Some(d)) => {
                if self.rcvtimeo != Some(d) {
                    // A zero SO_RCVTIMEO means "no timeout" to the kernel: wait 1 µs instead.
                    let d = d.max(Duration::from_micros(1));
                    rustix::net::sockopt::set_socket_timeout(
                        &self.fd,
                        rustix::net::sockopt::Timeout::Recv,
                        Some(d),
                    )
                    .map_err(errno_to_io)?;
                    self.rcvtimeo = Some(d);
                }
                Ok(RecvFlags::empty())
            }
        }
    }

    /// Map `EAGAIN` to what the wait means: nothing queued (`WouldBlock`), the bound expired
    /// (`TimedOut`), or, for an unbounded wait, go on waiting (`None`).
    fn again(&self, wait: Wait) -> Option<io::Error> {
        match wait {
            _ if self.nonblocking => Some(io::ErrorKind::WouldBlock.into()),
            Wait::Poll => Some(io::ErrorKind::WouldBlock.into()),
            Wait::Block(Some(_)) => Some(io::ErrorKind::TimedOut.into()),
            Wait::Block(None) => None,
        }
    }

    fn recv_plain(&mut self, buf: &mut [u8], flags: RecvFlags) -> Result<Datagram, Errno> {
        let (_, len, addr) = rustix::net::recvfrom(&self.fd, buf, flags | RecvFlags::TRUNC)?;
        let (sender, groups) = match addr.map(SocketAddrNetlink::try_from) {
            Some(Ok(a)) => (a.pid(), a.groups()),
            // No or a non-netlink address cannot come from the kernel.
            _ => (u32::MAX, 0),
        };
        Ok(Datagram {
            len,
            sender,
            group: group_of_mask(groups),
        })
    }

    /// `recvmsg` with the `NETLINK_PKTINFO` control message (rustix does not expose it), which
    /// gives the exact group.
    fn recv_pktinfo(&mut self, buf: &mut [u8], flags: RecvFlags) -> Result<Datagram, Errno> {
        // Control buffer: room for a few cmsgs, aligned for `cmsghdr`.
        let mut control = [0u64; 8];
        // SAFETY: an all-zero `sockaddr_nl` is a valid value (plain integers).
        let mut addr: libc::sockaddr_nl = unsafe { core::mem::zeroed() };
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast::<libc::c_void>(),
            iov_len: buf.len(),
        };
        // SAFETY: an all-zero `msghdr` is a valid value (null pointers, zero lengths); the
        // fields that matter are set below.
        let mut mh: libc::msghdr = unsafe { core::mem::zeroed() };
        mh.msg_name = (&mut addr as *mut libc::sockaddr_nl).cast::<libc::c_void>();
        mh.msg_namelen = core::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        mh.msg_iov = &mut iov;
        mh.msg_iovlen = 1;
        mh.msg_control = control.as_mut_ptr().cast::<libc::c_void>();
        mh.msg_controllen = core::mem::size_of_val(&control) as _;
        let flags = libc::MSG_TRUNC | flags.bits() as libc::c_int;
        // SAFETY: every pointer in `mh` refers to a live local or to `buf`, each with the
        // length given next to it; they stay valid for the call, and the kernel writes within
        // those lengths only.
        let n = unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut mh, flags) };
        if n < 0 {
            return Err(Errno::from_raw_os_error(
                io::Error::last_os_error()
                    .raw_os_error()
                    .unwrap_or(libc::EIO),
            ));
        }
        let mut group = group_of_mask(addr.nl_groups);
        // SAFETY: `mh` was filled by a successful `recvmsg`; `msg_control` and
        // `msg_controllen` describe the initialised part of `control`, which outlives this
        // block. CMSG_FIRSTHDR/CMSG_NXTHDR stay within it and return null at its end.
        unsafe {
            let mut c = libc::CMSG_FIRSTHDR(&mh);
            while !c.is_null() {
                if (*c).cmsg_level == SOL_NETLINK
                    && (*c).cmsg_type == NETLINK_PKTINFO
                    && (*c).cmsg_len as usize >= libc::CMSG_LEN(4) as usize
                {
                    // `struct nl_pktinfo { __u32 group; }`; the data may be unaligned.
                    group = core::ptr::read_unaligned(libc::CMSG_DATA(c).cast::<u32>());
                }
                c = libc::CMSG_NXTHDR(&mh, c);
            }
        }
        let sender = if addr.nl_family as i32 == libc::AF_NETLINK {
            addr.nl_pid
        } else {
            u32::MAX
        };
        Ok(Datagram {
            len: n as usize,
            sender,
            group,
        })
    }
}

impl RawIo for FdIo {
    fn send(&mut self, port: u32, bytes: &[u8]) -> io::Result<()> {
        let addr = SocketAddrNetlink::new(port, 0);
        loop {
            match rustix::net::sendto(&self.fd, bytes, SendFlags::empty(), &addr) {
                Ok(_) => return Ok(()),
                Err(Errno::INTR) => continue,
                Err(e) => return Err(errno_to_io(e)),
            }
        }
    }

    fn peek(&mut self, wait: Wait) -> io::Result<Datagram> {
        let flags = self.apply_wait(wait)? | RecvFlags::PEEK;
        let mut empty = [0u8; 0];
        loop {
            match self.recv_plain(&mut empty, flags) {
                Ok(d) => return Ok(d),
                Err(Errno::INTR) => continue,
                Err(Errno::AGAIN) => match self.again(wait) {
                    Some(e) => return Err(e),
                    None => continue,
                },
                Err(e) => return Err(errno_to_io(e)),
            }
        }
    }

    fn recv(&mut self, buf: &mut [u8], wait: Wait) -> io::Result<Datagram> {
        let flags = self.apply_wait(wait)?;
        loop {
            let r = if self.pktinfo {
                self.recv_pktinfo(buf, flags)
            } else {
                self.recv_plain(buf, flags)
            };
            match r {
                Ok(d) => return Ok(d),
                Err(Errno::INTR) => continue,
                Err(Errno::AGAIN) => match self.again(wait) {
                    Some(e) => return Err(e),
                    None => continue,
                },
                Err(e) => return Err(errno_to_io(e)),
            }
        }
    }
}

impl RawIo for Io {
    #[inline]
    fn send(&mut self, port: u32, bytes: &[u8]) -> io::Result<()> {
        match self {
            Io::Fd(f) => f.send(port, bytes),
            Io::Mem(m) => m.send(port, bytes),
        }
    }
    #[inline]
    fn peek(&mut self, wait: Wait) -> io::Result<Datagram> {
        match self {
            Io::Fd(f) => f.peek(wait),
            Io::Mem(m) => m.peek(wait),
        }
    }
    #[inline]
    fn recv(&mut self, buf: &mut [u8], wait: Wait) -> io::Result<Datagram> {
        match self {
            Io::Fd(f) => f.recv(buf, wait),
            Io::Mem(m) => m.recv(buf, wait),
        }
    }
}

impl NlSocket {
    /// Open a socket for netlink protocol `protocol` (see
    /// [`consts::protocol`](crate::consts::protocol)), bind it (the kernel assigns the port
    /// id), and enable `NETLINK_EXT_ACK` and `NETLINK_CAP_ACK`.
    pub fn new(protocol: i32) -> Result<Self, Error> {
        Self::with_groups(protocol, 0)
    }

    /// Like [`new`](Self::new), binding to the legacy multicast group mask `groups` (bit
    /// `n - 1` for group `n`; e.g. 1 for the proc connector's `CN_IDX_PROC`). Groups above 32
    /// can only be joined with [`add_membership`](Self::add_membership).
    pub fn with_groups(protocol: i32, groups: u32) -> Result<Self, Error> {
        let proto = u32::try_from(protocol)
            .ok()
            .and_then(rustix::net::RawProtocol::new)
            .map(Protocol::from_raw);
        let fd = rustix::net::socket_with(
            AddressFamily::NETLINK,
            SocketType::RAW,
            SocketFlags::CLOEXEC,
            proto,
        )
        .map_err(errno_to_io)?;
        rustix::net::bind(&fd, &SocketAddrNetlink::new(0, groups)).map_err(errno_to_io)?;
        let addr = rustix::net::getsockname(&fd).map_err(errno_to_io)?;
        let addr = SocketAddrNetlink::try_from(addr).map_err(errno_to_io)?;
        let mut s = NlSocket {
            io: Io::Fd(FdIo {
                fd,
                pktinfo: false,
                nonblocking: false,
                rcvtimeo: None,
            }),
            protocol,
            core: Core::new(addr.pid()),
        };
        s.set_ext_ack(true)?;
        s.set_cap_ack(true)?;
        Ok(s)
    }

    /// A socket whose other end is `peer`, in memory: no kernel, no privileges. What it sends
    /// reaches `peer`'s handler; what `peer` delivers is received here, by the same code and
    /// rules as from the kernel (sender checks, sequence numbers, overruns, timeouts). See
    /// [`crate::mem`].
    pub fn with_transport(protocol: i32, peer: &MemTransport) -> Result<Self, Error> {
        let io = peer.connect()?;
        let port = io.port_id();
        Ok(NlSocket {
            io: Io::Mem(io),
            protocol,
            core: Core::new(port),
        })
    }

    /// The netlink protocol this socket was opened for.
    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// The port id the kernel assigned at bind time (`getsockname`); replies carry it in
    /// `nlmsg_pid`.
    pub fn port_id(&self) -> u32 {
        self.core.port_id()
    }

    /// Allocate the next sequence number (never 0: 0 marks notifications).
    pub fn next_seq(&mut self) -> u32 {
        self.core.next_seq()
    }

    /// Names used by the `NETLINK_DEBUG` trace (see [`crate::debug`]) for this socket's
    /// messages; the default knows none and prints annotated hex.
    pub fn set_debug_names(&mut self, names: Box<dyn Resolver + Send + Sync>) {
        self.core.set_names(names);
    }

    /// The last sequence number allocated (0 before the first request); the next request gets
    /// the one after it.
    pub fn last_seq(&self) -> u32 {
        self.core.last_seq()
    }

    /// The counters of dropped, queued and lost messages.
    pub fn stats(&self) -> SocketStats {
        self.core.stats
    }

    /// The file descriptor of a kernel socket (an in-memory socket has none).
    fn fd(&self) -> Result<&OwnedFd, Error> {
        match &self.io {
            Io::Fd(f) => Ok(&f.fd),
            Io::Mem(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "an in-memory socket has no kernel socket options",
            )
            .into()),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Options.

    fn set_int_opt(&self, opt: i32, value: i32) -> Result<(), Error> {
        if let Io::Mem(m) = &self.io {
            m.set_option(opt, value);
            return Ok(());
        }
        let fd = self.fd()?;
        let v: libc::c_int = value;
        // SAFETY: `fd` is an open socket we own; `&v` points to a live `c_int` for the
        // duration of the call and the length passed is exactly its size. The kernel only reads
        // `optlen` bytes from it.
        let r = unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                SOL_NETLINK,
                opt,
                (&v as *const libc::c_int).cast::<libc::c_void>(),
                core::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error().into());
        }
        Ok(())
    }

    fn get_int_opt(&self, opt: i32) -> Result<i32, Error> {
        if let Io::Mem(m) = &self.io {
            return Ok(m.option(opt));
        }
        let fd = self.fd()?;
        let mut v: libc::c_int = 0;
        let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `fd` is an open socket we own; `&mut v` and `&mut len` are live, writable
        // and `len` holds the size of `v`, so the kernel writes at most that many bytes.
        let r = unsafe {
            libc::getsockopt(
                fd.as_raw_fd(),
                SOL_NETLINK,
                opt,
                (&mut v as *mut libc::c_int).cast::<libc::c_void>(),
                &mut len,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error().into());
        }
        Ok(v)
    }

    /// `NETLINK_EXT_ACK`: ask for extended-ACK attributes (message, offset, policy) in errors.
    /// On by default.
    pub fn set_ext_ack(&mut self, on: bool) -> Result<(), Error> {
        self.set_int_opt(NETLINK_EXT_ACK, on.into())
    }

    /// `NETLINK_CAP_ACK`: do not echo the request payload in error messages. On by default (the
    /// socket keeps its own copy of the last request to map error offsets).
    pub fn set_cap_ack(&mut self, on: bool) -> Result<(), Error> {
        self.set_int_opt(NETLINK_CAP_ACK, on.into())
    }

    /// `NETLINK_GET_STRICT_CHK`: strict checking of dump requests (rtnetlink honours it; generic
    /// netlink validates per operation regardless).
    pub fn set_strict_check(&mut self, on: bool) -> Result<(), Error> {
        self.set_int_opt(NETLINK_GET_STRICT_CHK, on.into())
    }

    /// `NETLINK_NO_ENOBUFS`: do not report receive-buffer overruns (off by default; overruns
    /// are then lost silently, so leave it off unless you resynchronise otherwise).
    pub fn set_no_enobufs(&mut self, on: bool) -> Result<(), Error> {
        self.set_int_opt(NETLINK_NO_ENOBUFS, on.into())
    }

    /// `SO_RCVBUF`: the kernel-side receive buffer, capped by `net.core.rmem_max`.
    pub fn set_recv_buffer_size(&mut self, bytes: usize) -> Result<(), Error> {
        if let Io::Mem(m) = &self.io {
            m.set_recv_buffer_size(bytes);
            return Ok(());
        }
        rustix::net::sockopt::set_socket_recv_buffer_size(self.fd()?, bytes)
            .map_err(errno_to_io)?;
        Ok(())
    }

    /// `SO_RCVBUFFORCE`: like [`set_recv_buffer_size`](Self::set_recv_buffer_size) without the
    /// `rmem_max` cap; needs `CAP_NET_ADMIN`.
    pub fn set_recv_buffer_size_force(&mut self, bytes: usize) -> Result<(), Error> {
        if let Io::Mem(m) = &self.io {
            m.set_recv_buffer_size(bytes);
            return Ok(());
        }
        rustix::net::sockopt::set_socket_recv_buffer_size_force(self.fd()?, bytes)
            .map_err(errno_to_io)?;
        Ok(())
    }

    /// `SO_RCVBUF` as the kernel reports it (twice the value set, for its bookkeeping).
    pub fn recv_buffer_size(&self) -> Result<usize, Error> {
        if let Io::Mem(m) = &self.io {
            return Ok(m.recv_buffer_size());
        }
        Ok(rustix::net::sockopt::socket_recv_buffer_size(self.fd()?).map_err(errno_to_io)?)
    }

    /// The size of the user-space receive buffer (it grows to fit larger datagrams from the
    /// kernel, up to [`max_read_buffer`](Self::max_read_buffer)).
    pub fn read_buffer_len(&self) -> usize {
        self.core.read_buffer_len()
    }

    /// Resize the user-space receive buffer (at least 16 bytes; default
    /// [`DEFAULT_READ_BUFFER`]). Unread messages of the current datagram are discarded. A
    /// buffer smaller than the kernel's largest dump datagram (32 KiB) sizes each datagram
    /// with a peek before reading it, so that none is lost.
    pub fn set_read_buffer_len(&mut self, bytes: usize) {
        self.core.set_read_buffer_len(bytes);
    }

    /// The bound the receive buffer grows to (default [`DEFAULT_MAX_READ_BUFFER`]).
    pub fn max_read_buffer(&self) -> usize {
        self.core.max_read_buffer()
    }

    /// Bound the growth of the receive buffer. A datagram from the kernel larger than this is
    /// dropped, counted in [`SocketStats::oversized`] and reported as an error. Datagrams from
    /// other senders never make it grow.
    pub fn set_max_read_buffer(&mut self, bytes: usize) {
        self.core.set_max_read_buffer(bytes);
    }

    /// Whether each datagram is sized with `MSG_PEEK | MSG_TRUNC` before it is read (off by
    /// default). Off, a datagram is read in one system call into the receive buffer
    /// ([`DEFAULT_READ_BUFFER`], larger than any dump datagram the kernel sends); a larger one
    /// (only a do reply can be) is lost, reported as a
    /// [`DecodeErrorKind::Truncated`](crate::DecodeErrorKind::Truncated) error and counted in
    /// [`SocketStats::truncated`], never decoded cut short, and the buffer grows so the next
    /// one of that size fits. On, no datagram is ever lost to its size, for one more system
    /// call per datagram.
    pub fn set_peek_sizing(&mut self, on: bool) {
        self.core.set_peek_sizing(on);
    }

    /// Bound the notification queue (messages that arrive while a request runs). When full,
    /// further notifications are dropped, counted in [`SocketStats::queue_dropped`], and the
    /// next [`recv_notification`](Self::recv_notification) reports [`Error::Overrun`].
    pub fn set_queue_limit(&mut self, messages: usize) {
        self.core.set_queue_limit(messages);
    }

    /// Notifications waiting in the queue.
    pub fn queued_notifications(&self) -> usize {
        self.core.queued_notifications()
    }

    /// The longest a request or dump waits for each datagram of its answer (default
    /// [`DEFAULT_TIMEOUT`]).
    pub fn timeout(&self) -> Option<Duration> {
        self.core.timeout()
    }

    /// Bound the wait for each datagram of an answer (`None`: no bound, not recommended).
    /// When it runs out the request or dump ends with [`Error::Timeout`], which says what was
    /// waited for; a late answer is then dropped as stale. For one call, use
    /// [`with_timeout`](Self::with_timeout).
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.core.set_timeout(timeout);
    }

    /// This socket with another timeout until the guard is dropped:
    /// `sock.with_timeout(Duration::from_millis(100)).request(..)`.
    pub fn with_timeout(&mut self, timeout: Duration) -> WithTimeout<'_, Self> {
        let before = self.core.timeout();
        self.core.set_timeout(Some(timeout));
        WithTimeout {
            sock: self,
            before,
            restore: |s, t| s.core.set_timeout(t),
        }
    }

    /// The longest [`recv_notification`](Self::recv_notification) waits (default `None`:
    /// events come when the kernel has one).
    pub fn event_timeout(&self) -> Option<Duration> {
        self.core.event_timeout()
    }

    /// Bound the wait for a notification; when it runs out,
    /// [`recv_notification`](Self::recv_notification) fails with [`Error::Timeout`].
    pub fn set_event_timeout(&mut self, timeout: Option<Duration>) {
        self.core.set_event_timeout(timeout);
    }

    /// Non-blocking mode: receive calls fail with [`io::ErrorKind::WouldBlock`] instead of
    /// waiting, and keep their state so they can be called again. Use with the raw fd in an
    /// event loop (the tokio socket does).
    pub fn set_nonblocking(&mut self, on: bool) -> Result<(), Error> {
        match &mut self.io {
            Io::Fd(f) => {
                rustix::io::ioctl_fionbio(&f.fd, on).map_err(errno_to_io)?;
                f.nonblocking = on;
            }
            Io::Mem(m) => m.set_nonblocking(on),
        }
        Ok(())
    }

    /// Whether the socket is in non-blocking mode.
    pub fn is_nonblocking(&self) -> bool {
        match &self.io {
            Io::Fd(f) => f.nonblocking,
            Io::Mem(m) => m.is_nonblocking(),
        }
    }

    /// Join multicast group `group` (`NETLINK_ADD_MEMBERSHIP`; any group number, also above
    /// 32). Also turns on `NETLINK_PKTINFO` so each notification reports its group.
    pub fn add_membership(&mut self, group: u32) -> Result<(), Error> {
        match &mut self.io {
            Io::Mem(m) => {
                m.join(group, true);
                return Ok(());
            }
            Io::Fd(f) if !f.pktinfo => {
                self.set_int_opt(NETLINK_PKTINFO, 1)?;
                if let Io::Fd(f) = &mut self.io {
                    f.pktinfo = true;
                }
            }
            Io::Fd(_) => {}
        }
        self.set_int_opt(NETLINK_ADD_MEMBERSHIP, group as i32)
    }

    /// Leave multicast group `group` (`NETLINK_DROP_MEMBERSHIP`).
    pub fn drop_membership(&mut self, group: u32) -> Result<(), Error> {
        if let Io::Mem(m) = &self.io {
            m.join(group, false);
            return Ok(());
        }
        self.set_int_opt(NETLINK_DROP_MEMBERSHIP, group as i32)
    }

    /// The groups this socket has joined (`NETLINK_LIST_MEMBERSHIPS`), ascending.
    pub fn memberships(&self) -> Result<Vec<u32>, Error> {
        if let Io::Mem(m) = &self.io {
            return Ok(m.groups());
        }
        let fd = self.fd()?;
        let mut words = vec![0u32; 4];
        loop {
            let mut len = (words.len() * 4) as libc::socklen_t;
            // SAFETY: `words` is a live, writable buffer of `len` bytes; the kernel writes at most
            // `len` bytes into it and reports the size it needs in `len`.
            let r = unsafe {
                libc::getsockopt(
                    fd.as_raw_fd(),
                    SOL_NETLINK,
                    NETLINK_LIST_MEMBERSHIPS,
                    words.as_mut_ptr().cast::<libc::c_void>(),
                    &mut len,
                )
            };
            if r < 0 {
                return Err(io::Error::last_os_error().into());
            }
            let need = (len as usize).div_ceil(4);
            if need <= words.len() {
                words.truncate(need);
                break;
            }
            words.resize(need, 0);
        }
        let mut groups = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for bit in 0..32u32 {
                if w & (1 << bit) != 0 {
                    groups.push(i as u32 * 32 + bit + 1);
                }
            }
        }
        Ok(groups)
    }

    /// Whether `NETLINK_EXT_ACK` is on (read back from the kernel).
    pub fn ext_ack(&self) -> Result<bool, Error> {
        Ok(self.get_int_opt(NETLINK_EXT_ACK)? != 0)
    }

    /// Whether `NETLINK_CAP_ACK` is on (read back from the kernel).
    pub fn cap_ack(&self) -> Result<bool, Error> {
        Ok(self.get_int_opt(NETLINK_CAP_ACK)? != 0)
    }

    // -----------------------------------------------------------------------------------------
    // Raw I/O.

    /// Send `bytes` (one or more complete netlink messages) to the kernel as they are. No
    /// exchange is tracked: read the answer with [`recv_notification`](Self::recv_notification)
    /// only if it carries sequence number 0, or send requests with
    /// [`send_request`](Self::send_request) instead.
    pub fn send_raw(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.send_raw_to(0, bytes)
    }

    /// Send `bytes` to the socket with port id `port` (0: the kernel). Sending to another user
    /// socket needs `CAP_NET_ADMIN` on most protocols.
    pub fn send_raw_to(&mut self, port: u32, bytes: &[u8]) -> Result<(), Error> {
        self.core.send_raw(&mut self.io, port, bytes)
    }

    // -----------------------------------------------------------------------------------------
    // Requests (see `crate::request`).

    /// Build `req` with `flags | NLM_F_REQUEST` and a new sequence number, and send it; read
    /// its answer with [`next_reply`](Self::next_reply). `NLM_F_ACK` in `flags`: the ACK ends
    /// the answer; `NLM_F_DUMP`: `NLMSG_DONE` does; neither: the first reply (or the kernel's
    /// error) does. An exchange still running is read to its end first.
    pub fn send_request<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        let ex = self.core.begin(req, flags, R::describe)?;
        self.core.settle(&mut self.io)?;
        self.core.send_pending(&mut self.io)?;
        Ok(ex)
    }

    /// Read an exchange left unfinished to its end (resumable after `WouldBlock`).
    pub(crate) fn settle(&mut self) -> Result<(), Error> {
        self.core.settle(&mut self.io)
    }

    pub(crate) fn begin<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        self.core.begin(req, flags, R::describe)
    }

    pub(crate) fn send_pending(&mut self) -> Result<(), Error> {
        self.core.send_pending(&mut self.io)
    }

    /// Send `req` as a request with `NLM_F_ACK` (plus `flags`); read the answer with
    /// [`next_reply`](Self::next_reply). It ends with the kernel's ACK or error.
    pub fn start_request<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        self.send_request(req, flags | NLM_F_ACK)
    }

    /// Send `req` as a dump (`NLM_F_DUMP` plus `flags`); read the answer with
    /// [`next_reply`](Self::next_reply). It ends with `NLMSG_DONE` or the kernel's error.
    pub fn start_dump<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        self.send_request(req, flags | NLM_F_DUMP)
    }

    /// The next data message answering `ex`, or `None` when the answer is complete.
    ///
    /// Notifications met on the way are queued (see
    /// [`recv_notification`](Self::recv_notification)); unicast messages with another sequence
    /// number or port id are dropped and counted. A kernel error ends the exchange and is
    /// returned with its attribute path resolved. `WouldBlock` (non-blocking sockets) leaves
    /// it resumable: call again.
    ///
    /// Each datagram is waited for at most the [timeout](Self::set_timeout), then
    /// [`Error::Timeout`] ends the exchange. `ENOBUFS` does not interrupt a dump, whose data
    /// the kernel never drops (only when nothing can be received at all, as when `SO_RCVBUF`
    /// is smaller than one dump datagram, does the dump end with [`Error::Overrun`]); the next
    /// [`recv_notification`](Self::recv_notification) reports the lost notifications. A
    /// request that meets `ENOBUFS` reads what is queued without waiting: its answer is there,
    /// or the exchange ends at once with [`Error::AnswerLost`].
    #[inline]
    pub fn next_reply(&mut self, ex: &mut Exchange) -> Result<Option<Message<'_>>, Error> {
        match self.core.next_reply_pos(&mut self.io, ex)? {
            Some((start, end)) => self.core.message_at(start, end).map(Some),
            None => Ok(None),
        }
    }

    /// [`next_reply`](Self::next_reply) without lending the message: its byte range in the
    /// receive buffer (the async socket retries this after `WouldBlock`, then lends it).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn next_reply_pos(
        &mut self,
        ex: &mut Exchange,
    ) -> Result<Option<(usize, usize)>, Error> {
        self.core.next_reply_pos(&mut self.io, ex)
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    #[inline]
    pub(crate) fn message_at(&self, start: usize, end: usize) -> Result<Message<'_>, Error> {
        self.core.message_at(start, end)
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn core_ref(&self) -> &Core {
        &self.core
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn core_mut(&mut self) -> &mut Core {
        &mut self.core
    }

    /// Read and discard the rest of an exchange's answer now (starting the next request does
    /// the same). Stops at the first error that is not the exchange's own.
    pub fn drain(&mut self, ex: &mut Exchange) {
        while !ex.is_done() {
            match self.next_reply(ex) {
                Ok(_) => {}
                Err(Error::Io(_)) => return,
                Err(_) => {}
            }
        }
    }

    /// Send `req` and call `on_reply` with each reply message, borrowed from the receive
    /// buffer, until the answer ends (`flags` as for [`send_request`](Self::send_request):
    /// with `NLM_F_ACK`, at the ACK; without, at the first reply). Returns the number of
    /// replies. If `on_reply` fails, the rest of the answer is drained and its error returned.
    pub fn request_with<R, F>(&mut self, req: &R, flags: u16, on_reply: F) -> Result<usize, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.send_request(req, flags)?;
        self.drive(&mut ex, on_reply)?;
        Ok(ex.messages())
    }

    /// Send `req` with `NLM_F_ACK` (plus `flags`) and call `on_reply` with each reply message,
    /// borrowed from the receive buffer. Returns the number of replies once the ACK arrives, or
    /// the kernel's error. If `on_reply` fails, the rest of the answer is drained and its error
    /// returned.
    pub fn request<R, F>(&mut self, req: &R, flags: u16, on_reply: F) -> Result<usize, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        self.request_with(req, flags | NLM_F_ACK, on_reply)
    }

    /// Send `req` with `NLM_F_ACK` and wait for the ACK, ignoring reply data.
    pub fn ack<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<(), Error> {
        self.request(req, flags, |_| Ok(())).map(drop)
    }

    /// Send `req` as a dump (`NLM_F_DUMP` plus `flags`) and call `on_msg` with each message,
    /// borrowed from the receive buffer, until `NLMSG_DONE`. An errno inside `DONE` or a
    /// dump-start `NLMSG_ERROR` is returned as the kernel's error. If `on_msg` fails, the rest
    /// of the dump is drained and its error returned.
    pub fn dump<R, F>(&mut self, req: &R, flags: u16, on_msg: F) -> Result<DumpSummary, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start_dump(req, flags)?;
        self.drive(&mut ex, on_msg)?;
        Ok(ex.summary())
    }

    /// Feed every reply of `ex` to `f`; if `f` fails, drain the rest and return its error.
    fn drive<F>(&mut self, ex: &mut Exchange, mut f: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        while let Some(m) = self.next_reply(ex)? {
            if let Err(e) = f(m) {
                self.drain(ex);
                return Err(e);
            }
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Notifications.

    /// Receive the next notification: queued ones first (oldest first), then from the socket.
    /// Unicast messages with a non-zero sequence number are stale replies here: they are dropped
    /// and counted in [`SocketStats::foreign_seq`].
    ///
    /// Waits until one arrives, up to the [event timeout](Self::set_event_timeout) if one is
    /// set. [`Error::Overrun`] means notifications were lost (kernel `ENOBUFS`, or the queue
    /// limit); the socket goes on working.
    ///
    /// On `NETLINK_CONNECTOR` every message has type `NLMSG_DONE`: read its payload, do not
    /// interpret it with [`Message::kind`].
    pub fn recv_notification(&mut self) -> Result<Notification<'_>, Error> {
        let pos = self.core.next_notification_pos(&mut self.io)?;
        self.core.notification_at(pos)
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn next_notification_pos(&mut self) -> Result<NotePos, Error> {
        self.core.next_notification_pos(&mut self.io)
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn notification_at(&self, pos: NotePos) -> Result<Notification<'_>, Error> {
        self.core.notification_at(pos)
    }
}

/// A socket with a timeout for the guard's life (see [`NlSocket::with_timeout`]); derefs to
/// the socket.
pub struct WithTimeout<'s, S> {
    sock: &'s mut S,
    before: Option<Duration>,
    restore: fn(&mut S, Option<Duration>),
}

impl<S> fmt::Debug for WithTimeout<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithTimeout")
            .field("before", &self.before)
            .finish_non_exhaustive()
    }
}

impl<'s, S> WithTimeout<'s, S> {
    /// A guard over `sock` that calls `restore(sock, before)` when dropped (for sockets built
    /// on this one).
    pub fn new(
        sock: &'s mut S,
        before: Option<Duration>,
        restore: fn(&mut S, Option<Duration>),
    ) -> Self {
        WithTimeout {
            sock,
            before,
            restore,
        }
    }
}

impl<S> std::ops::Deref for WithTimeout<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        self.sock
    }
}

impl<S> std::ops::DerefMut for WithTimeout<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        self.sock
    }
}

impl<S> Drop for WithTimeout<'_, S> {
    fn drop(&mut self) {
        (self.restore)(self.sock, self.before);
    }
}

impl AsFd for NlSocket {
    /// The socket's file descriptor; for an in-memory socket, an event fd that is readable
    /// while a datagram is queued.
    fn as_fd(&self) -> BorrowedFd<'_> {
        match &self.io {
            Io::Fd(f) => f.fd.as_fd(),
            Io::Mem(m) => m.as_fd(),
        }
    }
}

impl AsRawFd for NlSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.as_fd().as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_masks() {
        assert_eq!(group_of_mask(0), 0);
        assert_eq!(group_of_mask(1), 1);
        assert_eq!(group_of_mask(1 << 5), 6);
    }

    #[test]
    fn seq_skips_zero() {
        let Ok(mut s) = NlSocket::new(crate::consts::protocol::GENERIC) else {
            return; // no netlink in this sandbox
        };
        s.core.set_seq(u32::MAX);
        assert_eq!(s.next_seq(), 1);
    }
}
