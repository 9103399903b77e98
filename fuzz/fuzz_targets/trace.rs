//! The debug trace renderer (`NETLINK_DEBUG=1`, `tracing`): `format_messages` with a resolver
//! that names nlctrl, the examples' families and the all-kinds family of `kinds.rs`, and
//! `format_attrs` with their sets' schemas (nests, arrays, keyed nests, recursion).
//!
//! Properties:
//! - one header line per message `MessageIter` yields (up to and including a framing error,
//!   which is the last line), numbered `  #0`, `  #1`, ..., ending with the message's
//!   `seq= pid= len=`, naming the family and command the resolver knows; every other line is
//!   indented below its header (strings and hex never break a line);
//! - `format_attrs`: one unindented line per top-level attribute (up to and including a
//!   malformed one), starting with the schema's name or `attr` and the id;
//! - a message or set that the derived type decodes is rendered without error markers (`<...>`
//!   where a value is expected): the schema's kinds agree with what the decoder accepts (except
//!   for unit variants, which have no schema and decode without reading their attributes);
//! - the text is at most `MAX_TEXT_PER_BYTE` bytes per input byte plus `MAX_TEXT_EXTRA`. Every
//!   input byte is shown at most once and no line is longer than about 200 bytes (indentation
//!   stops growing at depth 16); the worst case is a 4-byte empty attribute deep in a nest
//!   (one indented line of about 140 bytes, 35 per byte) or a 1-byte hex payload at the depth
//!   limit (a label line and a 130-byte hex line for 5 bytes). Set `TRACE_RATIO=1` to print
//!   each new maximum of text (less `MAX_TEXT_EXTRA`) per input byte the fuzzer reaches.
#![no_main]

#[path = "kinds.rs"]
mod kinds;

use std::sync::atomic::{AtomicUsize, Ordering};

use example_families::ethtool::{Ethtool, Linkmodes, Strset};
use example_families::mptcp::{Attr, EventAttr, MptcpEvent, MptcpPm};
use example_families::netdev::{Napi, Netdev};
use example_families::taskstats::{Taskstats, TaskstatsReply};
use libfuzzer_sys::fuzz_target;
use netlink_genl::MessageSchema;
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::netlink_genl_core::attr::AttrIter;
use netlink_genl::netlink_genl_core::consts::NLM_F_REQUEST;
use netlink_genl::netlink_genl_core::consts::NLMSG_MIN_TYPE;
use netlink_genl::netlink_genl_core::debug::{Resolver, format_attrs, format_messages};
use netlink_genl::netlink_genl_core::message::{MessageIter, MessageKind};
use netlink_genl::netlink_genl_core::schema::Schema;
use netlink_genl::{DecodeAttrsOwned, GENL_HDRLEN, GenlDecodeOwned};

/// Text per input byte, at most (see the module doc).
const MAX_TEXT_PER_BYTE: usize = 64;
/// Text on top of that, at most.
const MAX_TEXT_EXTRA: usize = 256;

/// What the resolver knows of a family id, and how to decode its messages.
struct Known {
    name: &'static str,
    user_header: usize,
    /// The family's commands (`None`: known by name only).
    schema: Option<&'static MessageSchema>,
    decodes: Option<fn(u8, &[u8]) -> bool>,
}

fn decodes<T: GenlDecodeOwned>(cmd: u8, attrs: &[u8]) -> bool {
    T::decode_genl(cmd, attrs).is_ok()
}

fn typed<T: GenlDecodeOwned>() -> Known {
    Known {
        name: T::FAMILY,
        user_header: size_of::<T::Header>(),
        schema: Some(T::schema()),
        decodes: Some(decodes::<T>),
    }
}

/// The families by id (the ids of the kernel captures for nlctrl, netdev and ethtool; made-up
/// ones for the rest; 0x7ff0 known by name only). The one place that knows the resolver API.
fn known(ty: u16) -> Option<Known> {
    Some(match ty {
        0x10 => typed::<Ctrl>(),
        20 => typed::<Netdev>(),
        21 => typed::<Ethtool>(),
        22 => typed::<MptcpPm>(),
        23 => typed::<Taskstats>(),
        24 => typed::<MptcpEvent>(),
        25 => typed::<kinds::Demo>(),
        0x7ff0 => Known {
            name: "byname",
            user_header: 0,
            schema: None,
            decodes: None,
        },
        _ => return None,
    })
}

struct Names;

impl Resolver for Names {
    fn family(&self, ty: u16) -> Option<&str> {
        known(ty).map(|k| k.name)
    }
    fn fixed_header_len(&self, ty: u16) -> usize {
        if ty >= NLMSG_MIN_TYPE {
            GENL_HDRLEN + known(ty).map_or(0, |k| k.user_header)
        } else {
            0
        }
    }
    fn command(&self, ty: u16, cmd: u8, request: bool) -> Option<&str> {
        Some(known(ty)?.schema?.command(cmd, request)?.name)
    }
    fn schema(&self, ty: u16, cmd: u8, request: bool) -> Option<&'static Schema> {
        known(ty)?.schema?.command(cmd, request)?.attrs()
    }
}

/// A line that shows an error where a value or an attribute is expected: `<decode error>`, or
/// `name(id): <3 bytes, expected 4> ...`. Names and labels hold no `": "`, so the first one
/// ends the label.
fn has_marker(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('<') || t.split_once(": ").is_some_and(|(_, v)| v.starts_with('<'))
}

fn check_size(text: &str, input: usize) {
    assert!(
        text.len() <= MAX_TEXT_PER_BYTE * input + MAX_TEXT_EXTRA,
        "{} bytes of text for {input} bytes of input:\n{text}",
        text.len()
    );
    static MAX: AtomicUsize = AtomicUsize::new(0);
    if input > 0 && std::env::var_os("TRACE_RATIO").is_some() {
        let r = text.len().saturating_sub(MAX_TEXT_EXTRA) * 100 / input;
        if r > MAX.fetch_max(r, Ordering::Relaxed) {
            eprintln!(
                "trace: {}.{:02} text bytes per input byte ({input} bytes)",
                r / 100,
                r % 100
            );
        }
    }
}

fn messages(data: &[u8]) {
    let text = format_messages(data, &Names);
    check_size(&text, data.len());
    assert!(text.is_empty() || text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    for (i, m) in MessageIter::new(data).enumerate() {
        let prefix = format!("  #{i} ");
        let head = lines.get(at).copied().unwrap_or_default();
        assert!(head.starts_with(&prefix), "message {i}: {head:?}\n{text}");
        let body_end = lines
            .iter()
            .skip(at + 1)
            .position(|l| !l.starts_with("    "))
            .map_or(lines.len(), |n| at + 1 + n);
        let body = lines.get(at + 1..body_end).unwrap_or_default();
        at = body_end;
        let m = match m {
            Ok(m) => m,
            Err(e) => {
                assert_eq!(head, format!("  #{i} <{e}>"));
                assert!(body.is_empty());
                break;
            }
        };
        let h = m.header();
        let tail = format!(" seq={} pid={} len={}", h.seq, h.pid, h.len);
        assert!(head.ends_with(&tail), "{head:?} does not end with {tail:?}");
        let Ok(MessageKind::Data(p)) = m.kind() else {
            continue;
        };
        let Some(k) = known(h.ty) else { continue };
        assert!(
            head.starts_with(&format!("{prefix}{}({})", k.name, h.ty)),
            "{head:?}"
        );
        let (Some(&cmd), Some(&version)) = (p.first(), p.get(1)) else {
            continue;
        };
        // The trace names a request after the request variant, anything else after the one
        // the kernel sends.
        let request = h.flags & NLM_F_REQUEST != 0;
        let command = k.schema.and_then(|s| s.command(cmd, request));
        if let Some(c) = command {
            let named = format!(" {}({cmd}) v{version} ", c.name);
            assert!(head.contains(&named), "{head:?} does not name {named:?}");
        }
        let (Some(decodes), Some(attrs)) = (k.decodes, p.get(GENL_HDRLEN + k.user_header..)) else {
            continue;
        };
        // A unit variant (no schema) decodes without reading its attributes at all, so only a
        // variant with a set says anything about them.
        // Decoding reads the set of the variant the kernel sends; the trace shows a request
        // with the request's set: compare only when they are the same set.
        let shown = command.and_then(|c| c.attrs());
        let decoded_set = k.schema.and_then(|s| s.reply(cmd)).and_then(|c| c.attrs());
        let same = matches!((shown, decoded_set), (Some(a), Some(b)) if std::ptr::eq(a, b) || a.name == b.name);
        if same && decodes(cmd, attrs) {
            if let Some(l) = body.iter().find(|l| has_marker(l)) {
                panic!("message {i} decodes, but its trace shows an error: {l:?}\n{text}");
            }
        }
    }
    assert_eq!(at, lines.len(), "lines after the last message:\n{text}");
}

/// Render `data` with `T`'s schema when `T` decodes it (then it must show no error marker), or
/// when `always` (for the structure on any input).
fn attrs<T: DecodeAttrsOwned>(data: &[u8], always: bool) {
    let decoded = T::decode_attrs(data).is_ok();
    if decoded || always {
        attrs_with(data, Some(T::schema()), decoded);
    }
}

fn attrs_with(data: &[u8], schema: Option<&'static Schema>, decoded: bool) {
    let text = format_attrs(data, schema);
    check_size(&text, data.len());
    let mut tops = text.lines().filter(|l| !l.starts_with(' '));
    for a in AttrIter::new(data) {
        let top = tops.next().unwrap_or_default();
        match a {
            Ok(a) => {
                let name = schema
                    .and_then(|s| s.attr(a.id()))
                    .map_or("attr", |i| i.name);
                let label = format!("{name}({})", a.id());
                assert!(top.starts_with(&label), "{top:?} is not {label:?}\n{text}");
            }
            Err(e) => {
                assert_eq!(top, format!("<{e}>"));
                assert!(text.ends_with(&format!("<{e}>\n")), "lines after the error");
                break;
            }
        }
    }
    assert_eq!(
        tops.next(),
        None,
        "more top-level lines than attributes\n{text}"
    );
    if decoded {
        if let Some(l) = text.lines().find(|l| has_marker(l)) {
            panic!("the set decodes, but its trace shows an error: {l:?}\n{text}");
        }
    }
}

/// The sets rendered by `format_attrs`, with their decoders.
const SETS: [fn(&[u8], bool); 10] = [
    attrs::<Family>,
    attrs::<kinds::AllKinds>,
    attrs::<kinds::Required>,
    attrs::<kinds::Inner>,
    attrs::<Strset>,
    attrs::<Linkmodes>,
    attrs::<Attr>,
    attrs::<EventAttr>,
    attrs::<Napi>,
    attrs::<TaskstatsReply>,
];

/// The family ids whose message schemas `format_attrs` renders.
const FAMILIES: [u16; 7] = [0x10, 20, 21, 22, 23, 24, 25];

fuzz_target!(|data: &[u8]| {
    messages(data);
    // `[cmd][attributes...]`: the attributes rendered with no schema and with the schema of the
    // set `cmd` picks, whatever they are; and with the schema of every set, and of message
    // `cmd` of every family, that decodes them (only those: rendering is the slow part).
    let [cmd, rest @ ..] = data else { return };
    attrs_with(rest, None, false);
    let pick = usize::from(*cmd) % SETS.len();
    for (i, set) in SETS.iter().enumerate() {
        set(rest, i == pick);
    }
    for k in FAMILIES.iter().filter_map(|&ty| known(ty)) {
        // A unit variant (no schema) decodes whatever its attributes are, as in `messages`.
        let Some(schema) = k.schema.and_then(|s| s.reply(*cmd)).and_then(|c| c.attrs()) else {
            continue;
        };
        if k.decodes.is_some_and(|d| d(*cmd, rest)) {
            attrs_with(rest, Some(schema), true);
        }
    }
});
