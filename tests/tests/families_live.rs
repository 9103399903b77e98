//! The generated families (crate `netlink-families`) against the running kernel, for the
//! families this kernel has: each resolves by name, answers a read-only request or dump, and
//! agrees with an independent oracle (`/sys`, iproute2's `ip` and `genl`, and the example
//! families: ethtool's hand-written, netdev's and mptcp's helpers over the generated types).
//!
//! netdev, ethtool and mptcp_pm run in a private network namespace made by the test (nothing in
//! the initial namespace is read or changed); nlctrl is global.

use std::collections::BTreeSet;

use netlink_families::{ethtool, mptcp_pm, netdev, nlctrl};
use netlink_genl::{GENL_ID_CTRL, GenlSocket};
use tests::{genl_ctrl_list, ifindex, in_private_netns, ip};

fn sys(path: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .trim()
        .to_owned()
}

#[test]
fn nlctrl_getfamily_matches_genl_ctrl_list() {
    let mut sock = GenlSocket::new().unwrap();
    // Do: nlctrl itself, answered by the reply variant (CTRL_CMD_NEWFAMILY).
    let req = nlctrl::Nlctrl::Getfamily(nlctrl::CtrlAttrs {
        family_name: Some("nlctrl".into()),
        ..Default::default()
    });
    let nlctrl::Nlctrl::GetfamilyReply(f) = sock.request(&req).unwrap() else {
        panic!("not a getfamily reply");
    };
    assert_eq!(f.family_id, Some(GENL_ID_CTRL));
    assert_eq!(f.family_name.as_deref(), Some("nlctrl"));
    assert!(
        f.ops.iter().any(|op| op.id == Some(3)),
        "GETFAMILY among the ops"
    );
    assert!(
        f.mcast_groups
            .iter()
            .any(|g| g.name.as_deref() == Some("notify"))
    );

    // Dump: the same families, ids and versions as iproute2's `genl ctrl list`.
    let ours: BTreeSet<(String, u16, u32)> = sock
        .dump(&nlctrl::Nlctrl::Getfamily(nlctrl::CtrlAttrs::default()))
        .unwrap()
        .map(|m| match m.unwrap() {
            nlctrl::Nlctrl::GetfamilyReply(f) => (
                f.family_name.unwrap(),
                f.family_id.unwrap(),
                f.version.unwrap(),
            ),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let theirs: BTreeSet<(String, u16, u32)> = genl_ctrl_list()
        .into_iter()
        .map(|f| (f.name, f.id, f.version))
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn netdev_dev_get_matches_ip_link_and_the_example() {
    in_private_netns(|| {
        ip("link add yveth0 type veth peer name yveth1");
        let mut sock = GenlSocket::new().unwrap();
        let devs: Vec<netdev::Dev> = sock
            .dump(&netdev::Netdev::DevGet(netdev::Dev::default()))
            .unwrap()
            .map(|m| match m.unwrap() {
                netdev::Netdev::DevGet(d) => d,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        let ours: BTreeSet<u32> = devs.iter().map(|d| d.ifindex.unwrap()).collect();
        let theirs: BTreeSet<u32> = ["lo", "yveth0", "yveth1"]
            .iter()
            .map(|n| ifindex(n))
            .collect();
        assert_eq!(ours, theirs, "ifindexes from dev-get and ip -j link");
        assert_eq!(
            sys("/sys/class/net/lo/ifindex").parse::<u32>().unwrap(),
            ifindex("lo")
        );

        // The example family (the generated types, with its own flag names that keep unnamed
        // bits) sees the same devices and XDP features.
        let example = example_families::netdev::devices(&mut sock).unwrap();
        assert_eq!(example.len(), devs.len());
        for e in example {
            let g = devs.iter().find(|d| d.ifindex == e.ifindex).unwrap();
            assert_eq!(g.xdp_features, e.xdp_features);
            assert_eq!(
                g.xdp_features.map(|f| f.names()).unwrap_or_default(),
                example_families::netdev::xdp_act_names(e.xdp_features.unwrap_or_default().0)
            );
            assert_eq!(g.xdp_zc_max_segs, e.xdp_zc_max_segs);
        }

        // Do: one device, answered by one reply.
        let lo = ifindex("lo");
        let req = netdev::Netdev::DevGet(netdev::Dev {
            ifindex: Some(lo),
            ..Default::default()
        });
        let netdev::Netdev::DevGet(d) = sock.request(&req).unwrap() else {
            panic!("not a dev-get reply");
        };
        assert_eq!(d.ifindex, Some(lo));
    });
}

#[test]
fn ethtool_linkstate_of_lo_matches_sys() {
    in_private_netns(|| {
        ip("link set lo up");
        let mut sock = GenlSocket::new().unwrap();
        let req = ethtool::Ethtool::LinkstateGet(ethtool::Linkstate {
            header: Some(ethtool::Header {
                dev_name: Some("lo".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        let ethtool::Ethtool::LinkstateGetReply(ls) = sock.request(&req).unwrap() else {
            panic!("not a linkstate reply");
        };
        let h = ls.header.unwrap();
        assert_eq!(h.dev_name.as_deref(), Some("lo"));
        assert_eq!(
            h.dev_index,
            Some(sys("/sys/class/net/lo/ifindex").parse().unwrap())
        );
        assert_eq!(
            ls.link.map(u32::from),
            Some(sys("/sys/class/net/lo/carrier").parse().unwrap())
        );

        // strset: the feature names (`ETH_SS_FEATURES`, 4) of lo, the same list as the
        // hand-written family reads.
        let req = ethtool::Ethtool::StrsetGet(ethtool::Strset {
            header: Some(ethtool::Header {
                dev_name: Some("lo".into()),
                ..Default::default()
            }),
            stringsets: Some(ethtool::Stringsets {
                stringset: vec![ethtool::StringsetAttrs {
                    id: Some(4),
                    ..Default::default()
                }],
            }),
            ..Default::default()
        });
        let ethtool::Ethtool::StrsetGetReply(s) = sock.request(&req).unwrap() else {
            panic!("not a strset reply");
        };
        let set = &s.stringsets.unwrap().stringset[0];
        assert_eq!(set.id, Some(4));
        let names: Vec<String> = set
            .strings
            .iter()
            .flat_map(|s| &s.string)
            .map(|s| s.value.clone().unwrap_or_default())
            .collect();
        assert_eq!(set.count, Some(names.len() as u32));
        assert_eq!(
            names,
            example_families::ethtool::feature_names(&mut sock, "lo").unwrap()
        );
    });
}

#[test]
fn mptcp_pm_get_addr_matches_ip_mptcp() {
    in_private_netns(|| {
        ip("link set lo up");
        let mut sock = GenlSocket::new().unwrap();
        let dump = |sock: &mut GenlSocket| -> Vec<mptcp_pm::Address> {
            sock.dump(&mptcp_pm::MptcpPm::GetAddr(mptcp_pm::Attr::default()))
                .unwrap()
                .filter_map(|m| match m.unwrap() {
                    mptcp_pm::MptcpPm::GetAddr(a) => a.addr,
                    other => panic!("unexpected {other:?}"),
                })
                .collect()
        };
        assert!(
            dump(&mut sock).is_empty(),
            "a fresh namespace has no endpoints"
        );

        ip("mptcp endpoint add 10.0.0.1 id 5 subflow");
        ip("mptcp endpoint add 10.0.0.2 id 6 signal");
        let mut got: Vec<(u8, u32)> = dump(&mut sock)
            .into_iter()
            .map(|a| (a.id.unwrap(), a.addr4.unwrap()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                (5, u32::from(std::net::Ipv4Addr::new(10, 0, 0, 1))),
                (6, u32::from(std::net::Ipv4Addr::new(10, 0, 0, 2)))
            ]
        );
        let shown = ip("mptcp endpoint show");
        assert!(shown.contains("10.0.0.1 id 5 subflow"), "{shown}");
        // The example module (the generated types, its addresses and `ip`-style text) reads
        // the same endpoints.
        use example_families::mptcp::AddressExt;
        let example = example_families::mptcp::endpoints(&mut sock).unwrap();
        let mut ids: Vec<u8> = example.iter().map(|a| a.id.unwrap()).collect();
        ids.sort();
        assert_eq!(ids, [5, 6]);
        for a in &example {
            assert!(shown.contains(&a.text()), "{} in {shown}", a.text());
        }
    });
}
