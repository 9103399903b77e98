//! # Reference: every `#[nla(...)]` and `#[genl(...)]` option
//!
//! An **attribute set** is a struct with `#[derive(NlAttrs)]`: one field per attribute. A
//! **family's messages** are an enum with `#[derive(GenlMessage)]`: one variant per command,
//! each holding an attribute set (or nothing). A **sub-message** (a nest whose layout another
//! attribute chooses) is an enum with `#[derive(NlSubMessage)]`. Options are bare words for yes/no settings and
//! `key = value` for values; ids, commands and crate paths are Rust literals or paths, never code
//! in strings. Each section below shows what an option does on the wire, with an example that
//! runs as a test.
//!
//! | option | where | on the wire |
//! |---|---|---|
//! | [`id = N`](#id) | field | the attribute type (required for every field on the wire) |
//! | *(none)* | field | [the type's own kind](#field-types-without-options): ints in host order, strings with NUL, bytes, nests, ... |
//! | [`Option<T>`](#optional-and-required-fields) | field type | optional; any other field is required |
//! | [`nested`](#nested) | field | a nest holding an attribute set (checked at compile time) |
//! | [`big_endian`](#big_endian) | field | integer in network byte order |
//! | [`uint`, `sint`](#uint-and-sint) | field | `NLA_UINT`/`NLA_SINT`: 4 bytes when the value fits, else 8 |
//! | [`flag`](#flag) | `bool` field | `NLA_FLAG`: present = true, no payload |
//! | [`fixed`](#fixed) | field | a zerocopy `#[repr(C)]` struct as bytes |
//! | [`array`](#array) | `Vec<T>` field | indexed array: one nest, elements numbered 1..n |
//! | [`multi`](#multi) | `Vec<T>` field | the attribute repeated once per element |
//! | [`keyed`](#keyed) | `Vec<(K, V)>` / `BTreeMap<K, V>` | one nest whose entries' types are the keys |
//! | [`packed`](#packed) | `Vec<integer>` field | one attribute, the integers back to back in host order |
//! | [`unknown`](#unknown) | `Vec<OwnedAttr>` / `Vec<Attr<'a>>` | keeps unknown attributes; written back after the known ones |
//! | [`skip`](#skip) | field | not on the wire; `Default` on decode |
//! | [`default`](#default) | field | absent decodes as `Default::default()` |
//! | [`repr = W`](#repr) | field | an integer, or an enum implementing `IntValue`, as the integer type `W` |
//! | [`selector = field`](#selector-sub-messages) | sub-message field | a nest whose layout the value of `field` chooses (`#[derive(NlSubMessage)]`) |
//! | [`kind = "v"`, `unknown`](#selector-sub-messages) | `NlSubMessage` variant | the selector value of a layout; the fallback keeping other values' payloads |
//! | [`min`, `max`, `min_len`, `max_len`, `exact_len`, `mask`](#bounds-min-max-min_len-max_len-exact_len-mask) | field | nothing: bounds recorded in the schema (the kernel's policy `checks`) |
//! | [`deny_unknown`](#deny_unknown) | struct | an unknown attribute id is a decode error |
//! | [`crate = path`](#crate) | struct, enum | the runtime crate's path when it is renamed |
//! | [`family`, `version`](#family-and-version) | enum | the family name (resolved to an id at run time) and genl version |
//! | [`header = T`](#header) | enum | a fixed user header after the genl header |
//! | [`cmd = N`](#cmd) | variant | the genl command number |
//! | [`request`](#request) | variant | sent only: not decoded, may share its number with a reply |
//! | [`reply = Variant`](#reply) | variant | answered by one message of that variant: sent without `NLM_F_ACK` |
//! | [`ack`](#ack) | variant | answered by the ACK alone: sent with `NLM_F_ACK` |
//! | [`do`, `dump`](#operations-do-dump-mcast-event-groups) | variant | the kernel accepts it as a do / dump request, with these request and reply attributes |
//! | [`mcast = "g"`, `event(..)`](#operations-do-dump-mcast-event-groups) | variant | a notification to multicast group `g`, carrying these attributes |
//! | [`groups(..)`](#operations-do-dump-mcast-event-groups) | enum | the family's multicast groups |
//! | [`admin_perm`, `uns_admin_perm`, `dont_validate(..)`](#operation-flags-admin_perm-uns_admin_perm-dont_validate-kernel_policy) | variant | who may run the operation, how the kernel validates its requests |
//! | [`kernel_policy = ..`](#operation-flags-admin_perm-uns_admin_perm-dont_validate-kernel_policy) | enum | `split`, `per_op` or `global`: how the kernel's request policies are laid out |
//!
//! All examples use these imports (hidden in the code below):
//!
//! ```
//! use netlink_genl::{DecodeAttrs, EncodeAttrs, GenlDecode, GenlMessage, NlAttrs};
//! use netlink_genl::netlink_genl_core::attrs_to_vec;
//! ```
//!
//! # Attribute sets: `#[derive(NlAttrs)]`
//!
//! The generated code implements `AttrSet`, `EncodeAttrs` and `DecodeAttrs<'a>` (and
//! `NlaEncode`/`NlaDecode<'a>`, so a set nests in other sets). Encoding computes the exact
//! length first ([`EncodeAttrs::attrs_len`](crate::EncodeAttrs::attrs_len)) and then writes the
//! fields in declaration order in one pass, without allocating; decoding is one pass over the
//! attributes.
//!
//! ## `id`
//!
//! `#[nla(id = N)]` gives the attribute type, an integer literal `0..=16383` (the type field is
//! 14 bits) or the path of a `u16` const. Ids given as consts are checked at compile time too:
//! a const out of range or equal to another field's id is a compile error.
//!
//! Id 0 is usually the set's reserved `*_UNSPEC`, but some families send attributes of type 0
//! and read them with their own loops rather than `nla_parse` (which skips type 0): nl80211's
//! band `2ghz` in `wiphy-bands`, ovs_flow's tunnel `id`, ovs_vport's upcall `success`,
//! devlink's `stats-rx-packets`. Write it explicitly when the family does; it is an attribute
//! like any other (schema, trace, error paths). Sent in a request to a set the kernel parses
//! with `nla_parse`, it would be skipped (or, under strict validation, rejected as "Unknown
//! attribute type").
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct TunnelKey {
//!     #[nla(id = 0, big_endian)]
//!     id: Option<u64>,
//!     #[nla(id = 1)]
//!     ipv4_src: Option<std::net::Ipv4Addr>,
//! }
//! let k = TunnelKey { id: Some(7), ipv4_src: None };
//! let bytes = attrs_to_vec(&k)?;
//! assert_eq!(bytes[..4], [12, 0, 0, 0]); // nla_len 12, type 0
//! assert_eq!(TunnelKey::decode_attrs(&bytes)?, k);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `id` of a set of your own:
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! const CTRL_ATTR_FAMILY_ID: u16 = 1;
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Family {
//!     #[nla(id = CTRL_ATTR_FAMILY_ID)]
//!     id: u16,
//!     #[nla(id = 2)]
//!     name: String,
//! }
//!
//! let f = Family { id: 16, name: "nlctrl".into() };
//! let bytes = attrs_to_vec(&f)?;
//! // nla_len 6, type 1, u16 16, 2 bytes padding; nla_len 11, type 2, "nlctrl\0", 1 byte padding
//! let mut expected = vec![6, 0, 1, 0];
//! expected.extend(16u16.to_ne_bytes());
//! expected.extend([0, 0, 11, 0, 2, 0]);
//! expected.extend(b"nlctrl\0\0");
//! assert_eq!(bytes, expected);
//! assert_eq!(Family::decode_attrs(&bytes)?, f);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Field types without options
//!
//! A field without options uses its type's own kind (the type's
//! [`NlaEncode`](crate::NlaEncode)/[`NlaDecode`](crate::NlaDecode) impls):
//!
//! | field type | wire |
//! |---|---|
//! | `u8 u16 u32 u64 i8 i16 i32 i64` | fixed width, host byte order |
//! | `bool` | a `u8`: 0 or 1 (any non-zero decodes as true); see [`flag`](#flag) for `NLA_FLAG` |
//! | `String`, `&'a str` | NUL-terminated on encode (a string holding a NUL is an `InteriorNul` encode error; one of exactly 65,531 bytes, the payload limit, is written without its NUL); decode accepts it with or without the NUL, rejects bad UTF-8 |
//! | `Vec<u8>`, `&'a [u8]`, `[u8; N]` | binary, as is (`[u8; N]` needs exactly `N` bytes) |
//! | `Ipv4Addr`, `Ipv6Addr` | 4 / 16 bytes, network order |
//! | `BitField32` | `NLA_BITFIELD32`: value and selector |
//! | a struct deriving `NlAttrs` | a nest (`NLA_F_NESTED` set on encode, accepted with or without on decode) |
//! | `Box<T>` | as `T` (for recursive sets) |
//! | `RawAttrs<'a>` | a nest kept undecoded |
//! | your type implementing `NlaEncode` + `NlaDecode` | your kind (enums, bitflags, ...) |
//!
//! A `Vec<T>` other than `Vec<u8>` needs [`multi`](#multi) or [`array`](#array), and
//! `Vec<(K, V)>`/`BTreeMap<K, V>` need [`keyed`](#keyed): the derive asks how a list is sent
//! rather than guessing. Types with no netlink kind (`f64`, `usize`, `char`, tuples, `HashMap`,
//! references other than `&str`/`&[u8]`) are compile errors that say what to use instead.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! use std::net::Ipv4Addr;
//! use netlink_genl::netlink_genl_core::attr::BitField32;
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Link {
//!     #[nla(id = 1)] mtu: u32,
//!     #[nla(id = 2)] up: bool,
//!     #[nla(id = 3)] name: String,
//!     #[nla(id = 4)] mac: [u8; 6],
//!     #[nla(id = 5)] addr: Ipv4Addr,
//!     #[nla(id = 6)] flags: BitField32,
//! }
//!
//! let l = Link {
//!     mtu: 1500,
//!     up: true,
//!     name: "eth0".into(),
//!     mac: [2, 0, 0, 0, 0, 1],
//!     addr: Ipv4Addr::new(192, 0, 2, 1),
//!     flags: BitField32 { value: 1, selector: 1 },
//! };
//! let bytes = attrs_to_vec(&l)?;
//! assert_eq!(&bytes[4..8], 1500u32.to_ne_bytes()); // host order
//! assert_eq!(&bytes[12..13], [1]); // bool as u8
//! assert_eq!(&bytes[20..25], b"eth0\0"); // NUL-terminated
//! assert_eq!(Link::decode_attrs(&bytes)?, l);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Optional and required fields
//!
//! An `Option<T>` field is optional: `None` is not written, and an absent attribute decodes as
//! `None`. Any other field is required: its absence is a decode error that names it. The
//! exceptions: [`flag`](#flag) (absent = false), the collections of [`multi`](#multi),
//! [`array`](#array) and [`keyed`](#keyed) (absent = empty; an empty one is not written; use
//! `Option<Vec<T>>` with `array`/`keyed` to tell an empty nest from an absent one),
//! [`default`](#default) and [`skip`](#skip).
//!
//! When an attribute appears more than once, the **last one wins**, as with the kernel's
//! `nla_parse` (except for `multi` fields, which keep every occurrence).
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Dev {
//!     #[nla(id = 1)] ifindex: u32,
//!     #[nla(id = 2)] alias: Option<String>,
//! }
//!
//! let bytes = attrs_to_vec(&Dev { ifindex: 7, alias: None })?;
//! assert_eq!(bytes.len(), 8, "None is not written");
//! assert_eq!(Dev::decode_attrs(&bytes)?.alias, None);
//!
//! let err = Dev::decode_attrs(&[]).unwrap_err();
//! assert_eq!(err.to_string(), "Dev.ifindex: missing required attribute (id 1)");
//!
//! // Duplicates: the last one wins.
//! let mut twice = attrs_to_vec(&Dev { ifindex: 1, alias: None })?;
//! twice.extend(attrs_to_vec(&Dev { ifindex: 2, alias: None })?);
//! assert_eq!(Dev::decode_attrs(&twice)?.ifindex, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `nested`
//!
//! The field is an attribute set: a nest with `NLA_F_NESTED`, decoded with a bound on the
//! nesting depth. A set field is nested even without the option; `nested` documents it and
//! makes "this type is not an attribute set" a compile error at the field (and `nested` on a
//! scalar such as `u32` is rejected). It also applies to the elements of `multi` and `array`.
//! Decode errors carry the path through the nests.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Header {
//!     #[nla(id = 1)] dev_index: Option<u32>,
//!     #[nla(id = 2)] dev_name: Option<String>,
//! }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct LinkInfoGet {
//!     #[nla(id = 1, nested)] header: Header,
//! }
//!
//! let req = LinkInfoGet { header: Header { dev_index: None, dev_name: Some("lo".into()) } };
//! let bytes = attrs_to_vec(&req)?;
//! assert_eq!(u16::from_ne_bytes([bytes[2], bytes[3]]), 1 | 0x8000); // type 1 | NLA_F_NESTED
//! assert_eq!(LinkInfoGet::decode_attrs(&bytes)?, req);
//!
//! // An error inside the nest names the path.
//! let mut bad = bytes.clone();
//! bad[4] = 5; // dev_name's nla_len: 7 -> 5 ("l" without NUL is fine) ...
//! bad[8] = 0xff; // ... but 0xff is not UTF-8
//! let err = LinkInfoGet::decode_attrs(&bad).unwrap_err();
//! assert!(err.to_string().starts_with("LinkInfoGet.header.dev_name: invalid UTF-8"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `big_endian`
//!
//! An integer in network byte order (e.g. ports, `be32` attributes). Integers only: on a string
//! or any other non-integer type it is a compile error. Composes with `multi` and `array` (the
//! elements are big-endian).
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Endpoint {
//!     #[nla(id = 1, big_endian)] port: u16,
//!     #[nla(id = 2, multi, big_endian)] more_ports: Vec<u16>,
//! }
//!
//! let e = Endpoint { port: 443, more_ports: vec![80] };
//! let bytes = attrs_to_vec(&e)?;
//! assert_eq!(&bytes[4..6], [0x01, 0xbb]);
//! assert_eq!(&bytes[12..14], [0x00, 0x50]);
//! assert_eq!(Endpoint::decode_attrs(&bytes)?, e);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `uint` and `sint`
//!
//! `NLA_UINT` / `NLA_SINT` (kernel 6.8+): written as 4 bytes when the value fits, else 8; decode
//! accepts both widths (a value too large for the field's type is an error). `uint` takes
//! unsigned integer types, `sint` signed ones.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Counters {
//!     #[nla(id = 1, uint)] rx_bytes: u64,
//!     #[nla(id = 2, sint)] delta: i64,
//! }
//!
//! let small = attrs_to_vec(&Counters { rx_bytes: 10, delta: -1 })?;
//! assert_eq!(small.len(), 16); // two 4-byte payloads
//! let big = attrs_to_vec(&Counters { rx_bytes: 1 << 40, delta: -1 })?;
//! assert_eq!(big.len(), 20); // rx_bytes needs 8
//! assert_eq!(Counters::decode_attrs(&big)?.rx_bytes, 1 << 40);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `flag`
//!
//! `NLA_FLAG` on a `bool`: `true` is an attribute with an empty payload, `false` is not written.
//! An absent flag decodes as `false` (never a "missing" error); a flag with a payload is a
//! decode error. Without `flag`, a `bool` is a `u8`.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Opts {
//!     #[nla(id = 1, flag)] verbose: bool,
//!     #[nla(id = 2, flag)] dry_run: bool,
//! }
//!
//! let bytes = attrs_to_vec(&Opts { verbose: true, dry_run: false })?;
//! assert_eq!(bytes, [4, 0, 1, 0]); // one empty attribute
//! assert_eq!(Opts::decode_attrs(&bytes)?, Opts { verbose: true, dry_run: false });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `fixed`
//!
//! A zerocopy struct (`FromBytes + IntoBytes + KnownLayout + Immutable`, `#[repr(C)]`) carried
//! as its bytes, e.g. `struct taskstats`. A shorter payload is an error; a longer one is
//! accepted and the tail ignored, since kernel structs grow at the end.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};
//!
//! #[derive(Debug, Clone, Copy, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
//! #[repr(C)]
//! struct Stats { packets: u64, drops: u32, errors: u32 }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Report {
//!     #[nla(id = 1, fixed)] stats: Stats,
//! }
//!
//! let r = Report { stats: Stats { packets: 5, drops: 1, errors: 0 } };
//! let bytes = attrs_to_vec(&r)?;
//! assert_eq!(bytes.len(), 4 + 16);
//! assert_eq!(Report::decode_attrs(&bytes)?, r);
//!
//! // A newer kernel's longer struct still decodes.
//! let mut longer = bytes.clone();
//! longer[0] += 4;
//! longer.extend([0; 4]);
//! assert_eq!(Report::decode_attrs(&longer)?, r);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `array`
//!
//! An indexed array (YNL `indexed-array`) on a `Vec<T>`: one nest whose entries are numbered
//! 1..n, each holding an element (an attribute set, or a scalar with the element options
//! `big_endian`, `uint`, `sint`, `fixed`, `nested`). Decode keeps the wire order and ignores the
//! numbers. On `ArrayView<'a, T>` it is decoded lazily, without allocation. nlctrl's `OPS` and
//! `MCAST_GROUPS` are indexed arrays. Errors name the element: `Family.ops[3].flags`.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Op {
//!     #[nla(id = 1)] id: u32,
//!     #[nla(id = 2)] flags: u32,
//! }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Family {
//!     #[nla(id = 6, array)] ops: Vec<Op>,
//!     #[nla(id = 7, array, uint)] counters: Vec<u64>,
//! }
//!
//! let f = Family { ops: vec![Op { id: 3, flags: 0xe }, Op { id: 10, flags: 0xc }], counters: vec![] };
//! let bytes = attrs_to_vec(&f)?;
//! // the nest's entries are numbered 1 and 2
//! assert_eq!(u16::from_ne_bytes([bytes[6], bytes[7]]), 1 | 0x8000);
//! assert_eq!(u16::from_ne_bytes([bytes[26], bytes[27]]), 2 | 0x8000);
//! assert_eq!(bytes.len(), 4 + 2 * 20, "an empty array is not written");
//! assert_eq!(Family::decode_attrs(&bytes)?, f);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `multi`
//!
//! A repeated attribute (YNL `multi-attr`) on a `Vec<T>`: one attribute per element, all with
//! the same id, in order. Absent decodes as an empty `Vec`. Element options compose:
//! `multi, big_endian`, `multi, nested`, ... Errors name the element: `Route.gateways[1]`.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Route {
//!     #[nla(id = 1, multi)] gateways: Vec<u32>,
//! }
//!
//! let r = Route { gateways: vec![1, 2, 3] };
//! let bytes = attrs_to_vec(&r)?;
//! assert_eq!(bytes.len(), 3 * 8); // three attributes of type 1
//! assert_eq!(Route::decode_attrs(&bytes)?, r);
//! assert_eq!(Route::decode_attrs(&[])?.gateways, []);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `keyed`
//!
//! A keyed nest (YNL `nest-type-value`) on `Vec<(K, V)>` (wire order kept) or `BTreeMap<K, V>`:
//! one nest whose entries' attribute types are the keys (any unsigned integer type, at most
//! 14 bits). nlctrl's policy dumps are keyed nests of keyed nests. The values take the element
//! options, as with `array` and `multi` (`keyed, big_endian`, `keyed, uint`, `keyed, fixed`,
//! `keyed, nested`); a value that is itself a keyed nest needs none. Errors name the key:
//! `Family.policy{0}{2}.max_length`.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! use std::collections::BTreeMap;
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct OpPolicy {
//!     #[nla(id = 1)] do_policy: Option<u32>,
//!     #[nla(id = 2)] dump_policy: Option<u32>,
//! }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Policies {
//!     /// command -> its policies
//!     #[nla(id = 9, keyed)] op_policy: BTreeMap<u8, OpPolicy>,
//!     /// port -> address, both in network byte order on the wire
//!     #[nla(id = 10, keyed, big_endian)] ports: Vec<(u16, u32)>,
//! }
//!
//! let p = Policies {
//!     op_policy: BTreeMap::from([(3, OpPolicy { do_policy: Some(0), dump_policy: Some(0) })]),
//!     ports: vec![(80, 0x0a00_0001)],
//! };
//! let bytes = attrs_to_vec(&p)?;
//! assert_eq!(u16::from_ne_bytes([bytes[6], bytes[7]]) & 0x3fff, 3); // the entry's type is its key
//! assert!(bytes.ends_with(&[8, 0, 80, 0, 10, 0, 0, 1])); // key 80, value big-endian
//! assert_eq!(Policies::decode_attrs(&bytes)?, p);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `packed`
//!
//! A packed array (YNL `binary` with a `sub-type`, e.g. ethtool's and nl80211's arrays of
//! `u32`) on a `Vec` of an integer type: one attribute whose payload is the elements back to
//! back in host order, without headers. Absent decodes as an empty `Vec` (an empty one is not
//! written; use `Option<Vec<T>>` to tell them apart). A payload that is not a whole number of
//! elements is a decode error. Other element types, and the value options (`big_endian`,
//! `uint`, ...), are compile errors.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Rates {
//!     #[nla(id = 1, packed)] legacy: Vec<u32>,
//! }
//!
//! let r = Rates { legacy: vec![10, 20, 55] };
//! let bytes = attrs_to_vec(&r)?;
//! assert_eq!(bytes.len(), 4 + 3 * 4); // one header, three u32s
//! assert_eq!(Rates::decode_attrs(&bytes)?, r);
//! assert!(Rates::decode_attrs(&[7, 0, 1, 0, 1, 2, 3, 0]).is_err()); // 3 bytes: not whole u32s
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `repr`
//!
//! `repr = W` carries a value as the integer type `W` (`u8` … `u64`, `i8` … `i64`) whatever
//! the field type's own width: the field type is an integer or a type implementing
//! [`IntValue`](crate::netlink_genl_core::attr::IntValue) (its value as an `i128` and back),
//! such as an enum with an `Unknown` fallback. So one enum serves attributes that carry it at
//! different widths (YNL: an `enum:` named by a `u8` attribute and a `u32` one; `netlink-ynl`
//! generates `IntValue` and `repr` for them). With `multi`, `array` or `keyed` it applies to
//! each element; `big_endian`, and `uint`/`sint` matching `W`'s sign, choose `W`'s encoding;
//! the schema records `W`'s kind.
//!
//! A value that does not fit `W` is an encode error
//! ([`DoesNotFit`](crate::netlink_genl_core::EncodeErrorKind::DoesNotFit), with the field's
//! path), never a truncated value; a value read that the field type cannot hold (a `u64` above
//! an enum's `Unknown(u32)`) is an [`InvalidValue`](crate::DecodeErrorKind::InvalidValue)
//! decode error. An enum whose fallback is as wide as the widest `W` it is carried in keeps
//! every value it reads. `repr` with a non-integer `W`, on a string, bytes, a flag or a set,
//! with `nested`, `fixed` or `packed`, and with `uint`/`sint` of the other sign are compile
//! errors.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! use netlink_genl::netlink_genl_core::attr::IntValue;
//!
//! #[derive(Debug, Clone, Copy, PartialEq)]
//! enum Iftype { Station, Ap, Unknown(u32) }
//!
//! impl IntValue for Iftype {
//!     const NAME: &'static str = "Iftype";
//!     fn to_i128(self) -> i128 {
//!         match self { Iftype::Station => 2, Iftype::Ap => 3, Iftype::Unknown(v) => v.into() }
//!     }
//!     fn from_i128(v: i128) -> Option<Self> {
//!         Some(match u32::try_from(v).ok()? { 2 => Iftype::Station, 3 => Iftype::Ap, v => Iftype::Unknown(v) })
//!     }
//! }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Iface {
//!     #[nla(id = 1, repr = u32)] iftype: Option<Iftype>,
//!     #[nla(id = 2, repr = u8)] old_iftype: Option<Iftype>,
//!     #[nla(id = 3, multi, repr = u16)] supported: Vec<Iftype>,
//! }
//!
//! let i = Iface {
//!     iftype: Some(Iftype::Unknown(70_000)), // kept as is
//!     old_iftype: Some(Iftype::Ap),
//!     supported: vec![Iftype::Station, Iftype::Ap],
//! };
//! let bytes = attrs_to_vec(&i)?;
//! assert_eq!(bytes[8..12], [5, 0, 2, 0]); // old_iftype: one byte
//! assert_eq!(Iface::decode_attrs(&bytes)?, i);
//!
//! let too_wide = Iface { old_iftype: Some(Iftype::Unknown(300)), iftype: None, supported: vec![] };
//! assert_eq!(
//!     attrs_to_vec(&too_wide).unwrap_err().to_string(),
//!     "Iface.old_iftype: value 300 does not fit the attribute's integer type u8"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `selector`: sub-messages
//!
//! A sub-message (YNL `sub-message`) is a nest whose layout the value of another attribute of
//! the same set, its selector, chooses: rt-link's `linkinfo` has `kind` (`"vlan"`, `"veth"`,
//! ...) and `data`, whose attributes are the VLAN's or the veth's. Declare the layouts as an
//! enum with `#[derive(NlSubMessage)]`: one variant per selector value
//! (`#[nla(kind = "vlan")]`, or an integer `kind = 1`), each holding that layout's attribute
//! set, and one fallback variant `#[nla(unknown)]` holding the payload of values without a
//! layout (`Vec<u8>`, or `&'a [u8]` when borrowed). The field holding it names its selector:
//! `#[nla(id = N, selector = field)]` (an `Option` or a required field; the selector field is
//! a string, an integer, or a type implementing `IntValue`).
//!
//! - **Decode**: the payload is kept while the set is read and decoded once the selector is
//!   known, whatever their order on the wire. An unknown selector value decodes into the
//!   fallback, bytes unchanged (written back as they came). A sub-message without its
//!   selector is a `MissingSelector` decode error; errors inside the layout carry the path
//!   (`Linkinfo.data.id`).
//! - **Encode**: the variant and the selector field must agree, checked before anything is
//!   written: a layout's variant with another value in the selector is a `SelectorMismatch`
//!   error, as is the fallback with a value that has a layout of its own; a sub-message without
//!   its selector is `MissingSelector`. Nothing is guessed or overwritten: the message says
//!   what the struct says.
//! - **Schema**: the field is an `AttrKind::SubMessage` naming the selector's id and the
//!   layouts (`SubMessageSchema`), so the trace, `Schema::locate` (extended-ACK offsets),
//!   `Schema::validate` and the fake kernel's validation follow it into the chosen layout.
//!
//! `selector` naming no field (or a `multi` field, a flag, another sub-message), `selector`
//! with `multi`, `array`, `keyed`, a codec option or `default`, a field type that is not a
//! sub-message, a selector that is not a string or integer, and, on the enum, a variant
//! without `kind`, a repeated `kind`, string and integer kinds mixed, or no fallback, are
//! compile errors.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs, NlSubMessage};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Vlan { #[nla(id = 1)] id: Option<u16> }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Veth { #[nla(id = 1)] peer: Option<String> }
//!
//! #[derive(Debug, PartialEq, NlSubMessage)]
//! enum LinkData {
//!     #[nla(kind = "vlan")] Vlan(Vlan),
//!     #[nla(kind = "veth")] Veth(Veth),
//!     #[nla(unknown)] Other(Vec<u8>),
//! }
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct LinkInfo {
//!     #[nla(id = 1)] kind: Option<String>,
//!     #[nla(id = 2, selector = kind)] data: Option<LinkData>,
//! }
//!
//! let info = LinkInfo { kind: Some("vlan".into()), data: Some(LinkData::Vlan(Vlan { id: Some(7) })) };
//! let bytes = attrs_to_vec(&info)?;
//! assert_eq!(LinkInfo::decode_attrs(&bytes)?, info);
//!
//! // A kind without a layout: the payload is kept.
//! let bond = LinkInfo { kind: Some("bond".into()), data: Some(LinkData::Other(vec![4, 0, 1, 0])) };
//! assert_eq!(LinkInfo::decode_attrs(&attrs_to_vec(&bond)?)?, bond);
//!
//! // The variant and the selector disagree: an error, not a wrong message.
//! let wrong = LinkInfo { kind: Some("veth".into()), data: Some(LinkData::Vlan(Vlan { id: None })) };
//! assert_eq!(
//!     attrs_to_vec(&wrong).unwrap_err().to_string(),
//!     "LinkInfo.data: selector `kind` is \"veth\", but the sub-message is the layout for \"vlan\""
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Bounds: `min`, `max`, `min_len`, `max_len`, `exact_len`, `mask`
//!
//! The bounds the kernel's policy puts on an attribute (YNL `checks`): `min = N` / `max = N`
//! on an integer's value (a literal, negative allowed, or the path of a const), `min_len`,
//! `max_len` and `exact_len` on the length of a string (without its NUL) or of bytes, `mask =
//! N` on the bits an unsigned integer may set (`NLA_POLICY_MASK`) or a
//! [`BitField32`](netlink_genl_core::attr::BitField32)'s value and selector may set (its valid
//! bits, `NLA_POLICY_BITFIELD32`). With `multi` they bound each element. They change nothing on the wire: they are recorded in the
//! set's [schema](netlink_genl_core::schema::Checks), where
//! [`Schema::validate`](netlink_genl_core::schema::Schema::validate) checks an encoding against
//! them before it is sent (opt-in), and the fake kernel (feature `testing`) advertises them in
//! its policies and refuses requests outside them, as the kernel would.
//!
//! ```
//! # use netlink_genl::{AttrSet, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Limits {
//!     #[nla(id = 2, max = 8)] rcv_add_addrs: Option<u32>,
//!     #[nla(id = 3, min = 1, max = 8)] subflows: Option<u32>,
//!     #[nla(id = 4, max_len = 15)] name: Option<String>,
//! }
//!
//! let ok = Limits { subflows: Some(2), name: Some("eth0".into()), ..Default::default() };
//! assert!(Limits::schema().validate(&attrs_to_vec(&ok)?).is_ok());
//! let bad = Limits { subflows: Some(9), ..Default::default() };
//! let e = Limits::schema().validate(&attrs_to_vec(&bad)?).unwrap_err();
//! assert_eq!(e.to_string(), "Limits.subflows: value 9 out of range [1, 8] (at byte 4)");
//! let long = Limits { name: Some("a-very-long-name".into()), ..Default::default() };
//! assert!(Limits::schema().validate(&attrs_to_vec(&long)?).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! # use netlink_genl::{AttrSet, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! use netlink_genl::netlink_genl_core::attr::BitField32;
//!
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Reload {
//!     #[nla(id = 1, mask = 0x6)] actions: Option<u32>,
//!     #[nla(id = 2, mask = 0x3)] limits: Option<BitField32>,
//! }
//!
//! let ok = Reload { actions: Some(0x2), limits: Some(BitField32 { value: 1, selector: 3 }) };
//! assert!(Reload::schema().validate(&attrs_to_vec(&ok)?).is_ok());
//! let bad = Reload { actions: Some(0x1), ..Default::default() };
//! let e = Reload::schema().validate(&attrs_to_vec(&bad)?).unwrap_err();
//! assert_eq!(e.to_string(), "Reload.actions: value 0x1 has bits outside mask 0x6 (at byte 4)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A field whose type is an enum or flags with an [`EnumInfo`](netlink_genl_core::schema::EnumInfo)
//! (what `netlink-ynl` generates for a spec's `enum` and `flags` definitions) is also bounded
//! by its definition, as the kernel's policies generated from a YNL spec are: a contiguous
//! enum by its smallest and largest value (where `min` / `max` are not given), flags by the
//! mask of their bits (a value with another bit set is
//! [`OutsideMask`](netlink_genl_core::DecodeErrorKind::OutsideMask)), a sparse enum not at all
//! ([`AttrInfo::policy_checks`](netlink_genl_core::schema::AttrInfo::policy_checks)). Decoding
//! still keeps a value the definition does not name.
//!
//! Compile errors: a value bound on anything but an integer, a mask on anything but an
//! unsigned integer or a `BitField32` (or beyond 64 bits), a length bound on anything but a
//! string or bytes, bounds on an `array`, `keyed`, `flag`, `skip` or `unknown` field,
//! `exact_len` with `min_len` or `max_len`, a lower bound above the upper one.
//!
//! ## `unknown`
//!
//! On one field of type `Vec<OwnedAttr>` (owned) or `Vec<Attr<'a>>` (borrowed): keeps the
//! attributes whose ids no field declares, with their flag bits, and writes them back after the
//! known fields, so a set round-trips attributes a newer kernel added. Without it, unknown
//! attributes are skipped (or rejected with [`deny_unknown`](#deny_unknown)).
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! use netlink_genl::netlink_genl_core::attr::OwnedAttr;
//!
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Stats {
//!     #[nla(id = 1)] rx: u32,
//!     #[nla(unknown)] rest: Vec<OwnedAttr>,
//! }
//!
//! // A newer kernel also sent attribute 9.
//! let mut wire = vec![8, 0, 9, 0, 0, 0, 0, 0, 8, 0, 1, 0];
//! wire.extend(5u32.to_ne_bytes());
//! let s = Stats::decode_attrs(&wire)?;
//! assert_eq!((s.rx, s.rest[0].id()), (5, 9));
//! let again = attrs_to_vec(&s)?;
//! assert_eq!(Stats::decode_attrs(&again)?, s); // kept, written after `rx`
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `skip`
//!
//! The field is not an attribute: never written, `Default::default()` on decode (a cache, a
//! handle). It takes no id.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Dev {
//!     #[nla(id = 1)] ifindex: u32,
//!     #[nla(skip)] looked_up: bool,
//! }
//!
//! let bytes = attrs_to_vec(&Dev { ifindex: 2, looked_up: true })?;
//! assert_eq!(bytes.len(), 8);
//! assert_eq!(Dev::decode_attrs(&bytes)?, Dev { ifindex: 2, looked_up: false });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `default`
//!
//! A required-looking field that may be absent: absent decodes as `Default::default()`. The
//! field is always written. (On an `Option` it is a compile error: absent is already `None`.)
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct Cfg {
//!     #[nla(id = 1, default)] retries: u32,
//! }
//!
//! assert_eq!(Cfg::decode_attrs(&[])?, Cfg { retries: 0 });
//! assert_eq!(attrs_to_vec(&Cfg { retries: 0 })?.len(), 8);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `deny_unknown`
//!
//! On the struct: an attribute id no field declares is a decode error
//! ([`UnknownAttribute`](netlink_genl_core::DecodeErrorKind::UnknownAttribute)) instead of being
//! skipped. Skipping is the default, for forward compatibility with newer kernels.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! #[derive(Debug, NlAttrs)]
//! #[nla(deny_unknown)]
//! struct Strict {
//!     #[nla(id = 1)] a: Option<u32>,
//! }
//!
//! let wire = [4, 0, 7, 0]; // an empty attribute of type 7
//! let err = Strict::decode_attrs(&wire).unwrap_err();
//! assert_eq!(err.to_string(), "Strict: unknown attribute id 7 (at byte 0)");
//! ```
//!
//! ## `crate`
//!
//! `#[nla(crate = path)]` / `#[genl(crate = path)]`: the path of the runtime crate, when the
//! dependency is renamed in `Cargo.toml` (`nl = { package = "netlink-genl", ... }`) or
//! re-exported. By default the generated code names `::netlink_genl` (the derives re-exported by
//! `netlink-genl`) or `::netlink_genl_core` (`netlink_genl_core::NlAttrs`). The path may be any path to a
//! module that has the runtime's hidden `__private` module.
//!
//! ```
//! extern crate netlink_genl as nl;
//!
//! #[derive(nl::NlAttrs)]
//! #[nla(crate = nl)]
//! struct Set {
//!     #[nla(id = 1)] a: u32,
//! }
//!
//! #[derive(nl::GenlMessage)]
//! #[genl(family = "demo", crate = nl)]
//! enum Demo {
//!     #[genl(cmd = 1)] Get(Set),
//! }
//! # assert_eq!(<Demo as nl::GenlMessage>::FAMILY, "demo");
//! ```
//!
//! ## Borrowed decode: one lifetime
//!
//! A set may have one lifetime, the buffer's: `&'a str`, `&'a [u8]`, `ArrayView<'a, T>`,
//! `RawAttrs<'a>` and `Vec<Attr<'a>>` fields borrow from the bytes being decoded and allocate
//! nothing. Type parameters are allowed too; the bounds they need are added to the impls.
//!
//! ```
//! # use netlink_genl::{DecodeAttrs, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, PartialEq, NlAttrs)]
//! struct FamilyRef<'a> {
//!     #[nla(id = 2)] name: &'a str,
//! }
//!
//! let bytes = attrs_to_vec(&FamilyRef { name: "nlctrl" })?;
//! let f = FamilyRef::decode_attrs(&bytes)?;
//! assert!(std::ptr::eq(f.name.as_ptr(), bytes[4..].as_ptr())); // no copy
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Messages: `#[derive(GenlMessage)]`
//!
//! The generated code implements [`GenlMessage`](crate::GenlMessage) (its
//! [`SCHEMA`](crate::GenlMessage::SCHEMA): family name, version, every command with its name,
//! attribute set and declared answer, from which names, extended-ACK paths and the trace are
//! computed; the header type, a value's command, encode of the attributes),
//! [`GenlBorrowed`](crate::GenlBorrowed) (the enum at every lifetime, for
//! [`dump_borrowed`](crate::GenlSocket::dump_borrowed)) and
//! [`GenlDecode<'a>`](crate::GenlDecode) (decode dispatching on the command; an unknown command
//! is an [`UnknownCommand`](netlink_genl_core::DecodeErrorKind::UnknownCommand) error, never a
//! panic). Decode and encode errors start with the variant name:
//! `NewFamily.ops[3].flags: expected 4 bytes, got 2 (at byte 120)`. The enum may have one
//! lifetime, for variants holding borrowed sets.
//!
//! ## `family` and `version`
//!
//! `family = "name"` (required) is the name the kernel registered (1 to 15 bytes), resolved to
//! the family id at run time. `version = N` (a `u8`, default 1) is written in the genl header of
//! requests.
//!
//! ```
//! # use netlink_genl::{GenlMessage, NlAttrs};
//! #[derive(NlAttrs)]
//! struct Family {
//!     #[nla(id = 2)] name: Option<String>,
//! }
//!
//! #[derive(GenlMessage)]
//! #[genl(family = "nlctrl", version = 2)]
//! enum Ctrl {
//!     #[genl(cmd = 3)] GetFamily(Family),
//! }
//!
//! assert_eq!((Ctrl::FAMILY, Ctrl::VERSION), ("nlctrl", 2));
//! ```
//!
//! ## `header`
//!
//! `header = T`: the family's fixed user header, between the genl header and the attributes: a
//! zerocopy type (`FromBytes + IntoBytes + KnownLayout + Immutable + Default + Copy + Debug`).
//! Without it the header is `()`.
//!
//! ```
//! # use netlink_genl::GenlMessage;
//! use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};
//!
//! #[derive(Debug, Default, Clone, Copy, FromBytes, IntoBytes, KnownLayout, Immutable)]
//! #[repr(C)]
//! struct IfHeader { ifindex: u32 }
//!
//! #[derive(GenlMessage)]
//! #[genl(family = "demo", header = IfHeader)]
//! enum Demo {
//!     #[genl(cmd = 1)] Ping,
//! }
//!
//! assert_eq!(std::mem::size_of::<<Demo as GenlMessage>::Header>(), 4);
//! ```
//!
//! ## `cmd`
//!
//! `#[genl(cmd = N)]` on every variant: the command number (a `u8` literal or the path of a
//! `u8` const). A variant holds one attribute set (`Get(Set)`) or nothing (`Ping`). A variant
//! that holds nothing writes no attributes and does not read any: whatever follows the headers
//! of such a message is ignored (hold a set with no fields to have them checked). Request and
//! reply commands may differ: nlctrl answers `GETFAMILY` (3) with `NEWFAMILY` (1); declare both.
//! Command numbers are unique among the decodable variants.
//!
//! ```
//! # use netlink_genl::{GenlDecode, GenlMessage, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Family {
//!     #[nla(id = 1)] id: Option<u16>,
//!     #[nla(id = 2)] name: Option<String>,
//! }
//!
//! const CTRL_CMD_GETFAMILY: u8 = 3;
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "nlctrl", version = 2)]
//! enum Ctrl {
//!     #[genl(cmd = 1)] NewFamily(Family),
//!     #[genl(cmd = CTRL_CMD_GETFAMILY)] GetFamily(Family),
//! }
//!
//! let req = Ctrl::GetFamily(Family { name: Some("nlctrl".into()), ..Default::default() });
//! assert_eq!(req.command(), 3);
//! let reply = attrs_to_vec(&Family { id: Some(16), name: Some("nlctrl".into()) })?;
//! assert!(matches!(Ctrl::decode_genl(1, &reply)?, Ctrl::NewFamily(f) if f.id == Some(16)));
//! assert_eq!(Ctrl::decode_genl(42, &reply).unwrap_err().to_string(), "Ctrl: unknown command 42");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `request`
//!
//! Marks a variant that is only ever sent: it takes no part in decoding, so it may share its
//! number with a reply. Some families number requests and replies separately (ethtool's
//! `FEATURES_GET` request and `FEATURES_GET_REPLY` are both 11). Command numbers are unique among
//! the request variants, and among the others.
//!
//! ```
//! # use netlink_genl::{GenlDecode, GenlMessage, NlAttrs};
//! # use netlink_genl::netlink_genl_core::attrs_to_vec;
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Features {
//!     #[nla(id = 2)] hw: Option<u32>,
//! }
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "ethtool")]
//! enum Ethtool {
//!     #[genl(cmd = 11, request)] FeaturesGet(Features),
//!     #[genl(cmd = 11)] FeaturesGetReply(Features),
//! }
//!
//! let bytes = attrs_to_vec(&Features { hw: Some(1) })?;
//! assert!(matches!(Ethtool::decode_genl(11, &bytes)?, Ethtool::FeaturesGetReply(_)));
//! assert_eq!(Ethtool::FeaturesGet(Features::default()).command(), 11);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## `reply`
//!
//! `#[genl(reply = Variant)]` declares that the kernel answers this command, sent as a request
//! (a do, not a dump), with exactly one message of `Variant`: a decodable variant (not a
//! `request` one) of the same enum, named by its identifier. A variant may name itself when
//! requests and replies share one command and one attribute set (netdev's `dev-get` is
//! command 1 both ways). [`GenlMessage::answer`](crate::GenlMessage::answer) then returns
//! [`Answer::Reply`](crate::Answer::Reply) with that variant's command number.
//!
//! On the wire: the request is sent **without** `NLM_F_ACK`, and the exchange ends with the
//! one reply or with the kernel's error (an error message with a non-zero errno), so there is
//! no ACK to wait for. Declare it only when the kernel's do handler always sends exactly one
//! reply. Dumps ignore `answer`: a dump ends with `NLMSG_DONE` whatever is declared.
//!
//! A command with neither `reply` nor `ack` is undeclared
//! ([`Answer::Undeclared`](crate::Answer::Undeclared)): the request carries `NLM_F_ACK` and
//! replies are read until the ACK, however many there are (including none).
//!
//! Naming a variant that does not exist, a `request` variant (it is never decoded, so it cannot
//! be a reply), or giving `reply` together with [`ack`](#ack) is a compile error.
//!
//! ```
//! # use netlink_genl::{Answer, GenlMessage, NlAttrs};
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Family {
//!     #[nla(id = 2)] name: Option<String>,
//! }
//!
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Dev {
//!     #[nla(id = 1)] ifindex: Option<u32>,
//! }
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "nlctrl", version = 2)]
//! enum Ctrl {
//!     #[genl(cmd = 1)] NewFamily(Family),
//!     #[genl(cmd = 3, request, reply = NewFamily)] GetFamily(Family),
//!     #[genl(cmd = 10)] GetPolicy(Family),
//! }
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "netdev")]
//! enum Netdev {
//!     #[genl(cmd = 1, reply = DevGet)] DevGet(Dev),
//! }
//!
//! let get = Ctrl::GetFamily(Family { name: Some("nlctrl".into()) });
//! assert_eq!(get.answer(), Answer::Reply(1)); // NewFamily's command
//! assert_eq!(Ctrl::GetPolicy(Family::default()).answer(), Answer::Undeclared);
//! assert_eq!(Netdev::DevGet(Dev { ifindex: Some(1) }).answer(), Answer::Reply(1));
//! ```
//!
//! ## `ack`
//!
//! `#[genl(ack)]` declares that the kernel answers this command with the ACK alone: its do
//! handler sends no reply message (mptcp_pm's `ADD_ADDR`, ethtool's `*_SET` commands that have
//! no `*_SET_REPLY`). [`GenlMessage::answer`](crate::GenlMessage::answer) returns
//! [`Answer::Ack`](crate::Answer::Ack).
//!
//! On the wire: the request carries `NLM_F_ACK`, and the kernel's ACK (an error message with
//! errno 0) or its error ends the exchange. There is no reply to decode:
//! [`GenlSocket::ack`](crate::GenlSocket::ack) is the call for these commands;
//! [`GenlSocket::request`](crate::GenlSocket::request) refuses them before sending anything,
//! with an error that names `ack()`. `ack` takes no value, and cannot be given together with
//! [`reply`](#reply).
//!
//! ```
//! # use netlink_genl::{Answer, GenlMessage, NlAttrs};
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Addr {
//!     #[nla(id = 1)] id: Option<u8>,
//! }
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "mptcp_pm")]
//! enum Pm {
//!     #[genl(cmd = 1, ack)] AddAddr(Addr),
//!     #[genl(cmd = 2, ack)] DelAddr(Addr),
//!     #[genl(cmd = 3, reply = GetAddr)] GetAddr(Addr),
//!     #[genl(cmd = 4, ack)] FlushAddrs,
//! }
//!
//! assert_eq!(Pm::AddAddr(Addr { id: Some(1) }).answer(), Answer::Ack);
//! assert_eq!(Pm::FlushAddrs.answer(), Answer::Ack);
//! assert_eq!(Pm::GetAddr(Addr::default()).answer(), Answer::Reply(3));
//! ```
//!
//! ## Operations: `do`, `dump`, `mcast`, `event`, `groups`
//!
//! These say what the kernel does with a command, as a YNL spec's `operations` do. They change
//! nothing on the wire: they are recorded in the schema
//! ([`CommandInfo::doit`](crate::CommandInfo::doit), [`dumpit`](crate::CommandInfo::dumpit),
//! [`mcast`](crate::CommandInfo::mcast), [`event`](crate::CommandInfo::event),
//! [`MessageSchema::groups`](crate::MessageSchema::groups)), where the fake kernel and the
//! checks against the running kernel read them.
//!
//! - `do` / `dump`: the kernel accepts the command as a do (one answer) / a dump request. Alone,
//!   the attributes are not declared; `do(request(a, b), reply(c, d))` lists the fields of the
//!   variant's set a request carries, and the fields of the reply's set (the `reply = X`
//!   variant's, else the variant's own) the reply carries ([`OpAttrs`](crate::OpAttrs)). Each
//!   name is checked by the compiler (`no field `x` on type `Set``); an empty list `request()`
//!   says the request carries no attribute.
//! - `mcast = "group"`: the variant is a notification the kernel sends to that multicast group;
//!   `event(a, b)` lists the fields it carries.
//! - `groups("a", "b")` on the enum: the family's multicast groups (a `mcast` must name one).
//!
//! The sockets hold a command to what it declares: a dump of a command declared with `do` and
//! without `dump` (or a `request`/`ack` of one declared `dump` only) is refused before anything
//! is sent, with an error naming the call to use; a command that declares neither is sent as
//! asked.
//!
//! ```
//! # use netlink_genl::{GenlMessage, NlAttrs, OpAttrs};
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Dev {
//!     #[nla(id = 1)] ifindex: Option<u32>,
//!     #[nla(id = 3)] xdp_features: Option<u64>,
//! }
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "netdev", groups("mgmt"))]
//! enum Netdev {
//!     #[genl(cmd = 1, reply = DevGet,
//!            do(request(ifindex), reply(ifindex, xdp_features)),
//!            dump(request(), reply(ifindex, xdp_features)))]
//!     DevGet(Dev),
//!     #[genl(cmd = 2, mcast = "mgmt", event(ifindex, xdp_features))]
//!     DevAddNtf(Dev),
//! }
//!
//! let s = Netdev::schema();
//! assert_eq!(s.groups, ["mgmt"]);
//! let get = s.request(1).unwrap();
//! assert_eq!(get.doit, Some(OpAttrs::ANY.request(&["ifindex"]).reply(&["ifindex", "xdp_features"])));
//! assert_eq!(get.dumpit.unwrap().request, Some(&[][..]));
//! let ntf = s.reply(2).unwrap();
//! assert_eq!((ntf.mcast, ntf.doit), (Some("mgmt"), None));
//! ```
//!
//! ## Operation flags: `admin_perm`, `uns_admin_perm`, `dont_validate`, `kernel_policy`
//!
//! What a YNL operation's `flags` and `dont-validate`, and a family's `kernel-policy`, say;
//! recorded in the schema ([`CommandInfo::flags`](crate::CommandInfo::flags),
//! [`OpFlags`](crate::OpFlags), [`MessageSchema::kernel_policy`](crate::MessageSchema::kernel_policy)).
//! Nothing changes on the wire: the fake kernel enforces them as the kernel does, and
//! `check_schema` compares the permissions with the ones the kernel reports.
//!
//! - `admin_perm` (`GENL_ADMIN_PERM`): the caller needs `CAP_NET_ADMIN`; `uns_admin_perm`
//!   (`GENL_UNS_ADMIN_PERM`): `CAP_NET_ADMIN` in the user namespace owning the network
//!   namespace. Others get `EPERM`.
//! - `dont_validate(strict)`: the kernel parses a do request liberally (unknown attributes
//!   skipped, no `NLA_F_NESTED` checks); `dont_validate(dump)`: it does not validate a dump
//!   request's attributes; `dont_validate(dump_strict)`: it parses a dump request liberally.
//!   Each needs the `do` (`strict`) or `dump` (`dump`, `dump_strict`) it is about.
//! - `kernel_policy = split | per_op | global` on the enum: `split` (the default), each do and
//!   dump accepts what its `request(..)` lists; `per_op`, a do and a dump accept what either
//!   lists; `global`, every operation accepts what any operation on the same set lists.
//!
//! ```
//! # use netlink_genl::{GenlMessage, KernelPolicy, NlAttrs, OpFlags};
//! #[derive(Debug, Default, PartialEq, NlAttrs)]
//! struct Port {
//!     #[nla(id = 1)] port: Option<u16>,
//!     #[nla(id = 2)] af: Option<u8>,
//! }
//!
//! #[derive(Debug, PartialEq, GenlMessage)]
//! #[genl(family = "fou", kernel_policy = global)]
//! enum Fou {
//!     #[genl(cmd = 1, do(request(port, af)), admin_perm, dont_validate(strict))]
//!     Add(Port),
//!     #[genl(cmd = 3, do(request(port)), dump, dont_validate(strict, dump))]
//!     Get(Port),
//! }
//!
//! let s = Fou::schema();
//! assert_eq!(s.kernel_policy, KernelPolicy::Global);
//! let add = s.request(1).unwrap();
//! assert_eq!(add.flags, OpFlags::NONE.admin_perm().dont_validate_strict());
//! assert_eq!(add.flags.genl_flags(), 0x01); // what GETFAMILY reports
//! assert!(s.request(3).unwrap().flags.dont_validate_dump);
//! ```
//!
//! # Compile-time errors
//!
//! Mistakes are compile errors pointing at the offending tokens, with a `help:` line saying how
//! to fix them; all the mistakes of one derive are reported together, and the type still gets
//! (stub) impls so that one mistake gives one error. Among them: a duplicate attribute id or
//! command, an id out of range, a missing `id` or `cmd`, an unknown option (with the closest known name), an
//! option given twice, conflicting options (`flag` on a non-`bool`, `multi` with `array`,
//! `big_endian` on a string, `nested` on a scalar, `uint` on a signed integer, two encodings on
//! one field), unsupported field types, tuple and unit structs, unions, enums for `NlAttrs`,
//! a missing family name, a version or command out of the `u8` range, a `reply` naming no
//! variant or a `request` variant, `reply` together with `ack`.
//!
//! ```compile_fail
//! # use netlink_genl::NlAttrs;
//! #[derive(NlAttrs)]
//! struct S {
//!     #[nla(id = 1, flag)] // error: `flag` on `u8`: a flag is a `bool`
//!     up: u8,
//! }
//! ```
