//! Request patterns on an [`NlSocket`]: a request answered by replies
//! and an ACK (or by one reply, when sent without `NLM_F_ACK`), and a dump answered by a
//! multipart reply ending in `NLMSG_DONE`.
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
//! [`NlRequest::describe`] maps `NLMSGERR_ATTR_OFFS` back to a field path (`GetFamily.name`).
//!
//! A dump reports `NLM_F_DUMP_INTR` (the kernel's data changed while dumping) as data: every
//! [`Message`] has [`is_dump_interrupted`](Message::is_dump_interrupted), and the summary
//! ([`DumpSummary::interrupted`], [`Exchange::interrupted`]) says whether any message had it.
//! The caller decides whether to retry.
//!
//! ```
//! use netlink_genl_core::consts::{protocol, NLMSG_DONE};
//! use netlink_genl_core::request::RawRequest;
//! use netlink_genl_core::socket::NlSocket;
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
//! # Ok::<(), netlink_genl_core::Error>(())
//! ```

use crate::ack::{DoneMsg, ErrorMsg};
use crate::attr::AttrWriter;
use crate::consts::{NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN};
use crate::error::{AttrPath, EncodeError, Error, PathSegment};
use crate::message::Message;
use crate::schema::Schema;
#[cfg(doc)]
use crate::socket::NlSocket;

/// Something that can be written as one netlink request message (without its `nlmsghdr`,
/// which the socket writes).
pub trait NlRequest {
    /// `nlmsg_type`: the protocol's message type (generic netlink: the family id).
    fn message_type(&self) -> u16;
    /// The payload length in bytes.
    fn payload_len(&self) -> usize;
    /// Write exactly [`payload_len`](Self::payload_len) bytes of payload.
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;
    /// What this request type knows of `message` (a whole request of this type as sent,
    /// `nlmsghdr` included): the name of the message and the schema of its attributes. The
    /// socket reads it only when the kernel reports an error, to map the extended ACK's
    /// offset (`NLMSGERR_ATTR_OFFS`) and missing attribute (`NLMSGERR_ATTR_MISS_TYPE`) back to
    /// field paths of the request ([`RequestSchema::locate`], [`RequestSchema::missing`]).
    /// The default knows nothing.
    fn describe(message: &[u8]) -> Option<RequestSchema>
    where
        Self: Sized,
    {
        let _ = message;
        None
    }
}

/// A request as its type describes it ([`NlRequest::describe`]): what the error paths of the
/// kernel's extended ACK are computed from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RequestSchema {
    /// The message's name, the first segment of paths (a generic netlink command's variant
    /// name, `GetFamily`).
    pub name: &'static str,
    /// Where the attributes start in the message (`nlmsghdr` included).
    pub attrs_offset: usize,
    /// The schema of the attributes, if the message has any.
    pub attrs: Option<&'static Schema>,
}

impl RequestSchema {
    /// A request named `name` whose attributes start at byte `attrs_offset` of the message
    /// and are described by `attrs`.
    pub const fn new(
        name: &'static str,
        attrs_offset: usize,
        attrs: Option<&'static Schema>,
    ) -> Self {
        RequestSchema {
            name,
            attrs_offset,
            attrs,
        }
    }

    /// The path of the attribute of `message` (the request as sent) covering byte `offset`:
    /// `GetFamily.name`, `FeaturesSet.wanted.bits.bit[2].name`.
    pub fn locate(&self, message: &[u8], offset: usize) -> AttrPath {
        let mut path = vec![PathSegment::Type(self.name)];
        if let (Some(schema), Some(attrs), Some(off)) = (
            self.attrs,
            message.get(self.attrs_offset..),
            offset.checked_sub(self.attrs_offset),
        ) {
            let _ = schema.locate(attrs, off, &mut path);
        }
        AttrPath(path)
    }

    /// The path of attribute `id`, reported missing from the nest at byte `nest` of `message`
    /// (`None`: from the message's own attributes): `StrsetGet.header`.
    pub fn missing(&self, message: &[u8], nest: Option<usize>, id: u16) -> AttrPath {
        let mut path = vec![PathSegment::Type(self.name)];
        let attrs = message.get(self.attrs_offset..).unwrap_or(&[]);
        let nest = match nest {
            Some(n) => match n.checked_sub(self.attrs_offset) {
                Some(n) => Some(n),
                None => {
                    path.push(PathSegment::Attr(id));
                    return AttrPath(path);
                }
            },
            None => None,
        };
        match self.attrs {
            Some(schema) => schema.missing(attrs, nest, id, &mut path),
            None => path.push(PathSegment::Attr(id)),
        }
        AttrPath(path)
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

/// The signature of [`NlRequest::describe`].
pub(crate) type DescribeFn = fn(&[u8]) -> Option<RequestSchema>;

/// One request in flight: its sequence number and how far its answer has come. Returned by
/// [`NlSocket::start_request`](crate::socket::NlSocket::start_request) and
/// [`start_dump`](crate::socket::NlSocket::start_dump); read its answer with
/// [`next_reply`](crate::socket::NlSocket::next_reply).
///
/// The socket tracks the exchange too: starting another request before this one's answer is
/// complete first reads and discards the rest of it (so a dump abandoned midway does not keep
/// the kernel's dump running, and its replies do not meet the next request).
#[derive(Debug, Clone)]
pub struct Exchange {
    pub(crate) seq: u32,
    pub(crate) dump: bool,
    /// Sent with `NLM_F_ACK`: the ACK ends it (otherwise the first reply does).
    pub(crate) ack: bool,
    pub(crate) done: bool,
    pub(crate) interrupted: bool,
    pub(crate) messages: usize,
    /// `ENOBUFS` in a row without a datagram received in between.
    pub(crate) overruns: u32,
    pub(crate) describe: DescribeFn,
}

impl Exchange {
    pub(crate) fn new(seq: u32, dump: bool, ack: bool, describe: DescribeFn) -> Self {
        Exchange {
            seq,
            dump,
            ack,
            done: false,
            interrupted: false,
            messages: 0,
            overruns: 0,
            describe,
        }
    }
    /// The request's sequence number.
    pub fn seq(&self) -> u32 {
        self.seq
    }
    /// Whether this is a dump (ends with `NLMSG_DONE`) rather than a request.
    pub fn is_dump(&self) -> bool {
        self.dump
    }
    /// Whether the request asked for an ACK (`NLM_F_ACK`): its answer ends with the ACK.
    /// Without, a request's answer is its one reply (or the kernel's error).
    pub fn wants_ack(&self) -> bool {
        self.ack
    }
    /// The answer is complete (ACK, `DONE`, the reply of a request sent without ACK, or an
    /// error that ended it).
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
pub(crate) enum Step {
    /// Protocol data: a reply to hand to the caller.
    Data,
    /// Nothing (`NLMSG_NOOP`, or a `DONE` with errno 0 ahead of the ACK of a request).
    Skip,
    /// The exchange is complete: ACK, or `DONE` of a dump.
    End,
}

/// Interpret one message answering an exchange (`dump`: whether it is a dump), as the socket
/// does: data; an ACK or `DONE` that completes it; or the kernel's error (`NLMSG_ERROR` with an
/// errno, or `DONE` carrying one, as failing dumps report it).
///
/// The returned error has no attribute path: the socket adds it from the request it sent.
#[inline]
pub(crate) fn classify(msg: &Message<'_>, dump: bool) -> Result<Step, Error> {
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

/// The data messages of a captured answer (one or more datagrams' bytes, concatenated), read
/// by the rules the socket applies to what it receives: `NLMSG_NOOP` is skipped, an ACK (or,
/// for a dump, `NLMSG_DONE`) ends it, and an error (`NLMSG_ERROR` with an errno, or `DONE`
/// carrying one) is the kernel's [`Error::Kernel`], after which the iterator ends. A `DONE`
/// ahead of a request's ACK does not end the request. Allocates nothing.
///
/// ```
/// use netlink_genl_core::request::answer_messages;
/// let buf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
///     "/../tests/fixtures/kernel/nlctrl-getfamily-dump.reply.bin"))?;
/// let mut answer = answer_messages(&buf, true);
/// assert_eq!(answer.by_ref().count(), 15);
/// assert!(answer.is_complete());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn answer_messages(bytes: &[u8], dump: bool) -> AnswerMessages<'_> {
    AnswerMessages {
        iter: crate::message::MessageIter::new(bytes),
        dump,
        complete: false,
        interrupted: false,
        failed: false,
    }
}

/// The iterator of [`answer_messages`].
#[derive(Debug, Clone)]
pub struct AnswerMessages<'a> {
    iter: crate::message::MessageIter<'a>,
    dump: bool,
    complete: bool,
    interrupted: bool,
    failed: bool,
}

impl AnswerMessages<'_> {
    /// The answer ended (ACK, or a dump's `DONE`) within the bytes read so far.
    pub fn is_complete(&self) -> bool {
        self.complete
    }
    /// Some data message so far carried `NLM_F_DUMP_INTR`.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }
}

impl<'a> Iterator for AnswerMessages<'a> {
    type Item = Result<Message<'a>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.complete || self.failed {
            return None;
        }
        loop {
            let m = match self.iter.next()? {
                Ok(m) => m,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e.into()));
                }
            };
            match classify(&m, self.dump) {
                Ok(Step::Data) => {
                    self.interrupted |= m.is_dump_interrupted();
                    return Some(Ok(m));
                }
                Ok(Step::Skip) => continue,
                Ok(Step::End) => {
                    self.complete = true;
                    return None;
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
