//! Golden output of the example programs: what `netdev`, `mptcp` and `ethtool` print (text and
//! `--json`) for fixed kernel answers, compared byte for byte with the files in
//! `tests/golden/`.
//!
//! The answers come from a fake kernel (`netlink_genl::testing`) that speaks the families with
//! the types `netlink-families` generates from the kernel's YNL specs, so the programs decode
//! bytes encoded by a different declaration than their own. The golden files were written by
//! the programs as they were when these tests were added (their families declared by hand);
//! they must not change when the programs move to other types.
//!
//! `EXAMPLES_BLESS=1 cargo test -p examples --test golden` rewrites the files (then review the
//! diff: a difference is a change in what the programs print).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use netlink_genl::GenlSocket;
use netlink_genl::testing::{DumpOut, ErrorReply, FakeKernel, FamilySpec, Reply};
use netlink_genl::{Errno, GenlMessage};

/// Compare `text` with golden file `name`, or write it under `EXAMPLES_BLESS=1`.
fn golden(name: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("EXAMPLES_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (EXAMPLES_BLESS=1 writes it)", path.display()));
    assert!(
        want == text,
        "{name} differs from the golden file\n--- golden\n{want}\n--- now\n{text}"
    );
}

/// The next notification `sock` receives, as the example family `T` decodes it.
fn next_event<T: GenlMessage + netlink_genl::GenlDecodeOwned>(sock: &mut GenlSocket) -> T {
    sock.recv_event::<T>().unwrap().msg
}

// -----------------------------------------------------------------------------------------------
// netdev

mod netdev {
    use super::*;
    use example_families::netdev::show;
    use netlink_families::netdev::{
        Dev, Napi, Netdev, Queue, QueueType, XdpAct, XdpRxMetadata, XskFlags,
    };

    /// `lo` (index 1 in every namespace), a device with every feature set and unnamed bits,
    /// and one with nothing but its index (no name: index 4000000 does not exist here).
    pub fn devs() -> Vec<Dev> {
        vec![
            Dev {
                ifindex: Some(1),
                xdp_features: Some(XdpAct(0)),
                xdp_rx_metadata_features: Some(XdpRxMetadata(0)),
                xsk_features: Some(XskFlags(0)),
                ..Dev::default()
            },
            Dev {
                ifindex: Some(4_000_000),
                xdp_features: Some(XdpAct(0x7f | 1 << 40)),
                xdp_rx_metadata_features: Some(XdpRxMetadata(7)),
                xsk_features: Some(XskFlags(3 | 1 << 9)),
                xdp_zc_max_segs: Some(17),
            },
            Dev {
                ifindex: Some(4_000_001),
                ..Dev::default()
            },
        ]
    }

    fn queues() -> Vec<Queue> {
        let q = |ifindex, ty, id, napi_id| Queue {
            id: Some(id),
            ifindex: Some(ifindex),
            r#type: Some(ty),
            napi_id,
            ..Queue::default()
        };
        vec![
            q(4_000_000, QueueType::Rx, 0, Some(8193)),
            q(4_000_000, QueueType::Rx, 1, Some(8194)),
            q(4_000_000, QueueType::Tx, 0, None),
            q(4_000_000, QueueType::Unknown(7), 3, None),
            q(4_000_001, QueueType::Tx, 0, None),
        ]
    }

    fn napis() -> Vec<Napi> {
        vec![
            Napi {
                ifindex: Some(4_000_000),
                id: Some(8193),
                irq: Some(42),
                pid: Some(1234),
                ..Napi::default()
            },
            Napi {
                ifindex: Some(4_000_000),
                id: Some(8194),
                ..Napi::default()
            },
        ]
    }

    pub fn fake() -> FakeKernel {
        let fake = FakeKernel::new();
        fake.register(
            FamilySpec::<Netdev>::new()
                .group("mgmt")
                .group("page-pool")
                .on_do(1, |_, req| {
                    let Netdev::DevGet(d) = req else {
                        return Err(Errno::INVAL.into());
                    };
                    devs()
                        .into_iter()
                        .find(|x| x.ifindex == d.ifindex)
                        .map(|x| Reply::msg(Netdev::DevGet(x)))
                        .ok_or_else(|| ErrorReply::new(Errno::NODEV))
                })
                .on_dump(1, |_, _, out: &mut DumpOut<Netdev>| {
                    devs().into_iter().for_each(|d| out.push(Netdev::DevGet(d)));
                    Ok(())
                })
                .on_dump(10, |_, _, out: &mut DumpOut<Netdev>| {
                    queues()
                        .into_iter()
                        .for_each(|q| out.push(Netdev::QueueGet(q)));
                    Ok(())
                })
                .on_dump(11, |_, _, out: &mut DumpOut<Netdev>| {
                    napis()
                        .into_iter()
                        .for_each(|n| out.push(Netdev::NapiGet(n)));
                    Ok(())
                }),
        )
        .unwrap();
        fake
    }

    #[test]
    fn list() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        golden("netdev-list.txt", &show::list(&mut sock, false).unwrap());
        golden("netdev-list.json", &show::list(&mut sock, true).unwrap());
    }

    #[test]
    fn dev() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        let mut text = String::new();
        let mut json = String::new();
        for i in [1, 4_000_000, 4_000_001] {
            text += &show::device(&mut sock, i, false).unwrap();
            json += &show::device(&mut sock, i, true).unwrap();
        }
        golden("netdev-dev.txt", &text);
        golden("netdev-dev.json", &json);
    }

    #[test]
    fn monitor() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        sock.join::<example_families::netdev::Netdev>("mgmt")
            .unwrap();
        let d = devs();
        let events = [
            Netdev::DevAddNtf(d[1].clone()),
            Netdev::DevChangeNtf(d[0].clone()),
            Netdev::DevDelNtf(d[2].clone()),
        ];
        let (mut text, mut json) = (String::new(), String::new());
        for e in &events {
            assert_eq!(fake.notify("mgmt", e).unwrap(), 1);
            let msg: example_families::netdev::Netdev = next_event(&mut sock);
            text += &show::event(&msg, false);
            json += &show::event(&msg, true);
        }
        golden("netdev-monitor.txt", &text);
        golden("netdev-monitor.json", &json);
    }
}

// -----------------------------------------------------------------------------------------------
// mptcp

mod mptcp {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;
    use example_families::mptcp::show;
    use netlink_families::mptcp_pm::{Address, Attr, EventAttr, MptcpPm};

    /// The generated family has no event messages (the spec lists the events as an enum): the
    /// fake sends them with this enum over the generated attribute set.
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "mptcp_pm", version = 1)]
    enum Event {
        #[genl(cmd = 1)]
        Created(EventAttr),
        #[genl(cmd = 2)]
        Established(EventAttr),
        #[genl(cmd = 3)]
        Closed(EventAttr),
        #[genl(cmd = 6)]
        Announced(EventAttr),
        #[genl(cmd = 10)]
        SubEstablished(EventAttr),
        #[genl(cmd = 15)]
        ListenerCreated(EventAttr),
    }

    fn v4(a: [u8; 4]) -> Option<u32> {
        Some(u32::from(Ipv4Addr::from(a)))
    }

    fn v6(a: &str) -> Option<Vec<u8>> {
        Some(a.parse::<Ipv6Addr>().unwrap().octets().to_vec())
    }

    /// An endpoint of every shape: v4 and v6, with a port, flags (all of them, and one the
    /// program does not name), on `lo` and on a device that does not exist here.
    fn endpoints() -> Vec<Address> {
        vec![
            Address {
                family: Some(2),
                id: Some(1),
                addr4: v4([10, 0, 0, 1]),
                flags: Some(2),
                ..Address::default()
            },
            Address {
                family: Some(2),
                id: Some(2),
                addr4: v4([192, 168, 7, 254]),
                port: Some(1000),
                flags: Some(1 | 4),
                if_idx: Some(1),
                ..Address::default()
            },
            Address {
                family: Some(10),
                id: Some(3),
                addr6: v6("fd00::1:2"),
                port: Some(0),
                flags: Some(0x1f | 1 << 7),
                if_idx: Some(4_000_000),
                ..Address::default()
            },
            Address {
                family: Some(10),
                id: Some(255),
                addr6: v6("::1"),
                ..Address::default()
            },
        ]
    }

    fn fake() -> FakeKernel {
        let fake = FakeKernel::new();
        fake.register(
            FamilySpec::<MptcpPm>::new()
                .group("mptcp_pm_cmds")
                .group("mptcp_pm_events")
                .on_do(3, |_, req| {
                    let MptcpPm::GetAddr(a) = req else {
                        return Err(Errno::INVAL.into());
                    };
                    let id = a.addr.and_then(|a| a.id);
                    endpoints()
                        .into_iter()
                        .find(|e| e.id == id)
                        .map(|e| {
                            Reply::msg(MptcpPm::GetAddr(Attr {
                                addr: Some(e),
                                ..Attr::default()
                            }))
                        })
                        .ok_or_else(|| ErrorReply::new(Errno::INVAL))
                })
                .on_dump(3, |_, _, out: &mut DumpOut<MptcpPm>| {
                    for e in endpoints() {
                        out.push(MptcpPm::GetAddr(Attr {
                            addr: Some(e),
                            ..Attr::default()
                        }));
                    }
                    Ok(())
                })
                .on_do(6, |_, _| {
                    Ok(Reply::msg(MptcpPm::GetLimits(Attr {
                        rcv_add_addrs: Some(3),
                        subflows: Some(8),
                        ..Attr::default()
                    })))
                }),
        )
        .unwrap();
        fake
    }

    #[test]
    fn endpoint_show() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        golden(
            "mptcp-endpoints.txt",
            &show::endpoints(&mut sock, false).unwrap(),
        );
        golden(
            "mptcp-endpoints.json",
            &show::endpoints(&mut sock, true).unwrap(),
        );
        let (mut text, mut json) = (String::new(), String::new());
        for id in [1, 2, 3, 255] {
            text += &show::endpoint(&mut sock, id, false).unwrap();
            json += &show::endpoint(&mut sock, id, true).unwrap();
        }
        golden("mptcp-endpoint-by-id.txt", &text);
        golden("mptcp-endpoint-by-id.json", &json);
    }

    #[test]
    fn limits_show() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        let text =
            show::limits(&mut sock, false).unwrap() + &show::limits(&mut sock, true).unwrap();
        golden("mptcp-limits.txt", &text);
    }

    #[test]
    fn monitor() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        sock.join::<example_families::mptcp::MptcpEvent>("mptcp_pm_events")
            .unwrap();
        let conn = EventAttr {
            token: Some(0x0123_abcd),
            family: Some(2),
            saddr4: v4([10, 0, 0, 1]),
            daddr4: v4([10, 0, 0, 2]),
            sport: Some(40000),
            dport: Some(443),
            server_side: Some(0),
            ..EventAttr::default()
        };
        let conn6 = EventAttr {
            token: Some(7),
            family: Some(10),
            saddr6: v6("fd00::1"),
            daddr6: v6("fd00::2"),
            sport: Some(1),
            dport: Some(65535),
            ..EventAttr::default()
        };
        let events = [
            Event::Created(conn.clone()),
            Event::Established(conn.clone()),
            Event::SubEstablished(EventAttr {
                loc_id: Some(1),
                rem_id: Some(2),
                backup: Some(1),
                ..conn6.clone()
            }),
            Event::Announced(EventAttr {
                token: Some(7),
                rem_id: Some(4),
                ..EventAttr::default()
            }),
            Event::ListenerCreated(EventAttr {
                family: Some(2),
                saddr4: v4([0, 0, 0, 0]),
                sport: Some(8080),
                ..EventAttr::default()
            }),
            Event::Closed(EventAttr {
                token: Some(0x0123_abcd),
                ..EventAttr::default()
            }),
        ];
        let (mut text, mut json) = (String::new(), String::new());
        for e in &events {
            assert_eq!(fake.notify("mptcp_pm_events", e).unwrap(), 1);
            let msg: example_families::mptcp::MptcpEvent = next_event(&mut sock);
            text += &show::event(&msg, false);
            json += &show::event(&msg, true);
        }
        golden("mptcp-monitor.txt", &text);
        golden("mptcp-monitor.json", &json);
    }
}

// -----------------------------------------------------------------------------------------------
// ethtool

mod ethtool {
    use super::*;
    use example_families::ethtool::show;
    use netlink_families::ethtool::{
        Bitset, BitsetBit, BitsetBits, Channels, Ethtool, Features, Header, Linkinfo, Linkmodes,
        Linkstate, StringAttrs, Strings, StringsetAttrs, Stringsets, Strset,
    };

    /// The feature names (string set 4), with a gap the kernel leaves unnamed.
    const NAMES: [&str; 6] = [
        "tx-scatter-gather",
        "tx-checksum-ipv4",
        "",
        "rx-gro",
        "highdma",
        "rx-checksum",
    ];

    /// A compact bitset list (`NOMASK`) of 6 bits with `set` set.
    fn compact(set: &[u32]) -> Option<Bitset> {
        let word: u32 = set.iter().map(|b| 1 << b).sum();
        Some(Bitset {
            nomask: true,
            size: Some(6),
            value: Some(word.to_ne_bytes().to_vec()),
            ..Bitset::default()
        })
    }

    /// A verbose bitset: `(index, name, value)`, a list when `nomask`.
    fn verbose(nomask: bool, size: u32, bits: &[(u32, &str, bool)]) -> Option<Bitset> {
        Some(Bitset {
            nomask,
            size: Some(size),
            bits: Some(BitsetBits {
                bit: bits
                    .iter()
                    .map(|&(i, name, value)| BitsetBit {
                        index: Some(i),
                        name: Some(name.to_owned()),
                        value,
                    })
                    .collect(),
            }),
            ..Bitset::default()
        })
    }

    fn header(dev: &str) -> Option<Header> {
        Some(Header {
            dev_name: Some(dev.to_owned()),
            dev_index: Some(if dev == "eth0" { 2 } else { 3 }),
            ..Header::default()
        })
    }

    fn dev(h: &Option<Header>) -> String {
        h.as_ref()
            .and_then(|h| h.dev_name.clone())
            .unwrap_or_default()
    }

    /// `eth0` supports every section; `eth1` only link state and features.
    fn check(dev: &str) -> Result<(), ErrorReply> {
        match dev {
            "eth0" | "eth1" => Ok(()),
            _ => Err(ErrorReply::new(Errno::NODEV).msg("no device matches name")),
        }
    }

    fn features(dev: &str) -> Features {
        let active: &[u32] = if dev == "eth0" { &[0, 1, 3] } else { &[0] };
        Features {
            header: header(dev),
            hw: compact(&[0, 1, 3, 5]),
            wanted: compact(&[0, 3, 5]),
            active: compact(active),
            nochange: compact(&[4]),
        }
    }

    fn fake() -> FakeKernel {
        let fake = FakeKernel::new();
        fake.register(
            FamilySpec::<Ethtool>::new()
                .group("monitor")
                .on_do_attrs(1, |_, r: Strset| {
                    let string = NAMES
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| !n.is_empty())
                        .map(|(i, n)| StringAttrs {
                            index: Some(i as u32),
                            value: Some((*n).to_owned()),
                        })
                        .collect();
                    Ok(Reply::msg(Ethtool::StrsetGetReply(Strset {
                        header: r.header,
                        stringsets: Some(Stringsets {
                            stringset: vec![StringsetAttrs {
                                id: Some(4),
                                count: Some(6),
                                strings: vec![Strings { string }],
                            }],
                        }),
                        counts_only: false,
                    })))
                })
                .on_do_attrs(6, |_, r: Linkstate| {
                    let d = dev(&r.header);
                    check(&d)?;
                    Ok(Reply::msg(Ethtool::LinkstateGetReply(Linkstate {
                        link: Some(u8::from(d == "eth0")),
                        header: header(&d),
                        ..Linkstate::default()
                    })))
                })
                .on_do_attrs(4, |_, r: Linkmodes| {
                    let d = dev(&r.header);
                    check(&d)?;
                    if d != "eth0" {
                        return Err(ErrorReply::new(Errno::OPNOTSUPP).msg("no link modes here"));
                    }
                    Ok(Reply::msg(Ethtool::LinkmodesGetReply(Linkmodes {
                        header: header(&d),
                        autoneg: Some(1),
                        ours: verbose(
                            false,
                            8,
                            &[
                                (5, "1000baseT/Full", true),
                                (0, "10baseT/Half", false),
                                (1, "10baseT/Full", true),
                            ],
                        ),
                        peer: verbose(true, 8, &[(5, "1000baseT/Full", true)]),
                        speed: Some(1000),
                        duplex: Some(1),
                        ..Linkmodes::default()
                    })))
                })
                .on_do_attrs(2, |_, r: Linkinfo| {
                    let d = dev(&r.header);
                    check(&d)?;
                    if d != "eth0" {
                        return Err(ErrorReply::new(Errno::OPNOTSUPP));
                    }
                    Ok(Reply::msg(Ethtool::LinkinfoGetReply(Linkinfo {
                        header: header(&d),
                        port: Some(0),
                        phyaddr: Some(1),
                        tp_mdix: Some(3),
                        tp_mdix_ctrl: Some(3),
                        transceiver: Some(0),
                    })))
                })
                .on_do_attrs(11, |_, r: Features| {
                    let d = dev(&r.header);
                    check(&d)?;
                    Ok(Reply::msg(Ethtool::FeaturesGetReply(features(&d))))
                })
                .on_dump_attrs(11, |_, _: Features, out: &mut DumpOut<Ethtool>| {
                    for d in ["eth0", "eth1"] {
                        out.push(Ethtool::FeaturesGetReply(features(d)));
                    }
                    Ok(())
                })
                .on_do_attrs(12, |_, r: Features| {
                    // What the kernel did not take as asked (rx-checksum stays off) and what
                    // changed beyond the request (rx-gro went off too).
                    Ok(Reply::msg(Ethtool::FeaturesSetReply(Features {
                        header: header(&dev(&r.header)),
                        wanted: verbose(false, 6, &[(5, "rx-checksum", false)]),
                        active: verbose(
                            false,
                            6,
                            &[(3, "rx-gro", false), (0, "tx-scatter-gather", true)],
                        ),
                        ..Features::default()
                    })))
                })
                .on_do_attrs(17, |_, r: Channels| {
                    let d = dev(&r.header);
                    check(&d)?;
                    if d != "eth0" {
                        return Err(ErrorReply::new(Errno::OPNOTSUPP).msg("no channels"));
                    }
                    Ok(Reply::msg(Ethtool::ChannelsGetReply(Channels {
                        header: header(&d),
                        rx_max: Some(4),
                        rx_count: Some(0),
                        tx_max: Some(4),
                        tx_count: Some(2),
                        combined_max: Some(8),
                        combined_count: Some(2),
                        ..Channels::default()
                    })))
                }),
        )
        .unwrap();
        fake
    }

    #[test]
    fn settings() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        let (mut text, mut json) = (String::new(), String::new());
        for d in ["eth0", "eth1"] {
            text += &show::settings(&mut sock, d, false).unwrap();
            json += &show::settings(&mut sock, d, true).unwrap();
        }
        golden("ethtool-settings.txt", &text);
        golden("ethtool-settings.json", &json);
        // A device that does not exist: the kernel's error.
        let e = show::settings(&mut sock, "nosuch0", false).unwrap_err();
        golden("ethtool-settings-error.txt", &format!("{e}\n"));
    }

    #[test]
    fn features_and_set() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        let text = show::features(&mut sock, "eth0", false).unwrap()
            + &show::features(&mut sock, "eth1", false).unwrap();
        let json = show::features(&mut sock, "eth0", true).unwrap()
            + &show::features(&mut sock, "eth1", true).unwrap();
        golden("ethtool-features.txt", &text);
        golden("ethtool-features.json", &json);
        let changes = [("rx-checksum", true), ("rx-gro", false)];
        let text = show::set(&mut sock, "eth0", &changes, false).unwrap()
            + &show::set(&mut sock, "eth0", &changes, true).unwrap();
        golden("ethtool-set.txt", &text);
    }

    #[test]
    fn monitor() {
        let fake = fake();
        let mut sock = fake.connect().unwrap();
        sock.join::<example_families::ethtool::Ethtool>("monitor")
            .unwrap();
        let mut text_monitor = show::Monitor::load(&mut sock).unwrap();
        let mut json_monitor = show::Monitor::load(&mut sock).unwrap();
        let events = [
            // eth0: rx-gro off, rx-checksum on; eth1 unchanged; eth2 first seen.
            Ethtool::FeaturesNtf(Features {
                active: compact(&[0, 1, 5]),
                ..features("eth0")
            }),
            Ethtool::FeaturesNtf(features("eth1")),
            Ethtool::FeaturesNtf(features("eth2")),
            Ethtool::ChannelsNtf(Channels {
                header: header("eth0"),
                rx_count: Some(1),
                combined_count: Some(4),
                ..Channels::default()
            }),
            Ethtool::LinkinfoNtf(Linkinfo {
                header: header("eth1"),
                port: Some(0),
                ..Linkinfo::default()
            }),
        ];
        let (mut text, mut json) = (String::new(), String::new());
        for e in &events {
            assert_eq!(fake.notify("monitor", e).unwrap(), 1);
            let msg: example_families::ethtool::Ethtool = next_event(&mut sock);
            text += &text_monitor.event(&msg, false).unwrap();
            json += &json_monitor.event(&msg, true).unwrap();
        }
        golden("ethtool-monitor.txt", &text);
        golden("ethtool-monitor.json", &json);
    }
}
