//! The fake kernel (`netlink_genl::testing`) against the unchanged sockets: ids and groups
//! assigned like the kernel's, the controller compared with the real kernel's captures,
//! routing and validation errors, ACK and dump rules, multicast, and every fault on demand,
//! each through the blocking and the tokio socket (which must end the same way).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use example_families::ethtool::{
    Channels, Ethtool, Features, Linkinfo, Linkmodes, Linkstate, Rings, Strset,
};
use example_families::netdev::Netdev;
use netlink_genl::ctrl::{Ctrl, Family, PolicyDump, op_flags};
use netlink_genl::testing::{
    AckOptions, DumpOut, ErrorReply, FakeKernel, FamilySpec, Fault, Reply,
};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{Errno, Error, GenlMessage, GenlRequest, GenlSocket, NlAttrs, decode_answer};
use netlink_genl_core::Waited;

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Msg {
    #[nla(id = 1)]
    text: Option<String>,
    #[nla(id = 2)]
    count: Option<u32>,
}

/// A family with each kind of operation: a do with a declared reply, a dump, a notification,
/// an admin-only ACK-only command, a do that fails.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "toy", version = 1)]
enum Toy {
    #[genl(cmd = 1, reply = Echo)]
    Echo(Msg),
    #[genl(cmd = 2)]
    List(Msg),
    #[genl(cmd = 3)]
    Event(Msg),
    #[genl(cmd = 4, ack)]
    Reset(Msg),
    #[genl(cmd = 5, reply = Fail)]
    Fail(Msg),
}

/// The same family as another client declares it: raw bytes and a u16 where the fake wants a
/// string and a u32, and a command the fake does not have.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct RawMsg {
    #[nla(id = 1)]
    text: Option<Vec<u8>>,
    #[nla(id = 2)]
    count: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "toy", version = 1)]
enum ToyRaw {
    #[genl(cmd = 1, reply = Echo)]
    Echo(RawMsg),
    #[genl(cmd = 42, reply = Nope)]
    Nope(RawMsg),
}

fn text(s: &str) -> Msg {
    Msg {
        text: Some(s.to_owned()),
        ..Msg::default()
    }
}

/// The toy family: Echo echoes, List yields `count` (default 3) items, Reset is admin-only
/// and counts, Fail fails with a message blaming `text`.
fn toy_spec(resets: Arc<AtomicUsize>) -> FamilySpec<Toy> {
    FamilySpec::<Toy>::new()
        .group("events")
        .group("other")
        .on_do(1, |_ctx, req| match req {
            Toy::Echo(m) => Ok(Reply::msg(Toy::Echo(m))),
            _ => Err(ErrorReply::new(Errno::INVAL)),
        })
        .on_dump(2, |_ctx, req, out: &mut DumpOut<Toy>| {
            let n = match req {
                Toy::List(m) => m.count.unwrap_or(3),
                _ => 0,
            };
            for i in 0..n {
                out.push(Toy::List(Msg {
                    text: Some(format!("item {i}")),
                    count: Some(i),
                }));
            }
            if n == 13 {
                return Err(ErrorReply::new(Errno::BUSY).msg("unlucky"));
            }
            Ok(())
        })
        .on_do(4, move |_ctx, _req| {
            resets.fetch_add(1, Ordering::SeqCst);
            Ok(Reply::ack())
        })
        .admin(4)
        .on_do(5, |_ctx, _req| {
            Err(ErrorReply::new(Errno::EXIST)
                .msg("already there")
                .at_field("text"))
        })
}

fn toy_kernel() -> (FakeKernel, Arc<AtomicUsize>) {
    let fake = FakeKernel::new();
    let resets = Arc::new(AtomicUsize::new(0));
    fake.register(toy_spec(resets.clone())).unwrap();
    (fake, resets)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn show<T: std::fmt::Debug>(r: &Result<T, Error>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(e) => format!("Err({e})"),
    }
}

fn kernel_error<T: std::fmt::Debug>(r: Result<T, Error>) -> Box<netlink_genl::KernelError> {
    match r {
        Err(Error::Kernel(k)) => k,
        other => panic!("expected a kernel error, got {other:?}"),
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/kernel/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Ids and groups.

#[test]
fn ids_and_groups_are_assigned_like_the_kernel() {
    let fake = FakeKernel::new();
    let a = fake.register(toy_spec(Arc::default())).unwrap();
    assert_eq!(a.id, 19, "GENL_START_ALLOC");
    assert_eq!(a.groups, [("events".into(), 2), ("other".into(), 3)]);

    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "one", version = 3)]
    enum One {
        #[genl(cmd = 1)]
        X(Msg),
    }
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "many")]
    enum Many {
        #[genl(cmd = 1)]
        X(Msg),
    }
    let b = fake.register(FamilySpec::<One>::new().group("g")).unwrap();
    assert_eq!((b.id, b.groups[0].1), (20, 4));
    // 13 groups do not fit in 5..=15 (11 free before nlctrl's 16 and the reserved 17, 18):
    // the first free block of 13 starts at 19, as find_next_zero_area finds it.
    let mut spec = FamilySpec::<Many>::new();
    for i in 0..13 {
        spec = spec.group(&format!("g{i}"));
    }
    let c = fake.register(spec).unwrap();
    assert_eq!(c.id, 21);
    assert_eq!(c.groups.first().unwrap().1, 19);
    assert_eq!(c.groups.last().unwrap().1, 31);
    // The next single group takes the first free id again.
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "late")]
    enum Late {
        #[genl(cmd = 1)]
        X(Msg),
    }
    let d = fake.register(FamilySpec::<Late>::new().group("g")).unwrap();
    assert_eq!(d.groups[0].1, 5);

    // Names are unique; nlctrl is always there.
    let err = fake.register(toy_spec(Arc::default())).unwrap_err();
    assert!(err.to_string().contains("already registered"), "{err}");
    assert_eq!(fake.family_id("nlctrl"), Some(0x10));
    assert_eq!(fake.group_id("nlctrl", "notify"), Some(16));

    // The client sees the same through the controller.
    let mut sock = fake.connect().unwrap();
    let families = sock.list_families().unwrap();
    let names: Vec<(&str, u16)> = families.iter().map(|f| (f.name.as_str(), f.id)).collect();
    assert_eq!(
        names,
        [
            ("nlctrl", 16),
            ("toy", 19),
            ("one", 20),
            ("many", 21),
            ("late", 22)
        ]
    );
    let one = sock.family("one").unwrap();
    assert_eq!((one.version, one.hdrsize, one.maxattr), (3, 0, 0));
    assert_eq!(sock.resolve_group("toy", "other").unwrap(), 3);
}

#[test]
fn a_handler_for_a_command_the_type_cannot_decode_is_refused_at_registration() {
    /// Command 1 is only a `request` variant, answered by command 2: the type never decodes
    /// it. (The generated ethtool family numbers every request like some reply.)
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "asking", version = 1)]
    enum Asking {
        #[genl(cmd = 1, request, reply = Answer)]
        #[allow(dead_code)] // never sent here: only its number matters
        Ask(Msg),
        #[genl(cmd = 2)]
        Answer(Msg),
    }
    let fake = FakeKernel::new();
    let err = fake
        .register(FamilySpec::<Asking>::new().on_do(1, |_, _| Ok(Reply::ack())))
        .unwrap_err();
    assert!(err.to_string().contains("on_do_attrs"), "{err}");
    assert_eq!(fake.family_id("asking"), None);
}

#[test]
fn each_connection_has_its_own_port() {
    let (fake, _) = toy_kernel();
    let a = fake.connect().unwrap();
    let b = fake.connect().unwrap();
    assert_ne!(a.socket().port_id(), b.socket().port_id());
    assert_ne!(a.socket().port_id(), 0);
    assert_eq!(fake.ports().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// The controller against the real kernel's captures.

/// The attributes of the first message of a capture (after nlmsghdr and genlmsghdr).
fn captured_family(name: &str) -> (Vec<u8>, Family) {
    let bytes = fixture(name);
    let first = decode_answer::<Ctrl>(&bytes, false).unwrap().remove(0);
    let len = u32::from_ne_bytes(bytes[..4].try_into().unwrap()) as usize;
    (bytes[16..len].to_vec(), first.into_family())
}

/// What the fake answers to GETFAMILY `name`: the reply's payload, decoded.
fn fake_family(fake: &FakeKernel, name: &str) -> (Vec<u8>, Family) {
    let mut sock = fake.connect().unwrap();
    let msg = Ctrl::GetFamily(Family::by_name(name));
    let mut payload = Vec::new();
    sock.request_view(&GenlRequest::new(0x10, &msg), |v| {
        payload = v.message().payload().to_vec();
        Ok(())
    })
    .unwrap();
    let Ctrl::NewFamily(f) = sock.request(&msg).unwrap() else {
        panic!("not NewFamily")
    };
    (payload, f)
}

#[test]
fn nlctrl_getfamily_equals_the_kernel_capture_byte_for_byte() {
    let fake = FakeKernel::new();
    let (kernel_bytes, kernel) = captured_family("nlctrl-getfamily-do-nlctrl.reply.bin");
    let (fake_bytes, ours) = fake_family(&fake, "nlctrl");
    // Attribute by attribute...
    assert_eq!(ours.name, kernel.name);
    assert_eq!(ours.id, kernel.id);
    assert_eq!(ours.version, kernel.version);
    assert_eq!(ours.hdrsize, kernel.hdrsize);
    assert_eq!(ours.maxattr, kernel.maxattr);
    assert_eq!(ours.ops, kernel.ops);
    assert_eq!(ours.mcast_groups, kernel.mcast_groups);
    assert_eq!(ours, kernel);
    // ...and in the kernel's order and nest flags: the payloads are the same bytes.
    assert_eq!(fake_bytes, kernel_bytes);
}

/// ethtool as the examples declare it, with the kernel's operation flags: the `*_GET`
/// requests do and dump, the `*_SET` ones do only and need netns admin rights.
fn ethtool_spec() -> FamilySpec<Ethtool> {
    FamilySpec::<Ethtool>::new()
        .group("monitor")
        .on_do_attrs(1, |_, r: Strset| Ok(Reply::msg(Ethtool::StrsetGetReply(r))))
        .on_dump_attrs(1, |_, _: Strset, _| Ok(()))
        .on_do_attrs(2, |_, r: Linkinfo| {
            Ok(Reply::msg(Ethtool::LinkinfoGetReply(r)))
        })
        .on_dump_attrs(2, |_, _: Linkinfo, _| Ok(()))
        .on_do_attrs(4, |_, r: Linkmodes| {
            Ok(Reply::msg(Ethtool::LinkmodesGetReply(r)))
        })
        .on_dump_attrs(4, |_, _: Linkmodes, _| Ok(()))
        .on_do_attrs(6, |_, r: Linkstate| {
            Ok(Reply::msg(Ethtool::LinkstateGetReply(r)))
        })
        .on_dump_attrs(6, |_, _: Linkstate, _| Ok(()))
        .on_do_attrs(11, |_, r: Features| {
            Ok(Reply::msg(Ethtool::FeaturesGetReply(r)))
        })
        .on_dump_attrs(11, |_, _: Features, _| Ok(()))
        .on_do_attrs(12, |_, _: Features| Ok(Reply::ack()))
        .op_flags(12, op_flags::UNS_ADMIN_PERM)
        .on_do_attrs(15, |_, r: Rings| Ok(Reply::msg(Ethtool::RingsGetReply(r))))
        .on_dump_attrs(15, |_, _: Rings, _| Ok(()))
        .on_do_attrs(16, |_, _: Rings| Ok(Reply::ack()))
        .op_flags(16, op_flags::UNS_ADMIN_PERM)
        .on_do_attrs(17, |_, r: Channels| {
            Ok(Reply::msg(Ethtool::ChannelsGetReply(r)))
        })
        .on_dump_attrs(17, |_, _: Channels, _| Ok(()))
        .on_do_attrs(18, |_, _: Channels| Ok(Reply::ack()))
        .op_flags(18, op_flags::UNS_ADMIN_PERM)
}

#[test]
fn ethtool_getfamily_equals_the_kernel_capture_but_for_ids_and_undeclared_ops() {
    let fake = FakeKernel::new();
    let reg = fake.register(ethtool_spec()).unwrap();
    let (_, kernel) = captured_family("nlctrl-getfamily-do-ethtool.reply.bin");
    let (_, ours) = fake_family(&fake, "ethtool");
    assert_eq!(ours.name, kernel.name);
    assert_eq!(ours.version, kernel.version);
    assert_eq!(ours.hdrsize, kernel.hdrsize);
    assert_eq!(ours.maxattr, kernel.maxattr);
    // Documented difference 1: ids. The kernel's ethtool is 21 with `monitor` = 6 (after
    // thermal and netdev); here it is the first family registered.
    assert_eq!((kernel.id, ours.id), (Some(21), Some(reg.id)));
    let names = |f: &Family| -> Vec<Option<String>> {
        f.mcast_groups.iter().map(|g| g.name.clone()).collect()
    };
    assert_eq!(names(&ours), names(&kernel));
    assert_eq!(kernel.group_id("monitor"), Some(6));
    assert_eq!(ours.group_id("monitor"), Some(2));
    // Every op the fake lists has the kernel's flags (DO/DUMP/HASPOL from the handlers,
    // UNS_ADMIN_PERM as declared).
    for op in &ours.ops {
        let k = kernel
            .ops
            .iter()
            .find(|k| k.id == op.id)
            .unwrap_or_else(|| panic!("kernel has no op {:?}", op.id));
        assert_eq!(op.flags, k.flags, "op {:?}", op.id);
    }
    // Documented difference 2: the kernel's ops the example does not declare.
    let missing: Vec<u32> = kernel
        .ops
        .iter()
        .filter(|k| !ours.ops.iter().any(|o| o.id == k.id))
        .filter_map(|k| k.id)
        .collect();
    assert_eq!(ours.ops.len(), 10);
    assert_eq!(kernel.ops.len(), 50);
    assert_eq!(missing.len(), 40);
    assert!(!missing.contains(&1) && missing.contains(&3));
}

#[test]
fn the_controller_answers_like_nlctrl() {
    let (fake, _) = toy_kernel();
    let mut sock = fake.connect().unwrap();
    // By id, by name; unknown: ENOENT (the client says which family); no attribute: EINVAL.
    let Ctrl::NewFamily(f) = sock.request(&Ctrl::GetFamily(Family::by_id(19))).unwrap() else {
        panic!()
    };
    assert_eq!(f.name.as_deref(), Some("toy"));
    let ops: Vec<(Option<u32>, Option<u32>)> = f.ops.iter().map(|o| (o.id, o.flags)).collect();
    assert_eq!(
        ops,
        [
            (Some(1), Some(0x0a)),
            (Some(2), Some(0x0c)),
            (Some(4), Some(0x0b)),
            (Some(5), Some(0x0a))
        ]
    );
    let k = kernel_error(sock.request(&Ctrl::GetFamily(Family::by_id(99))));
    assert_eq!(k.errno, Errno::NOENT);
    assert!(matches!(sock.family("nope"), Err(Error::FamilyNotFound(n)) if n == "nope"));
    let k = kernel_error(sock.request(&Ctrl::GetFamily(Family::default())));
    assert_eq!(k.errno, Errno::INVAL);
    // A name as long as GENL_NAMSIZ fails the policy, blamed on the attribute.
    let k = kernel_error(sock.request(&Ctrl::GetFamily(Family::by_name("sixteen-chars-xx"))));
    assert_eq!(k.errno, Errno::INVAL);
    assert_eq!(k.offset, Some(20));
    assert_eq!(k.attr_path.unwrap().to_string(), "GetFamily.name");
    // GETPOLICY, from the schema: every op's request set is `Msg`, one policy; the dump-only
    // List under key 0, as the kernel lists dump-only ops.
    let p = sock.policy("toy", None).unwrap();
    let ops: Vec<String> = p
        .ops
        .iter()
        .map(|(k, o)| format!("{k}:{:?}/{:?}", o.do_policy, o.dump_policy))
        .collect();
    assert_eq!(
        ops,
        [
            "0:None/Some(0)",
            "1:Some(0)/None",
            "4:Some(0)/None",
            "5:Some(0)/None"
        ]
    );
    let attrs: Vec<String> = p.policies[&0]
        .iter()
        .map(|(id, a)| format!("{id}: {a}"))
        .collect();
    assert_eq!(attrs, ["1: nul-string", "2: u32 min 0 max 4294967295"]);
    // A registration is announced on nlctrl's notify group.
    sock.join::<Ctrl>("notify").unwrap();
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "newcomer")]
    enum Newcomer {
        #[genl(cmd = 1)]
        X(Msg),
    }
    fake.register(FamilySpec::<Newcomer>::new().group("news"))
        .unwrap();
    let ev = sock.recv_event::<Ctrl>().unwrap();
    assert_eq!(ev.header.seq, 0);
    assert!(
        matches!(&ev.msg, Ctrl::NewFamily(f) if f.name.as_deref() == Some("newcomer")),
        "{:?}",
        ev.msg
    );
    let ev = sock.recv_event::<Ctrl>().unwrap();
    assert!(
        matches!(&ev.msg, Ctrl::NewMcastGrp(f) if f.group_id("news") == Some(4)),
        "{:?}",
        ev.msg
    );
}

// ---------------------------------------------------------------------------------------------
// Requests, validation, ACKs.

#[test]
fn requests_are_routed_and_checked_like_genl_rcv_msg() {
    let (fake, resets) = toy_kernel();
    let mut sock = fake.connect().unwrap();
    assert_eq!(
        sock.request(&Toy::Echo(text("hi"))).unwrap(),
        Toy::Echo(text("hi"))
    );
    // An undeclared answer reads until the ACK: one reply, then the ACK.
    assert_eq!(
        sock.request_all(&Toy::Echo(text("x"))).unwrap(),
        [Toy::Echo(text("x"))]
    );
    // Unknown family id: ENOENT.
    let k = kernel_error(
        sock.request_view(&GenlRequest::new(0x7ff0, &Toy::Echo(text("x"))), |_| Ok(())),
    );
    assert_eq!(k.errno, Errno::NOENT);
    assert_eq!(k.msg, None);
    // Unknown command: EOPNOTSUPP.
    let k = kernel_error(sock.request(&ToyRaw::Nope(RawMsg::default())));
    assert_eq!(k.errno, Errno::OPNOTSUPP);
    // A dump of a do-only op, a do of a dump-only op: EOPNOTSUPP.
    let k = kernel_error(sock.dump_with(&Toy::Echo(text("x")), |_: Toy| Ok(())));
    assert_eq!(k.errno, Errno::OPNOTSUPP);
    let k = kernel_error(sock.request_all(&Toy::List(Msg::default())));
    assert_eq!(k.errno, Errno::OPNOTSUPP);
    // Admin-only: EPERM without privileges, and the handler did not run.
    let mut nobody = fake.connect_unprivileged().unwrap();
    let k = kernel_error(nobody.ack(&Toy::Reset(Msg::default())));
    assert_eq!(k.errno, Errno::PERM);
    assert_eq!(resets.load(Ordering::SeqCst), 0);
    sock.ack(&Toy::Reset(Msg::default())).unwrap();
    assert_eq!(resets.load(Ordering::SeqCst), 1);
    // Everything else works for the unprivileged too.
    assert!(nobody.request(&Toy::Echo(text("hi"))).is_ok());
}

#[test]
fn a_request_that_does_not_decode_is_einval_blamed_on_its_attribute() {
    let (fake, _) = toy_kernel();
    let mut sock = fake.connect().unwrap();
    // `count` as a u16 where the fake's type has a u32: the policy check (strict) says so
    // before decoding is tried.
    let req = ToyRaw::Echo(RawMsg {
        text: Some(b"ok\0".to_vec()),
        count: Some(7),
    });
    let k = kernel_error(sock.request(&req));
    assert_eq!(k.errno, Errno::INVAL);
    assert_eq!(k.msg.as_deref(), Some("invalid attribute length"));
    assert_eq!(k.offset, Some(28), "the count attribute's header");
    assert_eq!(k.attr_path.unwrap().to_string(), "Echo.count");
    assert_eq!(k.policy.unwrap().to_string(), "u32 min 0 max 4294967295");
    // Invalid UTF-8 where the fake wants a string: the policy (a NUL-terminated string)
    // passes, decoding fails: the decode error, as the fallback.
    let k = kernel_error(sock.request(&ToyRaw::Echo(RawMsg {
        text: Some(vec![0xff, 0xfe, 0]),
        count: None,
    })));
    assert!(k.msg.as_deref().unwrap().contains("UTF-8"), "{k:?}");
    assert_eq!(k.attr_path.unwrap().to_string(), "Echo.text");

    // A required attribute missing: MISS_TYPE, no message, as nla_parse reports it.
    #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    struct Strict {
        #[nla(id = 1)]
        text: String,
    }
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "strict")]
    enum StrictFam {
        #[genl(cmd = 1, reply = Get)]
        Get(Strict),
    }
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "strict")]
    enum StrictClient {
        #[genl(cmd = 1, reply = Get)]
        Get(Msg),
    }
    fake.register(FamilySpec::<StrictFam>::new().on_do(1, |_, r| Ok(r.into())))
        .unwrap();
    let k = kernel_error(sock.request(&StrictClient::Get(Msg::default())));
    assert_eq!(
        (k.errno, k.miss_type, k.msg.clone()),
        (Errno::INVAL, Some(1), None)
    );
}

#[test]
fn a_handler_error_carries_its_extended_ack() {
    let (fake, _) = toy_kernel();
    let mut sock = fake.connect().unwrap();
    let k = kernel_error(sock.request(&Toy::Fail(Msg {
        count: Some(1),
        text: Some("dup".into()),
    })));
    assert_eq!(k.errno, Errno::EXIST);
    assert_eq!(k.msg.as_deref(), Some("already there"));
    assert_eq!(k.offset, Some(20), "text is the first attribute");
    assert_eq!(k.attr_path.unwrap().to_string(), "Fail.text");
}

#[test]
fn acks_follow_the_kernel_rules() {
    let (fake, _) = toy_kernel();
    let t = fake.transport().unwrap();
    let mut raw = netlink_genl_core::socket::NlSocket::with_transport(16, &t).unwrap();
    let echo = Toy::Echo(text("hi"));
    // With NLM_F_ACK: the reply, then a capped ACK; errors are capped with TLVs.
    let req = GenlRequest::new(19, &echo);
    let n = raw
        .request(&req, 0, |m| {
            assert_eq!(m.header().ty, 19);
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 1);
    let fail = Toy::Fail(text("x"));
    let k = kernel_error(raw.request(&GenlRequest::new(19, &fail), 0, |_| Ok(())));
    assert_eq!(k.errno, Errno::EXIST);
    assert_eq!(raw.stats().foreign_seq, 0);
    assert_eq!(fake.requests(), 2);
}

// ---------------------------------------------------------------------------------------------
// Dumps.

#[test]
fn dumps_are_packed_into_datagrams_and_end_with_done() {
    let (fake, _) = toy_kernel();
    let mut sock = fake.connect().unwrap();
    let list = |n| {
        Toy::List(Msg {
            count: Some(n),
            text: None,
        })
    };
    // 200 items of 40 bytes: 8000 bytes in datagrams of at most 3776.
    let items: Vec<Toy> = sock
        .dump(&list(200))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items.len(), 200);
    assert_eq!(
        items[199],
        Toy::List(Msg {
            text: Some("item 199".into()),
            count: Some(199)
        })
    );
    let datagrams = sock.socket().stats().datagrams;
    assert_eq!(
        datagrams,
        1 /* GETFAMILY */ + 3,
        "8000 bytes and DONE in 3 datagrams"
    );
    // Smaller datagrams: more of them.
    fake.set_dump_datagram_size(100);
    let n = sock.dump(&list(10)).unwrap().count();
    assert_eq!(n, 10);
    assert_eq!(
        sock.socket().stats().datagrams - datagrams,
        5,
        "two 40-byte items per datagram, DONE with the last two"
    );
    // A handler error ends the dump with its errno in DONE, after the items.
    let items: Vec<String> = sock.dump(&list(13)).unwrap().map(|r| show(&r)).collect();
    assert_eq!(items.len(), 14);
    assert!(
        items[13].contains("EBUSY") && items[13].contains("unlucky"),
        "{}",
        items[13]
    );
    // An empty dump is DONE alone.
    assert_eq!(sock.dump(&list(0)).unwrap().count(), 0);
    // A dump whose request does not decode fails at its start.
    let k = kernel_error(sock.dump_with(
        &ToyRaw::Echo(RawMsg {
            count: Some(1),
            text: None,
        }),
        |_: ToyRaw| Ok(()),
    ));
    assert_eq!(k.errno, Errno::OPNOTSUPP, "Echo has no dump handler");
}

#[test]
fn a_dump_handler_can_flag_the_dump_interrupted() {
    let fake = FakeKernel::new();
    fake.register(
        FamilySpec::<Toy>::new().on_dump(2, |_, _, out: &mut DumpOut<Toy>| {
            out.push(Toy::List(text("before")));
            out.interrupt();
            out.push(Toy::List(text("after")));
            Ok(())
        }),
    )
    .unwrap();
    let mut sock = fake.connect().unwrap();
    let mut seen = Vec::new();
    let summary = sock
        .dump_view(&GenlRequest::new(19, &Toy::List(Msg::default())), |v| {
            seen.push(v.is_dump_interrupted());
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, [false, true]);
    assert!(summary.interrupted);
}

// ---------------------------------------------------------------------------------------------
// Multicast.

#[test]
fn notifications_reach_the_sockets_that_joined() {
    let (fake, _) = toy_kernel();
    let mut a = fake.connect().unwrap();
    let mut b = fake.connect().unwrap();
    a.join::<Toy>("events").unwrap();
    b.join::<Toy>("other").unwrap();
    assert_eq!(fake.notify("events", &Toy::Event(text("one"))).unwrap(), 1);
    assert_eq!(fake.notify(3u32, &Toy::Event(text("two"))).unwrap(), 1);
    let ev = a.recv_event::<Toy>().unwrap();
    assert_eq!((ev.group, ev.header.seq, ev.header.pid), (2, 0, 0));
    assert_eq!(ev.msg, Toy::Event(text("one")));
    assert_eq!(b.recv_event::<Toy>().unwrap().msg, Toy::Event(text("two")));
    b.set_event_timeout(Some(Duration::from_millis(20)));
    assert!(b.recv_event::<Toy>().unwrap_err().is_timeout());
    // A group the family does not have.
    let err = fake.notify("nope", &Toy::Event(text("x"))).unwrap_err();
    assert!(matches!(err, Error::Group(_)), "{err}");
    // Async too.
    rt().block_on(async {
        let mut s = fake.connect_async().unwrap();
        s.join::<Toy>("events").await.unwrap();
        let f2 = fake.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            f2.notify("events", &Toy::Event(text("async"))).unwrap()
        });
        let ev = s.recv_event::<Toy>().await.unwrap();
        assert_eq!(ev.msg, Toy::Event(text("async")));
        assert_eq!(t.join().unwrap(), 2, "a and the async socket");
    });
}

// ---------------------------------------------------------------------------------------------
// Faults, each through both sockets.

const FAULTS: usize = 7;

fn fault_list() -> [Fault; FAULTS] {
    [
        Fault::DropReply,
        Fault::DelayReply(Duration::from_millis(150)),
        Fault::Overrun,
        Fault::ForeignSender(4242),
        Fault::Truncate(24),
        Fault::InterruptDump,
        Fault::StaleSeq,
    ]
}

/// One line per fault: what the faulted request gave, what the next one gave, and the
/// socket's counters.
fn faults_blocking(fake: &FakeKernel) -> Vec<String> {
    let mut out = Vec::new();
    for fault in fault_list() {
        let mut sock: GenlSocket = fake.connect().unwrap();
        sock.set_timeout(Some(Duration::from_millis(
            if fault == Fault::DropReply || fault == Fault::StaleSeq {
                80
            } else {
                2000
            },
        )));
        sock.family_id::<Toy>().unwrap();
        let dump = fault == Fault::InterruptDump;
        fake.fault(fault.clone());
        let t = Instant::now();
        let first = if dump {
            show(&sock.dump_with(&Toy::List(Msg::default()), |_: Toy| Ok(())))
        } else {
            show(&sock.request(&Toy::Echo(text("hi"))))
        };
        let slow = t.elapsed() >= Duration::from_millis(150);
        let next = show(&sock.request(&Toy::Echo(text("again"))));
        let s = sock.socket().stats();
        out.push(format!(
            "{fault:?}: {first} | next {next} | slow {slow} foreign_sender {} foreign_seq {} overruns {}",
            s.foreign_sender, s.foreign_seq, s.overruns
        ));
    }
    out
}

async fn faults_tokio(fake: &FakeKernel) -> Vec<String> {
    let mut out = Vec::new();
    for fault in fault_list() {
        let mut sock: AsyncGenlSocket = fake.connect_async().unwrap();
        sock.set_timeout(Some(Duration::from_millis(
            if fault == Fault::DropReply || fault == Fault::StaleSeq {
                80
            } else {
                2000
            },
        )));
        sock.family_id::<Toy>().await.unwrap();
        let dump = fault == Fault::InterruptDump;
        fake.fault(fault.clone());
        let t = Instant::now();
        let first = if dump {
            show(
                &sock
                    .dump_with(&Toy::List(Msg::default()), |_: Toy| Ok(()))
                    .await,
            )
        } else {
            show(&sock.request(&Toy::Echo(text("hi"))).await)
        };
        let slow = t.elapsed() >= Duration::from_millis(150);
        let next = show(&sock.request(&Toy::Echo(text("again"))).await);
        let s = sock.socket().get_ref().stats();
        out.push(format!(
            "{fault:?}: {first} | next {next} | slow {slow} foreign_sender {} foreign_seq {} overruns {}",
            s.foreign_sender, s.foreign_seq, s.overruns
        ));
    }
    out
}

#[test]
fn every_fault_behaves_as_the_runtime_documents_sync_and_async() {
    let (fake, _) = toy_kernel();
    let sync = faults_blocking(&fake);
    let r#async = rt().block_on(faults_tokio(&fake));
    assert!(fake.pending_faults().is_empty());
    // The ports differ; nothing else may.
    assert_eq!(sync, r#async);
    assert_eq!(sync.len(), FAULTS);
    let ok_next = |line: &str| line.contains("| next Ok(Echo(Msg { text: Some(\"again\")");
    for line in &sync {
        assert!(ok_next(line), "the socket recovers: {line}");
    }
    // Dropped: the request times out waiting for its reply.
    assert!(
        sync[0].contains("timed out after 80ms waiting for the answer to request"),
        "{}",
        sync[0]
    );
    // Delayed: it comes, late.
    assert!(
        sync[1].starts_with("DelayReply(150ms): Ok(Echo(") && sync[1].contains("slow true"),
        "{}",
        sync[1]
    );
    // Overrun: the answer is lost (ENOBUFS), said to have maybe been applied.
    assert!(
        sync[2].contains("was dropped by the kernel") && sync[2].contains("overruns 1"),
        "{}",
        sync[2]
    );
    // A foreign sender's datagram is dropped and counted; the real answer is taken.
    assert!(
        sync[3].contains(": Ok(Echo(") && sync[3].contains("foreign_sender 1"),
        "{}",
        sync[3]
    );
    // Truncated: the reply's own framing error.
    assert!(
        sync[4].contains(": Err(") && sync[4].contains("runs past"),
        "{}",
        sync[4]
    );
    // Interrupted dump: reported in the summary.
    assert!(sync[5].contains("interrupted: true"), "{}", sync[5]);
    // Stale sequence number: dropped as not this request's, the request times out.
    assert!(
        sync[6].contains("timed out") && sync[6].contains("foreign_seq 1"),
        "{}",
        sync[6]
    );

    // The typed errors themselves.
    let mut sock = fake.connect().unwrap();
    sock.set_timeout(Some(Duration::from_millis(30)));
    fake.fault(Fault::DropReply);
    match sock.request(&Toy::Echo(text("x"))) {
        Err(Error::Timeout(t)) => assert_eq!(t.waited, Waited::Reply),
        other => panic!("{other:?}"),
    }
    fake.fault(Fault::Overrun);
    assert!(
        matches!(sock.request(&Toy::Echo(text("x"))), Err(Error::AnswerLost(l)) if l.may_have_been_applied)
    );
}

#[test]
fn faults_can_target_the_controller() {
    let (fake, _) = toy_kernel();
    let mut sock = fake.connect().unwrap();
    sock.set_timeout(Some(Duration::from_millis(30)));
    fake.fault_on("nlctrl", Fault::DropReply);
    assert!(sock.family("toy").unwrap_err().is_timeout());
    assert_eq!(sock.family("toy").unwrap().id, 19);
    // `fault` skips the controller: the family lookup goes through, the request is hit.
    let mut fresh = fake.connect().unwrap();
    fresh.set_timeout(Some(Duration::from_millis(30)));
    fake.fault(Fault::DropReply);
    assert!(
        fresh
            .request(&Toy::Echo(text("x")))
            .unwrap_err()
            .is_timeout()
    );
    // An InterruptDump waits for a dump.
    fake.fault(Fault::InterruptDump);
    assert!(fresh.request(&Toy::Echo(text("x"))).is_ok());
    assert_eq!(fake.pending_faults(), [Fault::InterruptDump]);
    let s = fresh
        .dump_with(&Toy::List(Msg::default()), |_: Toy| Ok(()))
        .unwrap();
    assert!(s.interrupted);
}

// ---------------------------------------------------------------------------------------------
// Whole answers against the kernel's captures.

/// The port id of the socket the captures were taken with (in their replies' nlmsg_pid).
fn captured_port(reply: &[u8]) -> u32 {
    u32::from_ne_bytes(reply[12..16].try_into().unwrap())
}

#[test]
fn whole_answers_equal_the_kernel_captures_byte_for_byte() {
    // The captures were taken with NETLINK_EXT_ACK but without NETLINK_CAP_ACK: errors echo
    // the whole request.
    let fake = FakeKernel::new();
    fake.set_ack_options(AckOptions::new(false, true));
    for name in [
        // GETFAMILY nlctrl with NLM_F_ACK: the reply, then the ACK (always capped).
        "nlctrl-getfamily-do-nlctrl",
        // Unknown family name: ENOENT, no extended ACK, the request echoed.
        "err-getfamily-unknown-name",
        // nlmsg_type 0x7ff0: ENOENT.
        "err-unknown-family-id",
        // An nlctrl command that does not exist, as a dump: EOPNOTSUPP.
        "err-nlctrl-unknown-cmd-dump",
        // GETPOLICY with an attribute nlctrl does not know: "Unknown attribute type" at it.
        "err-getpolicy-unknown-attr",
        // GETPOLICY of an operation nlctrl does not have: ENOENT at the OP attribute.
        "err-getpolicy-unknown-op",
    ] {
        let req = fixture(&format!("{name}.req.bin"));
        let reply = fixture(&format!("{name}.reply.bin"));
        let ours: Vec<u8> = fake.respond(captured_port(&reply), &req).concat();
        assert_eq!(ours, reply, "{name}");
    }
    // FAMILY_NAME as a u32 (no NUL) without NETLINK_EXT_ACK: EINVAL and the echo only.
    fake.set_ack_options(AckOptions::new(false, false));
    let name = "err-getfamily-name-wrongtype-noextack";
    let req = fixture(&format!("{name}.req.bin"));
    let reply = fixture(&format!("{name}.reply.bin"));
    assert_eq!(
        fake.respond(captured_port(&reply), &req).concat(),
        reply,
        "{name}"
    );
}

#[test]
fn a_policy_failure_of_the_controller_equals_the_kernel_capture_byte_for_byte() {
    // GETFAMILY with FAMILY_NAME as a u32: EINVAL, "Attribute failed policy validation",
    // OFFS 20 and the policy (NUL string, max length 15), in the kernel's order.
    let fake = FakeKernel::new();
    fake.set_ack_options(AckOptions::new(false, true));
    let req = fixture("err-getfamily-name-wrongtype.req.bin");
    let reply = fixture("err-getfamily-name-wrongtype.reply.bin");
    let kernel = kernel_error(decode_answer::<Ctrl>(&reply, false));
    assert_eq!(kernel.policy.unwrap().to_string(), "nul-string max len 15");
    assert_eq!(fake.respond(captured_port(&reply), &req).concat(), reply);
}

// ---------------------------------------------------------------------------------------------
// An abandoned exchange whose answer never ends, then a new request: both sockets wait for the
// abandoned answer up to the timeout, end it, and send the new request, whose answer they
// return. Its timeout is nobody's error: the caller gave that exchange up.

#[test]
fn an_abandoned_exchange_that_times_out_is_not_the_next_requests_error_sync_and_async() {
    let (fake, _) = toy_kernel();
    let timeout = Duration::from_millis(120);
    let again = || Toy::Echo(text("again"));

    // Blocking: a dump whose answer is dropped, its exchange abandoned after the send.
    let mut sock = fake.connect().unwrap();
    sock.set_timeout(Some(timeout));
    let list = Toy::List(Msg::default());
    let req = sock.prepare(&list).unwrap();
    fake.fault(Fault::DropReply);
    // The exchange is abandoned: nobody reads its answer.
    let _ = sock.socket_mut().start_dump(&req, 0).unwrap();
    let t = Instant::now();
    let sync = show(&sock.request(&again()));
    let sync_waited = t.elapsed();
    let sync_stats = sock.socket().stats();

    let (r#async, async_waited, async_stats) = rt().block_on(async {
        let mut sock = fake.connect_async().unwrap();
        sock.set_timeout(Some(timeout));
        sock.family_id::<Toy>().await.unwrap();
        fake.fault(Fault::DropReply);
        // The dump's stream is dropped before its answer began.
        let _ = sock.dump(&Toy::List(Msg::default())).await.unwrap();
        let t = Instant::now();
        let r = show(&sock.request(&again()).await);
        (r, t.elapsed(), sock.socket().get_ref().stats())
    });
    assert_eq!(sync, r#async);
    assert!(sync.starts_with("Ok(Echo("), "{sync}");
    assert!(sync_waited >= timeout && async_waited >= timeout);
    assert_eq!(sync_stats.foreign_seq, async_stats.foreign_seq);

    // A request with NLM_F_ACK whose answer stops mid-way (the reply came, the ACK did not
    // yet): the async request is cancelled, the next one settles it first.
    rt().block_on(async {
        let mut sock = fake.connect_async().unwrap();
        sock.set_timeout(Some(timeout));
        sock.family_id::<Toy>().await.unwrap();
        fake.fault(Fault::DelayReply(Duration::from_millis(400)));
        let cancelled = tokio::time::timeout(
            Duration::from_millis(20),
            sock.ack(&Toy::Echo(text("slow"))),
        )
        .await;
        assert!(cancelled.is_err(), "the ack was still waited for");
        let r = show(&sock.request(&again()).await);
        assert_eq!(r, sync);
    });
}

// ---------------------------------------------------------------------------------------------
// GETPOLICY from the schemas, against the kernel's.

/// A policy dump as lines, independent of how the policies are numbered: for each operation
/// and handler, each attribute of its policy and, indented by `>`, those of a nested policy.
fn policy_lines(p: &PolicyDump) -> Vec<String> {
    fn walk(p: &PolicyDump, idx: u32, prefix: &str, out: &mut Vec<String>, depth: u32) {
        let Some(table) = p.policy(idx) else {
            out.push(format!("{prefix}: no policy {idx}"));
            return;
        };
        for (attr, ap) in table {
            let mut shown = *ap;
            shown.policy_idx = None;
            out.push(format!("{prefix} {attr}: {shown}"));
            if let (Some(n), true) = (ap.policy_idx, depth < 4) {
                walk(p, n, &format!("{prefix} {attr} >"), out, depth + 1);
            }
        }
    }
    let mut out = Vec::new();
    for (cmd, op) in &p.ops {
        for (what, idx) in [("do", op.do_policy), ("dump", op.dump_policy)] {
            if let Some(idx) = idx {
                walk(p, idx, &format!("op {cmd} {what}"), &mut out, 0);
            }
        }
    }
    out.sort();
    out
}

/// What only the kernel says (`-`) and what only the fake says (`+`).
fn policy_diff(kernel: &[String], fake: &[String]) -> Vec<String> {
    let mut d: Vec<String> = kernel
        .iter()
        .filter(|l| !fake.contains(l))
        .map(|l| format!("- {l}"))
        .collect();
    d.extend(
        fake.iter()
            .filter(|l| !kernel.contains(l))
            .map(|l| format!("+ {l}")),
    );
    d
}

#[test]
fn nlctrl_getpolicy_from_the_schema_against_the_kernel() {
    let reply = fixture("nlctrl-getpolicy-nlctrl.reply.bin");
    let mut kernel = PolicyDump::default();
    for m in decode_answer::<Ctrl>(&reply, true).unwrap() {
        kernel.add(m.into_family());
    }
    let kernel = policy_lines(&kernel);
    // The live kernel says the same as the capture.
    if let Ok(mut live) = GenlSocket::new() {
        assert_eq!(policy_lines(&live.policy("nlctrl", None).unwrap()), kernel);
    }
    let fake = FakeKernel::new();
    // With the op declarations (`Ctrl`: GETFAMILY do and dump take ID and NAME, GETPOLICY's
    // dump ID, NAME and OP), the fake's whole answer is the kernel's, byte for byte.
    let req = fixture("nlctrl-getpolicy-nlctrl.req.bin");
    let answer = fake.respond(captured_port(&reply), &req).concat();
    assert_eq!(answer, reply);
    let mut sock = fake.connect().unwrap();
    let ours = sock.policy("nlctrl", None).unwrap();
    assert_eq!(
        policy_diff(&kernel, &policy_lines(&ours)),
        Vec::<String>::new()
    );
    // The same view, computed from the type alone.
    let from_type = netlink_genl::policy::schema_policy(Ctrl::schema());
    let mut keyed = from_type.clone();
    // The kernel keys a dump-only operation 0.
    if let Some(p) = keyed.ops.remove(&10) {
        keyed.ops.insert(0, p);
    }
    assert_eq!(policy_lines(&keyed), kernel);
    // One operation, as the kernel lists them (GETFAMILY do and dump, GETPOLICY dump-only
    // under key 0).
    assert_eq!(ours.ops.keys().copied().collect::<Vec<_>>(), [0, 3]);
    // Restricted to one operation.
    let op3 = sock.policy("nlctrl", Some(3)).unwrap();
    assert_eq!(op3.ops.keys().copied().collect::<Vec<_>>(), [3]);
    // An operation the family does not have: ENOENT at the OP attribute, as the capture.
    let k = kernel_error(sock.policy("nlctrl", Some(99)));
    let captured = kernel_error(decode_answer::<Ctrl>(
        &fixture("err-getpolicy-unknown-op.reply.bin"),
        true,
    ));
    assert_eq!(
        (k.errno, k.offset, k.msg),
        (captured.errno, captured.offset, None)
    );
}

/// The examples' netdev declaration on the fake, with a do and a dump handler for each
/// request it declares (dev-get, queue-get, napi-get).
fn netdev_spec() -> FamilySpec<Netdev> {
    let mut spec = FamilySpec::<Netdev>::new().group("mgmt").group("page-pool");
    for cmd in [1, 10, 11] {
        spec = spec
            .on_do(cmd, |_, req| Ok(Reply::msg(req)))
            .on_dump(cmd, |_, _, _: &mut DumpOut<Netdev>| Ok(()));
    }
    spec
}

/// The fake's `GETPOLICY` for `T` (served with [`FamilySpec::declared`]) against the live
/// kernel's, for the operations both have: what only the kernel says (`-`) and what only the
/// fake says (`+`), and the operations only the kernel has.
fn generated_policy_diff<T>(family: &str) -> (Vec<String>, Vec<u32>)
where
    T: GenlMessage + netlink_genl::GenlDecodeOwned,
{
    let mut live = GenlSocket::new().unwrap();
    let kernel = live.policy(family, None).unwrap();
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<T>::new().declared()).unwrap();
    let ours = fake.connect().unwrap().policy(family, None).unwrap();
    let only_kernel: Vec<u32> = kernel
        .ops
        .keys()
        .copied()
        .filter(|k| !ours.ops.contains_key(k))
        .collect();
    let both: Vec<String> = ours
        .ops
        .keys()
        .filter(|k| kernel.ops.contains_key(k))
        .map(|k| format!("op {k} "))
        .collect();
    let shared = |lines: Vec<String>| -> Vec<String> {
        lines
            .into_iter()
            .filter(|l| both.iter().any(|p| l.starts_with(p)))
            .collect()
    };
    let diff = policy_diff(&shared(policy_lines(&kernel)), &shared(policy_lines(&ours)));
    (diff, only_kernel)
}

#[test]
fn netdev_getpolicy_from_the_generated_schema_against_the_live_kernel() {
    let (diff, only_kernel) = generated_policy_diff::<netlink_families::netdev::Netdev>("netdev");
    // Every operation of the kernel's netdev is declared by the generated type.
    assert_eq!(only_kernel, Vec::<u32>::new());
    // With the op declarations each operation's policy is its request's attributes, as the
    // kernel's generated per-operation policies are (the examples' declaration, one set per
    // command, differed in 30 lines). What remains:
    // - dev-get's dump takes nothing (`dump(request(), ..)`): the fake lists no policy for
    //   it, the kernel's whole-family dump a dump policy index without attributes;
    // - page-pool-get's dump: the spec filters by ifindex, this kernel's dump has no policy;
    // - napi-set's threaded (8): the spec's enum has busy-poll (2), this kernel's does not
    //   (its policy, bounded by its enum as the fake's by the spec's, stops at 1);
    // - bind-rx's rx-page-size (5), newer than this kernel (6.18).
    // Enum attributes are bounded alike on both sides (the queue types at most 1, the qstats
    // scope by the mask of its flags: `AttrInfo::policy_checks`).
    assert_eq!(
        diff,
        [
            "- op 1 dump: no policy 1",
            "- op 14 do 8: u32 min 0 max 1",
            "- op 5 dump: no policy 1",
            "+ op 13 do 5: u32 min 0 max 4294967295",
            "+ op 14 do 8: u32 min 0 max 2",
            "+ op 5 dump 2: u32 min 1 max 2147483647",
        ]
    );
}

/// The lines of a policy diff by what differs: `(sign, op and handler, attribute path,
/// policy)` of `"- op 16 do 1 > 2: nul-string max len 127"` is `('-', "op 16 do", [1, 2],
/// "nul-string max len 127")`.
fn parse_diff_line(l: &str) -> (char, String, Vec<u32>, String) {
    let sign = l.chars().next().unwrap_or(' ');
    let (head, policy) = l[2..].split_once(": ").unwrap();
    let words: Vec<&str> = head.split(' ').collect();
    let op = words[..3].join(" ");
    let path = words[3..]
        .iter()
        .filter(|w| **w != ">")
        .map(|w| w.parse().unwrap())
        .collect();
    (sign, op, path, policy.to_owned())
}

/// How many lines of an ethtool policy diff fall in each kind of difference.
fn ethtool_differences(diff: &[String]) -> Vec<(&'static str, usize)> {
    let parsed: Vec<_> = diff.iter().map(|l| parse_diff_line(l)).collect();
    let mut counts = std::collections::BTreeMap::new();
    for (sign, op, path, policy) in &parsed {
        let other = parsed
            .iter()
            .any(|(s, o, p, _)| s != sign && o == op && p == path);
        let kind = if path[0] == 1 && path.len() > 1 {
            "header contents"
        } else if path == &[1] {
            "header maxattr"
        } else if path.len() > 1 || policy.starts_with("nested") {
            "other nests"
        } else if other {
            "bounds"
        } else if *sign == '+' {
            "listed by the spec only"
        } else {
            "listed by the kernel only"
        };
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

#[test]
fn ethtool_getpolicy_from_the_generated_schema_against_the_live_kernel() {
    let (diff, only_kernel) =
        generated_policy_diff::<netlink_families::ethtool::Ethtool>("ethtool");
    // Every operation of the kernel's ethtool is declared by the generated type.
    assert_eq!(only_kernel, Vec::<u32>::new());
    // The differences, by kind (each line is one attribute of one operation's do or dump
    // policy, `-` the kernel's, `+` the fake's from the generated type):
    // - header contents and maxattr: the kernel's header policies bound dev-name (127 bytes)
    //   and phy-index (at least 1), and most operations use the header policy without
    //   phy-index (maxattr 3) and the flags mask without the stats flag (0x3, the spec's
    //   flags 0x7); the spec's header set declares none of this;
    // - other nests: the kernel declares bitsets, statistics and the like NLA_NESTED without
    //   a policy (they are parsed by hand), where the spec's nested sets get one;
    // - bounds: ranges and maxima the kernel declares (booleans as u8 max 1, enums, lanes
    //   1..8, ...) and the spec does not, and input-xfrm, flags in the spec (a mask), a
    //   range in the kernel's policy. The spec's enums and flags bound their attributes in
    //   the fake as in the kernel (`AttrInfo::policy_checks`; 48 lines fewer than without);
    // - listed by the spec only: attributes the spec's set requests list (`*channels`-style
    //   anchors reuse the get reply's list: maxima, read-only state, statistics) and the
    //   kernel's set policies do not accept;
    // - listed by the kernel only: attributes the kernel's policies accept and the spec's
    //   requests do not list.
    assert_eq!(
        ethtool_differences(&diff),
        [
            ("bounds", 70),
            ("header contents", 367),
            ("header maxattr", 126),
            ("listed by the kernel only", 6),
            ("listed by the spec only", 22),
            ("other nests", 262),
        ],
        "{diff:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Validation like nla_parse, from the schema, through both sockets.

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Inner {
    #[nla(id = 1)]
    a: u32,
    #[nla(id = 2)]
    b: Option<u16>,
}

/// The family's request set: ids 1 to 9 with a gap at 8, `must` required.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Req {
    #[nla(id = 1)]
    name: Option<String>,
    #[nla(id = 2)]
    small: Option<u8>,
    #[nla(id = 3)]
    big: Option<u64>,
    #[nla(id = 4, flag)]
    on: bool,
    #[nla(id = 6, nested)]
    inner: Option<Inner>,
    #[nla(id = 7, array)]
    list: Vec<Inner>,
    #[nla(id = 9)]
    must: u32,
    #[nla(id = 10, min = 1, max = 100)]
    level: Option<u32>,
    #[nla(id = 11, max_len = 8)]
    label: Option<String>,
    #[nla(id = 12, min_len = 2, max_len = 4)]
    key: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "val", version = 1)]
enum Val {
    #[genl(cmd = 1, reply = Get)]
    Get(Req),
    #[genl(cmd = 2, reply = Loose)]
    Loose(Req),
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct RawInner {
    #[nla(id = 1)]
    a: Option<u32>,
    #[nla(id = 2)]
    b: Option<u32>,
}

/// A client's looser declaration of the same family: raw bytes where the family has types.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct RawReq {
    #[nla(id = 1)]
    name: Option<Vec<u8>>,
    #[nla(id = 2)]
    small: Option<Vec<u8>>,
    #[nla(id = 4)]
    on: Option<Vec<u8>>,
    #[nla(id = 6)]
    flat: Option<Vec<u8>>,
    #[nla(id = 16, nested)]
    inner: Option<RawInner>,
    #[nla(id = 8)]
    gap: Option<u32>,
    #[nla(id = 9)]
    must: Option<u32>,
    #[nla(id = 42)]
    extra: Option<u32>,
    #[nla(id = 10)]
    level: Option<u32>,
    #[nla(id = 11)]
    label: Option<Vec<u8>>,
    #[nla(id = 12)]
    key: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct NestReq {
    #[nla(id = 6, nested)]
    inner: Option<RawInner>,
    #[nla(id = 7, array)]
    list: Vec<RawInner>,
    #[nla(id = 9)]
    must: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "val", version = 1)]
enum ValRaw {
    #[genl(cmd = 1, reply = Get)]
    Get(RawReq),
    #[genl(cmd = 2, reply = Loose)]
    Loose(RawReq),
    #[genl(cmd = 3, request, reply = Get)]
    Nests(NestReq),
}

fn val_kernel() -> FakeKernel {
    let fake = FakeKernel::new();
    fake.register(
        FamilySpec::<Val>::new()
            .on_do(1, |_, r| Ok(Reply::msg(r)))
            .on_do(2, |_, r| Ok(Reply::msg(r)))
            .lenient(2)
            .on_do_attrs(3, |_, r: Req| Ok(Reply::msg(Val::Get(r)))),
    )
    .unwrap();
    fake
}

/// The request cases and what each must give.
fn val_cases() -> Vec<(&'static str, ValRaw)> {
    let must = || RawReq {
        must: Some(1),
        ..RawReq::default()
    };
    let inner = |a: Option<u32>, b: Option<u32>| Some(RawInner { a, b });
    vec![
        (
            "unknown id",
            ValRaw::Get(RawReq {
                extra: Some(1),
                ..must()
            }),
        ),
        (
            "gap id",
            ValRaw::Get(RawReq {
                gap: Some(1),
                ..must()
            }),
        ),
        (
            "u8 of 2 bytes",
            ValRaw::Get(RawReq {
                small: Some(vec![1, 2]),
                ..must()
            }),
        ),
        (
            "flag with payload",
            ValRaw::Get(RawReq {
                on: Some(vec![1]),
                ..must()
            }),
        ),
        (
            "string without NUL",
            ValRaw::Get(RawReq {
                name: Some(b"abc".to_vec()),
                ..must()
            }),
        ),
        (
            "nest without NLA_F_NESTED",
            ValRaw::Get(RawReq {
                flat: Some(vec![8, 0, 1, 0, 1, 0, 0, 0]),
                ..must()
            }),
        ),
        ("missing required", ValRaw::Get(RawReq::default())),
        (
            "lenient: unknown id and a long u8",
            ValRaw::Loose(RawReq {
                extra: Some(1),
                small: Some(vec![7, 0]),
                ..must()
            }),
        ),
        (
            "lenient: a short u8",
            ValRaw::Loose(RawReq {
                small: Some(vec![]),
                ..must()
            }),
        ),
        (
            "lenient: missing required",
            ValRaw::Loose(RawReq::default()),
        ),
        (
            "nest: wrong length inside",
            ValRaw::Nests(NestReq {
                inner: inner(Some(1), Some(2)),
                must: Some(1),
                ..NestReq::default()
            }),
        ),
        (
            "nest: missing required inside",
            ValRaw::Nests(NestReq {
                inner: inner(None, None),
                must: Some(1),
                ..NestReq::default()
            }),
        ),
        (
            "array: entry 1 wrong length",
            ValRaw::Nests(NestReq {
                list: vec![
                    RawInner {
                        a: Some(1),
                        b: None,
                    },
                    RawInner {
                        a: Some(2),
                        b: Some(3),
                    },
                ],
                must: Some(1),
                ..NestReq::default()
            }),
        ),
        (
            "array: entry 1 missing required",
            ValRaw::Nests(NestReq {
                list: vec![
                    RawInner {
                        a: Some(1),
                        b: None,
                    },
                    RawInner { a: None, b: None },
                ],
                must: Some(1),
                ..NestReq::default()
            }),
        ),
    ]
}

fn show_val(r: Result<ValRaw, Error>) -> String {
    match r {
        Ok(_) => "ok".to_owned(),
        Err(Error::Kernel(k)) => format!(
            "{} msg={:?} offs={:?} path={} policy={} miss={:?} nest={:?} missing={}",
            k.errno_name().unwrap_or("?"),
            k.msg.as_deref().unwrap_or("-"),
            k.offset,
            k.attr_path.map_or("-".to_owned(), |p| p.to_string()),
            k.policy.map_or("-".to_owned(), |p| p.to_string()),
            k.miss_type,
            k.miss_nest,
            k.missing_path.map_or("-".to_owned(), |p| p.to_string()),
        ),
        Err(e) => format!("other: {e}"),
    }
}

#[test]
fn requests_are_validated_like_nla_parse_sync_and_async() {
    let fake = val_kernel();
    let mut sock = fake.connect().unwrap();
    let sync: Vec<String> = val_cases()
        .into_iter()
        .map(|(what, req)| format!("{what}: {}", show_val(sock.request(&req))))
        .collect();
    let r#async: Vec<String> = rt().block_on(async {
        let mut sock = fake.connect_async().unwrap();
        let mut out = Vec::new();
        for (what, req) in val_cases() {
            out.push(format!("{what}: {}", show_val(sock.request(&req).await)));
        }
        out
    });
    assert_eq!(sync, r#async);
    // As lib/nlattr.c words them: strict ops reject an id above the set's largest ("Unknown
    // attribute type") and one in a gap ("Unsupported attribute"), a fixed-size attribute of
    // another length, a nest without NLA_F_NESTED; a flag with a payload is ERANGE; the policy
    // comes with the offset. A missing required attribute is MISS_TYPE, inside a nest with
    // MISS_NEST at the nest's header; the client maps both to field paths. A lenient op skips
    // unknown ids and takes a longer fixed-size attribute, which the decoder then refuses
    // (the decode error is the fallback).
    assert_eq!(
        sync,
        [
            "unknown id: EINVAL msg=\"Unknown attribute type\" offs=Some(28) path=Get.extra policy=- miss=None nest=None missing=-",
            "gap id: EINVAL msg=\"Unsupported attribute\" offs=Some(20) path=Get.gap policy=- miss=None nest=None missing=-",
            "u8 of 2 bytes: EINVAL msg=\"invalid attribute length\" offs=Some(20) path=Get.small policy=u8 min 0 max 255 miss=None nest=None missing=-",
            "flag with payload: ERANGE msg=\"Attribute failed policy validation\" offs=Some(20) path=Get.on policy=flag miss=None nest=None missing=-",
            "string without NUL: EINVAL msg=\"Attribute failed policy validation\" offs=Some(20) path=Get.name policy=nul-string miss=None nest=None missing=-",
            "nest without NLA_F_NESTED: EINVAL msg=\"NLA_F_NESTED is missing\" offs=Some(20) path=Get.flat policy=nested miss=None nest=None missing=-",
            "missing required: EINVAL msg=\"-\" offs=None path=- policy=- miss=Some(9) nest=None missing=Get.must",
            "lenient: unknown id and a long u8: EINVAL msg=\"Loose.small: expected 1 bytes, got 2 (at byte 4)\" offs=Some(20) path=Loose.small policy=- miss=None nest=None missing=-",
            "lenient: a short u8: ERANGE msg=\"Attribute failed policy validation\" offs=Some(20) path=Loose.small policy=u8 min 0 max 255 miss=None nest=None missing=-",
            "lenient: missing required: EINVAL msg=\"-\" offs=None path=- policy=- miss=Some(9) nest=None missing=Loose.must",
            "nest: wrong length inside: EINVAL msg=\"invalid attribute length\" offs=Some(32) path=Nests.inner.b policy=u16 min 0 max 65535 miss=None nest=None missing=-",
            "nest: missing required inside: EINVAL msg=\"-\" offs=None path=- policy=- miss=Some(1) nest=Some(20) missing=Nests.inner.a",
            "array: entry 1 wrong length: EINVAL msg=\"invalid attribute length\" offs=Some(48) path=Nests.list[1].b policy=u16 min 0 max 65535 miss=None nest=None missing=-",
            "array: entry 1 missing required: EINVAL msg=\"-\" offs=None path=- policy=- miss=Some(1) nest=Some(36) missing=Nests.list[1].a",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Bounds (`#[nla(min, max, min_len, max_len)]`), enforced like nla_validate_int_range.

/// Requests with bounded attributes: within and outside the bounds.
fn bound_cases() -> Vec<(&'static str, ValRaw)> {
    let req = |f: &dyn Fn(&mut RawReq)| {
        let mut r = RawReq {
            must: Some(1),
            ..RawReq::default()
        };
        f(&mut r);
        ValRaw::Get(r)
    };
    vec![
        ("level 1", req(&|r| r.level = Some(1))),
        ("level 100", req(&|r| r.level = Some(100))),
        ("level 0", req(&|r| r.level = Some(0))),
        ("level 101", req(&|r| r.level = Some(101))),
        (
            "label of 8",
            req(&|r| r.label = Some(b"abcdefgh\0".to_vec())),
        ),
        (
            "label of 20",
            req(&|r| r.label = Some(b"abcdefghijklmnopqrst\0".to_vec())),
        ),
        (
            "label of 12, a NUL inside",
            req(&|r| r.label = Some(b"abc\0efghijkl\0".to_vec())),
        ),
        ("key of 2", req(&|r| r.key = Some(vec![1, 2]))),
        ("key of 1", req(&|r| r.key = Some(vec![1]))),
        ("key of 5", req(&|r| r.key = Some(vec![1, 2, 3, 4, 5]))),
        (
            "lenient: level 0",
            ValRaw::Loose(RawReq {
                level: Some(0),
                must: Some(1),
                ..RawReq::default()
            }),
        ),
    ]
}

#[test]
fn bounds_are_advertised_and_enforced_like_the_kernel_sync_and_async() {
    let fake = val_kernel();
    let mut sock = fake.connect().unwrap();
    // GETPOLICY: the bounds instead of the types' ranges.
    let policy = sock.policy("val", Some(1)).unwrap();
    let lines: Vec<String> = policy_lines(&policy)
        .into_iter()
        .filter(|l| [" 10: ", " 11: ", " 12: "].iter().any(|a| l.contains(a)))
        .collect();
    assert_eq!(
        lines,
        [
            "op 1 do 10: u32 min 1 max 100",
            "op 1 do 11: nul-string max len 8",
            "op 1 do 12: binary min len 2 max len 4",
        ]
    );
    let sync: Vec<String> = bound_cases()
        .into_iter()
        .map(|(what, req)| format!("{what}: {}", show_val(sock.request(&req))))
        .collect();
    let r#async: Vec<String> = rt().block_on(async {
        let mut sock: AsyncGenlSocket = fake.connect_async().unwrap();
        let mut out = Vec::new();
        for (what, req) in bound_cases() {
            out.push(format!("{what}: {}", show_val(sock.request(&req).await)));
        }
        out
    });
    assert_eq!(sync, r#async);
    // As lib/nlattr.c: an integer out of range is ERANGE "integer out of range"; a NUL string
    // without a NUL within its maximum plus one byte EINVAL, longer without its NUL ERANGE
    // ("Attribute failed policy validation"); bytes of a length out of range ERANGE "binary
    // attribute size out of range"; in liberal operations too. Each at the attribute, with
    // the policy and its bounds (byte 28: after `must`); the client names the field.
    let at = |errno: &str, msg: &str, path: &str, policy: &str| {
        format!(
            "{errno} msg={msg:?} offs=Some(28) path=Get.{path} policy={policy} miss=None nest=None missing=-"
        )
    };
    let level = "u32 min 1 max 100";
    let label = "nul-string max len 8";
    let key = "binary min len 2 max len 4";
    assert_eq!(
        sync,
        [
            "level 1: ok".to_owned(),
            "level 100: ok".to_owned(),
            format!(
                "level 0: {}",
                at("ERANGE", "integer out of range", "level", level)
            ),
            format!(
                "level 101: {}",
                at("ERANGE", "integer out of range", "level", level)
            ),
            "label of 8: ok".to_owned(),
            format!(
                "label of 20: {}",
                at(
                    "EINVAL",
                    "Attribute failed policy validation",
                    "label",
                    label
                )
            ),
            format!(
                "label of 12, a NUL inside: {}",
                at(
                    "ERANGE",
                    "Attribute failed policy validation",
                    "label",
                    label
                )
            ),
            "key of 2: ok".to_owned(),
            format!(
                "key of 1: {}",
                at("ERANGE", "binary attribute size out of range", "key", key)
            ),
            format!(
                "key of 5: {}",
                at("ERANGE", "binary attribute size out of range", "key", key)
            ),
            format!(
                "lenient: level 0: {}",
                at("ERANGE", "integer out of range", "level", level).replace("Get.", "Loose.")
            ),
        ]
    );
}

#[test]
fn netdev_ifindex_0_fails_the_range_as_on_the_kernel() {
    let fake = FakeKernel::new();
    fake.register(netdev_spec()).unwrap();
    let req = Netdev::DevGet(example_families::netdev::Dev {
        ifindex: Some(0),
        ..Default::default()
    });
    let k = kernel_error(fake.connect().unwrap().request(&req));
    let shown = |k: &netlink_genl::KernelError| {
        format!(
            "{} {:?} {:?} {} {}",
            k.errno_name().unwrap_or("?"),
            k.msg,
            k.offset,
            k.attr_path
                .as_ref()
                .map_or("-".to_owned(), |p| p.to_string()),
            k.policy.map_or("-".to_owned(), |p| p.to_string())
        )
    };
    // What tests/oracle_netdev.rs asserts of the kernel's answer.
    assert_eq!(
        shown(&k),
        "ERANGE Some(\"integer out of range\") Some(20) DevGet.ifindex u32 min 1 max 4294967295"
    );
    // And the live kernel's own, where there is one.
    if let Ok(mut live) = GenlSocket::new() {
        let kk = kernel_error(live.request(&req));
        assert_eq!(shown(&kk), shown(&k));
    }
}

/// A generated enum value outside its definition, and flags with a bit outside theirs: the
/// fake refuses them as the kernel's generated policies do (a range, `ERANGE`; a mask,
/// `EINVAL` "reserved bit set" without a policy), and `Schema::validate` before sending says
/// so with the path.
#[test]
fn enum_and_flags_values_fail_their_bounds_as_on_the_kernel() {
    use netlink_families::netdev::{Netdev, Qstats, QstatsScope, Queue, QueueType};
    use netlink_genl::AttrSet;
    use netlink_genl_core::attrs_to_vec;
    let shown = |k: &netlink_genl::KernelError| {
        format!(
            "{} {:?} {} {}",
            k.errno_name().unwrap_or("?"),
            k.msg,
            k.attr_path
                .as_ref()
                .map_or("-".to_owned(), |p| p.to_string()),
            k.policy.map_or("-".to_owned(), |p| p.to_string())
        )
    };
    let queue = Queue {
        id: Some(0),
        ifindex: Some(1),
        r#type: Some(QueueType::Unknown(5)),
        ..Default::default()
    };
    let qstats = Qstats {
        scope: Some(QstatsScope(QstatsScope::QUEUE.0 | 2)),
        ..Default::default()
    };
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Netdev>::new().declared())
        .unwrap();
    let answers = |sock: &mut GenlSocket| {
        let q = kernel_error(sock.request(&Netdev::QueueGet(queue.clone())));
        let s = kernel_error(
            sock.dump(&Netdev::QstatsGet(qstats.clone()))
                .and_then(|mut d| d.next().transpose()),
        );
        [shown(&q), shown(&s)]
    };
    let ours = answers(&mut fake.connect().unwrap());
    assert_eq!(
        ours,
        [
            "ERANGE Some(\"integer out of range\") QueueGet.type u32 min 0 max 1",
            "EINVAL Some(\"reserved bit set\") QstatsGet.scope -",
        ]
    );
    if let Ok(mut live) = GenlSocket::new() {
        assert_eq!(answers(&mut live), ours);
    }
    // The same, found before sending.
    let e = Queue::schema()
        .validate(&attrs_to_vec(&queue).unwrap())
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Queue.type: value 5 out of range [0, 1]"),
        "{e}"
    );
    let e = Qstats::schema()
        .validate(&attrs_to_vec(&qstats).unwrap())
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Qstats.scope: value 0x3 has bits outside mask 0x1"),
        "{e}"
    );
    // Named values pass.
    let named = Queue {
        r#type: Some(QueueType::Tx),
        ..queue
    };
    Queue::schema()
        .validate(&attrs_to_vec(&named).unwrap())
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// check_schema against the fake serving the same type: the policy view round-trips.

/// Serve `T` as it declares itself ([`FamilySpec::declared`]) and check `T` against it,
/// through both sockets: the fake's `GETFAMILY` and `GETPOLICY` are computed from `T`'s
/// schema, the check reads them back, so nothing may differ but notes (a value type of its
/// own, not compared).
fn check_against_itself<T>() -> usize
where
    T: GenlMessage + netlink_genl::GenlDecodeOwned,
{
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<T>::new().declared()).unwrap();
    let report = fake.connect().unwrap().check_schema::<T>().unwrap();
    let not_notes: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity != netlink_genl::Severity::Note)
        .map(|f| f.to_string())
        .collect();
    assert_eq!(not_notes, Vec::<String>::new(), "{}", T::FAMILY);
    let r#async = rt().block_on(async {
        let mut a = fake.connect_async().unwrap();
        a.check_schema::<T>().await.unwrap()
    });
    assert_eq!(r#async, report);
    report.compared
}

#[test]
fn every_generated_family_checks_clean_against_the_fake_serving_it_sync_and_async() {
    use netlink_families as f;
    let compared = [
        check_against_itself::<f::binder::Binder>(),
        check_against_itself::<f::dev_energymodel::DevEnergymodel>(),
        check_against_itself::<f::devlink::Devlink>(),
        check_against_itself::<f::dpll::Dpll>(),
        check_against_itself::<f::drm_ras::DrmRas>(),
        check_against_itself::<f::ethtool::Ethtool>(),
        check_against_itself::<f::fou::Fou>(),
        check_against_itself::<f::handshake::Handshake>(),
        check_against_itself::<f::lockd::Lockd>(),
        check_against_itself::<f::mptcp_pm::MptcpPm>(),
        check_against_itself::<f::net_shaper::NetShaper>(),
        check_against_itself::<f::netdev::Netdev>(),
        check_against_itself::<f::nfsd::Nfsd>(),
        check_against_itself::<f::nl80211::Nl80211>(),
        check_against_itself::<f::ovpn::Ovpn>(),
        check_against_itself::<f::ovs_datapath::OvsDatapath>(),
        check_against_itself::<f::ovs_flow::OvsFlow>(),
        check_against_itself::<f::ovs_packet::OvsPacket>(),
        check_against_itself::<f::ovs_vport::OvsVport>(),
        check_against_itself::<f::psp::Psp>(),
        check_against_itself::<f::sunrpc::Sunrpc>(),
        check_against_itself::<f::team::Team>(),
        check_against_itself::<f::wireguard::Wireguard>(),
    ];
    // Every family but binder (notifications only) declares operations, and each was
    // compared.
    assert_eq!(compared[0], 0);
    assert!(compared[1..].iter().all(|&n| n > 0), "{compared:?}");
    assert_eq!(compared.iter().sum::<usize>(), 276);
    // nlctrl is the fake's own controller: its hand-written declaration matches it too.
    let fake = FakeKernel::new();
    let report = fake.connect().unwrap().check_schema::<Ctrl>().unwrap();
    assert!(report.findings.is_empty(), "{report}");
}
