//! The `netdev` generic netlink family, declared with the derives: devices and their XDP
//! features (`dev-get`), queues (`queue-get`), NAPI instances (`napi-get`) and the device
//! notifications of the `mgmt` group.
//!
//! No uapi header for netdev is installed here; ids and flag names come from the kernel's YNL
//! spec `Documentation/netlink/specs/netdev.yaml`. Attribute `pad` (2) of the `dev` set pads
//! the u64 attributes; it is skipped as an unknown id.
//!
//! ```no_run
//! use example_families::netdev::{self, Dev, Netdev};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! for dev in netdev::devices(&mut sock)? {
//!     println!("{:?}: {}", dev.ifindex, netdev::xdp_act_names(dev.xdp_features.unwrap_or(0)).join(" "));
//! }
//! # Ok::<(), netlink_genl::Error>(())
//! ```
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

use netlink_genl::{Error, GenlMessage, GenlSocket, NlAttrs};

/// The family name.
pub const FAMILY: &str = "netdev";
/// The multicast group of device notifications.
pub const MGMT_GROUP: &str = "mgmt";

/// Command numbers (the YNL spec's operation list, from 1).
pub mod cmd {
    /// `dev-get` (do and dump).
    pub const DEV_GET: u8 = 1;
    /// `dev-add-ntf`.
    pub const DEV_ADD_NTF: u8 = 2;
    /// `dev-del-ntf`.
    pub const DEV_DEL_NTF: u8 = 3;
    /// `dev-change-ntf`.
    pub const DEV_CHANGE_NTF: u8 = 4;
    /// `page-pool-get`.
    pub const PAGE_POOL_GET: u8 = 5;
    /// `queue-get`.
    pub const QUEUE_GET: u8 = 10;
    /// `napi-get`.
    pub const NAPI_GET: u8 = 11;
}

/// Attribute set `dev`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Dev {
    /// `ifindex` (u32, at least 1).
    #[nla(id = 1, min = 1)]
    pub ifindex: Option<u32>,
    /// `xdp-features`: a bitmask of [`XDP_ACT`] flags.
    #[nla(id = 3)]
    pub xdp_features: Option<u64>,
    /// `xdp-zc-max-segs`.
    #[nla(id = 4)]
    pub xdp_zc_max_segs: Option<u32>,
    /// `xdp-rx-metadata-features`: a bitmask of [`XDP_RX_METADATA`] flags.
    #[nla(id = 5)]
    pub xdp_rx_metadata_features: Option<u64>,
    /// `xsk-features`: a bitmask of [`XSK_FLAGS`] flags.
    #[nla(id = 6)]
    pub xsk_features: Option<u64>,
}

/// Attribute set `queue`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Queue {
    /// `id`: the queue index within its type.
    #[nla(id = 1)]
    pub id: Option<u32>,
    /// `ifindex` (at least 1).
    #[nla(id = 2, min = 1)]
    pub ifindex: Option<u32>,
    /// `type`: [`QUEUE_TYPE_RX`] or [`QUEUE_TYPE_TX`] (at most 1).
    #[nla(id = 3, max = 1)]
    pub ty: Option<u32>,
    /// `napi-id`.
    #[nla(id = 4)]
    pub napi_id: Option<u32>,
    /// `dmabuf`.
    #[nla(id = 5)]
    pub dmabuf: Option<u32>,
}

/// Attribute set `napi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Napi {
    /// `ifindex` (at least 1).
    #[nla(id = 1, min = 1)]
    pub ifindex: Option<u32>,
    /// `id`.
    #[nla(id = 2)]
    pub id: Option<u32>,
    /// `irq`.
    #[nla(id = 3)]
    pub irq: Option<u32>,
    /// `pid`: the NAPI thread, in threaded mode.
    #[nla(id = 4)]
    pub pid: Option<u32>,
    /// `defer-hard-irqs`.
    #[nla(id = 5)]
    pub defer_hard_irqs: Option<u32>,
    /// `gro-flush-timeout` (ns, `uint`).
    #[nla(id = 6, uint)]
    pub gro_flush_timeout: Option<u64>,
    /// `irq-suspend-timeout` (ns, `uint`).
    #[nla(id = 7, uint)]
    pub irq_suspend_timeout: Option<u64>,
    /// `threaded`.
    #[nla(id = 8)]
    pub threaded: Option<u32>,
}

/// `queue-type` `rx`.
pub const QUEUE_TYPE_RX: u32 = 0;
/// `queue-type` `tx`.
pub const QUEUE_TYPE_TX: u32 = 1;

/// The netdev commands this crate declares.
///
/// Answers (`reply`): the do handlers of `dev-get`, `queue-get` and `napi-get`
/// (`netdev_nl_*_get_doit` in `net/core/netdev-genl.c`) each end with one `genlmsg_reply` of
/// the same command, or return an error without a reply (`napi-get` of a NAPI whose device is
/// down is `-ENOENT`, not an empty reply).
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "netdev", version = 1)]
pub enum Netdev {
    /// `dev-get` (1): request (ifindex, or nothing for a dump) and reply.
    #[genl(cmd = 1, reply = DevGet)]
    DevGet(Dev),
    /// `dev-add-ntf` (2).
    #[genl(cmd = 2)]
    DevAddNtf(Dev),
    /// `dev-del-ntf` (3).
    #[genl(cmd = 3)]
    DevDelNtf(Dev),
    /// `dev-change-ntf` (4).
    #[genl(cmd = 4)]
    DevChangeNtf(Dev),
    /// `queue-get` (10): request (ifindex, type, id; a dump takes ifindex) and reply.
    #[genl(cmd = 10, reply = QueueGet)]
    QueueGet(Queue),
    /// `napi-get` (11): request (id; a dump takes ifindex) and reply.
    #[genl(cmd = 11, reply = NapiGet)]
    NapiGet(Napi),
}

/// Flag names of enum `xdp-act`, bit 0 first.
pub const XDP_ACT: &[&str] = &[
    "basic",
    "redirect",
    "ndo-xmit",
    "xsk-zerocopy",
    "hw-offload",
    "rx-sg",
    "ndo-xmit-sg",
];

/// Flag names of enum `xdp-rx-metadata`, bit 0 first.
pub const XDP_RX_METADATA: &[&str] = &["timestamp", "hash", "vlan-tag"];

/// Flag names of enum `xsk-flags`, bit 0 first.
pub const XSK_FLAGS: &[&str] = &["tx-timestamp", "tx-checksum", "tx-launch-time-fifo"];

/// The names of the bits set in `value`, given the names of bits 0, 1, ...; bits without a
/// name are `bit N`.
pub fn flag_names(value: u64, names: &[&str]) -> Vec<String> {
    (0..64)
        .filter(|i| value & (1u64 << i) != 0)
        .map(|i| match names.get(i as usize) {
            Some(n) => (*n).to_owned(),
            None => format!("bit {i}"),
        })
        .collect()
}

/// The names of the `xdp-act` flags set in `value`.
pub fn xdp_act_names(value: u64) -> Vec<String> {
    flag_names(value, XDP_ACT)
}

/// The names of the `xdp-rx-metadata` flags set in `value`.
pub fn xdp_rx_metadata_names(value: u64) -> Vec<String> {
    flag_names(value, XDP_RX_METADATA)
}

/// The names of the `xsk-flags` set in `value`.
pub fn xsk_names(value: u64) -> Vec<String> {
    flag_names(value, XSK_FLAGS)
}

/// The name of a queue type.
pub fn queue_type_name(ty: u32) -> &'static str {
    match ty {
        QUEUE_TYPE_RX => "rx",
        QUEUE_TYPE_TX => "tx",
        _ => "unknown",
    }
}

impl Netdev {
    /// The `dev` attribute set, for the device commands.
    pub fn dev(&self) -> Option<&Dev> {
        match self {
            Netdev::DevGet(d)
            | Netdev::DevAddNtf(d)
            | Netdev::DevDelNtf(d)
            | Netdev::DevChangeNtf(d) => Some(d),
            Netdev::QueueGet(_) | Netdev::NapiGet(_) => None,
        }
    }
}

/// Every device of the socket's network namespace (`dev-get` dump), in the kernel's order.
pub fn devices(sock: &mut GenlSocket) -> Result<Vec<Dev>, Error> {
    let mut out = Vec::new();
    sock.dump_with(&Netdev::DevGet(Dev::default()), |m: Netdev| {
        if let Netdev::DevGet(d) = m {
            out.push(d);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Device `ifindex` (`dev-get` do).
pub fn device(sock: &mut GenlSocket, ifindex: u32) -> Result<Option<Dev>, Error> {
    let req = Netdev::DevGet(Dev {
        ifindex: Some(ifindex),
        ..Dev::default()
    });
    Ok(match sock.request(&req)? {
        Netdev::DevGet(d) => Some(d),
        _ => None,
    })
}

/// The queues of device `ifindex`, or of every device (`queue-get` dump).
pub fn queues(sock: &mut GenlSocket, ifindex: Option<u32>) -> Result<Vec<Queue>, Error> {
    let mut out = Vec::new();
    let req = Netdev::QueueGet(Queue {
        ifindex,
        ..Queue::default()
    });
    sock.dump_with(&req, |m: Netdev| {
        if let Netdev::QueueGet(q) = m {
            out.push(q);
        }
        Ok(())
    })?;
    Ok(out)
}

/// The NAPI instances of device `ifindex`, or of every device (`napi-get` dump).
pub fn napis(sock: &mut GenlSocket, ifindex: Option<u32>) -> Result<Vec<Napi>, Error> {
    let mut out = Vec::new();
    let req = Netdev::NapiGet(Napi {
        ifindex,
        ..Napi::default()
    });
    sock.dump_with(&req, |m: Netdev| {
        if let Netdev::NapiGet(n) = m {
            out.push(n);
        }
        Ok(())
    })?;
    Ok(out)
}

/// The name of interface `index` in the calling thread's network namespace
/// (`if_indextoname`), if it exists.
pub fn if_name(index: u32) -> Option<String> {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: `buf` has IF_NAMESIZE bytes, as if_indextoname requires; it writes a
    // NUL-terminated name there or returns NULL.
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if p.is_null() {
        return None;
    }
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8(bytes).ok()
}

/// The index of interface `name` in the calling thread's network namespace
/// (`if_nametoindex`), if it exists.
pub fn if_index(name: &str) -> Option<u32> {
    let c = std::ffi::CString::new(name).ok()?;
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    let i = unsafe { libc::if_nametoindex(c.as_ptr()) };
    (i != 0).then_some(i)
}

/// What the `netdev` program prints (text, or one line of JSON per value with `--json`).
pub mod show {
    use netlink_genl::{Error, GenlSocket};
    use serde::Serialize;

    use super::{
        Dev, Napi, Netdev, Queue, if_name, queue_type_name, xdp_act_names, xdp_rx_metadata_names,
        xsk_names,
    };
    use crate::json_line;

    /// A bitmask with its flag names.
    #[derive(Debug, Serialize)]
    pub struct Flags {
        /// The bitmask.
        pub value: u64,
        /// The names of its bits.
        pub names: Vec<String>,
    }

    impl Flags {
        /// The bitmask `value` (0 when absent), named by `names`.
        pub fn new(value: Option<u64>, names: fn(u64) -> Vec<String>) -> Self {
            let value = value.unwrap_or(0);
            Flags {
                value,
                names: names(value),
            }
        }

        /// The names, or `none`.
        pub fn text(&self) -> String {
            if self.names.is_empty() {
                "none".to_owned()
            } else {
                self.names.join(" ")
            }
        }
    }

    /// One queue of a device.
    #[derive(Debug, Serialize)]
    pub struct QueueOut {
        /// `rx`, `tx` or `unknown`.
        #[serde(rename = "type")]
        pub ty: &'static str,
        /// The queue index.
        pub id: u32,
        /// The NAPI instance serving it.
        pub napi_id: Option<u32>,
    }

    /// One NAPI instance of a device.
    #[derive(Debug, Serialize)]
    pub struct NapiOut {
        /// The NAPI id.
        pub id: u32,
        /// Its interrupt.
        pub irq: Option<u32>,
        /// Its thread, in threaded mode.
        pub pid: Option<u32>,
    }

    /// One device: what the text shows, and the JSON.
    #[derive(Debug, Serialize)]
    pub struct DevOut {
        /// The device index.
        pub ifindex: u32,
        /// Its name in this network namespace.
        pub name: Option<String>,
        /// `xdp-features`.
        pub xdp_features: Flags,
        /// `xdp-rx-metadata-features`.
        pub xdp_rx_metadata_features: Flags,
        /// `xsk-features`.
        pub xsk_features: Flags,
        /// `xdp-zc-max-segs`.
        pub xdp_zc_max_segs: Option<u32>,
        /// In the listing only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub queues: Option<Vec<QueueOut>>,
        /// In the listing only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub napi: Option<Vec<NapiOut>>,
    }

    impl DevOut {
        /// A device as `dev-get` describes it.
        pub fn new(d: &Dev) -> Self {
            let ifindex = d.ifindex.unwrap_or(0);
            DevOut {
                ifindex,
                name: if_name(ifindex),
                xdp_features: Flags::new(d.xdp_features, xdp_act_names),
                xdp_rx_metadata_features: Flags::new(
                    d.xdp_rx_metadata_features,
                    xdp_rx_metadata_names,
                ),
                xsk_features: Flags::new(d.xsk_features, xsk_names),
                xdp_zc_max_segs: d.xdp_zc_max_segs,
                queues: None,
                napi: None,
            }
        }

        /// With the queues and NAPI instances of the device among `queues` and `napis`.
        pub fn with_queues(mut self, d: &Dev, queues: &[Queue], napis: &[Napi]) -> Self {
            self.queues = Some(
                queues
                    .iter()
                    .filter(|q| q.ifindex == d.ifindex)
                    .map(|q| QueueOut {
                        ty: queue_type_name(q.ty.unwrap_or(u32::MAX)),
                        id: q.id.unwrap_or(0),
                        napi_id: q.napi_id,
                    })
                    .collect(),
            );
            self.napi = Some(
                napis
                    .iter()
                    .filter(|n| n.ifindex == d.ifindex)
                    .map(|n| NapiOut {
                        id: n.id.unwrap_or(0),
                        irq: n.irq,
                        pid: n.pid,
                    })
                    .collect(),
            );
            self
        }

        /// The text: a line with index and name, then a line per feature set, queues and NAPIs.
        pub fn text(&self) -> String {
            let x = &self.xdp_features;
            let m = &self.xdp_rx_metadata_features;
            let k = &self.xsk_features;
            let mut s = format!(
                "{}: {}\n\txdp-features ({:#x}): {}\n\txdp-rx-metadata-features ({:#x}): {}\n\txsk-features ({:#x}): {}\n",
                self.ifindex,
                self.name.as_deref().unwrap_or("?"),
                x.value,
                x.text(),
                m.value,
                m.text(),
                k.value,
                k.text(),
            );
            if let Some(z) = self.xdp_zc_max_segs {
                s.push_str(&format!("\txdp-zc-max-segs: {z}\n"));
            }
            let none = |v: Vec<String>| {
                if v.is_empty() {
                    "none".to_owned()
                } else {
                    v.join(" ")
                }
            };
            if let Some(queues) = &self.queues {
                let q: Vec<String> = queues
                    .iter()
                    .map(|q| match q.napi_id {
                        Some(n) => format!("{}-{} (napi {n})", q.ty, q.id),
                        None => format!("{}-{}", q.ty, q.id),
                    })
                    .collect();
                s.push_str(&format!("\tqueues: {}\n", none(q)));
            }
            if let Some(napis) = &self.napi {
                let n: Vec<String> = napis
                    .iter()
                    .map(|n| {
                        let mut s = n.id.to_string();
                        if let Some(irq) = n.irq {
                            s.push_str(&format!(" irq {irq}"));
                        }
                        if let Some(pid) = n.pid {
                            s.push_str(&format!(" pid {pid}"));
                        }
                        s
                    })
                    .collect();
                s.push_str(&format!("\tnapi: {}\n", none(n)));
            }
            s
        }
    }

    /// `netdev list`: every device with its queues and NAPI instances.
    pub fn list(sock: &mut GenlSocket, json: bool) -> Result<String, Error> {
        let devs = super::devices(sock)?;
        let queues = super::queues(sock, None)?;
        let napis = super::napis(sock, None)?;
        let out: Vec<DevOut> = devs
            .iter()
            .map(|d| DevOut::new(d).with_queues(d, &queues, &napis))
            .collect();
        Ok(if json {
            json_line(&out)
        } else {
            out.iter().map(DevOut::text).collect()
        })
    }

    /// `netdev dev DEV`: device `ifindex`.
    pub fn device(sock: &mut GenlSocket, ifindex: u32, json: bool) -> Result<String, Error> {
        let d = super::device(sock, ifindex)?
            .ok_or_else(|| netlink_genl::DecodeError::custom("no dev-get reply"))?;
        let d = DevOut::new(&d);
        Ok(if json { json_line(&d) } else { d.text() })
    }

    /// One notification as JSON.
    #[derive(Debug, Serialize)]
    struct EventOut {
        event: &'static str,
        dev: Option<DevOut>,
    }

    /// `netdev monitor`: one notification.
    pub fn event(msg: &Netdev, json: bool) -> String {
        let event = match msg {
            Netdev::DevAddNtf(_) => "dev-add",
            Netdev::DevDelNtf(_) => "dev-del",
            Netdev::DevChangeNtf(_) => "dev-change",
            _ => "other",
        };
        let dev = msg.dev().map(DevOut::new);
        if json {
            json_line(&EventOut { event, dev })
        } else {
            match dev {
                Some(d) => format!("[{event}] {}", d.text()),
                None => format!("[{event}] {msg:?}\n"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_name_and_index() {
        assert_eq!(if_index("lo"), Some(1));
        assert_eq!(if_name(1).as_deref(), Some("lo"));
        assert_eq!(if_index("no-such-dev0"), None);
    }

    #[test]
    fn veth_xdp_features_by_name() {
        // 35 is what an up veth reports on this kernel: basic, redirect, rx-sg.
        assert_eq!(xdp_act_names(35), ["basic", "redirect", "rx-sg"]);
        assert_eq!(xdp_rx_metadata_names(7), ["timestamp", "hash", "vlan-tag"]);
        assert_eq!(flag_names(1 << 40, XSK_FLAGS), ["bit 40"]);
        assert!(xdp_act_names(0).is_empty());
    }
}
