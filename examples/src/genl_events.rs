//! `genl monitor`'s events: decoded by name for the families this crate (and `netlink-genl`)
//! declares, with the command names and attribute schemas of their [`GenlMessage`] types, nests
//! included; ids and hex for any other family.
//!
//! The text is [`netlink_genl_core::debug::format_attrs`]'s tree (what `NETLINK_DEBUG=1` shows), the
//! JSON ([`Event`]) the same attributes as values.
//!
//! ```
//! use example_families::genl_events::declared;
//! let d = declared("netdev", "mgmt").unwrap();
//! assert_eq!(d.command_name(2), Some("DevAddNtf"));
//! assert_eq!(d.schema(2).and_then(|s| s.attr(1)).map(|a| a.name), Some("ifindex"));
//! assert_eq!(declared("mptcp_pm", "mptcp_pm_events").unwrap().command_name(1), Some("Created"));
//! assert!(declared("devlink", "config").is_none());
//! ```

use std::fmt::Write;

use netlink_genl::MessageSchema;
use netlink_genl::ctrl::Ctrl;
use netlink_genl::{FamilyInfo, GenlMessage, GenlView};
use netlink_genl_core::attr::AttrIter;
use netlink_genl_core::consts::align;
use netlink_genl_core::debug::format_attrs;
use netlink_genl_core::schema::{AttrKind, Schema};
use serde::Serialize;

use crate::ethtool::Ethtool;
use crate::mptcp::{self, MptcpEvent, MptcpPm};
use crate::netdev::Netdev;
use crate::taskstats::Taskstats;

/// Nests deeper than this are shown as hex.
const MAX_DEPTH: usize = 16;

/// The names a declared [`GenlMessage`] type gives a family's messages.
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    /// The Rust type (`Netdev`, `MptcpEvent`, ...).
    pub type_name: &'static str,
    schema: &'static MessageSchema,
}

impl Declared {
    fn of<T: GenlMessage>(type_name: &'static str) -> Self {
        Declared {
            type_name,
            schema: T::schema(),
        }
    }

    /// The name of command `cmd` (the variant, preferring what the kernel sends).
    pub fn command_name(&self, cmd: u8) -> Option<&'static str> {
        Some(self.schema.command(cmd, false)?.name)
    }

    /// The attribute schema of command `cmd`.
    pub fn schema(&self, cmd: u8) -> Option<&'static Schema> {
        self.schema.command(cmd, false)?.attrs()
    }
}

/// The declared type for messages of `family` sent to multicast group `group`, if there is one:
/// nlctrl ([`Ctrl`]), netdev, ethtool, TASKSTATS, and mptcp_pm (its events group numbers its
/// events apart from its commands: [`MptcpEvent`] there, [`MptcpPm`] elsewhere).
pub fn declared(family: &str, group: &str) -> Option<Declared> {
    let known: [(&str, Option<&str>, Declared); 6] = [
        (Ctrl::FAMILY, None, Declared::of::<Ctrl>("Ctrl")),
        (Netdev::FAMILY, None, Declared::of::<Netdev>("Netdev")),
        (Ethtool::FAMILY, None, Declared::of::<Ethtool>("Ethtool")),
        (
            Taskstats::FAMILY,
            None,
            Declared::of::<Taskstats>("Taskstats"),
        ),
        (
            MptcpEvent::FAMILY,
            Some(mptcp::EVENTS_GROUP),
            Declared::of::<MptcpEvent>("MptcpEvent"),
        ),
        (MptcpPm::FAMILY, None, Declared::of::<MptcpPm>("MptcpPm")),
    ];
    known
        .into_iter()
        .find(|(f, g, _)| *f == family && g.is_none_or(|g| g == group))
        .map(|(_, _, d)| d)
}

fn group_name(info: &FamilyInfo, v: &GenlView<'_>) -> String {
    info.group_name(v.group())
        .map_or_else(|| v.group().to_string(), str::to_owned)
}

/// The attribute bytes of `v` (after the family's user header).
fn attr_bytes<'a>(info: &FamilyInfo, v: &GenlView<'a>) -> &'a [u8] {
    let hdr = usize::try_from(info.hdrsize).unwrap_or(usize::MAX);
    v.body().get(align(hdr)..).unwrap_or(&[])
}

/// One event as text: a header line, then the attributes, by name for a declared family
/// (`ifindex(1): 5 (0x5)`, nests indented below their attribute), by id and hex otherwise
/// ([`genl_text::event`](crate::genl_text::event)).
pub fn text(info: &FamilyInfo, v: &GenlView<'_>) -> String {
    let group = group_name(info, v);
    let Some(d) = declared(&info.name, &group) else {
        return crate::genl_text::event(info, v);
    };
    let mut out = String::new();
    let cmd = v.cmd();
    let command = d
        .command_name(cmd)
        .map_or_else(|| format!("cmd {cmd}"), |n| format!("{n}({cmd})"));
    let _ = writeln!(
        out,
        "[{group}] {} {command} version {} seq {} pid {}",
        info.name,
        v.genl_header().version,
        v.header().seq,
        v.header().pid
    );
    for line in format_attrs(attr_bytes(info, v), d.schema(cmd)).lines() {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// One event as JSON: the header fields of the text's first line and the attribute tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The multicast group's name (its number when the family does not list it).
    pub group: String,
    /// The family name.
    pub family: String,
    /// The command number.
    pub cmd: u8,
    /// The command's name, for a declared family that names it.
    pub command: Option<&'static str>,
    /// The genl header's version.
    pub version: u8,
    /// `nlmsg_seq`.
    pub seq: u32,
    /// `nlmsg_pid`.
    pub pid: u32,
    /// The attributes.
    pub attrs: Vec<Attr>,
}

/// One attribute of an [`Event`]: its id, its name where known, and exactly one of `value`, `attrs`
/// (a nest, an indexed array or a keyed nest: the entries), `hex` (bytes) or `error` (bytes that
/// are not attributes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attr {
    /// The attribute id (the index of an array entry, the key of a keyed nest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u16>,
    /// The field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    /// The payload.
    #[serde(flatten)]
    pub payload: Payload,
}

/// The payload of an [`Attr`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Payload {
    /// A number, string or flag (`true`).
    Value(serde_json::Value),
    /// The attributes of a nest.
    Attrs(Vec<Attr>),
    /// Bytes of no known type, as hex digits.
    Hex(String),
    /// Malformed attributes.
    Error(String),
}

/// The JSON of one event.
pub fn json(info: &FamilyInfo, v: &GenlView<'_>) -> Event {
    let group = group_name(info, v);
    let d = declared(&info.name, &group);
    let cmd = v.cmd();
    Event {
        family: info.name.clone(),
        cmd,
        command: d.and_then(|d| d.command_name(cmd)),
        version: v.genl_header().version,
        seq: v.header().seq,
        pid: v.header().pid,
        attrs: attrs(
            attr_bytes(info, v),
            d.and_then(|d| d.schema(cmd)),
            d.is_some(),
            0,
        ),
        group,
    }
}

fn hex(p: &[u8]) -> String {
    p.iter().map(|b| format!("{b:02x}")).collect()
}

/// The attributes of `buf`. With `typed`, kinds come from `schema` (and unknown attributes are
/// hex); without, nests flagged `NLA_F_NESTED` are expanded and the rest is hex.
fn attrs(buf: &[u8], schema: Option<&'static Schema>, typed: bool, depth: usize) -> Vec<Attr> {
    let mut out = Vec::new();
    for a in AttrIter::new(buf) {
        let a = match a {
            Ok(a) => a,
            Err(e) => {
                out.push(Attr {
                    id: None,
                    name: None,
                    payload: Payload::Error(e.to_string()),
                });
                break;
            }
        };
        let info = schema.and_then(|s| s.attr(a.id()));
        let kind = info.map_or(AttrKind::Unknown, |i| i.kind);
        let payload = match (typed, a.is_nested()) {
            (true, flagged) => value(a.payload(), kind, flagged, depth),
            (false, true) => nest(a.payload(), None, false, depth),
            (false, false) => Payload::Hex(hex(a.payload())),
        };
        out.push(Attr {
            id: Some(a.id()),
            name: info.map(|i| i.name),
            payload,
        });
    }
    out
}

fn nest(p: &[u8], schema: Option<&'static Schema>, typed: bool, depth: usize) -> Payload {
    if depth >= MAX_DEPTH {
        Payload::Hex(hex(p))
    } else {
        Payload::Attrs(attrs(p, schema, typed, depth + 1))
    }
}

/// The entries of an indexed array or a keyed nest, each of kind `elem`.
fn entries(p: &[u8], elem: AttrKind, depth: usize) -> Payload {
    if depth >= MAX_DEPTH {
        return Payload::Hex(hex(p));
    }
    let mut out = Vec::new();
    for e in AttrIter::new(p) {
        match e {
            Ok(e) => out.push(Attr {
                id: Some(e.id()),
                name: None,
                payload: value(e.payload(), elem, e.is_nested(), depth + 1),
            }),
            Err(err) => {
                out.push(Attr {
                    id: None,
                    name: None,
                    payload: Payload::Error(err.to_string()),
                });
                break;
            }
        }
    }
    Payload::Attrs(out)
}

fn value(p: &[u8], kind: AttrKind, flagged_nest: bool, depth: usize) -> Payload {
    use serde_json::Value as J;
    let ne = |n: usize| -> Option<u64> {
        let mut w = [0u8; 8];
        (p.len() == n).then_some(())?;
        w.get_mut(..n)?.copy_from_slice(p);
        Some(u64::from_ne_bytes(w))
    };
    let be = |n: usize| -> Option<u64> {
        let mut w = [0u8; 8];
        (p.len() == n).then_some(())?;
        w.get_mut(8 - n..)?.copy_from_slice(p);
        Some(u64::from_be_bytes(w))
    };
    let signed = |v: Option<u64>, n: usize| -> Option<i64> {
        let shift = 64 - 8 * u32::try_from(n).ok()?;
        v.map(|v| ((v << shift) as i64) >> shift)
    };
    let num = |v: Option<u64>| v.map(J::from);
    let int = |v: Option<i64>| v.map(J::from);
    // An enum as its integer, a packed array and a bitfield32 as bytes.
    let v = match kind.base() {
        AttrKind::Flag if p.is_empty() => Some(J::Bool(true)),
        AttrKind::U8 => num(ne(1)),
        AttrKind::U16 => num(ne(2)),
        AttrKind::U32 => num(ne(4)),
        AttrKind::U64 => num(ne(8)),
        AttrKind::I8 => int(signed(ne(1), 1)),
        AttrKind::I16 => int(signed(ne(2), 2)),
        AttrKind::I32 => int(signed(ne(4), 4)),
        AttrKind::I64 => int(signed(ne(8), 8)),
        AttrKind::Uint => num(ne(4).or_else(|| ne(8))),
        AttrKind::Sint => int(signed(ne(4), 4).or_else(|| signed(ne(8), 8))),
        AttrKind::Be16 => num(be(2)),
        AttrKind::Be32 => num(be(4)),
        AttrKind::Be64 => num(be(8)),
        AttrKind::String => {
            let s = p.split(|&b| b == 0).next().unwrap_or(p);
            std::str::from_utf8(s).ok().map(J::from)
        }
        AttrKind::Nested(s) => return nest(p, Some(s()), true, depth),
        AttrKind::Array(elem) | AttrKind::Keyed(elem) => return entries(p, *elem, depth),
        _ if flagged_nest => return nest(p, None, false, depth),
        _ => None,
    };
    match v {
        Some(v) => Payload::Value(v),
        None => Payload::Hex(hex(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_genl_core::attr::AttrWriter;

    #[test]
    fn typed_values_nests_and_unknown_attributes() {
        let mut space = [0u8; 64];
        let mut w = AttrWriter::new(&mut space);
        w.put_raw(1, &7u32.to_ne_bytes()).unwrap();
        w.put_raw(99, &[1, 2, 3]).unwrap();
        let buf = w.written().to_vec();
        let schema = Netdev::schema().reply(2).and_then(|c| c.attrs()).unwrap();
        let a = attrs(&buf, Some(schema), true, 0);
        let j = serde_json::to_value(&a).unwrap();
        assert_eq!(
            j,
            serde_json::json!([
                {"id": 1, "name": "ifindex", "value": 7},
                {"id": 99, "hex": "010203"},
            ])
        );
        // Untyped: hex.
        let j = serde_json::to_value(attrs(&buf, None, false, 0)).unwrap();
        assert_eq!(j[0], serde_json::json!({"id": 1, "hex": "07000000"}));
    }
}
