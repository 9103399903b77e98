//! Round trips of `#[derive(NlAttrs)]` for every field kind: decode(encode(x)) == x (property
//! tests), encode(decode(bytes)) == bytes for canonical bytes, unknown attributes kept, and the
//! exact path and message of decode errors.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use netlink_genl::NlAttrs;
use netlink_genl_core::attr::{
    ArrayView, Attr, AttrIter, AttrWriter, BitField32, NlaDecode, NlaEncode, OwnedAttr,
};
use netlink_genl_core::{
    AttrSet, DecodeAttrs, DecodeError, DecodeErrorKind, EncodeAttrs, EncodeError, attrs_to_vec,
};
use proptest::prelude::*;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

// ---------------------------------------------------------------------------------------------
// Types

/// A zerocopy struct carried with `fixed`.
#[derive(Debug, Clone, Copy, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
struct Stats {
    packets: u64,
    errors: u32,
    drops: u32,
}

/// A user value kind: an enum carried as a u8.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Duplex {
    #[default]
    Half,
    Full,
}

impl NlaEncode for Duplex {
    fn payload_len(&self) -> usize {
        1
    }
    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        (*self as u8).write_payload(w)
    }
}
impl<'a> NlaDecode<'a> for Duplex {
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        match u8::decode_payload(p)? {
            0 => Ok(Duplex::Half),
            1 => Ok(Duplex::Full),
            v => Err(DecodeErrorKind::InvalidValue {
                value: v.into(),
                ty: "Duplex",
            }
            .into()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Inner {
    #[nla(id = 1)]
    x: u32,
    #[nla(id = 2)]
    label: Option<String>,
}

/// Integers in every width, host and network order, NLA_UINT/NLA_SINT, bool as u8 and flag.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Ints {
    #[nla(id = 1)]
    a_u8: u8,
    #[nla(id = 2)]
    a_u16: u16,
    #[nla(id = 3)]
    a_u32: u32,
    #[nla(id = 4)]
    a_u64: u64,
    #[nla(id = 5)]
    a_i8: i8,
    #[nla(id = 6)]
    a_i16: i16,
    #[nla(id = 7)]
    a_i32: i32,
    #[nla(id = 8)]
    a_i64: i64,
    #[nla(id = 9, big_endian)]
    be16: u16,
    #[nla(id = 10, big_endian)]
    be32: Option<u32>,
    #[nla(id = 11, big_endian)]
    be_i64: i64,
    #[nla(id = 12, uint)]
    uint: u64,
    #[nla(id = 13, sint)]
    sint: i64,
    #[nla(id = 14, uint)]
    uint32: Option<u32>,
    #[nla(id = 15, flag)]
    flag: bool,
    #[nla(id = 16)]
    as_u8: bool,
}

/// Strings, binary, fixed structs and scalar value types.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Blobs {
    #[nla(id = 1)]
    name: String,
    #[nla(id = 2)]
    alias: Option<String>,
    #[nla(id = 3)]
    data: Vec<u8>,
    #[nla(id = 4)]
    mac: [u8; 6],
    #[nla(id = 5, fixed)]
    stats: Stats,
    #[nla(id = 6)]
    bits: BitField32,
    #[nla(id = 7)]
    duplex: Duplex,
    #[nla(id = 8)]
    v4: Option<Ipv4Addr>,
    #[nla(id = 9)]
    v6: Option<Ipv6Addr>,
}

/// Nests and collections.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Collections {
    #[nla(id = 1, nested)]
    inner: Inner,
    #[nla(id = 2, nested)]
    maybe: Option<Inner>,
    #[nla(id = 3, multi)]
    multi: Vec<u32>,
    #[nla(id = 4, multi, big_endian)]
    multi_be: Vec<u16>,
    #[nla(id = 5, multi, nested)]
    multi_sets: Vec<Inner>,
    #[nla(id = 6, array)]
    array: Vec<Inner>,
    #[nla(id = 7, array, uint)]
    array_uint: Vec<u64>,
    #[nla(id = 8, array)]
    array_str: Option<Vec<String>>,
    #[nla(id = 9, keyed)]
    keyed: Vec<(u16, u32)>,
    #[nla(id = 10, keyed)]
    map: BTreeMap<u32, Inner>,
    #[nla(id = 11)]
    boxed: Option<Box<Inner>>,
    #[nla(id = 12, multi)]
    multi_str: Vec<String>,
    #[nla(id = 13, keyed, big_endian)]
    keyed_be: Vec<(u16, u32)>,
    #[nla(id = 14, keyed, uint)]
    keyed_uint: BTreeMap<u8, u64>,
    #[nla(id = 15, packed)]
    packed: Vec<u32>,
    #[nla(id = 16, packed)]
    packed_opt: Option<Vec<i16>>,
}

/// Unknown attributes kept, a skipped field, a default field.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Open {
    #[nla(id = 1)]
    a: u32,
    #[nla(skip)]
    cache: u64,
    #[nla(id = 2, default)]
    b: u16,
    #[nla(unknown)]
    rest: Vec<OwnedAttr>,
}

/// Zero-copy decode: everything borrowed.
#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct Borrowed<'a> {
    #[nla(id = 1)]
    name: &'a str,
    #[nla(id = 2)]
    data: Option<&'a [u8]>,
    #[nla(id = 3, array)]
    lazy: Option<ArrayView<'a, u32>>,
    #[nla(id = 4, nested)]
    inner: Option<BorrowedInner<'a>>,
    #[nla(unknown)]
    rest: Vec<Attr<'a>>,
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct BorrowedInner<'a> {
    #[nla(id = 1)]
    s: &'a str,
}

/// Unknown ids are errors.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
#[nla(deny_unknown)]
struct Strict {
    #[nla(id = 1)]
    a: Option<u32>,
}

/// A recursive set (for the depth bound).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Tree {
    #[nla(id = 1)]
    value: u32,
    #[nla(id = 2, nested)]
    child: Option<Box<Tree>>,
}

/// Type generics: bounds are added as needed.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Generic<T> {
    #[nla(id = 1)]
    one: T,
    #[nla(id = 2, multi)]
    many: Vec<T>,
}

/// Raw identifiers read without `r#` in paths and names.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Raw {
    #[nla(id = 1)]
    r#type: u32,
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn encode<T: EncodeAttrs>(v: &T) -> Vec<u8> {
    let bytes = attrs_to_vec(v).unwrap();
    assert_eq!(bytes.len(), v.attrs_len(), "attrs_len is exact");
    bytes
}

fn roundtrip<T>(v: &T)
where
    T: EncodeAttrs + for<'a> DecodeAttrs<'a> + PartialEq + std::fmt::Debug,
{
    let bytes = encode(v);
    let back = T::decode_attrs(&bytes).unwrap();
    assert_eq!(&back, v);
    // and the bytes are canonical: encoding again gives the same bytes
    assert_eq!(encode(&back), bytes);
}

/// Build attribute bytes by hand.
fn attrs(f: impl FnOnce(&mut AttrWriter<'_>) -> Result<(), EncodeError>) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    let mut w = AttrWriter::new(&mut buf);
    f(&mut w).unwrap();
    let n = w.position();
    buf.truncate(n);
    buf
}

fn err_string<T: for<'a> DecodeAttrs<'a> + std::fmt::Debug>(bytes: &[u8]) -> String {
    T::decode_attrs(bytes).unwrap_err().to_string()
}

// ---------------------------------------------------------------------------------------------
// Strategies

fn text() -> impl Strategy<Value = String> {
    "[^\u{0}]{0,20}"
}

prop_compose! {
    fn inner()(x in any::<u32>(), label in proptest::option::of(text())) -> Inner {
        Inner { x, label }
    }
}

prop_compose! {
    fn ints()(
        (a_u8, a_u16, a_u32, a_u64) in any::<(u8, u16, u32, u64)>(),
        (a_i8, a_i16, a_i32, a_i64) in any::<(i8, i16, i32, i64)>(),
        (be16, be32, be_i64) in any::<(u16, Option<u32>, i64)>(),
        (uint, sint, uint32) in any::<(u64, i64, Option<u32>)>(),
        (flag, as_u8) in any::<(bool, bool)>(),
    ) -> Ints {
        Ints { a_u8, a_u16, a_u32, a_u64, a_i8, a_i16, a_i32, a_i64, be16, be32, be_i64, uint, sint, uint32, flag, as_u8 }
    }
}

prop_compose! {
    fn blobs()(
        name in text(),
        alias in proptest::option::of(text()),
        data in proptest::collection::vec(any::<u8>(), 0..64),
        mac in any::<[u8; 6]>(),
        (packets, errors, drops) in any::<(u64, u32, u32)>(),
        (value, selector) in any::<(u32, u32)>(),
        full in any::<bool>(),
        v4 in proptest::option::of(any::<[u8; 4]>()),
        v6 in proptest::option::of(any::<[u8; 16]>()),
    ) -> Blobs {
        Blobs {
            name, alias, data, mac,
            stats: Stats { packets, errors, drops },
            bits: BitField32 { value, selector },
            duplex: if full { Duplex::Full } else { Duplex::Half },
            v4: v4.map(Ipv4Addr::from),
            v6: v6.map(Ipv6Addr::from),
        }
    }
}

prop_compose! {
    fn collections()(
        inner in inner(),
        maybe in proptest::option::of(inner()),
        multi in proptest::collection::vec(any::<u32>(), 0..6),
        multi_be in proptest::collection::vec(any::<u16>(), 0..6),
        multi_sets in proptest::collection::vec(inner(), 0..4),
        array in proptest::collection::vec(inner(), 0..4),
        array_uint in proptest::collection::vec(any::<u64>(), 0..6),
        array_str in proptest::option::of(proptest::collection::vec(text(), 0..4)),
        keyed in proptest::collection::vec((1u16..0x3fff, any::<u32>()), 0..6),
        map in proptest::collection::btree_map(0u32..0x3fff, inner(), 0..4),
        boxed in proptest::option::of(inner().prop_map(Box::new)),
        multi_str in proptest::collection::vec(text(), 0..4),
        keyed_be in proptest::collection::vec((1u16..0x3fff, any::<u32>()), 0..4),
        keyed_uint in proptest::collection::btree_map(any::<u8>(), any::<u64>(), 0..4),
        packed in proptest::collection::vec(any::<u32>(), 0..6),
        packed_opt in proptest::option::of(proptest::collection::vec(any::<i16>(), 0..6)),
    ) -> Collections {
        Collections { inner, maybe, multi, multi_be, multi_sets, array, array_uint, array_str, keyed, map, boxed, multi_str, keyed_be, keyed_uint, packed, packed_opt }
    }
}

prop_compose! {
    fn open()(
        a in any::<u32>(),
        b in any::<u16>(),
        rest in proptest::collection::vec(
            (3u16..0x3fff, any::<bool>(), proptest::collection::vec(any::<u8>(), 0..12)),
            0..5,
        ),
    ) -> Open {
        let rest = rest
            .into_iter()
            .map(|(id, nested, payload)| OwnedAttr { ty: id | if nested { 0x8000 } else { 0 }, payload })
            .collect();
        Open { a, cache: 0, b, rest }
    }
}

proptest! {
    #[test]
    fn ints_roundtrip(v in ints()) { roundtrip(&v); }

    #[test]
    fn blobs_roundtrip(v in blobs()) { roundtrip(&v); }

    #[test]
    fn collections_roundtrip(v in collections()) { roundtrip(&v); }

    #[test]
    fn unknown_attributes_roundtrip(v in open()) { roundtrip(&v); }

    #[test]
    fn generic_roundtrip(one in any::<u32>(), many in proptest::collection::vec(any::<u32>(), 0..5), set in inner()) {
        roundtrip(&Generic { one, many: many.clone() });
        roundtrip(&Generic { one: set.clone(), many: vec![set.clone(), set] });
    }

    #[test]
    fn borrowed_roundtrip(name in text(), data in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16))) {
        let v = Borrowed { name: &name, data: data.as_deref(), lazy: None, inner: Some(BorrowedInner { s: &name }), rest: vec![] };
        let bytes = encode(&v);
        prop_assert_eq!(Borrowed::decode_attrs(&bytes).unwrap(), v);
    }

    /// Decoding arbitrary bytes never panics (errors are fine).
    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = Collections::decode_attrs(&bytes);
        let _ = Ints::decode_attrs(&bytes);
        let _ = Blobs::decode_attrs(&bytes);
        let _ = Open::decode_attrs(&bytes);
        let _ = Borrowed::decode_attrs(&bytes);
        let _ = Tree::decode_attrs(&bytes);
        let mut path = Vec::new();
        Collections::locate(&bytes, bytes.len() / 2, &mut path);
    }
}

// ---------------------------------------------------------------------------------------------
// Canonical bytes: encode(decode(bytes)) == bytes

#[test]
fn canonical_bytes_reencode_exactly() {
    let bytes = attrs(|w| {
        let n = w.begin_nest(1)?;
        w.put_value(1, &7u32)?;
        w.end_nest(n)?;
        w.put_value(3, &1u32)?;
        w.put_value(3, &2u32)?;
        w.put_raw(4, &0x1234u16.to_be_bytes())?;
        let n = w.begin_nest(6)?;
        let e = w.begin_nest(1)?;
        w.put_value(1, &9u32)?;
        w.put_value(2, "nine")?;
        w.end_nest(e)?;
        w.end_nest(n)?;
        let n = w.begin_nest(7)?;
        w.put_value(1, &5u32)?; // uint: 4 bytes when it fits
        w.put_value(2, &(u64::MAX))?; // else 8
        w.end_nest(n)?;
        let n = w.begin_nest(9)?;
        w.put_value(16, &160u32)?;
        w.put_value(3, &30u32)?;
        w.end_nest(n)?;
        let n = w.begin_nest(10)?;
        let e = w.begin_nest(42)?;
        w.put_value(1, &1u32)?;
        w.end_nest(e)?;
        w.end_nest(n)?;
        let n = w.begin_nest(13)?;
        w.put_raw(80, &0x0a00_0001u32.to_be_bytes())?; // keyed values take element options
        w.end_nest(n)?;
        let n = w.begin_nest(14)?;
        w.put_value(7, &7u32)?;
        w.put_value(8, &(1u64 << 40))?;
        w.end_nest(n)?;
        let mut packed = Vec::new();
        for v in [1u32, 2, 3] {
            packed.extend_from_slice(&v.to_ne_bytes());
        }
        w.put_raw(15, &packed) // packed: the u32s back to back, no headers
    });
    let v = Collections::decode_attrs(&bytes).unwrap();
    assert_eq!(v.inner.x, 7);
    assert_eq!(v.multi, [1, 2]);
    assert_eq!(v.multi_be, [0x1234]);
    assert_eq!(v.array[0].label.as_deref(), Some("nine"));
    assert_eq!(v.array_uint, [5, u64::MAX]);
    assert_eq!(v.keyed, [(16, 160), (3, 30)], "keyed keeps wire order");
    assert_eq!(v.map[&42].x, 1);
    assert_eq!(v.keyed_be, [(80, 0x0a00_0001)]);
    assert_eq!(v.keyed_uint, BTreeMap::from([(7, 7), (8, 1 << 40)]));
    assert_eq!(v.packed, [1, 2, 3]);
    assert_eq!(v.packed_opt, None);
    assert_eq!(encode(&v), bytes);
}

#[test]
fn every_kind_has_the_documented_wire_form() {
    let v = Ints {
        a_u16: 0x0102,
        be16: 0x0102,
        uint: 7,
        sint: -1,
        flag: true,
        as_u8: true,
        ..Default::default()
    };
    let bytes = encode(&v);
    let by_id: BTreeMap<u16, Attr<'_>> = AttrIter::new(&bytes)
        .map(|a| a.unwrap())
        .map(|a| (a.id(), a))
        .collect();
    assert_eq!(by_id[&2].payload(), 0x0102u16.to_ne_bytes()); // host order
    assert_eq!(by_id[&9].payload(), [1, 2]); // network order
    assert_eq!(by_id[&12].payload().len(), 4); // NLA_UINT: 4 bytes when it fits
    assert_eq!(by_id[&13].payload(), (-1i32).to_ne_bytes()); // NLA_SINT
    assert_eq!(by_id[&15].payload(), b""); // NLA_FLAG: empty
    assert_eq!(by_id[&16].payload(), [1]); // bool without flag: u8
    assert!(!by_id.contains_key(&10), "None is not written");

    let no_flag = encode(&Ints::default());
    assert!(
        AttrIter::new(&no_flag).all(|a| a.unwrap().id() != 15),
        "a false flag is not written"
    );

    let b = Blobs {
        name: "eth0".into(),
        ..Default::default()
    };
    let bytes = encode(&b);
    let name = AttrIter::new(&bytes).next().unwrap().unwrap();
    assert_eq!(name.payload(), b"eth0\0", "strings are NUL-terminated");

    let c = Collections {
        inner: Inner { x: 1, label: None },
        array: vec![Inner::default(), Inner::default()],
        ..Default::default()
    };
    let bytes = encode(&c);
    let mut it = AttrIter::new(&bytes);
    let nest = it.next().unwrap().unwrap();
    assert!(nest.is_nested(), "NLA_F_NESTED is set on nests");
    let array = it.next().unwrap().unwrap();
    assert_eq!(array.id(), 6);
    assert!(array.is_nested());
    let idx: Vec<u16> = array.nested().map(|e| e.unwrap().id()).collect();
    assert_eq!(idx, [1, 2], "indexed arrays number entries from 1");
    assert!(it.next().is_none(), "empty collections are not written");
}

#[test]
fn decode_accepts_strings_without_nul_and_nests_without_flag() {
    let bytes = attrs(|w| {
        w.put_raw(1, b"abc")?; // no NUL
        w.put_raw(3, b"")?;
        w.put_raw(4, &[1, 2, 3, 4, 5, 6])?;
        w.put_raw(5, &[0; 16])?;
        w.put_raw(6, &[0; 8])?;
        w.put_raw(7, &[1])
    });
    let b = Blobs::decode_attrs(&bytes).unwrap();
    assert_eq!(b.name, "abc");
    assert_eq!(b.duplex, Duplex::Full);

    // nest without NLA_F_NESTED (as nlctrl sends OPS)
    let bytes = attrs(|w| {
        let mut inner = [0u8; 8];
        let mut iw = AttrWriter::new(&mut inner);
        iw.put_value(1, &5u32)?;
        w.put_raw(1, &inner)
    });
    let c = Collections::decode_attrs(&bytes).unwrap();
    assert_eq!(c.inner.x, 5);
}

#[test]
fn uint_accepts_both_widths() {
    let bytes = attrs(|w| {
        w.put_value(12, &5u64)?; // 8 bytes for a small value
        w.put_value(13, &-3i32)?; // 4 bytes
        w.put_value(14, &7u64)
    });
    let v = Ints::decode_attrs(&bytes).unwrap_err();
    // Ints has required fields; check the message names the first missing one
    assert_eq!(
        v.to_string(),
        "Ints.a_u8: missing required attribute (id 1)"
    );

    #[derive(Debug, PartialEq, NlAttrs)]
    struct Var {
        #[nla(id = 12, uint)]
        u: u64,
        #[nla(id = 13, sint)]
        s: i64,
        #[nla(id = 14, uint)]
        narrow: u32,
    }
    let v = Var::decode_attrs(&bytes).unwrap();
    assert_eq!(
        v,
        Var {
            u: 5,
            s: -3,
            narrow: 7
        }
    );
    // a value that does not fit the field is an error
    let big = attrs(|w| {
        w.put_value(12, &1u32)?;
        w.put_value(13, &1i32)?;
        w.put_value(14, &u64::MAX)
    });
    assert_eq!(
        err_string::<Var>(&big),
        "Var.narrow: invalid value 18446744073709551615 for u32 (at byte 20)"
    );
}

#[test]
fn fixed_accepts_longer_payloads() {
    let bytes = attrs(|w| {
        w.put_raw(1, b"x\0")?;
        w.put_raw(3, b"")?;
        w.put_raw(4, &[0; 6])?;
        w.put_raw(5, &[1; 20])?; // 16 bytes of Stats + 4 more (a newer kernel)
        w.put_raw(6, &[0; 8])?;
        w.put_raw(7, &[0])
    });
    let b = Blobs::decode_attrs(&bytes).unwrap();
    assert_eq!(b.stats.errors, 0x0101_0101);
}

#[test]
fn last_duplicate_wins() {
    let bytes = attrs(|w| {
        w.put_value(1, &1u32)?;
        w.put_value(1, &2u32)
    });
    assert_eq!(Strict::decode_attrs(&bytes).unwrap().a, Some(2));
}

#[test]
fn unknown_attributes_are_skipped_kept_or_denied() {
    let bytes = attrs(|w| {
        w.put_value(1, &1u32)?;
        w.put_value(9, &9u32)?;
        w.put_value(2, &2u16)?;
        let n = w.begin_nest(10)?;
        w.put_value(1, &1u8)?;
        w.end_nest(n)
    });
    // skipped by default
    assert_eq!(Inner::decode_attrs(&bytes).unwrap().x, 1);
    // kept with their flag bits, written after the known ones
    let open = Open::decode_attrs(&bytes).unwrap();
    assert_eq!(open.rest.len(), 2);
    assert_eq!(open.rest[1].ty, 10 | 0x8000);
    let again = encode(&open);
    let ids: Vec<u16> = AttrIter::new(&again)
        .map(|a| a.unwrap().raw_type())
        .collect();
    assert_eq!(ids, [1, 2, 9, 10 | 0x8000]);
    assert_eq!(Open::decode_attrs(&again).unwrap(), open);
    // denied
    assert_eq!(
        err_string::<Strict>(&bytes),
        "Strict: unknown attribute id 9 (at byte 8)"
    );
    // borrowed
    let b = attrs(|w| {
        w.put_value(1, "n")?;
        w.put_value(77, &7u32)
    });
    let v = Borrowed::decode_attrs(&b).unwrap();
    assert_eq!(v.rest.len(), 1);
    assert_eq!(
        (v.rest[0].id(), v.rest[0].payload()),
        (77, &7u32.to_ne_bytes()[..])
    );
    assert_eq!(encode(&v), b);
}

#[test]
fn skip_and_default() {
    let bytes = attrs(|w| w.put_value(1, &5u32));
    let v = Open::decode_attrs(&bytes).unwrap();
    assert_eq!((v.a, v.cache, v.b), (5, 0, 0));
    let with_cache = Open {
        cache: 99,
        ..v.clone()
    };
    // skip: not on the wire; default: always written
    let ids: Vec<u16> = AttrIter::new(&encode(&with_cache))
        .map(|a| a.unwrap().id())
        .collect();
    assert_eq!(ids, [1, 2]);
}

#[test]
fn borrowed_decode_borrows() {
    let bytes = attrs(|w| {
        w.put_value(1, "eth0")?;
        w.put_value(2, &[1u8, 2, 3][..])?;
        let n = w.begin_nest(3)?;
        w.put_value(1, &10u32)?;
        w.put_value(2, &20u32)?;
        w.end_nest(n)
    });
    let v = Borrowed::decode_attrs(&bytes).unwrap();
    assert_eq!(v.name, "eth0");
    assert!(std::ptr::eq(v.name.as_ptr(), bytes[4..].as_ptr()));
    assert_eq!(v.data, Some(&[1u8, 2, 3][..]));
    let lazy: Vec<u32> = v.lazy.unwrap().iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(lazy, [10, 20]);
    assert_eq!(encode(&v), bytes);
}

#[test]
fn raw_identifiers_read_plainly() {
    assert_eq!(Raw::attr_name(1), Some("type"));
    assert_eq!(
        err_string::<Raw>(&[]),
        "Raw.type: missing required attribute (id 1)"
    );
}

// ---------------------------------------------------------------------------------------------
// Decode errors: exact path and message

#[test]
fn error_missing_required() {
    assert_eq!(
        err_string::<Inner>(&[]),
        "Inner.x: missing required attribute (id 1)"
    );
    let e = Inner::decode_attrs(&[]).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::MissingAttribute { id: 1 });
}

#[test]
fn error_in_nested_field() {
    let bytes = attrs(|w| {
        let n = w.begin_nest(1)?;
        w.put_raw(1, &[0, 0])?;
        w.end_nest(n)
    });
    assert_eq!(
        err_string::<Collections>(&bytes),
        "Collections.inner.x: expected 4 bytes, got 2 (at byte 8)"
    );
}

#[test]
fn error_in_multi_element() {
    let bytes = attrs(|w| {
        let n = w.begin_nest(1)?;
        w.put_value(1, &1u32)?;
        w.end_nest(n)?;
        w.put_value(3, &1u32)?;
        w.put_raw(3, &[0, 0, 0])
    });
    assert_eq!(
        err_string::<Collections>(&bytes),
        "Collections.multi[1]: expected 4 bytes, got 3 (at byte 24)"
    );
}

#[test]
fn error_in_array_of_sets() {
    let bytes = attrs(|w| {
        let n = w.begin_nest(1)?;
        w.put_value(1, &1u32)?;
        w.end_nest(n)?;
        let a = w.begin_nest(6)?;
        for i in 0..4u16 {
            let e = w.begin_nest(i + 1)?;
            if i == 3 {
                w.put_raw(1, &[0, 0])?;
            } else {
                w.put_value(1, &u32::from(i))?;
            }
            w.end_nest(e)?;
        }
        w.end_nest(a)
    });
    assert_eq!(
        err_string::<Collections>(&bytes),
        "Collections.array[3].x: expected 4 bytes, got 2 (at byte 60)"
    );
}

#[test]
fn error_in_keyed_entry() {
    let bytes = attrs(|w| {
        let n = w.begin_nest(1)?;
        w.put_value(1, &1u32)?;
        w.end_nest(n)?;
        let m = w.begin_nest(10)?;
        let e = w.begin_nest(5)?;
        w.put_value(2, &[0xffu8, 0xfe][..])?;
        w.end_nest(e)?;
        w.end_nest(m)
    });
    let e = Collections::decode_attrs(&bytes).unwrap_err();
    assert!(matches!(e.kind(), DecodeErrorKind::Utf8(_)));
    assert!(
        e.to_string()
            .starts_with("Collections.map{5}.label: invalid UTF-8"),
        "{e}"
    );
}

#[test]
fn error_flag_with_payload() {
    let bytes = attrs(|w| w.put_value(15, &1u32));
    let v = Ints::decode_attrs(&bytes).unwrap_err();
    assert_eq!(
        v.to_string(),
        "Ints.flag: expected 0 bytes, got 4 (at byte 4)"
    );
}

#[test]
fn error_user_value_and_fixed() {
    let bytes = attrs(|w| {
        w.put_raw(1, b"x\0")?;
        w.put_raw(3, b"")?;
        w.put_raw(4, &[0; 6])?;
        w.put_raw(5, &[0; 16])?;
        w.put_raw(6, &[0; 8])?;
        w.put_raw(7, &[7])
    });
    assert_eq!(
        err_string::<Blobs>(&bytes),
        "Blobs.duplex: invalid value 7 for Duplex (at byte 60)"
    );
    let short = attrs(|w| w.put_raw(5, &[0; 10]));
    assert_eq!(
        err_string::<Blobs>(&short),
        "Blobs.stats: expected at least 16 bytes, got 10 (at byte 4)"
    );
    let mac = attrs(|w| w.put_raw(4, &[0; 5]));
    assert_eq!(
        err_string::<Blobs>(&mac),
        "Blobs.mac: expected 6 bytes, got 5 (at byte 4)"
    );
}

#[test]
fn error_bad_attribute_header() {
    // nla_len 2 (< 4)
    assert_eq!(
        err_string::<Inner>(&[2, 0, 1, 0]),
        "Inner: attribute length 2 is smaller than the 4-byte header (at byte 0)"
    );
    // inside a nest: nla_len past the end
    let bytes = attrs(|w| w.put_raw(1 | 0x8000, &[8, 0, 1, 0, 1, 0]));
    assert_eq!(
        err_string::<Collections>(&bytes),
        "Collections.inner: attribute length 8 runs past the end of its buffer (6 bytes left) (at byte 4)"
    );
}

#[test]
fn error_depth_is_bounded() {
    // 200 levels of Tree nesting: an error, not a stack overflow.
    let mut payload = 1u32.to_ne_bytes().to_vec();
    payload = {
        let mut v = vec![8, 0, 1, 0];
        v.extend_from_slice(&payload);
        v
    };
    for _ in 0..200 {
        let mut next = Vec::new();
        next.extend_from_slice(&8u16.to_ne_bytes());
        next.extend_from_slice(&1u16.to_ne_bytes());
        next.extend_from_slice(&1u32.to_ne_bytes());
        let len = (payload.len() + 4) as u16;
        next.extend_from_slice(&len.to_ne_bytes());
        next.extend_from_slice(&(2u16 | 0x8000).to_ne_bytes());
        next.extend_from_slice(&payload);
        payload = next;
        if payload.len() > 60000 {
            break;
        }
    }
    let e = Tree::decode_attrs(&payload).unwrap_err();
    assert!(matches!(e.kind(), DecodeErrorKind::TooDeep { .. }), "{e}");
    assert!(e.to_string().starts_with("Tree.child.child."), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Encode errors, names, locate

#[test]
fn encode_errors_name_the_field() {
    let v = Blobs {
        name: "x".repeat(70000),
        ..Default::default()
    };
    let e = attrs_to_vec(&v).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Blobs.name: attribute payload of 70001 bytes exceeds the netlink maximum of 65531"
    );
    // a small buffer is an error, never a panic; it says how large the whole encoding is
    let mut small = [0u8; 8];
    let e = netlink_genl_core::encode_attrs_into_slice(
        &Inner {
            x: 1,
            label: Some("abc".into()),
        },
        &mut small,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Inner.label: buffer too small: needed 16 bytes, had 8"
    );
}

#[test]
fn attr_names_and_set_name() {
    assert_eq!(Collections::NAME, "Collections");
    assert_eq!(Collections::attr_name(6), Some("array"));
    assert_eq!(Collections::attr_name(99), None);
    assert_eq!(Open::attr_name(1), Some("a"));
    assert_eq!(<Generic<u32> as AttrSet>::NAME, "Generic");
}

#[test]
fn locate_descends_into_sets() {
    let c = Collections {
        inner: Inner {
            x: 1,
            label: Some("a".into()),
        },
        multi_sets: vec![
            Inner::default(),
            Inner {
                x: 2,
                label: Some("b".into()),
            },
        ],
        array: vec![
            Inner::default(),
            Inner::default(),
            Inner { x: 3, label: None },
        ],
        map: BTreeMap::from([(
            7,
            Inner {
                x: 4,
                label: Some("m".into()),
            },
        )]),
        multi: vec![1, 2, 3],
        ..Default::default()
    };
    let bytes = encode(&c);
    // find each attribute by walking the encoding
    let path_at = |off: usize| {
        let mut p = Vec::new();
        Collections::locate(&bytes, off, &mut p);
        netlink_genl_core::AttrPath(p).to_string()
    };
    let top: Vec<Attr<'_>> = AttrIter::new(&bytes).map(|a| a.unwrap()).collect();
    let find = |id: u16, n: usize| top.iter().filter(|a| a.id() == id).nth(n).unwrap();
    let inner = find(1, 0);
    let label = inner.nested().nth(1).unwrap().unwrap();
    assert_eq!(
        path_at(inner.payload_offset() + label.offset()),
        "inner.label"
    );
    assert_eq!(path_at(find(3, 2).offset()), "multi[2]");
    let second = find(5, 1);
    let l = second.nested().nth(1).unwrap().unwrap();
    assert_eq!(
        path_at(second.payload_offset() + l.offset()),
        "multi_sets[1].label"
    );
    let arr = find(6, 0);
    let e2 = arr.nested().nth(2).unwrap().unwrap();
    let x = e2.nested().next().unwrap().unwrap();
    assert_eq!(
        path_at(arr.payload_offset() + e2.payload_offset() + x.offset()),
        "array[2].x"
    );
    let map = find(10, 0);
    let entry = map.nested().next().unwrap().unwrap();
    let ml = entry.nested().nth(1).unwrap().unwrap();
    assert_eq!(
        path_at(map.payload_offset() + entry.payload_offset() + ml.offset()),
        "map{7}.label"
    );
}
