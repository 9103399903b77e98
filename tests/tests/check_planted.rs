//! `check_schema` catches planted mistakes: copies of real declarations (netdev's and ethtool's
//! attribute sets, as `netlink-families` generates them from the kernel's specs) with known
//! mistakes, checked against the running kernel through both sockets. Each mistake must be
//! reported with its path and kind, and nothing else may be a mismatch (the correct parts of
//! the copies are the kernel's).

use netlink_genl::check::{FindingKind, SchemaReport, Severity};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{GenlMessage, GenlSocket, NlAttrs};

// ---------------------------------------------------------------------------------------------
// netdev (dev-get, queue-get, napi-set).

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Dev {
    /// PLANTED: a narrowed width (the kernel's ifindex is a u32, at least 1).
    #[nla(id = 1)]
    ifindex: Option<u16>,
    #[nla(id = 3)]
    xdp_features: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Queue {
    #[nla(id = 1)]
    id: Option<u32>,
    /// PLANTED: unbounded, where the kernel's policy is `u32 min 1` (no `min = 1`).
    #[nla(id = 2)]
    ifindex: Option<u32>,
    // PLANTED: `type` (3) is missing; queue-get's do requires it.
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Napi {
    #[nla(id = 1, min = 1)]
    ifindex: Option<u32>,
    #[nla(id = 2)]
    id: Option<u32>,
    #[nla(id = 5, max = 2147483647)]
    defer_hard_irqs: Option<u32>,
    #[nla(id = 6, uint)]
    gro_flush_timeout: Option<u64>,
    #[nla(id = 7, uint)]
    irq_suspend_timeout: Option<u64>,
    #[nla(id = 8, max = 1)]
    threaded: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "netdev", version = 1, groups("mgmt", "page-pool"))]
enum PlantedNetdev {
    #[genl(cmd = 1, reply = DevGet, do(request(ifindex)), dump)]
    DevGet(Dev),
    #[genl(cmd = 10, reply = QueueGet, do(request(id, ifindex)), dump(request(ifindex)))]
    QueueGet(Queue),
    /// PLANTED: napi-set is do-only; declared as a dump too.
    #[genl(
        cmd = 14,
        do(request(id, defer_hard_irqs, gro_flush_timeout, irq_suspend_timeout, threaded)),
        dump
    )]
    NapiSet(Napi),
    /// PLANTED: a command the kernel does not have.
    #[genl(cmd = 99, do(request(ifindex)))]
    Bogus(Dev),
}

// ---------------------------------------------------------------------------------------------
// ethtool (linkmodes-set).

/// The kernel's header, correct.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Header {
    #[nla(id = 1)]
    dev_index: Option<u32>,
    #[nla(id = 2, max_len = 127)]
    dev_name: Option<String>,
    #[nla(id = 3, max = 3)]
    flags: Option<u32>,
}

/// PLANTED: a wrong nest (ids of the header, but a string for the index).
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct WrongHeader {
    #[nla(id = 1, max_len = 15)]
    dev_index: Option<String>,
    #[nla(id = 2, max_len = 127)]
    dev_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Linkmodes {
    #[nla(id = 1, nested)]
    header: Option<WrongHeader>,
    /// PLANTED: a flag for the kernel's u8.
    #[nla(id = 2, flag)]
    autoneg: bool,
    #[nla(id = 5)]
    speed: Option<u32>,
    #[nla(id = 6)]
    duplex: Option<u8>,
    #[nla(id = 7)]
    master_slave_cfg: Option<u8>,
    /// PLANTED: unbounded, where the kernel's policy is `u32 min 1 max 8`.
    #[nla(id = 9)]
    lanes: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Linkstate {
    #[nla(id = 1, nested)]
    header: Option<Header>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "ethtool", version = 1)]
enum PlantedEthtool {
    #[genl(
        cmd = 5,
        do(request(header, autoneg, speed, duplex, master_slave_cfg, lanes))
    )]
    LinkmodesSet(Linkmodes),
    /// Correct: the kernel's linkstate-get (a do and a dump taking the header).
    #[genl(cmd = 6, do(request(header)), dump(request(header)))]
    LinkstateGet(Linkstate),
}

/// The findings of `severity` as `(kind, path)`.
fn found(r: &SchemaReport, severity: Severity) -> Vec<(FindingKind, String)> {
    let mut v: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| (f.kind, f.path.clone()))
        .collect();
    v.sort();
    v
}

fn expect(pairs: &[(FindingKind, &str)]) -> Vec<(FindingKind, String)> {
    let mut v: Vec<_> = pairs.iter().map(|(k, p)| (*k, (*p).to_owned())).collect();
    v.sort();
    v
}

fn check_netdev(r: &SchemaReport) {
    use FindingKind as K;
    assert_eq!(
        found(r, Severity::Mismatch),
        expect(&[
            (K::MissingCommand, "Bogus"),
            (K::Capability, "NapiSet.dump"),
            (K::Type, "DevGet.do.request.ifindex"),
            (K::Bounds, "QueueGet.do.request.ifindex"),
            (K::Bounds, "QueueGet.dump.request.ifindex"),
        ]),
        "{r}"
    );
    // The missing attribute the kernel requires: a warning (GETPOLICY does not say it is
    // required), at its id.
    let missing: Vec<_> = r.at("QueueGet.do.request.[3]").collect();
    assert_eq!(missing.len(), 1, "{r}");
    assert_eq!(
        (missing[0].severity, missing[0].kind),
        (Severity::Warning, K::KernelOnly)
    );
    assert_eq!(
        missing[0].found.map(|p| p.to_string()).as_deref(),
        Some("u32 min 0 max 1")
    );
    // The narrowed width shows both policies.
    let narrowed = r.at("DevGet.do.request.ifindex").next().unwrap();
    assert_eq!(
        narrowed.expected.map(|p| p.to_string()).as_deref(),
        Some("u16 min 0 max 65535")
    );
    assert_eq!(
        narrowed.found.map(|p| p.to_string()).as_deref(),
        Some("u32 min 1 max 4294967295")
    );
    assert!(!r.is_clean());
    assert_eq!(r.mismatches(), 5);
}

fn check_ethtool(r: &SchemaReport) {
    use FindingKind as K;
    assert_eq!(
        found(r, Severity::Mismatch),
        expect(&[
            (K::Type, "LinkmodesSet.do.request.autoneg"),
            (K::Type, "LinkmodesSet.do.request.header.dev_index"),
            (K::Bounds, "LinkmodesSet.do.request.lanes"),
        ]),
        "{r}"
    );
    let flag = r.at("LinkmodesSet.do.request.autoneg").next().unwrap();
    assert_eq!(
        (
            flag.expected.map(|p| p.to_string()),
            flag.found.map(|p| p.to_string())
        ),
        (Some("flag".into()), Some("u8 min 0 max 255".into()))
    );
    let text = r.to_string();
    assert!(
        text.contains("LinkmodesSet.do.request.lanes: the field holds 0..=4294967295, the kernel accepts 1..=8"),
        "{text}"
    );
}

#[test]
fn planted_mistakes_are_reported_with_their_path_and_kind_sync_and_async() {
    let mut sock = GenlSocket::new().unwrap();
    let netdev = sock.check_schema::<PlantedNetdev>().unwrap();
    check_netdev(&netdev);
    let ethtool = sock.check_schema::<PlantedEthtool>().unwrap();
    check_ethtool(&ethtool);
    // The async socket runs the same core: the same reports.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut a = AsyncGenlSocket::new().unwrap();
        assert_eq!(a.check_schema::<PlantedNetdev>().await.unwrap(), netdev);
        assert_eq!(a.check_schema::<PlantedEthtool>().await.unwrap(), ethtool);
    });
}

#[test]
fn a_family_the_kernel_does_not_have_is_an_error_not_a_finding() {
    #[derive(Debug, Clone, PartialEq, GenlMessage)]
    #[genl(family = "no-such-family", version = 1)]
    enum Nothing {
        #[genl(cmd = 1, do)]
        Get(Dev),
    }
    let mut sock = GenlSocket::new().unwrap();
    let err = sock.check_schema::<Nothing>().unwrap_err();
    assert!(
        matches!(&err, netlink_genl::Error::FamilyNotFound(n) if n == "no-such-family"),
        "{err}"
    );
}
