//! # Reference: every `#[nla(...)]` and `#[genl(...)]` option
//!
//! (Written with the derive.)
