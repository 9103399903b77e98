//! A blocking netlink socket for any protocol (`NETLINK_GENERIC`, `NETLINK_ROUTE`,
//! `NETLINK_CONNECTOR`, ...), with reply filtering, a notification queue and counters.
//!
//! [`NlSocket`] owns one `AF_NETLINK` socket, its port id, its sequence numbers and two reusable
//! buffers (one to send, one to receive). What it guarantees:
//!
//! - **Nothing is silently truncated.** Each datagram is sized first (`MSG_PEEK | MSG_TRUNC`),
//!   the receive buffer grows when needed, then the datagram is read whole.
//! - **Replies come from the kernel, for us.** A datagram whose sender port id is not 0 (another
//!   socket) is dropped and counted in [`SocketStats::foreign_sender`]; a unicast message with a
//!   sequence number or port id that is not the running request's is dropped and counted in
//!   [`SocketStats::foreign_seq`]. Neither is ever decoded as a reply.
//! - **Notifications are not lost.** Multicast messages and messages with sequence number 0 that
//!   arrive while a request is running are copied into a queue and returned later by
//!   [`NlSocket::recv_notification`].
//! - **Overruns are reported and survivable.** `ENOBUFS` becomes [`Error::Overrun`]; the socket
//!   keeps working. `EINTR` is retried.
//! - **Extended ACKs are on.** `NETLINK_EXT_ACK` and `NETLINK_CAP_ACK` are enabled at creation.
//!
//! The request patterns (request with ACK, dump to `DONE`) are methods of [`NlSocket`] built on
//! the [`NlRequest`](crate::request::NlRequest) trait; see [`crate::request`].
//!
//! ```
//! use netlink_core::socket::NlSocket;
//! use netlink_core::consts::protocol;
//!
//! let sock = NlSocket::new(protocol::GENERIC)?;
//! assert_ne!(sock.port_id(), 0);
//! # Ok::<(), netlink_core::Error>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::Duration;

use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{AddressFamily, Protocol, RecvFlags, SendFlags, SocketFlags, SocketType};

use crate::consts::{
    NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK,
    NETLINK_GET_STRICT_CHK, NETLINK_LIST_MEMBERSHIPS, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO,
    NLMSG_HDRLEN, SOL_NETLINK, align,
};
use crate::debug::{NoNames, Resolver};
use crate::error::{DecodeError, DecodeErrorKind, Error};
use crate::header::NlMsgHdr;
use crate::message::{Message, MessageIter};

/// The default size of the receive buffer in user space (it grows when a larger datagram
/// arrives). 32 KiB is what the kernel sizes dump datagrams to at most, so dumps fit from the
/// start.
pub const DEFAULT_READ_BUFFER: usize = 32 * 1024;

/// The default bound of the notification queue (messages), see
/// [`NlSocket::set_queue_limit`].
pub const DEFAULT_QUEUE_LIMIT: usize = 4096;

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
    /// Datagrams that did not fit the buffer and were lost (only possible with
    /// [`NlSocket::set_peek_sizing`] off; each was reported as an error).
    pub truncated: u64,
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

#[derive(Debug)]
struct Queued {
    group: u32,
    bytes: Vec<u8>,
}

/// A netlink socket. See the [module documentation](self).
pub struct NlSocket {
    fd: OwnedFd,
    protocol: i32,
    port_id: u32,
    seq: u32,
    /// Receive buffer; its length is the capacity offered to `recv`.
    pub(crate) rx: Vec<u8>,
    /// Bytes of the current datagram in `rx`.
    pub(crate) rx_len: usize,
    /// Offset of the next unread message in `rx`.
    pub(crate) rx_pos: usize,
    /// Multicast group of the current datagram (0: unicast).
    pub(crate) rx_group: u32,
    /// Send buffer; holds the last request sent (used to map ext-ack offsets).
    pub(crate) tx: Vec<u8>,
    queue: VecDeque<Queued>,
    queue_limit: usize,
    /// Notifications were dropped (queue full): report one overrun to the event API.
    lost: bool,
    /// The queued notification being lent out by `recv_notification`.
    current: Vec<u8>,
    pktinfo: bool,
    /// Size each datagram with `MSG_PEEK | MSG_TRUNC` before reading it.
    peek: bool,
    /// The size of the datagram at the head of the queue, when a peek sized it but the read
    /// failed.
    peeked: Option<usize>,
    pub(crate) stats: SocketStats,
    /// Names for `NETLINK_DEBUG` traces.
    names: Box<dyn Resolver + Send + Sync>,
}

impl fmt::Debug for NlSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NlSocket")
            .field("fd", &self.fd)
            .field("protocol", &self.protocol)
            .field("port_id", &self.port_id)
            .field("seq", &self.seq)
            .field("read_buffer", &self.rx.len())
            .field("queued", &self.queue.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
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
            fd,
            protocol,
            port_id: addr.pid(),
            seq: 0,
            rx: vec![0; DEFAULT_READ_BUFFER],
            rx_len: 0,
            rx_pos: 0,
            rx_group: 0,
            tx: Vec::with_capacity(256),
            queue: VecDeque::new(),
            queue_limit: DEFAULT_QUEUE_LIMIT,
            lost: false,
            current: Vec::new(),
            pktinfo: false,
            peek: true,
            peeked: None,
            stats: SocketStats::default(),
            names: Box::new(NoNames),
        };
        s.set_ext_ack(true)?;
        s.set_cap_ack(true)?;
        Ok(s)
    }

    /// The netlink protocol this socket was opened for.
    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// The port id the kernel assigned at bind time (`getsockname`); replies carry it in
    /// `nlmsg_pid`.
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Allocate the next sequence number (never 0: 0 marks notifications).
    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        if self.seq == 0 {
            self.seq = 1;
        }
        self.seq
    }

    /// Names used by the `NETLINK_DEBUG` trace (see [`crate::debug`]) for this socket's
    /// messages; the default knows none and prints annotated hex.
    pub fn set_debug_names(&mut self, names: Box<dyn Resolver + Send + Sync>) {
        self.names = names;
    }

    /// The last sequence number allocated (0 before the first request); the next request gets
    /// the one after it.
    pub fn last_seq(&self) -> u32 {
        self.seq
    }

    /// The counters of dropped, queued and lost messages.
    pub fn stats(&self) -> SocketStats {
        self.stats
    }

    // -----------------------------------------------------------------------------------------
    // Options.

    fn set_int_opt(&self, opt: i32, value: i32) -> Result<(), Error> {
        let v: libc::c_int = value;
        // SAFETY: `self.fd` is an open socket we own; `&v` points to a live `c_int` for the
        // duration of the call and the length passed is exactly its size. The kernel only reads
        // `optlen` bytes from it.
        let r = unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
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
        let mut v: libc::c_int = 0;
        let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `self.fd` is an open socket we own; `&mut v` and `&mut len` are live, writable
        // and `len` holds the size of `v`, so the kernel writes at most that many bytes.
        let r = unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
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
        rustix::net::sockopt::set_socket_recv_buffer_size(&self.fd, bytes).map_err(errno_to_io)?;
        Ok(())
    }

    /// `SO_RCVBUFFORCE`: like [`set_recv_buffer_size`](Self::set_recv_buffer_size) without the
    /// `rmem_max` cap; needs `CAP_NET_ADMIN`.
    pub fn set_recv_buffer_size_force(&mut self, bytes: usize) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_recv_buffer_size_force(&self.fd, bytes)
            .map_err(errno_to_io)?;
        Ok(())
    }

    /// `SO_RCVBUF` as the kernel reports it (twice the value set, for its bookkeeping).
    pub fn recv_buffer_size(&self) -> Result<usize, Error> {
        Ok(rustix::net::sockopt::socket_recv_buffer_size(&self.fd).map_err(errno_to_io)?)
    }

    /// The size of the user-space receive buffer (it grows to fit larger datagrams).
    pub fn read_buffer_len(&self) -> usize {
        self.rx.len()
    }

    /// Resize the user-space receive buffer (at least 16 bytes). It still grows on demand; a
    /// small value only costs reallocations. Unread messages of the current datagram are
    /// discarded.
    pub fn set_read_buffer_len(&mut self, bytes: usize) {
        self.peeked = None;
        self.rx_len = 0;
        self.rx_pos = 0;
        self.rx.resize(bytes.max(NLMSG_HDRLEN), 0);
        self.rx.shrink_to_fit();
    }

    /// Whether each datagram is sized with `MSG_PEEK | MSG_TRUNC` before it is read (on by
    /// default). Off saves one system call per datagram, for hot request loops whose replies are
    /// known to fit the read buffer (the kernel sizes dump datagrams to at most about 32 KiB, the
    /// default buffer): a larger datagram is then lost, reported as a
    /// [`DecodeErrorKind::Truncated`] error and counted in [`SocketStats::truncated`], never
    /// decoded cut short; the buffer grows so the next one of that size fits.
    pub fn set_peek_sizing(&mut self, on: bool) {
        self.peek = on;
    }

    /// Bound the notification queue (messages that arrive while a request runs). When full,
    /// further notifications are dropped, counted in [`SocketStats::queue_dropped`], and the
    /// next [`recv_notification`](Self::recv_notification) reports [`Error::Overrun`].
    pub fn set_queue_limit(&mut self, messages: usize) {
        self.queue_limit = messages;
    }

    /// Notifications waiting in the queue.
    pub fn queued_notifications(&self) -> usize {
        self.queue.len()
    }

    /// Non-blocking mode: receive calls fail with [`io::ErrorKind::WouldBlock`] instead of
    /// waiting. Use with the raw fd in an event loop.
    pub fn set_nonblocking(&mut self, on: bool) -> Result<(), Error> {
        rustix::io::ioctl_fionbio(&self.fd, on).map_err(errno_to_io)?;
        Ok(())
    }

    /// `SO_RCVTIMEO`: make blocking receives fail with [`io::ErrorKind::WouldBlock`] after
    /// `timeout` (`None`: wait forever).
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_timeout(
            &self.fd,
            rustix::net::sockopt::Timeout::Recv,
            timeout,
        )
        .map_err(errno_to_io)?;
        Ok(())
    }

    /// Join multicast group `group` (`NETLINK_ADD_MEMBERSHIP`; any group number, also above
    /// 32). Also turns on `NETLINK_PKTINFO` so each notification reports its group.
    pub fn add_membership(&mut self, group: u32) -> Result<(), Error> {
        if !self.pktinfo {
            self.set_int_opt(NETLINK_PKTINFO, 1)?;
            self.pktinfo = true;
        }
        self.set_int_opt(NETLINK_ADD_MEMBERSHIP, group as i32)
    }

    /// Leave multicast group `group` (`NETLINK_DROP_MEMBERSHIP`).
    pub fn drop_membership(&mut self, group: u32) -> Result<(), Error> {
        self.set_int_opt(NETLINK_DROP_MEMBERSHIP, group as i32)
    }

    /// The groups this socket has joined (`NETLINK_LIST_MEMBERSHIPS`), ascending.
    pub fn memberships(&self) -> Result<Vec<u32>, Error> {
        let mut words = vec![0u32; 4];
        loop {
            let mut len = (words.len() * 4) as libc::socklen_t;
            // SAFETY: `words` is a live, writable buffer of `len` bytes; the kernel writes at most
            // `len` bytes into it and reports the size it needs in `len`.
            let r = unsafe {
                libc::getsockopt(
                    self.fd.as_raw_fd(),
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

    /// Send `bytes` (one or more complete netlink messages) to the kernel as they are.
    pub fn send_raw(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.send_raw_to(0, bytes)
    }

    /// Send `bytes` to the socket with port id `port` (0: the kernel). Sending to another user
    /// socket needs `CAP_NET_ADMIN` on most protocols.
    pub fn send_raw_to(&mut self, port: u32, bytes: &[u8]) -> Result<(), Error> {
        if crate::debug::enabled() {
            crate::debug::trace(&format!("send to port {port}"), bytes, &*self.names);
        }
        let addr = SocketAddrNetlink::new(port, 0);
        loop {
            match rustix::net::sendto(&self.fd, bytes, SendFlags::empty(), &addr) {
                Ok(_) => return Ok(()),
                Err(Errno::INTR) => continue,
                Err(e) => return Err(errno_to_io(e).into()),
            }
        }
    }

    /// Send the message in the send buffer.
    pub(crate) fn send_tx(&mut self) -> Result<(), Error> {
        if crate::debug::enabled() {
            crate::debug::trace("send", &self.tx, &*self.names);
        }
        let addr = SocketAddrNetlink::new(0, 0);
        loop {
            match rustix::net::sendto(&self.fd, &self.tx, SendFlags::empty(), &addr) {
                Ok(_) => return Ok(()),
                Err(Errno::INTR) => continue,
                Err(e) => return Err(errno_to_io(e).into()),
            }
        }
    }

    /// The size of the next datagram, without consuming it.
    fn peek_len(&mut self) -> Result<usize, Error> {
        let mut empty = [0u8; 0];
        loop {
            match rustix::net::recv(&self.fd, &mut empty[..], RecvFlags::PEEK | RecvFlags::TRUNC) {
                Ok((_, n)) => return Ok(n),
                Err(Errno::INTR) => continue,
                Err(Errno::NOBUFS) => return Err(self.overrun()),
                Err(e) => return Err(errno_to_io(e).into()),
            }
        }
    }

    /// Receive the next datagram into `rx`, whole. Datagrams from other sockets are dropped
    /// and counted. Sets `rx_len`, `rx_pos` and `rx_group`.
    pub(crate) fn fill(&mut self) -> Result<(), Error> {
        self.rx_len = 0;
        self.rx_pos = 0;
        loop {
            let need = match self.peeked.take() {
                // The head datagram was sized already and is still there (the read after the
                // peek failed with ENOBUFS). Peeking again would re-arm the error: a peek also
                // lets the kernel try to continue a dump, which fails the same way while the
                // receive buffer is full, so peek, fail, peek would never dequeue anything.
                Some(n) => n,
                None if self.peek => self.peek_len()?,
                None => 0,
            };
            if need > self.rx.len() {
                // Grow to the next power of two so a run of slightly larger datagrams does not
                // reallocate each time.
                self.rx.resize(need.next_power_of_two(), 0);
                self.stats.buffer_grows += 1;
            }
            let read = if self.pktinfo {
                self.recv_pktinfo()
            } else {
                self.recv_plain()
            };
            let (len, sender, group) = match read {
                Ok(r) => r,
                Err(Error::Overrun) if self.peek => {
                    self.peeked = Some(need);
                    return Err(Error::Overrun);
                }
                Err(e) => return Err(e),
            };
            self.stats.datagrams += 1;
            if sender != 0 {
                self.stats.foreign_sender += 1;
                continue;
            }
            if len > self.rx.len() {
                // With peeking this cannot happen with one reader (another thread reading the
                // same file description could cause it). Without, the datagram is lost: say so,
                // and grow so the next one of this size fits.
                let had = self.rx.len();
                self.stats.truncated += 1;
                if !self.peek {
                    self.rx.resize(len.next_power_of_two(), 0);
                    self.stats.buffer_grows += 1;
                }
                return Err(DecodeError::new(DecodeErrorKind::Truncated {
                    what: if self.peek {
                        "datagram (read concurrently by another thread?)"
                    } else {
                        "datagram larger than the read buffer (peek sizing is off); it was lost"
                    },
                    needed: len,
                    had,
                })
                .into());
            }
            self.rx_len = len;
            self.rx_group = group;
            if crate::debug::enabled() {
                let what = if group != 0 {
                    format!("recv (group {group})")
                } else {
                    "recv".to_owned()
                };
                crate::debug::trace(&what, self.rx.get(..len).unwrap_or(&[]), &*self.names);
            }
            return Ok(());
        }
    }

    /// `recvfrom` into `rx`: (length, sender port, group from the legacy mask).
    fn recv_plain(&mut self) -> Result<(usize, u32, u32), Error> {
        loop {
            match rustix::net::recvfrom(&self.fd, &mut self.rx[..], RecvFlags::TRUNC) {
                Ok((_, n, addr)) => {
                    let (pid, groups) = match addr.map(SocketAddrNetlink::try_from) {
                        Some(Ok(a)) => (a.pid(), a.groups()),
                        // No or a non-netlink address cannot come from the kernel.
                        _ => (u32::MAX, 0),
                    };
                    return Ok((n, pid, group_of_mask(groups)));
                }
                Err(Errno::INTR) => continue,
                Err(Errno::NOBUFS) => return Err(self.overrun()),
                Err(e) => return Err(errno_to_io(e).into()),
            }
        }
    }

    /// `recvmsg` into `rx` with the `NETLINK_PKTINFO` control message (rustix does not expose
    /// it): (length, sender port, exact group).
    fn recv_pktinfo(&mut self) -> Result<(usize, u32, u32), Error> {
        // Control buffer: room for a few cmsgs, aligned for `cmsghdr`.
        let mut control = [0u64; 8];
        loop {
            // SAFETY: an all-zero `sockaddr_nl` is a valid value (plain integers).
            let mut addr: libc::sockaddr_nl = unsafe { core::mem::zeroed() };
            let mut iov = libc::iovec {
                iov_base: self.rx.as_mut_ptr().cast::<libc::c_void>(),
                iov_len: self.rx.len(),
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
            // SAFETY: every pointer in `mh` refers to a live local or to `self.rx`, each with the
            // length given next to it; they stay valid for the call, and the kernel writes
            // within those lengths only.
            let n = unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut mh, libc::MSG_TRUNC) };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.raw_os_error() {
                    Some(libc::EINTR) => continue,
                    Some(libc::ENOBUFS) => return Err(self.overrun()),
                    _ => return Err(e.into()),
                }
            }
            let mut group = group_of_mask(addr.nl_groups);
            // SAFETY: `mh` was filled by a successful `recvmsg`; `msg_control` and
            // `msg_controllen` describe the initialised part of `control`, which outlives the
            // loop. CMSG_FIRSTHDR/CMSG_NXTHDR stay within it and return null at its end.
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
            let pid = if addr.nl_family as i32 == libc::AF_NETLINK {
                addr.nl_pid
            } else {
                u32::MAX
            };
            return Ok((n as usize, pid, group));
        }
    }

    /// The kernel reported `ENOBUFS`: count it and remember that notifications may have been
    /// lost, so the event API reports it even when a request met it first.
    #[cold]
    pub(crate) fn overrun(&mut self) -> Error {
        self.stats.overruns += 1;
        self.lost = true;
        Error::Overrun
    }

    /// Take the next message of the current datagram: its header and byte range in `rx`.
    /// A framing error discards the rest of the datagram.
    pub(crate) fn take_message(&mut self) -> Result<(NlMsgHdr, usize, usize), Error> {
        let start = self.rx_pos;
        let rest = self.rx.get(start..self.rx_len).unwrap_or(&[]);
        match MessageIter::new(rest).next() {
            Some(Ok(m)) => {
                let len = m.header().len as usize;
                self.rx_pos = start.saturating_add(align(len)).min(self.rx_len);
                Ok((*m.header(), start, start + len))
            }
            Some(Err(e)) => {
                self.rx_pos = self.rx_len;
                Err(e.add_offset(start).into())
            }
            None => {
                self.rx_pos = self.rx_len;
                Err(DecodeError::new(DecodeErrorKind::Truncated {
                    what: "message header",
                    needed: NLMSG_HDRLEN,
                    had: 0,
                })
                .into())
            }
        }
    }

    /// The message at `rx[start..end]` (as returned by `take_message`).
    pub(crate) fn message_at(&self, start: usize, end: usize) -> Result<Message<'_>, Error> {
        let bytes = self.rx.get(start..end).unwrap_or(&[]);
        match MessageIter::new(bytes).next() {
            Some(Ok(m)) => Ok(m),
            Some(Err(e)) => Err(e.add_offset(start).into()),
            None => Err(DecodeError::custom("empty message").into()),
        }
    }

    /// Copy the message at `rx[start..end]` into the notification queue (or count it as lost).
    pub(crate) fn enqueue(&mut self, start: usize, end: usize) {
        if self.queue.len() >= self.queue_limit {
            self.stats.queue_dropped += 1;
            self.lost = true;
            return;
        }
        let bytes = self.rx.get(start..end).unwrap_or(&[]).to_vec();
        self.stats.queued += 1;
        self.queue.push_back(Queued {
            group: self.rx_group,
            bytes,
        });
    }

    /// Whether the message with header `hdr`, in the current datagram, is a notification (and
    /// not a reply): multicast, or unicast with sequence number 0.
    #[inline]
    pub(crate) fn is_notification(&self, hdr: &NlMsgHdr) -> bool {
        self.rx_group != 0 || hdr.seq == 0
    }

    /// Receive the next notification: queued ones first (oldest first), then from the socket.
    /// Unicast messages with a non-zero sequence number are stale replies here: they are dropped
    /// and counted in [`SocketStats::foreign_seq`].
    ///
    /// Blocks until one arrives (unless the socket is non-blocking or has a read timeout).
    /// [`Error::Overrun`] means notifications were lost (kernel `ENOBUFS`, or the queue limit);
    /// the socket goes on working.
    ///
    /// On `NETLINK_CONNECTOR` every message has type `NLMSG_DONE`: read its payload, do not
    /// interpret it with [`Message::kind`].
    pub fn recv_notification(&mut self) -> Result<Notification<'_>, Error> {
        let pos = self.next_notification_pos()?;
        self.notification_at(pos)
    }

    /// Find the next notification without lending it (the async socket retries this after
    /// `WouldBlock`, then lends it with [`notification_at`](Self::notification_at)).
    pub(crate) fn next_notification_pos(&mut self) -> Result<NotePos, Error> {
        if self.lost {
            self.lost = false;
            return Err(Error::Overrun);
        }
        loop {
            if let Some(q) = self.queue.pop_front() {
                self.current = q.bytes;
                return Ok(NotePos::Queued { group: q.group });
            }
            if self.rx_pos >= self.rx_len {
                if let Err(e) = self.fill() {
                    if matches!(e, Error::Overrun) {
                        self.lost = false; // reported now, not again
                    }
                    return Err(e);
                }
                continue;
            }
            let (hdr, start, end) = self.take_message()?;
            if self.is_notification(&hdr) {
                return Ok(NotePos::Rx {
                    group: self.rx_group,
                    start,
                    end,
                });
            }
            self.stats.foreign_seq += 1;
        }
    }

    /// Lend the notification found by [`next_notification_pos`](Self::next_notification_pos).
    pub(crate) fn notification_at(&self, pos: NotePos) -> Result<Notification<'_>, Error> {
        match pos {
            // Queued messages were framed when received.
            NotePos::Queued { group } => match MessageIter::new(&self.current).next() {
                Some(Ok(message)) => Ok(Notification { group, message }),
                Some(Err(e)) => Err(e.into()),
                None => Err(DecodeError::custom("empty queued notification").into()),
            },
            NotePos::Rx { group, start, end } => Ok(Notification {
                group,
                message: self.message_at(start, end)?,
            }),
        }
    }
}

/// Where the next notification is: the queue slot just popped, or the receive buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NotePos {
    Queued {
        group: u32,
    },
    Rx {
        group: u32,
        start: usize,
        end: usize,
    },
}

impl AsFd for NlSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for NlSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
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
        s.seq = u32::MAX;
        assert_eq!(s.next_seq(), 1);
    }
}
