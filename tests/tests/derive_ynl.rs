//! What the kernel's YNL specs need from the derive (issue 14, part 2): attributes with id 0,
//! enums carried at several widths, sub-messages. Each through encode, owned and borrowed
//! decode, the schema (names, `locate`, `missing`, the trace) and, where a request carries it,
//! the fake kernel's validation through the blocking and the tokio socket.

use std::collections::BTreeMap;

use netlink_genl::testing::{FakeKernel, FamilySpec, Reply};
use netlink_genl::{AttrSet, DecodeAttrs, Error, GenlMessage, NlAttrs};
use netlink_genl_core::debug::format_attrs;
use netlink_genl_core::{AttrPath, attrs_to_vec};

// ---------------------------------------------------------------------------------------------
// Attributes with id 0.

/// A band of nl80211's `wiphy-bands` (band 0 is 2 GHz).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Band {
    #[nla(id = 0)]
    unspecified: Option<u16>,
    #[nla(id = 1)]
    name: Option<String>,
}

const BAND_2GHZ: u16 = 0;

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Bands {
    #[nla(id = BAND_2GHZ, nested)]
    band_2ghz: Option<Band>,
    #[nla(id = 1, nested)]
    band_5ghz: Option<Band>,
}

/// Id 0 in every structure: required, repeated, a keyed nest with key 0, a nest at id 0.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Zero {
    #[nla(id = 0)]
    success: u64,
    #[nla(id = 1, nested)]
    bands: Option<Bands>,
    #[nla(id = 2, keyed)]
    counters: BTreeMap<u16, u32>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Tags {
    #[nla(id = 0, multi)]
    tag: Vec<u8>,
}

/// The same layout, borrowed.
#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct BandRef<'a> {
    #[nla(id = 0)]
    label: &'a str,
    #[nla(id = 1)]
    data: Option<&'a [u8]>,
}

fn zero() -> Zero {
    Zero {
        success: 7,
        bands: Some(Bands {
            band_2ghz: Some(Band {
                unspecified: Some(3),
                name: None,
            }),
            band_5ghz: None,
        }),
        counters: BTreeMap::from([(0, 10), (5, 11)]),
    }
}

#[test]
fn id_zero_round_trips_in_every_structure() {
    let z = zero();
    let bytes = attrs_to_vec(&z).unwrap();
    let mut expected = vec![12, 0, 0, 0];
    expected.extend(7u64.to_ne_bytes());
    // bands (nested): band_2ghz at type 0 (nested), unspecified at type 0.
    expected.extend([16, 0, 1, 0x80, 12, 0, 0, 0x80, 6, 0, 0, 0]);
    expected.extend(3u16.to_ne_bytes());
    expected.extend([0, 0]);
    // counters (keyed): key 0 then key 5.
    expected.extend([20, 0, 2, 0x80, 8, 0, 0, 0]);
    expected.extend(10u32.to_ne_bytes());
    expected.extend([8, 0, 5, 0]);
    expected.extend(11u32.to_ne_bytes());
    assert_eq!(bytes, expected);
    assert_eq!(Zero::decode_attrs(&bytes).unwrap(), z);

    let tags = Tags { tag: vec![1, 2] };
    let bytes = attrs_to_vec(&tags).unwrap();
    assert_eq!(bytes, [5, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0]);
    assert_eq!(Tags::decode_attrs(&bytes).unwrap(), tags);

    let b = BandRef {
        label: "2ghz",
        data: Some(&[1, 2]),
    };
    let bytes = attrs_to_vec(&b).unwrap();
    assert_eq!(&bytes[..4], [9, 0, 0, 0]);
    assert_eq!(BandRef::decode_attrs(&bytes).unwrap(), b);
}

#[test]
fn id_zero_is_named_by_the_schema_trace_locate_and_missing() {
    let schema = Zero::schema();
    assert_eq!(schema.attr_name(0), Some("success"));
    assert_eq!(Band::attr_name(0), Some("unspecified"));
    let bytes = attrs_to_vec(&zero()).unwrap();

    // The trace names type 0.
    let trace = format_attrs(&bytes, Some(schema));
    assert!(trace.contains("success(0): 7"), "{trace}");
    assert!(trace.contains("band_2ghz(0) [N]"), "{trace}");
    assert!(trace.contains("unspecified(0): 3"), "{trace}");
    assert!(trace.contains("key 0: 10"), "{trace}");

    // locate: byte 5 is in `success`'s payload, byte 25 in bands.band_2ghz.unspecified's,
    // byte 37 in the value of key 0.
    let mut path = Vec::new();
    schema.locate(&bytes, 5, &mut path);
    assert_eq!(AttrPath(path).to_string(), "success");
    let mut path = Vec::new();
    schema.locate(&bytes, 25, &mut path);
    assert_eq!(AttrPath(path).to_string(), "bands.band_2ghz.unspecified");
    let mut path = Vec::new();
    schema.locate(&bytes, 37, &mut path);
    assert_eq!(AttrPath(path).to_string(), "counters{0}");

    // A required attribute 0 missing: the decode error and the ext-ack mapping name it.
    let without = &bytes[12..];
    let e = Zero::decode_attrs(without).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Zero.success: missing required attribute (id 0)"
    );
    let mut path = Vec::new();
    schema.missing(without, None, 0, &mut path);
    assert_eq!(AttrPath(path).to_string(), "success");
    // Missing from the nest at byte 12 (bands), then from band_2ghz (byte 16).
    let mut path = Vec::new();
    schema.missing(&bytes, Some(16), 0, &mut path);
    assert_eq!(AttrPath(path).to_string(), "bands.band_2ghz.unspecified");
}

/// nl80211 numbers its indexed arrays from 0 (`nla_nest_start(msg, i)` with `i` from 0): entry
/// 0 is an entry like any other on decode, in locate and in the trace. Encoding numbers
/// entries 1..n, as the derive's `array` documents.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Freqs {
    #[nla(id = 1, array)]
    freqs: Vec<u32>,
}

#[test]
fn indexed_array_entry_zero_is_an_entry() {
    let mut buf = vec![20, 0, 1, 0x80, 8, 0, 0, 0];
    buf.extend(2412u32.to_ne_bytes());
    buf.extend([8, 0, 1, 0]);
    buf.extend(2417u32.to_ne_bytes());
    let f = Freqs::decode_attrs(&buf).unwrap();
    assert_eq!(f.freqs, [2412, 2417]);
    let mut path = Vec::new();
    Freqs::schema().locate(&buf, 9, &mut path);
    assert_eq!(AttrPath(path).to_string(), "freqs[0]");
    let trace = format_attrs(&buf, Some(Freqs::schema()));
    assert!(trace.contains("[0]: 2412"), "{trace}");
    // Written back numbered from 1.
    assert_eq!(attrs_to_vec(&f).unwrap()[6], 1);
}

// The fake kernel: a family whose request set declares attribute 0.

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Stats {
    #[nla(id = 0, max = 1000)]
    rx_packets: u64,
    #[nla(id = 1)]
    rx_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "zero", version = 1)]
enum ZeroFamily {
    #[genl(cmd = 1, reply = Get)]
    Get(Stats),
}

/// The client's view without attribute 0 declared by the family: a set with only id 1.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct RawStats {
    #[nla(id = 0)]
    rx_packets: Option<Vec<u8>>,
    #[nla(id = 1)]
    rx_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "zero", version = 1)]
enum ZeroRaw {
    #[genl(cmd = 1, reply = Get)]
    Get(RawStats),
}

fn zero_cases() -> Vec<(&'static str, ZeroRaw)> {
    let raw = |p: Option<Vec<u8>>| {
        ZeroRaw::Get(RawStats {
            rx_packets: p,
            rx_bytes: Some(1),
        })
    };
    vec![
        ("id 0 present", raw(Some(5u64.to_ne_bytes().to_vec()))),
        ("id 0 missing", raw(None)),
        ("id 0 of 2 bytes", raw(Some(vec![1, 0]))),
        (
            "id 0 out of range",
            raw(Some(1001u64.to_ne_bytes().to_vec())),
        ),
    ]
}

fn show(r: Result<ZeroRaw, Error>) -> String {
    match r {
        Ok(ZeroRaw::Get(s)) => format!("ok {:?}", s.rx_packets),
        Err(Error::Kernel(k)) => format!(
            "{} msg={:?} path={} miss={:?} missing={}",
            k.errno_name().unwrap_or("?"),
            k.msg.as_deref().unwrap_or("-"),
            k.attr_path.map_or("-".to_owned(), |p| p.to_string()),
            k.miss_type,
            k.missing_path.map_or("-".to_owned(), |p| p.to_string()),
        ),
        Err(e) => format!("other: {e}"),
    }
}

#[test]
fn fake_kernel_validates_a_declared_id_zero_sync_and_async() {
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<ZeroFamily>::new().on_do(1, |_, r| Ok(Reply::msg(r))))
        .unwrap();
    let mut sock = fake.connect().unwrap();
    let sync: Vec<String> = zero_cases()
        .into_iter()
        .map(|(what, req)| format!("{what}: {}", show(sock.request(&req))))
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r#async: Vec<String> = rt.block_on(async {
        let mut sock = fake.connect_async().unwrap();
        let mut out = Vec::new();
        for (what, req) in zero_cases() {
            out.push(format!("{what}: {}", show(sock.request(&req).await)));
        }
        out
    });
    assert_eq!(sync, r#async);
    assert_eq!(
        sync,
        [
            "id 0 present: ok Some([5, 0, 0, 0, 0, 0, 0, 0])",
            "id 0 missing: EINVAL msg=\"-\" path=- miss=Some(0) missing=Get.rx_packets",
            "id 0 of 2 bytes: EINVAL msg=\"invalid attribute length\" path=Get.rx_packets miss=None missing=-",
            "id 0 out of range: ERANGE msg=\"integer out of range\" path=Get.rx_packets miss=None missing=-",
        ]
    );
    // GETPOLICY lists attribute 0 with its bounds.
    let policy = sock.policy("zero", Some(1)).unwrap();
    let text = format!("{policy:?}");
    assert!(text.contains("max_value_u: Some(1000)"), "{text}");
}

/// A set that does not declare attribute 0 treats it as the kernel's `nla_parse` does.
#[test]
fn fake_kernel_rejects_an_undeclared_id_zero_in_a_strict_op() {
    #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    struct OnlyOne {
        #[nla(id = 1)]
        rx_bytes: Option<u64>,
    }
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "zero", version = 1)]
    enum Plain {
        #[genl(cmd = 1, reply = Get)]
        Get(OnlyOne),
    }
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Plain>::new().on_do(1, |_, r| Ok(Reply::msg(r))))
        .unwrap();
    let mut sock = fake.connect().unwrap();
    let req = ZeroRaw::Get(RawStats {
        rx_packets: Some(vec![1, 0, 0, 0]),
        rx_bytes: None,
    });
    let r = show(sock.request(&req));
    assert_eq!(
        r,
        "EINVAL msg=\"Unknown attribute type\" path=Get.rx_packets miss=None missing=-"
    );
}

// ---------------------------------------------------------------------------------------------
// Enums carried at several widths: `repr = W`.

use netlink_genl::netlink_genl_core::attr::IntValue;
use netlink_genl_core::schema::AttrKind;

/// As `netlink-ynl` generates an enum: named values and a fallback keeping the others.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BandId {
    Ghz2,
    Ghz5,
    Unknown(u32),
}

impl IntValue for BandId {
    const NAME: &'static str = "BandId";
    fn to_i128(self) -> i128 {
        match self {
            BandId::Ghz2 => 0,
            BandId::Ghz5 => 1,
            BandId::Unknown(v) => v.into(),
        }
    }
    fn from_i128(v: i128) -> Option<Self> {
        Some(match u32::try_from(v).ok()? {
            0 => BandId::Ghz2,
            1 => BandId::Ghz5,
            v => BandId::Unknown(v),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Widths {
    #[nla(id = 1, repr = u8)]
    narrow: Option<BandId>,
    #[nla(id = 2, repr = u32)]
    wide: Option<BandId>,
    #[nla(id = 3, repr = u16, big_endian)]
    be: Option<BandId>,
    #[nla(id = 4, repr = u64, uint)]
    var: Option<BandId>,
    #[nla(id = 5, multi, repr = u8)]
    many: Vec<BandId>,
    #[nla(id = 6, array, repr = u16)]
    list: Vec<BandId>,
    #[nla(id = 7, repr = u16)]
    plain: Option<u64>,
}

#[test]
fn repr_carries_one_enum_at_every_width() {
    let w = Widths {
        narrow: Some(BandId::Ghz5),
        wide: Some(BandId::Unknown(70_000)),
        be: Some(BandId::Unknown(0x0102)),
        var: Some(BandId::Ghz2),
        many: vec![BandId::Ghz2, BandId::Unknown(200)],
        list: vec![BandId::Ghz5],
        plain: Some(9),
    };
    let bytes = attrs_to_vec(&w).unwrap();
    let mut expected = vec![5, 0, 1, 0, 1, 0, 0, 0, 8, 0, 2, 0];
    expected.extend(70_000u32.to_ne_bytes());
    expected.extend([6, 0, 3, 0, 1, 2, 0, 0, 8, 0, 4, 0, 0, 0, 0, 0]);
    expected.extend([5, 0, 5, 0, 0, 0, 0, 0, 5, 0, 5, 0, 200, 0, 0, 0]);
    expected.extend([12, 0, 6, 0x80, 6, 0, 1, 0]);
    expected.extend(1u16.to_ne_bytes());
    expected.extend([0, 0, 6, 0, 7, 0]);
    expected.extend(9u16.to_ne_bytes());
    expected.extend([0, 0]);
    assert_eq!(bytes, expected);
    // Unknown values come back as they went: none is lost at any width.
    assert_eq!(Widths::decode_attrs(&bytes).unwrap(), w);

    // The schema shows the wire's kind, not the enum's.
    let kind = |id| Widths::schema().attr(id).map(|a| a.kind);
    assert!(matches!(kind(1), Some(AttrKind::U8)));
    assert!(matches!(kind(3), Some(AttrKind::Be16)));
    assert!(matches!(kind(4), Some(AttrKind::Uint)));
    assert!(matches!(kind(6), Some(AttrKind::Array(AttrKind::U16))));
    let trace = format_attrs(&bytes, Some(Widths::schema()));
    assert!(trace.contains("narrow(1): 1 (0x1)"), "{trace}");
}

#[test]
fn repr_reports_values_that_do_not_fit() {
    // Encode: 300 does not fit the u8 of `narrow`; nothing is written wrong.
    let w = Widths {
        narrow: Some(BandId::Unknown(300)),
        ..Widths::default()
    };
    let e = attrs_to_vec(&w).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Widths.narrow: value 300 does not fit the attribute's integer type u8"
    );
    let w = Widths {
        many: vec![BandId::Ghz2, BandId::Unknown(256)],
        ..Widths::default()
    };
    let e = attrs_to_vec(&w).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Widths.many[1]: value 256 does not fit the attribute's integer type u8"
    );
    // Decode: a u64 on the wire above the enum's u32 fallback is an InvalidValue with the path.
    let mut buf = vec![12, 0, 4, 0];
    buf.extend((1u64 << 40).to_ne_bytes());
    let e = Widths::decode_attrs(&buf).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Widths.var: invalid value 1099511627776 for BandId (at byte 4)"
    );
    // A wrong width on the wire is the wire type's error.
    let e = Widths::decode_attrs(&[6, 0, 1, 0, 1, 0, 0, 0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Widths.narrow: expected 1 bytes, got 2 (at byte 4)"
    );
}

// ---------------------------------------------------------------------------------------------
// Sub-messages: rt-link's `linkinfo-attrs.data`, chosen by `kind`.

use netlink_genl::NlSubMessage;

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct VlanAttrs {
    #[nla(id = 1, max = 4094)]
    id: Option<u16>,
    #[nla(id = 2, big_endian)]
    protocol: Option<u16>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct VethAttrs {
    #[nla(id = 1)]
    peer_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, NlSubMessage)]
enum LinkinfoData {
    #[nla(kind = "vlan")]
    Vlan(VlanAttrs),
    #[nla(kind = "veth")]
    Veth(VethAttrs),
    #[nla(unknown)]
    Other(Vec<u8>),
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Linkinfo {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, selector = kind)]
    data: Option<LinkinfoData>,
}

fn vlan(id: u16) -> Linkinfo {
    Linkinfo {
        kind: Some("vlan".into()),
        data: Some(LinkinfoData::Vlan(VlanAttrs {
            id: Some(id),
            protocol: Some(0x8100),
        })),
    }
}

/// kind "vlan", then data { id 7, protocol 0x8100 big-endian }.
fn vlan_bytes() -> Vec<u8> {
    let mut b = vec![9, 0, 1, 0, b'v', b'l', b'a', b'n', 0, 0, 0, 0];
    b.extend([20, 0, 2, 0x80, 6, 0, 1, 0]);
    b.extend(7u16.to_ne_bytes());
    b.extend([0, 0, 6, 0, 2, 0, 0x81, 0, 0, 0]);
    b
}

#[test]
fn sub_message_round_trips_in_either_wire_order() {
    let v = vlan(7);
    let bytes = attrs_to_vec(&v).unwrap();
    assert_eq!(bytes, vlan_bytes());
    assert_eq!(Linkinfo::decode_attrs(&bytes).unwrap(), v);
    // data before kind: kept until the set is read, then decoded the same.
    let mut reversed = bytes[12..].to_vec();
    reversed.extend(&bytes[..12]);
    assert_eq!(Linkinfo::decode_attrs(&reversed).unwrap(), v);

    let veth = Linkinfo {
        kind: Some("veth".into()),
        data: Some(LinkinfoData::Veth(VethAttrs {
            peer_name: Some("v1".into()),
        })),
    };
    let bytes = attrs_to_vec(&veth).unwrap();
    assert_eq!(Linkinfo::decode_attrs(&bytes).unwrap(), veth);
}

#[test]
fn sub_message_of_an_unknown_kind_keeps_its_bytes() {
    // kind "bond": no layout; its data comes back as bytes and is written back unchanged.
    let mut bytes = vec![9, 0, 1, 0, b'b', b'o', b'n', b'd', 0, 0, 0, 0];
    bytes.extend([12, 0, 2, 0x80, 5, 0, 1, 0, 4, 0, 0, 0]);
    let got = Linkinfo::decode_attrs(&bytes).unwrap();
    assert_eq!(
        got.data,
        Some(LinkinfoData::Other(vec![5, 0, 1, 0, 4, 0, 0, 0]))
    );
    assert_eq!(attrs_to_vec(&got).unwrap(), bytes);
}

#[test]
fn sub_message_errors_are_typed_with_their_path() {
    // A malformed payload of the chosen layout: id of 3 bytes.
    let mut bytes = vec![9, 0, 1, 0, b'v', b'l', b'a', b'n', 0, 0, 0, 0];
    bytes.extend([12, 0, 2, 0x80, 7, 0, 1, 0, 1, 2, 3, 0]);
    let e = Linkinfo::decode_attrs(&bytes).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Linkinfo.data.id: expected 2 bytes, got 3 (at byte 20)"
    );
    // A sub-message without its selector: its layout is unknown.
    let e = Linkinfo::decode_attrs(&bytes[12..]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Linkinfo.data: sub-message without its selector `kind` (at byte 4)"
    );

    // Encode: the variant and the selector must agree.
    let mut wrong = vlan(7);
    wrong.kind = Some("veth".into());
    assert_eq!(
        attrs_to_vec(&wrong).unwrap_err().to_string(),
        "Linkinfo.data: selector `kind` is \"veth\", but the sub-message is the layout for \"vlan\""
    );
    let mut unset = vlan(7);
    unset.kind = None;
    assert_eq!(
        attrs_to_vec(&unset).unwrap_err().to_string(),
        "Linkinfo.data: sub-message without its selector `kind`: set it to the value of the layout"
    );
    let fallback = Linkinfo {
        kind: Some("vlan".into()),
        data: Some(LinkinfoData::Other(vec![])),
    };
    assert_eq!(
        attrs_to_vec(&fallback).unwrap_err().to_string(),
        "Linkinfo.data: selector `kind` is \"vlan\", but the sub-message is the fallback, for values without a layout"
    );
    // A selector without a sub-message is fine.
    let kind_only = Linkinfo {
        kind: Some("dummy".into()),
        data: None,
    };
    assert_eq!(
        Linkinfo::decode_attrs(&attrs_to_vec(&kind_only).unwrap()).unwrap(),
        kind_only
    );
}

#[test]
fn sub_message_is_in_the_schema_trace_locate_and_validate() {
    let schema = Linkinfo::schema();
    let Some(AttrKind::SubMessage { selector, message }) = schema.attr(2).map(|a| a.kind) else {
        panic!("data is not a sub-message in the schema");
    };
    assert_eq!(selector, 1);
    assert_eq!(message.name, "LinkinfoData");
    assert_eq!(message.formats.len(), 2);
    let bytes = vlan_bytes();
    let trace = format_attrs(&bytes, Some(schema));
    assert!(trace.contains("data(2) [N]"), "{trace}");
    assert!(trace.contains("id(1): 7"), "{trace}");
    assert!(trace.contains("protocol(2): 33024"), "{trace}");
    let mut path = Vec::new();
    schema.locate(&bytes, 20, &mut path);
    assert_eq!(AttrPath(path).to_string(), "data.id");
    // Bounds of the chosen layout are checked through the sub-message.
    let e = schema
        .validate(&attrs_to_vec(&vlan(5000)).unwrap())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Linkinfo.data.id: value 5000 out of range [.., 4094] (at byte 20)"
    );
    // Of an unknown kind: shown as a guess, located no deeper than the attribute.
    let mut bond = vec![9, 0, 1, 0, b'b', b'o', b'n', b'd', 0, 0, 0, 0];
    bond.extend([12, 0, 2, 0x80, 5, 0, 1, 0, 4, 0, 0, 0]);
    let mut path = Vec::new();
    schema.locate(&bond, 20, &mut path);
    assert_eq!(AttrPath(path).to_string(), "data");
}

/// An integer selector, required, after the sub-message in the struct.
#[derive(Debug, Clone, PartialEq, NlSubMessage)]
enum ByType {
    #[nla(kind = 1)]
    Vlan(VlanAttrs),
    #[nla(kind = 2)]
    Veth(VethAttrs),
    #[nla(unknown)]
    Other(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct Typed {
    #[nla(id = 1, selector = r#type)]
    body: ByType,
    #[nla(id = 2)]
    r#type: u32,
}

#[test]
fn sub_message_with_an_integer_selector() {
    let t = Typed {
        body: ByType::Veth(VethAttrs {
            peer_name: Some("p".into()),
        }),
        r#type: 2,
    };
    let bytes = attrs_to_vec(&t).unwrap();
    assert_eq!(Typed::decode_attrs(&bytes).unwrap(), t);
    let other = Typed {
        body: ByType::Other(vec![4, 0, 9, 0]),
        r#type: 9,
    };
    assert_eq!(
        Typed::decode_attrs(&attrs_to_vec(&other).unwrap()).unwrap(),
        other
    );
    // Required and absent: the usual missing-attribute error.
    let e = Typed::decode_attrs(&bytes[bytes.len() - 8..]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Typed.body: missing required attribute (id 1)"
    );
}

/// Borrowed: the layouts and the fallback borrow from the buffer.
#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct NameRef<'a> {
    #[nla(id = 1)]
    peer_name: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, NlSubMessage)]
enum DataRef<'a> {
    #[nla(kind = "veth")]
    Veth(NameRef<'a>),
    #[nla(unknown)]
    Other(&'a [u8]),
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct LinkinfoRef<'a> {
    #[nla(id = 1)]
    kind: Option<&'a str>,
    #[nla(id = 2, selector = kind)]
    data: Option<DataRef<'a>>,
}

#[test]
fn sub_message_decodes_borrowed() {
    let owned = Linkinfo {
        kind: Some("veth".into()),
        data: Some(LinkinfoData::Veth(VethAttrs {
            peer_name: Some("v1".into()),
        })),
    };
    let bytes = attrs_to_vec(&owned).unwrap();
    let r = LinkinfoRef::decode_attrs(&bytes).unwrap();
    assert_eq!(r.kind, Some("veth"));
    assert_eq!(
        r.data,
        Some(DataRef::Veth(NameRef {
            peer_name: Some("v1")
        }))
    );
    assert_eq!(attrs_to_vec(&r).unwrap(), bytes);
    let vb = vlan_bytes();
    let unknown = LinkinfoRef::decode_attrs(&vb).unwrap();
    assert!(matches!(unknown.data, Some(DataRef::Other(b)) if b.len() == 16));
}

// The fake kernel validates a sub-message in the layout its selector chooses.

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "links", version = 1)]
enum Links {
    #[genl(cmd = 1, reply = Get)]
    Get(Linkinfo),
}

/// Any layout's attribute 1, as raw bytes.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct RawData {
    #[nla(id = 1)]
    first: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct RawLinkinfo {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, nested)]
    data: Option<RawData>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "links", version = 1)]
enum LinksRaw {
    #[genl(cmd = 1, reply = Get)]
    Get(RawLinkinfo),
}

fn link_cases() -> Vec<(&'static str, LinksRaw)> {
    let raw = |kind: &str, first: Vec<u8>| {
        LinksRaw::Get(RawLinkinfo {
            kind: Some(kind.into()),
            data: Some(RawData { first: Some(first) }),
        })
    };
    vec![
        ("vlan", raw("vlan", 7u16.to_ne_bytes().to_vec())),
        ("vlan, id of 3 bytes", raw("vlan", vec![1, 2, 3])),
        (
            "vlan, id out of range",
            raw("vlan", 4095u16.to_ne_bytes().to_vec()),
        ),
        ("bond: any payload", raw("bond", vec![1, 2, 3])),
    ]
}

fn show_link(r: Result<LinksRaw, Error>) -> String {
    match r {
        Ok(LinksRaw::Get(l)) => format!("ok {:?}", l.data.and_then(|d| d.first)),
        Err(Error::Kernel(k)) => format!(
            "{} msg={:?} path={}",
            k.errno_name().unwrap_or("?"),
            k.msg.as_deref().unwrap_or("-"),
            k.attr_path.map_or("-".to_owned(), |p| p.to_string()),
        ),
        Err(e) => format!("other: {e}"),
    }
}

#[test]
fn fake_kernel_validates_a_sub_message_by_its_selector_sync_and_async() {
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Links>::new().on_do(1, |_, r| Ok(Reply::msg(r))))
        .unwrap();
    let mut sock = fake.connect().unwrap();
    let sync: Vec<String> = link_cases()
        .into_iter()
        .map(|(what, req)| format!("{what}: {}", show_link(sock.request(&req))))
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r#async: Vec<String> = rt.block_on(async {
        let mut sock = fake.connect_async().unwrap();
        let mut out = Vec::new();
        for (what, req) in link_cases() {
            out.push(format!("{what}: {}", show_link(sock.request(&req).await)));
        }
        out
    });
    assert_eq!(sync, r#async);
    assert_eq!(
        sync,
        [
            "vlan: ok Some([7, 0])",
            "vlan, id of 3 bytes: EINVAL msg=\"invalid attribute length\" path=Get.data.first",
            "vlan, id out of range: ERANGE msg=\"integer out of range\" path=Get.data.first",
            "bond: any payload: ok Some([1, 2, 3])",
        ]
    );
    // The typed client maps the kernel's offset through its own sub-message: `data.id`.
    let typed = |r: Result<Links, Error>| match r {
        Err(Error::Kernel(k)) => k.attr_path.map_or("-".to_owned(), |p| p.to_string()),
        other => format!("{other:?}"),
    };
    let sync = typed(sock.request(&Links::Get(vlan(5000))));
    let r#async = rt.block_on(async {
        let mut sock = fake.connect_async().unwrap();
        typed(sock.request(&Links::Get(vlan(5000))).await)
    });
    assert_eq!(
        (sync.as_str(), r#async.as_str()),
        ("Get.data.id", "Get.data.id")
    );
    // GETPOLICY: the sub-message is a nest without a policy of its own, as the kernel's.
    let policy = sock.policy("links", Some(1)).unwrap();
    let idx = policy
        .ops
        .values()
        .next()
        .and_then(|op| op.do_policy)
        .unwrap();
    let attrs: Vec<String> = policy
        .policy(idx)
        .unwrap()
        .iter()
        .map(|(id, p)| format!("{id}: {p}"))
        .collect();
    assert_eq!(attrs, ["1: nul-string", "2: nested"]);
}
