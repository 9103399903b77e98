//! `check_schema` over every family this kernel has that the project declares by hand
//! (nlctrl's `Ctrl`, the examples' TASKSTATS and mptcp_pm event types) or generates
//! (`netlink-families`, which the examples' ethtool, netdev and mptcp programs use): no mismatch
//! and no permission the type does not declare, except the differences listed here with their
//! reason.
//! And each type against the fake kernel serving the same type: its own policy view, so no
//! difference at all.

use example_families::genl_check::TYPES;
use netlink_genl::GenlSocket;
use netlink_genl::check::{FindingKind, Severity};
use netlink_genl::tokio::AsyncGenlSocket;

/// The mismatches (and permission warnings: a request that may get `EPERM`) this kernel
/// (6.18) shows, each with its reason: `(type, kind, path pattern, reason)`; `*` in a pattern
/// stands for any characters. Every one must match a rule, and every rule must match (the
/// first that matches counts).
const KNOWN: &[(&str, &str, &str, &str)] = &[
    (
        "netlink_families::nlctrl::Nlctrl",
        "bounds",
        "*.request.family_name",
        "the nlctrl spec gives family-name no max-len; the kernel's policy is a NUL string of \
         at most GENL_NAMSIZ - 1 = 15 bytes",
    ),
    (
        "netlink_families::netdev::Netdev",
        "bounds",
        "NapiSet.do.request.threaded",
        "newer than 6.18: the spec's napi-threaded enum has busy-poll (2), this kernel's \
         policy bounds it by its enum without it (at most 1)",
    ),
    (
        "netlink_families::netdev::Netdev",
        "not-accepted",
        "BindRx.do.request.rx_page_size",
        "newer than 6.18: the spec's bind-rx takes rx-page-size, this kernel's policy does not",
    ),
    (
        "netlink_families::netdev::Netdev",
        "not-accepted",
        "PagePoolGet.dump.request.ifindex",
        "the spec filters the page-pool-get dump by ifindex; this kernel's dump has no policy",
    ),
    (
        "netlink_families::netdev::Netdev",
        "missing-command",
        "PagePoolStatsGet",
        "CONFIG_PAGE_POOL_STATS is off here: the kernel registers no page-pool-stats-get",
    ),
    (
        "netlink_families::netdev::Netdev",
        "missing-command",
        "QueueCreate",
        "newer than 6.18",
    ),
    (
        "netlink_families::ethtool::Ethtool",
        "missing-command",
        "MseGet",
        "newer than 6.18",
    ),
    (
        "netlink_families::ethtool::Ethtool",
        "bounds",
        "*.request.header.dev_name",
        "the spec gives the header's dev-name no max-len; the kernel's is ALTIFNAMSIZ - 1 = 127",
    ),
    (
        "netlink_families::ethtool::Ethtool",
        "bounds",
        "*.request.header.phy_index",
        "the spec gives phy-index no min; the kernel's policy is NLA_POLICY_MIN(NLA_U32, 1)",
    ),
    (
        "netlink_families::ethtool::Ethtool",
        "not-accepted",
        "*Set*.do.request.*",
        "the spec's set requests reuse the get reply's attribute list (maxima, read-only \
         state, statistics); the kernel's set policies accept only what can be set",
    ),
    (
        "netlink_families::ethtool::Ethtool",
        "bounds",
        "*",
        "the spec declares fewer checks than the kernel's policies (booleans as u8 at most 1, \
         enums, ranges such as lanes 1..8 or verify-time 1..128, wol sopass of 6 bytes)",
    ),
    (
        "netlink_families::netdev::Netdev",
        "permission",
        "BindRx",
        "newer than 6.18: the spec's bind-rx needs uns-admin-perm, this kernel's \
         GENL_ADMIN_PERM",
    ),
    (
        "netlink_families::ethtool::Ethtool",
        "permission",
        "*",
        "the ethtool spec declares no operation flags; the kernel's ethtool operations that \
         change state, and wol-get (which shows the SecureOn password), need \
         GENL_UNS_ADMIN_PERM",
    ),
];

/// Whether `s` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, s: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == s,
        Some((head, rest)) => {
            let Some(s) = s.strip_prefix(head) else {
                return false;
            };
            (0..=s.len()).any(|i| s.is_char_boundary(i) && glob(rest, &s[i..]))
        }
    }
}

#[test]
fn every_declared_and_generated_family_matches_the_live_kernel() {
    let mut sock = GenlSocket::new().unwrap();
    let have = sock.list_families().unwrap();
    let mut checked = Vec::new();
    let mut unexplained = Vec::new();
    let mut used = vec![0usize; KNOWN.len()];
    for t in TYPES {
        if !have.iter().any(|f| f.name == t.family) {
            continue;
        }
        let report = (t.check)(&mut sock).unwrap();
        checked.push(t.label);
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Mismatch || f.kind == FindingKind::Permission)
        {
            let rule = KNOWN.iter().position(|(ty, kind, path, _)| {
                *ty == t.label && *kind == f.kind.name() && glob(path, &f.path)
            });
            match rule {
                Some(i) => used[i] += 1,
                None => unexplained.push(format!("{}: {f}", t.label)),
            }
        }
    }
    // The families this kernel has, each with its declared and generated types.
    for label in [
        "netlink_genl::ctrl::Ctrl",
        "netlink_families::nlctrl::Nlctrl",
        "netlink_families::netdev::Netdev",
        "netlink_families::ethtool::Ethtool",
        "netlink_families::mptcp_pm::MptcpPm",
        "example_families::mptcp::MptcpEvent",
        "example_families::taskstats::Taskstats",
    ] {
        assert!(checked.contains(&label), "{label} not checked: {checked:?}");
    }
    assert_eq!(unexplained, Vec::<String>::new());
    let stale: Vec<_> = KNOWN
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| k)
        .collect();
    assert!(
        stale.is_empty(),
        "known differences no longer seen: {stale:#?}"
    );
    // How many mismatches each reason explains (a rule that starts to explain more, or
    // fewer, is a change to look at).
    assert_eq!(
        used,
        [2, 1, 1, 1, 1, 1, 1, 77, 12, 29, 38, 1, 25],
        "{KNOWN:#?}"
    );
}

#[test]
fn nlctrl_as_declared_by_hand_is_clean_against_the_live_kernel() {
    let mut sock = GenlSocket::new().unwrap();
    let report = sock.check_schema::<netlink_genl::ctrl::Ctrl>().unwrap();
    // GETFAMILY do and dump, GETPOLICY dump.
    assert_eq!(report.compared, 3, "{report}");
    // Not even a note: every attribute its requests declare is the kernel's, with the
    // kernel's bounds (the name's 15 bytes), and nothing the kernel accepts is left out.
    assert!(report.findings.is_empty(), "{report}");
}

#[test]
fn the_async_socket_reports_the_same() {
    let mut sock = GenlSocket::new().unwrap();
    let sync = sock
        .check_schema::<netlink_families::netdev::Netdev>()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r#async = rt.block_on(async {
        let mut a = AsyncGenlSocket::new().unwrap();
        a.check_schema::<netlink_families::netdev::Netdev>()
            .await
            .unwrap()
    });
    assert_eq!(sync, r#async);
    assert!(sync.compared > 0, "{sync}");
}
