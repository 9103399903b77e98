//! A human-readable dump of netlink messages, for debugging: headers with flag names, control
//! messages (errors with errno names and extended ACKs, `DONE`), and attribute trees with names
//! where a [`Schema`] is known and annotated hex where not. Nests are marked `[N]`; entries of an
//! indexed array are shown as `[1]`, `[2]`, ..., those of a keyed nest as `key 3`.
//!
//! Set the environment variable `NETLINK_DEBUG=1` and the sockets print every message they send
//! and receive to stderr through [`format_messages`]; the same function is yours to call. With
//! the `tracing` feature the same traffic is also reported as `tracing` events (see [`trace`]).
//!
//! ```
//! use netlink_genl_core::debug::{format_messages, Resolver};
//! use netlink_genl_core::schema::{AttrInfo, AttrKind, Schema};
//! static OP: Schema = Schema::new("Op", &[
//!     AttrInfo::new(1, "id", AttrKind::U32),
//!     AttrInfo::new(2, "flags", AttrKind::U32),
//! ]);
//! static FAMILY: Schema = Schema::new("Family", &[
//!     AttrInfo::new(1, "id", AttrKind::U16),
//!     AttrInfo::new(2, "name", AttrKind::String),
//!     AttrInfo::new(6, "ops", AttrKind::Array(&AttrKind::Nested(|| &OP))),
//! ]);
//! struct Ctrl;
//! impl Resolver for Ctrl {
//!     fn family(&self, ty: u16) -> Option<&str> { (ty == 0x10).then_some("nlctrl") }
//!     fn fixed_header_len(&self, _ty: u16) -> usize { 4 }
//!     fn command(&self, _ty: u16, cmd: u8, _request: bool) -> Option<&str> {
//!         (cmd == 1).then_some("NewFamily")
//!     }
//!     fn schema(&self, _ty: u16, _cmd: u8, _request: bool) -> Option<&'static Schema> {
//!         Some(&FAMILY)
//!     }
//! }
//! let buf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../tests/fixtures/kernel/nlctrl-getfamily-do-nlctrl.reply.bin")).unwrap();
//! let text = format_messages(&buf, &Ctrl);
//! assert!(text.contains("nlctrl(16) NewFamily(1)"));
//! assert!(text.contains("name(2): \"nlctrl\""));
//! assert!(text.contains("      [1]\n        id(1): 3 (0x3)"));
//! assert!(text.contains("ACK"));
//! ```

use std::fmt::Write;
use std::sync::OnceLock;

use crate::ack::{ErrorMsg, ExtAck, errno_name};
use crate::attr::AttrIter;
use crate::consts::*;
use crate::message::{MessageIter, MessageKind};
use crate::schema::{AttrKind, Schema};

/// Names for a protocol's message types, commands and attributes. Every method has a default
/// that knows nothing, so an empty impl prints headers and annotated hex.
pub trait Resolver {
    /// The name of data message type `ty` (a genl family name, an rtnetlink message).
    fn family(&self, ty: u16) -> Option<&str> {
        let _ = ty;
        None
    }
    /// Bytes between `nlmsghdr` and the attributes (4 for genl's header, plus a family's user
    /// header); the first byte is shown as the command when non-zero.
    fn fixed_header_len(&self, ty: u16) -> usize {
        let _ = ty;
        0
    }
    /// The name of command `cmd` of message type `ty`, in a request (`request`: the message
    /// carries `NLM_F_REQUEST`) or in a reply or notification (families may number the two
    /// apart: ethtool's `STRSET_GET` request and its reply are both 1).
    fn command(&self, ty: u16, cmd: u8, request: bool) -> Option<&str> {
        let _ = (ty, cmd, request);
        None
    }
    /// The schema of the attributes of command `cmd` of message type `ty`, in a request or
    /// not (as for [`command`](Self::command)).
    fn schema(&self, ty: u16, cmd: u8, request: bool) -> Option<&'static Schema> {
        let _ = (ty, cmd, request);
        None
    }
}

/// A resolver that knows no names.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNames;
impl Resolver for NoNames {}

/// Whether `NETLINK_DEBUG` is set to something other than `0` or empty (read once).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("NETLINK_DEBUG").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Whether anything observes the traffic: `NETLINK_DEBUG` ([`enabled`]), or, with the
/// `tracing` feature, a `tracing` subscriber interested in target `netlink` at `DEBUG`. The
/// sockets skip the work of naming and rendering messages when this is false.
pub fn observing() -> bool {
    if enabled() {
        return true;
    }
    #[cfg(feature = "tracing")]
    if tracing::enabled!(target: "netlink", tracing::Level::DEBUG) {
        return true;
    }
    false
}

/// Report datagram `buf` (sent or received, as `direction` says): printed to stderr when
/// [`enabled`]; with the `tracing` feature, one `DEBUG` event per message on target `netlink`
/// (fields `direction`, `family`, `ty`, `command`, `cmd`, `seq`, `pid`, `flags`, `len`,
/// `group`, and `errno` for errors) and one `TRACE` event per datagram with the decoded
/// attribute tree (`tree`).
pub fn trace(direction: &str, buf: &[u8], names: &dyn Resolver) {
    if enabled() {
        eprint!(
            "netlink {direction} {} bytes\n{}",
            buf.len(),
            format_messages(buf, names)
        );
    }
    #[cfg(feature = "tracing")]
    emit_events(direction, buf, names);
}

/// The `tracing` events of one datagram (see [`trace`]).
#[cfg(feature = "tracing")]
fn emit_events(direction: &str, buf: &[u8], names: &dyn Resolver) {
    if !tracing::enabled!(target: "netlink", tracing::Level::DEBUG) {
        return;
    }
    // "recv (group 5)" carries the group; the direction field is the first word.
    let (dir, group) = match direction.split_once(" (group ") {
        Some((d, g)) => (d, g.trim_end_matches(')').parse::<u32>().unwrap_or(0)),
        None => (direction, 0),
    };
    for m in MessageIter::new(buf) {
        let Ok(m) = m else { break };
        let h = m.header();
        let kind = m.kind();
        let (what, errno) = match &kind {
            Ok(MessageKind::Noop) => ("noop", 0),
            Ok(MessageKind::Ack(_)) => ("ack", 0),
            Ok(MessageKind::Error(e)) => ("error", e.error.saturating_neg()),
            Ok(MessageKind::Done(d)) => ("done", d.error.saturating_neg()),
            Ok(MessageKind::Overrun) => ("overrun", 0),
            Ok(MessageKind::Data(_)) => ("data", 0),
            Err(_) => ("malformed", 0),
        };
        let cmd = match kind {
            Ok(MessageKind::Data(p)) if names.fixed_header_len(h.ty) >= 2 => p.first().copied(),
            _ => None,
        };
        tracing::debug!(
            target: "netlink",
            direction = dir,
            kind = what,
            family = names.family(h.ty).unwrap_or(""),
            ty = h.ty,
            command = cmd
                .and_then(|c| names.command(h.ty, c, h.flags & NLM_F_REQUEST != 0))
                .unwrap_or(""),
            cmd = cmd.unwrap_or(0),
            seq = h.seq,
            pid = h.pid,
            flags = %flag_names(h.flags, h.ty),
            len = h.len,
            group,
            errno,
            "netlink {dir}"
        );
    }
    if tracing::enabled!(target: "netlink", tracing::Level::TRACE) {
        tracing::trace!(
            target: "netlink",
            direction = dir,
            group,
            tree = %format_messages(buf, names),
            "netlink {dir} {} bytes",
            buf.len()
        );
    }
}

/// The names of the `NLM_F_*` flags set in `flags`, for a request (`request = true`) or a reply.
pub fn flag_names(flags: u16, ty: u16) -> String {
    let mut names = Vec::new();
    let mut rest = flags;
    let mut take = |bit: u16, name: &'static str, names: &mut Vec<&'static str>| {
        if rest & bit == bit && bit != 0 {
            names.push(name);
            rest &= !bit;
        }
    };
    take(NLM_F_REQUEST, "REQUEST", &mut names);
    take(NLM_F_MULTI, "MULTI", &mut names);
    take(NLM_F_ACK, "ACK", &mut names);
    take(NLM_F_ECHO, "ECHO", &mut names);
    take(NLM_F_DUMP_INTR, "DUMP_INTR", &mut names);
    take(NLM_F_DUMP_FILTERED, "DUMP_FILTERED", &mut names);
    if ty == NLMSG_ERROR {
        take(NLM_F_CAPPED, "CAPPED", &mut names);
        take(NLM_F_ACK_TLVS, "ACK_TLVS", &mut names);
    } else if flags & NLM_F_REQUEST != 0 {
        take(NLM_F_DUMP, "DUMP", &mut names);
        take(NLM_F_ROOT, "ROOT", &mut names);
        take(NLM_F_MATCH, "MATCH", &mut names);
        take(NLM_F_ATOMIC, "ATOMIC", &mut names);
    }
    let mut s = names.join("|");
    if rest != 0 {
        if !s.is_empty() {
            s.push('|');
        }
        let _ = write!(s, "{rest:#x}");
    }
    if s.is_empty() {
        s.push('0');
    }
    s
}

/// Render every message in `buf`, one header line each and an indented attribute tree.
pub fn format_messages(buf: &[u8], names: &dyn Resolver) -> String {
    let mut out = String::new();
    for (i, m) in MessageIter::new(buf).enumerate() {
        let m = match m {
            Ok(m) => m,
            Err(e) => {
                let _ = writeln!(out, "  #{i} <{e}>");
                break;
            }
        };
        let h = m.header();
        let _ = write!(out, "  #{i} ");
        let kind = m.kind();
        match &kind {
            Ok(MessageKind::Noop) => out.push_str("NOOP"),
            Ok(MessageKind::Ack(_)) => out.push_str("ACK"),
            Ok(MessageKind::Error(e)) => {
                let _ = write!(out, "ERROR {}", errno_text(e.error));
            }
            Ok(MessageKind::Done(d)) => {
                let _ = write!(out, "DONE");
                if d.error != 0 {
                    let _ = write!(out, " {}", errno_text(d.error));
                }
            }
            Ok(MessageKind::Overrun) => out.push_str("OVERRUN"),
            Ok(MessageKind::Data(_)) => match names.family(h.ty) {
                Some(n) => {
                    let _ = write!(out, "{n}({})", h.ty);
                }
                None => {
                    let _ = write!(out, "type {}", h.ty);
                }
            },
            Err(e) => {
                let _ = write!(out, "type {} <{e}>", h.ty);
            }
        }
        let _ = writeln!(
            out,
            "{} flags={} seq={} pid={} len={}",
            data_header(&kind, h, m.payload(), names),
            flag_names(h.flags, h.ty),
            h.seq,
            h.pid,
            h.len
        );
        match kind {
            Ok(MessageKind::Data(p)) => {
                let hl = names.fixed_header_len(h.ty);
                let cmd = p.first().copied().unwrap_or(0);
                if hl > 0 && p.len() >= hl {
                    let attrs = p.get(hl..).unwrap_or(&[]);
                    let request = h.flags & NLM_F_REQUEST != 0;
                    attr_tree(&mut out, attrs, names.schema(h.ty, cmd, request), 2);
                } else {
                    hex_lines(&mut out, p, 2);
                }
            }
            Ok(MessageKind::Ack(e)) | Ok(MessageKind::Error(e)) => error_detail(&mut out, &e),
            Ok(MessageKind::Done(d)) => ext_detail(&mut out, &d.ext),
            _ => {}
        }
    }
    out
}

fn data_header(
    kind: &Result<MessageKind<'_>, crate::DecodeError>,
    h: &crate::header::NlMsgHdr,
    p: &[u8],
    names: &dyn Resolver,
) -> String {
    let ty = h.ty;
    let mut s = String::new();
    if !matches!(kind, Ok(MessageKind::Data(_))) || names.fixed_header_len(ty) < 2 {
        return s;
    }
    if let [cmd, version, ..] = *p {
        match names.command(ty, cmd, h.flags & NLM_F_REQUEST != 0) {
            Some(n) => {
                let _ = write!(s, " {n}({cmd})");
            }
            None => {
                let _ = write!(s, " cmd {cmd}");
            }
        }
        let _ = write!(s, " v{version}");
    }
    s
}

fn errno_text(error: i32) -> String {
    let errno = error.saturating_neg();
    match errno_name(errno) {
        Some(n) => format!("{n} ({errno})"),
        None => format!("errno {errno}"),
    }
}

fn error_detail(out: &mut String, e: &ErrorMsg<'_>) {
    let _ = writeln!(
        out,
        "      request: type {} flags={} seq={} pid={} len={}",
        e.request.ty,
        flag_names(e.request.flags, e.request.ty),
        e.request.seq,
        e.request.pid,
        e.request.len
    );
    ext_detail(out, &e.ext);
}

fn ext_detail(out: &mut String, x: &ExtAck<'_>) {
    if let Some(m) = x.msg {
        let _ = writeln!(out, "      msg: {m:?}");
    }
    if let Some(o) = x.offset {
        let _ = writeln!(out, "      offset: {o}");
    }
    if let Some(p) = &x.policy {
        let _ = writeln!(out, "      policy: {p}");
    }
    if let Some(t) = x.miss_type {
        let _ = writeln!(out, "      missing type: {t}");
    }
    if let Some(n) = x.miss_nest {
        let _ = writeln!(out, "      missing in nest at: {n}");
    }
    if let Some(c) = x.cookie {
        let _ = writeln!(out, "      cookie: {c:02x?}");
    }
}

const MAX_DEPTH: usize = 16;

fn attr_tree(out: &mut String, buf: &[u8], schema: Option<&'static Schema>, indent: usize) {
    if indent > MAX_DEPTH * 2 + 2 {
        hex_lines(out, buf, indent);
        return;
    }
    for a in AttrIter::new(buf) {
        let a = match a {
            Ok(a) => a,
            Err(e) => {
                let _ = writeln!(out, "{:w$}<{e}>", "", w = indent * 2);
                return;
            }
        };
        let info = schema.and_then(|s| s.attr(a.id()));
        let name = info.map_or("attr", |i| i.name);
        let kind = match (schema, info) {
            (Some(s), Some(i)) => s.resolve(i.kind, buf),
            _ => AttrKind::Unknown,
        };
        let _ = write!(out, "{:w$}{name}({})", "", a.id(), w = indent * 2);
        // A nest: flagged on the wire, or known to be one (nlctrl, like many older families,
        // does not set `NLA_F_NESTED`).
        if a.is_nested() || kind.is_nest() {
            out.push_str(" [N]");
        }
        value(out, a.payload(), kind, indent);
    }
}

fn value(out: &mut String, p: &[u8], kind: AttrKind, indent: usize) {
    let int = |n: usize| -> Option<u64> {
        let b = p.get(..n).filter(|_| p.len() == n)?;
        let mut w = [0u8; 8];
        w.get_mut(..n)?.copy_from_slice(b);
        Some(u64::from_ne_bytes(w))
    };
    let be = |n: usize| -> Option<u64> {
        let b = p.get(..n).filter(|_| p.len() == n)?;
        let mut w = [0u8; 8];
        w.get_mut(8 - n..)?.copy_from_slice(b);
        Some(u64::from_be_bytes(w))
    };
    let line = |out: &mut String, s: std::fmt::Arguments<'_>| {
        let _ = writeln!(out, ": {s}");
    };
    let unsigned = |out: &mut String, v: Option<u64>, expected: &str| match v {
        Some(v) => line(out, format_args!("{v} ({v:#x})")),
        None => line(
            out,
            format_args!("<{} bytes, expected {expected}> {:02x?}", p.len(), p),
        ),
    };
    let signed = |out: &mut String, v: Option<u64>, n: usize, expected: &str| match v {
        Some(v) => {
            let shift = 64 - 8 * n as u32;
            line(out, format_args!("{}", ((v << shift) as i64) >> shift));
        }
        None => line(
            out,
            format_args!("<{} bytes, expected {expected}> {:02x?}", p.len(), p),
        ),
    };
    if indent > MAX_DEPTH * 2 + 2 {
        out.push('\n');
        hex_lines(out, p, indent + 1);
        return;
    }
    match kind {
        AttrKind::Flag if p.is_empty() => line(out, format_args!("true")),
        AttrKind::U8 => unsigned(out, int(1), "1"),
        AttrKind::U16 => unsigned(out, int(2), "2"),
        AttrKind::U32 => unsigned(out, int(4), "4"),
        AttrKind::U64 => unsigned(out, int(8), "8"),
        AttrKind::I8 => signed(out, int(1), 1, "1"),
        AttrKind::I16 => signed(out, int(2), 2, "2"),
        AttrKind::I32 => signed(out, int(4), 4, "4"),
        AttrKind::I64 => signed(out, int(8), 8, "8"),
        AttrKind::Uint => unsigned(out, int(4).or_else(|| int(8)), "4 or 8"),
        AttrKind::Sint => match int(4) {
            Some(v) => signed(out, Some(v), 4, "4 or 8"),
            None => signed(out, int(8), 8, "4 or 8"),
        },
        AttrKind::Be16 => unsigned(out, be(2), "2"),
        AttrKind::Be32 => unsigned(out, be(4), "4"),
        AttrKind::Be64 => unsigned(out, be(8), "8"),
        AttrKind::String => match std::str::from_utf8(p.split(|&b| b == 0).next().unwrap_or(p)) {
            Ok(s) => line(out, format_args!("{s:?}")),
            Err(_) => line(out, format_args!("<bad UTF-8> {p:02x?}")),
        },
        AttrKind::Ipv4 => match <[u8; 4]>::try_from(p) {
            Ok(a) => line(out, format_args!("{}", std::net::Ipv4Addr::from(a))),
            Err(_) => line(
                out,
                format_args!("<{} bytes, expected 4> {p:02x?}", p.len()),
            ),
        },
        AttrKind::Ipv6 => match <[u8; 16]>::try_from(p) {
            Ok(a) => line(out, format_args!("{}", std::net::Ipv6Addr::from(a))),
            Err(_) => line(
                out,
                format_args!("<{} bytes, expected 16> {p:02x?}", p.len()),
            ),
        },
        AttrKind::Nested(s) => {
            out.push('\n');
            attr_tree(out, p, Some(s()), indent + 1);
        }
        AttrKind::Enum(e) => {
            // The integer as its kind shows it, then the name(s) of the value.
            let mut num = String::new();
            value(&mut num, p, *e.kind, indent);
            let names = crate::schema::int_value(*e.kind, p).map(|v| {
                if e.flags {
                    e.names_of(v).join("|")
                } else {
                    e.name_of(v).unwrap_or_default().to_owned()
                }
            });
            match names {
                Some(n) if !n.is_empty() => {
                    let _ = writeln!(out, "{} {n}", num.trim_end());
                }
                _ => out.push_str(&num),
            }
        }
        AttrKind::Packed(elem) => {
            let size = match elem.base() {
                AttrKind::U8 | AttrKind::I8 => 1,
                AttrKind::U16 | AttrKind::I16 | AttrKind::Be16 => 2,
                AttrKind::U32 | AttrKind::I32 | AttrKind::Be32 => 4,
                _ => 8,
            };
            if p.len() % size != 0 || p.is_empty() {
                out.push('\n');
                hex_lines(out, p, indent + 1);
                return;
            }
            let vals: Vec<String> = p
                .chunks(size)
                .map(|c| match crate::schema::int_value(elem.base(), c) {
                    Some(v) => v.to_string(),
                    None => format!("{c:02x?}"),
                })
                .collect();
            line(out, format_args!("[{}]", vals.join(", ")));
        }
        AttrKind::Bitfield32 => match <[u8; 8]>::try_from(p) {
            Ok([v0, v1, v2, v3, s0, s1, s2, s3]) => {
                let v = u32::from_ne_bytes([v0, v1, v2, v3]);
                let s = u32::from_ne_bytes([s0, s1, s2, s3]);
                line(out, format_args!("value {v:#x} selector {s:#x}"));
            }
            Err(_) => line(
                out,
                format_args!("<{} bytes, expected 8> {p:02x?}", p.len()),
            ),
        },
        AttrKind::Array(elem) => entries(out, p, *elem, indent, "["),
        AttrKind::Keyed(elem) => entries(out, p, *elem, indent, "key "),
        AttrKind::Binary | AttrKind::Flag => {
            out.push('\n');
            hex_lines(out, p, indent + 1);
        }
        // A sub-message whose selector was not at hand (attr_tree resolves it): a guess.
        AttrKind::Unknown | AttrKind::SubMessage { .. } => guess(out, p, indent),
    }
}

/// The entries of an indexed array (`[1]`, `[2]`, ...) or a keyed nest (`key 3`), each shown
/// with the element kind.
fn entries(out: &mut String, p: &[u8], elem: AttrKind, indent: usize, label: &str) {
    out.push('\n');
    let close = if label == "[" { "]" } else { "" };
    for e in AttrIter::new(p) {
        let e = match e {
            Ok(e) => e,
            Err(err) => {
                let _ = writeln!(out, "{:w$}<{err}>", "", w = (indent + 1) * 2);
                return;
            }
        };
        let _ = write!(
            out,
            "{:w$}{label}{}{close}",
            "",
            e.id(),
            w = (indent + 1) * 2
        );
        value(out, e.payload(), elem, indent + 1);
    }
}

/// Annotated guess for an attribute whose kind is not known.
fn guess(out: &mut String, p: &[u8], indent: usize) {
    let printable = |s: &[u8]| s.iter().all(|&b| (0x20..0x7f).contains(&b));
    if let Some((0, body)) = p.split_last() {
        if !body.is_empty() && printable(body) {
            let _ = writeln!(out, ": {:?}", String::from_utf8_lossy(body));
            return;
        }
    }
    if p.len() >= 4 && looks_nested(p) {
        out.push_str(" (nest?)\n");
        attr_tree(out, p, None, indent + 1);
        return;
    }
    match p.len() {
        0 => {
            let _ = writeln!(out, ": (empty)");
        }
        1 | 2 | 4 | 8 => {
            let mut w = [0u8; 8];
            if let Some(d) = w.get_mut(..p.len()) {
                d.copy_from_slice(p);
            }
            let v = u64::from_ne_bytes(w);
            let _ = writeln!(out, ": {v} ({v:#x}) [u{}]", p.len() * 8);
        }
        _ => {
            out.push('\n');
            hex_lines(out, p, indent + 1);
        }
    }
}

fn looks_nested(p: &[u8]) -> bool {
    let mut total = 0;
    for a in AttrIter::new(p) {
        match a {
            Ok(a) => total = a.payload_offset() + a.payload().len(),
            Err(_) => return false,
        }
    }
    align(total) == align(p.len())
}

fn hex_lines(out: &mut String, p: &[u8], indent: usize) {
    for (i, chunk) in p.chunks(16).enumerate() {
        let _ = write!(out, "{:w$}{:04x}:", "", i * 16, w = indent * 2);
        for b in chunk {
            let _ = write!(out, " {b:02x}");
        }
        let _ = write!(out, "{:w$}  |", "", w = (16 - chunk.len()) * 3);
        for &b in chunk {
            out.push(if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            });
        }
        out.push_str("|\n");
    }
}

/// Render a buffer of attributes as a tree, with names from `schema` where it knows them and
/// annotated hex where not (the body of [`format_messages`], for one attribute set).
pub fn format_attrs(buf: &[u8], schema: Option<&'static Schema>) -> String {
    let mut out = String::new();
    attr_tree(&mut out, buf, schema, 0);
    out
}

/// Show a value as the attributes it encodes to, with names and ids: `{:?}` of
/// `WireDebug(&value)` prints each attribute as `name(id): value`, nested sets expanded. Handy
/// next to the value's own `Debug` when comparing with what the kernel sent.
///
/// ```
/// use netlink_genl_core::debug::WireDebug;
/// use netlink_genl_core::NlAttrs;
///
/// #[derive(NlAttrs)]
/// struct Link {
///     #[nla(id = 1)] ifindex: Option<u32>,
///     #[nla(id = 3)] name: Option<String>,
/// }
/// let text = format!("{:?}", WireDebug(&Link { ifindex: Some(2), name: Some("eth0".into()) }));
/// assert!(text.contains("ifindex(1): 2 (0x2)"), "{text}");
/// assert!(text.contains("name(3): \"eth0\""), "{text}");
/// ```
pub struct WireDebug<'a, T: ?Sized>(pub &'a T);

impl<T: crate::EncodeAttrs + ?Sized> std::fmt::Debug for WireDebug<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match crate::attrs_to_vec(self.0) {
            Ok(bytes) => {
                let mut body = String::new();
                attr_tree(&mut body, &bytes, Some(T::schema()), 1);
                write!(f, "{} {{\n{body}}}", T::NAME)
            }
            Err(e) => write!(f, "{} <not encodable: {e}>", T::NAME),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_attrs;
    use crate::schema::{AttrInfo, AttrKind, EnumInfo, Schema};

    static STATE: EnumInfo = EnumInfo::new("state", &AttrKind::U8, &[("down", 0), ("up", 1)]);
    static CAPS: EnumInfo = EnumInfo::flags("caps", &AttrKind::U32, &[("rx", 1), ("tx", 4)]);
    static SET: Schema = Schema::new(
        "Link",
        &[
            AttrInfo::new(1, "state", AttrKind::Enum(&STATE)),
            AttrInfo::new(2, "caps", AttrKind::Enum(&CAPS)),
            AttrInfo::new(3, "lanes", AttrKind::Packed(&AttrKind::U16)),
            AttrInfo::new(4, "bits", AttrKind::Bitfield32),
        ],
    );

    #[test]
    fn enums_by_name_packed_elements_bitfields() {
        let buf = [
            5, 0, 1, 0, 1, 0, 0, 0, // state = up
            8, 0, 2, 0, 7, 0, 0, 0, // caps = rx|tx + an unnamed bit
            8, 0, 3, 0, 1, 0, 2, 0, // lanes = [1, 2]
            12, 0, 4, 0, 3, 0, 0, 0, 1, 0, 0, 0, // bits
            5, 0, 1, 0, 9, 0, 0, 0, // state = 9: no name
        ];
        let t = format_attrs(&buf, Some(&SET));
        assert!(t.contains("state(1): 1 (0x1) up\n"), "{t}");
        assert!(t.contains("caps(2): 7 (0x7) rx|tx\n"), "{t}");
        assert!(t.contains("lanes(3): [1, 2]\n"), "{t}");
        assert!(t.contains("bits(4): value 0x3 selector 0x1\n"), "{t}");
        assert!(t.contains("state(1): 9 (0x9)\n"), "{t}"); // no name
    }
}
