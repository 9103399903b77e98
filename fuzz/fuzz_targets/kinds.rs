//! An attribute set with a field of every kind the derive supports, for the `roundtrip` and
//! `trace` targets (included with `#[path]`; not a target of its own).
// Request variants are only ever sent, and the targets never send.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use netlink_genl::netlink_genl_core::attr::{BitField32, OwnedAttr};
use netlink_genl::{GenlMessage, NlAttrs};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// A `fixed` payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct Stats {
    pub packets: u64,
    pub drops: u32,
    pub errors: u32,
}

/// A recursive nested set.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Inner {
    #[nla(id = 1)]
    pub a: Option<u32>,
    #[nla(id = 2)]
    pub name: Option<String>,
    #[nla(id = 3, nested)]
    pub child: Option<Box<Inner>>,
}

/// Required, `default` and `flag` fields, and unknown ids refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
#[nla(deny_unknown)]
pub struct Strict {
    #[nla(id = 1)]
    pub x: u16,
    #[nla(id = 2, default)]
    pub y: u32,
    #[nla(id = 3, flag)]
    pub z: bool,
}

/// Every field kind: plain integers, `bool`, `big_endian`, `uint`/`sint`, `flag`, strings,
/// bytes, byte arrays, addresses, `BitField32`, `fixed`, `nested`, `Box`, `multi`, `array`
/// (of sets and of scalars with element options, `Option<Vec>`), `keyed` (`Vec`, `BTreeMap`,
/// `Option<Vec>`), `default`, `skip`, unknown-attribute collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct AllKinds {
    #[nla(id = 1)]
    pub u8: Option<u8>,
    #[nla(id = 2)]
    pub u16: Option<u16>,
    #[nla(id = 3)]
    pub u32: Option<u32>,
    #[nla(id = 4)]
    pub u64: Option<u64>,
    #[nla(id = 5)]
    pub i8: Option<i8>,
    #[nla(id = 6)]
    pub i16: Option<i16>,
    #[nla(id = 7)]
    pub i32: Option<i32>,
    #[nla(id = 8)]
    pub i64: Option<i64>,
    #[nla(id = 9)]
    pub boolean: Option<bool>,
    #[nla(id = 10, big_endian)]
    pub be16: Option<u16>,
    #[nla(id = 11, big_endian)]
    pub be32: Option<u32>,
    #[nla(id = 12, big_endian)]
    pub be_i64: Option<i64>,
    #[nla(id = 13, uint)]
    pub uint64: Option<u64>,
    #[nla(id = 14, uint)]
    pub uint16: Option<u16>,
    #[nla(id = 15, sint)]
    pub sint32: Option<i32>,
    #[nla(id = 16, sint)]
    pub sint64: Option<i64>,
    #[nla(id = 17, flag)]
    pub flag: bool,
    #[nla(id = 18)]
    pub string: Option<String>,
    #[nla(id = 19)]
    pub bytes: Option<Vec<u8>>,
    #[nla(id = 20)]
    pub mac: Option<[u8; 6]>,
    #[nla(id = 21)]
    pub v4: Option<Ipv4Addr>,
    #[nla(id = 22)]
    pub v6: Option<Ipv6Addr>,
    #[nla(id = 23)]
    pub bits: Option<BitField32>,
    #[nla(id = 24, fixed)]
    pub stats: Option<Stats>,
    #[nla(id = 25, nested)]
    pub inner: Option<Inner>,
    #[nla(id = 26, multi)]
    pub multi_u32: Vec<u32>,
    #[nla(id = 27, multi)]
    pub multi_str: Vec<String>,
    #[nla(id = 28, multi, nested)]
    pub multi_set: Vec<Inner>,
    #[nla(id = 29, multi, big_endian)]
    pub multi_be: Vec<u16>,
    #[nla(id = 30, array)]
    pub array_set: Vec<Inner>,
    #[nla(id = 31, array, uint)]
    pub array_uint: Vec<u64>,
    #[nla(id = 32, array)]
    pub array_opt: Option<Vec<u32>>,
    #[nla(id = 33, array, big_endian)]
    pub array_be: Vec<u32>,
    #[nla(id = 34, array, fixed)]
    pub array_fixed: Vec<Stats>,
    #[nla(id = 35, keyed)]
    pub keyed_sets: Vec<(u16, Inner)>,
    #[nla(id = 36, keyed)]
    pub keyed_map: BTreeMap<u8, u32>,
    #[nla(id = 37, keyed)]
    pub keyed_opt: Option<Vec<(u32, String)>>,
    #[nla(id = 38, nested)]
    pub strict: Option<Strict>,
    #[nla(id = 39)]
    pub boxed: Option<Box<Inner>>,
    #[nla(id = 40, default)]
    pub defaulted: u32,
    #[nla(id = 41, array, sint)]
    pub array_sint: Vec<i16>,
    #[nla(id = 42, keyed)]
    pub keyed_nested: Vec<(u32, Vec<(u16, Inner)>)>,
    #[nla(skip)]
    pub cache: u8,
    #[nla(unknown)]
    pub rest: Vec<OwnedAttr>,
}

/// Required fields of every sort.
#[derive(Debug, Clone, PartialEq, Eq, NlAttrs)]
pub struct Required {
    #[nla(id = 1)]
    pub id: u32,
    #[nla(id = 2)]
    pub name: String,
    #[nla(id = 3, nested)]
    pub strict: Strict,
    #[nla(id = 4, big_endian)]
    pub port: u16,
    #[nla(id = 5)]
    pub addr: Ipv6Addr,
}

/// A family with requests sharing numbers with replies and a command without attributes.
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "fuzzdemo", version = 3)]
pub enum Demo {
    #[genl(cmd = 1)]
    All(AllKinds),
    #[genl(cmd = 2)]
    Req(Required),
    #[genl(cmd = 3, request, reply = GetReply)]
    Get(Required),
    #[genl(cmd = 3)]
    GetReply(AllKinds),
    #[genl(cmd = 4)]
    Ping,
    #[genl(cmd = 5)]
    Strict(Strict),
}
