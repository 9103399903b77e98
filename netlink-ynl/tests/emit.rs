//! The spec round trip: every vendored spec → the generated family (`netlink-families`, all
//! features) → `netlink_ynl::emit` → a spec equal to the original after the normalisations
//! listed in the README's "Emit" section (each one is a function or a commented step below).
//! And: every emitted spec follows the YNL schema rules (`schema_rules`), emitting is stable,
//! and hand-written types (`netlink_genl::ctrl::Ctrl`) emit too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_norway::Value;

include!("../src/families.rs");

/// Specs that do not round-trip, with the reason. Asserted: a spec listed here that starts to
/// round-trip fails the test, as does one that breaks without being listed.
const KNOWN: &[(&str, &str)] = &[];

fn spec_text(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("specs")
        .join(format!("{name}.yaml"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

// ------------------------------------------------------------------ reading a spec

fn get<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.as_mapping().and_then(|m| m.get(k))
}
fn s<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    get(v, k).and_then(Value::as_str)
}
fn list<'v>(v: &'v Value, k: &str) -> &'v [Value] {
    get(v, k)
        .and_then(Value::as_sequence)
        .map_or(&[], Vec::as_slice)
}
fn int(v: &Value) -> Option<i128> {
    v.as_i64()
        .map(i128::from)
        .or_else(|| v.as_u64().map(i128::from))
}

/// Names compared by their letters and digits, lower case: a YNL name and the YNL name of the
/// Rust name made from it agree (`xdp-features` / `xdp_features`, `IPV4` / `ipv4`).
fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A limit name's value (`u32-max`), as the generator resolves it.
fn limit(name: &str) -> Option<i128> {
    let (ty, end) = name.split_once('-')?;
    let bits: u32 = ty.get(1..)?.parse().ok()?;
    let signed = ty.starts_with('s');
    let max = if signed {
        (1i128 << (bits - 1)) - 1
    } else {
        (1i128 << bits) - 1
    };
    match end {
        "max" => Some(max),
        "min" if signed => Some(-max - 1),
        "min" => Some(0),
        _ => None,
    }
}

/// One attribute, normalised: what the derived schema can say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CAttr {
    name: String,
    /// The value type, with nested sets by the spec's set name (`nest(dev)`,
    /// `array(u32)`, `enum(xdp-act: u64)`).
    ty: String,
    nested: Vec<String>,
    multi: bool,
    checks: BTreeMap<&'static str, i128>,
}

/// A spec, normalised: sets (by spec name) of attributes by id, the enum definitions named by
/// attributes, operations, multicast groups.
#[derive(Debug, Default)]
struct Canon {
    sets: BTreeMap<String, BTreeMap<u16, CAttr>>,
    /// Definitions named by the attributes: (flags, entries (name, value; a flag's bit)).
    defs: BTreeMap<String, (bool, Vec<(String, i128)>)>,
    /// Operations by name key: (attribute set, facts).
    ops: BTreeMap<String, (Option<String>, BTreeSet<String>)>,
    groups: BTreeSet<String>,
    /// `kernel-policy` (normalisation: `split` when not given).
    kernel_policy: String,
}

/// An attribute of a set: its id, its keys, and its parent's keys (a subset's attribute).
type RawAttr<'v> = (u16, &'v Value, Option<&'v Value>);

struct Reader<'v> {
    spec: &'v Value,
    consts: BTreeMap<String, i128>,
    /// Sets by name, with their attributes resolved (`subset-of`) and numbered.
    raw_sets: BTreeMap<String, Vec<RawAttr<'v>>>,
    /// enum/flags definitions that are value kinds (attributes hold them).
    value_kinds: BTreeSet<String>,
    structs: BTreeSet<String>,
}

/// How an integer is carried: (YNL type after normalising signed big-endian, big-endian).
fn wire(ty: &str, be: bool) -> Option<(String, bool)> {
    let native = matches!(ty, "u8" | "s8" | "uint" | "sint");
    match ty {
        "u8" | "u16" | "u32" | "u64" | "s8" | "s16" | "s32" | "s64" | "uint" | "sint" => {}
        _ => return None,
    }
    Some(match (be && !native, ty) {
        // Signed big-endian integers are carried as the unsigned bits (`Be16`..).
        (true, t) => (t.replace('s', "u"), true),
        (false, t) => (t.to_owned(), false),
    })
}

fn fits(ty: &str, v: i128) -> bool {
    let (lo, hi): (i128, i128) = match ty {
        "u8" => (0, 0xff),
        "u16" => (0, 0xffff),
        "u32" => (0, 0xffff_ffff),
        "u64" | "uint" => (0, u64::MAX.into()),
        "s8" => (-128, 127),
        "s16" => (i16::MIN.into(), i16::MAX.into()),
        "s32" => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    (lo..=hi).contains(&v)
}

impl<'v> Reader<'v> {
    fn new(spec: &'v Value) -> Self {
        let mut consts = BTreeMap::new();
        let mut structs = BTreeSet::new();
        for d in list(spec, "definitions") {
            let name = s(d, "name").unwrap_or_default().to_owned();
            match s(d, "type") {
                Some("const") => {
                    if let Some(v) = get(d, "value").and_then(int) {
                        consts.insert(name, v);
                    }
                }
                Some("struct") => {
                    structs.insert(name);
                }
                _ => {}
            }
        }
        let sets_by_name: BTreeMap<&str, &Value> = list(spec, "attribute-sets")
            .iter()
            .map(|x| (s(x, "name").unwrap_or_default(), x))
            .collect();
        let numbered = |set: &'v Value| -> Vec<(u16, &'v Value)> {
            let mut next = 1i128;
            list(set, "attributes")
                .iter()
                .map(|a| {
                    if let Some(v) = get(a, "value").and_then(int) {
                        next = v;
                    }
                    next += 1;
                    (u16::try_from(next - 1).unwrap_or(0), a)
                })
                .collect()
        };
        let mut raw_sets = BTreeMap::new();
        for set in list(spec, "attribute-sets") {
            let name = s(set, "name").unwrap_or_default().to_owned();
            let attrs = match s(set, "subset-of").and_then(|p| sets_by_name.get(p)) {
                // A subset: the parent's ids and keys, overridden by the subset's own.
                Some(parent) => {
                    let pids = numbered(parent);
                    list(set, "attributes")
                        .iter()
                        .filter_map(|a| {
                            let n = s(a, "name")?;
                            let (id, pa) = pids.iter().find(|(_, pa)| s(pa, "name") == Some(n))?;
                            let id = get(a, "value")
                                .and_then(int)
                                .and_then(|v| u16::try_from(v).ok())
                                .unwrap_or(*id);
                            Some((id, a, Some(*pa)))
                        })
                        .collect()
                }
                None => numbered(set)
                    .into_iter()
                    .map(|(id, a)| (id, a, None))
                    .collect(),
            };
            raw_sets.insert(name, attrs);
        }
        let mut r = Reader {
            spec,
            consts,
            raw_sets,
            value_kinds: BTreeSet::new(),
            structs,
        };
        r.value_kinds = r.find_value_kinds();
        r
    }

    fn key_of(&self, a: &'v Value, parent: Option<&'v Value>, k: &str) -> Option<&'v Value> {
        get(a, k).or_else(|| parent.and_then(|p| get(p, k)))
    }

    fn str_of(&self, a: &'v Value, parent: Option<&'v Value>, k: &str) -> Option<&'v str> {
        self.key_of(a, parent, k).and_then(Value::as_str)
    }

    fn def(&self, name: &str) -> Option<&'v Value> {
        list(self.spec, "definitions")
            .iter()
            .find(|d| s(d, "name") == Some(name))
    }

    /// Entries of an enum or flags definition: (name, value; a flag's bit number).
    fn entries(&self, name: &str) -> Option<(bool, Vec<(String, i128)>)> {
        let d = self.def(name)?;
        let flags = s(d, "type") == Some("flags");
        let mut next = get(d, "value-start").and_then(int).unwrap_or(0);
        let mut out = Vec::new();
        for e in list(d, "entries") {
            let (n, v) = match e.as_str() {
                Some(n) => (n.to_owned(), None),
                None => (
                    s(e, "name").unwrap_or_default().to_owned(),
                    get(e, "value").and_then(int),
                ),
            };
            if let Some(v) = v {
                next = v;
            }
            out.push((n, next));
            next += 1;
        }
        Some((flags, out))
    }

    /// Normalisation: an `enum` on an attribute is kept only when the derived type holds it
    /// (the generator's value-kind rule: every scalar attribute naming the definition carries it
    /// the same way, and every value fits). Otherwise the field holds the plain integer and
    /// the schema cannot say which definition names its values.
    fn find_value_kinds(&self) -> BTreeSet<String> {
        let mut usage: BTreeMap<&str, BTreeSet<(String, bool)>> = BTreeMap::new();
        for attrs in self.raw_sets.values() {
            for (id, a, p) in attrs {
                let _ = id;
                let Some(e) = self.str_of(a, *p, "enum") else {
                    continue;
                };
                let is_enum = self.def(e).and_then(|d| s(d, "type")) == Some("enum");
                let as_flags = self
                    .key_of(a, *p, "enum-as-flags")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if as_flags && is_enum {
                    continue;
                }
                let ty = self.str_of(a, *p, "type").unwrap_or_default();
                let be = self.str_of(a, *p, "byte-order") == Some("big-endian");
                if let Some(w) = wire(ty, be) {
                    usage.entry(e).or_default().insert(w);
                }
            }
        }
        usage
            .into_iter()
            .filter(|(e, u)| {
                let Some((ty, _)) = u.iter().next().filter(|_| u.len() == 1) else {
                    return false;
                };
                let Some((flags, entries)) = self.entries(e) else {
                    return false;
                };
                entries.iter().all(|(_, v)| {
                    let v = if flags { 1i128 << v } else { *v };
                    fits(ty, v)
                })
            })
            .map(|(e, _)| e.to_owned())
            .collect()
    }

    fn num(&self, v: &Value) -> Option<i128> {
        int(v).or_else(|| {
            let n = v.as_str()?;
            self.consts.get(n).copied().or_else(|| limit(n))
        })
    }

    /// The normalised value type of an attribute (or of an array's elements, `ty` being the
    /// sub-type), and the sets it names.
    fn value_type(
        &self,
        a: &'v Value,
        p: Option<&'v Value>,
        ty: &str,
        nested: &mut Vec<String>,
        defs: &mut BTreeSet<String>,
    ) -> (String, &'static str) {
        let be = self.str_of(a, p, "byte-order") == Some("big-endian");
        let hint = self.str_of(a, p, "display-hint");
        let exact = self
            .key_of(a, p, "checks")
            .and_then(|c| get(c, "exact-len"))
            .and_then(|v| self.num(v));
        if let Some((w, wbe)) = wire(ty, be) {
            if let Some(e) = self.str_of(a, p, "enum") {
                let is_enum = self.def(e).and_then(|d| s(d, "type")) == Some("enum");
                let as_flags = self
                    .key_of(a, p, "enum-as-flags")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if self.value_kinds.contains(e) && !(as_flags && is_enum) {
                    defs.insert(e.to_owned());
                    return (format!("enum({e}: {w} be={wbe})"), "enum");
                }
            }
            // Normalisation: a big-endian u32 shown as an IPv4 address is an address.
            if hint == Some("ipv4") && w == "u32" && wbe {
                return ("ipv4".into(), "sized");
            }
            return (format!("{w} be={wbe}"), "int");
        }
        match ty {
            "string" => ("string".into(), "bytes"),
            "flag" => ("flag".into(), "other"),
            "bitfield32" => ("bitfield32".into(), "other"),
            "nest" => match self.str_of(a, p, "nested-attributes") {
                Some(n) => {
                    nested.push(n.to_owned());
                    ("nest".into(), "other")
                }
                // Normalisation: a nest the spec does not describe is raw bytes.
                None => ("binary".into(), "other"),
            },
            "binary" => {
                // Normalisation: `struct` is not carried (a zerocopy struct is bytes to the
                // schema); its length is the type's.
                if let Some(st) = self.str_of(a, p, "struct") {
                    if self.structs.contains(st) {
                        return ("binary".into(), "sized");
                    }
                }
                match (hint, exact) {
                    (Some("ipv4"), Some(4)) => return ("ipv4".into(), "sized"),
                    (Some("ipv6"), Some(16)) => return ("ipv6".into(), "sized"),
                    _ => {}
                }
                // A packed array of integers in host order (other sub-types: bytes).
                if let Some(st) = self.str_of(a, p, "sub-type") {
                    if let Some((w, false)) = wire(st, false) {
                        if w != "uint" && w != "sint" {
                            return (format!("packed({w})"), "other");
                        }
                    }
                }
                ("binary".into(), "bytes")
            }
            other => (format!("?{other}"), "other"),
        }
    }

    fn attr(
        &self,
        a: &'v Value,
        p: Option<&'v Value>,
        defs: &mut BTreeSet<String>,
    ) -> Option<CAttr> {
        let ty = self.str_of(a, p, "type")?;
        // Normalisation: `pad` and `unused` attributes are not fields (an attribute with id 0
        // of another type is one, like any other).
        if ty == "pad" || ty == "unused" {
            return None;
        }
        let multi = self
            .key_of(a, p, "multi-attr")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut nested = Vec::new();
        let mut checked = "none";
        let ty = match ty {
            "indexed-array" => {
                let sub = self.str_of(a, p, "sub-type").unwrap_or("?");
                let (t, _) = self.value_type(a, p, sub, &mut nested, defs);
                format!("array({t})")
            }
            "nest-type-value" => {
                let levels = self
                    .key_of(a, p, "type-value")
                    .and_then(Value::as_sequence)
                    .map_or(1, |l| l.len().max(1));
                if let Some(n) = self.str_of(a, p, "nested-attributes") {
                    nested.push(n.to_owned());
                }
                format!("keyed{levels}(nest)")
            }
            // Normalisation: a sub-message is raw bytes (the derive cannot express it yet).
            "sub-message" => "binary".into(),
            t => {
                let (t, c) = self.value_type(a, p, t, &mut nested, defs);
                checked = c;
                t
            }
        };
        // Normalisation: only the checks the derive records (min/max on integers, lengths on
        // strings and plain bytes; names resolved to numbers; `exact-len` as equal min and max
        // lengths) are carried; `unterminated-ok`, `flags-mask` and checks with no option
        // are doc lines.
        let mut checks = BTreeMap::new();
        if let Some(c) = self.key_of(a, p, "checks") {
            for (k, applies) in [
                ("min", checked == "int"),
                ("max", checked == "int"),
                ("min-len", checked == "bytes"),
                ("max-len", checked == "bytes"),
                ("exact-len", checked == "bytes"),
            ] {
                if let Some(v) = get(c, k).and_then(|v| self.num(v)) {
                    if applies {
                        if k == "exact-len" {
                            checks.insert("min-len", v);
                            checks.insert("max-len", v);
                        } else {
                            checks.insert(k, v);
                        }
                    }
                }
            }
        }
        Some(CAttr {
            name: key(s(a, "name").unwrap_or_default()),
            ty,
            nested,
            multi,
            checks,
        })
    }

    /// The operations: for each one the generator makes a variant of, by name key, its set and
    /// its facts: message numbers (normalisation: resolved as the generator numbers them,
    /// `unified` or `directional`), `do`/`dump` with the request and reply attribute lists,
    /// `mcgrp`, and the event's attributes (normalisation: a `notify` is an event carrying the
    /// notified operation's reply attributes). Listed attributes are compared by name key, and
    /// only those that are fields of the set (normalisation: `pad` and `unused` attributes
    /// are not).
    fn canon_ops(&self, c: &mut Canon, all_ops: bool) {
        let Some(ops) = get(self.spec, "operations") else {
            return;
        };
        let all = list(ops, "list");
        let directional = s(ops, "enum-model") == Some("directional");
        let (mut val, mut req_val, mut rsp_val) = (1i128, 1i128, 1i128);
        for op in all {
            let name = s(op, "name").unwrap_or_default();
            let set = s(op, "attribute-set").map(str::to_owned).or_else(|| {
                let n = s(op, "notify")?;
                let other = all.iter().find(|o| s(o, "name") == Some(n))?;
                s(other, "attribute-set").map(str::to_owned)
            });
            let fields: BTreeSet<String> = set
                .as_ref()
                .and_then(|n| c.sets.get(n))
                .map(|a| a.values().map(|x| x.name.clone()).collect())
                .unwrap_or_default();
            let names = |l: &Value| -> Option<String> {
                let attrs = get(l, "attributes")?.as_sequence()?;
                let kept: Vec<String> = attrs
                    .iter()
                    .filter_map(Value::as_str)
                    .map(key)
                    .filter(|k| fields.contains(k))
                    .collect();
                Some(format!("[{}]", kept.join(", ")))
            };
            let mode = get(op, "do").or_else(|| get(op, "dump"));
            let event = get(op, "event").is_some() || get(op, "notify").is_some();
            // A variant: an operation with a do, a dump, a notify or an event; other entries
            // (reserved numbers) are no messages.
            let message = mode.is_some() || event;
            let mut facts = BTreeSet::new();
            if directional {
                if mode.is_none() && event {
                    if let Some(v) = get(op, "value").and_then(int) {
                        rsp_val = v;
                    }
                    facts.insert(format!("message {rsp_val}"));
                    rsp_val += 1;
                } else if let Some(m) = mode {
                    let req = get(m, "request");
                    let rsp = get(m, "reply");
                    if let Some(v) = req.and_then(|r| get(r, "value")).and_then(int) {
                        req_val = v;
                    }
                    if let Some(v) = rsp.and_then(|r| get(r, "value")).and_then(int) {
                        rsp_val = v;
                    }
                    facts.insert(format!("request {req_val}"));
                    // The reply's number (of the do, or of a dump-only operation).
                    if rsp.is_some() {
                        facts.insert(format!("reply {rsp_val}"));
                    }
                    req_val += 1;
                    if rsp.is_some() {
                        rsp_val += 1;
                    }
                }
            } else {
                if let Some(v) = get(op, "value").and_then(int) {
                    val = v;
                }
                facts.insert(format!("message {val}"));
                val += 1;
            }
            if !(message || all_ops) {
                continue;
            }
            for m in ["do", "dump"] {
                let Some(x) = get(op, m) else { continue };
                facts.insert(m.to_owned());
                for dir in ["request", "reply"] {
                    // Normalisation (a default resolved): a do or dump without `request`
                    // takes no attributes, as one with an empty list.
                    let l = match get(x, dir) {
                        Some(r) => names(r).or_else(|| (dir == "request").then(|| "[]".into())),
                        None => (dir == "request").then(|| "[]".into()),
                    };
                    if let Some(l) = l {
                        facts.insert(format!("{m}.{dir} {l}"));
                    }
                }
            }
            if let Some(g) = s(op, "mcgrp") {
                facts.insert(format!("mcgrp {g}"));
            }
            // Who may run it and how it is validated: about a do or a dump, so compared where
            // the operation has one, each `dont-validate` item where it has its mode
            // (normalisation: older specs list `dump` on operations without one).
            let words = |k: &str| -> Vec<String> {
                get(op, k)
                    .and_then(Value::as_sequence)
                    .map(|l| {
                        l.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (has_do, has_dump) = (get(op, "do").is_some(), get(op, "dump").is_some());
            if has_do || has_dump {
                for f in words("flags") {
                    facts.insert(format!("flag {f}"));
                }
            }
            for d in words("dont-validate") {
                let applies = if d == "strict" { has_do } else { has_dump };
                if applies {
                    facts.insert(format!("dont-validate {d}"));
                }
            }
            let event_list = match (get(op, "event"), s(op, "notify")) {
                (Some(e), _) => names(e),
                (None, Some(n)) => all
                    .iter()
                    .find(|o| s(o, "name") == Some(n))
                    .and_then(|o| get(o, "do").or_else(|| get(o, "dump")))
                    .and_then(|m| get(m, "reply"))
                    .and_then(&names),
                (None, None) => None,
            };
            if let Some(l) = event_list {
                facts.insert(format!("event {l}"));
            }
            c.ops.insert(key(name), (set, facts));
        }
    }

    /// `all_ops`: every operation is a message (the emitted spec lists only those).
    fn canon(&self, all_ops: bool) -> Canon {
        let mut c = Canon::default();
        let mut defs = BTreeSet::new();
        for (name, attrs) in &self.raw_sets {
            let mut set = BTreeMap::new();
            for (id, a, p) in attrs {
                if let Some(ca) = self.attr(a, *p, &mut defs) {
                    // Listed twice: one field (the first).
                    set.entry(*id).or_insert(ca);
                }
            }
            c.sets.insert(name.clone(), set);
        }
        for d in defs {
            if let Some(e) = self.entries(&d) {
                c.defs.insert(d, e);
            }
        }
        self.canon_ops(&mut c, all_ops);
        c.kernel_policy = s(self.spec, "kernel-policy").unwrap_or("split").to_owned();
        if let Some(g) = get(self.spec, "mcast-groups") {
            for x in list(g, "list") {
                c.groups.insert(s(x, "name").unwrap_or_default().to_owned());
            }
        }
        c
    }
}

// ------------------------------------------------------------------ comparing

/// The differences between the normalised original and the normalised emitted spec, one line
/// each (empty: they agree). Sets are matched by where they are used, not by name
/// (normalisation: a Rust type name may carry a collision suffix the spec's name does not):
/// an operation's set with the emitted operation's set, then each nest's set with the set of
/// the attribute with the same id.
fn diff(orig: &Canon, emitted: &Canon) -> Vec<String> {
    diff_counted(orig, emitted, &mut 0)
}

/// [`diff`], counting the attributes compared in `attrs`.
fn diff_counted(orig: &Canon, emitted: &Canon, attrs: &mut usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut pairs: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: Vec<(String, String, String)> = Vec::new();
    for (op, (set, _)) in &orig.ops {
        let Some(set) = set else { continue };
        match emitted.ops.get(op) {
            Some((Some(e), _)) => queue.push((set.clone(), e.clone(), format!("op {op}"))),
            Some((None, _)) => out.push(format!("op {op}: no attribute set emitted")),
            None => out.push(format!("op {op}: not emitted")),
        }
    }
    for (op, (_, facts)) in &orig.ops {
        if let Some((_, efacts)) = emitted.ops.get(op) {
            for f in facts.difference(efacts) {
                out.push(format!("op {op}: `{f}` not emitted"));
            }
            for f in efacts.difference(facts) {
                out.push(format!("op {op}: `{f}` emitted, not in the spec"));
            }
        }
    }
    if orig.kernel_policy != emitted.kernel_policy {
        out.push(format!(
            "kernel-policy {}, emitted {}",
            orig.kernel_policy, emitted.kernel_policy
        ));
    }
    if orig.groups != emitted.groups {
        out.push(format!(
            "mcast-groups {:?}, emitted {:?}",
            orig.groups, emitted.groups
        ));
    }
    while let Some((o, e, via)) = queue.pop() {
        if let Some(prev) = pairs.get(&o) {
            if *prev != e {
                out.push(format!("set {o} ({via}) emitted as both {prev} and {e}"));
            }
            continue;
        }
        pairs.insert(o.clone(), e.clone());
        let (Some(os), Some(es)) = (orig.sets.get(&o), emitted.sets.get(&e)) else {
            out.push(format!("set {o} ({via}): emitted set {e} missing"));
            continue;
        };
        for (id, oa) in os {
            let Some(ea) = es.get(id) else {
                out.push(format!("set {o}: attribute {id} ({}) not emitted", oa.name));
                continue;
            };
            *attrs += 1;
            let mut o2 = oa.clone();
            let mut e2 = ea.clone();
            for (x, y) in oa.nested.iter().zip(&ea.nested) {
                queue.push((x.clone(), y.clone(), format!("{o}.{}", oa.name)));
            }
            o2.nested = vec![];
            e2.nested = vec![];
            if oa.nested.len() != ea.nested.len() {
                out.push(format!(
                    "set {o}: attribute {id} nests {:?} vs {:?}",
                    oa.nested, ea.nested
                ));
            }
            if o2 != e2 {
                out.push(format!(
                    "set {o}: attribute {id}: {o2:?}\n      emitted as {e2:?}"
                ));
            }
        }
        for (id, ea) in es {
            if !os.contains_key(id) {
                out.push(format!(
                    "set {o}: extra attribute {id} ({}) emitted",
                    ea.name
                ));
            }
        }
    }
    if orig.defs != emitted.defs {
        for (n, d) in &orig.defs {
            if emitted.defs.get(n) != Some(d) {
                out.push(format!(
                    "definition {n}: {d:?}\n      emitted as {:?}",
                    emitted.defs.get(n)
                ));
            }
        }
        for n in emitted.defs.keys() {
            if !orig.defs.contains_key(n) {
                out.push(format!(
                    "definition {n} emitted, not in the spec's attributes"
                ));
            }
        }
    }
    out
}

#[test]
fn every_spec_round_trips() {
    assert_eq!(FAMILIES.len(), 24);
    let mut failing = Vec::new();
    let mut report = String::new();
    let mut attrs = 0;
    let mut defs = 0;
    let mut ops = 0;
    let mut facts = 0;
    for (name, schema) in FAMILIES {
        let orig_text = spec_text(name);
        let orig: Value = serde_norway::from_str(&orig_text).unwrap();
        let emitted_text = netlink_ynl::emit(schema);
        let emitted: Value = serde_norway::from_str(&emitted_text)
            .unwrap_or_else(|e| panic!("{name}: emitted spec is not YAML: {e}\n{emitted_text}"));
        assert_eq!(s(&emitted, "name"), s(&orig, "name"), "{name}: family name");
        let o = Reader::new(&orig).canon(false);
        let d = diff_counted(&o, &Reader::new(&emitted).canon(true), &mut attrs);
        defs += o.defs.len();
        ops += o.ops.len();
        facts += o.ops.values().map(|x| x.1.len()).sum::<usize>();
        if !d.is_empty() {
            failing.push(*name);
            report.push_str(&format!("== {name}: {} differences\n", d.len()));
            for l in d.iter().take(40) {
                report.push_str(&format!("  {l}\n"));
            }
        }
    }
    let known: Vec<&str> = KNOWN.iter().map(|k| k.0).collect();
    assert_eq!(failing, known, "\n{report}");
    // What was compared (an attribute once per set it is reached in): not nothing.
    eprintln!(
        "round trip: {attrs} attributes, {defs} definitions, {ops} operations ({facts} facts) compared"
    );
    assert!(
        attrs > 1500 && defs > 50,
        "{attrs} attributes, {defs} definitions"
    );
    assert!(ops > 250 && facts > 1000, "{ops} operations, {facts} facts");
}

/// The comparison can fail: a planted change in an emitted spec is reported.
#[test]
fn a_changed_spec_does_not_round_trip() {
    let orig: Value = serde_norway::from_str(&spec_text("netdev")).unwrap();
    let orig = Reader::new(&orig).canon(false);
    let schema = FAMILIES.iter().find(|f| f.0 == "netdev").unwrap().1;
    let good = netlink_ynl::emit(schema);
    let plants = [
        // a narrowed width
        (
            "        name: ifindex\n        type: u32\n",
            "        name: ifindex\n        type: u16\n",
        ),
        // an id
        ("        value: 3\n", "        value: 4\n"),
        // an enum entry
        ("      - redirect\n", "      - redirected\n"),
        // a bound
        ("          min: 1\n", "          min: 2\n"),
        // a nest's set
        (
            "nested-attributes: io-uring-provider-info",
            "nested-attributes: dev",
        ),
        // an operation's number
        ("      value: 2\n", "      value: 9\n"),
        // a request list
        (
            "        request:\n          attributes:\n            - ifindex\n",
            "        request:\n          attributes: []\n",
        ),
        // a notification's group
        ("      mcgrp: mgmt\n", "      mcgrp: page-pool\n"),
        // a dump that is not declared
        ("      dump:\n", "      dumped:\n"),
        // a group
        (
            "    -\n      name: page-pool\n",
            "    -\n      name: page-pools\n",
        ),
        // a permission
        (
            "      flags: [admin-perm]\n",
            "      flags: [uns-admin-perm]\n",
        ),
    ];
    for (from, to) in plants {
        assert!(good.contains(from), "{from:?}");
        let bad: Value = serde_norway::from_str(&good.replacen(from, to, 1)).unwrap();
        let d = diff(&orig, &Reader::new(&bad).canon(true));
        assert!(!d.is_empty(), "planted {to:?} not reported");
    }
    // fou: a global policy and do-only operations whose `dont-validate` lists `dump`.
    let fou_spec: Value = serde_norway::from_str(&spec_text("fou")).unwrap();
    let fou = Reader::new(&fou_spec).canon(false);
    let schema = FAMILIES.iter().find(|f| f.0 == "fou").unwrap().1;
    let good = netlink_ynl::emit(schema);
    for (from, to) in [
        ("kernel-policy: global\n", "kernel-policy: per-op\n"),
        (
            "      dont-validate: [strict]\n",
            "      dont-validate: [dump]\n",
        ),
    ] {
        assert!(good.contains(from), "{from:?}");
        let bad: Value = serde_norway::from_str(&good.replacen(from, to, 1)).unwrap();
        let d = diff(&fou, &Reader::new(&bad).canon(true));
        assert!(!d.is_empty(), "planted {to:?} not reported");
    }
}

/// The same for a directional family: the request's message number of nlctrl's `getfamily`.
#[test]
fn a_changed_directional_spec_does_not_round_trip() {
    let orig: Value = serde_norway::from_str(&spec_text("nlctrl")).unwrap();
    let orig = Reader::new(&orig).canon(false);
    let schema = FAMILIES.iter().find(|f| f.0 == "nlctrl").unwrap().1;
    let good = netlink_ynl::emit(schema);
    let from = "        request:\n          value: 3\n";
    assert!(good.contains(from), "{good}");
    let bad: Value =
        serde_norway::from_str(&good.replacen(from, "        request:\n          value: 4\n", 1))
            .unwrap();
    assert!(!diff(&orig, &Reader::new(&bad).canon(true)).is_empty());
    let good: Value = serde_norway::from_str(&good).unwrap();
    assert_eq!(
        diff(&orig, &Reader::new(&good).canon(true)),
        Vec::<String>::new()
    );
}

#[test]
fn emitting_is_stable() {
    for (name, schema) in FAMILIES {
        assert_eq!(
            netlink_ynl::emit(schema),
            netlink_ynl::emit(schema),
            "{name}"
        );
    }
}

// ------------------------------------------------------------------ the YNL schema rules

/// The rules of the kernel's YNL schemas (`Documentation/netlink/genetlink*.yaml`, summarised
/// as facts; the format: <https://docs.kernel.org/userspace-api/netlink/specs.html>) and the
/// references the YNL tools resolve. One line per violation.
mod rules {
    use super::*;

    const TOP: &[&str] = &[
        "name",
        "doc",
        "protocol",
        "uapi-header",
        "definitions",
        "attribute-sets",
        "operations",
        "mcast-groups",
        "kernel-policy",
        "kernel-family",
    ];
    /// genetlink-c adds C names, genetlink-legacy a version and the kernel family's name.
    const TOP_C: &[&str] = &[
        "c-family-name",
        "c-version-name",
        "max-by-define",
        "cmd-max-name",
        "cmd-cnt-name",
    ];
    const TOP_LEGACY: &[&str] = &["version"];
    const DEF: &[&str] = &[
        "name",
        "header",
        "type",
        "doc",
        "value",
        "value-start",
        "entries",
        "render-max",
        "enum-name",
        "name-prefix",
        "enum-cnt-name",
        "scope",
        // legacy structs
        "members",
    ];
    const SET: &[&str] = &[
        "name",
        "name-prefix",
        "enum-name",
        "doc",
        "subset-of",
        "attr-cnt-name",
        "attr-max-name",
        "attributes",
    ];
    const ATTR: &[&str] = &[
        "name",
        "type",
        "doc",
        "value",
        "type-value",
        "byte-order",
        "multi-attr",
        "nested-attributes",
        "enum",
        "enum-as-flags",
        "checks",
        "sub-type",
        "display-hint",
        "sub-message",
        "selector",
        // legacy
        "struct",
        "name-prefix",
    ];
    const TYPES: &[&str] = &[
        "unused",
        "pad",
        "flag",
        "binary",
        "bitfield32",
        "uint",
        "sint",
        "u8",
        "u16",
        "u32",
        "u64",
        "s8",
        "s16",
        "s32",
        "s64",
        "string",
        "nest",
        "indexed-array",
        "nest-type-value",
        "sub-message",
    ];
    const CHECKS: &[&str] = &[
        "flags-mask",
        "min",
        "max",
        "min-len",
        "max-len",
        "exact-len",
        "unterminated-ok",
    ];
    const OPS: &[&str] = &[
        "enum-model",
        "name-prefix",
        "enum-name",
        "async-prefix",
        "async-enum",
        "list",
        "fixed-header",
    ];
    const OP: &[&str] = &[
        "name",
        "doc",
        "value",
        "attribute-set",
        "flags",
        "dont-validate",
        "config-cond",
        "do",
        "dump",
        "notify",
        "event",
        "mcgrp",
        "fixed-header",
    ];

    /// `^[0-9a-z-]+$`, the YNL name syntax (legacy families also have `_`: ovs's groups).
    fn name_ok(n: &str) -> bool {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    fn legacy_name_ok(n: &str) -> bool {
        name_ok(&n.replace('_', "-"))
    }

    fn keys(v: &Value, allowed: &[&str], at: &str, out: &mut Vec<String>) {
        if let Some(m) = v.as_mapping() {
            for k in m.keys() {
                let k = k.as_str().unwrap_or("?");
                if !allowed.contains(&k) {
                    out.push(format!("{at}: unknown key `{k}`"));
                }
            }
        } else {
            out.push(format!("{at}: not a mapping"));
        }
    }

    fn required(v: &Value, req: &[&str], at: &str, out: &mut Vec<String>) {
        for k in req {
            if get(v, k).is_none() {
                out.push(format!("{at}: `{k}` is required"));
            }
        }
    }

    fn name(v: &Value, at: &str, legacy: bool, out: &mut Vec<String>) -> String {
        let n = s(v, "name").unwrap_or_default();
        if !(name_ok(n) || legacy && legacy_name_ok(n)) {
            out.push(format!("{at}: name `{n}` is not [0-9a-z-]+"));
        }
        n.to_owned()
    }

    fn unique(names: &[String], at: &str, out: &mut Vec<String>) {
        let mut seen = BTreeSet::new();
        for n in names {
            if !seen.insert(n) {
                out.push(format!("{at}: `{n}` defined twice"));
            }
        }
    }

    fn limit_ok(v: &Value) -> bool {
        int(v).is_some() || v.as_str().is_some_and(|s| limit(s).is_some() || name_ok(s))
    }

    pub fn check(spec: &Value) -> Vec<String> {
        let mut out = Vec::new();
        let o = &mut out;
        let protocol = s(spec, "protocol").unwrap_or("genetlink");
        let mut top: Vec<&str> = TOP.to_vec();
        match protocol {
            "genetlink" => {}
            "genetlink-c" => top.extend(TOP_C),
            "genetlink-legacy" => {
                top.extend(TOP_C);
                top.extend(TOP_LEGACY);
            }
            p => o.push(format!("protocol `{p}` is not a genetlink level")),
        }
        let legacy = protocol == "genetlink-legacy";
        keys(spec, &top, "spec", o);
        required(
            spec,
            &["name", "doc", "attribute-sets", "operations"],
            "spec",
            o,
        );
        let family = s(spec, "name").unwrap_or_default();
        if !legacy_name_ok(family) {
            o.push(format!("family name `{family}`"));
        }
        // Definitions.
        let mut defs = BTreeMap::new();
        let mut names = Vec::new();
        for (i, d) in list(spec, "definitions").iter().enumerate() {
            let at = format!("definitions[{i}]");
            keys(d, DEF, &at, o);
            required(d, &["name", "type"], &at, o);
            let ty = s(d, "type").unwrap_or_default();
            let ok = ["const", "enum", "flags"].contains(&ty) || (legacy && ty == "struct");
            if !ok {
                o.push(format!("{at}: type `{ty}`"));
            }
            for (j, e) in list(d, "entries").iter().enumerate() {
                let entry_ok = e.as_str().is_some()
                    || (s(e, "name").is_some()
                        && e.as_mapping().is_some_and(|m| {
                            m.keys()
                                .all(|k| matches!(k.as_str(), Some("name" | "value" | "doc")))
                        }));
                if !entry_ok {
                    o.push(format!("{at}.entries[{j}]: a name or {{name, value, doc}}"));
                }
            }
            let n = s(d, "name").unwrap_or_default().to_owned();
            names.push(n.clone());
            defs.insert(n, ty.to_owned());
        }
        unique(&names, "definitions", o);
        // Attribute sets.
        let sets: BTreeMap<String, Vec<String>> = list(spec, "attribute-sets")
            .iter()
            .map(|x| {
                let attrs = list(x, "attributes")
                    .iter()
                    .map(|a| s(a, "name").unwrap_or_default().to_owned())
                    .collect();
                (s(x, "name").unwrap_or_default().to_owned(), attrs)
            })
            .collect();
        let mut set_names = Vec::new();
        for (i, set) in list(spec, "attribute-sets").iter().enumerate() {
            let at = format!("attribute-sets[{i}]");
            keys(set, SET, &at, o);
            required(set, &["name", "attributes"], &at, o);
            set_names.push(name(set, &at, legacy, o));
            let subset = get(set, "subset-of").is_some();
            let mut attr_names = Vec::new();
            let mut ids = Vec::new();
            let mut next = 1i128;
            for (j, a) in list(set, "attributes").iter().enumerate() {
                let at = format!("{at}.attributes[{j}]");
                keys(a, ATTR, &at, o);
                required(
                    a,
                    if subset { &["name"] } else { &["name", "type"] },
                    &at,
                    o,
                );
                attr_names.push(name(a, &at, legacy, o));
                if let Some(v) = get(a, "value") {
                    match int(v) {
                        Some(v) if v >= 0 => next = v,
                        _ => o.push(format!("{at}: value is not an unsigned integer")),
                    }
                }
                ids.push(next.to_string());
                next += 1;
                for k in ["type", "sub-type"] {
                    if let Some(t) = s(a, k) {
                        if !TYPES.contains(&t) {
                            o.push(format!("{at}: {k} `{t}`"));
                        }
                    }
                }
                let ty = s(a, "type").unwrap_or_default();
                if let Some(bo) = s(a, "byte-order") {
                    if bo != "big-endian" && bo != "little-endian" {
                        o.push(format!("{at}: byte-order `{bo}`"));
                    }
                }
                if let Some(h) = s(a, "display-hint") {
                    let hints = ["hex", "mac", "fddi", "ipv4", "ipv6", "uuid"];
                    if !(hints.contains(&h) || legacy && h == "ipv4-or-v6") {
                        o.push(format!("{at}: display-hint `{h}`"));
                    }
                }
                if get(a, "struct").is_some() && !legacy {
                    o.push(format!("{at}: `struct` needs genetlink-legacy"));
                }
                for k in ["multi-attr", "enum-as-flags"] {
                    if get(a, k).is_some_and(|v| v.as_bool().is_none()) {
                        o.push(format!("{at}: {k} is not a boolean"));
                    }
                }
                if let Some(c) = get(a, "checks") {
                    keys(c, CHECKS, &format!("{at}.checks"), o);
                    for k in ["min", "max", "min-len", "max-len", "exact-len"] {
                        if get(c, k).is_some_and(|v| !limit_ok(v)) {
                            o.push(format!("{at}.checks.{k}: a number, a limit or a define"));
                        }
                    }
                }
                // References the tools resolve.
                let needs_set = ty == "nest-type-value"
                    || (ty == "nest" && get(a, "nested-attributes").is_some())
                    || (ty == "indexed-array" && s(a, "sub-type") == Some("nest"));
                if needs_set {
                    match s(a, "nested-attributes") {
                        Some(n) if sets.contains_key(n) => {}
                        n => o.push(format!("{at}: nested-attributes {n:?} is not a set")),
                    }
                }
                if ty == "indexed-array" && get(a, "sub-type").is_none() {
                    o.push(format!("{at}: an indexed-array needs a sub-type"));
                }
                if let Some(e) = s(a, "enum") {
                    if !matches!(defs.get(e).map(String::as_str), Some("enum" | "flags")) {
                        o.push(format!(
                            "{at}: enum `{e}` is not an enum or flags definition"
                        ));
                    }
                }
            }
            if !subset {
                // (A subset may list an attribute twice: devlink's does.)
                unique(&attr_names, &format!("{at} attribute names"), o);
                unique(&ids, &format!("{at} attribute values"), o);
            }
        }
        unique(&set_names, "attribute-sets", o);
        // Operations.
        let groups: Vec<String> = get(spec, "mcast-groups")
            .map(|g| {
                list(g, "list")
                    .iter()
                    .map(|x| s(x, "name").unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(ops) = get(spec, "operations") {
            keys(ops, OPS, "operations", o);
            required(ops, &["list"], "operations", o);
            match s(ops, "enum-model") {
                None | Some("unified") => {}
                Some("directional") if legacy => {}
                Some(m) => o.push(format!("operations.enum-model `{m}`")),
            }
            if get(ops, "fixed-header").is_some() && !legacy {
                o.push("operations.fixed-header needs genetlink-legacy".into());
            }
            let mut op_names = Vec::new();
            for (i, op) in list(ops, "list").iter().enumerate() {
                let at = format!("operations.list[{i}]");
                keys(op, OP, &at, o);
                required(op, &["name", "doc"], &at, o);
                op_names.push(name(op, &at, legacy, o));
                let set = s(op, "attribute-set");
                if let Some(n) = set {
                    if !sets.contains_key(n) {
                        o.push(format!("{at}: attribute-set `{n}` is not a set"));
                    }
                }
                let attrs_of_set = set.and_then(|n| sets.get(n));
                let mut lists = Vec::new();
                for mode in ["do", "dump"] {
                    if let Some(m) = get(op, mode) {
                        keys(
                            m,
                            &["request", "reply", "pre", "post"],
                            &format!("{at}.{mode}"),
                            o,
                        );
                        for dir in ["request", "reply"] {
                            if let Some(r) = get(m, dir) {
                                let allowed: &[&str] = if legacy {
                                    &["attributes", "value"]
                                } else {
                                    &["attributes"]
                                };
                                keys(r, allowed, &format!("{at}.{mode}.{dir}"), o);
                                lists.push((format!("{at}.{mode}.{dir}"), r));
                            }
                        }
                    }
                }
                if let Some(e) = get(op, "event") {
                    keys(e, &["attributes"], &format!("{at}.event"), o);
                    lists.push((format!("{at}.event"), e));
                }
                for (lat, l) in lists {
                    for n in list(l, "attributes") {
                        let n = n.as_str().unwrap_or_default();
                        if attrs_of_set.is_some_and(|a| !a.iter().any(|x| x == n)) {
                            o.push(format!("{lat}: `{n}` is not an attribute of the set"));
                        }
                    }
                }
                if let Some(g) = s(op, "mcgrp") {
                    if !groups.iter().any(|x| x == g) {
                        o.push(format!("{at}: mcgrp `{g}` is not a multicast group"));
                    }
                }
            }
            unique(&op_names, "operations", o);
        }
        if let Some(g) = get(spec, "mcast-groups") {
            keys(g, &["list"], "mcast-groups", o);
            for (i, x) in list(g, "list").iter().enumerate() {
                let at = format!("mcast-groups.list[{i}]");
                keys(x, &["name", "flags", "c-define-name"], &at, o);
                required(x, &["name"], &at, o);
                name(x, &at, legacy, o);
            }
            unique(&groups, "mcast-groups", o);
        }
        out
    }
}

/// Every emitted spec follows the YNL schema rules; the rules hold for the vendored specs too
/// (the check is not stricter than the kernel's), and catch planted violations.
#[test]
fn emitted_specs_follow_the_schema_rules() {
    let mut report = String::new();
    for (name, schema) in FAMILIES {
        let emitted: Value = serde_norway::from_str(&netlink_ynl::emit(schema)).unwrap();
        for l in rules::check(&emitted) {
            report.push_str(&format!("{name} (emitted): {l}\n"));
        }
        let orig: Value = serde_norway::from_str(&spec_text(name)).unwrap();
        for l in rules::check(&orig) {
            report.push_str(&format!("{name} (vendored): {l}\n"));
        }
    }
    assert!(report.is_empty(), "\n{report}");
    let good = netlink_ynl::emit(FAMILIES.iter().find(|f| f.0 == "netdev").unwrap().1);
    for (from, to) in [
        ("name: ifindex", "name: IfIndex"),
        ("type: u32", "type: u31"),
        (
            "nested-attributes: io-uring-provider-info",
            "nested-attributes: nope",
        ),
        ("enum: xdp-act", "enum: nope"),
        ("\ndoc: ", "\ndocs: "),
        ("byte-order: big-endian", "byte-order: middle"),
    ] {
        if !good.contains(from) {
            continue;
        }
        let bad: Value = serde_norway::from_str(&good.replacen(from, to, 1)).unwrap();
        assert!(!rules::check(&bad).is_empty(), "{to:?} not caught");
    }
}

/// The schema's enum kind is a gain for the trace too: a generated family's flags show by name.
#[test]
fn generated_enums_show_by_name_in_the_trace() {
    use netlink_families::netdev::{Dev, XdpAct};
    use netlink_genl::netlink_genl_core::debug::WireDebug;
    let dev = Dev {
        ifindex: Some(1),
        xdp_features: Some(XdpAct::BASIC | XdpAct::REDIRECT),
        ..Dev::default()
    };
    let t = format!("{:?}", WireDebug(&dev));
    assert!(t.contains("xdp_features(3): 3 (0x3) basic|redirect"), "{t}");
}

/// A hand-written type emits as well: nlctrl's `Ctrl`, with its version (2: genetlink-legacy),
/// keyed nests and indexed arrays, following the schema rules.
#[test]
fn a_hand_written_family_emits() {
    let text = netlink_ynl::emit(&<netlink_genl::ctrl::Ctrl as netlink_genl::GenlMessage>::SCHEMA);
    let spec: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(rules::check(&spec), Vec::<String>::new(), "\n{text}");
    assert_eq!(s(&spec, "name"), Some("nlctrl"));
    assert_eq!(s(&spec, "protocol"), Some("genetlink-legacy"));
    assert!(text.contains(
        "        name: ops\n        type: indexed-array\n        sub-type: nest\n        nested-attributes: op\n"
    ), "{text}");
    assert!(
        text.contains(
            "        name: name\n        type: string\n        checks:\n          max-len: 15\n"
        ),
        "{text}"
    );
}

/// The examples' hand-written families emit too, following the schema rules (TASKSTATS aside:
/// the kernel registered that family name in capitals, and the emitted spec keeps the name the
/// kernel resolves).
#[test]
fn the_examples_families_emit() {
    use example_families::{ethtool, mptcp, netdev, taskstats};
    use netlink_genl::GenlMessage;
    let all = [
        <ethtool::Ethtool as GenlMessage>::SCHEMA,
        <mptcp::MptcpPm as GenlMessage>::SCHEMA,
        <mptcp::MptcpEvent as GenlMessage>::SCHEMA,
        <netdev::Netdev as GenlMessage>::SCHEMA,
        <taskstats::Taskstats as GenlMessage>::SCHEMA,
    ];
    for schema in &all {
        let text = netlink_ynl::emit(schema);
        let spec: Value = serde_norway::from_str(&text).unwrap();
        let broken: Vec<String> = rules::check(&spec)
            .into_iter()
            .filter(|l| !l.starts_with("family name"))
            .collect();
        assert_eq!(broken, Vec::<String>::new(), "{}:\n{text}", schema.name);
        assert_eq!(s(&spec, "name"), Some(schema.family));
        assert!(!list(&spec, "attribute-sets").is_empty(), "{}", schema.name);
    }
}

/// The CLI: `netlink-ynl emit netdev` prints the spec with the `families` feature, and says
/// which feature it needs without it.
#[test]
fn cli_emit() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_netlink-ynl"))
        .args(["emit", "netdev"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let schema = FAMILIES.iter().find(|f| f.0 == "netdev").unwrap().1;
        assert_eq!(stdout, netlink_ynl::emit(schema));
    } else {
        assert!(stderr.contains("`families` feature"), "{stderr}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_netlink-ynl"))
        .args(["emit", "no-such-family"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
