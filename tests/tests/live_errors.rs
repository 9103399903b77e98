//! Kernel errors through the typed socket: errno, extended-ACK message, policy, missing
//! attribute, and the offending attribute mapped back to the field the request set. Expected
//! values come from kernel-notes §4 (measured on this kernel). Read-only requests only.

use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::{GenlMessage, GenlSocket, NlAttrs};
use netlink_genl_core::consts::policy::types;
use netlink_genl_core::request::RawRequest;
use netlink_genl_core::{Error, KernelError};

fn kernel(e: Error) -> KernelError {
    match e {
        Error::Kernel(k) => *k,
        other => panic!("expected a kernel error, got {other}"),
    }
}

/// GETFAMILY with FAMILY_NAME declared with the wrong type (u32 instead of a string).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct BadFamily {
    #[nla(id = 2)]
    name: Option<u32>,
    #[nla(id = 10)]
    op: Option<u32>,
    /// An attribute nlctrl's GETPOLICY policy does not have.
    #[nla(id = 99)]
    junk: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum BadCtrl {
    #[genl(cmd = 1)]
    NewFamily(BadFamily),
    #[genl(cmd = 3, request)]
    GetFamily(BadFamily),
    #[genl(cmd = 10)]
    GetPolicy(BadFamily),
}

#[test]
fn unknown_family_is_enoent() {
    let mut sock = GenlSocket::new().unwrap();
    // Resolving by name: the family's own error.
    let e = sock.family("no-such-family").unwrap_err();
    assert!(
        matches!(&e, Error::FamilyNotFound(n) if n == "no-such-family"),
        "{e:?}"
    );
    // The kernel's answer underneath: ENOENT.
    let k = kernel(
        sock.request(&Ctrl::GetFamily(Family::by_name("no-such-family")))
            .unwrap_err(),
    );
    assert_eq!(k.errno, netlink_genl_core::Errno::NOENT);
    assert_eq!(k.errno_name(), Some("ENOENT"));
    assert_eq!(k.msg, None, "nlctrl says nothing more");
    assert!(
        sock.families().get("no-such-family").is_none(),
        "not cached"
    );

    let k = kernel(
        sock.request(&Ctrl::GetFamily(Family::by_id(0x3ff)))
            .unwrap_err(),
    );
    assert_eq!(k.errno, netlink_genl_core::Errno::NOENT, "unknown id");

    // The socket is fine afterwards.
    assert_eq!(sock.family("nlctrl").unwrap().id, 0x10);
}

#[test]
fn wrong_typed_attribute_is_einval_with_ext_ack_and_path() {
    let mut sock = GenlSocket::new().unwrap();
    let req = BadCtrl::GetFamily(BadFamily {
        name: Some(0x6c74_636e), // "nctl" without the NUL: fails the NLA_NUL_STRING policy
        ..Default::default()
    });
    let k = kernel(sock.ack(&req).unwrap_err());
    assert_eq!(k.errno, netlink_genl_core::Errno::INVAL);
    assert_eq!(k.msg.as_deref(), Some("Attribute failed policy validation"));
    // nlmsghdr (16) + genlmsghdr (4): the first attribute.
    assert_eq!(k.offset, Some(20));
    assert_eq!(
        k.attr_path.as_ref().map(ToString::to_string).as_deref(),
        Some("GetFamily.name")
    );
    let p = k.policy.expect("the failed policy");
    assert_eq!(p.ty, Some(types::NUL_STRING));
    assert_eq!(p.max_length, Some(15));
    let text = k.to_string();
    assert!(
        text.contains("EINVAL") && text.contains("GetFamily.name") && text.contains("max len 15"),
        "{text}"
    );
}

#[test]
fn offending_attribute_after_others_is_located() {
    let mut sock = GenlSocket::new().unwrap();
    // GETPOLICY for nlctrl with OP 99: -ENOENT pointing at the second attribute (OFFS 32).
    let mut body = Family::by_name("nlctrl");
    body.op = Some(99);
    let k = kernel(
        sock.dump(&Ctrl::GetPolicy(body))
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err(),
    );
    assert_eq!(k.errno, netlink_genl_core::Errno::NOENT);
    assert_eq!(k.offset, Some(32));
    assert_eq!(k.attr_path.unwrap().to_string(), "GetPolicy.op");

    // An attribute the kernel's policy does not know: -EINVAL "Unknown attribute type".
    let req = BadCtrl::GetPolicy(BadFamily {
        junk: Some(1),
        ..Default::default()
    });
    let k = kernel(sock.dump_with(&req, |_: BadCtrl| Ok(())).unwrap_err());
    assert_eq!(k.errno, netlink_genl_core::Errno::INVAL);
    assert_eq!(k.msg.as_deref(), Some("Unknown attribute type"));
    assert_eq!(k.attr_path.unwrap().to_string(), "GetPolicy.junk");
}

#[test]
fn missing_required_attribute_reports_its_type() {
    let mut sock = GenlSocket::new().unwrap();
    let netdev = sock.family("netdev").unwrap().id;
    // netdev dev-get do (cmd 1) without IFINDEX.
    let k = kernel(
        sock.socket_mut()
            .ack(&RawRequest::new(netdev, &[1, 1, 0, 0]), 0)
            .unwrap_err(),
    );
    assert_eq!(k.errno, netlink_genl_core::Errno::INVAL);
    assert_eq!(k.miss_type, Some(1), "NETDEV_A_DEV_IFINDEX");
}

/// netdev's qstats-get, enough of it to send a bad ifindex.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Qstats {
    #[nla(id = 1)]
    ifindex: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "netdev", version = 1)]
enum Netdev {
    #[genl(cmd = 12)]
    QstatsGet(Qstats),
}

#[test]
fn errors_of_dumps_come_as_nlmsg_error_or_inside_done() {
    let mut sock = GenlSocket::new().unwrap();

    // Dump-start error: GETPOLICY of a family without policies is NLMSG_ERROR -ENODATA.
    let k = kernel(sock.policy("VFS_DQUOT", None).unwrap_err());
    assert_eq!(k.errno, netlink_genl_core::Errno::NODATA);

    // Error from the dump handler itself: NLMSG_DONE carries -ENODEV, with an ext-ack offset
    // that maps to the field.
    let req = Netdev::QstatsGet(Qstats {
        ifindex: Some(99_999),
    });
    let mut dump = sock.dump(&req).unwrap();
    let k = kernel(dump.next().expect("the error item").unwrap_err());
    assert!(dump.next().is_none(), "the error ends the dump");
    assert!(dump.is_done());
    drop(dump);
    assert_eq!(k.errno, netlink_genl_core::Errno::NODEV);
    assert_eq!(k.offset, Some(20));
    assert_eq!(k.attr_path.unwrap().to_string(), "QstatsGet.ifindex");

    // Neither left anything behind: the next request is answered normally.
    assert_eq!(sock.refresh_family("netdev").unwrap().name, "netdev");
    assert_eq!(sock.socket().stats().foreign_seq, 0);
}

#[test]
fn ext_ack_and_cap_ack_are_on_by_default() {
    let sock = GenlSocket::new().unwrap();
    assert!(sock.socket().ext_ack().unwrap());
    assert!(sock.socket().cap_ack().unwrap());
}

#[test]
fn without_ext_ack_the_errno_stays_and_the_detail_goes() {
    let mut sock = GenlSocket::new().unwrap();
    sock.socket_mut().set_ext_ack(false).unwrap();
    let req = BadCtrl::GetFamily(BadFamily {
        name: Some(0x0101_0101), // no NUL byte: not a NUL-terminated string
        ..Default::default()
    });
    let k = kernel(sock.ack(&req).unwrap_err());
    assert_eq!(k.errno, netlink_genl_core::Errno::INVAL);
    assert_eq!(
        (k.msg, k.offset, k.attr_path, k.policy),
        (None, None, None, None)
    );
}
