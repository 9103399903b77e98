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
pub use crate::attrs::{AttrSet, DecodeAttrs, EncodeAttrs, nested_decode};
pub use crate::consts::{NLA_F_NESTED, NLA_TYPE_MASK};
pub use crate::error::{DecodeError, DecodeErrorKind, EncodeError, PathSegment};
pub use crate::schema::{AttrInfo, AttrKind, Schema};

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

/// Bound check for `#[nla(nested)]`: the field's type must be an attribute set.
#[inline(always)]
pub fn require_attr_set<T: ?Sized + IsAttrSet>() {}

/// Attribute sets, for the `nested` bound check (with a message that says what to do).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an attribute set, but the field is marked `nested`",
    label = "not an attribute set",
    note = "derive `NlAttrs` for `{Self}`, or remove `nested` if it is a value kind"
)]
pub trait IsAttrSet {}
#[diagnostic::do_not_recommend]
impl<T: ?Sized + AttrSet> IsAttrSet for T {}

/// How the derive writes a field: [`Codec`] with the field name in errors. Generated code calls
/// it (rather than `Codec`) so that a field type with no encoding gets one clear error.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be written as an attribute",
    label = "no attribute encoding for this type with these options",
    note = "a field holds an integer, a string, bytes, an attribute set (derive `NlAttrs`) or a value kind (implement `NlaEncode` and `NlaDecode`); `big_endian`, `uint` and `sint` apply to integers, `fixed` to zerocopy structs"
)]
pub trait EncodeField<T: ?Sized> {
    /// The on-wire size of attribute holding `v`.
    fn attr_len(v: &T) -> usize;
    /// Write attribute `id` holding `v`; an error names `field`.
    fn put(w: &mut AttrWriter<'_>, id: u16, v: &T, field: &'static str) -> Result<(), EncodeError>;
    /// The on-wire size of a multi-attribute field.
    fn multi_len(v: &[T]) -> usize
    where
        T: Sized;
    /// Write each element as attribute `id`; an error names `field[index]`.
    fn put_multi(
        w: &mut AttrWriter<'_>,
        id: u16,
        v: &[T],
        field: &'static str,
    ) -> Result<(), EncodeError>
    where
        T: Sized;
}
#[diagnostic::do_not_recommend]
impl<C: Codec<T>, T: ?Sized> EncodeField<T> for C {
    #[inline]
    fn attr_len(v: &T) -> usize {
        C::attr_len(v)
    }
    #[inline]
    fn put(w: &mut AttrWriter<'_>, id: u16, v: &T, field: &'static str) -> Result<(), EncodeError> {
        put::<C, T>(w, id, v, field)
    }
    #[inline]
    fn multi_len(v: &[T]) -> usize
    where
        T: Sized,
    {
        multi_len::<C, T>(v)
    }
    #[inline]
    fn put_multi(
        w: &mut AttrWriter<'_>,
        id: u16,
        v: &[T],
        field: &'static str,
    ) -> Result<(), EncodeError>
    where
        T: Sized,
    {
        put_multi::<C, T>(w, id, v, field)
    }
}

/// How the derive reads a field: [`DecodeCodec`] with the field path in errors.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be read from an attribute",
    label = "no attribute decoding for this type with these options",
    note = "a field holds an integer, a string, bytes, an attribute set (derive `NlAttrs`) or a value kind (implement `NlaEncode` and `NlaDecode`); `big_endian`, `uint` and `sint` apply to integers, `fixed` to zerocopy structs"
)]
pub trait DecodeField<'a, T> {
    /// Decode attribute `a`; an error names `field`.
    fn get(a: &Attr<'a>, depth: u32, field: &'static str) -> Result<T, DecodeError>;
    /// Decode element `index` of a multi-attribute field.
    fn get_multi(
        a: &Attr<'a>,
        depth: u32,
        field: &'static str,
        index: usize,
    ) -> Result<T, DecodeError>;
}
#[diagnostic::do_not_recommend]
impl<'a, C: DecodeCodec<'a, T>, T> DecodeField<'a, T> for C {
    #[inline]
    fn get(a: &Attr<'a>, depth: u32, field: &'static str) -> Result<T, DecodeError> {
        get::<C, T>(a, depth, field)
    }
    #[inline]
    fn get_multi(
        a: &Attr<'a>,
        depth: u32,
        field: &'static str,
        index: usize,
    ) -> Result<T, DecodeError> {
        get_multi::<C, T>(a, depth, field, index)
    }
}

// -------------------------------------------------------------------------------------------
// The kind of a field in the schema. The kind of a field is `C::KIND` when codec `C`
// applies to the field type, found by path resolution: an inherent associated const (which
// wins when its bound holds) over the trait's default (`Unknown`). So a field whose type has no
// encoding gets no second error from the schema, only the one the encode impl reports.

/// Carries a codec and a field type to look up the field's [`AttrKind`].
pub struct KindOf<C: ?Sized, T: ?Sized>(::core::marker::PhantomData<fn() -> (*const C, *const T)>);

impl<C: ?Sized + Codec<T>, T: ?Sized> KindOf<C, T> {
    /// The codec's kind for `T`.
    pub const KIND: AttrKind = C::KIND;
}

/// The fallback of [`KindOf`]: nothing known.
pub trait KindFallback {
    const KIND: AttrKind = AttrKind::Unknown;
}
impl<C: ?Sized, T: ?Sized> KindFallback for KindOf<C, T> {}
