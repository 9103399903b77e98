//! Every field kind of the table in DESIGN §2, in one set.
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use netlink_genl::netlink_genl_core::attr::{ArrayView, Attr, BitField32, OwnedAttr, RawAttrs};
use netlink_genl::{DecodeAttrs, EncodeAttrs, NlAttrs};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
struct TaskStats {
    version: u16,
    _pad: [u8; 2],
    exitcode: u32,
}

#[derive(NlAttrs)]
struct Inner {
    #[nla(id = 1)]
    x: u32,
}

const ID_NAME: u16 = 20;

#[derive(NlAttrs)]
struct Table<'a> {
    #[nla(id = 1)] a_u8: u8,
    #[nla(id = 2)] a_u16: u16,
    #[nla(id = 3)] a_u32: u32,
    #[nla(id = 4)] a_u64: u64,
    #[nla(id = 5)] a_i8: i8,
    #[nla(id = 6)] a_i16: i16,
    #[nla(id = 7)] a_i32: i32,
    #[nla(id = 8)] a_i64: i64,
    #[nla(id = 9, big_endian)] port: u16,
    #[nla(id = 10, uint)] bytes: u64,
    #[nla(id = 11, sint)] delta: i64,
    #[nla(id = 12, flag)] up: bool,
    #[nla(id = 13)] name: String,
    #[nla(id = 14)] alias: &'a str,
    #[nla(id = 15)] data: Vec<u8>,
    #[nla(id = 16)] raw: &'a [u8],
    #[nla(id = 17)] mac: [u8; 6],
    #[nla(id = 18, fixed)] stats: TaskStats,
    #[nla(id = 19, nested)] inner: Inner,
    #[nla(id = ID_NAME, multi)] addrs: Vec<u32>,
    #[nla(id = 21, array)] ops: Vec<Inner>,
    #[nla(id = 22, keyed)] policy: Vec<(u16, Inner)>,
    #[nla(id = 23, keyed)] map: BTreeMap<u32, u32>,
    #[nla(id = 24)] bits: BitField32,
    #[nla(id = 25)] opt: Option<u32>,
    #[nla(id = 26)] v4: Ipv4Addr,
    #[nla(id = 27)] v6: Option<Ipv6Addr>,
    #[nla(id = 28, array)] lazy: Option<ArrayView<'a, u32>>,
    #[nla(id = 29)] nest_raw: Option<RawAttrs<'a>>,
    #[nla(id = 30, multi, big_endian)] ports: Vec<u16>,
    #[nla(id = 31, array, uint)] counters: Vec<u64>,
    #[nla(id = 32, multi, nested)] sets: Vec<Inner>,
    #[nla(id = 33, default)] mtu: u32,
    #[nla(id = 34)] boxed: Option<Box<Inner>>,
    #[nla(id = 35, array, fixed)] stats_list: Vec<TaskStats>,
    #[nla(skip)] cache: u32,
    #[nla(unknown)] rest: Vec<Attr<'a>>,
}

#[derive(NlAttrs)]
struct Owned {
    #[nla(id = 1)] x: Option<u32>,
    #[nla(unknown)] rest: Vec<OwnedAttr>,
}

#[derive(NlAttrs)]
#[nla(deny_unknown)]
struct Strict {
    #[nla(id = 1)] x: Option<u32>,
}

fn main() {
    fn assert_set<T: EncodeAttrs + for<'a> DecodeAttrs<'a>>() {}
    fn assert_borrowed<'a, T: EncodeAttrs + DecodeAttrs<'a>>() {}
    assert_set::<Inner>();
    assert_borrowed::<Table<'_>>();
}
