//! The generated code triggers no warning in a user crate with strict lints: this file denies
//! clippy's pedantic and nursery groups and several allow-by-default rustc lints, and uses every
//! kind of field and variant. `cargo clippy --all-targets -- -D warnings` checks it.
#![deny(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    unused_qualifications,
    unused_results,
    unused_lifetimes,
    single_use_lifetimes,
    elided_lifetimes_in_paths,
    trivial_casts,
    trivial_numeric_casts,
    unreachable_pub,
    unsafe_code,
    missing_debug_implementations,
    meta_variable_misuse
)]
// `large_enum_variant` is about the enum as the user wrote it, not about generated code.
#![allow(dead_code, clippy::large_enum_variant)]

use std::collections::BTreeMap;

use netlink_genl::{DecodeAttrs, GenlDecode, GenlMessage, NlAttrs};
use netlink_genl_core::attr::{ArrayView, Attr, BitField32, OwnedAttr};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

const ATTR_NAME: u16 = 2;
const CMD_GET: u8 = 3;

#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
struct Stats {
    a: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
struct Inner {
    #[nla(id = 1)]
    x: u32,
}

#[derive(Debug, NlAttrs)]
#[nla(deny_unknown)]
struct Strict {
    #[nla(id = 1)]
    x: Option<u32>,
}

#[derive(Debug, NlAttrs)]
struct Everything<'a> {
    #[nla(id = 1)]
    a: u8,
    #[nla(id = ATTR_NAME)]
    name: &'a str,
    #[nla(id = 3, big_endian)]
    port: u16,
    #[nla(id = 4, uint)]
    n: u64,
    #[nla(id = 5, sint)]
    s: i64,
    #[nla(id = 6, flag)]
    up: bool,
    #[nla(id = 7)]
    owned: Option<String>,
    #[nla(id = 8)]
    raw: &'a [u8],
    #[nla(id = 9)]
    mac: [u8; 6],
    #[nla(id = 10, fixed)]
    stats: Stats,
    #[nla(id = 11, nested)]
    inner: Inner,
    #[nla(id = 12, multi)]
    multi: Vec<u32>,
    #[nla(id = 13, array)]
    array: Vec<Inner>,
    #[nla(id = 14, keyed)]
    keyed: Vec<(u16, Inner)>,
    #[nla(id = 15, keyed)]
    map: BTreeMap<u32, u32>,
    #[nla(id = 16)]
    bits: BitField32,
    #[nla(id = 17, array)]
    lazy: Option<ArrayView<'a, u32>>,
    #[nla(id = 18, default)]
    d: u32,
    #[nla(id = 19, multi, nested)]
    sets: Vec<Inner>,
    #[nla(id = 20)]
    boxed: Option<Box<Inner>>,
    #[nla(skip)]
    cache: u8,
    #[nla(unknown)]
    rest: Vec<Attr<'a>>,
}

#[derive(Debug, NlAttrs)]
struct Owned {
    #[nla(id = 1)]
    a: Option<u32>,
    #[nla(unknown)]
    rest: Vec<OwnedAttr>,
}

#[derive(Debug, NlAttrs)]
struct Generic<T> {
    #[nla(id = 1)]
    t: T,
}

#[derive(Debug, NlAttrs)]
struct Empty {}

#[derive(Debug, GenlMessage)]
#[genl(family = "demo", version = 2)]
enum Demo<'a> {
    #[genl(cmd = 1)]
    New(Everything<'a>),
    #[genl(cmd = CMD_GET, request)]
    Get(Inner),
    #[genl(cmd = 3)]
    GetReply(Inner),
    #[genl(cmd = 4)]
    Ping,
}

#[derive(Debug, GenlMessage)]
#[genl(family = "owned")]
enum OwnedMsg {
    #[genl(cmd = 1)]
    A(Owned),
    #[genl(cmd = 2)]
    B(Empty),
}

#[test]
fn strict_lints_compile() {
    let bytes = netlink_genl_core::attrs_to_vec(&Inner { x: 1 }).unwrap();
    assert!(matches!(
        Demo::decode_genl(3, &bytes),
        Ok(Demo::GetReply(_))
    ));
    assert!(Strict::decode_attrs(&bytes).is_ok());
    assert!(OwnedMsg::decode_genl(2, &[]).is_ok());
    assert_eq!(Demo::Ping.command(), 4);
    let g = Generic { t: 5u32 };
    assert_eq!(netlink_genl_core::attrs_to_vec(&g).unwrap().len(), 8);
}
