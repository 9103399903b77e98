//! What `genl check` runs: every family type the project declares by hand (nlctrl's [`Ctrl`],
//! the examples' TASKSTATS and mptcp_pm event types) or generates (`netlink-families`, which
//! the examples' ethtool, netdev and mptcp programs use), compared with the running kernel
//! by [`GenlSocket::check_schema`], and the report as text or JSON.
//!
//! ```
//! let names: Vec<&str> = example_families::genl_check::TYPES.iter().map(|t| t.label).collect();
//! assert!(names.contains(&"example_families::taskstats::Taskstats"));
//! assert!(names.contains(&"netlink_families::netdev::Netdev"));
//! ```

use netlink_genl::check::{Finding, SchemaReport, Severity};
use netlink_genl::ctrl::Ctrl;
use netlink_genl::{Error, GenlMessage, GenlSocket};
use serde::Serialize;

/// One declared family type.
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    /// The kernel family's name.
    pub family: &'static str,
    /// The type's path (`example_families::netdev::Netdev`).
    pub label: &'static str,
    /// Run the check for the type.
    pub check: fn(&mut GenlSocket) -> Result<SchemaReport, Error>,
}

const fn declared<T: GenlMessage>(label: &'static str) -> Declared {
    Declared {
        family: T::SCHEMA.family,
        label,
        check: GenlSocket::check_schema::<T>,
    }
}

/// Every family type the project declares or generates, by family.
pub const TYPES: &[Declared] = &[
    declared::<Ctrl>("netlink_genl::ctrl::Ctrl"),
    declared::<netlink_families::nlctrl::Nlctrl>("netlink_families::nlctrl::Nlctrl"),
    declared::<netlink_families::netdev::Netdev>("netlink_families::netdev::Netdev"),
    declared::<netlink_families::ethtool::Ethtool>("netlink_families::ethtool::Ethtool"),
    declared::<netlink_families::mptcp_pm::MptcpPm>("netlink_families::mptcp_pm::MptcpPm"),
    declared::<crate::mptcp::MptcpEvent>("example_families::mptcp::MptcpEvent"),
    declared::<crate::taskstats::Taskstats>("example_families::taskstats::Taskstats"),
    declared::<netlink_families::binder::Binder>("netlink_families::binder::Binder"),
    declared::<netlink_families::dev_energymodel::DevEnergymodel>(
        "netlink_families::dev_energymodel::DevEnergymodel",
    ),
    declared::<netlink_families::devlink::Devlink>("netlink_families::devlink::Devlink"),
    declared::<netlink_families::dpll::Dpll>("netlink_families::dpll::Dpll"),
    declared::<netlink_families::drm_ras::DrmRas>("netlink_families::drm_ras::DrmRas"),
    declared::<netlink_families::fou::Fou>("netlink_families::fou::Fou"),
    declared::<netlink_families::handshake::Handshake>("netlink_families::handshake::Handshake"),
    declared::<netlink_families::lockd::Lockd>("netlink_families::lockd::Lockd"),
    declared::<netlink_families::net_shaper::NetShaper>("netlink_families::net_shaper::NetShaper"),
    declared::<netlink_families::nfsd::Nfsd>("netlink_families::nfsd::Nfsd"),
    declared::<netlink_families::nl80211::Nl80211>("netlink_families::nl80211::Nl80211"),
    declared::<netlink_families::ovpn::Ovpn>("netlink_families::ovpn::Ovpn"),
    declared::<netlink_families::ovs_datapath::OvsDatapath>(
        "netlink_families::ovs_datapath::OvsDatapath",
    ),
    declared::<netlink_families::ovs_flow::OvsFlow>("netlink_families::ovs_flow::OvsFlow"),
    declared::<netlink_families::ovs_packet::OvsPacket>("netlink_families::ovs_packet::OvsPacket"),
    declared::<netlink_families::ovs_vport::OvsVport>("netlink_families::ovs_vport::OvsVport"),
    declared::<netlink_families::psp::Psp>("netlink_families::psp::Psp"),
    declared::<netlink_families::sunrpc::Sunrpc>("netlink_families::sunrpc::Sunrpc"),
    declared::<netlink_families::team::Team>("netlink_families::team::Team"),
    declared::<netlink_families::wireguard::Wireguard>("netlink_families::wireguard::Wireguard"),
];

/// The declared types of family `name` (case as the kernel registered it).
pub fn of_family(name: &str) -> Vec<&'static Declared> {
    TYPES.iter().filter(|t| t.family == name).collect()
}

/// One type's report, as `genl check --json` prints it (one object per type).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The kernel family.
    pub family: String,
    /// The type's path.
    #[serde(rename = "type")]
    pub type_path: String,
    /// The number of operations compared with a kernel policy.
    pub compared: usize,
    /// The number of mismatches.
    pub mismatches: usize,
    /// Whether there is no mismatch.
    pub clean: bool,
    /// The findings, most severe first.
    pub findings: Vec<FindingJson>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct FindingJson {
    /// `mismatch`, `warning` or `note`.
    pub severity: &'static str,
    /// `type`, `bounds`, `not-accepted`, ... ([`FindingKind::name`](netlink_genl::FindingKind::name)).
    pub kind: &'static str,
    /// The field path.
    pub path: String,
    /// What happens.
    pub message: String,
    /// The type's policy, as text.
    pub expected: Option<String>,
    /// The kernel's policy, as text.
    pub found: Option<String>,
}

impl From<&Finding> for FindingJson {
    fn from(f: &Finding) -> Self {
        FindingJson {
            severity: f.severity.name(),
            kind: f.kind.name(),
            path: f.path.clone(),
            message: f.message.clone(),
            expected: f.expected.map(|p| p.to_string()),
            found: f.found.map(|p| p.to_string()),
        }
    }
}

impl Report {
    /// The JSON form of `report` for the type at `label`.
    pub fn new(label: &str, report: &SchemaReport) -> Self {
        Report {
            family: report.family.clone(),
            type_path: label.to_owned(),
            compared: report.compared,
            mismatches: report.mismatches(),
            clean: report.is_clean(),
            findings: report.findings.iter().map(Into::into).collect(),
        }
    }
}

/// The text `genl check` prints for the type at `label`: the report's summary, headed by the
/// type's path, and its findings (only the mismatches unless `verbose`).
pub fn text(label: &str, report: &SchemaReport, verbose: bool) -> String {
    let mut r = report.clone();
    label.clone_into(&mut r.type_name);
    let mut out = r.summary();
    out.push('\n');
    for f in &report.findings {
        if verbose || f.severity == Severity::Mismatch {
            out.push_str(&format!("  {f}\n"));
        }
    }
    out
}
