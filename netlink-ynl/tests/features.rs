//! One small spec with every feature the generator maps, and the lines it must produce.

use netlink_ynl::{Options, generate};

const SPEC: &str = r#"
name: demo
protocol: genetlink-legacy
doc: A family that uses every feature.
definitions:
  - { name: max-things, type: const, value: 16 }
  - name: color
    type: enum
    entries: [red, { name: green, doc: The green one. }, unknown]
  - { name: caps, type: flags, entries: [fast, safe] }
  - name: hdr
    type: struct
    members:
      - { name: ifindex, type: u32 }
      - { name: proto, type: u8 }
operations:
  enum-model: directional
  fixed-header: hdr
  list:
    - name: get
      attribute-set: thing
      do:
        request: { attributes: [id] }
        reply: { attributes: [id, color] }
      dump: { reply: { attributes: [id] } }
    - name: set
      attribute-set: thing
      do: { request: { attributes: [id, caps] } }
    - name: changed-ntf
      notify: get
mcast-groups:
  list: [{ name: events }]
attribute-sets:
  - name: thing
    attributes:
      - { name: zero, type: u32, value: 0 }
      - { name: id, type: u32, checks: { min: 1, max: max-things } }
      - { name: color, type: u8, enum: color }
      - { name: caps, type: u32, enum: caps }
      - { name: type, type: string, checks: { max-len: 15, unterminated-ok: true } }
      - { name: child, type: nest, nested-attributes: thing }
      - { name: kids, type: nest, multi-attr: true, nested-attributes: thing }
      - { name: counters, type: indexed-array, sub-type: u32 }
      - { name: addr, type: u32, byte-order: big-endian, display-hint: ipv4 }
      - { name: bits, type: bitfield32 }
      - { name: opts, type: sub-message, sub-message: opt-msg, selector: type }
      - { name: pad, type: pad }
      - { name: big, type: uint, checks: { max: u32-max } }
      - { name: key, type: binary, checks: { min-len: 2, max-len: max-things } }
      - { name: level, type: s8, checks: { min: s8-min, max: 3 } }
      - { name: addr6, type: binary, display-hint: ipv6, checks: { exact-len: 16 } }
      - { name: mac, type: binary, checks: { exact-len: 6 } }
      - { name: ratio, type: u16, checks: { min-len: 2 } }
      - { name: lanes, type: binary, sub-type: u64 }
      - { name: tint, type: u32, byte-order: big-endian, enum: color }
      - { name: caps16, type: u16, enum: caps }
  - name: option
    subset-of: thing
    attributes: [{ name: id }, { name: color }]
  - name: opt-a
    attributes:
      - { name: weight, type: u32 }
  - name: by-num
    attributes:
      - { name: kind, type: u16 }
      - { name: body, type: sub-message, sub-message: num-msg, selector: kind }
sub-messages:
  - name: opt-msg
    doc: Options by type.
    formats:
      - { value: a, attribute-set: opt-a }
      - { value: b, fixed-header: hdr, attribute-set: opt-a }
      - { value: c }
  - name: num-msg
    formats:
      - { value: 1, attribute-set: opt-a }
"#;

#[test]
fn every_feature_maps_as_documented() {
    let rust = generate(SPEC, &Options::default()).unwrap();
    for want in [
        "pub const MAX_THINGS: u32 = 16;",
        "pub enum Color {",
        "    /// `green`: The green one (1).",
        // An entry named `unknown` keeps its name; the fallback takes another.
        "    Unknown,",
        // An enum (and a flags type) carried in several widths: `IntValue`, fields with `repr`,
        // the fallback as wide as the widest.
        "impl IntValue for Color {",
        "    UnknownValue(u32),",
        "    #[nla(id = 2, repr = u8)]\n    pub color: Option<Color>,",
        "    #[nla(id = 19, repr = u32, big_endian)]\n    pub tint: Option<Color>,",
        "impl IntValue for Caps {",
        "    #[nla(id = 20, repr = u16)]\n    pub caps16: Option<Caps>,",
        "    #[nla(id = 3, repr = u32)]\n    pub caps: Option<Caps>,",
        "pub struct Caps(pub u32);",
        "    pub const SAFE: Self = Self(1 << 1);",
        "#[repr(C)]\npub struct Hdr {",
        "    pub _pad0: [u8; 3],",
        // Checks: options of the derive, names resolved (a constant by name, a limit by value).
        "    #[nla(id = 1, min = 1, max = MAX_THINGS)]\n    pub id: Option<u32>,",
        "    /// Checks (not enforced here): unterminated-ok.\n    #[nla(id = 4, max_len = 15)]\n    pub r#type: Option<String>,",
        "    #[nla(id = 12, uint, max = 4294967295)]\n    pub big: Option<u64>,",
        "    #[nla(id = 13, min_len = 2, max_len = MAX_THINGS)]\n    pub key: Option<Vec<u8>>,",
        "    #[nla(id = 14, min = -128, max = 3)]\n    pub level: Option<i8>,",
        // An address type has its length; a length does not apply to an integer.
        "    #[nla(id = 15)]\n    pub addr6: Option<Ipv6Addr>,",
        "    #[nla(id = 16, exact_len = 6)]\n    pub mac: Option<Vec<u8>>,",
        "    /// Checks (not enforced here): min-len 2.\n    #[nla(id = 17)]\n    pub ratio: Option<u16>,",
        "    pub r#type: Option<String>,",
        "    pub child: Option<Box<Thing>>,",
        "    #[nla(id = 6, multi, nested)]\n    pub kids: Vec<Thing>,",
        "    #[nla(id = 7, array)]\n    pub counters: Vec<u32>,",
        // A binary array of integers: `packed`.
        "    #[nla(id = 18, packed)]\n    pub lanes: Option<Vec<u64>>,",
        "    pub addr: Option<Ipv4Addr>,",
        "    pub bits: Option<BitField32>,",
        // Sub-messages: an enum per `sub-messages` entry, the field names its selector.
        "    #[nla(id = 10, selector = r#type)]\n    pub opts: Option<OptMsg>,",
        "#[derive(Debug, Clone, PartialEq, NlSubMessage)]\npub enum OptMsg {",
        "    /// `a`: [`OptA`].\n    #[nla(kind = \"a\")]\n    A(OptA),",
        "    #[nla(unknown)]\n    Unknown(Vec<u8>),",
        "/// Kept in `Unknown`: `b` (a fixed header `hdr` before its attributes, which the derive cannot express), `c` (no attributes).",
        "    #[nla(kind = 1)]\n    Kind1(OptA),",
        "    #[nla(id = 2, selector = kind)]\n    pub body: Option<NumMsg>,",
        // Id 0 is a field like any other.
        "    #[nla(id = 0)]\n    pub zero: Option<u32>,",
        // A set named like a prelude type gets a suffix.
        "pub struct OptionAttrs {",
        "#[genl(family = \"demo\", version = 1, header = Hdr, groups(\"events\"))]",
        "    #[genl(\n        cmd = 1,\n        request,\n        reply = GetReply,\n        do(request(id), reply(id, color)),\n        dump(request(), reply(id)),\n    )]\n    Get(Thing),",
        "    #[genl(cmd = 1)]\n    GetReply(Thing),",
        "    #[genl(cmd = 2, request, ack, do(request(id, caps)))]\n    Set(Thing),",
        "    #[genl(cmd = 2, event(id, color))]\n    ChangedNtf(Thing),",
        "pub const MCAST_GROUPS: &[&str] = &[\"events\"];",
    ] {
        assert!(rust.contains(want), "missing:\n{want}\n\nin:\n{rust}");
    }
    assert!(!rust.contains("pub pad"), "pad is not a field");
    // The subset keeps the parent's ids (and checks).
    let subset = rust.split("pub struct OptionAttrs {").nth(1).unwrap();
    assert!(
        subset.contains("#[nla(id = 1, min = 1, max = MAX_THINGS)]")
            && subset.contains("#[nla(id = 2, repr = u8)]")
    );
    // Without module docs, for include!.
    let inc = generate(SPEC, &Options::default().module_doc(false)).unwrap();
    assert!(inc.starts_with("// Generated by `netlink-ynl`") && !inc.contains("//!"));
}
