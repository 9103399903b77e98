//! Acknowledgements, errors and extended ACKs (`NLMSG_ERROR`, `NLMSG_DONE`, `NLMSGERR_ATTR_*`).

use std::fmt;

use zerocopy::FromBytes;

use crate::DecodeAttrs;
use crate::attr::{AttrIter, NlaDecode};
use crate::consts::{
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_HDRLEN, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST,
    NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY, align,
    policy,
};
use crate::error::{AttrPath, DecodeError, DecodeErrorKind};
use crate::header::{NlMsgErr, NlMsgHdr};

/// The extended-ACK attributes (`NLMSGERR_ATTR_*`) of an error, ACK or `DONE`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExtAck<'a> {
    /// `NLMSGERR_ATTR_MSG`: the kernel's message.
    pub msg: Option<&'a str>,
    /// `NLMSGERR_ATTR_OFFS`: offset of the offending attribute in the request, from the start of
    /// its `nlmsghdr`.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_COOKIE`: subsystem-specific bytes.
    pub cookie: Option<&'a [u8]>,
    /// `NLMSGERR_ATTR_POLICY`: the policy the offending attribute failed.
    pub policy: Option<PolicyInfo>,
    /// `NLMSGERR_ATTR_MISS_TYPE`: the type of a missing required attribute.
    pub miss_type: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_NEST`: offset of the nest the attribute is missing from.
    pub miss_nest: Option<u32>,
}

impl<'a> ExtAck<'a> {
    /// Decode the ext-ack attributes in `buf`. Unknown attributes are skipped.
    pub fn parse(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut e = ExtAck::default();
        for a in AttrIter::new(buf) {
            let a = a?;
            let p = a.payload();
            let at = |name| move |err: DecodeError| err.in_field(name, a.payload_offset());
            match a.id() {
                NLMSGERR_ATTR_MSG => e.msg = Some(<&str>::decode_payload(p).map_err(at("msg"))?),
                NLMSGERR_ATTR_OFFS => e.offset = Some(u32::decode_payload(p).map_err(at("offs"))?),
                NLMSGERR_ATTR_COOKIE => e.cookie = Some(p),
                NLMSGERR_ATTR_POLICY => {
                    e.policy = Some(PolicyInfo::decode_attrs_at(p, 1).map_err(at("policy"))?)
                }
                NLMSGERR_ATTR_MISS_TYPE => {
                    e.miss_type = Some(u32::decode_payload(p).map_err(at("miss_type"))?)
                }
                NLMSGERR_ATTR_MISS_NEST => {
                    e.miss_nest = Some(u32::decode_payload(p).map_err(at("miss_nest"))?)
                }
                _ => {}
            }
        }
        Ok(e)
    }

    /// True when no attribute was present.
    pub fn is_empty(&self) -> bool {
        *self == ExtAck::default()
    }
}

/// A policy description (`NL_POLICY_TYPE_ATTR_*`): the policy an attribute failed (ext-ack
/// `NLMSGERR_ATTR_POLICY`) and each attribute's entry in nlctrl's `GETPOLICY` dump. Declared
/// with `#[derive(NlAttrs)]`, so it is an attribute set like any other (names in the trace,
/// field paths in errors); unknown attributes are skipped. `Display` prints it as iproute2 does:
/// `u32 min 1 max 255`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, netlink_genl_derive::NlAttrs)]
#[non_exhaustive]
pub struct PolicyInfo {
    /// `TYPE`: an `NL_ATTR_TYPE_*` value (see [`consts::policy::types`](crate::consts::policy::types)).
    #[nla(id = policy::TYPE)]
    pub ty: Option<u32>,
    /// `MIN_VALUE_S`.
    #[nla(id = policy::MIN_VALUE_S)]
    pub min_value_s: Option<i64>,
    /// `MAX_VALUE_S`.
    #[nla(id = policy::MAX_VALUE_S)]
    pub max_value_s: Option<i64>,
    /// `MIN_VALUE_U`.
    #[nla(id = policy::MIN_VALUE_U)]
    pub min_value_u: Option<u64>,
    /// `MAX_VALUE_U`.
    #[nla(id = policy::MAX_VALUE_U)]
    pub max_value_u: Option<u64>,
    /// `MIN_LENGTH`.
    #[nla(id = policy::MIN_LENGTH)]
    pub min_length: Option<u32>,
    /// `MAX_LENGTH`.
    #[nla(id = policy::MAX_LENGTH)]
    pub max_length: Option<u32>,
    /// `POLICY_IDX`: the policy of a nest.
    #[nla(id = policy::POLICY_IDX)]
    pub policy_idx: Option<u32>,
    /// `POLICY_MAXTYPE`: the largest attribute type of that policy.
    #[nla(id = policy::POLICY_MAXTYPE)]
    pub policy_maxtype: Option<u32>,
    /// `BITFIELD32_MASK`.
    #[nla(id = policy::BITFIELD32_MASK)]
    pub bitfield32_mask: Option<u32>,
    /// `MASK`.
    #[nla(id = policy::MASK)]
    pub mask: Option<u64>,
}

impl PolicyInfo {
    /// The kernel's name of [`ty`](Self::ty) (`u32`, `nul-string`, `nested`, ...).
    pub fn type_name(&self) -> Option<&'static str> {
        self.ty.and_then(policy::types::name)
    }
}

impl fmt::Display for PolicyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        let mut item = |f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>| {
            let r = write!(f, "{sep}{args}");
            sep = " ";
            r
        };
        if let Some(t) = self.ty {
            match policy::types::name(t) {
                Some(n) => item(f, format_args!("{n}"))?,
                None => item(f, format_args!("type {t}"))?,
            }
        }
        if let Some(v) = self.min_value_s {
            item(f, format_args!("min {v}"))?;
        }
        if let Some(v) = self.max_value_s {
            item(f, format_args!("max {v}"))?;
        }
        if let Some(v) = self.min_value_u {
            item(f, format_args!("min {v}"))?;
        }
        if let Some(v) = self.max_value_u {
            item(f, format_args!("max {v}"))?;
        }
        if let Some(v) = self.min_length {
            item(f, format_args!("min len {v}"))?;
        }
        if let Some(v) = self.max_length {
            item(f, format_args!("max len {v}"))?;
        }
        if let Some(v) = self.policy_idx {
            item(f, format_args!("policy {v}"))?;
        }
        if let Some(v) = self.policy_maxtype {
            item(f, format_args!("maxattr {v}"))?;
        }
        if let Some(v) = self.bitfield32_mask {
            item(f, format_args!("mask {v:#x}"))?;
        }
        if let Some(v) = self.mask {
            item(f, format_args!("mask {v:#x}"))?;
        }
        Ok(())
    }
}

/// The payload of `NLMSG_ERROR`: an errno (0 for an ACK), the request's header, the echoed
/// request payload (unless capped) and the ext-ack attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMsg<'a> {
    /// 0 for an ACK, else a negative errno.
    pub error: i32,
    /// The header of the request this answers.
    pub request: NlMsgHdr,
    /// The request's payload, echoed when the socket has no `NETLINK_CAP_ACK` (empty when
    /// capped).
    pub echoed: &'a [u8],
    /// Extended-ACK attributes (present when `NLM_F_ACK_TLVS`).
    pub ext: ExtAck<'a>,
}

impl<'a> ErrorMsg<'a> {
    /// Parse the payload of an `NLMSG_ERROR` message with header flags `flags`.
    pub fn parse(flags: u16, payload: &'a [u8]) -> Result<Self, DecodeError> {
        let Ok((err, _)) = NlMsgErr::read_from_prefix(payload) else {
            return Err(DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "nlmsgerr",
                    needed: 20,
                    had: payload.len(),
                },
                0,
            ));
        };
        // The echoed request payload follows unless capped; the TLVs follow it, aligned.
        let (echoed, tlv_start) = if flags & NLM_F_CAPPED != 0 {
            (&[][..], 20)
        } else {
            let req_payload = (err.msg.len as usize).saturating_sub(NLMSG_HDRLEN);
            let echoed = payload
                .get(20..20usize.saturating_add(req_payload))
                .unwrap_or_else(|| {
                    // The kernel never truncates the echo; tolerate a short one rather than guess.
                    payload.get(20..).unwrap_or(&[])
                });
            (echoed, 20 + align(echoed.len()))
        };
        let ext = if flags & NLM_F_ACK_TLVS != 0 {
            let tlvs = payload.get(tlv_start..).unwrap_or(&[]);
            ExtAck::parse(tlvs).map_err(|e| e.add_offset(tlv_start))?
        } else {
            ExtAck::default()
        };
        Ok(ErrorMsg {
            error: err.error,
            request: err.msg,
            echoed,
            ext,
        })
    }

    /// The positive errno (0 for an ACK).
    pub fn errno(&self) -> i32 {
        self.error.saturating_neg()
    }

    /// An owned error for this message, with the attribute path left unresolved.
    pub fn to_kernel_error(&self) -> KernelError {
        KernelError::from_parts(self.error, &self.ext)
    }
}

/// The payload of `NLMSG_DONE`: the dump's errno (0 on success) and ext-ack attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoneMsg<'a> {
    /// 0, or a negative errno when the dump failed.
    pub error: i32,
    /// Extended-ACK attributes (present when `NLM_F_ACK_TLVS`).
    pub ext: ExtAck<'a>,
}

impl<'a> DoneMsg<'a> {
    /// Parse the payload of an `NLMSG_DONE` message. An empty payload means 0.
    pub fn parse(flags: u16, payload: &'a [u8]) -> Result<Self, DecodeError> {
        let error = match payload.get(..4) {
            None if payload.is_empty() => 0,
            None => {
                return Err(DecodeError::at(
                    DecodeErrorKind::Truncated {
                        what: "NLMSG_DONE errno",
                        needed: 4,
                        had: payload.len(),
                    },
                    0,
                ));
            }
            Some(b) => i32::decode_payload(b)?,
        };
        let ext = if flags & NLM_F_ACK_TLVS != 0 {
            ExtAck::parse(payload.get(4..).unwrap_or(&[])).map_err(|e| e.add_offset(4))?
        } else {
            ExtAck::default()
        };
        Ok(DoneMsg { error, ext })
    }
}

/// An error reported by the kernel: the errno with everything the extended ACK said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KernelError {
    /// The errno, typed: compare with the constants (`k.errno == Errno::EXIST`);
    /// [`raw_os_error`](Errno::raw_os_error) gives the positive number (17).
    pub errno: Errno,
    /// The kernel's message (`NLMSGERR_ATTR_MSG`).
    pub msg: Option<String>,
    /// The offset of the offending attribute in the request (`NLMSGERR_ATTR_OFFS`).
    pub offset: Option<u32>,
    /// The offending attribute as a field path of the request (e.g. `GetFamily.name`), when the
    /// request's type could map the offset back.
    pub attr_path: Option<AttrPath>,
    /// The policy the attribute failed (`NLMSGERR_ATTR_POLICY`).
    pub policy: Option<PolicyInfo>,
    /// The type of a missing attribute (`NLMSGERR_ATTR_MISS_TYPE`).
    pub miss_type: Option<u32>,
    /// Offset of the nest the attribute is missing from (`NLMSGERR_ATTR_MISS_NEST`).
    pub miss_nest: Option<u32>,
    /// The missing attribute as a field path of the request (e.g. `StrsetGet.header`), when
    /// the request's type describes it.
    pub missing_path: Option<AttrPath>,
    /// `NLMSGERR_ATTR_COOKIE`.
    pub cookie: Option<Vec<u8>>,
}

impl KernelError {
    /// Build from the raw (negative) error and the ext-ack attributes.
    pub fn from_parts(error: i32, ext: &ExtAck<'_>) -> Self {
        KernelError {
            errno: Errno::from_raw_os_error(error.saturating_neg()),
            msg: ext.msg.map(str::to_owned),
            offset: ext.offset,
            attr_path: None,
            policy: ext.policy,
            miss_type: ext.miss_type,
            miss_nest: ext.miss_nest,
            missing_path: None,
            cookie: ext.cookie.map(<[u8]>::to_vec),
        }
    }

    /// The symbolic name of the errno (`"EINVAL"`), where known.
    pub fn errno_name(&self) -> Option<&'static str> {
        errno_name(self.errno.raw_os_error())
    }

    /// The errno as an [`std::io::Error`].
    pub fn io_error(&self) -> std::io::Error {
        std::io::Error::from_raw_os_error(self.errno.raw_os_error())
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let desc = self.io_error().to_string();
        // std appends " (os error N)"; keep the description only.
        let desc = desc.split(" (os error").next().unwrap_or(&desc);
        match self.errno_name() {
            Some(n) => write!(f, "{n} ({}): {desc}", self.errno.raw_os_error())?,
            None => write!(f, "errno {}: {desc}", self.errno.raw_os_error())?,
        }
        if let Some(m) = &self.msg {
            write!(f, ": {m}")?;
        }
        match (&self.attr_path, self.offset) {
            (Some(p), _) if !p.is_empty() => write!(f, " (attribute {p})")?,
            (_, Some(o)) => write!(f, " (at request byte {o})")?,
            _ => {}
        }
        match (&self.missing_path, self.miss_type) {
            (Some(p), Some(t)) => write!(f, " (missing attribute {p}, type {t})")?,
            (None, Some(t)) => write!(f, " (missing attribute type {t})")?,
            _ => {}
        }
        if let Some(p) = &self.policy {
            write!(f, " [policy: {p}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for KernelError {}

/// An errno, as the kernel reports it in an error message (`-errno` in `nlmsgerr.error`):
/// compare with the constants (`k.errno == Errno::EXIST`), not by name. It holds any value the
/// wire carries, also one no errno has (the wire is not trusted); [`name`](Self::name) knows
/// the errnos netlink families return.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Errno(i32);

macro_rules! errnos {
    ($($(#[$doc:meta])* $name:ident = $value:expr, $text:literal;)*) => {
        impl Errno {
            $($(#[$doc])* pub const $name: Errno = Errno($value);)*

            /// The symbolic name (`"EINVAL"`), for the errnos netlink families return.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($text),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    /// `EPERM` (1).
    PERM = 1, "EPERM";
    /// `ENOENT` (2).
    NOENT = 2, "ENOENT";
    /// `ESRCH` (3).
    SRCH = 3, "ESRCH";
    /// `EINTR` (4).
    INTR = 4, "EINTR";
    /// `EIO` (5).
    IO = 5, "EIO";
    /// `ENXIO` (6).
    NXIO = 6, "ENXIO";
    /// `E2BIG` (7).
    TOOBIG = 7, "E2BIG";
    /// `EBADF` (9).
    BADF = 9, "EBADF";
    /// `EAGAIN` (11).
    AGAIN = 11, "EAGAIN";
    /// `ENOMEM` (12).
    NOMEM = 12, "ENOMEM";
    /// `EACCES` (13).
    ACCES = 13, "EACCES";
    /// `EFAULT` (14).
    FAULT = 14, "EFAULT";
    /// `EBUSY` (16).
    BUSY = 16, "EBUSY";
    /// `EEXIST` (17).
    EXIST = 17, "EEXIST";
    /// `EXDEV` (18).
    XDEV = 18, "EXDEV";
    /// `ENODEV` (19).
    NODEV = 19, "ENODEV";
    /// `ENOTDIR` (20).
    NOTDIR = 20, "ENOTDIR";
    /// `EISDIR` (21).
    ISDIR = 21, "EISDIR";
    /// `EINVAL` (22).
    INVAL = 22, "EINVAL";
    /// `ENFILE` (23).
    NFILE = 23, "ENFILE";
    /// `EMFILE` (24).
    MFILE = 24, "EMFILE";
    /// `ENOTTY` (25).
    NOTTY = 25, "ENOTTY";
    /// `EFBIG` (27).
    FBIG = 27, "EFBIG";
    /// `ENOSPC` (28).
    NOSPC = 28, "ENOSPC";
    /// `EROFS` (30).
    ROFS = 30, "EROFS";
    /// `EMLINK` (31).
    MLINK = 31, "EMLINK";
    /// `EPIPE` (32).
    PIPE = 32, "EPIPE";
    /// `EDOM` (33).
    DOM = 33, "EDOM";
    /// `ERANGE` (34).
    RANGE = 34, "ERANGE";
    /// `EDEADLK` (35).
    DEADLK = 35, "EDEADLK";
    /// `ENAMETOOLONG` (36).
    NAMETOOLONG = 36, "ENAMETOOLONG";
    /// `ENOSYS` (38).
    NOSYS = 38, "ENOSYS";
    /// `ENOTEMPTY` (39).
    NOTEMPTY = 39, "ENOTEMPTY";
    /// `ELOOP` (40).
    LOOP = 40, "ELOOP";
    /// `ENOMSG` (42).
    NOMSG = 42, "ENOMSG";
    /// `ENODATA` (61).
    NODATA = 61, "ENODATA";
    /// `ETIME` (62).
    TIME = 62, "ETIME";
    /// `ENOLINK` (67).
    NOLINK = 67, "ENOLINK";
    /// `EPROTO` (71).
    PROTO = 71, "EPROTO";
    /// `EBADMSG` (74).
    BADMSG = 74, "EBADMSG";
    /// `EOVERFLOW` (75).
    OVERFLOW = 75, "EOVERFLOW";
    /// `EILSEQ` (84).
    ILSEQ = 84, "EILSEQ";
    /// `ENOTSOCK` (88).
    NOTSOCK = 88, "ENOTSOCK";
    /// `EDESTADDRREQ` (89).
    DESTADDRREQ = 89, "EDESTADDRREQ";
    /// `EMSGSIZE` (90).
    MSGSIZE = 90, "EMSGSIZE";
    /// `EPROTOTYPE` (91).
    PROTOTYPE = 91, "EPROTOTYPE";
    /// `ENOPROTOOPT` (92).
    NOPROTOOPT = 92, "ENOPROTOOPT";
    /// `EPROTONOSUPPORT` (93).
    PROTONOSUPPORT = 93, "EPROTONOSUPPORT";
    /// `EOPNOTSUPP` (95).
    OPNOTSUPP = 95, "EOPNOTSUPP";
    /// `EAFNOSUPPORT` (97).
    AFNOSUPPORT = 97, "EAFNOSUPPORT";
    /// `EADDRINUSE` (98).
    ADDRINUSE = 98, "EADDRINUSE";
    /// `EADDRNOTAVAIL` (99).
    ADDRNOTAVAIL = 99, "EADDRNOTAVAIL";
    /// `ENETDOWN` (100).
    NETDOWN = 100, "ENETDOWN";
    /// `ENETUNREACH` (101).
    NETUNREACH = 101, "ENETUNREACH";
    /// `ECONNABORTED` (103).
    CONNABORTED = 103, "ECONNABORTED";
    /// `ECONNRESET` (104).
    CONNRESET = 104, "ECONNRESET";
    /// `ENOBUFS` (105).
    NOBUFS = 105, "ENOBUFS";
    /// `EISCONN` (106).
    ISCONN = 106, "EISCONN";
    /// `ENOTCONN` (107).
    NOTCONN = 107, "ENOTCONN";
    /// `ETIMEDOUT` (110).
    TIMEDOUT = 110, "ETIMEDOUT";
    /// `ECONNREFUSED` (111).
    CONNREFUSED = 111, "ECONNREFUSED";
    /// `EHOSTUNREACH` (113).
    HOSTUNREACH = 113, "EHOSTUNREACH";
    /// `EALREADY` (114).
    ALREADY = 114, "EALREADY";
    /// `EINPROGRESS` (115).
    INPROGRESS = 115, "EINPROGRESS";
    /// `ESTALE` (116).
    STALE = 116, "ESTALE";
    /// `EDQUOT` (122).
    DQUOT = 122, "EDQUOT";
    /// `ECANCELED` (125).
    CANCELED = 125, "ECANCELED";
    /// `EOWNERDEAD` (130).
    OWNERDEAD = 130, "EOWNERDEAD";
    /// `ENOTSUPP` (524).
    NOTSUPP = 524, "ENOTSUPP";
}

impl Errno {
    /// The errno with number `raw` (positive, as in C's `errno`).
    pub const fn from_raw_os_error(raw: i32) -> Self {
        Errno(raw)
    }

    /// The number (positive, as in C's `errno`; 22 for `EINVAL`).
    pub const fn raw_os_error(self) -> i32 {
        self.0
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} ({})", self.0),
            None => write!(f, "errno {}", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}

/// The symbolic name of a positive errno, for the errnos netlink families return (used to
/// display errors; compare errnos as [`Errno`] values, not by name).
pub fn errno_name(errno: i32) -> Option<&'static str> {
    Errno(errno).name()
}
