//! The fixed headers of the netlink wire format, as zerocopy `#[repr(C)]` structs.
//!
//! All fields are in host byte order, as the kernel writes them. Wire buffers need not be aligned:
//! read headers with [`zerocopy::FromBytes::read_from_prefix`], which copies.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `struct nlmsghdr`: the header of every netlink message.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NlMsgHdr {
    /// Length of the message including this header (`nlmsg_len`).
    pub len: u32,
    /// Message type (`nlmsg_type`): a control type, or a protocol's type (genl: the family id).
    pub ty: u16,
    /// Flags (`nlmsg_flags`, `NLM_F_*`).
    pub flags: u16,
    /// Sequence number (`nlmsg_seq`).
    pub seq: u32,
    /// Sending port id (`nlmsg_pid`): 0 for the kernel.
    pub pid: u32,
}

/// `struct nlattr`: the header of every attribute (TLV).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NlAttrHdr {
    /// Length of header plus payload, without trailing padding (`nla_len`).
    pub len: u16,
    /// Type with the `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER` flag bits (`nla_type`).
    pub ty: u16,
}

/// `struct nlmsgerr` with its echoed request header: the payload of `NLMSG_ERROR`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NlMsgErr {
    /// Negative errno, or 0 for an acknowledgement.
    pub error: i32,
    /// The header of the request this answers.
    pub msg: NlMsgHdr,
}

const _: () = assert!(core::mem::size_of::<NlMsgHdr>() == crate::consts::NLMSG_HDRLEN);
const _: () = assert!(core::mem::size_of::<NlAttrHdr>() == crate::consts::NLA_HDRLEN);
const _: () = assert!(core::mem::size_of::<NlMsgErr>() == 20);
const _: () = assert!(core::mem::align_of::<NlMsgHdr>() == 4);
