//! `#[derive(GenlMessage)]`: family constants, commands, encode, decode dispatch, request-only
//! variants sharing numbers with replies (ethtool), user headers, borrowed decode, `locate`.

use netlink_genl::{DecodeAttrs, GenlDecode, GenlMessage, NlAttrs};
use netlink_genl_core::DecodeErrorKind;
use netlink_genl_core::attr::AttrWriter;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Header {
    #[nla(id = 1)]
    dev_index: Option<u32>,
    #[nla(id = 2)]
    dev_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct FeaturesReq {
    #[nla(id = 1, nested)]
    header: Header,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct FeaturesReply {
    #[nla(id = 1, nested)]
    header: Header,
    #[nla(id = 2)]
    hw: Option<u32>,
}

const ETHTOOL_MSG_FEATURES_GET: u8 = 11;

/// ethtool numbers requests and replies separately: request FEATURES_GET (11) is answered by
/// FEATURES_GET_REPLY (also 11).
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "ethtool", version = 1)]
enum Ethtool {
    #[genl(cmd = ETHTOOL_MSG_FEATURES_GET, request)]
    FeaturesGet(FeaturesReq),
    #[genl(cmd = 11)]
    FeaturesGetReply(FeaturesReply),
    #[genl(cmd = 12)]
    FeaturesSet(FeaturesReply),
    #[genl(cmd = 1, request)]
    StrsetGet,
}

/// A fixed user header between the genl header and the attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
struct UserHdr {
    ifindex: u32,
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct Name<'a> {
    #[nla(id = 1)]
    name: &'a str,
}

/// Default version (1), a user header, a borrowed variant, a unit variant.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "demo", header = UserHdr)]
enum Demo<'a> {
    #[genl(cmd = 1)]
    Ping,
    #[genl(cmd = 2)]
    Hello(Name<'a>),
}

fn write<M: GenlMessage>(m: &M) -> Vec<u8> {
    let mut buf = vec![0u8; m.attrs_len()];
    let mut w = AttrWriter::new(&mut buf);
    m.write_attrs(&mut w).unwrap();
    assert_eq!(w.position(), buf.len(), "attrs_len is exact");
    buf
}

#[test]
fn constants_and_commands() {
    assert_eq!(Ethtool::FAMILY, "ethtool");
    assert_eq!(Ethtool::VERSION, 1);
    assert_eq!(Demo::FAMILY, "demo");
    assert_eq!(Demo::VERSION, 1, "version defaults to 1");
    assert_eq!(
        <Demo as GenlMessage>::Header::default(),
        UserHdr { ifindex: 0 }
    );
    assert_eq!(Ethtool::StrsetGet.command(), 1);
    assert_eq!(Ethtool::FeaturesGet(FeaturesReq::default()).command(), 11);
    assert_eq!(Demo::Ping.command(), 1);
    // names prefer the decodable variant when a request shares the number
    assert_eq!(Ethtool::command_name(11), Some("FeaturesGetReply"));
    assert_eq!(Ethtool::command_name(1), Some("StrsetGet"));
    assert_eq!(Ethtool::command_name(2), None);
    let reply = Ethtool::schema().reply(11).unwrap();
    assert_eq!(reply.attrs().unwrap().attr_name(2), Some("hw"));
}

#[test]
fn request_variants_are_sent_but_not_decoded() {
    let req = Ethtool::FeaturesGet(FeaturesReq {
        header: Header {
            dev_name: Some("lo".into()),
            ..Default::default()
        },
    });
    let bytes = write(&req);
    // command 11 decodes as the reply
    let back = Ethtool::decode_genl(11, &bytes).unwrap();
    assert_eq!(
        back,
        Ethtool::FeaturesGetReply(FeaturesReply {
            header: Header {
                dev_name: Some("lo".into()),
                ..Default::default()
            },
            hw: None
        })
    );
    // a request-only number is an unknown command on decode
    let e = Ethtool::decode_genl(1, &[]).unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::UnknownCommand { cmd: 1 });
    assert_eq!(Ethtool::StrsetGet.attrs_len(), 0);
}

#[test]
fn decode_errors_start_with_the_variant() {
    let mut buf = [0u8; 64];
    let mut w = AttrWriter::new(&mut buf);
    let n = w.begin_nest(1).unwrap();
    w.put_raw(1, &[1, 2]).unwrap();
    w.end_nest(n).unwrap();
    let len = w.position();
    let e = Ethtool::decode_genl(12, &buf[..len]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "FeaturesSet.header.dev_index: expected 4 bytes, got 2 (at byte 8)"
    );
}

#[test]
fn encode_errors_start_with_the_variant() {
    let m = Ethtool::FeaturesSet(FeaturesReply {
        header: Header {
            dev_name: Some("x".repeat(70000)),
            ..Default::default()
        },
        hw: None,
    });
    let mut buf = vec![0u8; m.attrs_len()];
    let e = m.write_attrs(&mut AttrWriter::new(&mut buf)).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("FeaturesSet.header.dev_name: attribute payload of 70001 bytes"),
        "{e}"
    );
}

#[test]
fn locate_prefers_the_request_variant() {
    let req = Ethtool::FeaturesGet(FeaturesReq {
        header: Header {
            dev_index: Some(1),
            dev_name: Some("nosuchdev".into()),
        },
    });
    let bytes = write(&req);
    // the kernel's NLMSGERR_ATTR_OFFS points at the dev_name attribute header: nest 4 + u32 8
    let get = Ethtool::schema().request(11).unwrap();
    let path = get.locate(&bytes, 12);
    assert_eq!(path.to_string(), "FeaturesGet.header.dev_name");
    let path = Ethtool::schema().request(1).unwrap().locate(&[], 0);
    assert_eq!(path.to_string(), "StrsetGet");
}

#[test]
fn borrowed_and_unit_variants() {
    let m = Demo::Hello(Name { name: "hi" });
    let bytes = write(&m);
    let back = Demo::decode_genl(2, &bytes).unwrap();
    assert_eq!(back, m);
    let Demo::Hello(n) = back else { unreachable!() };
    assert!(
        std::ptr::eq(n.name.as_ptr(), bytes[4..].as_ptr()),
        "zero-copy"
    );
    assert_eq!(Demo::decode_genl(1, &bytes).unwrap(), Demo::Ping);
    assert_eq!(write(&Demo::Ping), Vec::<u8>::new());
    assert_eq!(
        Demo::decode_genl(3, &[]).unwrap_err().to_string(),
        "Demo: unknown command 3"
    );
    // the set decodes on its own too
    assert_eq!(Name::decode_attrs(&bytes).unwrap().name, "hi");
}

/// Op declarations (`do`, `dump`, `mcast`, `event`, `groups`) land in the schema as written:
/// request lists name the variant's set, reply lists the reply variant's set (a directional
/// family, as ethtool), lists keep their order, raw identifiers lose their `r#`.
mod ops {
    use netlink_genl::{GenlMessage, NlAttrs, OpAttrs};

    #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    struct Req {
        #[nla(id = 1)]
        dev: Option<u32>,
        #[nla(id = 2)]
        r#type: Option<u8>,
    }

    #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    struct Rsp {
        #[nla(id = 1)]
        dev: Option<u32>,
        #[nla(id = 3)]
        speed: Option<u32>,
    }

    #[allow(dead_code)] // only the schema is read
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "demo", groups("monitor", "stats"))]
    enum Demo {
        #[genl(cmd = 1, request, reply = GetReply, do(request(r#type, dev), reply(speed)), dump)]
        Get(Req),
        #[genl(cmd = 1)]
        GetReply(Rsp),
        #[genl(cmd = 2, mcast = "stats", event(dev, speed))]
        Ntf(Rsp),
        #[genl(cmd = 3, ack, do(request()))]
        Flush,
        #[genl(cmd = 4)]
        Plain(Rsp),
    }

    #[test]
    fn recorded_in_the_schema() {
        let s = Demo::schema();
        assert_eq!(s.groups, ["monitor", "stats"]);
        let get = s.request(1).unwrap();
        assert_eq!(
            get.doit,
            Some(OpAttrs::ANY.request(&["type", "dev"]).reply(&["speed"]))
        );
        assert_eq!(get.dumpit, Some(OpAttrs::ANY));
        assert_eq!((get.mcast, get.event), (None, None));
        let reply = s.reply(1).unwrap();
        assert_eq!((reply.doit, reply.dumpit), (None, None));
        let ntf = s.reply(2).unwrap();
        assert_eq!(ntf.mcast, Some("stats"));
        assert_eq!(ntf.event, Some(&["dev", "speed"][..]));
        let flush = s.request(3).unwrap();
        assert_eq!(flush.doit.and_then(|o| o.request), Some(&[][..]));
        let plain = s.reply(4).unwrap();
        assert_eq!((plain.doit, plain.dumpit, plain.mcast), (None, None, None));
    }

    #[test]
    fn nlctrl_declares_its_operations() {
        let s = netlink_genl::ctrl::Ctrl::schema();
        assert_eq!(s.groups, ["notify"]);
        let get = s.request(3).unwrap();
        assert_eq!(get.doit.and_then(|o| o.request), Some(&["id", "name"][..]));
        assert!(get.dumpit.is_some());
        let policy = s.request(10).unwrap();
        assert!(policy.doit.is_none());
        assert_eq!(
            policy.dumpit.and_then(|o| o.request),
            Some(&["name", "id", "op"][..])
        );
        assert_eq!(s.reply(1).and_then(|c| c.mcast), Some("notify"));
    }
}
