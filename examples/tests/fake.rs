//! The examples without a kernel: the `echo` and `ovs` programs (each its own fake kernel),
//! and the netdev
//! client code of the examples against a fake netdev family, which must hand back exactly the
//! typed values the fake served.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::{Command, Stdio};

use example_families::netdev::{
    self, Dev, Netdev, Queue, QueueType, XdpAct, XdpRxMetadata, XskFlags,
};
use netlink_genl::testing::{DumpOut, ErrorReply, FakeKernel, FamilySpec, Reply};
use netlink_genl::{Errno, Error};

#[test]
fn echo_runs_unprivileged_without_a_kernel_module() {
    let o = Command::new(env!("CARGO_BIN_EXE_echo"))
        .args(["ping", "--count", "2"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{:?}\n{out}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("family gennl_ins id 19 version 1, port "),
        "{out}"
    );
    assert_eq!(lines[1], "joined group said (2)");
    assert_eq!(lines[2], "echo: ping");
    assert_eq!(lines[3], "repeat #0: ping");
    assert_eq!(lines[4], "repeat #1: ping");
    assert_eq!(lines[5], "event on group 2: said \"ping\"");
    assert!(
        lines[6].starts_with("an empty echo: kernel error: EINVAL"),
        "{out}"
    );
    assert_eq!(lines.len(), 7, "{out}");
}

#[test]
fn ovs_creates_lists_and_deletes_a_datapath_and_a_vport_unprivileged() {
    let o = Command::new(env!("CARGO_BIN_EXE_ovs"))
        .args(["dp0", "--port", "vp1"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{:?}\n{out}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "family ovs_datapath id 19 version 2",
            "family ovs_vport id 20 version 1",
            "created datapath dp0 ifindex 11",
            "again: kernel error: EEXIST (17): File exists (attribute New.name)",
            "added vport vp1 port 1 (internal)",
            "datapath dp0 ifindex 11: hit 0 missed 0 lost 0 flows 0",
            "  port 0: dp0 (internal)",
            "  port 1: vp1 (internal)",
            "deleted vport vp1",
            "deleted datapath dp0",
            "no datapaths",
        ],
        "{out}"
    );
}

#[test]
fn echo_runs_as_nobody() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return; // already unprivileged: the test above is the proof
    }
    let Ok(o) = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_echo"))
        .args(["as nobody", "--count", "1"])
        .stdin(Stdio::null())
        .output()
    else {
        return; // no setpriv here
    };
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{:?}\n{out}", o.status);
    assert!(out.contains("echo: as nobody"), "{out}");
}

fn devs() -> Vec<Dev> {
    vec![
        Dev {
            ifindex: Some(1),
            xdp_features: Some(XdpAct(0)),
            xdp_rx_metadata_features: Some(XdpRxMetadata(0)),
            xsk_features: Some(XskFlags(0)),
            ..Dev::default()
        },
        Dev {
            ifindex: Some(7),
            xdp_features: Some(XdpAct(35)),
            xdp_rx_metadata_features: Some(XdpRxMetadata(7)),
            xsk_features: Some(XskFlags(0)),
            xdp_zc_max_segs: Some(1),
        },
    ]
}

fn queues() -> Vec<Queue> {
    [QueueType::Rx, QueueType::Tx]
        .into_iter()
        .map(|ty| Queue {
            id: Some(0),
            ifindex: Some(7),
            r#type: Some(ty),
            ..Queue::default()
        })
        .collect()
}

/// netdev as the kernel serves it (the parts the examples use), from the examples' own type.
fn fake_netdev() -> FakeKernel {
    let fake = FakeKernel::new();
    fake.register(
        FamilySpec::<Netdev>::new()
            .group("mgmt")
            .group("page-pool")
            .on_do(netdev::cmd::DEV_GET, |_, req| {
                let Netdev::DevGet(d) = req else {
                    return Err(Errno::INVAL.into());
                };
                devs()
                    .into_iter()
                    .find(|x| x.ifindex == d.ifindex)
                    .map(|x| Reply::msg(Netdev::DevGet(x)))
                    .ok_or_else(|| ErrorReply::new(Errno::NODEV).at_field("ifindex"))
            })
            .on_dump(netdev::cmd::DEV_GET, |_, _, out: &mut DumpOut<Netdev>| {
                devs().into_iter().for_each(|d| out.push(Netdev::DevGet(d)));
                Ok(())
            })
            .on_dump(
                netdev::cmd::QUEUE_GET,
                |_, req, out: &mut DumpOut<Netdev>| {
                    let Netdev::QueueGet(filter) = req else {
                        return Ok(());
                    };
                    for q in queues() {
                        if filter.ifindex.is_none() || filter.ifindex == q.ifindex {
                            out.push(Netdev::QueueGet(q));
                        }
                    }
                    Ok(())
                },
            )
            .on_dump(
                netdev::cmd::NAPI_GET,
                |_, _, _: &mut DumpOut<Netdev>| Ok(()),
            ),
    )
    .unwrap();
    fake
}

#[test]
fn the_netdev_client_gets_the_typed_values_the_fake_served() {
    let fake = fake_netdev();
    let mut sock = fake.connect().unwrap();
    assert_eq!(netdev::devices(&mut sock).unwrap(), devs());
    assert_eq!(
        netdev::device(&mut sock, 7).unwrap(),
        Some(devs()[1].clone())
    );
    assert_eq!(netdev::queues(&mut sock, None).unwrap(), queues());
    assert_eq!(netdev::queues(&mut sock, Some(1)).unwrap(), []);
    assert_eq!(netdev::napis(&mut sock, None).unwrap(), []);
    // An unknown device: the error, blamed on the field the client set.
    match netdev::device(&mut sock, 99) {
        Err(Error::Kernel(k)) => {
            assert_eq!(k.errno, Errno::NODEV);
            assert_eq!(k.attr_path.unwrap().to_string(), "DevGet.ifindex");
        }
        other => panic!("{other:?}"),
    }
    // Device notifications on mgmt.
    sock.join::<Netdev>(netdev::MGMT_GROUP).unwrap();
    let added = Netdev::DevAddNtf(devs()[1].clone());
    assert_eq!(fake.notify(netdev::MGMT_GROUP, &added).unwrap(), 1);
    assert_eq!(sock.recv_event::<Netdev>().unwrap().msg, added);
}
