//! `#[genl(reply = Variant)]` and `#[genl(ack)]`: what `GenlMessage::answer` returns for each
//! kind of declaration, for replies declared before or after the request, named by a const
//! command, naming the variant itself, in unit variants, borrowed enums and variants holding
//! generic sets; and that a declared reply's number decodes as the named variant.

use netlink_genl::{Answer, GenlDecode, GenlMessage, NlAttrs};

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Family {
    #[nla(id = 1)]
    id: Option<u16>,
    #[nla(id = 2)]
    name: Option<String>,
}

const NEW: u8 = 1;

/// Each kind of answer; the reply named by a const command, and before or after the request.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "demo", version = 2)]
enum Demo {
    #[genl(cmd = NEW)]
    New(Family),
    #[genl(cmd = 3, request, reply = New)]
    Get(Family),
    #[genl(cmd = 4, request, reply = Later)]
    GetLater(Family),
    #[genl(cmd = 5, ack)]
    Set(Family),
    #[genl(cmd = 6, request, ack)]
    Flush,
    #[genl(cmd = 7, reply = Echo)]
    Echo(Family),
    #[genl(cmd = 8)]
    Ntf(Family),
    #[genl(cmd = 9, request)]
    Dump(Family),
    #[genl(cmd = 20)]
    Later,
}

#[test]
fn each_kind() {
    let f = Family::default;
    assert_eq!(Demo::Get(f()).answer(), Answer::Reply(1));
    assert_eq!(Demo::GetLater(f()).answer(), Answer::Reply(20));
    assert_eq!(Demo::Set(f()).answer(), Answer::Ack);
    assert_eq!(Demo::Flush.answer(), Answer::Ack);
    assert_eq!(Demo::Echo(f()).answer(), Answer::Reply(7), "names itself");
    assert_eq!(Demo::New(f()).answer(), Answer::Undeclared);
    assert_eq!(Demo::Ntf(f()).answer(), Answer::Undeclared);
    assert_eq!(Demo::Dump(f()).answer(), Answer::Undeclared);
    assert_eq!(Demo::Later.answer(), Answer::Undeclared);
}

#[test]
fn a_declared_reply_decodes_as_the_named_variant() {
    let bytes = netlink_genl::netlink_genl_core::attrs_to_vec(&Family {
        id: Some(16),
        name: Some("demo".into()),
    })
    .unwrap();
    for (req, name) in [
        (Demo::Get(Family::default()), "New"),
        (Demo::GetLater(Family::default()), "Later"),
        (Demo::Echo(Family::default()), "Echo"),
    ] {
        let Answer::Reply(cmd) = req.answer() else {
            panic!("{req:?}: no reply declared");
        };
        assert_eq!(Demo::command_name(cmd), Some(name));
        let reply = Demo::decode_genl(cmd, &bytes).unwrap();
        assert_eq!(Demo::command_name(reply.command()), Some(name));
    }
}

/// An enum without declarations keeps the trait's default.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "plain")]
enum Plain {
    #[genl(cmd = 1)]
    A(Family),
    #[genl(cmd = 2)]
    B,
}

#[test]
fn undeclared_everywhere() {
    assert_eq!(Plain::A(Family::default()).answer(), Answer::Undeclared);
    assert_eq!(Plain::B.answer(), Answer::Undeclared);
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct Name<'a> {
    #[nla(id = 1)]
    name: &'a str,
}

/// A borrowed enum (one lifetime): the reply declaration does not care.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "borrowed")]
enum Borrowed<'a> {
    #[genl(cmd = 1)]
    Hello(Name<'a>),
    #[genl(cmd = 2, request, reply = Hello)]
    Greet(Name<'a>),
    #[genl(cmd = 3, reply = Echo)]
    Echo(Name<'a>),
    #[genl(cmd = 4, ack)]
    Bye(Name<'a>),
}

#[test]
fn borrowed_enum() {
    let n = Name { name: "x" };
    assert_eq!(Borrowed::Greet(n.clone()).answer(), Answer::Reply(1));
    assert_eq!(Borrowed::Echo(n.clone()).answer(), Answer::Reply(3));
    assert_eq!(Borrowed::Bye(n.clone()).answer(), Answer::Ack);
    assert_eq!(Borrowed::Hello(n).answer(), Answer::Undeclared);

    // The reply of a borrowed request decodes without copying.
    let req = Borrowed::Greet(Name { name: "hi" });
    let bytes = netlink_genl::netlink_genl_core::attrs_to_vec(&Name { name: "hi" }).unwrap();
    let Answer::Reply(cmd) = req.answer() else {
        panic!("no reply declared")
    };
    let Borrowed::Hello(back) = Borrowed::decode_genl(cmd, &bytes).unwrap() else {
        panic!("not Hello")
    };
    assert_eq!(back.name, "hi");
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Pair<T> {
    #[nla(id = 1)]
    key: T,
    #[nla(id = 2)]
    value: Option<T>,
}

/// `GenlMessage` enums take no type parameters (a compile error, ui/genl/type_parameter.rs),
/// but their variants may hold instances of generic sets, and the enum may borrow.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "generic")]
enum Generic<'a> {
    #[genl(cmd = 1, reply = Got)]
    Get(Pair<u32>),
    #[genl(cmd = 2)]
    Got(Pair<u32>),
    #[genl(cmd = 3, ack)]
    Put(Pair<&'a str>),
    #[genl(cmd = 4, request, reply = Named)]
    Lookup(Pair<&'a str>),
    #[genl(cmd = 5)]
    Named(Pair<&'a str>),
}

#[test]
fn generic_sets() {
    assert_eq!(Generic::Get(Pair::default()).answer(), Answer::Reply(2));
    assert_eq!(Generic::Got(Pair::default()).answer(), Answer::Undeclared);
    assert_eq!(Generic::Put(Pair::default()).answer(), Answer::Ack);
    assert_eq!(Generic::Lookup(Pair::default()).answer(), Answer::Reply(5));
}

/// `answer` through a generic bound, as socket code calls it.
fn answer_of<M: GenlMessage>(m: &M) -> Answer {
    m.answer()
}

#[test]
fn through_the_trait() {
    assert_eq!(answer_of(&Demo::Flush), Answer::Ack);
    assert_eq!(answer_of(&Plain::B), Answer::Undeclared);
}

/// nlctrl as the crate declares it: a `GETFAMILY` do is answered by one `NEWFAMILY`;
/// `GETPOLICY` is dump-only and stays undeclared.
#[test]
fn nlctrl_declarations() {
    use netlink_genl::ctrl::{CTRL_CMD_NEWFAMILY, Ctrl, CtrlRef, Family as CtrlFamily, FamilyRef};
    let get = Ctrl::GetFamily(CtrlFamily::by_name("nlctrl"));
    assert_eq!(get.answer(), Answer::Reply(CTRL_CMD_NEWFAMILY));
    assert_eq!(
        Ctrl::GetPolicy(CtrlFamily::default()).answer(),
        Answer::Undeclared
    );
    assert_eq!(
        Ctrl::NewFamily(CtrlFamily::default()).answer(),
        Answer::Undeclared
    );
    assert_eq!(
        CtrlRef::GetFamily(FamilyRef::default()).answer(),
        Answer::Reply(CTRL_CMD_NEWFAMILY)
    );
}

/// The example families' declarations (kernel evidence in the doc comments of their enums):
/// every declared reply names a decodable command of the family, the request-and-reply
/// families (netdev, mptcp_pm) answer with the request's own command.
#[test]
fn example_declarations() {
    use example_families::ethtool::{
        Channels, Ethtool, Features, Linkinfo, Linkmodes, Linkstate, Rings, Strset, reply,
    };
    use example_families::mptcp::{Attr, Endpoint, MptcpPm};
    use example_families::netdev::{Dev, Napi, Netdev, Queue, cmd};
    use example_families::taskstats::{CgroupstatsCmd, Taskstats, TaskstatsCmd};

    assert_eq!(
        Netdev::DevGet(Dev::default()).answer(),
        Answer::Reply(cmd::DEV_GET)
    );
    assert_eq!(
        Netdev::QueueGet(Queue::default()).answer(),
        Answer::Reply(cmd::QUEUE_GET)
    );
    assert_eq!(
        Netdev::NapiGet(Napi::default()).answer(),
        Answer::Reply(cmd::NAPI_GET)
    );
    assert_eq!(
        Netdev::DevAddNtf(Dev::default()).answer(),
        Answer::Undeclared
    );

    for (req, want) in [
        (
            Ethtool::StrsetGet(Strset::default()),
            reply::STRSET_GET_REPLY,
        ),
        (
            Ethtool::LinkinfoGet(Linkinfo::default()),
            reply::LINKINFO_GET_REPLY,
        ),
        (
            Ethtool::LinkmodesGet(Linkmodes::default()),
            reply::LINKMODES_GET_REPLY,
        ),
        (
            Ethtool::LinkstateGet(Linkstate::default()),
            reply::LINKSTATE_GET_REPLY,
        ),
        (
            Ethtool::FeaturesGet(Features::default()),
            reply::FEATURES_GET_REPLY,
        ),
        (Ethtool::RingsGet(Rings::default()), reply::RINGS_GET_REPLY),
        (
            Ethtool::ChannelsGet(Channels::default()),
            reply::CHANNELS_GET_REPLY,
        ),
    ] {
        assert_eq!(req.answer(), Answer::Reply(want), "{req:?}");
        let name = Ethtool::command_name(want).unwrap_or_default();
        assert!(name.ends_with("GetReply"), "{req:?} -> {name}");
    }
    assert_eq!(Ethtool::RingsSet(Rings::default()).answer(), Answer::Ack);
    assert_eq!(
        Ethtool::ChannelsSet(Channels::default()).answer(),
        Answer::Ack
    );
    // The spec declares FEATURES_SET's reply (the generated family follows it); the kernel
    // leaves it out under ETHTOOL_FLAG_OMIT_REPLY, where `GenlSocket::ack` is the call.
    assert_eq!(
        Ethtool::FeaturesSet(Features::default()).answer(),
        Answer::Reply(reply::FEATURES_SET_REPLY),
    );

    let a = Attr::default;
    let e = Endpoint::default;
    for m in [
        MptcpPm::AddAddr(e()),
        MptcpPm::DelAddr(e()),
        MptcpPm::FlushAddrs(e()),
        MptcpPm::SetLimits(a()),
        MptcpPm::SetFlags(a()),
        MptcpPm::Announce(a()),
        MptcpPm::Remove(a()),
        MptcpPm::SubflowCreate(a()),
        MptcpPm::SubflowDestroy(a()),
    ] {
        assert_eq!(m.answer(), Answer::Ack, "{m:?}");
    }
    for m in [MptcpPm::GetAddr(a()), MptcpPm::GetLimits(a())] {
        assert_eq!(m.answer(), Answer::Reply(m.command()), "{m:?}");
    }

    assert_eq!(
        Taskstats::Get(TaskstatsCmd::default()).answer(),
        Answer::Undeclared
    );
    assert_eq!(
        Taskstats::CgroupstatsGet(CgroupstatsCmd::default()).answer(),
        Answer::Undeclared
    );
}
