//! Errors that say what happened, the same through the blocking and the tokio socket: an
//! unknown family names itself, an unknown group names the family and the groups it has, a
//! refused membership names the group and the capability, errnos compare as values, and a
//! chain printer says each thing once.

use std::error::Error as _;

use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{Errno, Error, GenlSocket, GroupErrorKind};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// What a chain printer (anyhow's `{:#}`) shows: each error's message, then its sources'.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

#[test]
fn an_unknown_family_is_family_not_found_with_its_name() {
    let mut sock = GenlSocket::new().unwrap();
    let sync = sock.family("no-such-family").unwrap_err();
    let r#async = rt().block_on(async {
        let mut sock = AsyncGenlSocket::new().unwrap();
        sock.family("no-such-family").await.unwrap_err()
    });
    for e in [&sync, &r#async] {
        assert!(
            matches!(e, Error::FamilyNotFound(n) if n == "no-such-family"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            r#"generic netlink family "no-such-family" not found (is its kernel module loaded?)"#
        );
    }
}

#[test]
fn an_unknown_group_names_the_family_and_the_groups_it_has() {
    let mut sock = GenlSocket::new().unwrap();
    let sync = sock.join_group("nlctrl", "nope").unwrap_err();
    let r#async = rt().block_on(async {
        let mut sock = AsyncGenlSocket::new().unwrap();
        sock.join_group("nlctrl", "nope").await.unwrap_err()
    });
    assert_eq!(sync.to_string(), r#async.to_string());
    let Error::Group(g) = sync else {
        panic!("{sync:?}")
    };
    assert_eq!((g.family.as_str(), g.group.as_str()), ("nlctrl", "nope"));
    assert_eq!(
        g.kind,
        GroupErrorKind::NotFound {
            available: vec!["notify".to_owned()]
        }
    );
    assert_eq!(
        g.to_string(),
        r#"family nlctrl has no multicast group "nope" (it has: notify)"#
    );
}

/// Drop `CAP_NET_ADMIN` and `CAP_SYS_ADMIN` from the calling thread's effective set
/// (capabilities are per thread: the rest of the test process keeps them).
fn drop_admin_caps_on_this_thread() {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy, Default)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const VERSION_3: u32 = 0x2008_0522;
    let mut hdr = Header {
        version: VERSION_3,
        pid: 0,
    };
    let mut data = [Data::default(); 2];
    // SAFETY: capget with a v3 header and room for two data structs, as the ABI requires.
    let rc = unsafe { libc::syscall(libc::SYS_capget, &mut hdr, data.as_mut_ptr()) };
    assert_eq!(rc, 0, "capget: {}", std::io::Error::last_os_error());
    for cap in [12u32, 21] {
        // CAP_NET_ADMIN, CAP_SYS_ADMIN
        data[(cap / 32) as usize].effective &= !(1 << (cap % 32));
    }
    // SAFETY: capset with the header and data just read (only effective bits cleared).
    let rc = unsafe { libc::syscall(libc::SYS_capset, &mut hdr, data.as_ptr()) };
    assert_eq!(rc, 0, "capset: {}", std::io::Error::last_os_error());
}

#[test]
fn a_refused_membership_names_the_group_and_the_capability() {
    // mptcp_pm's event group is restricted to CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN).
    let (sync, r#async) = std::thread::spawn(|| {
        let mut sock = GenlSocket::new().unwrap();
        if sock.family("mptcp_pm").is_err() {
            return (None, None);
        }
        let mut asock = rt().block_on(async {
            let mut s = AsyncGenlSocket::new().unwrap();
            s.family("mptcp_pm").await.unwrap();
            s
        });
        drop_admin_caps_on_this_thread();
        let sync = sock.join_group("mptcp_pm", "mptcp_pm_events").err();
        let r#async = rt()
            .block_on(async move { asock.join_group("mptcp_pm", "mptcp_pm_events").await.err() });
        (sync, r#async)
    })
    .join()
    .unwrap();
    let (Some(sync), Some(r#async)) = (sync, r#async) else {
        panic!("joining a CAP_NET_ADMIN group without it must fail (or mptcp_pm is missing)");
    };
    assert_eq!(sync.to_string(), r#async.to_string());
    let Error::Group(g) = &sync else {
        panic!("{sync:?}")
    };
    assert!(
        matches!(g.kind, GroupErrorKind::PermissionDenied { .. }),
        "{g:?}"
    );
    let text = sync.to_string();
    assert!(text.contains("\"mptcp_pm_events\""), "{text}");
    assert!(text.contains("mptcp_pm"), "{text}");
    assert!(text.contains("CAP_NET_ADMIN"), "{text}");
}

#[test]
fn errnos_compare_as_values_and_chains_say_each_thing_once() {
    let mut sock = GenlSocket::new().unwrap();
    let err = sock
        .request(&Ctrl::GetFamily(Family::by_name("no-such-family")))
        .unwrap_err();
    assert_eq!(err.errno(), Some(Errno::NOENT));
    let Error::Kernel(k) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(k.errno, Errno::NOENT);
    assert_eq!(k.errno.raw_os_error(), libc::ENOENT);
    // Display includes the kernel's error; source() does not repeat it.
    let text = chain(&err);
    assert_eq!(text.matches("ENOENT").count(), 1, "{text}");
    assert!(err.source().is_none(), "{text}");
    // The same for an I/O error and a decode error.
    let io = Error::from(std::io::Error::from_raw_os_error(libc::EPERM));
    assert_eq!(
        chain(&io).matches("not permitted").count(),
        1,
        "{}",
        chain(&io)
    );
    assert_eq!(io.errno(), Some(Errno::PERM));
}

#[test]
fn any_errno_the_wire_carries_is_kept_without_panicking() {
    // An errno is whatever `nlmsgerr.error` says: also values no errno has.
    for raw in [i32::MIN, -5000, -1, 1, 7, 4095, 4096, 70_000, i32::MAX] {
        let k = netlink_genl::KernelError::from_parts(raw, &netlink_genl_core::ExtAck::default());
        assert_eq!(k.errno.raw_os_error(), raw.saturating_neg());
        let _ = k.to_string();
    }
    assert_eq!(Errno::from_raw_os_error(7), Errno::TOOBIG);
    assert_eq!(Errno::TOOBIG.name(), Some("E2BIG"));
    assert_eq!(format!("{:?}", Errno::NOENT), "ENOENT (2)");
    assert_eq!(
        format!("{:?}", Errno::from_raw_os_error(5000)),
        "errno 5000"
    );
}
