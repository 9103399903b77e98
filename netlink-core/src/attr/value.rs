//! The value traits ([`NlaEncode`], [`NlaDecode`]) and their impls for every attribute kind of
//! the design, plus the codecs that the derive selects with field options.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::{Attr, AttrIter, AttrWriter, MAX_NEST_DEPTH};
use crate::consts::{NLA_F_NESTED, NLA_MAX_PAYLOAD, NLA_TYPE_MASK};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, PathSegment};
use crate::schema::AttrKind;

/// A type that can be the payload of an attribute.
///
/// The payload length is known before anything is written ([`payload_len`](Self::payload_len)),
/// so a whole message is sized up front and written in one pass.
///
/// Implement it (with [`NlaDecode`]) for your own kinds, e.g. an enum carried as a `u32`:
///
/// ```
/// use netlink_genl_core::attr::{AttrWriter, NlaDecode, NlaEncode};
/// use netlink_genl_core::{DecodeError, DecodeErrorKind, EncodeError};
///
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Duplex { Half, Full }
///
/// impl NlaEncode for Duplex {
///     fn payload_len(&self) -> usize { 1 }
///     fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
///         (*self as u8).write_payload(w)
///     }
/// }
/// impl<'a> NlaDecode<'a> for Duplex {
///     fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
///         match u8::decode_payload(p)? {
///             0 => Ok(Duplex::Half),
///             1 => Ok(Duplex::Full),
///             v => Err(DecodeErrorKind::InvalidValue { value: v.into(), ty: "Duplex" }.into()),
///         }
///     }
/// }
/// assert_eq!(Duplex::decode_payload(&[1]).unwrap(), Duplex::Full);
/// assert!(Duplex::decode_payload(&[7]).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no netlink attribute encoding",
    label = "not an attribute payload kind",
    note = "implement `NlaEncode` (and `NlaDecode`) for it, `#[derive(NlAttrs)]` it if it is an attribute set, or pick a kind with a field option (`fixed`, `big_endian`, `array`, ...)"
)]
pub trait NlaEncode {
    /// Whether the attribute header gets `NLA_F_NESTED` (true for attribute sets and arrays).
    const NESTED: bool = false;
    /// How the `NETLINK_DEBUG` trace shows the payload ([`crate::debug`]). The default,
    /// [`AttrKind::Unknown`], shows an annotated guess; override it to name your kind, e.g.
    /// `const KIND: AttrKind = AttrKind::U8;` for an enum carried as a `u8`.
    const KIND: AttrKind = AttrKind::Unknown;
    /// The payload length in bytes, without header or padding.
    fn payload_len(&self) -> usize;
    /// Write exactly [`payload_len`](Self::payload_len) bytes of payload.
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;
}

/// A type that can be read from an attribute payload borrowed for `'a`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no netlink attribute decoding",
    label = "not an attribute payload kind",
    note = "implement `NlaDecode` (and `NlaEncode`) for it, `#[derive(NlAttrs)]` it if it is an attribute set, or pick a kind with a field option (`fixed`, `big_endian`, `array`, ...)"
)]
pub trait NlaDecode<'a>: Sized {
    /// Decode from the payload (header and padding already stripped).
    fn decode_payload(payload: &'a [u8]) -> Result<Self, DecodeError>;

    /// Decode at nesting depth `depth`. Nested kinds check it against
    /// [`MAX_NEST_DEPTH`](super::MAX_NEST_DEPTH) and pass `depth + 1` inwards; leaf kinds ignore it.
    #[inline]
    fn decode_payload_at(payload: &'a [u8], depth: u32) -> Result<Self, DecodeError> {
        let _ = depth;
        Self::decode_payload(payload)
    }
}

/// The full on-wire size of an attribute with a payload of `payload_len` bytes: header, payload
/// and padding.
#[inline]
pub const fn attr_size(payload_len: usize) -> usize {
    crate::consts::align(payload_len.saturating_add(crate::consts::NLA_HDRLEN))
}

#[cold]
fn bad_len(expected: usize, got: usize) -> DecodeError {
    DecodeErrorKind::BadLength { expected, got }.into()
}

/// The error for nesting past [`MAX_NEST_DEPTH`].
#[cold]
pub fn too_deep() -> DecodeError {
    DecodeErrorKind::TooDeep {
        limit: MAX_NEST_DEPTH,
    }
    .into()
}

/// Check the depth bound before descending into a nest (an error at [`MAX_NEST_DEPTH`] or deeper).
#[inline]
pub fn check_depth(depth: u32) -> Result<(), DecodeError> {
    if depth >= MAX_NEST_DEPTH {
        Err(too_deep())
    } else {
        Ok(())
    }
}

macro_rules! int_impls {
    ($($t:ty => $k:ident),*) => {$(
        impl NlaEncode for $t {
            const KIND: AttrKind = AttrKind::$k;
            #[inline]
            fn payload_len(&self) -> usize { core::mem::size_of::<$t>() }
            #[inline]
            fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
                w.put_bytes(&self.to_ne_bytes())
            }
        }
        impl<'a> NlaDecode<'a> for $t {
            #[inline]
            fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
                match <[u8; core::mem::size_of::<$t>()]>::try_from(p) {
                    Ok(b) => Ok(<$t>::from_ne_bytes(b)),
                    Err(_) => Err(bad_len(core::mem::size_of::<$t>(), p.len())),
                }
            }
        }
    )*};
}
int_impls!(u8 => U8, u16 => U16, u32 => U32, u64 => U64, i8 => I8, i16 => I16, i32 => I32, i64 => I64);

/// `bool` without `flag` is a `u8` (0 or 1 on encode; any non-zero is true on decode).
impl NlaEncode for bool {
    const KIND: AttrKind = AttrKind::U8;
    #[inline]
    fn payload_len(&self) -> usize {
        1
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(&[*self as u8])
    }
}
impl<'a> NlaDecode<'a> for bool {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        u8::decode_payload(p).map(|v| v != 0)
    }
}

#[cold]
fn interior_nul(offset: usize) -> EncodeError {
    EncodeErrorKind::InteriorNul { offset }.into()
}

/// The payload length of a string of `len` bytes: with its NUL, except at exactly the payload
/// limit, where the string fills the payload and has none.
#[inline]
fn string_payload_len(len: usize) -> usize {
    if len == NLA_MAX_PAYLOAD {
        len
    } else {
        len.saturating_add(1)
    }
}

/// Strings are written with a terminating NUL. A string holding a NUL byte is an
/// [`EncodeErrorKind::InteriorNul`] error: the kernel would read it as ending at that NUL.
///
/// At the size limit (an attribute payload is at most 65,531 bytes): a string of up to 65,530
/// bytes is written with its NUL; one of exactly 65,531 bytes fills the payload and is written
/// without it (as the kernel may send it, and as decoding accepts it, so everything decoded
/// encodes back to the same bytes; a kernel policy of `NLA_NUL_STRING` refuses it, one of
/// `NLA_STRING` takes it); a longer one is a
/// [`PayloadTooLarge`](EncodeErrorKind::PayloadTooLarge) error.
impl NlaEncode for str {
    const KIND: AttrKind = AttrKind::String;
    #[inline]
    fn payload_len(&self) -> usize {
        string_payload_len(self.len())
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        if let Some(offset) = self.bytes().position(|b| b == 0) {
            return Err(interior_nul(offset));
        }
        if self.len() == NLA_MAX_PAYLOAD {
            return w.put_bytes(self.as_bytes());
        }
        let out = w.reserve(self.len() + 1)?;
        if let Some((last, body)) = out.split_last_mut() {
            body.copy_from_slice(self.as_bytes());
            *last = 0;
        }
        Ok(())
    }
}
impl NlaEncode for String {
    const KIND: AttrKind = AttrKind::String;
    #[inline]
    fn payload_len(&self) -> usize {
        self.as_str().payload_len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        self.as_str().write_payload(w)
    }
}

/// The string part of a payload: up to the first NUL, or all of it when there is none.
#[inline]
fn str_bytes(p: &[u8]) -> &[u8] {
    match p.iter().position(|&b| b == 0) {
        Some(i) => p.get(..i).unwrap_or(p),
        None => p,
    }
}

/// Decodes with or without the terminating NUL (the string ends at the first NUL); invalid
/// UTF-8 is an error. A payload of 65,531 bytes without a NUL (the most an attribute holds)
/// is a 65,531-byte string, which encodes back without a NUL (see `impl NlaEncode for str`).
impl<'a> NlaDecode<'a> for &'a str {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        core::str::from_utf8(str_bytes(p)).map_err(|e| DecodeErrorKind::Utf8(e).into())
    }
}
impl<'a> NlaDecode<'a> for String {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        <&str>::decode_payload(p).map(String::from)
    }
}
impl NlaEncode for &str {
    const KIND: AttrKind = AttrKind::String;
    #[inline]
    fn payload_len(&self) -> usize {
        (**self).payload_len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        (**self).write_payload(w)
    }
}

/// Binary payloads are copied as they are.
impl NlaEncode for [u8] {
    const KIND: AttrKind = AttrKind::Binary;
    #[inline]
    fn payload_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self)
    }
}
impl NlaEncode for &[u8] {
    const KIND: AttrKind = AttrKind::Binary;
    #[inline]
    fn payload_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self)
    }
}
impl NlaEncode for Vec<u8> {
    const KIND: AttrKind = AttrKind::Binary;
    #[inline]
    fn payload_len(&self) -> usize {
        self.len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self)
    }
}
impl<const N: usize> NlaEncode for [u8; N] {
    const KIND: AttrKind = AttrKind::Binary;
    #[inline]
    fn payload_len(&self) -> usize {
        N
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self)
    }
}
impl<'a> NlaDecode<'a> for &'a [u8] {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(p)
    }
}
impl<'a> NlaDecode<'a> for Vec<u8> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(p.to_vec())
    }
}
/// `[u8; N]` needs exactly `N` bytes.
impl<'a, const N: usize> NlaDecode<'a> for [u8; N] {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        <[u8; N]>::try_from(p).map_err(|_| bad_len(N, p.len()))
    }
}

/// IPv4 addresses are 4 bytes in network order (e.g. mptcp `addr4`).
impl NlaEncode for Ipv4Addr {
    const KIND: AttrKind = AttrKind::Ipv4;
    #[inline]
    fn payload_len(&self) -> usize {
        4
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(&self.octets())
    }
}
impl<'a> NlaDecode<'a> for Ipv4Addr {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        <[u8; 4]>::decode_payload(p).map(Ipv4Addr::from)
    }
}
/// IPv6 addresses are 16 bytes in network order.
impl NlaEncode for Ipv6Addr {
    const KIND: AttrKind = AttrKind::Ipv6;
    #[inline]
    fn payload_len(&self) -> usize {
        16
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(&self.octets())
    }
}
impl<'a> NlaDecode<'a> for Ipv6Addr {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        <[u8; 16]>::decode_payload(p).map(Ipv6Addr::from)
    }
}

/// `Box<T>` is `T` (lets attribute sets be recursive).
impl<T: NlaEncode + ?Sized> NlaEncode for Box<T> {
    const NESTED: bool = T::NESTED;
    const KIND: AttrKind = T::KIND;
    #[inline]
    fn payload_len(&self) -> usize {
        (**self).payload_len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        (**self).write_payload(w)
    }
}
impl<'a, T: NlaDecode<'a>> NlaDecode<'a> for Box<T> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        T::decode_payload(p).map(Box::new)
    }
    #[inline]
    fn decode_payload_at(p: &'a [u8], depth: u32) -> Result<Self, DecodeError> {
        T::decode_payload_at(p, depth).map(Box::new)
    }
}

/// `NLA_BITFIELD32`: a value and a selector saying which bits of the value are meaningful.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BitField32 {
    /// The bits' values.
    pub value: u32,
    /// Which bits of `value` are set or cleared.
    pub selector: u32,
}

impl NlaEncode for BitField32 {
    const KIND: AttrKind = AttrKind::Bitfield32;
    #[inline]
    fn payload_len(&self) -> usize {
        8
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        self.value.write_payload(w)?;
        self.selector.write_payload(w)
    }
}
impl<'a> NlaDecode<'a> for BitField32 {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        let b: [u8; 8] = p.try_into().map_err(|_| bad_len(8, p.len()))?;
        let [v0, v1, v2, v3, s0, s1, s2, s3] = b;
        Ok(BitField32 {
            value: u32::from_ne_bytes([v0, v1, v2, v3]),
            selector: u32::from_ne_bytes([s0, s1, s2, s3]),
        })
    }
}

/// A key of a keyed nest (YNL `nest-type-value`): the attribute type of each entry.
pub trait NlaKey: Sized {
    /// The attribute type for this key (at most 0x3fff; larger keys are an encode error).
    fn to_key(&self) -> u64;
    /// The key for an attribute type.
    fn from_key(ty: u16) -> Result<Self, DecodeError>;
}
macro_rules! key_impls {
    ($($t:ty),*) => {$(
        impl NlaKey for $t {
            #[inline]
            fn to_key(&self) -> u64 { *self as u64 }
            #[inline]
            fn from_key(ty: u16) -> Result<Self, DecodeError> {
                <$t>::try_from(ty).map_err(|_| {
                    DecodeErrorKind::InvalidValue { value: ty.into(), ty: stringify!($t) }.into()
                })
            }
        }
    )*};
}
key_impls!(u8, u16, u32, u64, usize);

#[inline]
fn key_type(k: u64) -> Result<u16, EncodeError> {
    if k > NLA_TYPE_MASK as u64 {
        return Err(EncodeError::new(EncodeErrorKind::Custom(
            format!("key {k} does not fit the 14-bit attribute type").into(),
        ))
        .in_segment(PathSegment::Key(k)));
    }
    Ok(k as u16)
}

/// A keyed nest (YNL `nest-type-value`) as a value kind: [`Keyed`] with each value's own
/// encoding.
impl<K: NlaKey, V: NlaEncode> NlaEncode for Vec<(K, V)> {
    const NESTED: bool = true;
    const KIND: AttrKind = <Keyed as EncodeCodec<Self>>::KIND;
    #[inline]
    fn payload_len(&self) -> usize {
        <Keyed as EncodeCodec<Self>>::payload_len(self)
    }
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        <Keyed as EncodeCodec<Self>>::write_payload(self, w)
    }
}
impl<'a, K: NlaKey, V: NlaDecode<'a>> NlaDecode<'a> for Vec<(K, V)> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_payload_at(p, 0)
    }
    fn decode_payload_at(p: &'a [u8], depth: u32) -> Result<Self, DecodeError> {
        <Keyed as DecodeCodec<'a, Self>>::decode(p, depth)
    }
}

/// A keyed nest as a map, as a value kind: [`Keyed`] with each value's own encoding.
impl<K: NlaKey + Ord, V: NlaEncode> NlaEncode for BTreeMap<K, V> {
    const NESTED: bool = true;
    const KIND: AttrKind = <Keyed as EncodeCodec<Self>>::KIND;
    #[inline]
    fn payload_len(&self) -> usize {
        <Keyed as EncodeCodec<Self>>::payload_len(self)
    }
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        <Keyed as EncodeCodec<Self>>::write_payload(self, w)
    }
}
impl<'a, K: NlaKey + Ord, V: NlaDecode<'a>> NlaDecode<'a> for BTreeMap<K, V> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_payload_at(p, 0)
    }
    fn decode_payload_at(p: &'a [u8], depth: u32) -> Result<Self, DecodeError> {
        <Keyed as DecodeCodec<'a, Self>>::decode(p, depth)
    }
}

/// An attribute kept as it arrived (type with flag bits, payload), e.g. by `#[nla(unknown)]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedAttr {
    /// The raw `nla_type`, flag bits included.
    pub ty: u16,
    /// The payload.
    pub payload: Vec<u8>,
}

impl OwnedAttr {
    /// The attribute id (flag bits masked).
    pub fn id(&self) -> u16 {
        self.ty & NLA_TYPE_MASK
    }
}

impl From<Attr<'_>> for OwnedAttr {
    fn from(a: Attr<'_>) -> Self {
        OwnedAttr {
            ty: a.raw_type(),
            payload: a.payload().to_vec(),
        }
    }
}

/// A collection that keeps the attributes a set does not know (`#[nla(unknown)]`), so they
/// round-trip: they are written back after the known ones, with their original flag bits.
pub trait UnknownAttrs<'a> {
    /// Keep one unknown attribute.
    fn push_unknown(&mut self, attr: Attr<'a>);
    /// The on-wire size of the kept attributes.
    fn unknown_len(&self) -> usize;
    /// Write the kept attributes.
    fn write_unknown(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;
}

impl<'a> UnknownAttrs<'a> for Vec<OwnedAttr> {
    #[inline]
    fn push_unknown(&mut self, attr: Attr<'a>) {
        self.push(attr.into());
    }
    fn unknown_len(&self) -> usize {
        self.iter().map(|a| attr_size(a.payload.len())).sum()
    }
    fn write_unknown(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        self.iter().try_for_each(|a| w.put_raw(a.ty, &a.payload))
    }
}

impl<'a> UnknownAttrs<'a> for Vec<Attr<'a>> {
    #[inline]
    fn push_unknown(&mut self, attr: Attr<'a>) {
        self.push(attr);
    }
    fn unknown_len(&self) -> usize {
        self.iter().map(|a| attr_size(a.payload().len())).sum()
    }
    fn write_unknown(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        self.iter()
            .try_for_each(|a| w.put_raw(a.raw_type(), a.payload()))
    }
}

/// A nested attribute set kept undecoded: borrow it now, iterate it later. Encodes back as the
/// same bytes, with `NLA_F_NESTED`.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct RawAttrs<'a> {
    bytes: &'a [u8],
}

impl<'a> RawAttrs<'a> {
    /// Wrap the payload of a nest.
    pub fn new(bytes: &'a [u8]) -> Self {
        RawAttrs { bytes }
    }
    /// The raw bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// Iterate the attributes.
    pub fn iter(&self) -> AttrIter<'a> {
        AttrIter::new(self.bytes)
    }
}

impl fmt::Debug for RawAttrs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = f.debug_list();
        for a in self.iter() {
            match a {
                Ok(a) => l.entry(&format_args!("{}: {:02x?}", a.id(), a.payload())),
                Err(e) => l.entry(&format_args!("<{e}>")),
            };
        }
        l.finish()
    }
}

impl NlaEncode for RawAttrs<'_> {
    const NESTED: bool = true;
    #[inline]
    fn payload_len(&self) -> usize {
        self.bytes.len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self.bytes)
    }
}
impl<'a> NlaDecode<'a> for RawAttrs<'a> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(RawAttrs { bytes: p })
    }
}

/// An indexed array (YNL `indexed-array`) decoded lazily: no allocation, each element decoded
/// when iterated. Encodes back as the same bytes.
///
/// ```
/// use netlink_genl_core::attr::{ArrayView, NlaDecode};
/// // nest entries 1 and 2, each a u32
/// let payload = [8, 0, 1, 0, 10, 0, 0, 0, 8, 0, 2, 0, 20, 0, 0, 0];
/// let arr = ArrayView::<u32>::decode_payload(&payload).unwrap();
/// let v: Result<Vec<u32>, _> = arr.iter().collect();
/// assert_eq!(v.unwrap(), [10, 20]);
/// ```
pub struct ArrayView<'a, T> {
    bytes: &'a [u8],
    depth: u32,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for ArrayView<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for ArrayView<'_, T> {}
impl<T> PartialEq for ArrayView<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<'a, T: NlaDecode<'a>> ArrayView<'a, T> {
    /// Wrap the payload of an indexed-array nest.
    pub fn new(bytes: &'a [u8]) -> Self {
        ArrayView {
            bytes,
            depth: 0,
            _t: PhantomData,
        }
    }
    /// The raw bytes of the nest's payload.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// Decode the elements one by one, in wire order. The iterator's
    /// [`size_hint`](Iterator::size_hint) is exact (it counts the headers once, the first time
    /// it is asked), so collecting allocates once.
    pub fn iter(&self) -> ArrayIter<'a, T> {
        ArrayIter {
            inner: AttrIter::new(self.bytes),
            index: 0,
            depth: self.depth,
            total: AtomicUsize::new(NOT_COUNTED),
            _t: PhantomData,
        }
    }
    /// Decode every element, in wire order, into a `Vec` sized once from the number of
    /// entries (bounded by the input, guide §9); the first error ends it. What
    /// `iter().collect::<Result<Vec<T>, _>>()` does, without the reallocations: `Result`'s
    /// `collect` cannot use the iterator's exact [`size_hint`](Iterator::size_hint).
    ///
    /// ```
    /// use netlink_genl_core::attr::{ArrayView, NlaDecode};
    /// let payload = [8, 0, 1, 0, 10, 0, 0, 0, 8, 0, 2, 0, 20, 0, 0, 0];
    /// let arr = ArrayView::<u32>::decode_payload(&payload)?;
    /// assert_eq!(arr.to_vec()?, [10, 20]);
    /// # Ok::<(), netlink_genl_core::DecodeError>(())
    /// ```
    pub fn to_vec(&self) -> Result<Vec<T>, DecodeError> {
        let it = self.iter();
        let mut out = Vec::with_capacity(bounded_capacity::<T>(it.len(), self.bytes.len()));
        for e in it {
            out.push(e?);
        }
        Ok(out)
    }
    /// Number of entries (walks the headers).
    pub fn len(&self) -> usize {
        AttrIter::new(self.bytes).count()
    }
    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl<'a, T: NlaDecode<'a> + fmt::Debug> fmt::Debug for ArrayView<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = f.debug_list();
        for e in self.iter() {
            match e {
                Ok(v) => l.entry(&v),
                Err(e) => l.entry(&format_args!("<{e}>")),
            };
        }
        l.finish()
    }
}

/// How many bytes of memory a decoder reserves up front per byte of input, at most, for the
/// elements of an array it has counted but not decoded yet (guide §9).
pub(crate) const RESERVE_PER_INPUT_BYTE: usize = 4;

/// The capacity to reserve for `count` elements of `T` read from `bytes` bytes of input: all of
/// them when that takes at most [`RESERVE_PER_INPUT_BYTE`] bytes of memory per byte of input
/// (so ordinary arrays are sized once), else as many as fit, and the `Vec` grows as elements
/// actually decode (so entries that fail to decode, or elements much larger in memory than on
/// the wire, cannot make a small input reserve much memory).
#[inline]
pub(crate) fn bounded_capacity<T>(count: usize, bytes: usize) -> usize {
    match core::mem::size_of::<T>() {
        0 => count,
        size => count.min(bytes.saturating_mul(RESERVE_PER_INPUT_BYTE) / size),
    }
}

/// `ArrayIter::total` before the headers are counted.
const NOT_COUNTED: usize = usize::MAX;

/// Iterator of [`ArrayView`]: one item per entry (an element or its decode error), or one
/// error item for a malformed header, after which it ends. Its length is exact.
pub struct ArrayIter<'a, T> {
    inner: AttrIter<'a>,
    /// Entries yielded so far (a header error, which ends the iteration, is not counted).
    index: usize,
    depth: u32,
    /// How many items the iterator yields in all, counted from the headers the first time
    /// `size_hint` is asked (an atomic so that the iterator stays `Sync`), or `NOT_COUNTED`.
    total: AtomicUsize,
    _t: PhantomData<fn() -> T>,
}

impl<T> ArrayIter<'_, T> {
    /// Items not yet yielded: one per header left, an error counting as one.
    fn remaining(&self) -> usize {
        if self.inner.remaining().is_empty() {
            return 0;
        }
        // Until a header error (which empties `inner`), every item yielded counted in `index`.
        let total = match self.total.load(Relaxed) {
            NOT_COUNTED => {
                let t = self.index.saturating_add(self.inner.clone().count());
                self.total.store(t, Relaxed);
                t
            }
            t => t,
        };
        total.saturating_sub(self.index)
    }
}

impl<'a, T: NlaDecode<'a>> Iterator for ArrayIter<'a, T> {
    type Item = Result<T, DecodeError>;
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        let a = match self.inner.next()? {
            Ok(a) => a,
            Err(e) => return Some(Err(e)),
        };
        let i = self.index;
        self.index += 1;
        Some(
            T::decode_payload_at(a.payload(), self.depth + 1)
                .map_err(|e| e.within(PathSegment::Index(i), a.payload_offset())),
        )
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.remaining();
        (n, Some(n))
    }
}

impl<'a, T: NlaDecode<'a>> ExactSizeIterator for ArrayIter<'a, T> {}
impl<'a, T: NlaDecode<'a>> core::iter::FusedIterator for ArrayIter<'a, T> {}

/// The trace shows an indexed array whose elements it guesses: the impl has no `NlaEncode`
/// bound on `T` to take the element kind from (a derived set's `array` field names it).
impl<T> NlaEncode for ArrayView<'_, T> {
    const NESTED: bool = true;
    const KIND: AttrKind = AttrKind::Array(&AttrKind::Unknown);
    #[inline]
    fn payload_len(&self) -> usize {
        self.bytes.len()
    }
    #[inline]
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(self.bytes)
    }
}
impl<'a, T: NlaDecode<'a>> NlaDecode<'a> for ArrayView<'a, T> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(ArrayView::new(p))
    }
    #[inline]
    fn decode_payload_at(p: &'a [u8], depth: u32) -> Result<Self, DecodeError> {
        check_depth(depth)?;
        Ok(ArrayView {
            bytes: p,
            depth,
            _t: PhantomData,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Codecs: chosen by the derive from field options.

/// How a value of type `T` is written as an attribute payload: the write half of a codec, whose
/// read half is [`DecodeCodec`]. `#[derive(NlAttrs)]` picks the codec from the field's options
/// ([`Native`]: the type's own [`NlaEncode`]; [`BigEndian`], [`VarUint`], [`VarSint`],
/// [`Fixed`], [`Array`], [`Keyed`]) and calls it directly.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be written as an attribute with codec `{Self}`",
    label = "no attribute encoding for this type with these options",
    note = "a field holds an integer, a string, bytes, an attribute set (derive `NlAttrs`) or a value kind (implement `NlaEncode` and `NlaDecode`); `big_endian`, `uint` and `sint` apply to integers, `fixed` to zerocopy structs"
)]
pub trait EncodeCodec<T: ?Sized> {
    /// Whether the attribute header gets `NLA_F_NESTED`.
    const NESTED: bool;
    /// How the `NETLINK_DEBUG` trace shows the payload ([`crate::debug`]).
    const KIND: AttrKind = AttrKind::Unknown;
    /// The payload length of `v`.
    fn payload_len(v: &T) -> usize;
    /// Write the payload of `v`.
    fn write_payload(v: &T, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;

    /// Write a whole attribute `id` holding `v`.
    #[inline]
    fn put(id: u16, v: &T, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        let a = w.begin_attr(if Self::NESTED { id | NLA_F_NESTED } else { id })?;
        Self::write_payload(v, w)?;
        w.end_attr(a)
    }
    /// The on-wire size of a whole attribute holding `v`.
    #[inline]
    fn attr_len(v: &T) -> usize {
        attr_size(Self::payload_len(v))
    }
}

/// How a value of type `T` is read from an attribute payload borrowed for `'a`: the read half
/// of a codec, whose write half is [`EncodeCodec`].
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be read from an attribute with codec `{Self}`",
    label = "no attribute decoding for this type with these options",
    note = "a field holds an integer, a string, bytes, an attribute set (derive `NlAttrs`) or a value kind (implement `NlaEncode` and `NlaDecode`); `big_endian`, `uint` and `sint` apply to integers, `fixed` to zerocopy structs"
)]
pub trait DecodeCodec<'a, T> {
    /// Decode `payload` at nesting depth `depth`.
    fn decode(payload: &'a [u8], depth: u32) -> Result<T, DecodeError>;
}

/// The type's own [`NlaEncode`]/[`NlaDecode`] impl (no option, or `nested`, `keyed`).
pub struct Native;
impl<T: NlaEncode + ?Sized> EncodeCodec<T> for Native {
    const NESTED: bool = T::NESTED;
    const KIND: AttrKind = T::KIND;
    #[inline]
    fn payload_len(v: &T) -> usize {
        v.payload_len()
    }
    #[inline]
    fn write_payload(v: &T, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        v.write_payload(w)
    }
}
impl<'a, T: NlaDecode<'a>> DecodeCodec<'a, T> for Native {
    #[inline]
    fn decode(payload: &'a [u8], depth: u32) -> Result<T, DecodeError> {
        T::decode_payload_at(payload, depth)
    }
}

/// Network byte order (`big_endian`).
pub struct BigEndian;
macro_rules! be_impls {
    ($($t:ty => $k:ident),*) => {$(
        impl EncodeCodec<$t> for BigEndian {
            const NESTED: bool = false;
            const KIND: AttrKind = AttrKind::$k;
            #[inline]
            fn payload_len(_: &$t) -> usize { core::mem::size_of::<$t>() }
            #[inline]
            fn write_payload(v: &$t, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
                w.put_bytes(&v.to_be_bytes())
            }
        }
        impl<'a> DecodeCodec<'a, $t> for BigEndian {
            #[inline]
            fn decode(p: &'a [u8], _: u32) -> Result<$t, DecodeError> {
                <$t>::decode_payload(p).map(<$t>::from_be)
            }
        }
    )*};
}
be_impls!(u8 => U8, u16 => Be16, u32 => Be32, u64 => Be64, i8 => I8, i16 => Be16, i32 => Be32, i64 => Be64);

/// `NLA_UINT` (`uint`): 4 bytes when the value fits, else 8; decode accepts both.
pub struct VarUint;
/// `NLA_SINT` (`sint`): 4 bytes when the value fits, else 8; decode accepts both.
pub struct VarSint;

#[inline]
fn read_var_u(p: &[u8]) -> Result<u64, DecodeError> {
    match p.len() {
        4 => u32::decode_payload(p).map(u64::from),
        8 => u64::decode_payload(p),
        n => Err(bad_len(8, n)),
    }
}
#[inline]
fn read_var_s(p: &[u8]) -> Result<i64, DecodeError> {
    match p.len() {
        4 => i32::decode_payload(p).map(i64::from),
        8 => i64::decode_payload(p),
        n => Err(bad_len(8, n)),
    }
}

macro_rules! var_impls {
    ($codec:ty, $kind:ident, $read:ident, $wide:ty, $narrow:ty: $($t:ty),*) => {$(
        impl EncodeCodec<$t> for $codec {
            const NESTED: bool = false;
            const KIND: AttrKind = AttrKind::$kind;
            #[inline]
            fn payload_len(v: &$t) -> usize {
                if <$narrow>::try_from(*v).is_ok() { 4 } else { 8 }
            }
            #[inline]
            fn write_payload(v: &$t, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
                match <$narrow>::try_from(*v) {
                    Ok(n) => w.put_bytes(&n.to_ne_bytes()),
                    Err(_) => w.put_bytes(&(<$wide>::from(*v)).to_ne_bytes()),
                }
            }
        }
        impl<'a> DecodeCodec<'a, $t> for $codec {
            #[inline]
            fn decode(p: &'a [u8], _: u32) -> Result<$t, DecodeError> {
                let v = $read(p)?;
                <$t>::try_from(v).map_err(|_| {
                    DecodeErrorKind::InvalidValue { value: v as u64, ty: stringify!($t) }.into()
                })
            }
        }
    )*};
}
var_impls!(VarUint, Uint, read_var_u, u64, u32: u8, u16, u32, u64);
var_impls!(VarSint, Sint, read_var_s, i64, i32: i8, i16, i32, i64);

/// A zerocopy `#[repr(C)]` struct as the payload (`fixed`). A short payload is an error; a
/// longer one is accepted and the tail ignored (kernel structs grow at the end).
pub struct Fixed;
impl<T: IntoBytes + Immutable> EncodeCodec<T> for Fixed {
    const NESTED: bool = false;
    const KIND: AttrKind = AttrKind::Binary;
    #[inline]
    fn payload_len(v: &T) -> usize {
        core::mem::size_of_val(v)
    }
    #[inline]
    fn write_payload(v: &T, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(v.as_bytes())
    }
}
impl<'a, T: FromBytes + KnownLayout + Immutable + Sized> DecodeCodec<'a, T> for Fixed {
    #[inline]
    fn decode(p: &'a [u8], _: u32) -> Result<T, DecodeError> {
        match T::read_from_prefix(p) {
            Ok((v, _)) => Ok(v),
            Err(_) => Err(DecodeErrorKind::TooShort {
                min: core::mem::size_of::<T>(),
                got: p.len(),
            }
            .into()),
        }
    }
}

/// An indexed array (`array`): one nest whose entries are numbered 1..n, each encoded with the
/// element codec `C`. Decode keeps wire order and ignores the numbers.
pub struct Array<C = Native>(PhantomData<C>);
impl<T, C: EncodeCodec<T>> EncodeCodec<Vec<T>> for Array<C> {
    const NESTED: bool = true;
    const KIND: AttrKind = AttrKind::Array(&C::KIND);
    #[inline]
    fn payload_len(v: &Vec<T>) -> usize {
        v.iter().map(C::attr_len).sum()
    }
    fn write_payload(v: &Vec<T>, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        for (i, e) in v.iter().enumerate() {
            let idx = i + 1;
            if idx > NLA_TYPE_MASK as usize {
                return Err(EncodeError::new(EncodeErrorKind::Custom(
                    "indexed array has more than 16383 entries".into(),
                )));
            }
            C::put(idx as u16, e, w).map_err(|e| e.in_segment(PathSegment::Index(i)))?;
        }
        Ok(())
    }
}
impl<'a, T, C: DecodeCodec<'a, T>> DecodeCodec<'a, Vec<T>> for Array<C> {
    fn decode(p: &'a [u8], depth: u32) -> Result<Vec<T>, DecodeError> {
        check_depth(depth)?;
        let mut out = Vec::with_capacity(bounded_capacity::<T>(AttrIter::new(p).count(), p.len()));
        for (i, a) in AttrIter::new(p).enumerate() {
            let a = a?;
            let v = C::decode(a.payload(), depth + 1)
                .map_err(|e| e.within(PathSegment::Index(i), a.payload_offset()))?;
            out.push(v);
        }
        Ok(out)
    }
}

/// A keyed nest (`keyed`, YNL `nest-type-value`): one nest whose entries' attribute types are
/// the keys, each value encoded with the element codec `C` (`keyed, big_endian` on a
/// `BTreeMap<u16, u32>` writes network-order values). Over a `Vec<(K, V)>` (wire order, a
/// repeated key kept) or a `BTreeMap<K, V>` (a repeated key keeps the last value, as the kernel's
/// parser does). A key over 14 bits is an encode error.
pub struct Keyed<C = Native>(PhantomData<C>);

impl<K: NlaKey, V, C: EncodeCodec<V>> EncodeCodec<Vec<(K, V)>> for Keyed<C> {
    const NESTED: bool = true;
    const KIND: AttrKind = AttrKind::Keyed(&C::KIND);
    #[inline]
    fn payload_len(v: &Vec<(K, V)>) -> usize {
        v.iter().map(|(_, v)| C::attr_len(v)).sum()
    }
    fn write_payload(v: &Vec<(K, V)>, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        write_keyed::<K, V, C>(v.iter().map(|(k, v)| (k, v)), w)
    }
}

impl<K: NlaKey + Ord, V, C: EncodeCodec<V>> EncodeCodec<BTreeMap<K, V>> for Keyed<C> {
    const NESTED: bool = true;
    const KIND: AttrKind = AttrKind::Keyed(&C::KIND);
    #[inline]
    fn payload_len(v: &BTreeMap<K, V>) -> usize {
        v.values().map(C::attr_len).sum()
    }
    fn write_payload(v: &BTreeMap<K, V>, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        write_keyed::<K, V, C>(v.iter(), w)
    }
}

fn write_keyed<'v, K: NlaKey + 'v, V: 'v, C: EncodeCodec<V>>(
    entries: impl Iterator<Item = (&'v K, &'v V)>,
    w: &mut AttrWriter<'_>,
) -> Result<(), EncodeError> {
    for (k, v) in entries {
        let key = k.to_key();
        C::put(key_type(key)?, v, w).map_err(|e| e.in_segment(PathSegment::Key(key)))?;
    }
    Ok(())
}

impl<'a, K: NlaKey, V, C: DecodeCodec<'a, V>> DecodeCodec<'a, Vec<(K, V)>> for Keyed<C> {
    fn decode(p: &'a [u8], depth: u32) -> Result<Vec<(K, V)>, DecodeError> {
        check_depth(depth)?;
        let mut out = Vec::new();
        for a in AttrIter::new(p) {
            out.push(decode_keyed_entry::<K, V, C>(&a?, depth)?);
        }
        Ok(out)
    }
}

impl<'a, K: NlaKey + Ord, V, C: DecodeCodec<'a, V>> DecodeCodec<'a, BTreeMap<K, V>> for Keyed<C> {
    fn decode(p: &'a [u8], depth: u32) -> Result<BTreeMap<K, V>, DecodeError> {
        check_depth(depth)?;
        let mut out = BTreeMap::new();
        for a in AttrIter::new(p) {
            let (k, v) = decode_keyed_entry::<K, V, C>(&a?, depth)?;
            out.insert(k, v);
        }
        Ok(out)
    }
}

#[inline]
fn decode_keyed_entry<'a, K: NlaKey, V, C: DecodeCodec<'a, V>>(
    a: &Attr<'a>,
    depth: u32,
) -> Result<(K, V), DecodeError> {
    let seg = PathSegment::Key(a.id().into());
    let k = K::from_key(a.id()).map_err(|e| e.within(seg.clone(), a.offset()))?;
    let v = C::decode(a.payload(), depth + 1).map_err(|e| e.within(seg, a.payload_offset()))?;
    Ok((k, v))
}

/// A packed array (`packed`, YNL `binary` with a `sub-type`): one attribute whose payload is the
/// elements back to back in host order, without headers (`Vec<u32>` → 4 bytes each). Decoding
/// a payload whose length is not a multiple of the element size is a
/// [`BadLength`](DecodeErrorKind::BadLength) error expecting the next whole number of elements.
pub struct Packed;

impl<T: IntoBytes + Immutable + NlaEncode> EncodeCodec<Vec<T>> for Packed {
    const NESTED: bool = false;
    const KIND: AttrKind = AttrKind::Packed(&T::KIND);
    #[inline]
    fn payload_len(v: &Vec<T>) -> usize {
        v.as_slice().as_bytes().len()
    }
    #[inline]
    fn write_payload(v: &Vec<T>, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        w.put_bytes(v.as_slice().as_bytes())
    }
}

impl<'a, T: FromBytes + KnownLayout + Immutable + Sized> DecodeCodec<'a, Vec<T>> for Packed {
    fn decode(p: &'a [u8], _: u32) -> Result<Vec<T>, DecodeError> {
        let size = core::mem::size_of::<T>();
        if size == 0 || p.len() % size != 0 {
            // Not a whole number of elements: the next whole number is what was expected.
            let whole = (p.len() / size.max(1)).saturating_add(1);
            return Err(bad_len(whole.saturating_mul(size), p.len()));
        }
        p.chunks_exact(size)
            .map(|chunk| T::read_from_bytes(chunk).map_err(|_| bad_len(size, chunk.len())))
            .collect()
    }
}

/// A value that is an integer, or is carried as one: the integers themselves, and enums or
/// flag sets of your own (an enum with an `Unknown(T)` fallback, as `netlink-ynl` generates).
/// The field option `repr = W` (codec [`Repr`]) carries such a value through the integer type
/// `W` on the wire, whatever the type's own width: one enum serves attributes of several
/// widths.
///
/// ```
/// use netlink_genl_core::attr::IntValue;
///
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Band { Ghz2, Ghz5, Unknown(u32) }
///
/// impl IntValue for Band {
///     const NAME: &'static str = "Band";
///     fn to_i128(self) -> i128 {
///         match self { Band::Ghz2 => 0, Band::Ghz5 => 1, Band::Unknown(v) => v.into() }
///     }
///     fn from_i128(v: i128) -> Option<Self> {
///         Some(match u32::try_from(v).ok()? { 0 => Band::Ghz2, 1 => Band::Ghz5, v => Band::Unknown(v) })
///     }
/// }
/// assert_eq!(Band::from_i128(7), Some(Band::Unknown(7)));
/// assert_eq!(Band::from_i128(-1), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be carried as an integer",
    label = "`repr` needs an integer or a type implementing `IntValue`",
    note = "implement `IntValue` for it (its value as an i128 and back), or remove `repr`"
)]
pub trait IntValue: Copy {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// The value as an integer.
    fn to_i128(self) -> i128;
    /// The value of integer `v`; `None` when the type cannot hold it (out of its range).
    fn from_i128(v: i128) -> Option<Self>;
}

macro_rules! int_value_impls {
    ($($t:ty),*) => {$(
        impl IntValue for $t {
            const NAME: &'static str = stringify!($t);
            #[inline]
            fn to_i128(self) -> i128 { self.into() }
            #[inline]
            fn from_i128(v: i128) -> Option<Self> { <$t>::try_from(v).ok() }
        }
    )*};
}
int_value_impls!(u8, u16, u32, u64, i8, i16, i32, i64);

/// An integer-like value ([`IntValue`]) carried as the integer type `W`, written and read
/// with `W`'s codec `C` (`repr = W`, with `big_endian`, `uint` or `sint` for `C`). A value that
/// does not fit `W` is a [`DoesNotFit`](crate::EncodeErrorKind::DoesNotFit) encode error
/// (written anyway it would be another value); a value read that the field type cannot hold
/// is an [`InvalidValue`](DecodeErrorKind::InvalidValue) decode error. An enum with an
/// `Unknown` fallback as wide as the widest `W` it is carried in keeps every value read.
pub struct Repr<W, C = Native>(PhantomData<fn() -> (W, C)>);

impl<T: IntValue, W: IntValue, C: EncodeCodec<W>> EncodeCodec<T> for Repr<W, C> {
    const NESTED: bool = false;
    const KIND: AttrKind = C::KIND;
    #[inline]
    fn payload_len(v: &T) -> usize {
        // A value that does not fit is an error when written: nothing is.
        W::from_i128(v.to_i128()).map_or(0, |w| C::payload_len(&w))
    }
    #[inline]
    fn write_payload(v: &T, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        let value = v.to_i128();
        match W::from_i128(value) {
            Some(x) => C::write_payload(&x, w),
            None => Err(does_not_fit(value, W::NAME)),
        }
    }
}

impl<'a, T: IntValue, W: IntValue, C: DecodeCodec<'a, W>> DecodeCodec<'a, T> for Repr<W, C> {
    #[inline]
    fn decode(p: &'a [u8], depth: u32) -> Result<T, DecodeError> {
        let value = C::decode(p, depth)?.to_i128();
        T::from_i128(value).ok_or_else(|| {
            DecodeErrorKind::InvalidValue {
                value: value as u64,
                ty: T::NAME,
            }
            .into()
        })
    }
}

#[cold]
fn does_not_fit(value: i128, ty: &'static str) -> EncodeError {
    EncodeError::new(EncodeErrorKind::DoesNotFit { value, ty })
}
