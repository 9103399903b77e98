//! The mptcp_pm family (example_families::mptcp) against iproute2's `ip mptcp` on the same kernel:
//! endpoints added by us are listed by `ip mptcp endpoint show` and the other way round, by
//! id, with flags, ports and devices; flag changes, deletion and flush; limits both ways; and
//! kernel errors (duplicate endpoint, unknown id) with their message and attribute path.
//!
//! Endpoints and limits are per network namespace: every test makes its own private one (on its
//! own thread); nothing in the initial namespace is touched.

use std::collections::BTreeMap;
use std::net::IpAddr;

use example_families::mptcp::{self, Address, AddressExt, Endpoint, MptcpPm, flags};
use example_families::netdev::{if_index, if_name};
use netlink_genl::{Error, GenlSocket, KernelError};
use tests::{in_private_netns, ip};

/// One endpoint as `ip mptcp endpoint show` prints it:
/// `ADDR [port P] id N [signal] [subflow] [backup] [fullmesh] [dev NAME]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ep {
    addr: IpAddr,
    port: Option<u16>,
    id: u8,
    flags: u32,
    dev: Option<String>,
}

fn parse_ip_mptcp(text: &str) -> BTreeMap<u8, Ep> {
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut w = line.split_whitespace();
        let mut ep = Ep {
            addr: w.next().unwrap().parse().unwrap(),
            port: None,
            id: 0,
            flags: 0,
            dev: None,
        };
        while let Some(word) = w.next() {
            match word {
                "port" => ep.port = Some(w.next().unwrap().parse().unwrap()),
                "id" => ep.id = w.next().unwrap().parse().unwrap(),
                "dev" => ep.dev = Some(w.next().unwrap().to_owned()),
                f => ep.flags |= flags::by_name(f).unwrap_or_else(|| panic!("flag {f} in {line}")),
            }
        }
        out.insert(ep.id, ep);
    }
    out
}

fn theirs() -> BTreeMap<u8, Ep> {
    parse_ip_mptcp(&ip("mptcp endpoint show"))
}

fn ours(sock: &mut GenlSocket) -> BTreeMap<u8, Ep> {
    mptcp::endpoints(sock)
        .unwrap()
        .into_iter()
        .map(|a| {
            let ep = Ep {
                addr: a.addr().unwrap(),
                port: a.port.filter(|&p| p != 0),
                id: a.id.unwrap(),
                flags: a.flags.unwrap_or(0),
                dev: a
                    .if_idx
                    .filter(|&i| i > 0)
                    .map(|i| if_name(i as u32).unwrap()),
            };
            (ep.id, ep)
        })
        .collect()
}

fn kernel_error(e: Error) -> Box<KernelError> {
    match e {
        Error::Kernel(k) => k,
        other => panic!("expected a kernel error, got {other}"),
    }
}

/// lo up with 10.0.0.2 (so a `signal` endpoint with a port can listen), and a veth.
fn setup() {
    ip("link set lo up");
    ip("addr add 10.0.0.2/32 dev lo");
    ip("link add veth0 type veth peer name veth1");
}

#[test]
fn endpoints_match_ip_mptcp_both_ways() {
    in_private_netns(|| {
        setup();
        let mut sock = GenlSocket::new().unwrap();
        assert!(
            ours(&mut sock).is_empty() && theirs().is_empty(),
            "a fresh namespace"
        );

        // Ours → ip.
        mptcp::add_endpoint(
            &mut sock,
            &Address::ipv4("10.0.0.1".parse().unwrap(), flags::SUBFLOW),
        )
        .unwrap();
        let mut with_port =
            Address::ipv4("10.0.0.2".parse().unwrap(), flags::SIGNAL | flags::BACKUP);
        with_port.id = Some(7);
        with_port.port = Some(1234);
        mptcp::add_endpoint(&mut sock, &with_port).unwrap();
        let mut with_dev = Address::ipv4(
            "10.0.0.3".parse().unwrap(),
            flags::SUBFLOW | flags::FULLMESH,
        );
        with_dev.if_idx = Some(if_index("veth0").unwrap() as i32);
        mptcp::add_endpoint(&mut sock, &with_dev).unwrap();
        mptcp::add_endpoint(
            &mut sock,
            &Address::ip("fd00::1".parse().unwrap(), flags::SIGNAL),
        )
        .unwrap();

        let t = theirs();
        assert_eq!(ours(&mut sock), t);
        assert_eq!(t.len(), 4);
        assert_eq!(t[&7].port, Some(1234));
        // The kernel listens on that port for the signal endpoint (the port attribute is in
        // host order, whatever older YNL specs said): ss sees the listener.
        let ss = tests::run("ss", &["-ltnH"]);
        assert!(ss.contains("10.0.0.2:1234 "), "ss -ltn:\n{ss}");
        assert_eq!(t[&7].flags, flags::SIGNAL | flags::BACKUP);
        let by_addr = |a: &str| {
            t.values()
                .find(|e| e.addr == a.parse::<IpAddr>().unwrap())
                .unwrap()
        };
        assert_eq!(by_addr("10.0.0.3").dev.as_deref(), Some("veth0"));
        assert_eq!(by_addr("fd00::1").flags, flags::SIGNAL);

        // ip → ours, by dump and by id (GET_ADDR do).
        ip("mptcp endpoint add 10.0.0.9 id 20 subflow backup dev veth1");
        let t = theirs();
        assert_eq!(ours(&mut sock), t);
        let got = mptcp::endpoint(&mut sock, 20).unwrap();
        assert_eq!(got.addr(), Some("10.0.0.9".parse().unwrap()));
        assert_eq!(got.flags, Some(flags::SUBFLOW | flags::BACKUP));
        assert_eq!(got.if_idx, Some(if_index("veth1").unwrap() as i32));
        assert_eq!(got.family, Some(mptcp::AF_INET));

        // Flags: ours → ip (backup on 20 off, fullmesh stays off), ip → ours.
        mptcp::set_flags(&mut sock, 20, 0).unwrap();
        assert_eq!(theirs()[&20].flags, flags::SUBFLOW);
        ip("mptcp endpoint change id 20 backup");
        assert_eq!(
            mptcp::endpoint(&mut sock, 20).unwrap().flags,
            Some(flags::SUBFLOW | flags::BACKUP)
        );
        assert_eq!(ours(&mut sock), theirs());

        // Delete: ours → ip, ip → ours.
        mptcp::delete_endpoint(&mut sock, 7).unwrap();
        assert!(!theirs().contains_key(&7));
        ip("mptcp endpoint delete id 20");
        let o = ours(&mut sock);
        assert!(!o.contains_key(&20));
        assert_eq!(o, theirs());
        assert_eq!(o.len(), 3);

        // Flush.
        mptcp::flush(&mut sock).unwrap();
        assert!(theirs().is_empty());
        assert!(ours(&mut sock).is_empty());
        ip("link del veth0");
    });
}

/// `ip mptcp limits show`: `add_addr_accepted N subflows M`.
fn ip_limits() -> mptcp::Limits {
    let text = ip("mptcp limits show");
    let w: Vec<&str> = text.split_whitespace().collect();
    let get = |k: &str| -> u32 {
        let i = w
            .iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("{k} in {text}"));
        w[i + 1].parse().unwrap()
    };
    mptcp::Limits {
        add_addr_accepted: get("add_addr_accepted"),
        subflows: get("subflows"),
    }
}

#[test]
fn limits_match_ip_mptcp_both_ways() {
    in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        assert_eq!(mptcp::limits(&mut sock).unwrap(), ip_limits(), "defaults");

        mptcp::set_limits(&mut sock, Some(3), Some(5)).unwrap();
        assert_eq!(
            ip_limits(),
            mptcp::Limits {
                add_addr_accepted: 3,
                subflows: 5
            }
        );
        // One limit at a time leaves the other alone.
        mptcp::set_limits(&mut sock, None, Some(1)).unwrap();
        assert_eq!(
            ip_limits(),
            mptcp::Limits {
                add_addr_accepted: 3,
                subflows: 1
            }
        );

        ip("mptcp limits set add_addr_accepted 7 subflows 2");
        assert_eq!(
            mptcp::limits(&mut sock).unwrap(),
            mptcp::Limits {
                add_addr_accepted: 7,
                subflows: 2
            }
        );

        // Out of range (the kernel's maximum is 8): refused, and unchanged.
        let err = kernel_error(mptcp::set_limits(&mut sock, Some(100), None).unwrap_err());
        assert_eq!(err.errno_name(), Some("EINVAL"));
        assert_eq!(ip_limits().add_addr_accepted, 7);
    });
}

#[test]
fn errors_carry_errno_message_and_attribute_path() {
    in_private_netns(|| {
        setup();
        let mut sock = GenlSocket::new().unwrap();
        let a = Address::ipv4("10.0.0.1".parse().unwrap(), flags::SUBFLOW);
        mptcp::add_endpoint(&mut sock, &a).unwrap();

        // A duplicate: EEXIST, and ip refuses it too.
        let err = kernel_error(mptcp::add_endpoint(&mut sock, &a).unwrap_err());
        assert_eq!(
            (err.errno.raw_os_error(), err.errno_name()),
            (17, Some("EEXIST"))
        );
        assert!(
            err.msg.as_deref().unwrap().contains("duplicate"),
            "{:?}",
            err.msg
        );
        let out = std::process::Command::new("ip")
            .args(["mptcp", "endpoint", "add", "10.0.0.1", "subflow"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert_eq!(theirs().len(), 1);

        // An unknown id: EINVAL "address not found" at the address nest.
        let err = kernel_error(mptcp::delete_endpoint(&mut sock, 99).unwrap_err());
        assert_eq!(err.errno_name(), Some("EINVAL"));
        assert_eq!(err.msg.as_deref(), Some("address not found"));
        assert_eq!(err.attr_path.as_ref().unwrap().to_string(), "DelAddr.addr");
        let err = kernel_error(mptcp::endpoint(&mut sock, 99).unwrap_err());
        assert_eq!(err.attr_path.as_ref().unwrap().to_string(), "GetAddr.addr");

        // DEL_ADDR names an endpoint by id alone; with a family the kernel wants the address.
        let req = MptcpPm::DelAddr(Endpoint {
            addr: Some(Address {
                family: Some(mptcp::AF_INET),
                ..Address::by_id(1)
            }),
        });
        let err = kernel_error(sock.ack(&req).unwrap_err());
        assert_eq!(err.errno_name(), Some("EINVAL"));
        assert_eq!(err.msg.as_deref(), Some("missing address data"));
        // Nothing was deleted.
        assert_eq!(ours(&mut sock), theirs());
        assert_eq!(theirs().len(), 1);
        ip("link del veth0");
    });
}
