//! The generic netlink header.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `GENL_ID_CTRL`: the fixed family id of the controller (nlctrl). Every other id is assigned at
/// boot: resolve it by name.
pub const GENL_ID_CTRL: u16 = 0x10;

/// `struct genlmsghdr`: follows the `nlmsghdr` of every generic netlink message.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct GenlMsgHdr {
    /// The command.
    pub cmd: u8,
    /// The family's interface version.
    pub version: u8,
    /// Reserved, 0.
    pub reserved: u16,
}

/// Size of `struct genlmsghdr`.
pub const GENL_HDRLEN: usize = 4;
const _: () = assert!(core::mem::size_of::<GenlMsgHdr>() == GENL_HDRLEN);
