//! Message framing: building a message into a caller's buffer, and parsing a buffer that holds
//! several messages (as one datagram may).

use zerocopy::FromBytes;

use crate::ack::{DoneMsg, ErrorMsg};
use crate::attr::AttrWriter;
use crate::consts::{
    NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN,
    align,
};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, PathSegment};
use crate::header::NlMsgHdr;

/// One netlink message, borrowed from the buffer it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    header: NlMsgHdr,
    payload: &'a [u8],
    offset: usize,
}

impl<'a> Message<'a> {
    /// A message from a header and payload already framed (by [`MessageIter`], whose checks
    /// the caller repeats nothing of).
    #[inline]
    pub(crate) fn from_parts(header: NlMsgHdr, payload: &'a [u8], offset: usize) -> Self {
        Message {
            header,
            payload,
            offset,
        }
    }

    /// The message header.
    #[inline]
    pub fn header(&self) -> &NlMsgHdr {
        &self.header
    }
    /// The payload: the `nlmsg_len - 16` bytes after the header.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
    /// Offset of the message header in the parsed buffer.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// `NLM_F_MULTI` is set: part of a multipart reply that ends with `NLMSG_DONE`.
    #[inline]
    pub fn is_multi(&self) -> bool {
        self.header.flags & NLM_F_MULTI != 0
    }
    /// `NLM_F_DUMP_INTR` is set: the dump this belongs to was inconsistent.
    #[inline]
    pub fn is_dump_interrupted(&self) -> bool {
        self.header.flags & NLM_F_DUMP_INTR != 0
    }

    /// Interpret the message by its type: a control message (`NOOP`, `ERROR`, `DONE`,
    /// `OVERRUN`) or data.
    ///
    /// Not for the connector protocol, where every message has type `NLMSG_DONE` and is data:
    /// use [`payload`](Self::payload) there.
    pub fn kind(&self) -> Result<MessageKind<'a>, DecodeError> {
        Ok(match self.header.ty {
            NLMSG_NOOP => MessageKind::Noop,
            NLMSG_ERROR => {
                let e = ErrorMsg::parse(self.header.flags, self.payload)
                    .map_err(|e| e.add_offset(NLMSG_HDRLEN))?;
                if e.error == 0 {
                    MessageKind::Ack(e)
                } else {
                    MessageKind::Error(e)
                }
            }
            NLMSG_DONE => MessageKind::Done(
                DoneMsg::parse(self.header.flags, self.payload)
                    .map_err(|e| e.add_offset(NLMSG_HDRLEN))?,
            ),
            NLMSG_OVERRUN => MessageKind::Overrun,
            _ => MessageKind::Data(self.payload),
        })
    }
}

/// What a message is, by its type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageKind<'a> {
    /// `NLMSG_NOOP`: ignore.
    Noop,
    /// `NLMSG_ERROR` with error 0: an acknowledgement (ext-ack TLVs may carry a warning).
    Ack(ErrorMsg<'a>),
    /// `NLMSG_ERROR` with a negative errno.
    Error(ErrorMsg<'a>),
    /// `NLMSG_DONE`: end of a dump; its errno is non-zero when the dump failed.
    Done(DoneMsg<'a>),
    /// `NLMSG_OVERRUN`: data was lost.
    Overrun,
    /// Any other type: protocol data (the payload).
    Data(&'a [u8]),
}

/// A bounds-checked iterator over the messages in a buffer (e.g. one received datagram).
///
/// Each item is a [`Message`] or a [`DecodeError`] with the message index and offset; after an
/// error the iterator is exhausted, since the framing after a bad length cannot be trusted.
///
/// ```
/// use netlink_genl_core::message::MessageIter;
/// let buf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
///     "/../tests/fixtures/kernel/nlctrl-getfamily-dump.reply.bin")).unwrap();
/// let n = MessageIter::new(&buf).filter(|m| m.as_ref().unwrap().header().ty == 0x10).count();
/// assert_eq!(n, 15);
/// ```
#[derive(Debug, Clone)]
pub struct MessageIter<'a> {
    buf: &'a [u8],
    pos: usize,
    index: usize,
}

impl<'a> MessageIter<'a> {
    /// Iterate the messages in `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        MessageIter {
            buf,
            pos: 0,
            index: 0,
        }
    }

    #[cold]
    fn fail(&mut self, kind: DecodeErrorKind) -> Option<Result<Message<'a>, DecodeError>> {
        let at = self.pos;
        self.pos = self.buf.len();
        Some(Err(
            DecodeError::at(kind, at).in_segment(PathSegment::Message(self.index))
        ))
    }
}

impl<'a> Iterator for MessageIter<'a> {
    type Item = Result<Message<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let Ok((header, _)) = NlMsgHdr::read_from_prefix(rest) else {
            let had = rest.len();
            return self.fail(DecodeErrorKind::Truncated {
                what: "message header",
                needed: NLMSG_HDRLEN,
                had,
            });
        };
        let len = header.len as usize;
        if len < NLMSG_HDRLEN {
            return self.fail(DecodeErrorKind::MsgLenTooSmall { len: header.len });
        }
        let Some(payload) = rest.get(NLMSG_HDRLEN..len) else {
            let remaining = rest.len();
            return self.fail(DecodeErrorKind::MsgLenOverrun {
                len: header.len,
                remaining,
            });
        };
        let offset = self.pos;
        self.pos = self.pos.saturating_add(align(len));
        self.index += 1;
        Some(Ok(Message {
            header,
            payload,
            offset,
        }))
    }
}

impl core::iter::FusedIterator for MessageIter<'_> {}

/// Build one message at the end of `buf`: a header with `ty`, `flags`, `seq` and `pid`, then a
/// payload of `payload_len` bytes written by `write`. The length field is filled in from what
/// was written. Returns the message's byte range start.
///
/// A reused `Vec` does not reallocate once it has grown to the message size.
///
/// ```
/// use netlink_genl_core::message::build_message;
/// let mut buf = Vec::new();
/// build_message(&mut buf, 0x10, 0x301, 1, 0, 4, |w| w.put_bytes(&[3, 1, 0, 0]))?;
/// assert_eq!(buf, std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
///     "/../tests/fixtures/kernel/nlctrl-getfamily-dump.req.bin")).unwrap());
/// # Ok::<(), netlink_genl_core::EncodeError>(())
/// ```
pub fn build_message(
    buf: &mut Vec<u8>,
    ty: u16,
    flags: u16,
    seq: u32,
    pid: u32,
    payload_len: usize,
    write: impl FnOnce(&mut AttrWriter<'_>) -> Result<(), EncodeError>,
) -> Result<usize, EncodeError> {
    let start = buf.len();
    let total = align(NLMSG_HDRLEN.saturating_add(payload_len));
    buf.resize(start.saturating_add(total), 0);
    let r = build_message_in(
        buf.get_mut(start..).unwrap_or(&mut []),
        ty,
        flags,
        seq,
        pid,
        write,
    );
    match r {
        Ok(n) => {
            buf.truncate(start + n);
            Ok(start)
        }
        Err(e) => {
            buf.truncate(start);
            Err(e.needing_total(total))
        }
    }
}

/// Build one message at the start of a fixed buffer (see [`build_message`]). Returns the
/// message length (padded to 4 bytes).
///
/// This function does not know the payload length up front, so when `buf` is too small the
/// [`BufferTooSmall`](crate::EncodeErrorKind::BufferTooSmall) error's `needed` counts the
/// bytes up to the end of the write that did not fit, not the whole message: size `buf` as
/// `align(NLMSG_HDRLEN + payload_len)` (what [`build_message`] does).
pub fn build_message_in(
    buf: &mut [u8],
    ty: u16,
    flags: u16,
    seq: u32,
    pid: u32,
    write: impl FnOnce(&mut AttrWriter<'_>) -> Result<(), EncodeError>,
) -> Result<usize, EncodeError> {
    let mut w = AttrWriter::new(buf);
    w.reserve(NLMSG_HDRLEN)?;
    write(&mut w)?;
    w.pad()?;
    let len = w.position();
    let len32 = u32::try_from(len).map_err(|_| EncodeErrorKind::MessageTooLarge { len })?;
    let hdr = NlMsgHdr {
        len: len32,
        ty,
        flags,
        seq,
        pid,
    };
    if let Some(h) = buf.get_mut(..NLMSG_HDRLEN) {
        h.copy_from_slice(zerocopy::IntoBytes::as_bytes(&hdr));
    }
    Ok(len)
}
