//! Items used by code that `#[derive(NlAttrs)]` generates. Not a public API: no stability
//! promise, may change in any release.
#![allow(missing_docs)]

pub use crate::attr::codec::{
    Array, BigEndian, DecodeCodec, EncodeCodec, Fixed, Keyed, Native, Packed, Repr, VarSint,
    VarUint,
};
pub use crate::attr::{
    Attr, AttrIter, AttrWriter, IntValue, MAX_NEST_DEPTH, NlaDecode, NlaEncode, UnknownAttrs,
    attr_size, check_depth,
};
pub use crate::attrs::{
    AsSelector, AttrSet, DecodeAttrs, DecodeSubMessage, EncodeAttrs, SubMessage, check_selector,
    decode_sub, nested_decode,
};
pub use crate::consts::{NLA_F_NESTED, NLA_TYPE_MASK};
pub use crate::error::{DecodeError, DecodeErrorKind, EncodeError, PathSegment};
pub use crate::schema::{
    AttrInfo, AttrKind, Checks, Schema, Selector, SubFormat, SubMessageSchema,
};

pub use ::core::assert;
pub use ::core::clone::Clone;
pub use ::core::default::Default;
pub use ::core::fmt;
pub use ::core::marker::{Copy, Sized};
pub use ::core::option::Option::{self, None, Some};
pub use ::core::result::Result::{self, Err, Ok};
pub use ::std::vec::Vec;

/// The error for a required attribute that did not appear.
#[cold]
pub fn missing(field: &'static str, id: u16) -> DecodeError {
    DecodeError::new(DecodeErrorKind::MissingAttribute { id }).in_segment(PathSegment::Field(field))
}

/// The error for an attribute id the set does not know (`deny_unknown`).
#[cold]
pub fn unknown(attr: &Attr<'_>) -> DecodeError {
    DecodeError::at(
        DecodeErrorKind::UnknownAttribute { id: attr.id() },
        attr.offset(),
    )
}

/// The path of an encode error in element `index` of multi-attribute field `field`.
#[cold]
pub fn multi_encode_error(e: EncodeError, field: &'static str, index: usize) -> EncodeError {
    e.in_segment(PathSegment::Index(index))
        .in_segment(PathSegment::Field(field))
}

/// The path of a decode error in element `index` of multi-attribute field `field`, whose
/// payload starts at byte `base`.
#[cold]
pub fn multi_decode_error(
    e: DecodeError,
    base: usize,
    field: &'static str,
    index: usize,
) -> DecodeError {
    e.within(PathSegment::Index(index), base)
        .in_segment(PathSegment::Field(field))
}

/// The path of a decode error in field `field`, whose payload starts at byte `base`.
#[cold]
pub fn field_decode_error(e: DecodeError, base: usize, field: &'static str) -> DecodeError {
    e.in_field(field, base)
}

/// The path of an encode error in field `field`.
#[cold]
pub fn field_encode_error(e: EncodeError, field: &'static str) -> EncodeError {
    e.in_field(field)
}

/// Write a flag attribute (empty payload) when `set`.
#[inline]
pub fn put_flag(w: &mut AttrWriter<'_>, id: u16, set: bool) -> Result<(), EncodeError> {
    if set { w.put_raw(id, &[]) } else { Ok(()) }
}

/// Decode a flag attribute: present means true; a payload is an error (as the kernel's
/// `NLA_FLAG` policy says).
#[inline]
pub fn get_flag(a: &Attr<'_>, field: &'static str) -> Result<bool, DecodeError> {
    if a.payload().is_empty() {
        Ok(true)
    } else {
        Err(bad_flag(a, field))
    }
}

#[cold]
fn bad_flag(a: &Attr<'_>, field: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::BadLength {
        expected: 0,
        got: a.payload().len(),
    })
    .in_field(field, a.payload_offset())
}

/// The error for a genl command that the message enum `ty` has no (decodable) variant for.
#[cold]
pub fn unknown_command(ty: &'static str, cmd: u8) -> DecodeError {
    DecodeError::new(DecodeErrorKind::UnknownCommand { cmd }).in_type(ty)
}

/// The body of the stub impls emitted next to a derive's compile errors: never compiled into a
/// program that runs, since the crate does not build.
#[cold]
pub fn derive_failed() -> ! {
    ::core::panic!("a netlink derive failed to expand; see the compile errors")
}

// -------------------------------------------------------------------------------------------
// The kind of a field in the schema. The kind of a field is `C::KIND` when codec `C`
// applies to the field type, found by path resolution: an inherent associated const (which
// wins when its bound holds) over the trait's default (`Unknown`). So a field whose type has no
// encoding gets no second error from the schema, only the one the encode impl reports.

/// Carries a codec and a field type to look up the field's [`AttrKind`].
pub struct KindOf<C: ?Sized, T: ?Sized>(::core::marker::PhantomData<fn() -> (*const C, *const T)>);

impl<C: ?Sized + EncodeCodec<T>, T: ?Sized> KindOf<C, T> {
    /// The codec's kind for `T`.
    pub const KIND: AttrKind = C::KIND;
}

/// The fallback of [`KindOf`]: nothing known.
pub trait KindFallback {
    const KIND: AttrKind = AttrKind::Unknown;
}
impl<C: ?Sized, T: ?Sized> KindFallback for KindOf<C, T> {}
