//! Items used by code that `#[derive(NlAttrs)]` generates. Not a public API: no stability
//! promise, may change in any release.
#![allow(missing_docs)]

pub use crate::attr::codec::{
    Array, BigEndian, Codec, DecodeCodec, Fixed, Native, VarSint, VarUint,
};
pub use crate::attr::{
    Attr, AttrIter, AttrWriter, MAX_NEST_DEPTH, NlaDecode, NlaEncode, UnknownAttrs, attr_size,
    check_depth,
};
pub use crate::attrs::{
    AttrSet, DecodeAttrs, EncodeAttrs, locate_array, locate_flat, locate_nested, nested_decode,
};
pub use crate::consts::{NLA_F_NESTED, NLA_TYPE_MASK};
pub use crate::error::{DecodeError, DecodeErrorKind, EncodeError, PathSegment};

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

/// Write attribute `id` holding `v` with codec `C`; an error names `field`.
#[inline]
pub fn put<C: Codec<T>, T: ?Sized>(
    w: &mut AttrWriter<'_>,
    id: u16,
    v: &T,
    field: &'static str,
) -> Result<(), EncodeError> {
    C::put(id, v, w).map_err(|e| e.in_field(field))
}

/// Write a flag attribute (empty payload) when `set`.
#[inline]
pub fn put_flag(w: &mut AttrWriter<'_>, id: u16, set: bool) -> Result<(), EncodeError> {
    if set { w.put_raw(id, &[]) } else { Ok(()) }
}

/// Decode attribute `a` with codec `C`; an error names `field`.
#[inline]
pub fn get<'a, C: DecodeCodec<'a, T>, T>(
    a: &Attr<'a>,
    depth: u32,
    field: &'static str,
) -> Result<T, DecodeError> {
    C::decode(a.payload(), depth).map_err(|e| e.in_field(field, a.payload_offset()))
}

/// Decode one element of a multi-attribute field; an error names `field[index]`.
#[inline]
pub fn get_multi<'a, C: DecodeCodec<'a, T>, T>(
    a: &Attr<'a>,
    depth: u32,
    field: &'static str,
    index: usize,
) -> Result<T, DecodeError> {
    C::decode(a.payload(), depth).map_err(|e| {
        e.within(PathSegment::Index(index), a.payload_offset())
            .in_segment(PathSegment::Field(field))
    })
}

/// Write each element of a multi-attribute field as attribute `id`.
#[inline]
pub fn put_multi<C: Codec<T>, T>(
    w: &mut AttrWriter<'_>,
    id: u16,
    v: &[T],
    field: &'static str,
) -> Result<(), EncodeError> {
    for (i, e) in v.iter().enumerate() {
        C::put(id, e, w).map_err(|e| {
            e.in_segment(PathSegment::Index(i))
                .in_segment(PathSegment::Field(field))
        })?;
    }
    Ok(())
}

/// The on-wire size of a multi-attribute field.
#[inline]
pub fn multi_len<C: Codec<T>, T>(v: &[T]) -> usize {
    v.iter().map(C::attr_len).sum()
}
