//! Error types. Every error says *where* (attribute path, byte offset, message index) and *what*.
//!
//! [`DecodeError`] and [`EncodeError`] are one pointer wide, so `Result`s on the hot path stay
//! small; the detail lives behind a `Box` that is only allocated when something goes wrong.
//!
//! The path is built while an error propagates outwards: the innermost decoder records what went
//! wrong and at which offset of its own buffer, and each enclosing level adds its field name and
//! the offset of the nest. The result reads like `Family.ops[3].flags: expected 4 bytes, got 2
//! (at byte 120)`.

use std::borrow::Cow;
use std::fmt;

/// One step of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathSegment {
    /// The name of the type decoded at the outermost level (e.g. `Family`).
    Type(&'static str),
    /// A named field (attribute) of an attribute set.
    Field(&'static str),
    /// An attribute known only by its id.
    Attr(u16),
    /// The position of an element in an array or multi-attribute list (0-based).
    Index(usize),
    /// The key of an entry in a keyed nest.
    Key(u64),
    /// The index of a message in a buffer of several (0-based).
    Message(usize),
}

/// A list of [`PathSegment`]s, outermost first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AttrPath(pub Vec<PathSegment>);

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                PathSegment::Type(t) => f.write_str(t)?,
                PathSegment::Field(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                PathSegment::Attr(id) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    write!(f, "<attr {id}>")?;
                }
                PathSegment::Index(i) => write!(f, "[{i}]")?,
                PathSegment::Key(k) => write!(f, "{{{k}}}")?,
                PathSegment::Message(i) => {
                    write!(f, "message #{i}")?;
                    if !first {
                        f.write_str(" ")?;
                    }
                }
            }
            first = false;
        }
        Ok(())
    }
}

impl AttrPath {
    /// True when no segment was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// A header or fixed-size item was cut short.
    #[error("truncated {what}: needed {needed} bytes, had {had}")]
    Truncated {
        /// What was being read (e.g. `"attribute header"`).
        what: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        had: usize,
    },
    /// `nla_len` smaller than the 4-byte attribute header.
    #[error("attribute length {len} is smaller than the 4-byte header")]
    AttrLenTooSmall {
        /// The `nla_len` read.
        len: u16,
    },
    /// `nla_len` runs past the end of the enclosing buffer.
    #[error("attribute length {len} runs past the end of its buffer ({remaining} bytes left)")]
    AttrLenOverrun {
        /// The `nla_len` read.
        len: u16,
        /// Bytes left from the attribute header to the end of the buffer.
        remaining: usize,
    },
    /// `nlmsg_len` smaller than the 16-byte message header.
    #[error("message length {len} is smaller than the 16-byte header")]
    MsgLenTooSmall {
        /// The `nlmsg_len` read.
        len: u32,
    },
    /// `nlmsg_len` runs past the end of the buffer.
    #[error("message length {len} runs past the end of the buffer ({remaining} bytes left)")]
    MsgLenOverrun {
        /// The `nlmsg_len` read.
        len: u32,
        /// Bytes left from the message header to the end of the buffer.
        remaining: usize,
    },
    /// A fixed-size kind with a payload of the wrong size.
    #[error("expected {expected} bytes, got {got}")]
    BadLength {
        /// The size the kind needs.
        expected: usize,
        /// The payload size received.
        got: usize,
    },
    /// A payload shorter than the kind's minimum (e.g. a fixed struct).
    #[error("expected at least {min} bytes, got {got}")]
    TooShort {
        /// The minimum size.
        min: usize,
        /// The payload size received.
        got: usize,
    },
    /// A string attribute that is not valid UTF-8.
    #[error("invalid UTF-8: {0}")]
    Utf8(#[from] std::str::Utf8Error),
    /// A required attribute did not appear.
    #[error("missing required attribute (id {id})")]
    MissingAttribute {
        /// The attribute id.
        id: u16,
    },
    /// An attribute id the set does not know, in a set declared `deny_unknown`.
    #[error("unknown attribute id {id}")]
    UnknownAttribute {
        /// The attribute id (flag bits masked).
        id: u16,
    },
    /// A genl command (or message type) that the message enum has no variant for.
    #[error("unknown command {cmd}")]
    UnknownCommand {
        /// The command number.
        cmd: u8,
    },
    /// Nesting deeper than the decoder allows.
    #[error("nesting deeper than {limit} levels")]
    TooDeep {
        /// The bound.
        limit: u32,
    },
    /// A value outside the set a type accepts (e.g. an enum discriminant).
    #[error("invalid value {value} for {ty}")]
    InvalidValue {
        /// The raw value.
        value: u64,
        /// The type that rejected it.
        ty: &'static str,
    },
    /// A value outside the bounds the schema records for its attribute (`min`, `max`: the
    /// kernel's policy would refuse it with `ERANGE`).
    #[error("value {value} out of range {}", Bounds(*min, *max))]
    OutOfRange {
        /// The value.
        value: i128,
        /// The smallest value allowed.
        min: Option<i128>,
        /// The largest value allowed.
        max: Option<i128>,
    },
    /// An integer with a bit set outside the mask the schema records for its attribute
    /// (flags: the kernel's `NLA_POLICY_MASK` would refuse it with `EINVAL`).
    #[error("value {value:#x} has bits outside mask {mask:#x}")]
    OutsideMask {
        /// The value.
        value: u64,
        /// The bits allowed.
        mask: u64,
    },
    /// A payload length outside the bounds the schema records (`min_len`, `max_len`,
    /// `exact_len`).
    #[error("length {len} out of range {}", Bounds((*min).map(i128::from), (*max).map(i128::from)))]
    LengthOutOfRange {
        /// The payload length (a string's without its NUL).
        len: usize,
        /// The shortest allowed.
        min: Option<u32>,
        /// The longest allowed.
        max: Option<u32>,
    },
    /// A sub-message without its selector attribute: its layout is unknown.
    #[error("sub-message without its selector `{selector}`")]
    MissingSelector {
        /// The selector field.
        selector: &'static str,
    },
    /// A message that is not what the caller expected (type, flags, family).
    #[error("unexpected message: {0}")]
    UnexpectedMessage(Cow<'static, str>),
    /// A decoder-specific error.
    #[error("{0}")]
    Custom(Cow<'static, str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeInner {
    kind: DecodeErrorKind,
    /// Innermost first while unwinding; reversed on display.
    path: Vec<PathSegment>,
    offset: Option<usize>,
}

/// A decode failure: what went wrong ([`kind`](Self::kind)), where ([`path`](Self::path)), and
/// at which byte offset ([`offset`](Self::offset)) of the outermost buffer that was decoded.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError {
    inner: Box<DecodeInner>,
}

impl DecodeError {
    /// An error of `kind` with no location yet.
    #[cold]
    pub fn new(kind: DecodeErrorKind) -> Self {
        DecodeError {
            inner: Box::new(DecodeInner {
                kind,
                path: Vec::new(),
                offset: None,
            }),
        }
    }

    /// An error of `kind` at byte `offset` of the buffer being decoded.
    #[cold]
    pub fn at(kind: DecodeErrorKind, offset: usize) -> Self {
        DecodeError {
            inner: Box::new(DecodeInner {
                kind,
                path: Vec::new(),
                offset: Some(offset),
            }),
        }
    }

    /// A custom error with a message.
    #[cold]
    pub fn custom(msg: impl Into<Cow<'static, str>>) -> Self {
        Self::new(DecodeErrorKind::Custom(msg.into()))
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.inner.kind
    }

    /// Where it went wrong, outermost first.
    pub fn path(&self) -> AttrPath {
        AttrPath(self.inner.path.iter().rev().cloned().collect())
    }

    /// The byte offset in the outermost buffer decoded, where known.
    pub fn offset(&self) -> Option<usize> {
        self.inner.offset
    }

    /// Record that the error happened inside `seg`, whose content starts at `base` bytes into the
    /// enclosing buffer: pushes the segment and makes the offset relative to that buffer.
    #[cold]
    pub fn within(mut self, seg: PathSegment, base: usize) -> Self {
        self.inner.path.push(seg);
        self.inner.offset = Some(base.saturating_add(self.inner.offset.unwrap_or(0)));
        self
    }

    /// Push a segment without changing the offset.
    #[cold]
    pub fn in_segment(mut self, seg: PathSegment) -> Self {
        self.inner.path.push(seg);
        self
    }

    /// Record that the error happened in field `name` whose payload starts at `base`.
    #[cold]
    pub fn in_field(self, name: &'static str, base: usize) -> Self {
        self.within(PathSegment::Field(name), base)
    }

    /// Record the outermost type name (once; a second call is ignored).
    #[cold]
    pub fn in_type(mut self, name: &'static str) -> Self {
        if !matches!(self.inner.path.last(), Some(PathSegment::Type(_))) {
            self.inner.path.push(PathSegment::Type(name));
        }
        self
    }

    /// Shift the offset by `base` bytes (the error happened in a sub-buffer starting there).
    #[cold]
    pub fn add_offset(mut self, base: usize) -> Self {
        self.inner.offset = Some(base.saturating_add(self.inner.offset.unwrap_or(0)));
        self
    }
}

impl From<DecodeErrorKind> for DecodeError {
    #[cold]
    fn from(kind: DecodeErrorKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if !path.is_empty() {
            write!(f, "{path}: ")?;
        }
        write!(f, "{}", self.inner.kind)?;
        if let Some(off) = self.inner.offset {
            write!(f, " (at byte {off})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("kind", &self.inner.kind)
            .field("path", &self.path().to_string())
            .field("offset", &self.inner.offset)
            .finish()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            DecodeErrorKind::Utf8(e) => Some(e),
            _ => None,
        }
    }
}

/// What went wrong while encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// The output buffer cannot hold what is written.
    #[error("buffer too small: needed {needed} bytes, had {had}")]
    BufferTooSmall {
        /// Bytes the whole encoding needs (from the start of the buffer), when the encoder
        /// knows it up front (`encode_attrs_into_slice`, `build_message`); otherwise (a bare
        /// [`AttrWriter`](crate::attr::AttrWriter), `build_message_in`) the bytes up to the end
        /// of the write that did not fit.
        needed: usize,
        /// The buffer's size.
        had: usize,
    },
    /// An attribute payload larger than the 16-bit `nla_len` can describe.
    #[error("attribute payload of {len} bytes exceeds the netlink maximum of {max}")]
    PayloadTooLarge {
        /// The payload length.
        len: usize,
        /// The maximum (65531).
        max: usize,
    },
    /// A message larger than the 32-bit `nlmsg_len` can describe.
    #[error("message of {len} bytes is too large")]
    MessageTooLarge {
        /// The message length.
        len: usize,
    },
    /// A nest was closed out of order or twice.
    #[error("nest ended out of order")]
    NestMismatch,
    /// A string written as a NUL-terminated attribute holds a NUL byte: the kernel would read
    /// it as ending there, so it is refused rather than silently truncated.
    #[error(
        "string has an interior NUL byte at offset {offset}; the kernel would truncate it there"
    )]
    InteriorNul {
        /// The byte offset of the first NUL in the string.
        offset: usize,
    },
    /// A value carried as a narrower integer (`#[nla(repr = u8)]`, codec
    /// [`Repr`](crate::attr::codec::Repr)) that does not fit it: written anyway, it would be
    /// another value.
    #[error("value {value} does not fit the attribute's integer type {ty}")]
    DoesNotFit {
        /// The value.
        value: i128,
        /// The integer type on the wire (e.g. `u8`).
        ty: &'static str,
    },
    /// A sub-message whose selector field is not set: the kernel could not tell its layout.
    #[error("sub-message without its selector `{selector}`: set it to the value of the layout")]
    MissingSelector {
        /// The selector field.
        selector: &'static str,
    },
    /// A sub-message and its selector disagree: the variant is the layout of another selector
    /// value than the selector field holds, or the fallback holds bytes for a value that has a
    /// layout of its own. Written, the kernel would read the payload in the wrong layout.
    #[error("selector `{selector}` is {got}, but the sub-message is {expected}")]
    SelectorMismatch {
        /// The selector field.
        selector: &'static str,
        /// What the sub-message's variant stands for (e.g. `the layout for "vlan"`).
        expected: String,
        /// The selector field's value.
        got: String,
    },
    /// An encoder-specific error.
    #[error("{0}")]
    Custom(Cow<'static, str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EncodeInner {
    kind: EncodeErrorKind,
    path: Vec<PathSegment>,
}

/// An encode failure: what ([`kind`](Self::kind)) and in which attribute ([`path`](Self::path)).
#[derive(Clone, PartialEq, Eq)]
pub struct EncodeError {
    inner: Box<EncodeInner>,
}

impl EncodeError {
    /// An error of `kind`.
    #[cold]
    pub fn new(kind: EncodeErrorKind) -> Self {
        EncodeError {
            inner: Box::new(EncodeInner {
                kind,
                path: Vec::new(),
            }),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.inner.kind
    }

    /// In which attribute, outermost first.
    pub fn path(&self) -> AttrPath {
        AttrPath(self.inner.path.iter().rev().cloned().collect())
    }

    /// Record that the error happened inside `seg`.
    #[cold]
    pub fn in_segment(mut self, seg: PathSegment) -> Self {
        self.inner.path.push(seg);
        self
    }

    /// Record that the error happened in field `name`.
    #[cold]
    pub fn in_field(self, name: &'static str) -> Self {
        self.in_segment(PathSegment::Field(name))
    }

    /// Record the outermost type name (once).
    #[cold]
    pub fn in_type(mut self, name: &'static str) -> Self {
        if !matches!(self.inner.path.last(), Some(PathSegment::Type(_))) {
            self.inner.path.push(PathSegment::Type(name));
        }
        self
    }

    /// For a [`BufferTooSmall`](EncodeErrorKind::BufferTooSmall) error, raise `needed` to
    /// `total` (the length of the whole encoding, when the caller knows it), so the error says
    /// how large the buffer must be rather than how far the write got. Other errors are kept.
    #[cold]
    pub(crate) fn needing_total(mut self, total: usize) -> Self {
        if let EncodeErrorKind::BufferTooSmall { needed, .. } = &mut self.inner.kind {
            *needed = (*needed).max(total);
        }
        self
    }
}

impl From<EncodeErrorKind> for EncodeError {
    #[cold]
    fn from(kind: EncodeErrorKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if !path.is_empty() {
            write!(f, "{path}: ")?;
        }
        write!(f, "{}", self.inner.kind)
    }
}

impl fmt::Debug for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodeError")
            .field("kind", &self.inner.kind)
            .field("path", &self.path().to_string())
            .finish()
    }
}

impl std::error::Error for EncodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_display_reads_outermost_first() {
        let e = DecodeError::at(
            DecodeErrorKind::BadLength {
                expected: 4,
                got: 2,
            },
            0,
        )
        .in_field("flags", 8)
        .within(PathSegment::Index(3), 4)
        .in_field("ops", 100)
        .in_type("Family");
        assert_eq!(
            e.to_string(),
            "Family.ops[3].flags: expected 4 bytes, got 2 (at byte 112)"
        );
        assert_eq!(e.offset(), Some(112));
    }

    #[test]
    fn error_is_pointer_sized() {
        assert_eq!(
            std::mem::size_of::<DecodeError>(),
            std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::size_of::<Result<(), EncodeError>>(),
            std::mem::size_of::<usize>()
        );
    }
}

/// Any failure of a netlink operation: I/O, the kernel's answer, or our own encode/decode.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // Each variant displays what it wraps and does not also return it from `source()`, so a
    // chain printer (`{:#}` of anyhow, `Report`) says each thing once.
    /// A system call failed.
    #[error("I/O error: {0}")]
    Io(std::io::Error),
    /// The kernel answered with an error.
    #[error("kernel error: {0}")]
    Kernel(Box<crate::ack::KernelError>),
    /// A reply could not be decoded.
    #[error("decode error: {0}")]
    Decode(DecodeError),
    /// A request could not be encoded.
    #[error("encode error: {0}")]
    Encode(EncodeError),
    /// The socket's receive buffer overflowed (`ENOBUFS`): notifications were lost. The socket
    /// is still usable; resynchronise state (e.g. with a dump) and go on.
    #[error("receive buffer overrun: notifications were lost (ENOBUFS)")]
    Overrun,
    /// No answer came within the socket's timeout
    /// ([`NlSocket::set_timeout`](crate::socket::NlSocket::set_timeout)): what was waited for,
    /// for how long, and how far the answer had come.
    #[error("{0}")]
    Timeout(TimedOut),
    /// The kernel has no generic netlink family of this name (nlctrl answered `ENOENT`): its
    /// module is not loaded, or the name is wrong.
    #[error("generic netlink family {0:?} not found (is its kernel module loaded?)")]
    FamilyNotFound(String),
    /// A multicast group could not be joined: the family has no such group, or the kernel
    /// refused the membership.
    #[error("{0}")]
    Group(GroupError),
    /// The kernel dropped the answer to a request because the socket's receive buffer was full
    /// (`ENOBUFS`). The kernel received the request and ran it: it may have been applied.
    /// Check the state before resending a request that is not idempotent.
    #[error("{0}")]
    AnswerLost(LostAnswer),
}

/// What an [`Error::Timeout`] waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Waited {
    /// The reply to a request (or the kernel's error).
    Reply,
    /// The ACK of a request whose replies had arrived.
    Ack,
    /// The next datagram of a dump.
    DumpPart,
    /// A notification (only with an event timeout set).
    Notification,
}

impl fmt::Display for Waited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Waited::Reply => "the answer to request",
            Waited::Ack => "the ACK of request",
            Waited::DumpPart => "the next part of dump",
            Waited::Notification => "a notification",
        })
    }
}

/// The detail of an [`Error::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TimedOut {
    /// What was waited for.
    pub waited: Waited,
    /// How long the socket waited for a datagram before giving up.
    pub after: std::time::Duration,
    /// The request's sequence number (0 for a notification).
    pub seq: u32,
    /// Data messages of the answer received before the wait.
    pub messages: usize,
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timed out after {:?} waiting for {}",
            self.after, self.waited
        )?;
        if self.waited != Waited::Notification {
            write!(f, " {} ({} messages received)", self.seq, self.messages)?;
        }
        Ok(())
    }
}

/// The detail of an [`Error::AnswerLost`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct LostAnswer {
    /// The request's sequence number.
    pub seq: u32,
    /// Reply messages that did arrive before the loss.
    pub replies: usize,
    /// Whether the kernel may have applied the request: true whenever the request was
    /// delivered (generic netlink runs a request while it is sent, before its answer is
    /// queued).
    pub may_have_been_applied: bool,
}

impl fmt::Display for LostAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the answer to request {} was dropped by the kernel (receive buffer overrun, ENOBUFS) \
             after {} replies",
            self.seq, self.replies
        )?;
        if self.may_have_been_applied {
            f.write_str(
                "; the request was delivered and may have been applied: check before resending it",
            )?;
        }
        Ok(())
    }
}

impl Error {
    /// Whether this is [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The kernel's errno, for [`Error::Kernel`] (and an I/O error that carries one).
    pub fn errno(&self) -> Option<crate::ack::Errno> {
        match self {
            Error::Kernel(k) => Some(k.errno),
            Error::Io(e) => e.raw_os_error().map(crate::ack::Errno::from_raw_os_error),
            _ => None,
        }
    }
}

/// Why a multicast group could not be joined ([`Error::Group`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupError {
    /// The family.
    pub family: String,
    /// The group's name.
    pub group: String,
    /// What went wrong.
    pub kind: GroupErrorKind,
}

/// What went wrong joining a group ([`GroupError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupErrorKind {
    /// The family has no group of that name (after refreshing it from the kernel).
    NotFound {
        /// The groups the family has.
        available: Vec<String>,
    },
    /// The kernel refused the membership (`EPERM`): the group is restricted to processes with
    /// a capability in the socket's network namespace.
    PermissionDenied {
        /// The group number.
        id: u32,
    },
}

impl GroupError {
    /// The error of joining `group` of `family`.
    pub fn new(family: impl Into<String>, group: impl Into<String>, kind: GroupErrorKind) -> Self {
        GroupError {
            family: family.into(),
            group: group.into(),
            kind,
        }
    }
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (family, group) = (&self.family, &self.group);
        match &self.kind {
            GroupErrorKind::NotFound { available } if available.is_empty() => {
                write!(
                    f,
                    "family {family} has no multicast group {group:?} (it has none)"
                )
            }
            GroupErrorKind::NotFound { available } => write!(
                f,
                "family {family} has no multicast group {group:?} (it has: {})",
                available.join(", ")
            ),
            GroupErrorKind::PermissionDenied { id } => write!(
                f,
                "joining multicast group {group:?} (id {id}) of family {family} was refused \
                 (EPERM): the group is restricted to CAP_NET_ADMIN (some groups: CAP_SYS_ADMIN) \
                 in the socket's network namespace"
            ),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<Box<crate::ack::KernelError>> for Error {
    fn from(e: Box<crate::ack::KernelError>) -> Self {
        Error::Kernel(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Self {
        Error::Encode(e)
    }
}

impl From<crate::ack::KernelError> for Error {
    fn from(e: crate::ack::KernelError) -> Self {
        Error::Kernel(Box::new(e))
    }
}

/// Bounds shown as `[min, max]` (`..` for an open end).
struct Bounds(Option<i128>, Option<i128>);

impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bounds(Some(a), Some(b)) if a == b => write!(f, "[{a}]"),
            Bounds(a, b) => {
                match a {
                    Some(a) => write!(f, "[{a}, ")?,
                    None => f.write_str("[.., ")?,
                }
                match b {
                    Some(b) => write!(f, "{b}]"),
                    None => f.write_str("..]"),
                }
            }
        }
    }
}
