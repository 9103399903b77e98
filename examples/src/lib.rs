//! Code shared by the example programs (and checked by the live tests): the text the `genl`
//! example prints.
#![warn(missing_docs)]

pub mod genl_text;
