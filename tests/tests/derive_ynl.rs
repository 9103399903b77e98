//! What the kernel's YNL specs need from the derive (issue 14, part 2): attributes with id 0,
//! enums carried at several widths, sub-messages. Each through encode, owned and borrowed
//! decode, the schema (names, `locate`, `missing`, the trace) and, where a request carries it,
//! the fake kernel's validation through the blocking and the tokio socket.

use std::collections::BTreeMap;

use netlink_genl::testing::{FakeKernel, FamilySpec, Reply};
use netlink_genl::{AttrSet, DecodeAttrs, Error, GenlMessage, GenlRequest, NlAttrs};
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
