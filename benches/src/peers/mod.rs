//! The peers, through their public APIs only.
//!
//! - [`neli`]: neli 0.7 (`Nlmsghdr`/`Genlmsghdr` with `Nlattr` buffers; nested attributes are
//!   read through `AttrHandle`s, which is the only way neli gives typed values).
//! - [`rnl`]: the rust-netlink stack: netlink-packet-core 0.9 + netlink-packet-generic 0.5
//!   (`NetlinkMessage<GenlMessage<GenlCtrl>>`, fully typed `GenlCtrlAttrs`) + netlink-sys 0.9
//!   for the socket.

pub mod neli;
pub mod rnl;
