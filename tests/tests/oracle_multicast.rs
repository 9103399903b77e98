//! Multicast notifications, live, each in a private network namespace made by the test on its
//! own thread: netdev `dev-add`/`dev-change`/`dev-del` on the `mgmt` group when iproute2
//! creates, raises and deletes a veth (ifindexes from `ip -j link`); ethtool `FEATURES_NTF`
//! on the `monitor` group when a feature is toggled, by us (`FEATURES_SET`) and by
//! `ethtool -K` (states checked with `ethtool -k`), and `CHANNELS_NTF` on `ethtool -L`; and the
//! mptcp_pm connection events of a loopback MPTCP connection, compared with `ip mptcp monitor`
//! and the sockets' own addresses.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddrV4, TcpListener, TcpStream};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use example_families::ethtool::{self, BitsetExt, Ethtool, header_of};
use example_families::mptcp::{self, MptcpEvent};
use example_families::netdev::{self, Netdev};
use netlink_genl::{GenlEvent, GenlMessage, GenlSocket};
use tests::{Reaped, in_private_netns, ip, run};

/// A socket that joined `group` of `T`'s family, with an event timeout so a missing event fails
/// the test instead of hanging it.
fn subscribed<T: GenlMessage>(group: &str) -> (GenlSocket, u32) {
    let mut sock = GenlSocket::new().unwrap();
    let id = sock.join::<T>(group).unwrap();
    sock.set_event_timeout(Some(Duration::from_secs(5)));
    (sock, id)
}

/// Receive events of `T` until `done` says so; panics after 10 s or on a receive error.
fn collect<T, F>(sock: &mut GenlSocket, mut done: F) -> Vec<GenlEvent<T>>
where
    T: GenlMessage + netlink_genl::GenlDecodeOwned + std::fmt::Debug,
    F: FnMut(&[GenlEvent<T>]) -> bool,
{
    let t0 = Instant::now();
    let mut got = Vec::new();
    while !done(&got) {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "timed out; got {got:?}"
        );
        match sock.recv_event::<T>() {
            Ok(ev) => got.push(ev),
            Err(e) => panic!("receiving events: {e}; got so far {got:?}"),
        }
    }
    got
}

#[test]
fn netdev_mgmt_events_follow_ip_link() {
    in_private_netns(|| {
        let (mut sock, group) = subscribed::<Netdev>(netdev::MGMT_GROUP);

        ip("link add veth0 type veth peer name veth1");
        let (v0, v1) = (tests::ifindex("veth0"), tests::ifindex("veth1"));
        let added = |evs: &[GenlEvent<Netdev>], i: u32| {
            evs.iter()
                .any(|e| matches!(&e.msg, Netdev::DevAddNtf(d) if d.ifindex == Some(i)))
        };
        let evs = collect(&mut sock, |evs| added(evs, v0) && added(evs, v1));
        for e in &evs {
            assert_eq!(e.group, group, "from the mgmt group");
            assert_eq!(e.header.seq, 0, "notifications carry no sequence number");
            assert_eq!(e.header.pid, 0, "from the kernel");
        }

        ip("link set veth0 up");
        let evs = collect(&mut sock, |evs| {
            evs.iter()
                .any(|e| matches!(&e.msg, Netdev::DevChangeNtf(d) if d.ifindex == Some(v0)))
        });
        assert!(
            evs.iter().all(|e| matches!(e.msg, Netdev::DevChangeNtf(_))),
            "{evs:?}"
        );
        // The notification carries the device's state: dev-get agrees.
        let last_v0 = evs
            .iter()
            .rev()
            .find_map(|e| match &e.msg {
                Netdev::DevChangeNtf(d) if d.ifindex == Some(v0) => Some(d.clone()),
                _ => None,
            })
            .unwrap();
        let mut query = GenlSocket::new().unwrap();
        assert_eq!(netdev::device(&mut query, v0).unwrap(), Some(last_v0));

        ip("link del veth0");
        let deleted = |evs: &[GenlEvent<Netdev>], i: u32| {
            evs.iter()
                .any(|e| matches!(&e.msg, Netdev::DevDelNtf(d) if d.ifindex == Some(i)))
        };
        collect(&mut sock, |evs| deleted(evs, v0) && deleted(evs, v1));
        // ip agrees that both are gone.
        let json = ip("-j link show");
        assert!(!json.contains("\"veth0\"") && !json.contains("\"veth1\""));
    });
}

/// `ethtool -k DEV`, the `on`/`off` of feature `name`.
fn ethtool_k_on(dev: &str, name: &str) -> bool {
    let out = run("ethtool", &["-k", dev]);
    let line = out
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix(&format!("{name}: "))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| panic!("{name} in ethtool -k"));
    line.starts_with("on")
}

/// The `FEATURES_NTF` events for `dev` in `evs`, with the active state of `feature`.
fn feature_ntfs(evs: &[GenlEvent<Ethtool>], names: &[String], feature: &str) -> Vec<bool> {
    evs.iter()
        .filter_map(|e| match &e.msg {
            Ethtool::FeaturesNtf(f) => {
                let bits = f.active.as_ref()?.bits(names).unwrap();
                bits.iter()
                    .find(|b| b.name.as_deref() == Some(feature))
                    .map(|b| b.set)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn ethtool_monitor_sees_feature_and_channel_changes() {
    in_private_netns(|| {
        ip("link add veth0 type veth peer name veth1");
        ip("link set veth0 up");
        let v0 = tests::ifindex("veth0");
        let (mut mon, group) = subscribed::<Ethtool>(ethtool::MONITOR_GROUP);
        let mut sock = GenlSocket::new().unwrap();
        let names = ethtool::feature_names(&mut sock, "veth0").unwrap();
        let feature = "tx-checksum-ip-generic";
        assert!(ethtool_k_on("veth0", feature));

        // Our FEATURES_SET.
        ethtool::set_features(&mut sock, "veth0", &[(feature, false)]).unwrap();
        let evs = collect(&mut mon, |evs| {
            !feature_ntfs(evs, &names, feature).is_empty()
        });
        assert_eq!(feature_ntfs(&evs, &names, feature), [false]);
        let ntf = evs
            .iter()
            .find(|e| matches!(e.msg, Ethtool::FeaturesNtf(_)))
            .unwrap();
        assert_eq!(ntf.group, group);
        let header = header_of(&ntf.msg).unwrap();
        assert_eq!(header.dev_index, Some(v0));
        assert_eq!(header.dev_name.as_deref(), Some("veth0"));
        // Notifications use compact bitsets.
        if let Ethtool::FeaturesNtf(f) = &ntf.msg {
            assert!(f.active.as_ref().unwrap().is_compact());
        }
        assert!(!ethtool_k_on("veth0", feature), "ethtool -k agrees");

        // ethtool -K.
        run("ethtool", &["-K", "veth0", feature, "on"]);
        let evs = collect(&mut mon, |evs| {
            !feature_ntfs(evs, &names, feature).is_empty()
        });
        assert_eq!(feature_ntfs(&evs, &names, feature), [true]);
        assert!(ethtool_k_on("veth0", feature));

        // ethtool -L: a CHANNELS_NTF with the new count.
        run("ethtool", &["-L", "veth0", "rx", "2"]);
        let evs = collect(&mut mon, |evs| {
            evs.iter().any(|e| matches!(e.msg, Ethtool::ChannelsNtf(_)))
        });
        let channels = evs
            .iter()
            .find_map(|e| match &e.msg {
                Ethtool::ChannelsNtf(c) => Some(c.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(channels.rx_count, Some(2));
        assert_eq!(
            ethtool::channels(&mut sock, "veth0").unwrap().rx_count,
            Some(2)
        );
        ip("link del veth0");
    });
}

/// An `IPPROTO_MPTCP` (262) TCP socket.
fn mptcp_fd() -> OwnedFd {
    // SAFETY: plain socket(2) call; the result is checked before use.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 262) };
    assert!(
        fd >= 0,
        "socket(IPPROTO_MPTCP): {}",
        std::io::Error::last_os_error()
    );
    // SAFETY: `fd` is a new descriptor that nothing else owns.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

fn sockaddr(a: SocketAddrV4) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: a.port().to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(*a.ip()).to_be(),
        },
        sin_zero: [0; 8],
    }
}

/// A loopback MPTCP connection: listen, connect, exchange a few bytes, close everything.
/// Returns (listener port, client port).
fn mptcp_connection() -> (u16, u16) {
    use std::os::fd::AsRawFd;
    let lfd = mptcp_fd();
    let sa = sockaddr("127.0.0.1:0".parse().unwrap());
    let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: `sa` is a valid sockaddr_in of `len` bytes; lfd is an open socket.
    let rc = unsafe { libc::bind(lfd.as_raw_fd(), (&raw const sa).cast(), len) };
    assert_eq!(rc, 0, "bind: {}", std::io::Error::last_os_error());
    // SAFETY: lfd is an open, bound socket.
    assert_eq!(unsafe { libc::listen(lfd.as_raw_fd(), 4) }, 0);
    let listener = TcpListener::from(lfd);
    let port = listener.local_addr().unwrap().port();

    let cfd = mptcp_fd();
    let sa = sockaddr(SocketAddrV4::new("127.0.0.1".parse().unwrap(), port));
    // SAFETY: as for bind.
    let rc = unsafe { libc::connect(cfd.as_raw_fd(), (&raw const sa).cast(), len) };
    assert_eq!(rc, 0, "connect: {}", std::io::Error::last_os_error());
    let mut client = TcpStream::from(cfd);
    let (mut server, _) = listener.accept().unwrap();
    let client_port = client.local_addr().unwrap().port();
    client.write_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    server.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");
    drop(client);
    drop(server);
    drop(listener);
    (port, client_port)
}

/// Whether an event belongs to the measured connection: a connection event with one of
/// `tokens`, or a listener event for port `lport`.
fn ours_event(e: &MptcpEvent, lport: u16, tokens: &[u32]) -> bool {
    let a = e.attrs();
    match e {
        MptcpEvent::ListenerCreated(_) | MptcpEvent::ListenerClosed(_) => a.sport == Some(lport),
        _ => a.token.is_some_and(|t| tokens.contains(&t)),
    }
}

#[test]
fn mptcp_events_of_a_loopback_connection() {
    in_private_netns(|| {
        ip("link set lo up");
        // The oracle: iproute2's monitor, line-buffered, in the same namespace. It subscribes
        // on its own time: make warm-up connections until it prints something.
        let mut monitor = Reaped::spawn(
            Command::new("stdbuf")
                .args(["-oL", "ip", "mptcp", "monitor"])
                .stdout(Stdio::piped()),
        );
        let stdout = monitor.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let ready = (0..20).any(|_| {
            mptcp_connection();
            lines.recv_timeout(Duration::from_millis(500)).is_ok()
        });
        assert!(ready, "ip mptcp monitor printed nothing");

        // The measured connection; events of the warm-ups are told apart by port and token.
        let (mut sock, group) = subscribed::<MptcpEvent>(mptcp::EVENTS_GROUP);
        let (lport, cport) = mptcp_connection();
        let tokens_of = |evs: &[GenlEvent<MptcpEvent>]| -> Vec<u32> {
            let mut t: Vec<u32> = evs
                .iter()
                .filter(|e| matches!(e.msg, MptcpEvent::Created(_)))
                .filter(|e| {
                    let a = e.msg.attrs();
                    a.sport == Some(lport) || a.dport == Some(lport)
                })
                .filter_map(|e| e.msg.attrs().token)
                .collect();
            t.sort_unstable();
            t
        };
        let evs = collect(&mut sock, |evs| {
            let tokens = tokens_of(evs);
            let mine = |f: fn(&MptcpEvent) -> bool| {
                evs.iter()
                    .filter(|e| f(&e.msg) && ours_event(&e.msg, lport, &tokens))
                    .count()
            };
            mine(|m| matches!(m, MptcpEvent::ListenerClosed(_))) == 1
                && mine(|m| matches!(m, MptcpEvent::Closed(_))) == 2
        });
        let tokens = tokens_of(&evs);
        assert_eq!(tokens.len(), 2, "{evs:?}");
        let evs: Vec<&GenlEvent<MptcpEvent>> = evs
            .iter()
            .filter(|e| ours_event(&e.msg, lport, &tokens))
            .collect();
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &evs {
            assert_eq!(e.group, group);
            *count.entry(e.msg.name()).or_default() += 1;
        }
        let want: BTreeMap<&str, usize> = [
            ("LISTENER_CREATED", 1),
            ("CREATED", 2),
            ("ESTABLISHED", 2),
            ("CLOSED", 2),
            ("LISTENER_CLOSED", 1),
        ]
        .into();
        assert_eq!(count, want, "{evs:?}");

        // Addresses and ports: the listener's, and both directions of the connection, as the
        // sockets themselves report them.
        let lc = evs
            .iter()
            .find(|e| matches!(e.msg, MptcpEvent::ListenerCreated(_)))
            .unwrap()
            .msg
            .attrs();
        assert_eq!(
            mptcp::ip_of(lc.saddr4, lc.saddr6.as_deref()),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(lc.family, Some(mptcp::AF_INET));
        let mut pairs: Vec<(u16, u16)> = evs
            .iter()
            .filter(|e| matches!(e.msg, MptcpEvent::Created(_)))
            .map(|e| (e.msg.attrs().sport.unwrap(), e.msg.attrs().dport.unwrap()))
            .collect();
        pairs.sort_unstable();
        let mut want = vec![(cport, lport), (lport, cport)];
        want.sort_unstable();
        assert_eq!(pairs, want);

        // iproute2 saw the same two connections (by token) created, established and closed.
        let t0 = Instant::now();
        let mut text: Vec<String> = Vec::new();
        let token_of = |l: &str| -> Option<u32> {
            let t = l.split("token=").nth(1)?.split_whitespace().next()?;
            u32::from_str_radix(t, 16).ok()
        };
        let closed = |text: &[String]| {
            text.iter()
                .filter(|l| {
                    l.contains(" CLOSED]") && token_of(l).is_some_and(|t| tokens.contains(&t))
                })
                .count()
        };
        while closed(&text) < 2 && t0.elapsed() < Duration::from_secs(10) {
            if let Ok(l) = lines.recv_timeout(Duration::from_millis(200)) {
                text.push(l);
            }
        }
        drop(monitor);
        reader.join().unwrap();
        for event in ["CREATED", "ESTABLISHED", "CLOSED"] {
            let mut theirs: Vec<u32> = text
                .iter()
                .filter(|l| l.contains(&format!(" {event}]")))
                .filter_map(|l| token_of(l))
                .filter(|t| tokens.contains(t))
                .collect();
            theirs.sort_unstable();
            assert_eq!(
                theirs,
                tokens,
                "{event} in ip mptcp monitor:\n{}",
                text.join("\n")
            );
        }
    });
}
