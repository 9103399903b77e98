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
