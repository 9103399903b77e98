//! `check_schema` over every family this kernel has that the project declares (nlctrl's
//! `Ctrl`, the examples' netdev, ethtool, mptcp_pm and TASKSTATS types) or generates
//! (`netlink-families`): no mismatch, except the differences listed here with their reason.
//! And each type against the fake kernel serving the same type: its own policy view, so no
//! difference at all.

use example_families::genl_check::TYPES;
use netlink_genl::GenlSocket;
use netlink_genl::check::Severity;
use netlink_genl::tokio::AsyncGenlSocket;

/// The mismatches the live kernel (6.18) shows, by type: `(type, path, kind, reason)`.
const KNOWN: &[(&str, &str, &str, &str)] = &[];

#[test]
fn every_declared_and_generated_family_matches_the_live_kernel() {
    let mut sock = GenlSocket::new().unwrap();
    let have = sock.list_families().unwrap();
    let mut checked = Vec::new();
    let mut found = Vec::new();
    for t in TYPES {
        if !have.iter().any(|f| f.name == t.family) {
            continue;
        }
        let report = (t.check)(&mut sock).unwrap();
        checked.push(t.label);
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Mismatch)
        {
            found.push((
                t.label.to_owned(),
                f.path.clone(),
                f.kind.name().to_owned(),
                f.to_string(),
            ));
        }
    }
    // The families this kernel has, each with its declared and generated types.
    for label in [
        "netlink_genl::ctrl::Ctrl",
        "netlink_families::nlctrl::Nlctrl",
        "example_families::netdev::Netdev",
        "netlink_families::netdev::Netdev",
        "example_families::ethtool::Ethtool",
        "netlink_families::ethtool::Ethtool",
        "example_families::mptcp::MptcpPm",
        "netlink_families::mptcp_pm::MptcpPm",
        "example_families::taskstats::Taskstats",
    ] {
        assert!(checked.contains(&label), "{label} not checked: {checked:?}");
    }
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(t, p, k, _)| (t.as_str(), p.as_str(), k.as_str()))
        .collect();
    let known: Vec<(&str, &str, &str)> = KNOWN.iter().map(|(t, p, k, _)| (*t, *p, *k)).collect();
    let text: Vec<&str> = found.iter().map(|f| f.3.as_str()).collect();
    assert_eq!(got, known, "{text:#?}");
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
