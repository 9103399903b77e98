//! Items used by generated code. Not a public API: no stability promise, may change in any
//! release.
#![allow(missing_docs)]
pub use crate::message::{
    Answer, CommandInfo, GenlBorrowed, GenlDecode, GenlMessage, KernelPolicy, MessageSchema,
    OpAttrs, OpFlags,
};
pub use netlink_genl_core::__private::*;
