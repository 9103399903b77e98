//! What the `genl` example prints, as functions the live tests can check:
//!
//! - [`family`]: `genl list` / `genl get`, in the layout of iproute2's `genl ctrl list`, except
//!   that operation flags ("Capabilities") are printed for every family (iproute2 6.1 prints
//!   them only for families of version 2 or more);
//! - [`policy`]: `genl policy`, each operation's do and dump policy with nested policies
//!   expanded;
//! - [`event`]: `genl monitor` for families the examples do not declare: attribute ids and hex
//!   (declared families are shown by name: [`genl_events`](crate::genl_events)).

use std::collections::BTreeSet;
use std::fmt::Write;

use netlink_genl::ctrl::{self, Ctrl, PolicyDump, op_flags};
use netlink_genl::{AttrSet, FamilyInfo, GenlMessage, GenlView};
use netlink_genl_core::attr::AttrIter;

/// One family as `genl ctrl list` lays it out, ending with an empty line.
///
/// ```
/// use netlink_genl::{FamilyInfo, GroupInfo, OpInfo};
/// let f = FamilyInfo {
///     name: "nlctrl".into(), id: 0x10, version: 2, hdrsize: 0, maxattr: 0,
///     ops: vec![OpInfo { cmd: 3, flags: 0xe }],
///     groups: vec![GroupInfo { name: "notify".into(), id: 0x10 }],
/// };
/// let text = example_families::genl_text::family(&f);
/// assert!(text.starts_with("Name: nlctrl\n\tID: 0x10  Version: 0x2  header size: 0  max attribs: 0\n"));
/// assert!(text.contains("\t\t#1:  ID-0x3  Capabilities (0xe): can doit; can dumpit; has policy\n"));
/// assert!(text.contains("\t\t#1:  ID-0x10  name: notify\n"));
/// ```
pub fn family(f: &FamilyInfo) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(s, "Name: {}", f.name);
    let _ = writeln!(
        s,
        "\tID: {:#x}  Version: {:#x}  header size: {}  max attribs: {}",
        f.id, f.version, f.hdrsize, f.maxattr
    );
    if !f.ops.is_empty() {
        let _ = writeln!(s, "\tcommands supported:");
        for (i, op) in f.ops.iter().enumerate() {
            let flags = op_flags::describe(op.flags);
            let flags = if flags.is_empty() {
                "none".to_owned()
            } else {
                flags.join("; ")
            };
            let _ = writeln!(
                s,
                "\t\t#{}:  ID-{:#x}  Capabilities ({:#x}): {flags}",
                i + 1,
                op.cmd,
                op.flags
            );
        }
    }
    if !f.groups.is_empty() {
        let _ = writeln!(s, "\tmulticast groups:");
        for (i, g) in f.groups.iter().enumerate() {
            let _ = writeln!(s, "\t\t#{}:  ID-{:#x}  name: {}", i + 1, g.id, g.name);
        }
    }
    s.push('\n');
    s
}

/// Attribute names for the policy tables of `family` that an operation uses directly, where this
/// program knows the family's types (nlctrl).
pub(crate) fn top_level_names(family: &str) -> Option<fn(u16) -> Option<&'static str>> {
    (family == "nlctrl").then_some(<ctrl::Family as AttrSet>::attr_name as fn(u16) -> _)
}

fn table(
    out: &mut String,
    dump: &PolicyDump,
    idx: u32,
    indent: usize,
    names: Option<fn(u16) -> Option<&'static str>>,
    seen: &mut BTreeSet<u32>,
) {
    let pad = "  ".repeat(indent);
    let Some(t) = dump.policy(idx) else {
        let _ = writeln!(out, "{pad}policy {idx}: no attributes");
        return;
    };
    if !seen.insert(idx) {
        let _ = writeln!(out, "{pad}policy {idx}: (see above)");
        return;
    }
    let _ = writeln!(out, "{pad}policy {idx}:");
    for (attr, p) in t {
        let name = names
            .and_then(|f| f(*attr))
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let text = p.to_string();
        let text = if text.is_empty() { "(no type)" } else { &text };
        let _ = writeln!(out, "{pad}  attr {attr}{name}: {text}");
        if let Some(inner) = p.policy_idx {
            table(out, dump, inner, indent + 2, None, seen);
        }
    }
}

/// `genl policy NAME [OP]`: a summary line, then per operation its do and dump policies,
/// attribute by attribute with type and bounds, nested policies expanded below their attribute.
///
/// ```
/// use netlink_genl::ctrl::{OpPolicy, PolicyDump};
/// use netlink_genl::{FamilyInfo, PolicyInfo};
/// let info = FamilyInfo {
///     name: "nlctrl".into(), id: 0x10, version: 2, hdrsize: 0, maxattr: 0,
///     ops: vec![], groups: vec![],
/// };
/// let mut dump = PolicyDump::default();
/// dump.ops.insert(3, OpPolicy { do_policy: Some(0), dump_policy: None });
/// let mut name = PolicyInfo::default();
/// (name.ty, name.max_length) = (Some(12), Some(15));
/// dump.policies.entry(0).or_default().insert(2, name);
/// let text = example_families::genl_text::policy(&info, &dump);
/// assert!(text.contains("op 0x3 (GetFamily)"));
/// assert!(text.contains("attr 2 (name): nul-string max len 15"));
/// ```
pub fn policy(info: &FamilyInfo, dump: &PolicyDump) -> String {
    let mut out = String::new();
    let name = info.name.as_str();
    let _ = writeln!(
        out,
        "{name} (id {:#x}): {} operations with policies, {} policy tables, {} messages{}",
        info.id,
        dump.ops.len(),
        dump.policies.len(),
        dump.messages,
        if dump.interrupted {
            " (dump interrupted: retry for a consistent view)"
        } else {
            ""
        }
    );
    let names = top_level_names(name);
    for (cmd, p) in &dump.ops {
        if *cmd == 0 {
            let _ = writeln!(out, "op 0 (dump-only operations)");
        } else {
            let cmd_name = u8::try_from(*cmd)
                .ok()
                .filter(|_| name == "nlctrl")
                .and_then(Ctrl::command_name)
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let flags = info
                .op(*cmd)
                .map(|o| format!(" [{}]", op_flags::describe(o.flags).join(", ")))
                .unwrap_or_default();
            let _ = writeln!(out, "op {cmd:#x}{cmd_name}{flags}");
        }
        for (what, idx) in [("do", p.do_policy), ("dump", p.dump_policy)] {
            if let Some(idx) = idx {
                let _ = writeln!(out, "  {what}:");
                table(&mut out, dump, idx, 2, names, &mut BTreeSet::new());
            }
        }
    }
    if dump.ops.is_empty() {
        // Families with one policy for every operation report only tables.
        for idx in dump.policies.keys() {
            table(&mut out, dump, *idx, 0, names, &mut BTreeSet::new());
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "(empty)".into();
    }
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Attributes as ids and hex, nests (`NLA_F_NESTED`) recursively.
fn attrs(out: &mut String, attrs: AttrIter<'_>, indent: usize) {
    let pad = "  ".repeat(indent);
    for a in attrs {
        match a {
            Ok(a) if a.is_nested() => {
                let _ = writeln!(
                    out,
                    "{pad}attr {} (nested, {} bytes):",
                    a.id(),
                    a.payload().len()
                );
                self::attrs(out, a.nested(), indent + 1);
            }
            Ok(a) => {
                let _ = writeln!(out, "{pad}attr {}: {}", a.id(), hex(a.payload()));
            }
            Err(e) => {
                let _ = writeln!(out, "{pad}<malformed: {e}>");
            }
        }
    }
}

/// `genl monitor`'s text for an event of a family the examples do not declare: the command,
/// header fields and attributes as ids and hex, nests (`NLA_F_NESTED`) expanded. Declared
/// families are shown by name ([`genl_events::text`](crate::genl_events::text)).
pub fn event(info: &FamilyInfo, v: &GenlView<'_>) -> String {
    let mut out = String::new();
    let group = info
        .group_name(v.group())
        .map(str::to_owned)
        .unwrap_or_else(|| v.group().to_string());
    let _ = writeln!(
        out,
        "[{group}] {} cmd {} version {} seq {} pid {}",
        info.name,
        v.cmd(),
        v.genl_header().version,
        v.header().seq,
        v.header().pid
    );
    attrs(&mut out, v.attrs(info.hdrsize as usize), 1);
    out
}
