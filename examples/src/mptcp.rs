//! The `mptcp_pm` generic netlink family (the in-kernel MPTCP path manager), declared with the
//! derives: endpoints (add, delete, get, dump, flush, set flags), limits, and the connection
//! events of the `mptcp_pm_events` group.
//!
//! Ids from `<linux/mptcp.h>` and the kernel's YNL spec
//! `Documentation/netlink/specs/mptcp_pm.yaml`. Commands and events share the family but not
//! their numbering (event 1 is `created`, command 1 is `ADD_ADDR`), so they are two enums:
//! [`MptcpPm`] for commands and [`MptcpEvent`] for events.
//!
//! Endpoints are per network namespace: use this in a namespace of your own.
//!
//! ```no_run
//! use example_families::mptcp::{self, Address, flags};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! mptcp::add_endpoint(&mut sock, &Address::ipv4("10.0.0.2".parse().unwrap(), flags::SUBFLOW))?;
//! for ep in mptcp::endpoints(&mut sock)? {
//!     println!("{}", ep);
//! }
//! # Ok::<(), netlink_genl::Error>(())
//! ```
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_genl::{DecodeError, Error, GenlMessage, GenlSocket, NlAttrs};

/// The family name (`MPTCP_PM_NAME`).
pub const FAMILY: &str = "mptcp_pm";
/// The multicast group of connection events (`MPTCP_PM_EV_GRP_NAME`).
pub const EVENTS_GROUP: &str = "mptcp_pm_events";
/// The multicast group of commands (`MPTCP_PM_CMD_GRP_NAME`).
pub const CMDS_GROUP: &str = "mptcp_pm_cmds";

/// `AF_INET`.
pub const AF_INET: u16 = 2;
/// `AF_INET6`.
pub const AF_INET6: u16 = 10;

/// Endpoint flags (`MPTCP_PM_ADDR_FLAG_*`).
pub mod flags {
    /// `signal`: announce the address to peers.
    pub const SIGNAL: u32 = 1 << 0;
    /// `subflow`: create subflows from it.
    pub const SUBFLOW: u32 = 1 << 1;
    /// `backup`.
    pub const BACKUP: u32 = 1 << 2;
    /// `fullmesh`.
    pub const FULLMESH: u32 = 1 << 3;
    /// `implicit`: created by the kernel.
    pub const IMPLICIT: u32 = 1 << 4;

    /// Flag names in bit order, as `ip mptcp endpoint` spells them.
    pub const NAMES: &[(u32, &str)] = &[
        (SIGNAL, "signal"),
        (SUBFLOW, "subflow"),
        (BACKUP, "backup"),
        (FULLMESH, "fullmesh"),
        (IMPLICIT, "implicit"),
    ];

    /// The flag for `name`.
    pub fn by_name(name: &str) -> Option<u32> {
        NAMES.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// The names of the flags set in `v`.
    pub fn names(v: u32) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|(f, _)| v & f != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// Attribute set `address` (`MPTCP_PM_ADDR_ATTR_*`): one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Address {
    /// `MPTCP_PM_ADDR_ATTR_FAMILY`: [`AF_INET`] or [`AF_INET6`].
    #[nla(id = 1)]
    pub family: Option<u16>,
    /// `MPTCP_PM_ADDR_ATTR_ID`: the endpoint id (assigned by the kernel when absent).
    #[nla(id = 2)]
    pub id: Option<u8>,
    /// `MPTCP_PM_ADDR_ATTR_ADDR4` (network order on the wire).
    #[nla(id = 3)]
    pub addr4: Option<Ipv4Addr>,
    /// `MPTCP_PM_ADDR_ATTR_ADDR6`.
    #[nla(id = 4)]
    pub addr6: Option<Ipv6Addr>,
    /// `MPTCP_PM_ADDR_ATTR_PORT`: a u16 in **host** order (the kernel converts it with
    /// `htons`/`ntohs`; older YNL specs said big-endian, which the kernel never did: a listener
    /// for port 1234 sent big-endian ends up on port 53764). The event ports
    /// ([`EventAttrs::sport`]) are big-endian.
    #[nla(id = 5)]
    pub port: Option<u16>,
    /// `MPTCP_PM_ADDR_ATTR_FLAGS`: [`flags`].
    #[nla(id = 6)]
    pub flags: Option<u32>,
    /// `MPTCP_PM_ADDR_ATTR_IF_IDX`.
    #[nla(id = 7)]
    pub if_idx: Option<i32>,
}

impl Address {
    /// An IPv4 endpoint with `flags`.
    pub fn ipv4(addr: Ipv4Addr, flags: u32) -> Self {
        Address {
            family: Some(AF_INET),
            addr4: Some(addr),
            flags: Some(flags),
            ..Address::default()
        }
    }

    /// An endpoint for `addr` (v4 or v6) with `flags`.
    pub fn ip(addr: IpAddr, flags: u32) -> Self {
        match addr {
            IpAddr::V4(a) => Address::ipv4(a, flags),
            IpAddr::V6(a) => Address {
                family: Some(AF_INET6),
                addr6: Some(a),
                flags: Some(flags),
                ..Address::default()
            },
        }
    }

    /// Only an id: how DEL_ADDR, GET_ADDR (do) and SET_FLAGS name an endpoint (the kernel
    /// refuses a FAMILY there: "missing address data").
    pub fn by_id(id: u8) -> Self {
        Address {
            id: Some(id),
            ..Address::default()
        }
    }

    /// The address, v4 or v6.
    pub fn addr(&self) -> Option<IpAddr> {
        self.addr4
            .map(IpAddr::V4)
            .or_else(|| self.addr6.map(IpAddr::V6))
    }
}

/// Like `ip mptcp endpoint show`: `10.0.0.2 port 1000 id 1 signal dev veth0` (the device by
/// index: `dev #3`).
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr() {
            Some(a) => write!(f, "{a}")?,
            None => f.write_str("?")?,
        }
        if let Some(p) = self.port.filter(|&p| p != 0) {
            write!(f, " port {p}")?;
        }
        if let Some(id) = self.id {
            write!(f, " id {id}")?;
        }
        for n in flags::names(self.flags.unwrap_or(0)) {
            write!(f, " {n}")?;
        }
        if let Some(i) = self.if_idx.filter(|&i| i != 0) {
            write!(f, " dev #{i}")?;
        }
        Ok(())
    }
}

/// Attribute set `attr` (`MPTCP_PM_ATTR_*`) of the commands; the endpoint commands use its
/// `addr` only (set `endpoint`, same id).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct PmAttrs {
    /// `MPTCP_PM_ATTR_ADDR`.
    #[nla(id = 1, nested)]
    pub addr: Option<Address>,
    /// `MPTCP_PM_ATTR_RCV_ADD_ADDRS`: the limit of ADD_ADDRs accepted.
    #[nla(id = 2)]
    pub rcv_add_addrs: Option<u32>,
    /// `MPTCP_PM_ATTR_SUBFLOWS`: the limit of subflows.
    #[nla(id = 3)]
    pub subflows: Option<u32>,
    /// `MPTCP_PM_ATTR_TOKEN`: a connection.
    #[nla(id = 4)]
    pub token: Option<u32>,
    /// `MPTCP_PM_ATTR_LOC_ID`.
    #[nla(id = 5)]
    pub loc_id: Option<u8>,
    /// `MPTCP_PM_ATTR_ADDR_REMOTE`.
    #[nla(id = 6, nested)]
    pub addr_remote: Option<Address>,
}

impl PmAttrs {
    /// Only `addr`.
    pub fn addr(a: Address) -> Self {
        PmAttrs {
            addr: Some(a),
            ..PmAttrs::default()
        }
    }
}

/// The path-manager commands (`MPTCP_PM_CMD_*`). Replies come back with the request's command.
///
/// Answers, from the do handlers in `net/mptcp/` (`pm_netlink.c`, `pm_kernel.c`,
/// `pm_userspace.c`, `pm.c`): `GET_ADDR` and `GET_LIMITS` end with one `genlmsg_reply` carrying
/// the request's command, or fail without one (`reply` to themselves); every other command
/// returns 0 or an error and never replies (`ack`).
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "mptcp_pm", version = 1)]
pub enum MptcpPm {
    /// `MPTCP_PM_CMD_ADD_ADDR` (1).
    #[genl(cmd = 1, ack)]
    AddAddr(PmAttrs),
    /// `MPTCP_PM_CMD_DEL_ADDR` (2).
    #[genl(cmd = 2, ack)]
    DelAddr(PmAttrs),
    /// `MPTCP_PM_CMD_GET_ADDR` (3): by id (do) or all (dump).
    #[genl(cmd = 3, reply = GetAddr)]
    GetAddr(PmAttrs),
    /// `MPTCP_PM_CMD_FLUSH_ADDRS` (4).
    #[genl(cmd = 4, ack)]
    FlushAddrs(PmAttrs),
    /// `MPTCP_PM_CMD_SET_LIMITS` (5).
    #[genl(cmd = 5, ack)]
    SetLimits(PmAttrs),
    /// `MPTCP_PM_CMD_GET_LIMITS` (6).
    #[genl(cmd = 6, reply = GetLimits)]
    GetLimits(PmAttrs),
    /// `MPTCP_PM_CMD_SET_FLAGS` (7).
    #[genl(cmd = 7, ack)]
    SetFlags(PmAttrs),
    /// `MPTCP_PM_CMD_ANNOUNCE` (8).
    #[genl(cmd = 8, ack)]
    Announce(PmAttrs),
    /// `MPTCP_PM_CMD_REMOVE` (9).
    #[genl(cmd = 9, ack)]
    Remove(PmAttrs),
    /// `MPTCP_PM_CMD_SUBFLOW_CREATE` (10).
    #[genl(cmd = 10, ack)]
    SubflowCreate(PmAttrs),
    /// `MPTCP_PM_CMD_SUBFLOW_DESTROY` (11).
    #[genl(cmd = 11, ack)]
    SubflowDestroy(PmAttrs),
}

impl MptcpPm {
    /// The attributes, whatever the command.
    pub fn attrs(&self) -> &PmAttrs {
        match self {
            MptcpPm::AddAddr(a)
            | MptcpPm::DelAddr(a)
            | MptcpPm::GetAddr(a)
            | MptcpPm::FlushAddrs(a)
            | MptcpPm::SetLimits(a)
            | MptcpPm::GetLimits(a)
            | MptcpPm::SetFlags(a)
            | MptcpPm::Announce(a)
            | MptcpPm::Remove(a)
            | MptcpPm::SubflowCreate(a)
            | MptcpPm::SubflowDestroy(a) => a,
        }
    }

    /// The attributes, whatever the command.
    pub fn into_attrs(self) -> PmAttrs {
        match self {
            MptcpPm::AddAddr(a)
            | MptcpPm::DelAddr(a)
            | MptcpPm::GetAddr(a)
            | MptcpPm::FlushAddrs(a)
            | MptcpPm::SetLimits(a)
            | MptcpPm::GetLimits(a)
            | MptcpPm::SetFlags(a)
            | MptcpPm::Announce(a)
            | MptcpPm::Remove(a)
            | MptcpPm::SubflowCreate(a)
            | MptcpPm::SubflowDestroy(a) => a,
        }
    }
}

/// Attribute set `event-attr` (`MPTCP_ATTR_*`) of the events.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct EventAttrs {
    /// `MPTCP_ATTR_TOKEN`: the connection.
    #[nla(id = 1)]
    pub token: Option<u32>,
    /// `MPTCP_ATTR_FAMILY`.
    #[nla(id = 2)]
    pub family: Option<u16>,
    /// `MPTCP_ATTR_LOC_ID`.
    #[nla(id = 3)]
    pub loc_id: Option<u8>,
    /// `MPTCP_ATTR_REM_ID`.
    #[nla(id = 4)]
    pub rem_id: Option<u8>,
    /// `MPTCP_ATTR_SADDR4`.
    #[nla(id = 5)]
    pub saddr4: Option<Ipv4Addr>,
    /// `MPTCP_ATTR_SADDR6`.
    #[nla(id = 6)]
    pub saddr6: Option<Ipv6Addr>,
    /// `MPTCP_ATTR_DADDR4`.
    #[nla(id = 7)]
    pub daddr4: Option<Ipv4Addr>,
    /// `MPTCP_ATTR_DADDR6`.
    #[nla(id = 8)]
    pub daddr6: Option<Ipv6Addr>,
    /// `MPTCP_ATTR_SPORT` (big-endian).
    #[nla(id = 9, big_endian)]
    pub sport: Option<u16>,
    /// `MPTCP_ATTR_DPORT` (big-endian).
    #[nla(id = 10, big_endian)]
    pub dport: Option<u16>,
    /// `MPTCP_ATTR_BACKUP`.
    #[nla(id = 11)]
    pub backup: Option<u8>,
    /// `MPTCP_ATTR_ERROR`.
    #[nla(id = 12)]
    pub error: Option<u8>,
    /// `MPTCP_ATTR_FLAGS`.
    #[nla(id = 13)]
    pub flags: Option<u16>,
    /// `MPTCP_ATTR_TIMEOUT`.
    #[nla(id = 14)]
    pub timeout: Option<u32>,
    /// `MPTCP_ATTR_IF_IDX`.
    #[nla(id = 15)]
    pub if_idx: Option<i32>,
    /// `MPTCP_ATTR_RESET_REASON`.
    #[nla(id = 16)]
    pub reset_reason: Option<u32>,
    /// `MPTCP_ATTR_RESET_FLAGS`.
    #[nla(id = 17)]
    pub reset_flags: Option<u32>,
    /// `MPTCP_ATTR_SERVER_SIDE`.
    #[nla(id = 18)]
    pub server_side: Option<u8>,
}

/// The events (`enum mptcp_event_type`), sent to the [`EVENTS_GROUP`] group.
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "mptcp_pm", version = 1)]
pub enum MptcpEvent {
    /// `MPTCP_EVENT_CREATED` (1).
    #[genl(cmd = 1)]
    Created(EventAttrs),
    /// `MPTCP_EVENT_ESTABLISHED` (2).
    #[genl(cmd = 2)]
    Established(EventAttrs),
    /// `MPTCP_EVENT_CLOSED` (3).
    #[genl(cmd = 3)]
    Closed(EventAttrs),
    /// `MPTCP_EVENT_ANNOUNCED` (6).
    #[genl(cmd = 6)]
    Announced(EventAttrs),
    /// `MPTCP_EVENT_REMOVED` (7).
    #[genl(cmd = 7)]
    Removed(EventAttrs),
    /// `MPTCP_EVENT_SUB_ESTABLISHED` (10).
    #[genl(cmd = 10)]
    SubEstablished(EventAttrs),
    /// `MPTCP_EVENT_SUB_CLOSED` (11).
    #[genl(cmd = 11)]
    SubClosed(EventAttrs),
    /// `MPTCP_EVENT_SUB_PRIORITY` (13).
    #[genl(cmd = 13)]
    SubPriority(EventAttrs),
    /// `MPTCP_EVENT_LISTENER_CREATED` (15).
    #[genl(cmd = 15)]
    ListenerCreated(EventAttrs),
    /// `MPTCP_EVENT_LISTENER_CLOSED` (16).
    #[genl(cmd = 16)]
    ListenerClosed(EventAttrs),
}

impl MptcpEvent {
    /// The attributes, whatever the event.
    pub fn attrs(&self) -> &EventAttrs {
        match self {
            MptcpEvent::Created(a)
            | MptcpEvent::Established(a)
            | MptcpEvent::Closed(a)
            | MptcpEvent::Announced(a)
            | MptcpEvent::Removed(a)
            | MptcpEvent::SubEstablished(a)
            | MptcpEvent::SubClosed(a)
            | MptcpEvent::SubPriority(a)
            | MptcpEvent::ListenerCreated(a)
            | MptcpEvent::ListenerClosed(a) => a,
        }
    }

    /// The event's name as `ip mptcp monitor` prints it (`CREATED`, `LISTENER_CREATED`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            MptcpEvent::Created(_) => "CREATED",
            MptcpEvent::Established(_) => "ESTABLISHED",
            MptcpEvent::Closed(_) => "CLOSED",
            MptcpEvent::Announced(_) => "ANNOUNCED",
            MptcpEvent::Removed(_) => "REMOVED",
            MptcpEvent::SubEstablished(_) => "SF_ESTABLISHED",
            MptcpEvent::SubClosed(_) => "SF_CLOSED",
            MptcpEvent::SubPriority(_) => "SF_PRIO",
            MptcpEvent::ListenerCreated(_) => "LISTENER_CREATED",
            MptcpEvent::ListenerClosed(_) => "LISTENER_CLOSED",
        }
    }
}

/// The path manager's limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// `add_addr_accepted` (`RCV_ADD_ADDRS`).
    pub add_addr_accepted: u32,
    /// `subflows`.
    pub subflows: u32,
}

/// Add endpoint `addr` (`ADD_ADDR`; the kernel answers with an ACK only).
pub fn add_endpoint(sock: &mut GenlSocket, addr: &Address) -> Result<(), Error> {
    sock.ack(&MptcpPm::AddAddr(PmAttrs::addr(addr.clone())))
}

/// Delete endpoint `id` (`DEL_ADDR`).
pub fn delete_endpoint(sock: &mut GenlSocket, id: u8) -> Result<(), Error> {
    sock.ack(&MptcpPm::DelAddr(PmAttrs::addr(Address::by_id(id))))
}

/// Endpoint `id` (`GET_ADDR` do).
pub fn endpoint(sock: &mut GenlSocket, id: u8) -> Result<Address, Error> {
    let reply = sock.request(&MptcpPm::GetAddr(PmAttrs::addr(Address::by_id(id))))?;
    reply
        .into_attrs()
        .addr
        .ok_or_else(|| DecodeError::custom("GET_ADDR reply without an address").into())
}

/// Every endpoint (`GET_ADDR` dump), in the kernel's order.
pub fn endpoints(sock: &mut GenlSocket) -> Result<Vec<Address>, Error> {
    let mut out = Vec::new();
    sock.dump_with(&MptcpPm::GetAddr(PmAttrs::default()), |m: MptcpPm| {
        if let Some(a) = m.into_attrs().addr {
            out.push(a);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Remove every endpoint (`FLUSH_ADDRS`).
pub fn flush(sock: &mut GenlSocket) -> Result<(), Error> {
    sock.ack(&MptcpPm::FlushAddrs(PmAttrs::default()))
}

/// Set the flags of endpoint `id` (`SET_FLAGS`; the kernel changes `backup` and `fullmesh`).
pub fn set_flags(sock: &mut GenlSocket, id: u8, flags: u32) -> Result<(), Error> {
    let addr = Address {
        flags: Some(flags),
        ..Address::by_id(id)
    };
    sock.ack(&MptcpPm::SetFlags(PmAttrs::addr(addr)))
}

/// The limits (`GET_LIMITS`).
pub fn limits(sock: &mut GenlSocket) -> Result<Limits, Error> {
    let a = sock
        .request(&MptcpPm::GetLimits(PmAttrs::default()))?
        .into_attrs();
    match (a.rcv_add_addrs, a.subflows) {
        (Some(add_addr_accepted), Some(subflows)) => Ok(Limits {
            add_addr_accepted,
            subflows,
        }),
        _ => Err(DecodeError::custom("GET_LIMITS reply without both limits").into()),
    }
}

/// Set one or both limits (`SET_LIMITS`).
pub fn set_limits(
    sock: &mut GenlSocket,
    add_addr_accepted: Option<u32>,
    subflows: Option<u32>,
) -> Result<(), Error> {
    sock.ack(&MptcpPm::SetLimits(PmAttrs {
        rcv_add_addrs: add_addr_accepted,
        subflows,
        ..PmAttrs::default()
    }))
}

/// What the `mptcp` program prints (text like `ip mptcp`, or one line of JSON with `--json`).
pub mod show {
    use std::net::IpAddr;

    use netlink_genl::{Error, GenlSocket};
    use serde::Serialize;

    use super::{Address, MptcpEvent, flags};
    use crate::json_line;
    use crate::netdev::if_name;

    /// One endpoint: the text of `ip mptcp endpoint show` (the device by name), and the same
    /// data as JSON.
    #[derive(Debug, Serialize)]
    pub struct EndpointOut {
        id: Option<u8>,
        address: Option<IpAddr>,
        /// Absent when 0, as in the text.
        #[serde(skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
        flags: Vec<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        ifindex: Option<i32>,
        /// The device's name, when it has one in this namespace.
        #[serde(skip_serializing_if = "Option::is_none")]
        dev: Option<String>,
        #[serde(skip)]
        text: String,
    }

    impl EndpointOut {
        /// Endpoint `a`.
        pub fn new(a: &Address) -> Self {
            let mut plain = a.clone();
            plain.if_idx = None;
            let mut text = plain.to_string();
            let ifindex = a.if_idx.filter(|&i| i > 0);
            let dev = ifindex.and_then(|i| if_name(i.unsigned_abs()));
            if let Some(i) = ifindex {
                let name = dev.clone().unwrap_or_else(|| format!("#{i}"));
                text.push_str(&format!(" dev {name}"));
            }
            EndpointOut {
                id: a.id,
                address: a.addr(),
                port: a.port.filter(|&p| p != 0),
                flags: flags::names(a.flags.unwrap_or(0)),
                ifindex,
                dev,
                text,
            }
        }
    }

    /// `mptcp endpoint show`: every endpoint.
    pub fn endpoints(sock: &mut GenlSocket, json: bool) -> Result<String, Error> {
        let eps: Vec<EndpointOut> = super::endpoints(sock)?
            .iter()
            .map(EndpointOut::new)
            .collect();
        Ok(if json {
            json_line(&eps)
        } else {
            eps.iter().map(|e| format!("{}\n", e.text)).collect()
        })
    }

    /// `mptcp endpoint show ID`: one endpoint.
    pub fn endpoint(sock: &mut GenlSocket, id: u8, json: bool) -> Result<String, Error> {
        let e = EndpointOut::new(&super::endpoint(sock, id)?);
        Ok(if json {
            json_line(&e)
        } else {
            format!("{}\n", e.text)
        })
    }

    #[derive(Debug, Serialize)]
    struct LimitsOut {
        add_addr_accepted: u32,
        subflows: u32,
    }

    /// `mptcp limits show`.
    pub fn limits(sock: &mut GenlSocket, json: bool) -> Result<String, Error> {
        let l = super::limits(sock)?;
        Ok(if json {
            json_line(&LimitsOut {
                add_addr_accepted: l.add_addr_accepted,
                subflows: l.subflows,
            })
        } else {
            format!(
                "add_addr_accepted {} subflows {}\n",
                l.add_addr_accepted, l.subflows
            )
        })
    }

    /// One event: its name and the attributes the text shows.
    #[derive(Debug, Serialize)]
    struct EventOut {
        event: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        saddr: Option<IpAddr>,
        #[serde(skip_serializing_if = "Option::is_none")]
        daddr: Option<IpAddr>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sport: Option<u16>,
        #[serde(skip_serializing_if = "Option::is_none")]
        dport: Option<u16>,
    }

    impl EventOut {
        fn text(&self) -> String {
            let mut line = format!("[{}]", self.event);
            if let Some(t) = self.token {
                line.push_str(&format!(" token={t:08x}"));
            }
            if let Some(s) = self.saddr {
                line.push_str(&format!(" saddr={s}"));
            }
            if let Some(d) = self.daddr {
                line.push_str(&format!(" daddr={d}"));
            }
            if let Some(p) = self.sport {
                line.push_str(&format!(" sport={p}"));
            }
            if let Some(p) = self.dport {
                line.push_str(&format!(" dport={p}"));
            }
            line.push('\n');
            line
        }
    }

    /// `mptcp monitor`: one event.
    pub fn event(msg: &MptcpEvent, json: bool) -> String {
        let a = msg.attrs();
        let out = EventOut {
            event: msg.name(),
            token: a.token,
            saddr: a
                .saddr4
                .map(IpAddr::V4)
                .or_else(|| a.saddr6.map(IpAddr::V6)),
            daddr: a
                .daddr4
                .map(IpAddr::V4)
                .or_else(|| a.daddr6.map(IpAddr::V6)),
            sport: a.sport,
            dport: a.dport,
        };
        if json { json_line(&out) } else { out.text() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_like_ip_mptcp() {
        let mut a = Address::ipv4(Ipv4Addr::new(10, 0, 0, 2), flags::SIGNAL | flags::BACKUP);
        a.id = Some(3);
        a.port = Some(0);
        assert_eq!(a.to_string(), "10.0.0.2 id 3 signal backup");
        a.port = Some(1000);
        assert_eq!(a.to_string(), "10.0.0.2 port 1000 id 3 signal backup");
        assert_eq!(flags::by_name("fullmesh"), Some(flags::FULLMESH));
    }
}
