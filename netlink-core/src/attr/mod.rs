//! Attributes (TLVs): the zero-copy iterator, the writer, and the value traits.
//!
//! An attribute is a 4-byte header (`nla_len`, `nla_type`) followed by its payload and padded to
//! 4 bytes. `nla_len` counts header and payload but not the padding. The top two bits of
//! `nla_type` are flags (`NLA_F_NESTED`, `NLA_F_NET_BYTEORDER`); [`Attr::id`] masks them.

mod decode;
mod encode;
mod value;

pub use decode::{Attr, AttrIter};
pub use encode::{AttrWriter, Nest};
pub use value::{
    ArrayIter, ArrayView, BitField32, IntValue, NlaDecode, NlaEncode, NlaKey, OwnedAttr, RawAttrs,
    UnknownAttrs, attr_size, check_depth, too_deep,
};

/// Codecs: how a field's Rust type maps to an attribute payload when the derive's options select
/// something other than the type's own [`NlaEncode`]/[`NlaDecode`] impl (e.g. `big_endian`,
/// `uint`, `fixed`, `array`, `keyed`), in pairs: [`EncodeCodec`](codec::EncodeCodec) writes,
/// [`DecodeCodec`](codec::DecodeCodec) reads. Generated code calls them directly; usable by hand.
pub mod codec {
    pub use super::value::{
        Array, BigEndian, DecodeCodec, EncodeCodec, Fixed, Keyed, Native, Packed, Repr, VarSint,
        VarUint,
    };
}

/// The default bound on nesting depth for derived decoders.
pub const MAX_NEST_DEPTH: u32 = 32;
