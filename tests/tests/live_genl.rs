//! nlctrl against the kernel, compared with iproute2's `genl ctrl list` / `genl ctrl get` on the
//! same machine: the family table (ids, versions, header sizes, max attributes, operations and
//! their flags, multicast groups), GETFAMILY do, and GETPOLICY dumps. Read-only: runs in the
//! initial namespace, which holds every family.

use std::collections::BTreeMap;

use netlink_genl::ctrl::{Ctrl, Family, McastGroup, Op, op_flags};
use netlink_genl::{FamilyInfo, GenlSocket, GenlView};
use tests::{ParsedFamily, ParsedOp, genl_ctrl_list, parse_genl_ctrl_list, run};

fn by_name(v: Vec<ParsedFamily>) -> BTreeMap<String, ParsedFamily> {
    v.into_iter().map(|f| (f.name.clone(), f)).collect()
}

/// Compare our view of one family with iproute2's. iproute2 6.1 prints operation flags only for
/// families of version >= 2; where it printed them they must match.
fn assert_same(ours: &FamilyInfo, theirs: &ParsedFamily) {
    let n = &ours.name;
    assert_eq!(ours.id, theirs.id, "{n}: id");
    assert_eq!(ours.version, theirs.version, "{n}: version");
    assert_eq!(ours.hdrsize, theirs.hdrsize, "{n}: header size");
    assert_eq!(ours.maxattr, theirs.maxattr, "{n}: max attribs");
    assert_eq!(ours.ops.len(), theirs.ops.len(), "{n}: op count");
    for (o, t) in ours.ops.iter().zip(&theirs.ops) {
        assert_eq!(o.cmd, t.cmd, "{n}: op order/ids");
        if let Some(flags) = t.flags {
            assert_eq!(o.flags, flags, "{n}: flags of op {:#x}", o.cmd);
        }
    }
    let groups: Vec<(String, u32)> = ours.groups.iter().map(|g| (g.name.clone(), g.id)).collect();
    assert_eq!(groups, theirs.groups, "{n}: multicast groups");
}

#[test]
fn family_table_matches_genl_ctrl_list() {
    let theirs = by_name(genl_ctrl_list());
    let mut sock = GenlSocket::new().unwrap();
    let ours = sock.list_families().unwrap();

    let our_names: Vec<&str> = ours.iter().map(|f| f.name.as_str()).collect();
    let their_names: Vec<&str> = theirs.keys().map(String::as_str).collect();
    let mut sorted = our_names.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, their_names, "same families");
    assert!(
        ours.len() >= 8,
        "a kernel has at least the netns-wide families"
    );

    let mut flagged = 0;
    for f in &ours {
        let t = &theirs[&f.name];
        assert_same(f, t);
        flagged += t.ops.iter().filter(|o| o.flags.is_some()).count();
    }
    assert!(
        flagged > 0,
        "iproute2 printed flags for some ops (version >= 2 families such as nlctrl)"
    );

    // The dump also filled the cache: ids resolve without asking the kernel again.
    assert_eq!(sock.families().len(), ours.len());
    assert_eq!(
        sock.families().get("nlctrl").map(|f| f.id),
        Some(netlink_genl::GENL_ID_CTRL)
    );
}

#[test]
fn genl_example_output_parses_to_the_same_table_as_iproute2() {
    let theirs = by_name(genl_ctrl_list());
    let mut sock = GenlSocket::new().unwrap();
    let text: String = sock
        .list_families()
        .unwrap()
        .iter()
        .map(example_families::genl_text::family)
        .collect();
    let ours = by_name(parse_genl_ctrl_list(&text));
    assert_eq!(ours.len(), theirs.len());
    for (name, t) in &theirs {
        let o = &ours[name];
        assert_eq!(
            (o.id, o.version, o.hdrsize, o.maxattr),
            (t.id, t.version, t.hdrsize, t.maxattr),
            "{name}"
        );
        assert_eq!(o.groups, t.groups, "{name}");
        assert_eq!(o.ops.len(), t.ops.len(), "{name}");
        for (a, b) in o.ops.iter().zip(&t.ops) {
            assert_eq!(a.cmd, b.cmd, "{name}");
            // Our example always prints flags; where iproute2 did too they agree.
            assert!(a.flags.is_some(), "{name}: example prints flags");
            if b.flags.is_some() {
                assert_eq!(a.flags, b.flags, "{name} op {:#x}", a.cmd);
            }
        }
    }
}

#[test]
fn getfamily_do_nlctrl() {
    let mut sock = GenlSocket::new().unwrap();
    let reply = sock
        .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
        .unwrap();
    let Ctrl::NewFamily(f) = reply else {
        panic!("GETFAMILY is answered by NEWFAMILY, got {reply:?}")
    };
    assert_eq!(f.id, Some(0x10));
    assert_eq!(f.name.as_deref(), Some("nlctrl"));
    assert_eq!(f.version, Some(2));
    assert_eq!(f.hdrsize, Some(0));
    assert_eq!(f.maxattr, Some(0));
    assert_eq!(
        f.ops,
        [
            Op {
                id: Some(3),
                flags: Some(op_flags::CAP_DO | op_flags::CAP_DUMP | op_flags::CAP_HASPOL)
            },
            Op {
                id: Some(10),
                flags: Some(op_flags::CAP_DUMP | op_flags::CAP_HASPOL)
            },
        ]
    );
    assert_eq!(
        f.mcast_groups,
        [McastGroup {
            name: Some("notify".into()),
            id: Some(0x10)
        }]
    );

    // The same answer as `genl ctrl get name nlctrl`.
    let theirs = parse_genl_ctrl_list(&run("genl", &["ctrl", "get", "name", "nlctrl"]));
    assert_eq!(theirs.len(), 1);
    assert_same(&FamilyInfo::try_from(f.clone()).unwrap(), &theirs[0]);
    assert_eq!(
        theirs[0].ops,
        [
            ParsedOp {
                cmd: 3,
                flags: Some(0xe)
            },
            ParsedOp {
                cmd: 10,
                flags: Some(0xc)
            }
        ]
    );

    // By id too.
    let by_id = sock.request(&Ctrl::GetFamily(Family::by_id(0x10))).unwrap();
    assert_eq!(by_id, Ctrl::NewFamily(f));
}

#[test]
fn every_family_resolves_by_name_like_iproute2() {
    let mut sock = GenlSocket::new().unwrap();
    for t in genl_ctrl_list() {
        let ours = sock.refresh_family(&t.name).unwrap().clone();
        assert_same(&ours, &t);
        // Second lookup: from the cache, same answer.
        assert_eq!(sock.family(&t.name).unwrap(), &ours);
    }
}

#[test]
fn the_three_dump_shapes_agree() {
    let mut sock = GenlSocket::new().unwrap();
    let req = Ctrl::GetFamily(Family::default());

    let owned: Vec<Ctrl> = {
        let mut dump = sock.dump(&req).unwrap();
        let v: Vec<Ctrl> = dump.by_ref().map(Result::unwrap).collect();
        assert!(dump.is_done());
        assert!(!dump.interrupted());
        assert_eq!(dump.summary().messages, v.len());
        v
    };

    let mut with = Vec::new();
    let summary = sock
        .dump_with(&req, |m: Ctrl| {
            with.push(m);
            Ok(())
        })
        .unwrap();
    assert_eq!(summary.messages, with.len());

    // Borrowed: names straight from the receive buffer, no decode of the rest.
    let mut names = Vec::new();
    let r = sock.prepare(&req).unwrap();
    sock.dump_view(&r, |v: GenlView<'_>| {
        assert_eq!(v.family_id(), 0x10);
        assert_eq!(v.cmd(), 1, "NEWFAMILY");
        for a in v.attrs(0) {
            let a = a?;
            if a.id() == 2 {
                names.push(
                    String::from_utf8_lossy(a.payload())
                        .trim_end_matches('\0')
                        .to_owned(),
                );
            }
        }
        Ok(())
    })
    .unwrap();

    assert_eq!(owned, with);
    let owned_names: Vec<String> = owned
        .iter()
        .map(|m| m.family().name.clone().unwrap())
        .collect();
    assert_eq!(owned_names, names);
    assert!(owned.iter().all(|m| matches!(m, Ctrl::NewFamily(_))));

    // The socket saw nothing foreign, and an abandoned dump does not break the next one.
    {
        let mut dump = sock.dump(&req).unwrap();
        assert!(dump.next().unwrap().is_ok());
    } // dropped after one message: drained
    assert_eq!(sock.dump(&req).unwrap().count(), owned.len());
    let stats = sock.socket().stats();
    assert_eq!((stats.foreign_sender, stats.foreign_seq), (0, 0));
}

#[test]
fn getpolicy_dump_counts() {
    let mut sock = GenlSocket::new().unwrap();
    // kernel-notes §2: nlctrl 7 messages, ethtool 260, netdev 30, mptcp_pm 39.
    for (family, messages) in [
        ("nlctrl", 7),
        ("ethtool", 260),
        ("netdev", 30),
        ("mptcp_pm", 39),
    ] {
        let dump = sock.policy(family, None).unwrap();
        assert_eq!(dump.messages, messages, "{family} GETPOLICY messages");
        assert!(!dump.interrupted);
        // Every table in the dump is reachable from an op, directly or through a nested
        // attribute's policy index. (Referenced tables with no attributes send no message.)
        let mut reachable = std::collections::BTreeSet::new();
        let mut todo: Vec<u32> = dump
            .ops
            .values()
            .flat_map(|p| [p.do_policy, p.dump_policy])
            .flatten()
            .collect();
        while let Some(idx) = todo.pop() {
            if reachable.insert(idx) {
                if let Some(t) = dump.policy(idx) {
                    todo.extend(t.values().filter_map(|a| a.policy_idx));
                }
            }
        }
        for idx in dump.policies.keys() {
            assert!(
                reachable.contains(idx),
                "{family}: policy {idx} is orphaned"
            );
        }
        assert!(!dump.policies.is_empty(), "{family} has attribute policies");
        // Ops with the HASPOL flag have an entry (dump-only ones may be under key 0).
        let info = sock.family(family).unwrap().clone();
        for op in info
            .ops
            .iter()
            .filter(|o| o.flags & op_flags::CAP_HASPOL != 0)
        {
            assert!(
                dump.ops.contains_key(&op.cmd) || (!op.can_do() && dump.ops.contains_key(&0)),
                "{family}: op {} has a policy entry",
                op.cmd
            );
        }
    }
}

#[test]
fn nlctrl_policy_content() {
    use netlink_genl_core::consts::policy::types;
    let mut sock = GenlSocket::new().unwrap();
    let dump = sock.policy("nlctrl", None).unwrap();
    // GETFAMILY (3): do and dump share policy 0; GETPOLICY is dump-only and listed under 0.
    let getfamily = &dump.ops[&3];
    let idx = getfamily.do_policy.unwrap();
    let table = dump.policy(idx).unwrap();
    let name = &table[&2];
    assert_eq!(name.ty, Some(types::NUL_STRING));
    assert_eq!(name.max_length, Some(15), "GENL_NAMSIZ - 1");
    let id = &table[&1];
    assert_eq!(id.ty, Some(types::U16));
    assert_eq!(id.to_string(), "u16 min 0 max 65535");
    let getpolicy = &dump.ops[&0];
    let gp = dump.policy(getpolicy.dump_policy.unwrap()).unwrap();
    assert_eq!(gp.keys().copied().collect::<Vec<_>>(), [1, 2, 10]);
    assert_eq!(gp[&10].ty, Some(types::U32), "CTRL_ATTR_OP");

    // Restricting to one op: only GETFAMILY's policy (fixture nlctrl-getpolicy-nlctrl-op3).
    let one = sock.policy("nlctrl", Some(3)).unwrap();
    assert_eq!(one.ops.keys().copied().collect::<Vec<_>>(), [3]);
    assert_eq!(one.policy(idx), Some(table));
}

#[test]
fn genl_policy_text_shows_types_and_bounds() {
    let mut sock = GenlSocket::new().unwrap();
    let info = sock.family("nlctrl").unwrap().clone();
    let text = example_families::genl_text::policy(&info, &sock.policy("nlctrl", None).unwrap());
    assert!(
        text.starts_with(
            "nlctrl (id 0x10): 2 operations with policies, 2 policy tables, 7 messages\n"
        ),
        "{text}"
    );
    assert!(text.contains("op 0x3 (GetFamily) [can doit, can dumpit, has policy]\n"));
    assert!(text.contains("attr 2 (name): nul-string max len 15\n"));
    assert!(text.contains("attr 10 (op): u32 min 0 max 4294967295\n"));

    // Nested policies are expanded below their attribute (ethtool's request header).
    let info = sock.family("ethtool").unwrap().clone();
    let text =
        example_families::genl_text::policy(&info, &sock.policy("ethtool", Some(1)).unwrap());
    assert!(text.contains("attr 1: nested policy 1 maxattr"), "{text}");
    assert!(text.contains("        policy 1:\n"), "{text}");
    assert!(
        text.contains("attr 2: nul-string max len 127"),
        "DEV_NAME: ALTIFNAMSIZ - 1: {text}"
    );
}

#[test]
fn genl_monitor_text_for_a_family_without_types() {
    tests::in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        let mgmt = sock.join_group("netdev", "mgmt").unwrap();
        let info = sock.family("netdev").unwrap().clone();
        tests::ip("link add mon0 type veth peer name mon1");
        let ifindex = tests::ifindex("mon0");
        let mut texts = Vec::new();
        for _ in 0..2 {
            let v = sock.recv_view().unwrap();
            assert_eq!(v.group(), mgmt);
            texts.push(example_families::genl_text::event(&info, &v));
        }
        let hex: String = ifindex
            .to_ne_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            texts.iter().any(
                |t| t.starts_with("[mgmt] netdev cmd 2 version 1 seq 0 pid 0\n")
                    && t.contains(&format!("  attr 1: {hex}\n"))
            ),
            "dev-add-ntf for ifindex {ifindex}: {texts:?}"
        );
    });
}
