//! Ready generic netlink families for [`netlink_genl`]: the kernel's YNL specs
//! (`Documentation/netlink/specs`), turned into `#[derive(NlAttrs)]` and `#[derive(GenlMessage)]`
//! types by [`netlink-ynl`](https://docs.rs/netlink-ynl). One module and one cargo feature per
//! family (the spec's name, e.g. `netdev`, `mptcp_pm`, `dev-energymodel`); `full` enables all.
//!
//! Each module holds the family's definitions (consts, enums, flags, structs), one struct per
//! attribute set and the family's message enum. Every field is optional (`Option`, or an empty
//! `Vec`): the spec's request and reply attribute lists say which are used when.
//!
//! ```no_run
//! # #[cfg(feature = "netdev")] {
//! use netlink_families::netdev::{Dev, Netdev};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! for msg in sock.dump(&Netdev::DevGet(Dev::default()))? {
//!     if let Netdev::DevGet(dev) = msg? {
//!         println!("{:?}: {:?}", dev.ifindex, dev.xdp_features.map(|f| f.names()));
//!     }
//! }
//! # }
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! The files in `src/generated` are the generator's output, committed; a test of `netlink-ynl`
//! regenerates them from the specs it vendors and fails on any difference. The specs are the
//! kernel's, licensed `(GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause` (their SPDX lines);
//! the generated code is under this crate's licence. What each family leaves out (features of
//! the specs the derive cannot express yet) is in netlink-ynl's README.

#[cfg(feature = "binder")]
#[path = "generated/binder.rs"]
pub mod binder;

#[cfg(feature = "dev-energymodel")]
#[path = "generated/dev-energymodel.rs"]
pub mod dev_energymodel;

#[cfg(feature = "devlink")]
#[path = "generated/devlink.rs"]
pub mod devlink;

#[cfg(feature = "dpll")]
#[path = "generated/dpll.rs"]
pub mod dpll;

#[cfg(feature = "drm-ras")]
#[path = "generated/drm-ras.rs"]
pub mod drm_ras;

#[cfg(feature = "ethtool")]
#[path = "generated/ethtool.rs"]
pub mod ethtool;

#[cfg(feature = "fou")]
#[path = "generated/fou.rs"]
pub mod fou;

#[cfg(feature = "handshake")]
#[path = "generated/handshake.rs"]
pub mod handshake;

#[cfg(feature = "lockd")]
#[path = "generated/lockd.rs"]
pub mod lockd;

#[cfg(feature = "mptcp_pm")]
#[path = "generated/mptcp_pm.rs"]
pub mod mptcp_pm;

#[cfg(feature = "net-shaper")]
#[path = "generated/net-shaper.rs"]
pub mod net_shaper;

#[cfg(feature = "netdev")]
#[path = "generated/netdev.rs"]
pub mod netdev;

#[cfg(feature = "nfsd")]
#[path = "generated/nfsd.rs"]
pub mod nfsd;

#[cfg(feature = "nl80211")]
#[path = "generated/nl80211.rs"]
pub mod nl80211;

#[cfg(feature = "nlctrl")]
#[path = "generated/nlctrl.rs"]
pub mod nlctrl;

#[cfg(feature = "ovpn")]
#[path = "generated/ovpn.rs"]
pub mod ovpn;

#[cfg(feature = "ovs_datapath")]
#[path = "generated/ovs_datapath.rs"]
pub mod ovs_datapath;

#[cfg(feature = "ovs_flow")]
#[path = "generated/ovs_flow.rs"]
pub mod ovs_flow;

#[cfg(feature = "ovs_packet")]
#[path = "generated/ovs_packet.rs"]
pub mod ovs_packet;

#[cfg(feature = "ovs_vport")]
#[path = "generated/ovs_vport.rs"]
pub mod ovs_vport;

#[cfg(feature = "psp")]
#[path = "generated/psp.rs"]
pub mod psp;

#[cfg(feature = "sunrpc")]
#[path = "generated/sunrpc.rs"]
pub mod sunrpc;

#[cfg(feature = "team")]
#[path = "generated/team.rs"]
pub mod team;

#[cfg(feature = "wireguard")]
#[path = "generated/wireguard.rs"]
pub mod wireguard;
