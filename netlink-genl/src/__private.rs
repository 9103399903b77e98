//! Items used by generated code. Not a public API: no stability promise, may change in any
//! release.
#![allow(missing_docs)]
pub use crate::message::{Answer, CommandInfo, GenlDecode, GenlMessage, MessageSchema};
pub use netlink_genl_core::__private::*;

// Named by full path below: a `use` here would shadow the glob re-export above.

/// What `#[derive(GenlMessage)]` needs from the attribute set a variant holds (encode side).
/// Generated code calls it rather than `EncodeAttrs` so that a variant holding something else
/// gets one clear error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an attribute set, but a `GenlMessage` variant holds it",
    label = "not an attribute set",
    note = "a command's variant holds a struct deriving `NlAttrs` (or nothing: a unit variant)"
)]
pub trait EncodeVariant {
    fn attrs_len(&self) -> usize;
    fn write_attrs(
        &self,
        w: &mut netlink_genl_core::attr::AttrWriter<'_>,
    ) -> Result<(), netlink_genl_core::EncodeError>;
}
#[diagnostic::do_not_recommend]
impl<T: netlink_genl_core::EncodeAttrs + ?Sized> EncodeVariant for T {
    #[inline]
    fn attrs_len(&self) -> usize {
        netlink_genl_core::EncodeAttrs::attrs_len(self)
    }
    #[inline]
    fn write_attrs(
        &self,
        w: &mut netlink_genl_core::attr::AttrWriter<'_>,
    ) -> Result<(), netlink_genl_core::EncodeError> {
        netlink_genl_core::EncodeAttrs::write_attrs(self, w)
    }
}

/// The decode side of [`EncodeVariant`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a decodable attribute set, but a `GenlMessage` variant holds it",
    label = "not an attribute set",
    note = "a command's variant holds a struct deriving `NlAttrs` (or nothing: a unit variant)"
)]
pub trait DecodeVariant<'a>: Sized {
    fn decode_attrs_at(buf: &'a [u8], depth: u32) -> Result<Self, netlink_genl_core::DecodeError>;
}
#[diagnostic::do_not_recommend]
impl<'a, T: netlink_genl_core::DecodeAttrs<'a>> DecodeVariant<'a> for T {
    #[inline]
    fn decode_attrs_at(buf: &'a [u8], depth: u32) -> Result<Self, netlink_genl_core::DecodeError> {
        <T as netlink_genl_core::DecodeAttrs<'a>>::decode_attrs_at(buf, depth)
    }
}
