//! Constants from the kernel's uapi headers (`<linux/netlink.h>`, `<linux/genetlink.h>`).
//!
//! Values are facts of the kernel ABI; the names follow the C headers.

/// Netlink protocol numbers (the third argument of `socket(AF_NETLINK, ...)`).
pub mod protocol {
    /// Routing and device hook (`NETLINK_ROUTE`).
    pub const ROUTE: i32 = 0;
    /// Kernel connector (`NETLINK_CONNECTOR`).
    pub const CONNECTOR: i32 = 11;
    /// Generic netlink (`NETLINK_GENERIC`).
    pub const GENERIC: i32 = 16;
}

/// Alignment of messages and attributes (`NLMSG_ALIGNTO`, `NLA_ALIGNTO`).
pub const ALIGNTO: usize = 4;

/// `NLMSG_NOOP`: nothing, ignore.
pub const NLMSG_NOOP: u16 = 1;
/// `NLMSG_ERROR`: an error or (error 0) an acknowledgement.
pub const NLMSG_ERROR: u16 = 2;
/// `NLMSG_DONE`: end of a multipart message (on the connector protocol: every message).
pub const NLMSG_DONE: u16 = 3;
/// `NLMSG_OVERRUN`: data lost.
pub const NLMSG_OVERRUN: u16 = 4;
/// `NLMSG_MIN_TYPE`: message types below this are reserved control messages.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// `NLM_F_REQUEST`: a request message.
pub const NLM_F_REQUEST: u16 = 0x01;
/// `NLM_F_MULTI`: part of a multipart message terminated by `NLMSG_DONE`.
pub const NLM_F_MULTI: u16 = 0x02;
/// `NLM_F_ACK`: reply with an acknowledgement.
pub const NLM_F_ACK: u16 = 0x04;
/// `NLM_F_ECHO`: echo this request.
pub const NLM_F_ECHO: u16 = 0x08;
/// `NLM_F_DUMP_INTR`: the dump was inconsistent because the data changed during it.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// `NLM_F_DUMP_FILTERED`: the dump was filtered as requested.
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
/// `NLM_F_ROOT`: return the complete table instead of a single entry.
pub const NLM_F_ROOT: u16 = 0x100;
/// `NLM_F_MATCH`: return all entries matching the criteria.
pub const NLM_F_MATCH: u16 = 0x200;
/// `NLM_F_ATOMIC`: return an atomic snapshot of the table.
pub const NLM_F_ATOMIC: u16 = 0x400;
/// `NLM_F_DUMP`: `NLM_F_ROOT | NLM_F_MATCH`.
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// `NLM_F_CAPPED` (on `NLMSG_ERROR`): the echoed request was cut to its header.
pub const NLM_F_CAPPED: u16 = 0x100;
/// `NLM_F_ACK_TLVS` (on `NLMSG_ERROR`): extended-ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// `NLA_F_NESTED`: the attribute payload is a nested attribute set.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// `NLA_F_NET_BYTEORDER`: the payload is in network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// `NLA_TYPE_MASK`: the 14 bits of the attribute type proper.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
/// Largest attribute payload that fits the 16-bit `nla_len` (65535 minus the 4-byte header).
pub const NLA_MAX_PAYLOAD: usize = u16::MAX as usize - NLA_HDRLEN;
/// Size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;
/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;

/// `SOL_NETLINK`: the socket-option level of netlink options.
pub const SOL_NETLINK: i32 = 270;
/// `NETLINK_ADD_MEMBERSHIP`: join a multicast group.
pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
/// `NETLINK_DROP_MEMBERSHIP`: leave a multicast group.
pub const NETLINK_DROP_MEMBERSHIP: i32 = 2;
/// `NETLINK_PKTINFO`: receive `struct nl_pktinfo` with the group.
pub const NETLINK_PKTINFO: i32 = 3;
/// `NETLINK_BROADCAST_ERROR`: report broadcast delivery errors.
pub const NETLINK_BROADCAST_ERROR: i32 = 4;
/// `NETLINK_NO_ENOBUFS`: do not report `ENOBUFS` on overrun.
pub const NETLINK_NO_ENOBUFS: i32 = 5;
/// `NETLINK_LISTEN_ALL_NSID`: receive notifications of all peer namespaces.
pub const NETLINK_LISTEN_ALL_NSID: i32 = 8;
/// `NETLINK_LIST_MEMBERSHIPS`: read the joined groups.
pub const NETLINK_LIST_MEMBERSHIPS: i32 = 9;
/// `NETLINK_CAP_ACK`: do not echo the request payload in error messages.
pub const NETLINK_CAP_ACK: i32 = 10;
/// `NETLINK_EXT_ACK`: send extended-ACK attributes.
pub const NETLINK_EXT_ACK: i32 = 11;
/// `NETLINK_GET_STRICT_CHK`: strict checking of dump requests.
pub const NETLINK_GET_STRICT_CHK: i32 = 12;

/// `NLMSGERR_ATTR_MSG`: error message string.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// `NLMSGERR_ATTR_OFFS`: offset of the invalid attribute in the original message (u32).
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
/// `NLMSGERR_ATTR_COOKIE`: arbitrary subsystem cookie.
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
/// `NLMSGERR_ATTR_POLICY`: nested policy of the rejected attribute.
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
/// `NLMSGERR_ATTR_MISS_TYPE`: type of a missing required attribute (u32).
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
/// `NLMSGERR_ATTR_MISS_NEST`: offset of the nest in which an attribute is missing (u32).
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

/// `NL_POLICY_TYPE_ATTR_*`: attributes of a policy description (nlctrl GETPOLICY, ext-ack POLICY).
pub mod policy {
    /// `NL_POLICY_TYPE_ATTR_TYPE` (u32, one of [`types`]).
    pub const TYPE: u16 = 1;
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_S` (s64).
    pub const MIN_VALUE_S: u16 = 2;
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_S` (s64).
    pub const MAX_VALUE_S: u16 = 3;
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_U` (u64).
    pub const MIN_VALUE_U: u16 = 4;
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_U` (u64).
    pub const MAX_VALUE_U: u16 = 5;
    /// `NL_POLICY_TYPE_ATTR_MIN_LENGTH` (u32).
    pub const MIN_LENGTH: u16 = 6;
    /// `NL_POLICY_TYPE_ATTR_MAX_LENGTH` (u32).
    pub const MAX_LENGTH: u16 = 7;
    /// `NL_POLICY_TYPE_ATTR_POLICY_IDX` (u32).
    pub const POLICY_IDX: u16 = 8;
    /// `NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE` (u32).
    pub const POLICY_MAXTYPE: u16 = 9;
    /// `NL_POLICY_TYPE_ATTR_BITFIELD32_MASK` (u32).
    pub const BITFIELD32_MASK: u16 = 10;
    /// `NL_POLICY_TYPE_ATTR_PAD`.
    pub const PAD: u16 = 11;
    /// `NL_POLICY_TYPE_ATTR_MASK` (u64).
    pub const MASK: u16 = 12;

    /// `enum netlink_attribute_type` (`NL_ATTR_TYPE_*`).
    pub mod types {
        /// `NL_ATTR_TYPE_INVALID`
        pub const INVALID: u32 = 0;
        /// `NL_ATTR_TYPE_FLAG`
        pub const FLAG: u32 = 1;
        /// `NL_ATTR_TYPE_U8`
        pub const U8: u32 = 2;
        /// `NL_ATTR_TYPE_U16`
        pub const U16: u32 = 3;
        /// `NL_ATTR_TYPE_U32`
        pub const U32: u32 = 4;
        /// `NL_ATTR_TYPE_U64`
        pub const U64: u32 = 5;
        /// `NL_ATTR_TYPE_S8`
        pub const S8: u32 = 6;
        /// `NL_ATTR_TYPE_S16`
        pub const S16: u32 = 7;
        /// `NL_ATTR_TYPE_S32`
        pub const S32: u32 = 8;
        /// `NL_ATTR_TYPE_S64`
        pub const S64: u32 = 9;
        /// `NL_ATTR_TYPE_BINARY`
        pub const BINARY: u32 = 10;
        /// `NL_ATTR_TYPE_STRING`
        pub const STRING: u32 = 11;
        /// `NL_ATTR_TYPE_NUL_STRING`
        pub const NUL_STRING: u32 = 12;
        /// `NL_ATTR_TYPE_NESTED`
        pub const NESTED: u32 = 13;
        /// `NL_ATTR_TYPE_NESTED_ARRAY`
        pub const NESTED_ARRAY: u32 = 14;
        /// `NL_ATTR_TYPE_BITFIELD32`
        pub const BITFIELD32: u32 = 15;
        /// `NL_ATTR_TYPE_SINT`
        pub const SINT: u32 = 16;
        /// `NL_ATTR_TYPE_UINT`
        pub const UINT: u32 = 17;

        /// The kernel's name for a `NL_ATTR_TYPE_*` value, as iproute2 and YNL spell it.
        pub fn name(ty: u32) -> Option<&'static str> {
            Some(match ty {
                INVALID => "invalid",
                FLAG => "flag",
                U8 => "u8",
                U16 => "u16",
                U32 => "u32",
                U64 => "u64",
                S8 => "s8",
                S16 => "s16",
                S32 => "s32",
                S64 => "s64",
                BINARY => "binary",
                STRING => "string",
                NUL_STRING => "nul-string",
                NESTED => "nested",
                NESTED_ARRAY => "nested-array",
                BITFIELD32 => "bitfield32",
                SINT => "sint",
                UINT => "uint",
                _ => return None,
            })
        }
    }
}

/// Round `len` up to the netlink alignment (4 bytes). Saturates instead of overflowing.
#[inline]
pub const fn align(len: usize) -> usize {
    match len.checked_add(ALIGNTO - 1) {
        Some(n) => n & !(ALIGNTO - 1),
        None => usize::MAX & !(ALIGNTO - 1),
    }
}
