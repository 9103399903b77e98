//! # netlink-genl
//!
//! Typed generic netlink. (Crate docs are written with the socket API.)
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]
#![warn(missing_docs)]

pub mod header;
pub mod message;
pub mod options;

#[doc(hidden)]
pub mod __private;

pub use header::{GENL_HDRLEN, GENL_ID_CTRL, GenlMsgHdr};
pub use message::{GenlDecode, GenlDecodeOwned, GenlMessage};
pub use netlink_core;
pub use netlink_core::{
    AttrSet, DecodeAttrs, DecodeAttrsOwned, DecodeError, EncodeAttrs, EncodeError, Error,
    KernelError, NlaDecode, NlaEncode,
};

/// `#[derive(NlAttrs)]`: an attribute set. See [`options`] for every option.
pub use netlink_derive::__NlAttrsGenl as NlAttrs;
/// `#[derive(GenlMessage)]`: a family's commands. See [`options`] for every option.
pub use netlink_derive::GenlMessage;
