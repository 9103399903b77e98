// The families of `netlink-families`, by spec name, with their message schemas: included by
// the CLI (`netlink-ynl emit FAMILY`, feature `families`) and by the round-trip test.

/// Every family of `netlink-families`: (spec name, the message enum's schema).
const FAMILIES: &[(&str, &netlink_genl::MessageSchema)] = &[
    ("binder", &<netlink_families::binder::Binder as netlink_genl::GenlMessage>::SCHEMA),
    ("dev-energymodel", &<netlink_families::dev_energymodel::DevEnergymodel as netlink_genl::GenlMessage>::SCHEMA),
    ("devlink", &<netlink_families::devlink::Devlink as netlink_genl::GenlMessage>::SCHEMA),
    ("dpll", &<netlink_families::dpll::Dpll as netlink_genl::GenlMessage>::SCHEMA),
    ("drm-ras", &<netlink_families::drm_ras::DrmRas as netlink_genl::GenlMessage>::SCHEMA),
    ("ethtool", &<netlink_families::ethtool::Ethtool as netlink_genl::GenlMessage>::SCHEMA),
    ("fou", &<netlink_families::fou::Fou as netlink_genl::GenlMessage>::SCHEMA),
    ("handshake", &<netlink_families::handshake::Handshake as netlink_genl::GenlMessage>::SCHEMA),
    ("lockd", &<netlink_families::lockd::Lockd as netlink_genl::GenlMessage>::SCHEMA),
    ("mptcp_pm", &<netlink_families::mptcp_pm::MptcpPm as netlink_genl::GenlMessage>::SCHEMA),
    ("net-shaper", &<netlink_families::net_shaper::NetShaper as netlink_genl::GenlMessage>::SCHEMA),
    ("netdev", &<netlink_families::netdev::Netdev as netlink_genl::GenlMessage>::SCHEMA),
    ("nfsd", &<netlink_families::nfsd::Nfsd as netlink_genl::GenlMessage>::SCHEMA),
    ("nl80211", &<netlink_families::nl80211::Nl80211 as netlink_genl::GenlMessage>::SCHEMA),
    ("nlctrl", &<netlink_families::nlctrl::Nlctrl as netlink_genl::GenlMessage>::SCHEMA),
    ("ovpn", &<netlink_families::ovpn::Ovpn as netlink_genl::GenlMessage>::SCHEMA),
    ("ovs_datapath", &<netlink_families::ovs_datapath::OvsDatapath as netlink_genl::GenlMessage>::SCHEMA),
    ("ovs_flow", &<netlink_families::ovs_flow::OvsFlow as netlink_genl::GenlMessage>::SCHEMA),
    ("ovs_packet", &<netlink_families::ovs_packet::OvsPacket as netlink_genl::GenlMessage>::SCHEMA),
    ("ovs_vport", &<netlink_families::ovs_vport::OvsVport as netlink_genl::GenlMessage>::SCHEMA),
    ("psp", &<netlink_families::psp::Psp as netlink_genl::GenlMessage>::SCHEMA),
    ("sunrpc", &<netlink_families::sunrpc::Sunrpc as netlink_genl::GenlMessage>::SCHEMA),
    ("team", &<netlink_families::team::Team as netlink_genl::GenlMessage>::SCHEMA),
    ("wireguard", &<netlink_families::wireguard::Wireguard as netlink_genl::GenlMessage>::SCHEMA),
];
