//! Request patterns on an [`NlSocket`]: a request answered by replies and an ACK, and a dump
//! answered by a multipart reply ending in `NLMSG_DONE`.
//!
//! Both come in three shapes:
//!
//! - a **callback** over borrowed messages ([`NlSocket::request`], [`NlSocket::dump`]): the
//!   message borrows the socket's receive buffer, nothing is copied or allocated;
//! - a **pull** API ([`NlSocket::start_request`] / [`NlSocket::start_dump`], then
//!   [`NlSocket::next_reply`] until it returns `None`), which keeps its state in an
//!   [`Exchange`] so it can be resumed after `WouldBlock` in an event loop, and on which owned
//!   iterators are built;
//! - [`NlSocket::ack`] for requests whose only answer is the ACK.
//!
//! Kernel errors come back as [`Error::Kernel`] with the errno, the extended-ACK message, the
//! policy, the missing attribute type and the attribute path: the request's
//! [`NlRequest::locate`] maps `NLMSGERR_ATTR_OFFS` back to a field path (`GetFamily.name`).
//!
//! A dump reports `NLM_F_DUMP_INTR` (the kernel's data changed while dumping) as data: every
//! [`Message`] has [`is_dump_interrupted`](Message::is_dump_interrupted), and the summary
//! ([`DumpSummary::interrupted`], [`Exchange::interrupted`]) says whether any message had it.
//! The caller decides whether to retry.
//!
//! ```
//! use netlink_core::consts::{protocol, NLMSG_DONE};
//! use netlink_core::request::RawRequest;
//! use netlink_core::socket::NlSocket;
//!
//! // nlctrl (family 0x10) GETFAMILY dump: genl header {cmd 3, version 1}, no attributes.
//! let mut sock = NlSocket::new(protocol::GENERIC)?;
//! let mut families = 0;
//! let summary = sock.dump(&RawRequest::new(0x10, &[3, 1, 0, 0]), 0, |msg| {
//!     assert_eq!(msg.header().ty, 0x10);
//!     families += 1;
//!     Ok(())
//! })?;
//! assert!(families > 0);
//! assert_eq!(summary.messages, families);
//! # Ok::<(), netlink_core::Error>(())
//! ```

use crate::ack::{DoneMsg, ErrorMsg};
use crate::attr::AttrWriter;
use crate::consts::{
    NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
    NLMSG_NOOP, NLMSG_OVERRUN,
};
use crate::error::{AttrPath, EncodeError, Error, PathSegment};
use crate::header::NlMsgHdr;
use crate::message::{Message, build_message};
use crate::socket::NlSocket;

use zerocopy::FromBytes;

/// Something that can be written as one netlink request message (without its `nlmsghdr`,
/// which the socket writes).
pub trait NlRequest {
    /// `nlmsg_type`: the protocol's message type (generic netlink: the family id).
    fn message_type(&self) -> u16;
    /// The payload length in bytes.
    fn payload_len(&self) -> usize;
    /// Write exactly [`payload_len`](Self::payload_len) bytes of payload.
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;
    /// Map byte `offset` of `message` (a whole request of this type as sent, `nlmsghdr`
    /// included; the kernel's `NLMSGERR_ATTR_OFFS` counts from there) to an attribute path.
    /// The default knows nothing.
    fn locate(message: &[u8], offset: usize, path: &mut Vec<PathSegment>)
    where
        Self: Sized,
    {
        let _ = (message, offset, path);
    }
}

/// A request whose payload is given as bytes (for protocols without typed messages, or to send
/// exactly what a test crafted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawRequest<'a> {
    /// `nlmsg_type`.
    pub ty: u16,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> RawRequest<'a> {
    /// A request of type `ty` with `payload`.
    pub fn new(ty: u16, payload: &'a [u8]) -> Self {
        RawRequest { ty, payload }
    }
}

impl NlRequest for RawRequest<'_> {
    fn message_type(&self) -> u16 {
        self.ty
    }
    fn payload_len(&self) -> usize {
        self.payload.len()
    }
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self.payload)
    }
}

/// The signature of [`NlRequest::locate`].
pub type LocateFn = fn(&[u8], usize, &mut Vec<PathSegment>);

/// One request in flight: its sequence number and how far its answer has come.
#[derive(Debug, Clone)]
pub struct Exchange {
    seq: u32,
    dump: bool,
    done: bool,
    interrupted: bool,
    messages: usize,
    /// `ENOBUFS` in a row without a datagram received in between.
    overruns: u32,
    locate: LocateFn,
}

/// How many `ENOBUFS` in a row a dump rides out before giving up: each one means the kernel
/// could not queue anything, and when the receive buffer is smaller than one dump datagram
/// (a tiny `SO_RCVBUF`) it never will.
const DUMP_OVERRUN_RETRIES: u32 = 8;

impl Exchange {
    /// The request's sequence number.
    pub fn seq(&self) -> u32 {
        self.seq
    }
    /// Whether this is a dump (ends with `NLMSG_DONE`) rather than a request (ends with the ACK).
    pub fn is_dump(&self) -> bool {
        self.dump
    }
    /// The answer is complete (ACK, `DONE` or an error was received).
    pub fn is_done(&self) -> bool {
        self.done
    }
    /// Some reply carried `NLM_F_DUMP_INTR`: the dump is inconsistent, retry if it matters.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }
    /// Data messages returned so far.
    pub fn messages(&self) -> usize {
        self.messages
    }
    /// The summary of a finished (or abandoned) exchange.
    pub fn summary(&self) -> DumpSummary {
        DumpSummary {
            messages: self.messages,
            interrupted: self.interrupted,
        }
    }
}

/// How a dump went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DumpSummary {
    /// Data messages received.
    pub messages: usize,
    /// Some message carried `NLM_F_DUMP_INTR`: the kernel's data changed during the dump, the
    /// result may be inconsistent. Retry the dump if it matters.
    pub interrupted: bool,
}

impl DumpSummary {
    /// A summary with `messages` messages and the given interrupted flag.
    pub fn new(messages: usize, interrupted: bool) -> Self {
        DumpSummary {
            messages,
            interrupted,
        }
    }
}

/// What a message of an exchange turned out to be (see [`classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Protocol data: a reply to hand to the caller.
    Data,
    /// Nothing (`NLMSG_NOOP`, or a `DONE` with errno 0 ahead of the ACK of a request).
    Skip,
    /// The exchange is complete: ACK, or `DONE` of a dump.
    End,
}

/// Interpret one message answering an exchange (`dump`: whether it is a dump), as the socket
/// does: data; an ACK or `DONE` that completes it; or the kernel's error (`NLMSG_ERROR` with an
/// errno, or `DONE` carrying one, as failing dumps report it). Exposed so crafted buffers can be
/// checked against the same rules (e.g. `NLM_F_DUMP_INTR`, errno inside `DONE`).
///
/// The returned error has no attribute path: [`NlSocket`] adds it from the request it sent.
pub fn classify(msg: &Message<'_>, dump: bool) -> Result<Step, Error> {
    let hdr = msg.header();
    match hdr.ty {
        NLMSG_NOOP => Ok(Step::Skip),
        NLMSG_ERROR => {
            let e = ErrorMsg::parse(hdr.flags, msg.payload())
                .map_err(|e| e.add_offset(NLMSG_HDRLEN))?;
            if e.error == 0 {
                Ok(Step::End)
            } else {
                Err(e.to_kernel_error().into())
            }
        }
        NLMSG_DONE => {
            let d =
                DoneMsg::parse(hdr.flags, msg.payload()).map_err(|e| e.add_offset(NLMSG_HDRLEN))?;
            if d.error != 0 {
                Err(crate::ack::KernelError::from_parts(d.error, &d.ext).into())
            } else if dump {
                Ok(Step::End)
            } else {
                Ok(Step::Skip)
            }
        }
        NLMSG_OVERRUN => Err(Error::Overrun),
        _ => Ok(Step::Data),
    }
}

impl NlSocket {
    /// Build `req` into the send buffer with `flags | NLM_F_REQUEST` and a new sequence number,
    /// and send it. Returns the sequence number. The socket keeps the bytes until the next send
    /// (to map error offsets back to attributes).
    pub fn send_request<R: NlRequest + ?Sized>(
        &mut self,
        req: &R,
        flags: u16,
    ) -> Result<u32, Error> {
        let seq = self.next_seq();
        self.tx.clear();
        let port = self.port_id();
        build_message(
            &mut self.tx,
            req.message_type(),
            flags | NLM_F_REQUEST,
            seq,
            port,
            req.payload_len(),
            |w| req.write_payload(w),
        )?;
        self.send_tx()?;
        Ok(seq)
    }

    /// Send `req` as a request with `NLM_F_ACK` (plus `flags`); read the answer with
    /// [`next_reply`](Self::next_reply). It ends with the kernel's ACK or error.
    pub fn start_request<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        let seq = self.send_request(req, flags | NLM_F_ACK)?;
        Ok(self.exchange(seq, false, R::locate))
    }

    /// Send `req` as a dump (`NLM_F_DUMP` plus `flags`); read the answer with
    /// [`next_reply`](Self::next_reply). It ends with `NLMSG_DONE` or the kernel's error.
    pub fn start_dump<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<Exchange, Error> {
        let seq = self.send_request(req, flags | NLM_F_DUMP)?;
        Ok(self.exchange(seq, true, R::locate))
    }

    /// Track the answer to a request already sent with sequence number `seq` (e.g. by
    /// [`send_request`](Self::send_request) with custom flags). `dump`: it ends with `DONE`.
    pub fn exchange(&self, seq: u32, dump: bool, locate: LocateFn) -> Exchange {
        Exchange {
            seq,
            dump,
            done: false,
            interrupted: false,
            messages: 0,
            overruns: 0,
            locate,
        }
    }

    /// The next data message answering `ex`, or `None` when the answer is complete.
    ///
    /// Notifications met on the way are queued (see
    /// [`recv_notification`](Self::recv_notification)); unicast messages with another sequence
    /// number or port id are dropped and counted. A kernel error ends the exchange and is
    /// returned with its attribute path resolved. I/O errors (`WouldBlock` on a non-blocking
    /// socket) leave it resumable: call again.
    ///
    /// `ENOBUFS` (notifications were lost) does not interrupt a dump, whose data the kernel
    /// never drops; it is reported by the next
    /// [`recv_notification`](Self::recv_notification). (Only when nothing can be received at
    /// all, as when `SO_RCVBUF` is smaller than one dump datagram, does the dump return
    /// [`Error::Overrun`].) A request (not a dump) returns
    /// [`Error::Overrun`], since its reply may have been dropped: call again to keep waiting,
    /// or resend.
    pub fn next_reply(&mut self, ex: &mut Exchange) -> Result<Option<Message<'_>>, Error> {
        match self.next_reply_pos(ex)? {
            Some((start, end)) => self.message_at(start, end).map(Some),
            None => Ok(None),
        }
    }

    /// [`next_reply`](Self::next_reply) without lending the message: its byte range in the
    /// receive buffer (the async socket retries this after `WouldBlock`, then lends it).
    pub(crate) fn next_reply_pos(
        &mut self,
        ex: &mut Exchange,
    ) -> Result<Option<(usize, usize)>, Error> {
        loop {
            if ex.done {
                return Ok(None);
            }
            if self.rx_pos >= self.rx_len {
                match self.fill() {
                    Ok(()) => ex.overruns = 0,
                    // A dump is not lost to an overrun (the kernel fills the next part only when
                    // there is room); what was lost were notifications, which the event API
                    // reports. Unless nothing gets through at all: then give up. A request's
                    // reply may have been dropped: let the caller decide.
                    Err(Error::Overrun) if ex.dump && ex.overruns < DUMP_OVERRUN_RETRIES => {
                        ex.overruns += 1;
                    }
                    Err(e) => return Err(e),
                }
                continue;
            }
            let (hdr, start, end) = self.take_message()?;
            if self.is_notification(&hdr) {
                self.enqueue(start, end);
                continue;
            }
            if hdr.seq != ex.seq || (hdr.pid != self.port_id() && hdr.pid != 0) {
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
                    return Ok(Some((start, end)));
                }
                Ok(Step::Skip) => continue,
                Ok(Step::End) => {
                    ex.done = true;
                    return Ok(None);
                }
                Err(Error::Kernel(mut k)) => {
                    ex.done = true;
                    k.attr_path = self.locate_in_request(ex, k.offset);
                    return Err(Error::Kernel(k));
                }
                Err(Error::Overrun) => return Err(self.overrun()),
                Err(e) => return Err(e),
            }
        }
    }

    /// Map an ext-ack offset to a path in the request still in the send buffer.
    fn locate_in_request(&self, ex: &Exchange, offset: Option<u32>) -> Option<AttrPath> {
        let offset = offset? as usize;
        let (hdr, _) = NlMsgHdr::read_from_prefix(&self.tx).ok()?;
        if hdr.seq != ex.seq {
            return None; // another request was sent since
        }
        let mut path = Vec::new();
        (ex.locate)(&self.tx, offset, &mut path);
        (!path.is_empty()).then_some(AttrPath(path))
    }

    /// Read and discard the rest of an exchange's answer (so the next request does not meet
    /// it, and a dump abandoned midway does not keep the kernel's dump running, which would
    /// make the next dump fail with `EBUSY`). Stops at the first I/O error or overrun; skips
    /// undecodable datagrams.
    pub fn drain(&mut self, ex: &mut Exchange) {
        loop {
            match self.next_reply(ex) {
                Ok(Some(_)) => continue,
                Ok(None) => return,
                Err(Error::Io(_) | Error::Overrun) => return,
                Err(_) if ex.done => return,
                Err(_) => continue,
            }
        }
    }

    /// Send `req` with `NLM_F_ACK` (plus `flags`) and call `on_reply` with each reply message,
    /// borrowed from the receive buffer. Returns the number of replies once the ACK arrives, or
    /// the kernel's error. If `on_reply` fails, the rest of the answer is drained and its error
    /// returned.
    pub fn request<R, F>(&mut self, req: &R, flags: u16, mut on_reply: F) -> Result<usize, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start_request(req, flags)?;
        while let Some(m) = self.next_reply(&mut ex)? {
            if let Err(e) = on_reply(m) {
                self.drain(&mut ex);
                return Err(e);
            }
        }
        Ok(ex.messages())
    }

    /// Send `req` with `NLM_F_ACK` and wait for the ACK, ignoring reply data.
    pub fn ack<R: NlRequest>(&mut self, req: &R, flags: u16) -> Result<(), Error> {
        self.request(req, flags, |_| Ok(())).map(drop)
    }

    /// Send `req` as a dump (`NLM_F_DUMP` plus `flags`) and call `on_msg` with each message,
    /// borrowed from the receive buffer, until `NLMSG_DONE`. An errno inside `DONE` or a
    /// dump-start `NLMSG_ERROR` is returned as the kernel's error. If `on_msg` fails, the rest
    /// of the dump is drained and its error returned.
    pub fn dump<R, F>(&mut self, req: &R, flags: u16, mut on_msg: F) -> Result<DumpSummary, Error>
    where
        R: NlRequest,
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut ex = self.start_dump(req, flags)?;
        while let Some(m) = self.next_reply(&mut ex)? {
            if let Err(e) = on_msg(m) {
                self.drain(&mut ex);
                return Err(e);
            }
        }
        Ok(ex.summary())
    }
}
