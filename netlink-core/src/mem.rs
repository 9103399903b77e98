//! An in-memory transport: a netlink socket whose other end is your code, not the kernel.
//!
//! [`MemTransport`] is the peer's side of a connection; [`NlSocket::with_transport`](crate::socket::NlSocket::with_transport) (and the
//! typed and async sockets built on it) is the client's side. The client runs exactly the
//! code it runs against the kernel: the same core decides what each datagram means, checks
//! senders and sequence numbers, queues notifications, recovers from overruns and times out.
//! Only the bytes move differently.
//!
//! The peer either answers each request as it is sent, with a
//! [`set_handler`](MemTransport::set_handler) closure (as the kernel runs a generic netlink
//! request inside the send), or reads requests with
//! [`recv_request`](MemTransport::recv_request) and [`deliver`](MemTransport::deliver)s
//! answers whenever it likes, from any thread. Deliveries follow the kernel's rules for a
//! socket's receive queue: while more than [`recv_buffer_size`](MemTransport::recv_buffer_size)
//! bytes are queued, a delivery is dropped and the client's next receive fails with `ENOBUFS`;
//! until the client has emptied its queue, every further delivery is dropped without a new
//! error (the kernel's "congested" state). That makes faults reproducible: overruns, foreign
//! senders, stale sequence numbers, replies that never come.
//!
//! ```
//! use netlink_genl_core::consts::{protocol, NLMSG_ERROR};
//! use netlink_genl_core::mem::MemTransport;
//! use netlink_genl_core::request::RawRequest;
//! use netlink_genl_core::socket::NlSocket;
//!
//! // A peer that acknowledges every request.
//! let peer = MemTransport::new();
//! peer.set_handler(|request, out| {
//!     out.unicast(netlink_genl_core::mem::ack_for(request, 0));
//! });
//! let mut sock = NlSocket::with_transport(protocol::GENERIC, &peer)?;
//! sock.ack(&RawRequest::new(0x10, &[3, 1, 0, 0]), 0)?;
//! # Ok::<(), netlink_genl_core::Error>(())
//! ```
//!
//! The socket's file descriptor ([`AsFd`]) is an event fd that is readable
//! while a datagram is queued, so event loops and the tokio socket wait on it as on a kernel
//! socket.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::client::{Datagram, RawIo, Wait};
use crate::consts::{NLMSG_ERROR, NLMSG_HDRLEN};
use crate::header::NlMsgHdr;

use zerocopy::{FromBytes, IntoBytes};

/// The receive-buffer size a new in-memory socket has (Linux's usual `rmem_default`).
pub const DEFAULT_MEM_RECV_BUFFER: usize = 212_992;

/// Port ids handed to in-memory sockets (distinct within the process, never 0).
static NEXT_PORT: AtomicU32 = AtomicU32::new(0x4e4c_0001);

/// One datagram delivered to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemDatagram {
    /// The sender's port id: 0 for the kernel (anything else is dropped by the client as a
    /// foreign sender).
    pub sender: u32,
    /// The multicast group (0: unicast).
    pub group: u32,
    /// One or more netlink messages.
    pub bytes: Vec<u8>,
}

impl MemDatagram {
    /// A unicast datagram from the kernel (sender 0).
    pub fn unicast(bytes: Vec<u8>) -> Self {
        MemDatagram {
            sender: 0,
            group: 0,
            bytes,
        }
    }
}

/// What a [handler](MemTransport::set_handler) answers: datagrams for the client, delivered in
/// order after the handler returns, by the receive-queue rules of the [module](self).
#[derive(Debug, Default)]
pub struct Outbox {
    out: Vec<MemDatagram>,
}

impl Outbox {
    /// Send `bytes` (one or more messages) to the client as one datagram from the kernel.
    pub fn unicast(&mut self, bytes: Vec<u8>) {
        self.out.push(MemDatagram::unicast(bytes));
    }

    /// Send a datagram with any sender and group.
    pub fn datagram(&mut self, d: MemDatagram) {
        self.out.push(d);
    }

    /// The datagrams so far.
    pub fn datagrams(&self) -> &[MemDatagram] {
        &self.out
    }
}

type Handler = Box<dyn FnMut(&[u8], &mut Outbox) + Send>;

struct State {
    queue: VecDeque<MemDatagram>,
    queued_bytes: usize,
    rcvbuf: usize,
    /// `ENOBUFS` to report on the next receive.
    overrun: bool,
    /// Deliveries are dropped until the client has emptied its queue.
    congested: bool,
    /// The event fd is signalled.
    ready: bool,
    nonblocking: bool,
    groups: BTreeSet<u32>,
    options: BTreeMap<i32, i32>,
    handler: Option<Handler>,
    /// Requests sent while no handler was set.
    requests: VecDeque<Vec<u8>>,
    delivered: u64,
    dropped: u64,
}

struct Shared {
    port_id: u32,
    state: Mutex<State>,
    /// Signalled when a datagram is delivered (blocking clients wait on it).
    delivered: Condvar,
    /// Signalled when the client sends a request (a peer waiting in `recv_request`).
    requested: Condvar,
    /// Readable while a datagram (or an overrun) is queued.
    efd: OwnedFd,
}

/// The peer's side of an in-memory netlink connection. See the [module documentation](self).
/// Clones share the connection.
#[derive(Clone)]
pub struct MemTransport {
    shared: Arc<Shared>,
}

impl fmt::Debug for MemTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.shared.lock();
        f.debug_struct("MemTransport")
            .field("port_id", &self.shared.port_id)
            .field("queued", &s.queue.len())
            .field("congested", &s.congested)
            .finish_non_exhaustive()
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked poisons nothing we rely on: the state stays consistent
        // between statements.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Make the event fd's readability match the state.
    fn sync_ready(&self, s: &mut State) {
        let want = s.overrun || !s.queue.is_empty();
        if want && !s.ready {
            // An eventfd write of 1 cannot fail short of overflowing its 64-bit counter,
            // which one pending signal never does.
            let _ = rustix::io::write(&self.efd, &1u64.to_ne_bytes());
            s.ready = true;
        } else if !want && s.ready {
            let mut b = [0u8; 8];
            let _ = rustix::io::read(&self.efd, &mut b);
            s.ready = false;
        }
    }

    /// Queue `d` for the client by the kernel's receive-queue rules. Returns whether it was
    /// queued.
    fn deliver(&self, s: &mut State, d: MemDatagram) -> bool {
        if d.group != 0 && !s.groups.contains(&d.group) {
            return false;
        }
        if s.congested || s.queued_bytes > s.rcvbuf {
            if !s.congested {
                s.congested = true;
                s.overrun = true;
            }
            s.dropped += 1;
            self.sync_ready(s);
            return false;
        }
        s.queued_bytes += d.bytes.len();
        s.queue.push_back(d);
        s.delivered += 1;
        self.sync_ready(s);
        self.delivered.notify_all();
        true
    }
}

impl Default for MemTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl MemTransport {
    /// A new connection with no handler (requests queue up for
    /// [`recv_request`](Self::recv_request)).
    ///
    /// # Panics
    ///
    /// If the process cannot create an event fd (out of file descriptors).
    pub fn new() -> Self {
        Self::try_new().unwrap_or_else(|e| panic!("netlink-genl-core mem: eventfd: {e}"))
    }

    /// [`new`](Self::new), failing instead of panicking when no event fd can be created.
    pub fn try_new() -> io::Result<Self> {
        let efd = rustix::event::eventfd(
            0,
            rustix::event::EventfdFlags::CLOEXEC | rustix::event::EventfdFlags::NONBLOCK,
        )
        .map_err(|e| io::Error::from_raw_os_error(e.raw_os_error()))?;
        Ok(MemTransport {
            shared: Arc::new(Shared {
                port_id: NEXT_PORT.fetch_add(1, Ordering::Relaxed),
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    queued_bytes: 0,
                    rcvbuf: DEFAULT_MEM_RECV_BUFFER,
                    overrun: false,
                    congested: false,
                    ready: false,
                    nonblocking: false,
                    groups: BTreeSet::new(),
                    options: BTreeMap::new(),
                    handler: None,
                    requests: VecDeque::new(),
                    delivered: 0,
                    dropped: 0,
                }),
                delivered: Condvar::new(),
                requested: Condvar::new(),
                efd,
            }),
        })
    }

    /// The client's port id (what the kernel would have assigned at bind time).
    pub fn port_id(&self) -> u32 {
        self.shared.port_id
    }

    /// Answer every request as it is sent: `handler` gets the request's bytes (as the client
    /// sent them: one or more netlink messages) and an [`Outbox`] for its answers. It runs on
    /// the client's thread, inside its send, as the kernel runs a generic netlink request.
    pub fn set_handler<F>(&self, handler: F)
    where
        F: FnMut(&[u8], &mut Outbox) + Send + 'static,
    {
        self.shared.lock().handler = Some(Box::new(handler));
    }

    /// Remove the handler: requests queue up for [`recv_request`](Self::recv_request).
    pub fn clear_handler(&self) {
        self.shared.lock().handler = None;
    }

    /// The oldest request sent while no handler was set, waiting up to `timeout` for one.
    pub fn recv_request(&self, timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now().checked_add(timeout);
        let mut s = self.shared.lock();
        loop {
            if let Some(r) = s.requests.pop_front() {
                return Some(r);
            }
            let left = deadline?.checked_duration_since(Instant::now())?;
            s = self
                .shared
                .requested
                .wait_timeout(s, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }

    /// Deliver `d` to the client by the receive-queue rules. Returns whether it was queued
    /// (false: dropped as the kernel would, for a full queue, a congested socket or a group
    /// the client has not joined).
    pub fn deliver(&self, d: MemDatagram) -> bool {
        let mut s = self.shared.lock();
        self.shared.deliver(&mut s, d)
    }

    /// Deliver `bytes` as a unicast datagram from the kernel.
    pub fn unicast(&self, bytes: Vec<u8>) -> bool {
        self.deliver(MemDatagram::unicast(bytes))
    }

    /// Deliver `bytes` to multicast group `group` (dropped unless the client joined it).
    pub fn multicast(&self, group: u32, bytes: Vec<u8>) -> bool {
        self.deliver(MemDatagram {
            sender: 0,
            group,
            bytes,
        })
    }

    /// Make the client's next receive fail with `ENOBUFS` and drop deliveries until it has
    /// emptied its queue, as after a kernel overrun.
    pub fn overrun(&self) {
        let mut s = self.shared.lock();
        s.overrun = true;
        s.congested = true;
        self.shared.sync_ready(&mut s);
        self.shared.delivered.notify_all();
    }

    /// The client's receive buffer (`SO_RCVBUF`; default [`DEFAULT_MEM_RECV_BUFFER`]).
    pub fn recv_buffer_size(&self) -> usize {
        self.shared.lock().rcvbuf
    }

    /// Set the client's receive buffer.
    pub fn set_recv_buffer_size(&self, bytes: usize) {
        self.shared.lock().rcvbuf = bytes;
    }

    /// Datagrams queued for the client.
    pub fn queued(&self) -> usize {
        self.shared.lock().queue.len()
    }

    /// Whether deliveries are being dropped until the client empties its queue.
    pub fn is_congested(&self) -> bool {
        self.shared.lock().congested
    }

    /// Datagrams delivered and dropped so far.
    pub fn counts(&self) -> (u64, u64) {
        let s = self.shared.lock();
        (s.delivered, s.dropped)
    }

    /// The multicast groups the client has joined.
    pub fn groups(&self) -> Vec<u32> {
        self.shared.lock().groups.iter().copied().collect()
    }

    /// A netlink socket option the client set (`NETLINK_EXT_ACK`, `NETLINK_CAP_ACK`, ...), 0
    /// if it set none.
    pub fn option(&self, opt: i32) -> i32 {
        self.shared.lock().options.get(&opt).copied().unwrap_or(0)
    }

    /// The client's end.
    pub(crate) fn connect(&self) -> io::Result<MemIo> {
        Ok(MemIo {
            shared: Arc::clone(&self.shared),
        })
    }
}

/// An `NLMSG_ERROR` answering the first message of `request`: an ACK when `errno` is 0, the
/// error `-errno` otherwise (without the echoed request, as with `NETLINK_CAP_ACK`). Empty if
/// `request` holds no message header.
pub fn ack_for(request: &[u8], errno: i32) -> Vec<u8> {
    let Ok((req, _)) = NlMsgHdr::read_from_prefix(request) else {
        return Vec::new();
    };
    let len = NLMSG_HDRLEN + 4 + NLMSG_HDRLEN;
    let hdr = NlMsgHdr {
        len: len as u32,
        ty: NLMSG_ERROR,
        flags: crate::consts::NLM_F_CAPPED,
        seq: req.seq,
        pid: req.pid,
    };
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(hdr.as_bytes());
    out.extend_from_slice(&(-errno).to_ne_bytes());
    let mut echoed = req;
    echoed.len = NLMSG_HDRLEN as u32;
    out.extend_from_slice(echoed.as_bytes());
    out
}

/// The client's end of a [`MemTransport`].
pub(crate) struct MemIo {
    shared: Arc<Shared>,
}

impl fmt::Debug for MemIo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemIo")
            .field("port_id", &self.shared.port_id)
            .finish_non_exhaustive()
    }
}

impl MemIo {
    pub(crate) fn port_id(&self) -> u32 {
        self.shared.port_id
    }

    pub(crate) fn set_option(&self, opt: i32, value: i32) {
        self.shared.lock().options.insert(opt, value);
    }

    pub(crate) fn option(&self, opt: i32) -> i32 {
        self.shared.lock().options.get(&opt).copied().unwrap_or(0)
    }

    pub(crate) fn set_recv_buffer_size(&self, bytes: usize) {
        self.shared.lock().rcvbuf = bytes;
    }

    pub(crate) fn recv_buffer_size(&self) -> usize {
        // As the kernel reports SO_RCVBUF: doubled for its bookkeeping.
        self.shared.lock().rcvbuf.saturating_mul(2)
    }

    pub(crate) fn join(&self, group: u32, on: bool) {
        let mut s = self.shared.lock();
        if on {
            s.groups.insert(group);
        } else {
            s.groups.remove(&group);
        }
    }

    pub(crate) fn groups(&self) -> Vec<u32> {
        self.shared.lock().groups.iter().copied().collect()
    }

    pub(crate) fn set_nonblocking(&self, on: bool) {
        self.shared.lock().nonblocking = on;
    }

    pub(crate) fn is_nonblocking(&self) -> bool {
        self.shared.lock().nonblocking
    }

    pub(crate) fn as_fd(&self) -> BorrowedFd<'_> {
        self.shared.efd.as_fd()
    }

    /// Take the head datagram (or only look at it), waiting as `wait` says.
    fn take(&mut self, buf: Option<&mut [u8]>, wait: Wait) -> io::Result<Datagram> {
        let deadline = match wait {
            Wait::Block(Some(d)) => Instant::now().checked_add(d),
            _ => None,
        };
        let mut s = self.shared.lock();
        loop {
            if s.overrun {
                s.overrun = false;
                self.shared.sync_ready(&mut s);
                return Err(io::Error::from_raw_os_error(libc::ENOBUFS));
            }
            let peek = buf.is_none();
            if let Some(d) = s.queue.front() {
                let meta = Datagram {
                    len: d.bytes.len(),
                    sender: d.sender,
                    group: d.group,
                };
                if let Some(buf) = buf {
                    let n = d.bytes.len().min(buf.len());
                    if let (Some(dst), Some(src)) = (buf.get_mut(..n), d.bytes.get(..n)) {
                        dst.copy_from_slice(src);
                    }
                }
                if !peek {
                    s.queued_bytes = s.queued_bytes.saturating_sub(meta.len);
                    s.queue.pop_front();
                    if s.queue.is_empty() {
                        s.congested = false;
                    }
                    self.shared.sync_ready(&mut s);
                }
                return Ok(meta);
            }
            // An empty queue ends congestion, as a receive on the kernel socket does.
            s.congested = false;
            if s.nonblocking || wait == Wait::Poll {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            s = match deadline {
                Some(deadline) => {
                    let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                        return Err(io::ErrorKind::TimedOut.into());
                    };
                    self.shared
                        .delivered
                        .wait_timeout(s, left)
                        .map(|(g, _)| g)
                        .unwrap_or_else(|p| p.into_inner().0)
                }
                None => self
                    .shared
                    .delivered
                    .wait(s)
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            };
        }
    }
}

impl RawIo for MemIo {
    fn send(&mut self, port: u32, bytes: &[u8]) -> io::Result<()> {
        if port != 0 {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "an in-memory socket sends only to its peer (port 0)",
            ));
        }
        let handler = self.shared.lock().handler.take();
        let Some(mut handler) = handler else {
            let mut s = self.shared.lock();
            s.requests.push_back(bytes.to_vec());
            self.shared.requested.notify_all();
            return Ok(());
        };
        let mut out = Outbox::default();
        handler(bytes, &mut out);
        let mut s = self.shared.lock();
        if s.handler.is_none() {
            s.handler = Some(handler);
        }
        for d in out.out {
            self.shared.deliver(&mut s, d);
        }
        Ok(())
    }

    fn peek(&mut self, wait: Wait) -> io::Result<Datagram> {
        self.take(None, wait)
    }

    fn recv(&mut self, buf: &mut [u8], wait: Wait) -> io::Result<Datagram> {
        self.take(Some(buf), wait)
    }
}
