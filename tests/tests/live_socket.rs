//! The socket against the kernel: what is accepted as a reply and what is dropped and counted,
//! datagrams larger than the buffer, NLM_F_DUMP_INTR, notifications met during a request,
//! multicast groups joined by name, non-blocking use, socket options, and another protocol
//! (NETLINK_ROUTE) through the same request patterns.
//!
//! Everything that changes kernel state (devices, addresses) runs in a private network
//! namespace created by the test's own thread (`tests::in_private_netns`).

use example_families::netdev::Netdev;
use std::os::fd::AsRawFd;
use std::time::Duration;

use netlink_genl::GenlSocket;
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl_core::Error;
use netlink_genl_core::consts::{
    NLM_F_ACK, NLM_F_CAPPED, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR,
    protocol,
};
use netlink_genl_core::header::NlMsgHdr;
use netlink_genl_core::message::{MessageIter, build_message};
use netlink_genl_core::request::{RawRequest, answer_messages};
use netlink_genl_core::socket::NlSocket;
use tests::{ifindex, in_private_netns, ip};
use zerocopy::IntoBytes;

fn nlctrl_request(sock: &mut GenlSocket) -> Family {
    match sock
        .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
        .unwrap()
    {
        Ctrl::NewFamily(f) => f,
        other => panic!("unexpected {other:?}"),
    }
}

/// An `NLMSG_ERROR` message as the kernel would send it to `port` for request `seq`.
fn fake_error(seq: u32, port: u32, errno: i32) -> Vec<u8> {
    let mut buf = Vec::new();
    let request = NlMsgHdr {
        len: 20,
        ty: 0x10,
        flags: NLM_F_REQUEST | NLM_F_ACK,
        seq,
        pid: port,
    };
    build_message(&mut buf, NLMSG_ERROR, NLM_F_CAPPED, seq, port, 20, |w| {
        w.put_bytes(&(-errno).to_ne_bytes())?;
        w.put_bytes(request.as_bytes())
    })
    .unwrap();
    buf
}

#[test]
fn a_datagram_from_another_socket_is_never_a_reply_and_is_counted() {
    let mut sock = GenlSocket::new().unwrap();
    let mut spoofer = NlSocket::new(protocol::GENERIC).unwrap();
    let port = sock.socket().port_id();
    let next = sock.socket().last_seq() + 1;

    // A forged error and a forged ACK for the very request we are about to send: right
    // sequence number, right port id in the header, but sent by a user socket (port != 0).
    spoofer
        .send_raw_to(port, &fake_error(next, port, libc::ENOENT))
        .unwrap();
    spoofer
        .send_raw_to(port, &fake_error(next, port, 0))
        .unwrap();

    let f = nlctrl_request(&mut sock);
    assert_eq!(f.id, Some(0x10), "the kernel's answer, not the forgery");
    assert_eq!(sock.socket().last_seq(), next);
    let stats = sock.socket().stats();
    assert_eq!(stats.foreign_sender, 2);
    assert_eq!(stats.foreign_seq, 0);

    // Nor is it an event: a forged notification (seq 0) is dropped too.
    spoofer.send_raw_to(port, &fake_error(0, port, 0)).unwrap();
    sock.set_event_timeout(Some(Duration::from_millis(100)));
    match sock.recv_view() {
        Err(Error::Timeout(_)) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(sock.socket().stats().foreign_sender, 3);
}

#[test]
fn a_reply_with_a_foreign_sequence_number_is_skipped_and_counted() {
    let mut sock = GenlSocket::new().unwrap();
    let port = sock.socket().port_id();
    // A GETFAMILY request with sequence number 999, sent by hand and never read: the kernel's
    // reply (seq 999) waits in the socket ahead of the next request's.
    let mut raw = Vec::new();
    build_message(&mut raw, 0x10, NLM_F_REQUEST, 999, port, 20, |w| {
        w.put_bytes(&[3, 2, 0, 0])?;
        w.put_value(2, "nlctrl")
    })
    .unwrap();
    sock.socket_mut().send_raw(&raw).unwrap();

    let f = nlctrl_request(&mut sock);
    assert_eq!(f.name.as_deref(), Some("nlctrl"));
    let stats = sock.socket().stats();
    assert_eq!(stats.foreign_seq, 1, "the stale reply");
    assert_eq!(stats.foreign_sender, 0);
    assert_eq!(
        sock.socket().queued_notifications(),
        0,
        "not mistaken for an event"
    );
}

#[test]
fn replies_larger_than_the_read_buffer_are_received_whole() {
    // Reference: a socket with the default 128 KiB buffer.
    let mut big = GenlSocket::new().unwrap();
    let expected = big.policy("ethtool", None).unwrap();
    assert_eq!(expected.messages, 260);
    assert_eq!(big.socket().stats().buffer_grows, 0);

    let mut raw = NlSocket::new(protocol::GENERIC).unwrap();
    raw.set_read_buffer_len(512);
    assert_eq!(raw.read_buffer_len(), 512);
    let mut small = GenlSocket::from_socket(raw);

    // A do reply over 512 bytes (GETFAMILY ethtool is ~1 KB) ...
    let ethtool = small.refresh_family("ethtool").unwrap().clone();
    assert_eq!(&ethtool, big.family("ethtool").unwrap());
    assert!(small.socket().stats().buffer_grows >= 1);

    // ... and the 16 KB GETPOLICY dump, in datagrams of several KB.
    let got = small.policy("ethtool", None).unwrap();
    assert_eq!(got, expected);
    assert!(small.socket().read_buffer_len() > 1024);
    let stats = small.socket().stats();
    assert_eq!((stats.foreign_seq, stats.foreign_sender), (0, 0));
}

#[test]
fn a_read_buffer_under_the_kernels_dump_bound_sizes_every_datagram() {
    // Peek sizing off, but 512 bytes is less than a dump datagram may be: the socket sizes
    // them anyway, and nothing is lost.
    let mut raw = NlSocket::new(protocol::GENERIC).unwrap();
    raw.set_read_buffer_len(512);
    raw.set_peek_sizing(false);
    let mut sock = GenlSocket::from_socket(raw);
    let dump = sock.policy("ethtool", None).unwrap();
    assert_eq!(dump.messages, 260);
    assert_eq!(sock.socket().stats().truncated, 0);
    assert!(sock.socket().read_buffer_len() > 512);
}

// --- NETLINK_ROUTE helpers: enough rtnetlink to add addresses and dump them. ---

const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
const RTM_GETLINK: u16 = 18;
const NLM_F_CREATE: u16 = 0x400;
const NLM_F_EXCL: u16 = 0x200;

/// RTM_NEWADDR payload: `struct ifaddrmsg` + IFA_LOCAL + IFA_ADDRESS.
fn ifaddr(index: u32, addr: [u8; 4]) -> Vec<u8> {
    let mut p = vec![libc::AF_INET as u8, 32, 0, 0];
    p.extend_from_slice(&index.to_ne_bytes());
    for ty in [2u16, 1] {
        p.extend_from_slice(&8u16.to_ne_bytes());
        p.extend_from_slice(&ty.to_ne_bytes());
        p.extend_from_slice(&addr);
    }
    p
}

fn add_addr(rt: &mut NlSocket, index: u32, addr: [u8; 4]) {
    rt.ack(
        &RawRequest::new(RTM_NEWADDR, &ifaddr(index, addr)),
        NLM_F_CREATE | NLM_F_EXCL,
    )
    .unwrap();
}

#[test]
fn route_protocol_through_the_same_request_patterns() {
    in_private_netns(|| {
        ip("link add rv0 type veth peer name rv1");
        let mut rt = NlSocket::new(protocol::ROUTE).unwrap();
        // RTM_GETLINK dump: one message per device, as `ip link` sees them.
        let mut indexes = Vec::new();
        let summary = rt
            .dump(&RawRequest::new(RTM_GETLINK, &[0u8; 16]), 0, |m| {
                let p = m.payload();
                indexes.push(u32::from_ne_bytes([p[4], p[5], p[6], p[7]]));
                Ok(())
            })
            .unwrap();
        indexes.sort_unstable();
        let mut expected = vec![ifindex("lo"), ifindex("rv0"), ifindex("rv1")];
        expected.sort_unstable();
        assert_eq!(indexes, expected);
        assert_eq!(summary.messages, 3);

        // A request with ACK, and its duplicate's kernel error (-EEXIST).
        let lo = ifindex("lo");
        add_addr(&mut rt, lo, [10, 9, 8, 7]);
        let err = rt
            .ack(
                &RawRequest::new(RTM_NEWADDR, &ifaddr(lo, [10, 9, 8, 7])),
                NLM_F_CREATE | NLM_F_EXCL,
            )
            .unwrap_err();
        match err {
            Error::Kernel(k) => assert_eq!(k.errno, netlink_genl_core::Errno::EXIST),
            other => panic!("{other}"),
        }
        assert!(ip("-4 addr show dev lo").contains("10.9.8.7/32"));
    });
}

#[test]
fn dump_interrupted_by_a_change_is_surfaced() {
    in_private_netns(|| {
        let mut rt = NlSocket::new(protocol::ROUTE).unwrap();
        let lo = ifindex("lo");
        for i in 0..200u32 {
            add_addr(&mut rt, lo, [10, 1, (i / 250) as u8, (i % 250 + 1) as u8]);
        }
        // A small buffer keeps the kernel's dump datagrams small: the dump takes several
        // rounds, and the address table changes between two of them.
        let mut dumper = NlSocket::new(protocol::ROUTE).unwrap();
        dumper.set_read_buffer_len(2048);
        let req = [libc::AF_INET as u8, 0, 0, 0, 0, 0, 0, 0];
        let mut ex = dumper
            .start_dump(&RawRequest::new(RTM_GETADDR, &req), 0)
            .unwrap();
        let mut messages = 0;
        let mut flagged = 0;
        let mut changed = false;
        while let Some(m) = dumper.next_reply(&mut ex).unwrap() {
            messages += 1;
            if m.is_dump_interrupted() {
                flagged += 1;
            }
            if !changed {
                add_addr(&mut rt, lo, [10, 2, 0, 1]);
                changed = true;
            }
        }
        assert!(ex.is_done());
        assert!(messages >= 200, "{messages} addresses dumped");
        assert!(
            flagged >= 1,
            "the kernel flags the dump inconsistent ({messages} messages)"
        );
        assert!(ex.interrupted(), "and the exchange reports it");
        assert!(ex.summary().interrupted);

        // A retry after the change is consistent.
        let again = dumper
            .dump(&RawRequest::new(RTM_GETADDR, &req), 0, |_| Ok(()))
            .unwrap();
        assert!(!again.interrupted);
        assert_eq!(again.messages, 200 + 1, "(lo is down: no 127.0.0.1)");
    });
}

#[test]
fn dump_interrupted_flag_at_the_parsing_level() {
    // A crafted dump: two data messages, the second flagged NLM_F_DUMP_INTR, then DONE.
    let mut buf = Vec::new();
    build_message(&mut buf, 0x10, NLM_F_MULTI, 5, 1, 4, |w| {
        w.put_bytes(&[1, 2, 0, 0])
    })
    .unwrap();
    build_message(
        &mut buf,
        0x10,
        NLM_F_MULTI | NLM_F_DUMP_INTR,
        5,
        1,
        4,
        |w| w.put_bytes(&[1, 2, 0, 0]),
    )
    .unwrap();
    build_message(&mut buf, NLMSG_DONE, NLM_F_MULTI, 5, 1, 4, |w| {
        w.put_bytes(&0i32.to_ne_bytes())
    })
    .unwrap();
    let msgs: Vec<_> = MessageIter::new(&buf).map(Result::unwrap).collect();
    assert_eq!(msgs.len(), 3);
    assert!(!msgs[0].is_dump_interrupted());
    assert!(msgs[1].is_dump_interrupted());
    let mut dump = answer_messages(&buf, true);
    assert_eq!(dump.by_ref().map(Result::unwrap).count(), 2);
    assert!(dump.is_complete() && dump.interrupted());
    // A DONE ahead of a request's ACK does not end it.
    let mut request = answer_messages(&buf, false);
    assert_eq!(request.by_ref().map(Result::unwrap).count(), 2);
    assert!(!request.is_complete());

    // DONE carrying an errno is the kernel's error.
    let mut done = Vec::new();
    build_message(&mut done, NLMSG_DONE, NLM_F_MULTI, 5, 1, 4, |w| {
        w.put_bytes(&(-libc::ENODEV).to_ne_bytes())
    })
    .unwrap();
    match answer_messages(&done, true).next().unwrap() {
        Err(Error::Kernel(k)) => assert_eq!(k.errno, netlink_genl_core::Errno::NODEV),
        other => panic!("{other:?}"),
    }
}

// netdev (its `mgmt` notifications): the example's declarations, `example_families::netdev`.

#[test]
fn notifications_arriving_during_a_request_are_queued_not_lost() {
    in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        let mgmt = sock.join::<Netdev>("mgmt").unwrap();
        // Two dev-add notifications are delivered to the socket while `ip` runs ...
        ip("link add qv0 type veth peer name qv1");
        // ... so the next request's reply comes after them.
        let f = nlctrl_request(&mut sock);
        assert_eq!(f.id, Some(0x10));
        // Creating a veth pair notifies dev-add for both ends, then dev-change as each gets
        // its XDP features: all of it waits in the queue.
        let queued = sock.socket().queued_notifications();
        assert!(queued >= 2, "{queued} queued");
        assert_eq!(sock.socket().stats().queued, queued as u64);

        let mut added = Vec::new();
        for _ in 0..queued {
            let ev = sock.recv_event::<Netdev>().unwrap();
            assert_eq!(ev.group, mgmt);
            assert_eq!(ev.header.seq, 0);
            match ev.msg {
                Netdev::DevAddNtf(dev) => added.push(dev.ifindex.unwrap()),
                Netdev::DevChangeNtf(_) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        added.sort_unstable();
        let mut expected = vec![ifindex("qv0"), ifindex("qv1")];
        expected.sort_unstable();
        assert_eq!(added, expected);
        assert_eq!(sock.socket().queued_notifications(), 0);
    });
}

/// Every event until nothing arrives for `quiet`.
fn drain_events(sock: &mut GenlSocket, quiet: Duration) -> Vec<Netdev> {
    sock.set_event_timeout(Some(quiet));
    let mut out = Vec::new();
    loop {
        match sock.recv_event::<Netdev>() {
            Ok(ev) => out.push(ev.msg),
            Err(Error::Timeout(_)) => return out,
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn an_overrun_during_a_dump_does_not_break_it_and_is_reported_to_the_event_reader() {
    in_private_netns(|| {
        let expected = GenlSocket::new().unwrap().policy("ethtool", None).unwrap();

        let mut raw = NlSocket::new(protocol::GENERIC).unwrap();
        // Small reads keep the kernel's dump datagrams small: the 16 KB dump takes rounds.
        raw.set_read_buffer_len(4096);
        // Room for a dump datagram, not for a burst of notifications.
        raw.set_recv_buffer_size(16 * 1024).unwrap();
        let mut sock = GenlSocket::from_socket(raw);
        sock.join::<Netdev>("mgmt").unwrap();
        let req = Ctrl::GetPolicy(Family::by_name("ethtool"));
        let r = sock.prepare(&req).unwrap();
        let mut ex = sock.socket_mut().start_dump(&r, 0).unwrap();
        let mut dump = netlink_genl::ctrl::PolicyDump::default();
        let mut flooded = false;
        while let Some(m) = sock.socket_mut().next_reply(&mut ex).unwrap() {
            let v = netlink_genl::GenlView::parse(m, 0).unwrap();
            dump.add(v.decode::<Ctrl>().unwrap().into_family());
            if !flooded {
                // Mid-dump, a burst of device notifications overflows the receive buffer.
                for i in 0..8 {
                    ip(&format!("link add ov{i}a type veth peer name ov{i}b"));
                }
                flooded = true;
            }
        }
        assert!(ex.is_done());
        let stats = sock.socket().stats();
        assert!(stats.overruns >= 1, "the burst overflowed: {stats:?}");
        // Every part of the dump arrived despite the overrun.
        assert_eq!(dump.messages, expected.messages);
        assert_eq!(dump.ops, expected.ops);
        assert_eq!(dump.policies, expected.policies);

        // The event reader learns that events were lost, once, then gets what survived.
        sock.set_event_timeout(Some(Duration::from_millis(200)));
        assert!(matches!(sock.recv_view(), Err(Error::Overrun)));
        let mut survived = 0;
        loop {
            match sock.recv_event::<Netdev>() {
                Ok(_) => survived += 1,
                Err(Error::Timeout(_)) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(
            survived < 32,
            "8 veth pairs make 32 notifications; {survived} survived"
        );
        assert!(survived as u64 >= stats.queued, "queued ones are not lost");
    });
}

#[test]
fn a_dump_behind_a_full_tiny_buffer_completes_instead_of_livelocking() {
    in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        sock.join::<Netdev>("mgmt").unwrap();
        // The smallest receive buffer, filled by notifications before the dump starts: the
        // kernel can continue the dump only once they are read, and each attempt while they
        // are queued fails with ENOBUFS, also when a peek triggers it.
        sock.socket_mut().set_recv_buffer_size(1).unwrap();
        for i in 0..4 {
            ip(&format!("link add tb{i}a type veth peer name tb{i}b"));
        }
        sock.set_event_timeout(Some(Duration::from_secs(5)));
        let dump = sock.policy("ethtool", None).unwrap();
        assert_eq!(dump.messages, 260);
        assert!(sock.socket().stats().overruns >= 1);
        assert!(sock.socket().stats().queued >= 1, "what fitted was kept");
        assert!(matches!(sock.recv_view(), Err(Error::Overrun)));
        assert!(sock.recv_event::<Netdev>().is_ok());
    });
}

#[test]
fn typed_events_from_a_group_joined_by_name() {
    in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        let mgmt = sock.join_group("netdev", "mgmt").unwrap();
        assert_eq!(
            mgmt,
            sock.family("netdev").unwrap().group_id("mgmt").unwrap()
        );
        assert_eq!(sock.socket().memberships().unwrap(), [mgmt]);

        ip("link add ev0 type veth peer name ev1");
        let (i0, i1) = (ifindex("ev0"), ifindex("ev1"));
        let events = drain_events(&mut sock, Duration::from_millis(300));
        let mut added: Vec<u32> = events
            .iter()
            .filter_map(|e| match e {
                Netdev::DevAddNtf(d) => d.ifindex,
                _ => None,
            })
            .collect();
        added.sort_unstable();
        assert_eq!(added, [i0.min(i1), i0.max(i1)]);
        // Each end then reports its XDP features (kernel-notes: 35 for a veth pair) as a
        // dev-change; typed decode reads the u64 past netdev's pad attribute.
        for e in &events {
            if let Netdev::DevChangeNtf(d) = e {
                assert!(d.ifindex == Some(i0) || d.ifindex == Some(i1));
                assert_eq!(d.xdp_features, Some(example_families::netdev::XdpAct(35)));
            }
        }
        assert!(matches!(events[0], Netdev::DevAddNtf(_)), "{events:?}");

        ip("link del ev0");
        let events = drain_events(&mut sock, Duration::from_millis(300));
        let mut gone: Vec<u32> = events
            .iter()
            .filter_map(|e| match e {
                Netdev::DevDelNtf(d) => d.ifindex,
                _ => None,
            })
            .collect();
        gone.sort_unstable();
        assert_eq!(gone, added, "deleting one end removes the pair: {events:?}");

        // After leaving the group, nothing more arrives.
        sock.leave_group("netdev", "mgmt").unwrap();
        assert!(sock.socket().memberships().unwrap().is_empty());
        sock.set_event_timeout(Some(Duration::from_millis(200)));
        ip("link add ev2 type veth peer name ev3");
        match sock.recv_view() {
            Err(Error::Timeout(_)) => {}
            other => panic!("expected nothing, got {other:?}"),
        }
    });
}

#[test]
fn unknown_group_name_is_an_error_naming_it() {
    let mut sock = GenlSocket::new().unwrap();
    let err = sock.join_group("netdev", "no-such-group").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("no-such-group") && text.contains("mgmt"),
        "{text}"
    );
    assert!(sock.socket().memberships().unwrap().is_empty());
}

#[test]
fn non_blocking_exchange_resumes_after_would_block() {
    let mut sock = NlSocket::new(protocol::GENERIC).unwrap();
    sock.set_nonblocking(true).unwrap();
    // Nothing to read: an immediate WouldBlock.
    match sock.recv_notification() {
        Err(Error::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock),
        other => panic!("{other:?}"),
    }
    let mut ex = sock
        .start_dump(&RawRequest::new(0x10, &[3, 2, 0, 0]), 0)
        .unwrap();
    let (mut messages, mut would_block) = (0, 0);
    loop {
        match sock.next_reply(&mut ex) {
            Ok(Some(m)) => {
                assert_eq!(m.header().ty, 0x10);
                messages += 1;
            }
            Ok(None) => break,
            Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                would_block += 1;
                let mut pfd = libc::pollfd {
                    fd: sock.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd for the duration of the call.
                assert_eq!(unsafe { libc::poll(&mut pfd, 1, 5000) }, 1);
            }
            Err(e) => panic!("{e}"),
        }
    }
    let families = GenlSocket::new().unwrap().list_families().unwrap().len();
    assert_eq!(messages, families);
    assert!(ex.is_done());
    // Whether the kernel had the next part ready is timing; the loop handled either case.
    let _ = would_block;
}

fn sockopt_int(fd: i32, level: i32, opt: i32) -> i32 {
    let mut v: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are live and len is v's size.
    let r = unsafe { libc::getsockopt(fd, level, opt, (&mut v as *mut i32).cast(), &mut len) };
    assert_eq!(r, 0, "{}", std::io::Error::last_os_error());
    v
}

#[test]
fn socket_options_and_the_raw_fd() {
    let mut sock = NlSocket::new(protocol::GENERIC).unwrap();
    let fd = sock.as_raw_fd();
    assert_eq!(
        sockopt_int(fd, libc::SOL_SOCKET, libc::SO_PROTOCOL),
        protocol::GENERIC
    );
    assert_eq!(
        sockopt_int(fd, libc::SOL_SOCKET, libc::SO_DOMAIN),
        libc::AF_NETLINK
    );
    // The port id is the bound address.
    // SAFETY: an all-zero sockaddr_nl is a valid value (plain integers).
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
    // SAFETY: addr/len are live and len is addr's size.
    let r =
        unsafe { libc::getsockname(fd, (&mut addr as *mut libc::sockaddr_nl).cast(), &mut len) };
    assert_eq!(r, 0);
    assert_eq!(addr.nl_pid, sock.port_id());

    sock.set_recv_buffer_size(65536).unwrap();
    assert_eq!(
        sock.recv_buffer_size().unwrap(),
        2 * 65536,
        "the kernel doubles it"
    );
    sock.set_recv_buffer_size_force(4 << 20).unwrap();
    assert_eq!(
        sock.recv_buffer_size().unwrap(),
        8 << 20,
        "FORCE ignores rmem_max (root)"
    );

    let sol_netlink = netlink_genl_core::consts::SOL_NETLINK;
    sock.set_strict_check(true).unwrap();
    assert_eq!(
        sockopt_int(
            fd,
            sol_netlink,
            netlink_genl_core::consts::NETLINK_GET_STRICT_CHK
        ),
        1
    );
    sock.set_cap_ack(false).unwrap();
    assert!(!sock.cap_ack().unwrap());
    assert!(sock.ext_ack().unwrap());

    // Groups above 32 can be joined (only by membership, not the legacy bind mask).
    sock.add_membership(40).unwrap();
    assert_eq!(sock.memberships().unwrap(), [40]);
    sock.drop_membership(40).unwrap();
    assert!(sock.memberships().unwrap().is_empty());

    // Requests still work after all that.
    let mut n = 0;
    sock.request(
        &RawRequest::new(0x10, &{
            let mut p = vec![3u8, 2, 0, 0];
            p.extend_from_slice(&[11, 0, 2, 0]);
            p.extend_from_slice(b"nlctrl\0\0");
            p
        }),
        0,
        |_| {
            n += 1;
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(n, 1);
}
