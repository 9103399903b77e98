//! The `NETLINK_DEBUG` trace with names: schemas emitted by the derives (attribute names and
//! kinds, nested sets with their own names, keyed nests and indexed arrays), the `GenlMessage`
//! derive's per-command schema, and a real request traced in a child process.

mod common;

use std::process::Command;

use common::fixture;
use netlink_genl::ctrl::{Ctrl, Family, FamilyRef};
use netlink_genl::{AttrSet, GenlMessage, GenlSocket, NlAttrs};
use netlink_genl_core::debug::{Resolver, format_messages};
use netlink_genl_core::schema::{AttrKind, Schema};

/// What `GenlSocket` knows of nlctrl, built from the derived `Ctrl` alone.
struct CtrlNames;
impl Resolver for CtrlNames {
    fn family(&self, ty: u16) -> Option<&str> {
        (ty == 0x10).then_some(Ctrl::FAMILY)
    }
    fn fixed_header_len(&self, ty: u16) -> usize {
        if ty >= 0x10 { 4 } else { 0 }
    }
    fn command(&self, _ty: u16, cmd: u8, request: bool) -> Option<&str> {
        Some(Ctrl::schema().command(cmd, request)?.name)
    }
    fn schema(&self, _ty: u16, cmd: u8, request: bool) -> Option<&'static Schema> {
        Ctrl::schema().command(cmd, request)?.attrs()
    }
}

#[test]
fn family_dump_has_names() {
    let text = format_messages(&fixture("nlctrl-getfamily-dump.reply.bin"), &CtrlNames);
    assert!(text.contains("  #0 nlctrl(16) NewFamily(1) v"), "{text}");
    assert!(text.contains("  name(2): \"nlctrl\""), "{text}");
    assert!(text.contains("  id(1): 16 (0x10)"), "{text}");
    assert!(text.contains("  ops(6) [N]\n"), "{text}");
    // Array entries with the element set's own names.
    assert!(
        text.contains("      [1]\n        id(1): 3 (0x3)\n"),
        "{text}"
    );
    assert!(text.contains("        flags(2): 14 (0xe)\n"), "{text}");
    assert!(text.contains("  mcast_groups(7) [N]\n"), "{text}");
    assert!(text.contains("        name(1): \"notify\""), "{text}");
    // Everything in the dump is known: no guessed nests, no raw attribute names.
    assert!(!text.contains("(nest?)"), "{text}");
    assert!(!text.contains(" attr("), "{text}");
}

#[test]
fn policy_dump_shows_keyed_nests() {
    let text = format_messages(&fixture("nlctrl-getpolicy-nlctrl.reply.bin"), &CtrlNames);
    assert!(text.contains("nlctrl(16) GetPolicy(10) v"), "{text}");
    // op_policy: command -> OpPolicy.
    assert!(text.contains("  op_policy(9) [N]\n      key 3\n"), "{text}");
    assert!(text.contains("        do_policy(1): 0 (0x0)"), "{text}");
    // policy: index -> attribute id -> PolicyInfo (a keyed nest of keyed nests).
    assert!(
        text.contains("  policy(8) [N]\n      key 0\n        key 1\n"),
        "{text}"
    );
    assert!(text.contains("          ty(1): "), "{text}");
    assert!(text.contains("          max_length(7): 15 (0xf)"), "{text}");
    assert!(!text.contains("(nest?)"), "{text}");
}

#[test]
fn ctrl_schema_per_command() {
    let set = |cmd, request| Ctrl::schema().command(cmd, request)?.attrs();
    let s = set(1, false).expect("NewFamily has a set");
    assert_eq!(s.name, "Family");
    assert!(std::ptr::eq(s, Family::schema()));
    // The request variant GetFamily (3) has the same set.
    assert_eq!(set(3, true).map(|s| s.name), Some("Family"));
    assert!(set(99, false).is_none());
    let names: Vec<&str> = s.attrs.iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        [
            "id",
            "name",
            "version",
            "hdrsize",
            "maxattr",
            "ops",
            "mcast_groups",
            "policy",
            "op_policy",
            "op"
        ]
    );
    assert!(matches!(s.attr(1).map(|a| a.kind), Some(AttrKind::U16)));
    assert!(matches!(s.attr(2).map(|a| a.kind), Some(AttrKind::String)));
    let Some(AttrKind::Array(AttrKind::Nested(op))) = s.attr(6).map(|a| a.kind) else {
        panic!("ops: {:?}", s.attr(6))
    };
    assert_eq!(op().name, "Op");
    let Some(AttrKind::Keyed(AttrKind::Keyed(AttrKind::Nested(p)))) = s.attr(8).map(|a| a.kind)
    else {
        panic!("policy: {:?}", s.attr(8))
    };
    assert_eq!(p().name, "PolicyInfo");
    // The borrowed family: lazily decoded arrays name their element set too.
    let Some(AttrKind::Array(AttrKind::Nested(g))) = FamilyRef::schema().attr(7).map(|a| a.kind)
    else {
        panic!("mcast_groups: {:?}", FamilyRef::schema().attr(7))
    };
    assert_eq!(g().name, "McastGroupRef");
}

/// A set that contains itself, three ways.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Node {
    #[nla(id = 1)]
    name: Option<String>,
    #[nla(id = 2, multi)]
    children: Vec<Node>,
    #[nla(id = 3, array)]
    list: Vec<Node>,
    #[nla(id = 4)]
    next: Option<Box<Node>>,
}

#[test]
fn recursive_set_schema_refers_to_itself() {
    let s = Node::schema();
    assert_eq!(s.name, "Node");
    let Some(AttrKind::Nested(f)) = s.attr(2).map(|a| a.kind) else {
        panic!("children: {:?}", s.attr(2))
    };
    assert!(std::ptr::eq(f(), s));
    let Some(AttrKind::Array(AttrKind::Nested(f))) = s.attr(3).map(|a| a.kind) else {
        panic!("list: {:?}", s.attr(3))
    };
    assert!(std::ptr::eq(f(), s));
    let Some(AttrKind::Nested(f)) = s.attr(4).map(|a| a.kind) else {
        panic!("next: {:?}", s.attr(4))
    };
    assert!(std::ptr::eq(f(), s));

    // And the formatter walks it.
    let tree = Node {
        name: Some("root".into()),
        children: vec![Node {
            name: Some("kid".into()),
            ..Node::default()
        }],
        list: vec![Node::default()],
        next: Some(Box::new(Node {
            name: Some("next".into()),
            ..Node::default()
        })),
    };
    let attrs = netlink_genl_core::attrs_to_vec(&tree).unwrap();
    let mut msg = Vec::new();
    netlink_genl_core::message::build_message(&mut msg, 0x20, 0, 1, 0, 4 + attrs.len(), |w| {
        w.put_bytes(&[1, 1, 0, 0])?;
        w.put_bytes(&attrs)
    })
    .unwrap();
    struct Tree;
    impl Resolver for Tree {
        fn fixed_header_len(&self, _: u16) -> usize {
            4
        }
        fn schema(&self, _: u16, _: u8, _: bool) -> Option<&'static Schema> {
            Some(Node::schema())
        }
    }
    let text = format_messages(&msg, &Tree);
    assert!(
        text.contains("  children(2) [N]\n      name(1): \"kid\"\n"),
        "{text}"
    );
    assert!(text.contains("  list(3) [N]\n      [1]\n"), "{text}");
    assert!(
        text.contains("  next(4) [N]\n      name(1): \"next\"\n"),
        "{text}"
    );
}

/// Every option's kind.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Kinds<'a> {
    #[nla(id = 1, big_endian)]
    port: u16,
    #[nla(id = 2, uint)]
    bytes: u64,
    #[nla(id = 3, sint)]
    delta: i32,
    #[nla(id = 4, flag)]
    up: bool,
    #[nla(id = 5, array, big_endian)]
    ports: Vec<u32>,
    #[nla(id = 6, keyed)]
    map: Vec<(u16, u8)>,
    #[nla(id = 7)]
    name: &'a str,
    #[nla(id = 8)]
    addr: Option<std::net::Ipv4Addr>,
    #[nla(id = 9, multi)]
    tags: Vec<String>,
    #[nla(id = 10)]
    raw: netlink_genl_core::attr::RawAttrs<'a>,
    #[nla(skip)]
    _local: u8,
}

/// A value type of the user's own: shown as a guess.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Mine(u8);
impl netlink_genl_core::NlaEncode for Mine {
    fn payload_len(&self) -> usize {
        1
    }
    fn write_payload(
        &self,
        w: &mut netlink_genl_core::attr::AttrWriter<'_>,
    ) -> Result<(), netlink_genl_core::EncodeError> {
        self.0.write_payload(w)
    }
}
impl<'a> netlink_genl_core::NlaDecode<'a> for Mine {
    fn decode_payload(p: &'a [u8]) -> Result<Self, netlink_genl_core::DecodeError> {
        u8::decode_payload(p).map(Mine)
    }
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Generic<T> {
    #[nla(id = 1)]
    value: T,
    #[nla(id = 2)]
    fixed: u32,
    #[nla(id = 3)]
    mine: Mine,
}

#[test]
fn kinds_follow_options() {
    let s = Kinds::schema();
    let kind = |id| s.attr(id).map(|a| a.kind);
    assert!(matches!(kind(1), Some(AttrKind::Be16)));
    assert!(matches!(kind(2), Some(AttrKind::Uint)));
    assert!(matches!(kind(3), Some(AttrKind::Sint)));
    assert!(matches!(kind(4), Some(AttrKind::Flag)));
    assert!(matches!(kind(5), Some(AttrKind::Array(AttrKind::Be32))));
    assert!(matches!(kind(6), Some(AttrKind::Keyed(AttrKind::U8))));
    assert!(matches!(kind(7), Some(AttrKind::String)));
    assert!(
        matches!(kind(8), Some(AttrKind::Ipv4)),
        "addresses trace as addresses"
    );
    assert!(matches!(kind(9), Some(AttrKind::String)));
    assert!(matches!(kind(10), Some(AttrKind::Unknown)));
    assert_eq!(s.attrs.len(), 10, "skip is not on the wire");
    // A field of a type parameter: the schema cannot name its kind.
    let g = Generic::<u32>::schema();
    assert!(matches!(g.attr(1).map(|a| a.kind), Some(AttrKind::Unknown)));
    assert!(matches!(g.attr(2).map(|a| a.kind), Some(AttrKind::U32)));
    assert!(matches!(g.attr(3).map(|a| a.kind), Some(AttrKind::Unknown)));
    // Every derived set is a nested kind.
    assert!(matches!(
        <Node as netlink_genl_core::NlaEncode>::KIND,
        AttrKind::Nested(_)
    ));

    // Big-endian numbers in host terms, NLA_UINT of either width.
    let v = Kinds {
        port: 0x1234,
        bytes: 1 << 40,
        delta: -5,
        up: true,
        ports: vec![80, 443],
        map: vec![(7, 9)],
        name: "x",
        ..Kinds::default()
    };
    let attrs = netlink_genl_core::attrs_to_vec(&v).unwrap();
    let mut msg = Vec::new();
    netlink_genl_core::message::build_message(&mut msg, 0x20, 0, 1, 0, 4 + attrs.len(), |w| {
        w.put_bytes(&[1, 1, 0, 0])?;
        w.put_bytes(&attrs)
    })
    .unwrap();
    struct K;
    impl Resolver for K {
        fn fixed_header_len(&self, _: u16) -> usize {
            4
        }
        fn schema(&self, _: u16, _: u8, _: bool) -> Option<&'static Schema> {
            Some(Kinds::schema())
        }
    }
    let text = format_messages(&msg, &K);
    assert!(text.contains("  port(1): 4660 (0x1234)\n"), "{text}");
    assert!(
        text.contains("  bytes(2): 1099511627776 (0x10000000000)\n"),
        "{text}"
    );
    assert!(text.contains("  delta(3): -5\n"), "{text}");
    assert!(text.contains("  up(4): true\n"), "{text}");
    assert!(
        text.contains("  ports(5) [N]\n      [1]: 80 (0x50)\n      [2]: 443 (0x1bb)\n"),
        "{text}"
    );
    assert!(
        text.contains("  map(6) [N]\n      key 7: 9 (0x9)\n"),
        "{text}"
    );
}

/// A request variant and a decodable one sharing a command number: the schema is the
/// decodable one's (the kernel's replies are what the trace shows most).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Query {
    #[nla(id = 1)]
    key: Option<u32>,
}
#[derive(Debug, Clone, PartialEq, netlink_genl::GenlMessage)]
#[genl(family = "demo_names", version = 1)]
enum Demo {
    #[genl(cmd = 1, request)]
    Get(Query),
    #[genl(cmd = 1)]
    Reply(Node),
    #[genl(cmd = 2)]
    Ping,
}

#[test]
fn genl_schema_names_requests_and_replies_apart() {
    let s = Demo::schema();
    let set = |cmd, request| s.command(cmd, request)?.attrs();
    assert_eq!(set(1, false).map(|s| s.name), Some("Node"));
    assert_eq!(set(1, true).map(|s| s.name), Some("Query"));
    assert_eq!(s.command(1, true).map(|c| c.name), Some("Get"));
    assert!(s.command(1, true).unwrap().request_only);
    assert!(set(2, false).is_none());
    assert_eq!(s.command(2, true).map(|c| c.name), Some("Ping"));
    assert!(s.command(3, true).is_none());
    assert_eq!(Demo::command_name(1), Some("Reply"));
    assert_eq!(Demo::Get(Query::default()).command(), 1);
}

// ---------------------------------------------------------------------------------------------
// A real request, traced: this test binary runs itself with `NETLINK_DEBUG=1` and a filter that
// selects `traced_child`, which does the requests; the parent reads the child's stderr.

const CHILD: &str = "NETLINK_DEBUG_NAMES_CHILD";

#[test]
fn traced_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let mut sock = GenlSocket::new().unwrap();
    let reply = sock
        .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
        .unwrap();
    assert_eq!(reply.into_family().id, Some(0x10));
    // A family resolved for a type: its commands and attributes get names too.
    if sock.family("netdev").is_ok() {
        use example_families::netdev::Netdev;
        sock.dump_with(
            &Netdev::DevGet(example_families::netdev::Dev::default()),
            |_: Netdev| Ok(()),
        )
        .unwrap();
        eprintln!("child: netdev traced");
    }
    eprintln!("child: done");
}

#[test]
fn netlink_debug_traces_with_names() {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe)
        .args(["--exact", "traced_child", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("NETLINK_DEBUG", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{err}");
    assert!(err.contains("child: done"), "{err}");
    // The request as sent.
    assert!(err.contains("netlink send "), "{err}");
    assert!(
        // GETFAMILY declares its reply (NewFamily): sent without NLM_F_ACK.
        err.contains("nlctrl(16) GetFamily(3) v2 flags=REQUEST seq="),
        "{err}"
    );
    assert!(err.contains("    name(2): \"nlctrl\"\n"), "{err}");
    // The reply: the family with its operations and groups by name.
    assert!(err.contains("netlink recv "), "{err}");
    assert!(err.contains("nlctrl(16) NewFamily(1) v"), "{err}");
    assert!(err.contains("    id(1): 16 (0x10)\n"), "{err}");
    assert!(err.contains("    ops(6) [N]\n"), "{err}");
    assert!(err.contains("      [1]\n        id(1): "), "{err}");
    assert!(err.contains("        flags(2): "), "{err}");
    assert!(err.contains("    mcast_groups(7) [N]\n"), "{err}");
    if err.contains("child: netdev traced") {
        assert!(err.contains(") DevGet(1) v1 flags=REQUEST|"), "{err}");
        assert!(err.contains("netdev("), "{err}");
        assert!(err.contains("    ifindex(1): 1 (0x1)\n"), "{err}");
    }
}
