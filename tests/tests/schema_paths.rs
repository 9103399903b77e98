//! One description per type: the schema each derive emits says which attributes a set has
//! (names, kinds, `multi`, required, nested sets) and which commands a message enum has (name,
//! set, request-only, declared answer); names, extended-ACK offsets and missing attributes are
//! mapped to field paths from it, through the blocking and the tokio socket alike, and against
//! the kernel.

use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{Answer, AttrSet, GenlMessage, GenlRequest, GenlSocket, NlAttrs};
use netlink_genl_core::consts::{NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_ERROR, NLMSG_HDRLEN};
use netlink_genl_core::header::NlMsgHdr;
use netlink_genl_core::mem::{MemTransport, Outbox};
use netlink_genl_core::request::NlRequest;
use netlink_genl_core::schema::AttrKind;
use netlink_genl_core::{Errno, Error, KernelError};
use zerocopy::{FromBytes, IntoBytes};

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Header {
    #[nla(id = 1)]
    dev_index: Option<u32>,
    #[nla(id = 2)]
    dev_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Entry {
    #[nla(id = 1)]
    key: u32,
    #[nla(id = 2)]
    value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Req {
    #[nla(id = 1, nested)]
    header: Option<Header>,
    #[nla(id = 2, multi)]
    tags: Vec<u32>,
    #[nla(id = 3, array)]
    entries: Vec<Entry>,
    #[nla(id = 4)]
    name: String,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
#[nla(deny_unknown)]
struct Strict {
    #[nla(id = 1, flag)]
    on: bool,
}

/// Calls itself `nlctrl` so that the sockets use id 0x10 without asking a controller.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "nlctrl", version = 1)]
enum Demo {
    #[genl(cmd = 1, request, reply = Reply)]
    Get(Req),
    #[genl(cmd = 1)]
    Reply(Req),
    #[genl(cmd = 2, ack)]
    Set(Req),
    #[genl(cmd = 3)]
    Ping,
}

fn sample() -> Req {
    Req {
        header: Some(Header {
            dev_index: Some(1),
            dev_name: Some("lo".into()),
        }),
        tags: vec![7, 8, 9],
        entries: vec![
            Entry {
                key: 1,
                value: Some("a".into()),
            },
            Entry {
                key: 2,
                value: Some("b".into()),
            },
        ],
        name: "x".into(),
    }
}

#[test]
fn a_set_schema_says_everything_the_declaration_does() {
    let s = Req::schema();
    assert_eq!(s.name, "Req");
    assert!(!s.deny_unknown);
    assert!(Strict::schema().deny_unknown);
    let header = s.attr(1).unwrap();
    assert_eq!(header.name, "header");
    assert!(!header.required && !header.multi);
    assert!(std::ptr::eq(
        header.kind.nested().unwrap(),
        Header::schema()
    ));
    let tags = s.attr(2).unwrap();
    assert!(tags.multi && matches!(tags.kind, AttrKind::U32));
    let entries = s.attr(3).unwrap();
    let AttrKind::Array(elem) = entries.kind else {
        panic!("{entries:?}")
    };
    let entry = elem.nested().unwrap();
    assert!(
        entry.attr(1).unwrap().required,
        "a non-Option field is required"
    );
    assert!(!entry.attr(2).unwrap().required);
    assert!(s.attr(4).unwrap().required);
    assert!(s.attr(5).is_none());
    assert_eq!(Req::attr_name(4), Some("name"));
    assert_eq!(Req::NAME, "Req");
}

#[test]
fn a_message_schema_says_every_command() {
    let s = Demo::schema();
    assert_eq!((s.name, s.family, s.version), ("Demo", "nlctrl", 1));
    assert_eq!((Demo::FAMILY, Demo::VERSION), ("nlctrl", 1));
    let get = s.request(1).unwrap();
    assert_eq!(get.name, "Get");
    assert!(get.request_only);
    assert_eq!(get.answer, Answer::Reply(1));
    assert_eq!(s.reply(1).unwrap().name, "Reply");
    assert_eq!(s.command(1, false).unwrap().name, "Reply");
    assert_eq!(s.command(1, true).unwrap().name, "Get");
    assert_eq!(s.request(2).unwrap().answer, Answer::Ack);
    assert!(s.request(3).unwrap().attrs().is_none(), "a unit variant");
    assert!(s.command(4, false).is_none());
    assert_eq!(Demo::Get(Req::default()).answer(), Answer::Reply(1));
    assert_eq!(Demo::Ping.answer(), Answer::Undeclared);
    assert_eq!(Demo::command_name(1), Some("Reply"));
}

/// Byte offset of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn offsets_map_to_field_paths_through_multi_arrays_and_nests() {
    let msg = Demo::Get(sample());
    let bytes = GenlRequest::new(0x10, &msg).to_bytes(0, 1, 0).unwrap();
    let described = <GenlRequest<'_, Demo> as NlRequest>::describe(&bytes).unwrap();
    let at = |off: usize| described.locate(&bytes, off).to_string();
    // the second tag's payload
    let tag = find(&bytes, &[8, 0, 2, 0, 8, 0, 0, 0]);
    assert_eq!(at(tag + 4), "Get.tags[1]");
    // the second entry's value, "b"
    let b = find(&bytes, b"b\0");
    assert_eq!(at(b), "Get.entries[1].value");
    assert_eq!(at(b - 4), "Get.entries[1].value", "its header");
    // the nested device name
    assert_eq!(at(find(&bytes, b"lo\0")), "Get.header.dev_name");
    // before the attributes: the message alone
    assert_eq!(at(2), "Get");
}

#[test]
fn missing_attributes_map_to_field_paths() {
    let msg = Demo::Set(sample());
    let bytes = GenlRequest::new(0x10, &msg).to_bytes(0, 1, 0).unwrap();
    let described = <GenlRequest<'_, Demo> as NlRequest>::describe(&bytes).unwrap();
    let attrs = NLMSG_HDRLEN + 4;
    let missing = |nest: Option<usize>, id| described.missing(&bytes, nest, id).to_string();
    assert_eq!(missing(None, 4), "Set.name");
    assert_eq!(missing(None, 9), "Set.<attr 9>");
    // the header nest is the first attribute
    assert_eq!(missing(Some(attrs), 2), "Set.header.dev_name");
    // the first entry of the array (the kernel points at the entry's header)
    let entries = find(&bytes, &[3, 0x80]) - 2;
    let first = entries + 4;
    assert_eq!(missing(Some(first), 2), "Set.entries[0].value");
    // a nest offset outside the attributes names the id only
    assert_eq!(missing(Some(2), 2), "Set.<attr 2>");
}

/// The kernel's answer to a request that lacks a required attribute: `EINVAL` with
/// `NLMSGERR_ATTR_MISS_TYPE` = `id` and `NLMSGERR_ATTR_MISS_NEST` = `nest`.
fn missing_error(request: &[u8], id: u32, nest: Option<u32>) -> Vec<u8> {
    let (req, _) = NlMsgHdr::read_from_prefix(request).unwrap();
    let mut tlvs = Vec::new();
    let mut put = |ty: u16, v: u32| {
        tlvs.extend_from_slice(&8u16.to_ne_bytes());
        tlvs.extend_from_slice(&ty.to_ne_bytes());
        tlvs.extend_from_slice(&v.to_ne_bytes());
    };
    put(5, id); // NLMSGERR_ATTR_MISS_TYPE
    if let Some(n) = nest {
        put(6, n); // NLMSGERR_ATTR_MISS_NEST
    }
    let len = NLMSG_HDRLEN + 4 + NLMSG_HDRLEN + tlvs.len();
    let hdr = NlMsgHdr {
        len: len as u32,
        ty: NLMSG_ERROR,
        flags: NLM_F_CAPPED | NLM_F_ACK_TLVS,
        seq: req.seq,
        pid: req.pid,
    };
    let mut out = hdr.as_bytes().to_vec();
    out.extend_from_slice(&(-libc::EINVAL).to_ne_bytes());
    let mut echoed = req;
    echoed.len = NLMSG_HDRLEN as u32;
    out.extend_from_slice(echoed.as_bytes());
    out.extend_from_slice(&tlvs);
    out
}

/// A peer that reports `header.dev_name` missing from every request (the header is the first
/// attribute, at byte 20).
fn strict_peer() -> MemTransport {
    let peer = MemTransport::new();
    peer.set_handler(|req: &[u8], out: &mut Outbox| {
        out.unicast(missing_error(req, 2, Some(20)));
    });
    peer
}

fn check(k: &KernelError) {
    assert_eq!(k.errno, Errno::INVAL);
    assert_eq!(k.miss_type, Some(2));
    assert_eq!(
        k.missing_path.as_ref().map(ToString::to_string).as_deref(),
        Some("Set.header.dev_name")
    );
    let text = k.to_string();
    assert!(
        text.contains("missing attribute Set.header.dev_name, type 2"),
        "{text}"
    );
}

#[test]
fn both_sockets_name_the_missing_attribute() {
    let peer = strict_peer();
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    let Err(Error::Kernel(k)) = sock.ack(&Demo::Set(sample())) else {
        panic!("the peer refuses")
    };
    check(&k);

    let peer = strict_peer();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
        let Err(Error::Kernel(k)) = sock.ack(&Demo::Set(sample())).await else {
            panic!("the peer refuses")
        };
        check(&k);
    });
}

/// netdev's dev-get, declared with its one request attribute.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Dev {
    #[nla(id = 1)]
    ifindex: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "netdev", version = 1)]
enum Netdev {
    #[genl(cmd = 1, reply = DevGet)]
    DevGet(Dev),
}

#[test]
fn the_kernels_missing_attribute_is_named() {
    let mut sock = GenlSocket::new().unwrap();
    let Err(Error::Kernel(k)) = sock.request(&Netdev::DevGet(Dev::default())) else {
        panic!("dev-get without an ifindex must fail")
    };
    assert_eq!(k.errno, Errno::INVAL);
    assert_eq!(k.miss_type, Some(1));
    assert_eq!(
        k.missing_path.map(|p| p.to_string()).as_deref(),
        Some("DevGet.ifindex")
    );
}

const MAX_PORTS: u32 = 3;

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Bounded {
    #[nla(id = 1, min = -5, max = 5)]
    delta: Option<i32>,
    #[nla(id = 2, multi, max = MAX_PORTS)]
    ports: Vec<u16>,
    #[nla(id = 3, exact_len = 6)]
    mac: Option<Vec<u8>>,
    #[nla(id = 4, nested)]
    inner: Option<Strings>,
    #[nla(id = 5, big_endian, max = 1000)]
    be: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Strings {
    #[nla(id = 1, min_len = 1, max_len = 4)]
    name: Option<String>,
}

#[test]
fn bounds_are_recorded_and_validated_with_paths() {
    use netlink_genl_core::attrs_to_vec;
    use netlink_genl_core::schema::Checks;
    let s = Bounded::schema();
    assert_eq!(s.attr(1).unwrap().checks, Checks::NONE.min(-5).max(5));
    assert_eq!(s.attr(2).unwrap().checks, Checks::NONE.max(3));
    assert_eq!(
        s.attr(3).unwrap().checks,
        Checks::NONE.min_len(6).max_len(6)
    );
    assert!(s.attr(4).unwrap().checks.is_empty());
    let ok = Bounded {
        delta: Some(-5),
        ports: vec![1, 3],
        mac: Some(vec![0; 6]),
        inner: Some(Strings {
            name: Some("eth0".into()),
        }),
        be: Some(1000),
    };
    s.validate(&attrs_to_vec(&ok).unwrap()).unwrap();
    let check = |b: Bounded| {
        s.validate(&attrs_to_vec(&b).unwrap())
            .unwrap_err()
            .to_string()
    };
    let low = Bounded {
        delta: Some(-6),
        ..ok.clone()
    };
    assert!(check(low).starts_with("Bounded.delta: value -6 out of range [-5, 5]"));
    let port = Bounded {
        ports: vec![1, 2, 4],
        ..ok.clone()
    };
    assert!(check(port).starts_with("Bounded.ports[2]: value 4 out of range [.., 3]"));
    let mac = Bounded {
        mac: Some(vec![0; 5]),
        ..ok.clone()
    };
    assert!(check(mac).starts_with("Bounded.mac: length 5 out of range [6]"));
    let name = Bounded {
        inner: Some(Strings {
            name: Some("eth10".into()),
        }),
        ..ok.clone()
    };
    assert!(check(name).starts_with("Bounded.inner.name: length 5 out of range [1, 4]"));
    let be = Bounded {
        be: Some(1001),
        ..ok.clone()
    };
    assert!(check(be).starts_with("Bounded.be: value 1001 out of range [.., 1000]"));
}

/// What an enum's definition implies for its attribute's bounds (the kernel's YNL code
/// generator: a contiguous enum a range, flags a mask, a sparse enum nothing).
#[test]
fn enum_definitions_bound_their_attributes() {
    use netlink_genl_core::schema::{AttrInfo, AttrKind, Checks, EnumInfo};
    static FROM_ONE: EnumInfo = EnumInfo::new("e", &AttrKind::U32, &[("a", 1), ("b", 2), ("c", 3)]);
    static SPARSE: EnumInfo = EnumInfo::new("s", &AttrKind::U32, &[("a", 0), ("b", 4)]);
    static SIGNED: EnumInfo = EnumInfo::new("n", &AttrKind::I32, &[("lo", -1), ("zero", 0)]);
    static EMPTY: EnumInfo = EnumInfo::new("x", &AttrKind::U8, &[]);
    static FLAGS: EnumInfo = EnumInfo::flags("f", &AttrKind::U16, &[("a", 1), ("b", 2), ("d", 8)]);
    static SIGNED_FLAGS: EnumInfo = EnumInfo::flags("g", &AttrKind::I32, &[("a", 1)]);
    assert_eq!(FROM_ONE.value_range(), Some((1, 3)));
    assert_eq!(SPARSE.value_range(), None);
    assert_eq!(SIGNED.value_range(), Some((-1, 0)));
    assert_eq!(EMPTY.value_range(), None);
    assert_eq!(FLAGS.value_range(), None);
    assert_eq!(FLAGS.mask(), Some(11));
    assert_eq!(FROM_ONE.mask(), None);
    let checks = |e: &'static EnumInfo, declared: Checks| {
        AttrInfo::new(1, "v", AttrKind::Enum(e))
            .checks(declared)
            .policy_checks()
    };
    assert_eq!(checks(&FROM_ONE, Checks::NONE), Checks::NONE.min(1).max(3));
    // A declared bound wins over the enum's, the other is still the enum's.
    assert_eq!(
        checks(&FROM_ONE, Checks::NONE.max(2)),
        Checks::NONE.min(1).max(2)
    );
    assert_eq!(checks(&SPARSE, Checks::NONE), Checks::NONE);
    assert_eq!(checks(&SIGNED, Checks::NONE), Checks::NONE.min(-1).max(0));
    assert_eq!(checks(&FLAGS, Checks::NONE), Checks::NONE.mask(11));
    // The kernel has no mask for signed integers.
    assert_eq!(checks(&SIGNED_FLAGS, Checks::NONE), Checks::NONE);
    // An integer that is not an enum: its declared checks only.
    let plain = AttrInfo::new(1, "v", AttrKind::U32).checks(Checks::NONE.max(7));
    assert_eq!(plain.policy_checks(), Checks::NONE.max(7));
}
