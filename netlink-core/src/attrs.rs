//! Attribute sets: the traits `#[derive(NlAttrs)]` implements.

use crate::attr::{Attr, AttrWriter};
use crate::attr::{IntValue, NlaEncode};
use crate::error::{DecodeError, EncodeError, PathSegment};
use crate::error::{DecodeErrorKind, EncodeErrorKind};
#[cfg(doc)]
use crate::schema::AttrKind;
use crate::schema::{Schema, Selector, SubMessageSchema};

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

/// A sub-message (YNL `sub-message`): a nest whose layout the value of a sibling attribute, its
/// selector, chooses (rt-link's `data` by `kind`: `"vlan"`, `"veth"`, ...). An enum with one
/// variant per selector value, each holding that layout's attribute set, and a fallback
/// variant keeping the bytes of the values it has no layout for. `#[derive(NlSubMessage)]`
/// implements it; a set's field holds it with `#[nla(id = N, selector = field)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sub-message",
    label = "needs `#[derive(NlSubMessage)]`",
    note = "a `selector` field holds an enum deriving `NlSubMessage`: one variant per selector value (`#[nla(kind = \"vlan\")] Vlan(VlanAttrs)`) and a fallback (`#[nla(unknown)] Other(Vec<u8>)`)"
)]
pub trait SubMessage: NlaEncode {
    /// The layouts, by selector value.
    const SCHEMA: SubMessageSchema;

    /// The selector value this value's variant stands for; `None` for the fallback.
    fn selector(&self) -> Option<Selector<'_>>;
}

/// A sub-message that can be read from bytes borrowed for `'a`, once its selector is known.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a decodable sub-message",
    label = "needs `#[derive(NlSubMessage)]`",
    note = "a `selector` field holds an enum deriving `NlSubMessage`"
)]
pub trait DecodeSubMessage<'a>: SubMessage + Sized {
    /// Decode `payload` in the layout `selector` chooses (the fallback for a value without
    /// one), at nesting depth `depth`.
    fn decode_sub(
        selector: Selector<'_>,
        payload: &'a [u8],
        depth: u32,
    ) -> Result<Self, DecodeError>;
}

/// The value of a selector field as a [`Selector`]: strings and integer-like values
/// ([`IntValue`]: integers, enums).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot select a sub-message's layout",
    label = "a selector is a string or an integer",
    note = "make the selector field a `String`, a `&str`, an integer, or a type implementing `IntValue`"
)]
pub trait AsSelector {
    /// The selector value.
    fn as_selector(&self) -> Selector<'_>;
}

impl AsSelector for str {
    fn as_selector(&self) -> Selector<'_> {
        Selector::Str(self)
    }
}
impl AsSelector for &str {
    fn as_selector(&self) -> Selector<'_> {
        Selector::Str(self)
    }
}
impl AsSelector for String {
    fn as_selector(&self) -> Selector<'_> {
        Selector::Str(self)
    }
}
impl<T: IntValue> AsSelector for T {
    fn as_selector(&self) -> Selector<'_> {
        Selector::Int(self.to_i128())
    }
}

/// Check a sub-message against its selector field before writing: the variant's value and
/// the field's must agree (the fallback: the field holds a value without a layout).
#[doc(hidden)]
pub fn check_selector<T: SubMessage + ?Sized, S: AsSelector + ?Sized>(
    msg: &T,
    selector: Option<&S>,
    field: &'static str,
    selector_name: &'static str,
) -> Result<(), EncodeError> {
    let fail = |kind| Err(EncodeError::new(kind).in_field(field));
    let Some(s) = selector.map(AsSelector::as_selector) else {
        return fail(EncodeErrorKind::MissingSelector {
            selector: selector_name,
        });
    };
    match msg.selector() {
        Some(v) if v == s => Ok(()),
        Some(v) => fail(EncodeErrorKind::SelectorMismatch {
            selector: selector_name,
            expected: format!("the layout for {v}"),
            got: s.to_string(),
        }),
        None if T::SCHEMA.format(s).is_some() => fail(EncodeErrorKind::SelectorMismatch {
            selector: selector_name,
            expected: "the fallback, for values without a layout".into(),
            got: s.to_string(),
        }),
        None => Ok(()),
    }
}

/// Decode a sub-message kept as `(payload, offset)` during the pass over its set, with the
/// selector read in the same pass (whatever their order on the wire).
#[doc(hidden)]
pub fn decode_sub<'a, T: DecodeSubMessage<'a>, S: AsSelector + ?Sized>(
    kept: Option<(&'a [u8], usize)>,
    selector: Option<&S>,
    depth: u32,
    field: &'static str,
    selector_name: &'static str,
) -> Result<Option<T>, DecodeError> {
    let Some((payload, offset)) = kept else {
        return Ok(None);
    };
    let Some(s) = selector else {
        return Err(DecodeError::new(DecodeErrorKind::MissingSelector {
            selector: selector_name,
        })
        .in_field(field, offset));
    };
    T::decode_sub(s.as_selector(), payload, depth)
        .map(Some)
        .map_err(|e| e.in_field(field, offset))
}
