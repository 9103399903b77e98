//! Schema → YNL text: the derived schema of a family ([`MessageSchema`]) written out as a YNL
//! spec. See [`emit`](crate::emit()).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use netlink_genl::netlink_genl_core::schema::{
    AttrInfo, AttrKind, Checks, EnumInfo, Schema, Selector, SubMessageSchema,
};
use netlink_genl::{Answer, CommandInfo, KernelPolicy, MessageSchema, OpAttrs};

/// Write the schema of a derived family as a YNL spec (YAML): the family's name, the attribute
/// sets its commands reach (nested sets, arrays, keyed nests and sub-messages' layouts
/// followed), the enum and flags definitions its value kinds carry ([`AttrKind::Enum`]), the
/// sub-messages ([`AttrKind::SubMessage`]: a `sub-message` attribute with its `selector`, and a
/// `sub-messages` entry per sub-message), its operations and multicast groups.
///
/// Operations: one per variant, with its set, its `do`/`dump` and the request and reply
/// attributes declared (`#[genl(do(request(..), reply(..)), dump(..))]`), its `flags`
/// (`admin_perm`, `uns_admin_perm`) and `dont-validate` ([`OpFlags`](netlink_genl::OpFlags)),
/// its `mcgrp` and `event`; the family's `kernel-policy` when it is not `split`. With a variant that is only sent (`#[genl(request)]`) the family numbers requests
/// and replies apart: `enum-model: directional`, each request's and reply's number in its
/// `do`/`dump`, and a reply variant a request names (`reply = X`) folded into that operation;
/// otherwise each operation's `value` is its command number.
///
/// Names are the schema's: a Rust name becomes a YNL name by splitting it into words (at `_`
/// and before an upper-case letter after a lower-case one) joined with `-` in lower case
/// (`xdp_features` → `xdp-features`, `XdpRxMetadata` → `xdp-rx-metadata`; a raw identifier's
/// `r#` and a trailing or leading `_` are dropped). Enum names and entries are the definition's
/// own ([`EnumInfo`]: the spec's, for generated types). Attribute ids are written as `value:`
/// where they do not count on from the previous one. What a schema does not carry is not
/// written: docs (the family and each operation get a doc line naming the Rust item, as the
/// YNL schema requires docs there), consts, structs, fixed headers, `pad` attributes. A value
/// type of your own whose `NlaEncode::KIND` says nothing ([`AttrKind::Unknown`]) is `binary`.
///
/// The output is stable (the same schema gives the same bytes) and valid YAML, with
/// `protocol: genetlink`, or `genetlink-legacy` when the family needs what only that level has
/// (a `version` other than 1, requests and replies numbered apart: `enum-model: directional`,
/// names with `_`: ovs's).
///
/// ```
/// use netlink_genl::{GenlMessage, NlAttrs};
///
/// #[derive(Debug, Clone, PartialEq, NlAttrs)]
/// pub struct Dev {
///     #[nla(id = 1, min = 1)]
///     ifindex: Option<u32>,
///     #[nla(id = 3)]
///     name: Option<String>,
/// }
///
/// #[derive(Debug, Clone, PartialEq, GenlMessage)]
/// #[genl(family = "demo", version = 1)]
/// pub enum Demo {
///     #[genl(cmd = 1)]
///     DevGet(Dev),
/// }
///
/// let yaml = netlink_ynl::emit(&<Demo as GenlMessage>::SCHEMA);
/// assert!(yaml.starts_with("name: demo\n"));
/// assert!(yaml.contains("        name: ifindex\n        type: u32\n        checks:\n          min: 1\n"));
/// assert!(yaml.contains("        name: name\n        type: string\n        value: 3\n"));
/// ```
pub fn emit(schema: &MessageSchema) -> String {
    Emitter::new(schema).run()
}

/// A YNL name from a Rust name: words split at `_` and at a lower-to-upper case change,
/// joined with `-`, in lower case.
pub(crate) fn ynl_name(rust: &str) -> String {
    let rust = rust.strip_prefix("r#").unwrap_or(rust);
    let mut out = String::new();
    let mut prev_lower = false;
    for c in rust.chars() {
        if c == '_' || c == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !out.ends_with('-') {
            out.push('-');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    while out.ends_with('-') {
        out.pop();
    }
    // (A leading `_`, as in a field `_4addr` whose YNL name starts with a digit, was dropped.)
    out
}

struct Emitter<'a> {
    family: &'a MessageSchema,
    /// The sets reached, in the order first reached, with their YNL names.
    sets: Vec<(&'static Schema, String)>,
    /// The enum and flags definitions reached, in the order first reached.
    enums: Vec<&'static EnumInfo>,
    /// The sub-messages reached ([`AttrKind::SubMessage`]), in order.
    subs: Vec<&'static SubMessageSchema>,
}

impl<'a> Emitter<'a> {
    fn new(family: &'a MessageSchema) -> Self {
        Emitter {
            family,
            sets: Vec::new(),
            enums: Vec::new(),
            subs: Vec::new(),
        }
    }

    /// Reach every set (and enum) from the commands, depth first in attribute order.
    fn collect(&mut self) {
        for c in self.family.commands {
            if let Some(s) = c.attrs() {
                self.reach_set(s);
            }
        }
    }

    fn reach_set(&mut self, s: &'static Schema) {
        if self.sets.iter().any(|(x, _)| std::ptr::eq(*x, s)) {
            return;
        }
        let base = ynl_name(s.name);
        let mut name = base.clone();
        let mut n = 2;
        while self.sets.iter().any(|(_, x)| *x == name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        self.sets.push((s, name));
        for a in s.attrs {
            self.reach_kind(&a.kind);
        }
    }

    fn reach_kind(&mut self, k: &AttrKind) {
        match k {
            AttrKind::Nested(f) => self.reach_set(f()),
            AttrKind::Array(e) | AttrKind::Keyed(e) | AttrKind::Packed(e) => self.reach_kind(e),
            AttrKind::Enum(e) if !self.enums.iter().any(|x| std::ptr::eq(*x, *e)) => {
                self.enums.push(e);
            }
            AttrKind::SubMessage { message, .. }
                if !self.subs.iter().any(|x| std::ptr::eq(*x, *message)) =>
            {
                self.subs.push(message);
                for f in message.formats {
                    self.reach_set((f.schema)());
                }
            }
            _ => {}
        }
    }

    fn set_name(&self, s: &'static Schema) -> String {
        self.sets
            .iter()
            .find(|(x, _)| std::ptr::eq(*x, s))
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| ynl_name(s.name))
    }

    fn run(mut self) -> String {
        self.collect();
        let f = self.family;
        let mut o = String::new();
        let _ = writeln!(o, "name: {}", scalar(f.family));
        // genetlink-legacy has what genetlink does not: a version, directional numbering,
        // names with `_`.
        let underscore = f.family.contains('_') || f.groups.iter().any(|g| g.contains('_'));
        let legacy = f.version != 1 || self.directional() || underscore;
        let protocol = if legacy {
            "genetlink-legacy"
        } else {
            "genetlink"
        };
        let _ = writeln!(o, "protocol: {protocol}");
        let _ = writeln!(
            o,
            "doc: {}",
            scalar(&format!(
                "Emitted by netlink-ynl from the schema of `{}`.",
                f.name
            ))
        );
        if legacy {
            let _ = writeln!(o, "version: {}", f.version);
        }
        match f.kernel_policy {
            KernelPolicy::PerOp => o.push_str("kernel-policy: per-op\n"),
            KernelPolicy::Global => o.push_str("kernel-policy: global\n"),
            _ => {}
        }
        if !self.enums.is_empty() {
            o.push_str("\ndefinitions:\n");
            for e in &self.enums {
                write_enum(&mut o, e);
            }
        }
        o.push_str("\nattribute-sets:\n");
        if self.sets.is_empty() {
            o.truncate(o.len() - 1);
            o.push_str(" []\n");
        }
        for (s, name) in &self.sets {
            let _ = writeln!(o, "  -\n    name: {}", scalar(name));
            if s.attrs.is_empty() {
                o.push_str("    attributes: []\n");
                continue;
            }
            o.push_str("    attributes:\n");
            let mut next = 1u32;
            for a in s.attrs {
                self.write_attr(&mut o, s, a, next);
                next = u32::from(a.id) + 1;
            }
        }
        if !self.subs.is_empty() {
            o.push_str("\nsub-messages:\n");
            for m in &self.subs {
                let _ = writeln!(
                    o,
                    "  -\n    name: {}\n    formats:",
                    scalar(&ynl_name(m.name))
                );
                for f in m.formats {
                    let value = match f.value {
                        Selector::Str(v) => scalar(v),
                        Selector::Int(v) => v.to_string(),
                    };
                    let set = self.set_name((f.schema)());
                    let _ = writeln!(
                        o,
                        "      -\n        value: {value}\n        attribute-set: {set}"
                    );
                }
            }
        }
        self.write_operations(&mut o);
        if !f.groups.is_empty() {
            o.push_str("\nmcast-groups:\n  list:\n");
            for g in f.groups {
                let _ = writeln!(o, "    -\n      name: {}", scalar(g));
            }
        }
        o
    }

    fn write_attr(&self, o: &mut String, set: &Schema, a: &AttrInfo, next: u32) {
        let _ = writeln!(o, "      -\n        name: {}", scalar(&ynl_name(a.name)));
        let ind = "        ";
        match a.kind {
            AttrKind::SubMessage { selector, message } => {
                let _ = writeln!(o, "{ind}type: sub-message");
                let _ = writeln!(o, "{ind}sub-message: {}", scalar(&ynl_name(message.name)));
                let sel = set
                    .attr_name(selector)
                    .map_or_else(|| selector.to_string(), ynl_name);
                let _ = writeln!(o, "{ind}selector: {}", scalar(&sel));
            }
            AttrKind::Array(elem) => {
                let _ = writeln!(o, "{ind}type: indexed-array");
                self.write_type(o, elem, "sub-type");
            }
            AttrKind::Keyed(elem) => {
                let _ = writeln!(o, "{ind}type: nest-type-value");
                // Keyed nests inside keyed nests: one `type-value` level each.
                let mut levels = 1;
                let mut inner = elem;
                while let AttrKind::Keyed(e) = inner {
                    levels += 1;
                    inner = e;
                }
                match inner {
                    AttrKind::Nested(f) => {
                        let _ = writeln!(o, "{ind}nested-attributes: {}", self.set_name(f()));
                    }
                    other => self.write_type(o, other, "sub-type"),
                }
                let keys: Vec<String> = (1..=levels).map(|i| format!("key-{i}")).collect();
                let _ = writeln!(o, "{ind}type-value: [{}]", keys.join(", "));
            }
            k => self.write_type(o, &k, "type"),
        }
        if u32::from(a.id) != next {
            let _ = writeln!(o, "{ind}value: {}", a.id);
        }
        if a.multi {
            let _ = writeln!(o, "{ind}multi-attr: true");
        }
        let mut checks = a.checks;
        // A mask has no YNL check of its own: the spec says it with `enum-as-flags` or a
        // bitfield32's `enum`, which the schema does not keep for these fields (README, Emit).
        checks.mask = None;
        if matches!(a.kind.base(), AttrKind::Ipv6) && checks.min_len.is_none() {
            // An address is 16 bytes: the YNL way to say so.
            checks = checks.min_len(16).max_len(16);
        }
        write_checks(o, &checks);
    }

    /// The keys that say what a value of kind `k` is: `type` (or `sub-type` for an array's
    /// elements), and what goes with it (`nested-attributes`, `byte-order`, `enum`, ...).
    fn write_type(&self, o: &mut String, k: &AttrKind, key: &str) {
        let ind = "        ";
        let (ty, extra): (&str, Vec<String>) = match k {
            AttrKind::Enum(e) => {
                self.write_type(o, e.kind, key);
                let _ = writeln!(o, "{ind}enum: {}", scalar(e.name));
                return;
            }
            AttrKind::Nested(f) => (
                "nest",
                vec![format!("nested-attributes: {}", self.set_name(f()))],
            ),
            AttrKind::Packed(elem) => {
                let _ = writeln!(o, "{ind}{key}: binary");
                // The elements' type, as the sub-type.
                let (t, _) = scalar_type(elem);
                let _ = writeln!(o, "{ind}sub-type: {t}");
                return;
            }
            other => {
                let (t, be) = scalar_type(other);
                let mut extra = Vec::new();
                if be {
                    extra.push("byte-order: big-endian".to_owned());
                }
                match other {
                    AttrKind::Ipv4 => extra.push("display-hint: ipv4".into()),
                    AttrKind::Ipv6 => extra.push("display-hint: ipv6".into()),
                    _ => {}
                }
                (t, extra)
            }
        };
        let _ = writeln!(o, "{ind}{key}: {ty}");
        for e in extra {
            let _ = writeln!(o, "{ind}{e}");
        }
    }

    /// Whether requests and replies are numbered apart: some command is only ever sent
    /// (`#[genl(request)]`), its reply a variant of its own.
    fn directional(&self) -> bool {
        self.family.commands.iter().any(|c| c.request_only)
    }

    fn write_operations(&self, o: &mut String) {
        let f = self.family;
        let directional = self.directional();
        o.push_str("\noperations:\n");
        if directional {
            o.push_str("  enum-model: directional\n");
        }
        if f.commands.is_empty() {
            o.push_str("  list: []\n");
            return;
        }
        o.push_str("  list:\n");
        // Directional: a variant that is the reply of a request is that request's operation's
        // reply, not an operation of its own.
        let folded = |c: &CommandInfo| {
            directional
                && !c.request_only
                && c.doit.is_none()
                && c.dumpit.is_none()
                && c.event.is_none()
                && c.mcast.is_none()
                && f.commands
                    .iter()
                    .any(|r| reply_of(f, r).is_some_and(|x| std::ptr::eq(x, c)))
        };
        let mut names = BTreeSet::new();
        for c in f.commands.iter().filter(|c| !folded(c)) {
            let base = ynl_name(c.name);
            let mut name = base.clone();
            let mut n = 2;
            while !names.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            let _ = writeln!(o, "    -\n      name: {}", scalar(&name));
            let _ = writeln!(
                o,
                "      doc: {}",
                scalar(&format!("Variant `{}::{}`.", f.name, c.name))
            );
            let request = c.doit.is_some() || c.dumpit.is_some();
            // Unified: the operation's number. Directional: a message that is no request (a
            // notification, a reply of its own) has it here; requests and replies in `do`/`dump`.
            if !directional || !request {
                let _ = writeln!(o, "      value: {}", c.cmd);
            }
            if let Some(s) = c.attrs() {
                let _ = writeln!(o, "      attribute-set: {}", self.set_name(s));
            }
            let reply_value = match reply_of(f, c) {
                Some(r) => Some(r.cmd),
                None if !c.request_only => Some(c.cmd),
                None => None,
            };
            let mut flags = Vec::new();
            if c.flags.admin_perm {
                flags.push("admin-perm");
            }
            if c.flags.uns_admin_perm {
                flags.push("uns-admin-perm");
            }
            if !flags.is_empty() {
                let _ = writeln!(o, "      flags: [{}]", flags.join(", "));
            }
            let mut dont = Vec::new();
            for (on, word) in [
                (c.flags.dont_validate_strict, "strict"),
                (c.flags.dont_validate_dump, "dump"),
                (c.flags.dont_validate_dump_strict, "dump-strict"),
            ] {
                if on {
                    dont.push(word);
                }
            }
            if !dont.is_empty() {
                let _ = writeln!(o, "      dont-validate: [{}]", dont.join(", "));
            }
            for (mode, ops) in [("do", c.doit), ("dump", c.dumpit)] {
                let Some(ops) = ops else { continue };
                write_mode(o, c, mode, ops, directional, reply_value);
            }
            if let Some(g) = c.mcast {
                let _ = writeln!(o, "      mcgrp: {}", scalar(g));
            }
            if let Some(list) = c.event {
                o.push_str("      event:\n");
                write_list(o, "        ", list);
            }
        }
    }
}

/// The reply variant of a request that is only sent (`#[genl(request)]`): the one its
/// `reply = X` names, else (a dump-only operation has no `reply =`) the variant named like it
/// with `Reply` appended, as `netlink-ynl` names directional replies, holding the same set.
fn reply_of(f: &MessageSchema, r: &CommandInfo) -> Option<&'static CommandInfo> {
    if !r.request_only {
        return None;
    }
    let same = |c: &&'static CommandInfo| !c.request_only && same_set(r, c);
    match r.answer {
        Answer::Reply(n) => f.commands.iter().filter(same).find(|c| c.cmd == n),
        _ => f
            .commands
            .iter()
            .filter(same)
            .find(|c| c.name.strip_suffix("Reply") == Some(r.name)),
    }
}

/// Whether two commands hold the same attribute set.
fn same_set(a: &CommandInfo, b: &CommandInfo) -> bool {
    match (a.attrs(), b.attrs()) {
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        (None, None) => true,
        _ => false,
    }
}

/// `do:` / `dump:` of an operation: the request and reply attribute lists declared, and (when
/// requests and replies are numbered apart) their message numbers.
fn write_mode(
    o: &mut String,
    c: &CommandInfo,
    mode: &str,
    ops: OpAttrs,
    directional: bool,
    reply_value: Option<u8>,
) {
    let request_value = directional.then_some(c.cmd);
    let reply_value = reply_value.filter(|_| directional);
    let has_request = ops.request.is_some() || request_value.is_some();
    // A do has a reply unless it is answered by the ACK; a dump always has.
    let has_reply = ops.reply.is_some()
        || (reply_value.is_some() && (mode == "dump" || c.answer != Answer::Ack));
    if !has_request && !has_reply {
        let _ = writeln!(o, "      {mode}: {{}}");
        return;
    }
    let _ = writeln!(o, "      {mode}:");
    for (dir, list, value, present) in [
        ("request", ops.request, request_value, has_request),
        ("reply", ops.reply, reply_value, has_reply),
    ] {
        if !present {
            continue;
        }
        let _ = writeln!(o, "        {dir}:");
        if let Some(v) = value {
            let _ = writeln!(o, "          value: {v}");
        }
        if let Some(list) = list {
            write_list(o, "          ", list);
        }
    }
}

/// `attributes:` with the YNL names of the fields listed.
fn write_list(o: &mut String, indent: &str, list: &[&str]) {
    if list.is_empty() {
        let _ = writeln!(o, "{indent}attributes: []");
        return;
    }
    let _ = writeln!(o, "{indent}attributes:");
    for a in list {
        let _ = writeln!(o, "{indent}  - {}", scalar(&ynl_name(a)));
    }
}

/// The YNL type of a scalar kind, and whether it is big-endian.
fn scalar_type(k: &AttrKind) -> (&'static str, bool) {
    match k.base() {
        AttrKind::Flag => ("flag", false),
        AttrKind::U8 => ("u8", false),
        AttrKind::U16 => ("u16", false),
        AttrKind::U32 => ("u32", false),
        AttrKind::U64 => ("u64", false),
        AttrKind::I8 => ("s8", false),
        AttrKind::I16 => ("s16", false),
        AttrKind::I32 => ("s32", false),
        AttrKind::I64 => ("s64", false),
        AttrKind::Uint => ("uint", false),
        AttrKind::Sint => ("sint", false),
        AttrKind::Be16 => ("u16", true),
        AttrKind::Be32 | AttrKind::Ipv4 => ("u32", true),
        AttrKind::Be64 => ("u64", true),
        AttrKind::String => ("string", false),
        AttrKind::Nested(_) | AttrKind::Array(_) | AttrKind::Keyed(_) => ("nest", false),
        _ if matches!(k, AttrKind::Bitfield32) => ("bitfield32", false),
        // Binary, an address of 16 bytes, a value type the schema does not describe.
        _ => ("binary", false),
    }
}

fn write_checks(o: &mut String, c: &Checks) {
    if c.is_empty() {
        return;
    }
    o.push_str("        checks:\n");
    if let Some(v) = c.min {
        let _ = writeln!(o, "          min: {v}");
    }
    if let Some(v) = c.max {
        let _ = writeln!(o, "          max: {v}");
    }
    match (c.min_len, c.max_len) {
        (Some(a), Some(b)) if a == b => {
            let _ = writeln!(o, "          exact-len: {a}");
        }
        (min, max) => {
            if let Some(v) = min {
                let _ = writeln!(o, "          min-len: {v}");
            }
            if let Some(v) = max {
                let _ = writeln!(o, "          max-len: {v}");
            }
        }
    }
}

fn write_enum(o: &mut String, e: &EnumInfo) {
    let _ = writeln!(o, "  -\n    name: {}", scalar(e.name));
    let _ = writeln!(o, "    type: {}", if e.flags { "flags" } else { "enum" });
    // A flag's value is its bit number.
    let value = |v: i128| -> i128 {
        if e.flags && v > 0 && v & (v - 1) == 0 {
            i128::from(v.trailing_zeros())
        } else {
            v
        }
    };
    let first = e.entries.first().map_or(0, |x| value(x.1));
    if first != 0 {
        let _ = writeln!(o, "    value-start: {first}");
    }
    if e.entries.is_empty() {
        o.push_str("    entries: []\n");
        return;
    }
    o.push_str("    entries:\n");
    let mut next = first;
    for (n, v) in e.entries {
        let v = value(*v);
        if v == next {
            let _ = writeln!(o, "      - {}", scalar(n));
        } else {
            let _ = writeln!(
                o,
                "      -\n        name: {}\n        value: {v}",
                scalar(n)
            );
        }
        next = v + 1;
    }
}

/// A YAML scalar: plain when it is a simple name YAML reads back as the same string, else
/// double-quoted.
fn scalar(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
        );
    if plain {
        return s.to_owned();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
