//! Attribute sets: the traits `#[derive(NlAttrs)]` implements.

use crate::attr::{Attr, AttrWriter};
use crate::error::{DecodeError, EncodeError, PathSegment};
#[cfg(doc)]
use crate::schema::AttrKind;
use crate::schema::Schema;

/// What every attribute set knows about itself: its [`Schema`], the one description
/// `#[derive(NlAttrs)]` emits, from which names and error paths are computed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an attribute set",
    label = "needs `#[derive(NlAttrs)]`",
    note = "attribute sets are structs with `#[derive(NlAttrs)]`, one `#[nla(id = N)]` field per attribute; a field marked `nested` holds one (remove `nested` if it holds a value kind)"
)]
pub trait AttrSet {
    /// The set's attributes: ids, names, kinds, nested sets (see [`crate::schema`]).
    const SCHEMA: Schema;

    /// The type's name, the first segment of error paths (e.g. `Family`).
    const NAME: &'static str = Self::SCHEMA.name;

    /// [`SCHEMA`](Self::SCHEMA) as a `'static` reference (what [`AttrKind::Nested`] holds).
    fn schema() -> &'static Schema {
        &Self::SCHEMA
    }

    /// The field name of attribute `id`, if the set declares it.
    fn attr_name(id: u16) -> Option<&'static str> {
        Self::schema().attr_name(id)
    }

    /// Find which attribute of `buf` (an encoding of this set) covers byte `offset` and push
    /// its path ([`Schema::locate`]).
    fn locate(buf: &[u8], offset: usize, path: &mut Vec<PathSegment>) {
        let _ = Self::schema().locate(buf, offset, path);
    }
}

/// An attribute set that can be written.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an attribute set",
    label = "needs `#[derive(NlAttrs)]`",
    note = "attribute sets (and the sets a `GenlMessage` command variant holds) are structs with `#[derive(NlAttrs)]`; a command without attributes is a unit variant"
)]
pub trait EncodeAttrs: AttrSet {
    /// The encoded length of all attributes, padding included.
    fn attrs_len(&self) -> usize;
    /// Write all attributes; exactly [`attrs_len`](Self::attrs_len) bytes.
    fn write_attrs(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;
}

/// An attribute set that can be read from bytes borrowed for `'a`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a decodable attribute set",
    label = "needs `#[derive(NlAttrs)]`",
    note = "attribute sets (and the sets a `GenlMessage` command variant holds) are structs with `#[derive(NlAttrs)]`; a command without attributes is a unit variant"
)]
pub trait DecodeAttrs<'a>: AttrSet + Sized {
    /// Decode at nesting depth `depth` (0 at the top). Errors carry the field path below this
    /// set, but not the set's own name.
    fn decode_attrs_at(buf: &'a [u8], depth: u32) -> Result<Self, DecodeError>;

    /// Decode a buffer of attributes. Errors start their path with the set's name.
    #[inline]
    fn decode_attrs(buf: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_attrs_at(buf, 0).map_err(|e| e.in_type(Self::NAME))
    }
}

/// Attribute sets that own their data: decodable from any buffer (like serde's
/// `DeserializeOwned`).
pub trait DecodeAttrsOwned: for<'a> DecodeAttrs<'a> {}
impl<T: for<'a> DecodeAttrs<'a>> DecodeAttrsOwned for T {}

/// Encode an attribute set at the end of `buf` (a reused `Vec` does not reallocate once it is
/// large enough). Returns the number of bytes added.
pub fn encode_attrs_into_vec<T: EncodeAttrs + ?Sized>(
    value: &T,
    buf: &mut Vec<u8>,
) -> Result<usize, EncodeError> {
    let start = buf.len();
    let n = value.attrs_len();
    buf.resize(start.saturating_add(n), 0);
    let tail = buf.get_mut(start..).unwrap_or(&mut []);
    let mut w = AttrWriter::new(tail);
    let r = value.write_attrs(&mut w).map_err(|e| e.in_type(T::NAME));
    let written = w.position();
    buf.truncate(start + written);
    r.map(|()| written)
}

/// Encode an attribute set into a fixed buffer; a buffer too small is an error
/// ([`BufferTooSmall`](crate::EncodeErrorKind::BufferTooSmall), whose `needed` is the length
/// of the whole encoding, [`attrs_len`](EncodeAttrs::attrs_len)). Returns the number of bytes
/// written.
pub fn encode_attrs_into_slice<T: EncodeAttrs + ?Sized>(
    value: &T,
    buf: &mut [u8],
) -> Result<usize, EncodeError> {
    let mut w = AttrWriter::new(buf);
    value
        .write_attrs(&mut w)
        .map_err(|e| e.needing_total(value.attrs_len()).in_type(T::NAME))?;
    Ok(w.position())
}

/// Encode an attribute set into a new `Vec`.
pub fn attrs_to_vec<T: EncodeAttrs + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let mut v = Vec::with_capacity(value.attrs_len());
    encode_attrs_into_vec(value, &mut v)?;
    Ok(v)
}

/// Decode a nested set at `depth`, checking the depth bound.
#[doc(hidden)]
#[inline(always)]
pub fn nested_decode<'a, T: DecodeAttrs<'a>>(p: &'a [u8], depth: u32) -> Result<T, DecodeError> {
    crate::attr::check_depth(depth)?;
    T::decode_attrs_at(p, depth + 1)
}

/// Whether attribute `a` covers byte `offset` of the buffer it was read from (its header or its
/// payload; a header-only attribute covers its header).
#[inline]
pub(crate) fn covers(a: &Attr<'_>, offset: usize) -> bool {
    let end = a.payload_offset() + a.payload().len();
    offset >= a.offset() && offset < end.max(a.offset() + crate::consts::NLA_HDRLEN)
}
