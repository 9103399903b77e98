//! The client core: every protocol decision of a netlink socket, with no I/O of its own.
//!
//! [`Core`] holds the state a netlink client needs: the port id and sequence numbers, the send
//! buffer with the last request (to map extended-ACK offsets to fields), the receive buffer and
//! the position in the current datagram, the notification queue and its bound, the counters,
//! the exchange in flight, the timeouts and the overrun recovery. It decides what every
//! datagram and every receive error means.
//!
//! What it does not do is move bytes: a [`RawIo`] does that, and is all an adapter provides.
//! The blocking [`NlSocket`](crate::socket::NlSocket) (a file descriptor whose receives block up
//! to the timeout), the tokio [`AsyncNlSocket`](crate::tokio::AsyncNlSocket) (the same file
//! descriptor, non-blocking, waited on by the reactor) and the in-memory
//! [`MemTransport`](crate::mem::MemTransport) are such adapters. Each core step either
//! completes, fails with a typed error, or fails with `WouldBlock` having kept its state: the
//! async adapter waits for readiness and calls the same step again.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use crate::ack::KernelError;
use crate::consts::{NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_HDRLEN, align};
use crate::debug::{NoNames, Resolver};
use crate::error::{DecodeError, DecodeErrorKind, Error, LostAnswer, TimedOut, Waited};
use crate::header::NlMsgHdr;
use crate::message::{Message, MessageIter, build_message};
use crate::request::{DescribeFn, Exchange, NlRequest, Step, classify};
use crate::socket::{Notification, SocketStats};

use zerocopy::FromBytes;

/// The default size of the receive buffer in user space. The kernel sizes dump datagrams to at
/// most 32 KiB; a do reply can be larger. 128 KiB (what the kernel's own C client, YNL, uses)
/// leaves room for those, so datagrams are read in one system call without sizing them first.
pub const DEFAULT_READ_BUFFER: usize = 128 * 1024;

/// The largest the receive buffer grows to (a datagram from the kernel larger than the buffer
/// makes it grow, up to this bound; see [`NlSocket::set_max_read_buffer`]). Larger datagrams
/// are dropped, counted in [`SocketStats::oversized`] and reported as an error.
///
/// [`NlSocket::set_max_read_buffer`]: crate::socket::NlSocket::set_max_read_buffer
pub const DEFAULT_MAX_READ_BUFFER: usize = 4 * 1024 * 1024;

/// The largest dump datagram the kernel sends (it sizes them to the reader's buffer, up to
/// 32 KiB). A receive buffer at least this large reads every dump datagram whole without
/// sizing it first; a smaller one sizes each datagram with a peek.
const KERNEL_DUMP_DATAGRAM_MAX: usize = 32 * 1024;

/// The default bound of the notification queue (messages).
pub const DEFAULT_QUEUE_LIMIT: usize = 4096;

/// The default time a request or dump waits for each datagram of its answer (see
/// [`NlSocket::set_timeout`](crate::socket::NlSocket::set_timeout)). The kernel answers generic
/// netlink requests while it handles them, so an answer that does not come within seconds
/// never comes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many `ENOBUFS` in a row a dump rides out before giving up: each one means the kernel
/// could not queue anything, and when the receive buffer is smaller than one dump datagram
/// (a tiny `SO_RCVBUF`) it never will.
const DUMP_OVERRUN_RETRIES: u32 = 8;

/// One datagram as the transport received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Datagram {
    /// Its full length (larger than the buffer offered when it was truncated).
    pub len: usize,
    /// The sender's port id (0: the kernel).
    pub sender: u32,
    /// The multicast group it was sent to (0: unicast).
    pub group: u32,
}

/// How a receive may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Wait for a datagram, at most this long (`None`: without bound); when the time is up the
    /// transport fails with [`io::ErrorKind::TimedOut`].
    Block(Option<Duration>),
    /// Do not wait: fail with [`io::ErrorKind::WouldBlock`] when nothing is queued.
    Poll,
}

/// What an adapter provides: moving datagrams. No protocol knowledge: errors are reported as
/// they are (`ENOBUFS` as its errno, an empty queue as `WouldBlock`, an expired wait as
/// `TimedOut`); `EINTR` is retried.
pub(crate) trait RawIo {
    /// Send one datagram to port `port` (0: the kernel).
    fn send(&mut self, port: u32, bytes: &[u8]) -> io::Result<()>;
    /// The size and sender of the next datagram, without consuming it.
    fn peek(&mut self, wait: Wait) -> io::Result<Datagram>;
    /// Receive the next datagram into `buf` (its `len` is the full size even when it was
    /// longer than `buf`, whose excess is then lost).
    fn recv(&mut self, buf: &mut [u8], wait: Wait) -> io::Result<Datagram>;
}

#[derive(Debug)]
struct Queued {
    group: u32,
    bytes: Vec<u8>,
}

/// The exchange whose answer the socket is reading.
#[derive(Debug, Clone, Copy)]
struct Open {
    seq: u32,
    dump: bool,
    ack: bool,
    describe: DescribeFn,
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

/// The I/O-free client core. See the [module documentation](self).
pub(crate) struct Core {
    port_id: u32,
    seq: u32,
    /// Receive buffer; its length is the capacity offered to `recv`.
    rx: Vec<u8>,
    /// Bytes of the current datagram in `rx`.
    rx_len: usize,
    /// Offset of the next unread message in `rx`.
    rx_pos: usize,
    /// Multicast group of the current datagram (0: unicast).
    rx_group: u32,
    max_rx: usize,
    /// Send buffer; holds the last request (used to map ext-ack offsets).
    tx: Vec<u8>,
    queue: VecDeque<Queued>,
    queue_limit: usize,
    /// Notifications were lost (kernel overrun or queue full): report it to the event reader.
    lost: bool,
    /// The queued notification being lent out.
    current: Vec<u8>,
    /// Size each datagram with a peek before reading it.
    peek: bool,
    /// The size of the datagram at the head of the queue, when a peek sized it but the read
    /// failed with `ENOBUFS`.
    peeked: Option<usize>,
    /// The exchange built by `begin` and not yet sent.
    pending: Option<Open>,
    /// The exchange sent and not yet complete.
    open: Option<Open>,
    /// After `ENOBUFS` during a request: read what is queued without waiting; an empty queue
    /// means the answer was dropped.
    recovering: bool,
    /// Where in `rx` the message that failed to frame began.
    malformed_at: Option<usize>,
    /// The sequence number of a reply lost to its size (a request sent without `NLM_F_ACK`
    /// that lost it has no answer left to wait for).
    truncated_seq: Option<u32>,
    timeout: Option<Duration>,
    event_timeout: Option<Duration>,
    /// When the current wait began (async adapters measure their timeout from it).
    wait_started: Option<Instant>,
    pub(crate) stats: SocketStats,
    names: Box<dyn Resolver + Send + Sync>,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("port_id", &self.port_id)
            .field("seq", &self.seq)
            .field("read_buffer", &self.rx.len())
            .field("queued", &self.queue.len())
            .field("timeout", &self.timeout)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

fn would_block(e: &Error) -> bool {
    matches!(e, Error::Io(io) if io.kind() == io::ErrorKind::WouldBlock)
}

fn timed_out(e: &Error) -> bool {
    matches!(e, Error::Io(io) if io.kind() == io::ErrorKind::TimedOut)
}

impl Core {
    pub(crate) fn new(port_id: u32) -> Core {
        Core {
            port_id,
            seq: 0,
            rx: vec![0; DEFAULT_READ_BUFFER],
            rx_len: 0,
            rx_pos: 0,
            rx_group: 0,
            max_rx: DEFAULT_MAX_READ_BUFFER,
            tx: Vec::with_capacity(256),
            queue: VecDeque::new(),
            queue_limit: DEFAULT_QUEUE_LIMIT,
            lost: false,
            current: Vec::new(),
            peek: false,
            peeked: None,
            pending: None,
            open: None,
            recovering: false,
            truncated_seq: None,
            malformed_at: None,
            timeout: Some(DEFAULT_TIMEOUT),
            event_timeout: None,
            wait_started: None,
            stats: SocketStats::default(),
            names: Box::new(NoNames),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Settings.

    pub(crate) fn port_id(&self) -> u32 {
        self.port_id
    }

    pub(crate) fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        if self.seq == 0 {
            self.seq = 1;
        }
        self.seq
    }

    pub(crate) fn last_seq(&self) -> u32 {
        self.seq
    }

    #[cfg(test)]
    pub(crate) fn set_seq(&mut self, seq: u32) {
        self.seq = seq;
    }

    pub(crate) fn set_names(&mut self, names: Box<dyn Resolver + Send + Sync>) {
        self.names = names;
    }

    pub(crate) fn read_buffer_len(&self) -> usize {
        self.rx.len()
    }

    pub(crate) fn set_read_buffer_len(&mut self, bytes: usize) {
        self.peeked = None;
        self.rx_len = 0;
        self.rx_pos = 0;
        self.rx.resize(bytes.max(NLMSG_HDRLEN), 0);
        self.rx.shrink_to_fit();
    }

    pub(crate) fn set_max_read_buffer(&mut self, bytes: usize) {
        self.max_rx = bytes.max(NLMSG_HDRLEN);
    }

    pub(crate) fn max_read_buffer(&self) -> usize {
        self.max_rx
    }

    pub(crate) fn set_peek_sizing(&mut self, on: bool) {
        self.peek = on;
        if !on {
            self.peeked = None;
        }
    }

    pub(crate) fn set_queue_limit(&mut self, messages: usize) {
        self.queue_limit = messages;
    }

    pub(crate) fn queued_notifications(&self) -> usize {
        self.queue.len()
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    pub(crate) fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    pub(crate) fn event_timeout(&self) -> Option<Duration> {
        self.event_timeout
    }

    pub(crate) fn set_event_timeout(&mut self, timeout: Option<Duration>) {
        self.event_timeout = timeout;
    }

    // -----------------------------------------------------------------------------------------
    // Waiting (for adapters that wait outside the transport).

    /// The bound of the wait a step that failed with `WouldBlock` was in: when it is over,
    /// the adapter calls [`wait_expired`](Self::wait_expired). `None`: no bound.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn wait_deadline(&mut self) -> Option<Instant> {
        let bound = if self.open.is_some() {
            self.timeout
        } else {
            self.event_timeout
        }?;
        let started = *self.wait_started.get_or_insert_with(Instant::now);
        started.checked_add(bound)
    }

    /// A new operation begins: its wait is measured from now (a wait abandoned by a dropped
    /// future must not count against the next one).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn reset_wait(&mut self) {
        self.wait_started = None;
    }

    /// The adapter's wait ran out: end the exchange in flight (if any) with [`Error::Timeout`],
    /// which the adapter returns. `None` when the wait was [`settle`](Self::settle)'s, for the
    /// rest of an abandoned exchange: that exchange ends as a timeout ends it, and the adapter
    /// runs its step again, which goes on with the next operation.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn wait_expired(&mut self, ex: Option<&mut Exchange>) -> Option<Error> {
        self.wait_started = None;
        match (ex, self.open) {
            (Some(ex), _) => Some(self.time_out(ex)),
            // Settling an abandoned exchange: it ends, its timeout dropped as `settle` drops it.
            (None, Some(o)) => {
                let _abandoned =
                    self.time_out(&mut Exchange::new(o.seq, o.dump, o.ack, o.describe));
                None
            }
            (None, None) => Some(self.event_timed_out()),
        }
    }

    fn time_out(&mut self, ex: &mut Exchange) -> Error {
        let waited = if ex.dump {
            Waited::DumpPart
        } else if ex.ack && ex.messages > 0 {
            Waited::Ack
        } else {
            Waited::Reply
        };
        let after = self.timeout.unwrap_or_default();
        self.close(ex);
        Error::Timeout(TimedOut {
            waited,
            after,
            seq: ex.seq,
            messages: ex.messages,
        })
    }

    fn event_timed_out(&self) -> Error {
        Error::Timeout(TimedOut {
            waited: Waited::Notification,
            after: self.event_timeout.unwrap_or_default(),
            seq: 0,
            messages: 0,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Sending.

    /// Build `req` into the send buffer with `flags | NLM_F_REQUEST` and a new sequence
    /// number. `kind` says how its answer ends.
    pub(crate) fn begin<R: NlRequest + ?Sized>(
        &mut self,
        req: &R,
        flags: u16,
        describe: DescribeFn,
    ) -> Result<Exchange, Error> {
        let seq = self.next_seq();
        self.tx.clear();
        let port = self.port_id;
        build_message(
            &mut self.tx,
            req.message_type(),
            flags | NLM_F_REQUEST,
            seq,
            port,
            req.payload_len(),
            |w| req.write_payload(w),
        )?;
        let dump = flags & NLM_F_DUMP == NLM_F_DUMP;
        let ack = flags & NLM_F_ACK != 0;
        self.pending = Some(Open {
            seq,
            dump,
            ack,
            describe,
        });
        Ok(Exchange::new(seq, dump, ack, describe))
    }

    /// Send the request built by [`begin`](Self::begin) (again, after `WouldBlock`).
    pub(crate) fn send_pending<I: RawIo>(&mut self, io: &mut I) -> Result<(), Error> {
        if crate::debug::observing() {
            crate::debug::trace("send", &self.tx, &*self.names);
        }
        match io.send(0, &self.tx) {
            Ok(()) => {
                self.open = self.pending.take();
                self.wait_started = None;
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(e.into()),
            Err(e) => {
                self.pending = None;
                Err(e.into())
            }
        }
    }

    /// Send bytes as they are (no exchange is tracked).
    pub(crate) fn send_raw<I: RawIo>(
        &mut self,
        io: &mut I,
        port: u32,
        bytes: &[u8],
    ) -> Result<(), Error> {
        if crate::debug::observing() {
            crate::debug::trace(&format!("send to port {port}"), bytes, &*self.names);
        }
        Ok(io.send(port, bytes)?)
    }

    /// Read and discard the rest of an exchange that was abandoned before its end (its
    /// `Exchange` dropped, a future cancelled), so that its replies do not meet the next
    /// request and a dump left running in the kernel does not make the next dump fail with
    /// `EBUSY`. Resumable after `WouldBlock`.
    ///
    /// Whatever ends the abandoned exchange (its error, a timeout, a lost answer) is not the
    /// next operation's error: the caller gave that exchange up. A blocking adapter's timeout
    /// arrives here from the transport; an adapter that waits outside the transport reports
    /// it through [`wait_expired`](Self::wait_expired), which drops it the same way.
    pub(crate) fn settle<I: RawIo>(&mut self, io: &mut I) -> Result<(), Error> {
        while let Some(open) = self.open {
            let mut ex = Exchange::new(open.seq, open.dump, open.ack, open.describe);
            match self.next_reply_pos(io, &mut ex) {
                Ok(Some(_)) => {}
                Ok(None) => {}
                Err(e) if would_block(&e) => return Err(e),
                // The exchange ended with its error (kernel error, timeout, lost answer), or
                // a datagram could not be framed and was skipped: go on until it ended.
                Err(Error::Io(_)) => self.open = None,
                Err(_) => {}
            }
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Receiving.

    /// Receive the next datagram into `rx`, whole. Datagrams from other sockets are dropped
    /// and counted. Sets `rx_len`, `rx_pos` and `rx_group`.
    fn fill<I: RawIo>(&mut self, io: &mut I, wait: Wait) -> Result<(), Error> {
        self.rx_len = 0;
        self.rx_pos = 0;
        loop {
            let need = match self.peeked.take() {
                // The head datagram was sized already and is still there (the read after the
                // peek failed with ENOBUFS). Peeking again would re-arm the error: a peek also
                // lets the kernel try to continue a dump, which fails the same way while the
                // receive buffer is full, so peek, fail, peek would never dequeue anything.
                Some(n) => Some(n),
                None if self.peek || self.rx.len() < KERNEL_DUMP_DATAGRAM_MAX => {
                    let d = io.peek(wait).map_err(|e| self.recv_error(e))?;
                    if d.sender == 0 && d.len > self.rx.len() && d.len <= self.max_rx {
                        // Grow only for the kernel's datagrams, to the next power of two so a
                        // run of slightly larger ones does not reallocate each time.
                        self.rx
                            .resize(d.len.next_power_of_two().min(self.max_rx), 0);
                        self.stats.buffer_grows += 1;
                    }
                    Some(d.len)
                }
                None => None,
            };
            let d = match io.recv(&mut self.rx, wait) {
                Ok(d) => d,
                Err(e) => {
                    let e = self.recv_error(e);
                    if matches!(e, Error::Overrun) {
                        self.peeked = need;
                    }
                    return Err(e);
                }
            };
            self.stats.datagrams += 1;
            self.wait_started = None;
            if d.sender != 0 {
                self.stats.foreign_sender += 1;
                continue;
            }
            if d.len > self.rx.len() {
                // What was lost: the first message's header is in the part that was read.
                let first = NlMsgHdr::read_from_prefix(&self.rx).ok().map(|(h, _)| h);
                let e = self.truncated(d.len);
                match first {
                    // A notification: the event reader hears of the loss; the wait goes on.
                    Some(h) if d.group != 0 || h.seq == 0 => {
                        self.lost = true;
                        continue;
                    }
                    Some(h) => self.truncated_seq = Some(h.seq),
                    None => {}
                }
                return Err(e);
            }
            self.rx_len = d.len;
            self.rx_group = d.group;
            if crate::debug::observing() {
                let what = if d.group != 0 {
                    format!("recv (group {})", d.group)
                } else {
                    "recv".to_owned()
                };
                crate::debug::trace(&what, self.rx.get(..d.len).unwrap_or(&[]), &*self.names);
            }
            return Ok(());
        }
    }

    /// A datagram from the kernel did not fit the read buffer and was lost: count it, grow the
    /// buffer (within its bound) so the next one of that size fits, and say so.
    #[cold]
    fn truncated(&mut self, len: usize) -> Error {
        let had = self.rx.len();
        self.stats.truncated += 1;
        let what = if len > self.max_rx {
            self.stats.oversized += 1;
            "datagram larger than the read buffer's bound (set_max_read_buffer); it was lost"
        } else if self.peek || had < KERNEL_DUMP_DATAGRAM_MAX {
            "datagram (read concurrently by another thread?); it was lost"
        } else {
            self.rx.resize(len.next_power_of_two().min(self.max_rx), 0);
            self.stats.buffer_grows += 1;
            "datagram larger than the read buffer; it was lost (the buffer grew to fit the next \
             one; set_peek_sizing(true) sizes every datagram first)"
        };
        DecodeError::new(DecodeErrorKind::Truncated {
            what,
            needed: len,
            had,
        })
        .into()
    }

    /// Interpret a receive error: `ENOBUFS` is an overrun (counted; notifications were lost).
    fn recv_error(&mut self, e: io::Error) -> Error {
        if e.raw_os_error() == Some(libc::ENOBUFS) {
            self.stats.overruns += 1;
            self.lost = true;
            Error::Overrun
        } else {
            e.into()
        }
    }

    /// Take the next message of the current datagram: its header and byte range in `rx`.
    /// A framing error discards the rest of the datagram.
    fn take_message(&mut self) -> Result<(NlMsgHdr, usize, usize), Error> {
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
                self.malformed_at = Some(start);
                Err(e.add_offset(start).into())
            }
            None => {
                self.rx_pos = self.rx_len;
                self.malformed_at = Some(start);
                Err(DecodeError::new(DecodeErrorKind::Truncated {
                    what: "message header",
                    needed: NLMSG_HDRLEN,
                    had: 0,
                })
                .into())
            }
        }
    }

    /// The header of the message `take_message` just failed to frame, when at least a header's
    /// worth of it was there (it says whose message it was).
    #[cold]
    fn malformed_owner(&self) -> Option<NlMsgHdr> {
        let start = self.malformed_at?;
        let bytes = self.rx.get(start..self.rx_len)?;
        NlMsgHdr::read_from_prefix(bytes).ok().map(|(h, _)| h)
    }

    /// The message at `rx[start..end]`, as framed by `take_message` (whose checks are not
    /// repeated: the header is read, the rest is the payload).
    #[inline]
    pub(crate) fn message_at(&self, start: usize, end: usize) -> Result<Message<'_>, Error> {
        let bytes = self.rx.get(start..end).unwrap_or(&[]);
        match NlMsgHdr::read_from_prefix(bytes) {
            Ok((header, payload)) => Ok(Message::from_parts(header, payload, 0)),
            Err(_) => Err(DecodeError::custom("no message at this position").into()),
        }
    }

    /// Copy the message at `rx[start..end]` into the notification queue (or count it as lost).
    fn enqueue(&mut self, start: usize, end: usize) {
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
    fn is_notification(&self, hdr: &NlMsgHdr) -> bool {
        self.rx_group != 0 || hdr.seq == 0
    }

    /// The exchange is over: stop tracking it.
    fn close(&mut self, ex: &mut Exchange) {
        ex.done = true;
        if self.open.is_some_and(|o| o.seq == ex.seq) {
            self.open = None;
            self.recovering = false;
        }
    }

    /// The next data message answering `ex` (its byte range in the receive buffer), or `None`
    /// when the answer is complete. See [`NlSocket::next_reply`](crate::socket::NlSocket::next_reply)
    /// for the rules.
    pub(crate) fn next_reply_pos<I: RawIo>(
        &mut self,
        io: &mut I,
        ex: &mut Exchange,
    ) -> Result<Option<(usize, usize)>, Error> {
        loop {
            if ex.done {
                return Ok(None);
            }
            if self.open.is_none_or(|o| o.seq != ex.seq) {
                // Superseded by a later request (which drained it) or never sent.
                ex.done = true;
                return Ok(None);
            }
            if self.rx_pos >= self.rx_len {
                let wait = if self.recovering {
                    Wait::Poll
                } else {
                    Wait::Block(self.timeout)
                };
                match self.fill(io, wait) {
                    Ok(()) => ex.overruns = 0,
                    // A dump is not lost to an overrun (the kernel fills the next part only
                    // when there is room); what was lost were notifications, which the event
                    // API reports. Unless nothing gets through at all: then give up.
                    Err(Error::Overrun) if ex.dump => {
                        if ex.overruns >= DUMP_OVERRUN_RETRIES {
                            self.close(ex);
                            return Err(Error::Overrun);
                        }
                        ex.overruns += 1;
                    }
                    // A request's answer was sent while we handled it (generic netlink answers
                    // inside the send), and may have been dropped: read what is queued without
                    // waiting. The answer is there, or it is lost.
                    Err(Error::Overrun) => self.recovering = true,
                    Err(e) if self.recovering && would_block(&e) => {
                        let lost = LostAnswer {
                            seq: ex.seq,
                            replies: ex.messages,
                            may_have_been_applied: true,
                        };
                        self.close(ex);
                        return Err(Error::AnswerLost(lost));
                    }
                    Err(e) if timed_out(&e) => return Err(self.time_out(ex)),
                    Err(e) => {
                        if self.truncated_seq.take() == Some(ex.seq) && !ex.dump && !ex.ack {
                            // Its one reply was lost: nothing more will come.
                            self.close(ex);
                        }
                        return Err(e);
                    }
                }
                continue;
            }
            let (hdr, start, end) = match self.take_message() {
                Ok(m) => m,
                Err(e) => match self.malformed_owner() {
                    // The framing error is in a message of this exchange: its answer is bad.
                    // Sent without NLM_F_ACK, that message was its whole answer: nothing more
                    // will come, so the exchange ends here (the next request must not wait
                    // for it).
                    Some(h) if h.seq == ex.seq && !self.is_notification(&h) => {
                        if !ex.dump && !ex.ack {
                            self.close(ex);
                        }
                        return Err(e);
                    }
                    // Not this exchange's (another sequence number, a notification, or too
                    // short to say): counted, and the wait for the answer goes on.
                    owner => {
                        self.stats.malformed += 1;
                        if owner.is_none_or(|h| self.is_notification(&h)) {
                            self.lost = true;
                        }
                        continue;
                    }
                },
            };
            if self.is_notification(&hdr) {
                self.enqueue(start, end);
                continue;
            }
            if hdr.seq != ex.seq || (hdr.pid != self.port_id && hdr.pid != 0) {
                self.stats.foreign_seq += 1;
                continue;
            }
            let msg = self.message_at(start, end)?;
            match classify(&msg, ex.dump) {
                Ok(Step::Data) => {
                    ex.messages += 1;
                    if hdr.flags & NLM_F_DUMP_INTR != 0 {
                        ex.interrupted = true;
                    }
                    if !ex.dump && !ex.ack {
                        // Sent without NLM_F_ACK: the reply is the whole answer.
                        self.close(ex);
                    }
                    return Ok(Some((start, end)));
                }
                Ok(Step::Skip) => continue,
                Ok(Step::End) => {
                    self.close(ex);
                    return Ok(None);
                }
                Err(Error::Kernel(mut k)) => {
                    self.close(ex);
                    self.locate_in_request(ex, &mut k);
                    return Err(Error::Kernel(k));
                }
                Err(Error::Overrun) => {
                    self.stats.overruns += 1;
                    self.lost = true;
                    return Err(Error::Overrun);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Map the extended ACK's offset and missing attribute to paths in the request still in
    /// the send buffer.
    fn locate_in_request(&self, ex: &Exchange, k: &mut KernelError) {
        if k.offset.is_none() && k.miss_type.is_none() {
            return;
        }
        let Ok((hdr, _)) = NlMsgHdr::read_from_prefix(&self.tx) else {
            return;
        };
        if hdr.seq != ex.seq {
            return; // another request was sent since
        }
        let Some(described) = (ex.describe)(&self.tx) else {
            return;
        };
        if let Some(off) = k.offset {
            k.attr_path = Some(described.locate(&self.tx, off as usize));
        }
        if let Some(id) = k.miss_type.and_then(|t| u16::try_from(t).ok()) {
            let nest = k.miss_nest.map(|n| n as usize);
            k.missing_path = Some(described.missing(&self.tx, nest, id));
        }
    }

    /// Find the next notification without lending it.
    pub(crate) fn next_notification_pos<I: RawIo>(&mut self, io: &mut I) -> Result<NotePos, Error> {
        // An exchange left unfinished is read to its end first: its replies are not events,
        // and would otherwise be dropped as stale while it waited for them.
        self.settle(io)?;
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
                if let Err(e) = self.fill(io, Wait::Block(self.event_timeout)) {
                    if matches!(e, Error::Overrun) {
                        self.lost = false; // reported now, not again
                    }
                    if timed_out(&e) {
                        return Err(self.event_timed_out());
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

    /// Whether the next step needs a new datagram (async adapters yield before reading one).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn needs_datagram(&self) -> bool {
        self.rx_pos >= self.rx_len
    }
}
