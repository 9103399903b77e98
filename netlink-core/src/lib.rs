//! # netlink-genl-core
//!
//! The netlink wire layer under [`netlink-genl`](https://docs.rs/netlink-genl): headers,
//! attributes (TLVs), messages, acknowledgements and extended ACKs, with bounds-checked
//! zero-copy decoding and one-pass encoding into a caller's buffer.
//!
//! Most users depend on `netlink-genl` and write `#[derive(NlAttrs)]` types; this crate is what
//! those derives build on, and is usable by hand for any netlink protocol.
//!
//! ```
//! use netlink_genl_core::attr::{AttrIter, AttrWriter};
//! use netlink_genl_core::message::{build_message, MessageIter, MessageKind};
//!
//! // Build a generic-netlink GETFAMILY request for "nlctrl" by hand:
//! // nlmsghdr + genlmsghdr {cmd 3, version 1} + CTRL_ATTR_FAMILY_NAME (2).
//! let mut buf = Vec::new();
//! build_message(&mut buf, 0x10, 0x05, 1, 0, 4 + 12, |w| {
//!     w.put_bytes(&[3, 1, 0, 0])?;
//!     w.put_value(2, "nlctrl")
//! })?;
//! assert_eq!(buf.len(), 32);
//!
//! // Parse it back: one message, whose payload holds the genl header and one attribute.
//! let msg = MessageIter::new(&buf).next().unwrap()?;
//! let MessageKind::Data(payload) = msg.kind()? else { unreachable!() };
//! let attr = AttrIter::new(&payload[4..]).next().unwrap()?;
//! assert_eq!((attr.id(), attr.payload()), (2, &b"nlctrl\0"[..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Layout:
//! - [`consts`]: the uapi constants; [`header`]: `nlmsghdr`, `nlattr`, `nlmsgerr`.
//! - [`attr`]: the attribute iterator and writer, the value traits [`NlaEncode`]/[`NlaDecode`] and
//!   their impls for every kind, and the codecs the derive selects.
//! - [`attrs`]: attribute sets ([`EncodeAttrs`], [`DecodeAttrs`]), which the derive implements;
//!   [`schema`]: the one description of a set each derive emits.
//! - [`message`]: framing; [`ack`]: errors, ACKs, `DONE`, extended ACKs.
//! - [`error`]: typed errors that say where and what.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]
#![warn(missing_docs)]

// The crate's own attribute sets (`PolicyInfo`) use the derive, whose code names this crate.
extern crate self as netlink_genl_core;

pub mod ack;
pub mod attr;
pub mod attrs;
mod client;
pub mod conn;
pub mod connector;
pub mod consts;
pub mod debug;
pub mod error;
pub mod header;
pub mod mem;
pub mod message;
pub mod request;
pub mod schema;
pub mod socket;
#[cfg(feature = "tokio")]
pub mod tokio;

#[doc(hidden)]
pub mod __private;

pub use ack::{Errno, ErrorMsg, ExtAck, KernelError, PolicyInfo};
pub use attr::{NlaDecode, NlaEncode};
pub use attrs::{
    AsSelector, AttrSet, DecodeAttrs, DecodeAttrsOwned, DecodeSubMessage, EncodeAttrs, SubMessage,
    attrs_to_vec, encode_attrs_into_slice, encode_attrs_into_vec,
};
pub use error::{
    AttrPath, DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, Error, GroupError,
    GroupErrorKind, LostAnswer, PathSegment, TimedOut, Waited,
};

/// `#[derive(NlAttrs)]`: implement the attribute-set traits for a struct. See the option
/// reference in `netlink-genl`'s documentation.
#[cfg(feature = "derive")]
pub use netlink_genl_derive::NlAttrs;
/// `#[derive(NlSubMessage)]`: a sub-message, an enum with one variant per selector value.
#[cfg(feature = "derive")]
pub use netlink_genl_derive::NlSubMessage;
