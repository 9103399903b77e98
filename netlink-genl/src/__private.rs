//! Items used by generated code. Not a public API.
#![allow(missing_docs)]
pub use crate::message::{GenlDecode, GenlMessage};
pub use netlink_core::__private::*;
