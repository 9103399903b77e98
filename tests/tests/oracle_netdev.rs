//! The netdev family (example_families::netdev) against iproute2 and sysfs on the same kernel: the
//! device list (`ip -j link`), XDP features as devices go up and down, queues
//! (`/sys/class/net/DEV/queues` of a sysfs mounted in the namespace, and `ip -d link`'s queue
//! counts), NAPI instances after `ethtool -K gro on`, and errors.
//!
//! Every test makes its own private network namespace (on its own thread); nothing in the
//! initial namespace is touched.

use std::collections::BTreeSet;

use example_families::netdev::{self, Dev, Netdev, QueueType, xdp_act_names};
use netlink_genl::{Error, GenlSocket};
use tests::{in_private_netns, ip, run};

/// One device of `ip -j link show`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IpLink {
    ifindex: u32,
    ifname: String,
    up: bool,
}

/// `ip -j link show`, parsed without a JSON library: each device object starts with
/// `{"ifindex":N`, has `"ifname":"NAME"` and a `"flags":[...]` list.
fn ip_links() -> Vec<IpLink> {
    let json = ip("-j link show");
    json.split("{\"ifindex\":")
        .skip(1)
        .map(|obj| {
            let digits: String = obj.chars().take_while(char::is_ascii_digit).collect();
            let name_at = obj.find("\"ifname\":\"").expect("ifname") + "\"ifname\":\"".len();
            let ifname = obj[name_at..].split('"').next().unwrap().to_owned();
            let flags_at = obj.find("\"flags\":[").expect("flags");
            let flags = obj[flags_at..].split(']').next().unwrap();
            IpLink {
                ifindex: digits.parse().unwrap(),
                ifname,
                up: flags.contains("\"UP\""),
            }
        })
        .collect()
}

/// The queue directories (`rx-0`, `tx-1`, ...) of `dev` in this namespace's sysfs: a sysfs
/// mounted in a private mount namespace of a child process (the test's own mounts show the
/// initial namespace's devices).
fn sysfs_queues(dev: &str) -> BTreeSet<String> {
    let script = format!("mount -t sysfs sysfs /sys && ls /sys/class/net/{dev}/queues");
    run("unshare", &["-m", "sh", "-c", &script])
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// `num_tx_queues` and `num_rx_queues` of `ip -j -d link show dev DEV`.
fn ip_queue_counts(dev: &str) -> (u32, u32) {
    let json = ip(&format!("-j -d link show dev {dev}"));
    let num = |key: &str| -> u32 {
        let at = json.find(key).unwrap_or_else(|| panic!("{key} in {json}")) + key.len();
        json[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    (num("\"num_tx_queues\":"), num("\"num_rx_queues\":"))
}

fn our_queue_names(sock: &mut GenlSocket, ifindex: u32) -> BTreeSet<String> {
    netdev::queues(sock, Some(ifindex))
        .unwrap()
        .into_iter()
        .map(|q| {
            assert_eq!(q.ifindex, Some(ifindex), "dump filtered by ifindex");
            let ty = match q.r#type.unwrap() {
                QueueType::Rx => "rx",
                QueueType::Tx => "tx",
                other => panic!("queue type {other:?}"),
            };
            format!("{ty}-{}", q.id.unwrap())
        })
        .collect()
}

#[test]
fn devices_match_ip_link() {
    in_private_netns(|| {
        ip("link set lo up");
        ip("link add veth0 type veth peer name veth1");
        ip("link add br0 type bridge");
        ip("link set veth0 up");
        ip("link set veth1 up");
        let mut sock = GenlSocket::new().unwrap();

        let ours = netdev::devices(&mut sock).unwrap();
        let theirs = ip_links();
        let our_ids: BTreeSet<u32> = ours.iter().map(|d| d.ifindex.unwrap()).collect();
        let their_ids: BTreeSet<u32> = theirs.iter().map(|l| l.ifindex).collect();
        assert_eq!(our_ids, their_ids, "dev-get dump vs ip -j link");
        assert_eq!(theirs.len(), 4, "lo, veth pair, bridge");

        for l in &theirs {
            // The same device by ifindex (do), and its name as iproute2 prints it.
            let d = netdev::device(&mut sock, l.ifindex).unwrap().unwrap();
            assert!(ours.contains(&d), "do and dump agree for {}", l.ifname);
            assert_eq!(
                netdev::if_name(l.ifindex).as_deref(),
                Some(l.ifname.as_str())
            );
            let names = xdp_act_names(d.xdp_features.unwrap().0);
            match l.ifname.as_str() {
                "lo" => assert!(names.is_empty(), "lo: {names:?}"),
                "veth0" | "veth1" => {
                    assert!(l.up);
                    assert_eq!(names, ["basic", "redirect", "rx-sg"], "{}", l.ifname);
                    assert_eq!(
                        netdev::xdp_rx_metadata_names(d.xdp_rx_metadata_features.unwrap().0),
                        ["timestamp", "hash", "vlan-tag"]
                    );
                }
                _ => {}
            }
        }

        // A veth takes XDP frames only when its peer has no more tx queues than it has rx
        // queues: with veth2 (1 rx) and veth3 (2 tx), veth2 advertises nothing, veth3 does.
        ip(
            "link add veth2 numtxqueues 1 numrxqueues 1 type veth peer name veth3 numtxqueues 2 numrxqueues 2",
        );
        let links = ip_links();
        for (dev, peer) in [("veth2", "veth3"), ("veth3", "veth2")] {
            let i = links.iter().find(|l| l.ifname == dev).unwrap().ifindex;
            let (_, rx) = ip_queue_counts(dev);
            let (peer_tx, _) = ip_queue_counts(peer);
            let d = netdev::device(&mut sock, i).unwrap().unwrap();
            let names = xdp_act_names(d.xdp_features.unwrap().0);
            if peer_tx <= rx {
                assert_eq!(names, ["basic", "redirect", "rx-sg"], "{dev}");
            } else {
                assert!(names.is_empty(), "{dev}: {names:?}");
            }
        }
        ip("link del veth2");

        // A deleted device disappears from both lists.
        ip("link del br0");
        let ours: BTreeSet<u32> = netdev::devices(&mut sock)
            .unwrap()
            .iter()
            .map(|d| d.ifindex.unwrap())
            .collect();
        let theirs: BTreeSet<u32> = ip_links().iter().map(|l| l.ifindex).collect();
        assert_eq!(ours, theirs);
        assert_eq!(ours.len(), 3);
        ip("link del veth0");
    });
}

#[test]
fn queues_match_sysfs() {
    in_private_netns(|| {
        ip("link set lo up");
        ip("link add veth0 numtxqueues 3 numrxqueues 2 type veth peer name veth1");
        ip("link set veth0 up");
        let mut sock = GenlSocket::new().unwrap();
        let links = ip_links();
        let idx = |name: &str| links.iter().find(|l| l.ifname == name).unwrap().ifindex;

        for dev in ["lo", "veth0"] {
            let ours = our_queue_names(&mut sock, idx(dev));
            let theirs = sysfs_queues(dev);
            assert_eq!(ours, theirs, "{dev}: queue-get vs sysfs");
            let (tx, rx) = ip_queue_counts(dev);
            let count = |p: &str| ours.iter().filter(|q| q.starts_with(p)).count() as u32;
            assert_eq!((count("tx-"), count("rx-")), (tx, rx), "{dev}: ip -d link");
        }
        assert_eq!(our_queue_names(&mut sock, idx("veth0")).len(), 5);

        // The kernel lists queues of running devices only: veth1 is down, its sysfs
        // directory is not empty.
        assert!(our_queue_names(&mut sock, idx("veth1")).is_empty());
        assert!(!sysfs_queues("veth1").is_empty());

        // The unfiltered dump has each device's queues.
        let all = netdev::queues(&mut sock, None).unwrap();
        assert_eq!(all.len(), 2 + 5);
        ip("link del veth0");
    });
}

#[test]
fn napi_instances_follow_gro() {
    in_private_netns(|| {
        ip("link add veth0 numtxqueues 2 numrxqueues 2 type veth peer name veth1");
        ip("link set veth0 up");
        ip("link set veth1 up");
        let mut sock = GenlSocket::new().unwrap();
        let veth0 = tests::ifindex("veth0");
        assert!(netdev::napis(&mut sock, Some(veth0)).unwrap().is_empty());

        run("ethtool", &["-K", "veth0", "gro", "on"]);
        let napis = netdev::napis(&mut sock, Some(veth0)).unwrap();
        let rx_queues = sysfs_queues("veth0")
            .iter()
            .filter(|q| q.starts_with("rx-"))
            .count();
        assert_eq!(napis.len(), rx_queues, "one NAPI per rx queue: {napis:?}");
        for n in &napis {
            assert_eq!(n.ifindex, Some(veth0));
            // napi-get do by id returns the same instance.
            let req = Netdev::NapiGet(netdev::Napi {
                id: n.id,
                ..Default::default()
            });
            assert_eq!(sock.request(&req).unwrap(), Netdev::NapiGet(n.clone()));
        }

        run("ethtool", &["-K", "veth0", "gro", "off"]);
        assert!(netdev::napis(&mut sock, Some(veth0)).unwrap().is_empty());
        ip("link del veth0");
    });
}

#[test]
fn errors_carry_errno_message_and_attribute_path() {
    in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        // IFINDEX 0 fails the policy (min 1): ERANGE at DevGet.ifindex.
        let req = Netdev::DevGet(Dev {
            ifindex: Some(0),
            ..Dev::default()
        });
        let Error::Kernel(k) = sock.request(&req).unwrap_err() else {
            panic!("kernel error expected")
        };
        assert_eq!(
            (k.errno.raw_os_error(), k.errno_name()),
            (34, Some("ERANGE"))
        );
        assert_eq!(k.msg.as_deref(), Some("integer out of range"));
        assert_eq!(k.attr_path.as_ref().unwrap().to_string(), "DevGet.ifindex");
        assert_eq!(k.policy.and_then(|p| p.min_value_u), Some(1));

        // A device that does not exist (ip agrees): ENODEV.
        let missing = 4242;
        assert!(ip_links().iter().all(|l| l.ifindex != missing));
        let Error::Kernel(k) = netdev::device(&mut sock, missing).unwrap_err() else {
            panic!("kernel error expected")
        };
        assert_eq!(k.errno_name(), Some("ENODEV"));
    });
}
