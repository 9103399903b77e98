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
