//! Spec → Rust text. Three stages: resolve (names, ids, message numbers, which definitions
//! become value kinds, which nests are recursive), then write, item by item, in the spec's
//! order. The text is written already formatted as rustfmt would format it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::Options;
use crate::doc;
use crate::error::Error;
use crate::names::{self, Namespace, RESERVED_TYPES};
use crate::spec::{self, Checks, NumOrName, Spec};

/// How an integer goes on the wire: which codec of the runtime writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Codec {
    Native,
    BigEndian,
    VarUint,
    VarSint,
}

impl Codec {
    fn name(self) -> &'static str {
        match self {
            Codec::Native => "Native",
            Codec::BigEndian => "BigEndian",
            Codec::VarUint => "VarUint",
            Codec::VarSint => "VarSint",
        }
    }
}

/// One way an integer attribute is carried: its Rust type and codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct WireKey {
    rust: &'static str,
    codec: Codec,
}

/// The Rust type and codec of a YNL scalar type.
fn scalar(ty: &str, big_endian: bool) -> Option<WireKey> {
    let (rust, var) = match ty {
        "u8" => ("u8", None),
        "u16" => ("u16", None),
        "u32" => ("u32", None),
        "u64" => ("u64", None),
        "s8" => ("i8", None),
        "s16" => ("i16", None),
        "s32" => ("i32", None),
        "s64" => ("i64", None),
        "uint" => ("u64", Some(Codec::VarUint)),
        "sint" => ("i64", Some(Codec::VarSint)),
        _ => return None,
    };
    let codec = match var {
        Some(c) => c,
        None if big_endian && rust != "u8" && rust != "i8" => Codec::BigEndian,
        None => Codec::Native,
    };
    Some(WireKey { rust, codec })
}

fn fits(rust: &str, v: i128) -> bool {
    let (lo, hi): (i128, i128) = match rust {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return false,
    };
    (lo..=hi).contains(&v)
}

/// The widest of integer types of one signedness (an `i64` when they mix).
fn widest<'a>(types: impl Iterator<Item = &'a str>) -> Option<&'static str> {
    const ORDER: [&str; 8] = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"];
    let mut found: Vec<usize> = types
        .filter_map(|t| ORDER.iter().position(|o| *o == t))
        .collect();
    found.sort_unstable();
    let (first, last) = (*found.first()?, *found.last()?);
    if (first < 4) != (last < 4) {
        return Some("i64");
    }
    ORDER.get(last).copied()
}

/// The `repr` option for an integer type.
fn repr_opt(rust: &str) -> &'static str {
    match rust {
        "u8" => "repr = u8",
        "u16" => "repr = u16",
        "u32" => "repr = u32",
        "u64" => "repr = u64",
        "i8" => "repr = i8",
        "i16" => "repr = i16",
        "i32" => "repr = i32",
        _ => "repr = i64",
    }
}

/// The derive option of a codec (none for the type's own).
fn codec_word(c: Codec) -> Option<&'static str> {
    match c {
        Codec::Native => None,
        Codec::BigEndian => Some("big_endian"),
        Codec::VarUint => Some("uint"),
        Codec::VarSint => Some("sint"),
    }
}

fn attr_kind(k: WireKey) -> &'static str {
    match (k.codec, k.rust) {
        (Codec::VarUint, _) => "Uint",
        (Codec::VarSint, _) => "Sint",
        (Codec::BigEndian, "u16" | "i16") => "Be16",
        (Codec::BigEndian, "u32" | "i32") => "Be32",
        (Codec::BigEndian, _) => "Be64",
        (_, "u8") => "U8",
        (_, "u16") => "U16",
        (_, "u32") => "U32",
        (_, "u64") => "U64",
        (_, "i8") => "I8",
        (_, "i16") => "I16",
        (_, "i32") => "I32",
        _ => "I64",
    }
}

/// An `enum` or `flags` definition, resolved.
struct EnumDef {
    rust: String,
    flags: bool,
    /// (Rust name, spec name, value (for flags: the mask), doc)
    entries: Vec<(String, String, i128, Option<String>)>,
    /// The value kind's wire form, when every scalar attribute naming it agrees on one.
    wire: Option<WireKey>,
    /// Attributes carry it in widths other than `wire`: it implements `IntValue` and those
    /// fields have `repr = W`.
    int_value: bool,
    /// The Rust integer type of the values.
    inner: &'static str,
    /// The name of the fallback variant (enums).
    unknown: String,
}

/// A `struct` definition, resolved: members with their Rust types, padding made explicit.
struct StructDef {
    rust: String,
    /// (field name, Rust type, doc lines)
    fields: Vec<(String, String, Vec<String>)>,
    needs_manual_default: bool,
}

/// An attribute after `subset-of` is resolved: the parent's keys, overridden by the subset's.
#[derive(Clone)]
struct Attr {
    name: String,
    id: u16,
    ty: String,
    doc: Option<String>,
    enum_: Option<String>,
    enum_as_flags: bool,
    multi: bool,
    nested: Option<String>,
    sub_type: Option<String>,
    type_value: Vec<String>,
    big_endian: bool,
    display_hint: Option<String>,
    struct_: Option<String>,
    checks: Option<Checks>,
    sub_message: Option<String>,
    selector: Option<String>,
    key: String,
}

struct Set {
    name: String,
    rust: String,
    doc: Option<String>,
    subset_of: Option<String>,
    attrs: Vec<Attr>,
}

/// How the kernel answers a request variant.
enum Answer {
    None,
    Ack,
    Reply(usize),
}

struct Variant {
    rust: String,
    cmd: u8,
    request: bool,
    answer: Answer,
    set: Option<usize>,
    doc: Vec<String>,
    /// The operation (index in `operations.list`) whose request or notification this variant
    /// is: its do/dump attribute lists, multicast group and event attributes go on it.
    op: Option<usize>,
}

/// An option of a `#[genl(..)]` list: a word (`cmd = 1`, `ack`) or a list (`do(..)`).
enum Opt {
    Word(String),
    List(String, Vec<Opt>),
}

impl Opt {
    fn one_line(&self) -> String {
        match self {
            Opt::Word(w) => w.clone(),
            Opt::List(name, items) => {
                let items: Vec<String> = items.iter().map(Opt::one_line).collect();
                format!("{name}({})", items.join(", "))
            }
        }
    }

    /// The option at `indent` followed by a comma: on one line when it fits 100 columns, else
    /// its items one per line, each laid out the same way.
    fn layout(&self, indent: usize) -> String {
        let line = self.one_line();
        let pad = " ".repeat(indent);
        match self {
            Opt::List(name, items) if indent + line.len() + 1 > 100 && !items.is_empty() => {
                let mut out = format!("{pad}{name}(\n");
                for item in items {
                    out.push_str(&item.layout(indent + 4));
                }
                out.push_str(&format!("{pad}),\n"));
                out
            }
            _ => format!("{pad}{line},\n"),
        }
    }
}

struct Gen<'s> {
    spec: &'s Spec,
    opts: &'s Options,
    consts: BTreeMap<String, i128>,
    /// The Rust names of the numeric constants written, by spec name.
    const_rust: BTreeMap<String, String>,
    enums: BTreeMap<String, EnumDef>,
    structs: BTreeMap<String, StructDef>,
    sets: Vec<Set>,
    set_index: BTreeMap<String, usize>,
    family_rust: String,
    out: String,
    /// Imports the written items need: (path, name).
    uses: BTreeSet<(&'static str, &'static str)>,
    /// Features of the spec that were carried as raw bytes or integers (for the module docs).
    degraded: BTreeSet<String>,
    /// The sub-messages, by spec name.
    sub_messages: BTreeMap<String, SubMsg>,
}

/// A `sub-messages` entry, resolved: the enum's name and its variants.
struct SubMsg {
    name: String,
    rust: String,
    doc: Option<String>,
    /// (variant name, selector value as Rust tokens, spec value, set's Rust name)
    variants: Vec<(String, String, String, String)>,
    /// The fallback variant's name.
    unknown: String,
    /// Formats without a variant: (spec value, why).
    skipped: Vec<(String, String)>,
    /// Whether the selector values are strings (else integers).
    strings: bool,
}

pub(crate) fn generate(spec: &Spec, opts: &Options) -> Result<String, Error> {
    let protocol = spec.protocol.as_deref().unwrap_or("genetlink");
    if !matches!(protocol, "genetlink" | "genetlink-c" | "genetlink-legacy") {
        return Err(Error::UnsupportedProtocol {
            key: "protocol".into(),
            protocol: protocol.into(),
        });
    }
    let mut types = Namespace::with_reserved(RESERVED_TYPES);
    let family_rust = types.take(&names::upper_camel(&spec.name), "Msg", "");
    let mut g = Gen {
        spec,
        opts,
        consts: BTreeMap::new(),
        const_rust: BTreeMap::new(),
        enums: BTreeMap::new(),
        structs: BTreeMap::new(),
        sets: Vec::new(),
        set_index: BTreeMap::new(),
        family_rust,
        out: String::new(),
        uses: BTreeSet::new(),
        degraded: BTreeSet::new(),
        sub_messages: BTreeMap::new(),
    };
    g.resolve_consts()?;
    // Type names: definitions first, then attribute sets, in spec order.
    let mut def_names = BTreeMap::new();
    for d in &spec.definitions {
        let suffix = match d.ty.as_str() {
            "enum" => "Enum",
            "flags" => "Flags",
            "struct" => "Struct",
            _ => continue,
        };
        def_names.insert(
            d.name.clone(),
            types.take(&names::upper_camel(&d.name), suffix, ""),
        );
    }
    g.resolve_sets(&mut types)?;
    g.resolve_sub_messages(&mut types)?;
    g.resolve_definitions(&def_names)?;
    let variants = g.resolve_operations()?;
    g.write_all(&variants)?;
    Ok(g.finish())
}

impl<'s> Gen<'s> {
    fn num(&self, v: &NumOrName) -> Option<i128> {
        match v {
            NumOrName::Num(n) => Some(i128::from(*n)),
            NumOrName::Big(n) => Some(i128::from(*n)),
            NumOrName::Name(n) => self.consts.get(n).copied(),
        }
    }

    fn resolve_consts(&mut self) -> Result<(), Error> {
        for (i, d) in self.spec.definitions.iter().enumerate() {
            if d.ty == "const" {
                if let Some(serde_norway::Value::Number(n)) = &d.value {
                    let v = n
                        .as_i64()
                        .map(i128::from)
                        .or_else(|| n.as_u64().map(i128::from))
                        .ok_or_else(|| Error::InvalidValue {
                            key: format!("definitions[{i}].value"),
                            value: n.to_string(),
                            expected: "an integer",
                        })?;
                    self.consts.insert(d.name.clone(), v);
                }
            }
        }
        Ok(())
    }

    fn resolve_sub_messages(&mut self, types: &mut Namespace) -> Result<(), Error> {
        for (mi, m) in self.spec.sub_messages.iter().enumerate() {
            let rust = types.take(&names::upper_camel(&m.name), "Msg", "");
            let mut variant_names = Namespace::default();
            let mut variants = Vec::new();
            let mut skipped = Vec::new();
            let mut strings = None;
            for (fi, f) in m.formats.iter().enumerate() {
                let key = format!("sub-messages[{mi}].formats[{fi}]");
                let (value, tokens, name, is_str) = match &f.value {
                    serde_norway::Value::String(v) => {
                        (v.clone(), format!("{v:?}"), names::upper_camel(v), true)
                    }
                    serde_norway::Value::Number(n) => match n.as_i64() {
                        Some(v) => (
                            v.to_string(),
                            v.to_string(),
                            format!("Kind{}", v.unsigned_abs()),
                            false,
                        ),
                        None => {
                            return Err(Error::InvalidValue {
                                key: format!("{key}.value"),
                                value: n.to_string(),
                                expected: "a string or an integer",
                            });
                        }
                    },
                    _ => {
                        return Err(Error::InvalidValue {
                            key: format!("{key}.value"),
                            value: format!("{:?}", f.value),
                            expected: "a string or an integer",
                        });
                    }
                };
                if strings.is_some_and(|s| s != is_str) {
                    return Err(Error::InvalidValue {
                        key: format!("{key}.value"),
                        value,
                        expected: "values of one kind (all strings or all integers)",
                    });
                }
                strings = Some(is_str);
                if let Some(h) = &f.fixed_header {
                    skipped.push((
                        value,
                        format!("a fixed header `{h}` before its attributes, which the derive cannot express"),
                    ));
                    self.degraded
                        .insert("sub-message layouts with a fixed header".into());
                    continue;
                }
                let Some(set) = &f.attribute_set else {
                    skipped.push((value, "no attributes".into()));
                    continue;
                };
                if !self.set_index.contains_key(set) {
                    return Err(Error::UnknownName {
                        key: format!("{key}.attribute-set"),
                        name: set.clone(),
                        what: "attribute set",
                    });
                }
                let vname = variant_names.take(&name, "", "");
                variants.push((vname, tokens, value, self.set_rust(set)));
            }
            let unknown = variant_names.take("Unknown", "Value", "");
            self.sub_messages.insert(
                m.name.clone(),
                SubMsg {
                    name: m.name.clone(),
                    rust,
                    doc: m.doc.clone(),
                    variants,
                    unknown,
                    skipped,
                    strings: strings.unwrap_or(true),
                },
            );
        }
        Ok(())
    }

    fn write_sub_message(&mut self, name: &str) {
        let Some(m) = self.sub_messages.get(name) else {
            return;
        };
        let mut docs = match &m.doc {
            Some(t) => doc_with_name(&m.name, t),
            None => vec![format!("Sub-message `{}`.", m.name)],
        };
        docs.push(String::new());
        docs.push(format!(
            "A nest whose layout the value of its selector chooses ({} values), one variant per \
             layout; a value without one here keeps its payload in `{}`.",
            if m.strings { "string" } else { "integer" },
            m.unknown
        ));
        if !m.skipped.is_empty() {
            docs.push(String::new());
            docs.push(format!(
                "Kept in `{}`: {}.",
                m.unknown,
                m.skipped
                    .iter()
                    .map(|(v, why)| format!("`{v}` ({why})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut body = String::new();
        for (vname, tokens, value, set) in &m.variants {
            let _ = writeln!(body, "    /// `{value}`: [`{set}`].");
            let _ = writeln!(body, "    #[nla(kind = {tokens})]");
            let _ = writeln!(body, "    {vname}({set}),");
        }
        let _ = writeln!(
            body,
            "    /// A selector value without a layout here: the payload as it came.\n    #[nla(unknown)]\n    {}(Vec<u8>),",
            m.unknown
        );
        let rust = m.rust.clone();
        self.uses.insert(("netlink_genl", "NlSubMessage"));
        self.docs("", &docs);
        self.w("#[allow(clippy::large_enum_variant)]");
        self.w("#[derive(Debug, Clone, PartialEq, NlSubMessage)]");
        self.w(&format!("pub enum {rust} {{"));
        self.out.push_str(&body);
        self.w("}");
    }

    fn resolve_sets(&mut self, types: &mut Namespace) -> Result<(), Error> {
        let spec_sets = &self.spec.attribute_sets;
        let by_name: BTreeMap<&str, usize> = spec_sets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        for (si, s) in spec_sets.iter().enumerate() {
            let rust = types.take(&names::upper_camel(&s.name), "Attrs", "");
            let mut attrs = Vec::new();
            let parent = match &s.subset_of {
                Some(p) => {
                    let pi = by_name.get(p.as_str()).ok_or_else(|| Error::UnknownName {
                        key: format!("attribute-sets[{si}].subset-of"),
                        name: p.clone(),
                        what: "attribute set",
                    })?;
                    spec_sets.get(*pi)
                }
                None => None,
            };
            let mut next_id: i128 = 1;
            for (ai, a) in s.attributes.iter().enumerate() {
                let key = format!("attribute-sets[{si}].attributes[{ai}]");
                let (base, id) = match parent {
                    Some(p) => {
                        let pid = parent_ids(p);
                        let found = p
                            .attributes
                            .iter()
                            .zip(pid)
                            .find(|(pa, _)| pa.name == a.name);
                        match found {
                            Some((pa, id)) => (Some(pa), a.value.map_or(id, i128::from)),
                            None => {
                                return Err(Error::UnknownName {
                                    key: format!("{key}.name"),
                                    name: a.name.clone(),
                                    what: "attribute of the parent set (subset-of)",
                                });
                            }
                        }
                    }
                    None => {
                        if let Some(v) = a.value {
                            next_id = v.into();
                        }
                        let id = next_id;
                        next_id += 1;
                        (None, id)
                    }
                };
                let ty =
                    a.ty.clone()
                        .or_else(|| base.and_then(|b| b.ty.clone()))
                        .ok_or_else(|| Error::Missing {
                            key: format!("{key}.type"),
                            why: "every attribute needs a type",
                        })?;
                if ty == "pad" || ty == "unused" {
                    continue;
                }
                let id =
                    u16::try_from(id)
                        .ok()
                        .filter(|v| *v <= 0x3fff)
                        .ok_or(Error::OutOfRange {
                            key: format!("{key}.value"),
                            value: id,
                            range: "0..=16383",
                        })?;
                if attrs.iter().any(|x: &Attr| x.id == id) {
                    // Listed twice (devlink's `dl-dpipe-table` subset does): one field.
                    continue;
                }
                let pick = |own: &Option<String>, f: fn(&spec::Attr) -> &Option<String>| {
                    own.clone().or_else(|| base.and_then(|b| f(b).clone()))
                };
                attrs.push(Attr {
                    name: a.name.clone(),
                    id,
                    ty,
                    doc: pick(&a.doc, |b| &b.doc),
                    enum_: pick(&a.enum_, |b| &b.enum_),
                    enum_as_flags: a
                        .enum_as_flags
                        .or_else(|| base.and_then(|b| b.enum_as_flags))
                        .unwrap_or(false),
                    multi: a
                        .multi_attr
                        .or_else(|| base.and_then(|b| b.multi_attr))
                        .unwrap_or(false),
                    nested: pick(&a.nested_attributes, |b| &b.nested_attributes),
                    sub_type: pick(&a.sub_type, |b| &b.sub_type),
                    type_value: a
                        .type_value
                        .clone()
                        .or_else(|| base.and_then(|b| b.type_value.clone()))
                        .unwrap_or_default(),
                    big_endian: pick(&a.byte_order, |b| &b.byte_order).as_deref()
                        == Some("big-endian"),
                    display_hint: pick(&a.display_hint, |b| &b.display_hint),
                    struct_: pick(&a.struct_, |b| &b.struct_),
                    checks: a
                        .checks
                        .clone()
                        .or_else(|| base.and_then(|b| b.checks.clone())),
                    sub_message: pick(&a.sub_message, |b| &b.sub_message),
                    selector: pick(&a.selector, |b| &b.selector),
                    key,
                });
            }
            self.set_index.insert(s.name.clone(), si);
            self.sets.push(Set {
                name: s.name.clone(),
                rust,
                doc: s.doc.clone(),
                subset_of: s.subset_of.clone(),
                attrs,
            });
        }
        // Every nest names a set that exists.
        for s in &self.sets {
            for a in &s.attrs {
                if let Some(n) = &a.nested {
                    if !self.set_index.contains_key(n) {
                        return Err(Error::UnknownName {
                            key: format!("{}.nested-attributes", a.key),
                            name: n.clone(),
                            what: "attribute set",
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn resolve_definitions(&mut self, def_names: &BTreeMap<String, String>) -> Result<(), Error> {
        // How each enum/flags definition is carried by the scalar attributes that name it.
        let mut usage: BTreeMap<&str, BTreeSet<WireKey>> = BTreeMap::new();
        let kinds: BTreeMap<&str, &str> = self
            .spec
            .definitions
            .iter()
            .map(|d| (d.name.as_str(), d.ty.as_str()))
            .collect();
        for s in &self.sets {
            for a in &s.attrs {
                let Some(e) = &a.enum_ else { continue };
                let Some(kind) = kinds.get(e.as_str()) else {
                    return Err(Error::UnknownName {
                        key: format!("{}.enum", a.key),
                        name: e.clone(),
                        what: "enum or flags definition",
                    });
                };
                if a.enum_as_flags && *kind == "enum" {
                    continue;
                }
                // An indexed array of scalars carries it in its elements.
                let ty = match (a.ty.as_str(), &a.sub_type) {
                    ("indexed-array", Some(st)) => st.as_str(),
                    (t, _) => t,
                };
                if let Some(k) = scalar(ty, a.big_endian) {
                    usage.entry(e.as_str()).or_default().insert(k);
                }
            }
        }
        for (i, d) in self.spec.definitions.iter().enumerate() {
            let key = format!("definitions[{i}]");
            match d.ty.as_str() {
                "const" => {}
                "enum" | "flags" => {
                    let flags = d.ty == "flags";
                    let mut next = d.value_start.map_or(0, i128::from);
                    let mut variants = Namespace::default();
                    let mut entries = Vec::new();
                    for e in &d.entries {
                        if let Some(v) = e.value() {
                            next = v.into();
                        }
                        let v = next;
                        next += 1;
                        let value = if flags {
                            if !(0..64).contains(&v) {
                                return Err(Error::OutOfRange {
                                    key: format!("{key}.entries"),
                                    value: v,
                                    range: "bit 0..=63",
                                });
                            }
                            1i128 << v
                        } else {
                            v
                        };
                        let rust = if flags {
                            variants.take(&names::screaming(e.name()), "", "_")
                        } else {
                            variants.take(&names::upper_camel(e.name()), "", "")
                        };
                        entries.push((
                            rust,
                            e.name().to_owned(),
                            value,
                            e.doc().map(str::to_owned),
                        ));
                    }
                    let unknown = variants.take("Unknown", "Value", "");
                    let uses = usage.get(d.name.as_str());
                    let wire = match uses {
                        Some(u) if u.len() == 1 => u
                            .first()
                            .copied()
                            .filter(|k| entries.iter().all(|e| fits(k.rust, e.2))),
                        _ => None,
                    };
                    // Carried in several widths: the fallback is as wide as the widest, so
                    // that every value read is kept.
                    let widest = uses.and_then(|u| widest(u.iter().map(|k| k.rust)));
                    let inner = match (wire, widest) {
                        (Some(k), _) => k.rust,
                        (None, Some(w)) if entries.iter().all(|e| fits(w, e.2)) => w,
                        (None, _) if entries.iter().all(|e| fits("u32", e.2)) => "u32",
                        (None, _) if entries.iter().all(|e| fits("u64", e.2)) => "u64",
                        (None, _) => "i64",
                    };
                    let int_value = wire.is_none() && uses.is_some_and(|u| !u.is_empty());
                    let rust = def_names.get(&d.name).cloned().unwrap_or_default();
                    self.enums.insert(
                        d.name.clone(),
                        EnumDef {
                            rust,
                            flags,
                            entries,
                            wire,
                            int_value,
                            inner,
                            unknown,
                        },
                    );
                }
                "struct" => {
                    let rust = def_names.get(&d.name).cloned().unwrap_or_default();
                    if let Some(s) = self.resolve_struct(&key, d, rust)? {
                        self.structs.insert(d.name.clone(), s);
                    }
                }
                other => {
                    return Err(Error::InvalidValue {
                        key: format!("{key}.type"),
                        value: other.into(),
                        expected: "const, enum, flags or struct",
                    });
                }
            }
        }
        Ok(())
    }

    /// A struct's members with C layout: explicit padding where C puts it, so that the type
    /// derives `IntoBytes`. `None` when a member cannot be a fixed-size field.
    fn resolve_struct(
        &self,
        key: &str,
        d: &spec::Definition,
        rust: String,
    ) -> Result<Option<StructDef>, Error> {
        let mut fields = Vec::new();
        let mut names = Namespace::default();
        let mut offset: usize = 0;
        let mut max_align: usize = 1;
        let mut pads = 0;
        let mut needs_manual_default = false;
        for (mi, m) in d.members.iter().enumerate() {
            let mkey = format!("{key}.members[{mi}]");
            let (ty, size, align) = if m.ty == "binary" {
                let Some(len) = m.len.as_ref().and_then(|l| self.num(l)) else {
                    return Ok(None);
                };
                let len = usize::try_from(len).map_err(|_| Error::OutOfRange {
                    key: format!("{mkey}.len"),
                    value: len,
                    range: "0..",
                })?;
                if len > 32 {
                    needs_manual_default = true;
                }
                (format!("[u8; {len}]"), len, 1)
            } else if let Some(k) = scalar(&m.ty, m.byte_order.as_deref() == Some("big-endian")) {
                let size = match k.rust {
                    "u8" | "i8" => 1,
                    "u16" | "i16" => 2,
                    "u32" | "i32" => 4,
                    _ => 8,
                };
                if k.codec == Codec::VarUint || k.codec == Codec::VarSint {
                    return Ok(None);
                }
                let ty = if k.codec == Codec::BigEndian {
                    let t = match k.rust {
                        "u16" => "U16",
                        "u32" => "U32",
                        "u64" => "U64",
                        "i16" => "I16",
                        "i32" => "I32",
                        _ => "I64",
                    };
                    format!("zerocopy::network_endian::{t}")
                } else {
                    k.rust.to_owned()
                };
                (ty, size, size)
            } else {
                return Ok(None);
            };
            if offset % align != 0 {
                let pad = align - offset % align;
                fields.push((
                    names.take(&format!("_pad{pads}"), "", "_"),
                    format!("[u8; {pad}]"),
                    vec!["Padding (C layout).".to_owned()],
                ));
                pads += 1;
                offset += pad;
            }
            max_align = max_align.max(align);
            let mut docs = vec![format!("`{}`.", m.name)];
            if let Some(dd) = &m.doc {
                docs = doc_with_name(&m.name, dd);
            }
            if let Some(e) = &m.enum_ {
                docs.push(String::new());
                docs.push(format!("Values: enum `{e}`."));
            }
            fields.push((names.take(&names::snake(&m.name), "", "_"), ty, docs));
            offset += size;
        }
        if offset % max_align != 0 {
            let pad = max_align - offset % max_align;
            fields.push((
                names.take(&format!("_pad{pads}"), "", "_"),
                format!("[u8; {pad}]"),
                vec!["Padding (C layout).".to_owned()],
            ));
        }
        Ok(Some(StructDef {
            rust,
            fields,
            needs_manual_default,
        }))
    }

    /// Message numbers and the enum's variants, by the spec's `enum-model`.
    fn resolve_operations(&mut self) -> Result<Vec<Variant>, Error> {
        let Some(ops) = &self.spec.operations else {
            return Ok(Vec::new());
        };
        let model = ops.enum_model.as_deref().unwrap_or("unified");
        let directional = match model {
            "unified" => ops.async_prefix.is_some(),
            "directional" => true,
            other => {
                return Err(Error::InvalidValue {
                    key: "operations.enum-model".into(),
                    value: other.into(),
                    expected: "unified or directional",
                });
            }
        };
        let op_set = |i: usize, op: &spec::Op| -> Result<Option<usize>, Error> {
            let name = op.attribute_set.clone().or_else(|| {
                op.notify.as_ref().and_then(|n| {
                    ops.list
                        .iter()
                        .find(|o| &o.name == n)
                        .and_then(|o| o.attribute_set.clone())
                })
            });
            match name {
                None => Ok(None),
                Some(n) => self
                    .set_index
                    .get(&n)
                    .copied()
                    .map(Some)
                    .ok_or(Error::UnknownName {
                        key: format!("operations.list[{i}].attribute-set"),
                        name: n,
                        what: "attribute set",
                    }),
            }
        };
        let cmd = |key: String, v: i128| -> Result<u8, Error> {
            u8::try_from(v).map_err(|_| Error::OutOfRange {
                key,
                value: v,
                range: "0..=255",
            })
        };
        let mut names = Namespace::default();
        let mut variants: Vec<Variant> = Vec::new();
        let mut req_val: i128 = 1;
        let mut rsp_val: i128 = 1;
        let mut val: i128 = 1;
        for (i, op) in ops.list.iter().enumerate() {
            let key = format!("operations.list[{i}]");
            let set = op_set(i, op)?;
            self.check_op_attrs(&key, op, set)?;
            let mut doc = vec![];
            let modes: Vec<&str> = [
                op.do_.as_ref().map(|_| "do"),
                op.dump.as_ref().map(|_| "dump"),
                op.notify.as_ref().map(|_| "notification"),
                op.event.as_ref().map(|_| "event"),
            ]
            .into_iter()
            .flatten()
            .collect();
            doc.push(format!("`{}` ({}).", op.name, modes.join(", ")));
            if let Some(d) = &op.doc {
                doc.push(String::new());
                doc.extend(doc::lines(d));
            }
            if let Some(g) = &op.mcgrp {
                doc.push(String::new());
                doc.push(format!("Sent to the multicast group `{g}`."));
            }
            if let (Some(fh), Some(ffh)) = (&op.fixed_header, &ops.fixed_header) {
                if fh != ffh {
                    doc.push(String::new());
                    doc.push(format!(
                        "Fixed header `{fh}` (the enum's header type is `{ffh}`)."
                    ));
                }
            }
            let is_event = op.notify.is_some() || op.event.is_some();
            let mode = op.do_.as_ref().or(op.dump.as_ref());
            if !directional {
                if let Some(v) = op.value {
                    val = v.into();
                }
                let c = cmd(format!("{key}.value"), val)?;
                val += 1;
                if mode.is_none() && !is_event {
                    continue;
                }
                let rust = names.take(&names::upper_camel(&op.name), "", "");
                let taken = variants.iter().position(|v| !v.request && v.cmd == c);
                let answer = match &op.do_ {
                    Some(d) if d.reply.is_some() => match taken {
                        Some(t) => Answer::Reply(t),
                        None => Answer::Reply(variants.len()),
                    },
                    Some(_) => Answer::Ack,
                    None => Answer::None,
                };
                variants.push(Variant {
                    rust,
                    cmd: c,
                    request: taken.is_some(),
                    answer,
                    set,
                    doc,
                    op: Some(i),
                });
                continue;
            }
            // Directional: requests and replies/notifications are numbered apart.
            if is_event && mode.is_none() {
                if let Some(v) = op.value {
                    rsp_val = v.into();
                }
                let c = cmd(format!("{key}.value"), rsp_val)?;
                rsp_val += 1;
                if variants.iter().any(|v| !v.request && v.cmd == c) {
                    continue;
                }
                let rust = names.take(&names::upper_camel(&op.name), "", "");
                variants.push(Variant {
                    rust,
                    cmd: c,
                    request: false,
                    answer: Answer::None,
                    set,
                    doc,
                    op: Some(i),
                });
                continue;
            }
            let Some(mode) = mode else { continue };
            if let Some(v) = mode.request.as_ref().and_then(|r| r.value) {
                req_val = v.into();
            }
            if let Some(v) = mode.reply.as_ref().and_then(|r| r.value) {
                rsp_val = v.into();
            }
            let mode_key = if op.do_.is_some() { "do" } else { "dump" };
            let rc = cmd(format!("{key}.{mode_key}.request.value"), req_val)?;
            let pc = cmd(format!("{key}.{mode_key}.reply.value"), rsp_val)?;
            let has_reply = mode.reply.is_some();
            let any_reply = has_reply
                || op.do_.as_ref().is_some_and(|d| d.reply.is_some())
                || op.dump.as_ref().is_some_and(|d| d.reply.is_some());
            req_val += 1;
            if has_reply {
                rsp_val += 1;
            }
            let mut reply_index = None;
            let rust = names.take(&names::upper_camel(&op.name), "", "");
            if any_reply {
                match variants.iter().position(|v| !v.request && v.cmd == pc) {
                    Some(t) => {
                        if variants.get(t).is_some_and(|v| v.set == set) {
                            reply_index = Some(t);
                        }
                    }
                    None => {
                        let reply_rust =
                            names.take(&format!("{}Reply", names::upper_camel(&op.name)), "", "");
                        reply_index = Some(variants.len() + 1);
                        let mut rdoc = vec![format!("`{}` reply.", op.name)];
                        if let Some(d) = &op.doc {
                            rdoc.push(String::new());
                            rdoc.extend(doc::lines(d));
                        }
                        let req = Variant {
                            rust: rust.clone(),
                            cmd: rc,
                            request: true,
                            answer: Answer::None,
                            set,
                            doc: doc.clone(),
                            op: Some(i),
                        };
                        let rep = Variant {
                            rust: reply_rust,
                            cmd: pc,
                            request: false,
                            answer: Answer::None,
                            set,
                            doc: rdoc,
                            op: None,
                        };
                        variants.push(req);
                        variants.push(rep);
                    }
                }
            }
            let answer = match &op.do_ {
                Some(d) if d.reply.is_some() => match reply_index {
                    Some(r) => Answer::Reply(r),
                    None => Answer::None,
                },
                Some(_) => Answer::Ack,
                None => Answer::None,
            };
            if variants
                .iter()
                .any(|v| v.request && v.cmd == rc && v.rust != rust)
            {
                // Two requests with one number: keep the first.
                continue;
            }
            match variants.iter_mut().find(|v| v.rust == rust) {
                Some(v) => v.answer = answer,
                None => variants.push(Variant {
                    rust,
                    cmd: rc,
                    request: true,
                    answer,
                    set,
                    doc,
                    op: Some(i),
                }),
            }
        }
        Ok(variants)
    }

    /// The attributes an operation lists must be attributes of its set (spec attribute names,
    /// `pad` and `unused` ones included).
    fn check_op_attrs(&self, key: &str, op: &spec::Op, set: Option<usize>) -> Result<(), Error> {
        let Some(set) = set.and_then(|s| self.spec.attribute_sets.get(s)) else {
            return Ok(());
        };
        let mut lists = Vec::new();
        for (mode, m) in [("do", &op.do_), ("dump", &op.dump)] {
            if let Some(m) = m {
                if let Some(r) = &m.request {
                    lists.push((format!("{key}.{mode}.request.attributes"), &r.attributes));
                }
                if let Some(r) = &m.reply {
                    lists.push((format!("{key}.{mode}.reply.attributes"), &r.attributes));
                }
            }
        }
        if let Some(e) = &op.event {
            lists.push((format!("{key}.event.attributes"), &e.attributes));
        }
        for (k, list) in lists {
            for (j, name) in list.iter().enumerate() {
                if !set.attributes.iter().any(|a| &a.name == name) {
                    return Err(Error::UnknownName {
                        key: format!("{k}[{j}]"),
                        name: name.clone(),
                        what: "attribute of the operation's attribute set",
                    });
                }
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- writing

    fn w(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn docs(&mut self, indent: &str, lines: &[String]) {
        for l in lines {
            if l.is_empty() {
                let _ = writeln!(self.out, "{indent}///");
            } else {
                let _ = writeln!(self.out, "{indent}/// {l}");
            }
        }
    }

    fn write_all(&mut self, variants: &[Variant]) -> Result<(), Error> {
        let spec = self.spec;
        self.w(&format!(
            "/// The family name, resolved to an id at run time: `{}`.",
            spec.name
        ));
        self.w(&format!("pub const FAMILY_NAME: &str = \"{}\";", spec.name));
        if let Some(g) = &spec.mcast_groups {
            self.w("");
            self.w("/// The family's multicast groups, by name.");
            let items: Vec<String> = g.list.iter().map(|g| format!("\"{}\"", g.name)).collect();
            self.out
                .push_str(&array("pub const MCAST_GROUPS: &[&str] = &", &items, ";"));
        }
        let mut value_names = Namespace::with_reserved(&["FAMILY_NAME", "MCAST_GROUPS"]);
        for (i, d) in spec.definitions.iter().enumerate() {
            self.w("");
            match d.ty.as_str() {
                "const" => self.write_const(i, d, &mut value_names)?,
                "enum" | "flags" => self.write_enum(d),
                _ => self.write_struct(d),
            }
        }
        let recursive = self.recursive_edges();
        for si in 0..self.sets.len() {
            self.w("");
            self.write_set(si, &recursive)?;
        }
        let subs: Vec<String> = self
            .spec
            .sub_messages
            .iter()
            .map(|m| m.name.clone())
            .collect();
        for m in subs {
            self.w("");
            self.write_sub_message(&m);
        }
        if !variants.is_empty() {
            self.w("");
            self.write_message(variants);
        }
        Ok(())
    }

    fn write_const(
        &mut self,
        i: usize,
        d: &spec::Definition,
        value_names: &mut Namespace,
    ) -> Result<(), Error> {
        let name = value_names.take(&names::screaming(&d.name), "", "_");
        let docs = match &d.doc {
            Some(t) => doc_with_name(&d.name, t),
            None => vec![format!("`{}`.", d.name)],
        };
        self.docs("", &docs);
        match &d.value {
            Some(serde_norway::Value::String(s)) => {
                self.w(&format!("pub const {name}: &str = {s:?};"));
            }
            _ => {
                let v = self.consts.get(&d.name).copied().ok_or(Error::Missing {
                    key: format!("definitions[{i}].value"),
                    why: "a const needs a value",
                })?;
                let ty = if fits("u32", v) {
                    "u32"
                } else if fits("u64", v) {
                    "u64"
                } else {
                    "i64"
                };
                self.w(&format!("pub const {name}: {ty} = {v};"));
                self.const_rust.insert(d.name.clone(), name);
            }
        }
        Ok(())
    }

    fn write_enum(&mut self, d: &spec::Definition) {
        let Some(e) = self.enums.get(&d.name) else {
            return;
        };
        let mut docs = match &d.doc {
            Some(t) => doc_with_name(&d.name, t),
            None => vec![format!("`{}`.", d.name)],
        };
        let rust = e.rust.clone();
        let inner = e.inner;
        let wire = e.wire;
        let int_value = e.int_value;
        let info = enum_info(&d.name, e);
        self.uses
            .insert(("netlink_genl::netlink_genl_core::schema", "AttrKind"));
        self.uses
            .insert(("netlink_genl::netlink_genl_core::schema", "EnumInfo"));
        let mut body = String::new();
        if e.flags {
            docs.push(String::new());
            docs.push("Flags: a bitmask, combined with `|`.".into());
            let _ = writeln!(
                body,
                "#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]\npub struct {rust}(pub {inner});\n\nimpl {rust} {{"
            );
            for (n, spec_name, v, doc) in &e.entries {
                let lines = match doc {
                    Some(t) => doc_with_name(spec_name, t),
                    None => vec![format!("`{spec_name}`.")],
                };
                for l in lines {
                    push_doc(&mut body, "    ", &l);
                }
                let bit = v.trailing_zeros();
                let _ = writeln!(body, "    pub const {n}: Self = Self(1 << {bit});");
            }
            let _ = writeln!(body);
            body.push_str(&info);
            let _ = writeln!(body);
            let _ = writeln!(
                body,
                "    /// The spec's name of a single flag (`None` for a combination, an unnamed bit or\n    /// nothing).\n    pub const fn name(self) -> Option<&'static str> {{\n        match self {{"
            );
            let mut seen = BTreeSet::new();
            for (n, spec_name, v, _) in &e.entries {
                if seen.insert(*v) {
                    arm(
                        &mut body,
                        "            ",
                        &format!("Self::{n}"),
                        &format!("Some(\"{spec_name}\")"),
                    );
                }
            }
            let _ = writeln!(body, "            _ => None,\n        }}\n    }}");
            let _ = writeln!(body);
            let _ = writeln!(
                body,
                "    /// Whether every bit of `other` is set.\n    pub const fn contains(self, other: Self) -> bool {{\n        self.0 & other.0 == other.0\n    }}"
            );
            let _ = writeln!(body);
            let _ = writeln!(
                body,
                "    /// The names of the flags set, lowest bit first (bits the spec does not name are\n    /// left out).\n    pub fn names(self) -> Vec<&'static str> {{\n        (0..{inner}::BITS)\n            .map(|bit| Self(1 << bit))\n            .filter(|f| self.contains(*f))\n            .filter_map(Self::name)\n            .collect()\n    }}\n}}"
            );
            for (tr, m, op) in [("BitOr", "bitor", "|"), ("BitAnd", "bitand", "&")] {
                let _ = writeln!(
                    body,
                    "\nimpl std::ops::{tr} for {rust} {{\n    type Output = Self;\n\n    fn {m}(self, rhs: Self) -> Self {{\n        Self(self.0 {op} rhs.0)\n    }}\n}}"
                );
            }
            let _ = writeln!(
                body,
                "\nimpl std::ops::BitOrAssign for {rust} {{\n    fn bitor_assign(&mut self, rhs: Self) {{\n        self.0 |= rhs.0;\n    }}\n}}"
            );
            if let Some(k) = wire {
                self.write_value_kind(&mut body, &rust, inner, k, "self.0", "Self");
            }
            if int_value {
                self.write_int_value(&mut body, &rust, inner, "self.0", "Self");
            }
        } else {
            let unknown = e.unknown.clone();
            let _ = writeln!(
                body,
                "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum {rust} {{"
            );
            for (n, spec_name, v, doc) in &e.entries {
                let mut lines = match doc {
                    Some(t) => doc_with_name(spec_name, t),
                    None => vec![format!("`{spec_name}`.")],
                };
                if let Some(first) = lines.first_mut() {
                    *first = format!("{first} ({v})");
                    if let Some(stripped) = first.strip_suffix(&format!(". ({v})")) {
                        *first = format!("{stripped} ({v}).");
                    }
                }
                for l in lines {
                    push_doc(&mut body, "    ", &l);
                }
                let _ = writeln!(body, "    {n},");
            }
            let _ = writeln!(
                body,
                "    /// A value the spec does not name (a newer kernel's), kept as is.\n    {unknown}({inner}),\n}}\n"
            );
            let _ = writeln!(body, "impl {rust} {{");
            body.push_str(&info);
            let _ = writeln!(body);
            let _ = writeln!(body, "    /// The value on the wire.");
            let _ = writeln!(body, "    pub const fn value(self) -> {inner} {{");
            if e.entries.is_empty() {
                let _ = writeln!(body, "        let Self::{unknown}(v) = self;\n        v");
            } else {
                let _ = writeln!(body, "        match self {{");
                for (n, _, v, _) in &e.entries {
                    arm(
                        &mut body,
                        "            ",
                        &format!("Self::{n}"),
                        &v.to_string(),
                    );
                }
                let _ = writeln!(body, "            Self::{unknown}(v) => v,\n        }}");
            }
            let _ = writeln!(body, "    }}\n");
            let _ = writeln!(
                body,
                "    /// The variant of a value on the wire: one the spec does not name is\n    /// `{unknown}`."
            );
            let _ = writeln!(
                body,
                "    pub const fn from_value(value: {inner}) -> Self {{"
            );
            if e.entries.is_empty() {
                let _ = writeln!(body, "        Self::{unknown}(value)");
            } else {
                let _ = writeln!(body, "        match value {{");
                let mut seen = BTreeSet::new();
                for (n, _, v, _) in &e.entries {
                    if seen.insert(*v) {
                        arm(
                            &mut body,
                            "            ",
                            &v.to_string(),
                            &format!("Self::{n}"),
                        );
                    }
                }
                let _ = writeln!(body, "            v => Self::{unknown}(v),\n        }}");
            }
            let _ = writeln!(body, "    }}\n");
            let _ = writeln!(body, "    /// The spec's name of the value, if it has one.");
            let _ = writeln!(
                body,
                "    pub const fn name(self) -> Option<&'static str> {{"
            );
            if e.entries.is_empty() {
                let _ = writeln!(body, "        None");
            } else {
                let _ = writeln!(body, "        match self {{");
                for (n, spec_name, _, _) in &e.entries {
                    arm(
                        &mut body,
                        "            ",
                        &format!("Self::{n}"),
                        &format!("Some(\"{spec_name}\")"),
                    );
                }
                let _ = writeln!(body, "            Self::{unknown}(_) => None,\n        }}");
            }
            let _ = writeln!(body, "    }}\n}}");
            let _ = writeln!(
                body,
                "\nimpl From<{inner}> for {rust} {{\n    fn from(value: {inner}) -> Self {{\n        Self::from_value(value)\n    }}\n}}"
            );
            let _ = writeln!(
                body,
                "\nimpl From<{rust}> for {inner} {{\n    fn from(value: {rust}) -> Self {{\n        value.value()\n    }}\n}}"
            );
            if let Some(k) = wire {
                self.write_value_kind(
                    &mut body,
                    &rust,
                    inner,
                    k,
                    "self.value()",
                    "Self::from_value",
                );
            }
            if int_value {
                self.write_int_value(&mut body, &rust, inner, "self.value()", "Self::from_value");
            }
        }
        if int_value {
            docs.push(String::new());
            docs.push(
                "Attributes carry it in different widths: each field names its width (`repr`), through `IntValue` below."
                    .into(),
            );
        }
        if wire.is_some() {
            docs.push(String::new());
            docs.push(
                "A value kind: attributes that name it hold this type (`NlaEncode`/`NlaDecode` below)."
                    .into(),
            );
        }
        self.docs("", &docs);
        self.out.push_str(&body);
    }

    /// `IntValue` for an enum or flags type carried in several widths (`repr = W` fields).
    fn write_int_value(
        &mut self,
        body: &mut String,
        rust: &str,
        inner: &str,
        get: &str,
        make: &str,
    ) {
        self.uses
            .insert(("netlink_genl::netlink_genl_core::attr", "IntValue"));
        let _ = writeln!(
            body,
            "\nimpl IntValue for {rust} {{\n    const NAME: &'static str = \"{rust}\";\n\n    fn to_i128(self) -> i128 {{\n        {get}.into()\n    }}\n\n    fn from_i128(v: i128) -> Option<Self> {{\n        {inner}::try_from(v).ok().map({make})\n    }}\n}}"
        );
    }

    fn write_value_kind(
        &mut self,
        body: &mut String,
        rust: &str,
        inner: &str,
        k: WireKey,
        get: &str,
        make: &str,
    ) {
        let codec = k.codec.name();
        self.uses
            .insert(("netlink_genl::netlink_genl_core::attr", "AttrWriter"));
        self.uses.insert((
            "netlink_genl::netlink_genl_core::attr::codec",
            "DecodeCodec",
        ));
        self.uses.insert((
            "netlink_genl::netlink_genl_core::attr::codec",
            "EncodeCodec",
        ));
        self.uses.insert((
            "netlink_genl::netlink_genl_core::attr::codec",
            codec_static(k.codec),
        ));
        self.uses
            .insert(("netlink_genl::netlink_genl_core::schema", "AttrKind"));
        self.uses.insert(("netlink_genl", "DecodeError"));
        self.uses.insert(("netlink_genl", "EncodeError"));
        self.uses.insert(("netlink_genl", "NlaDecode"));
        self.uses.insert(("netlink_genl", "NlaEncode"));
        let _ = writeln!(
            body,
            "\nimpl NlaEncode for {rust} {{\n    const KIND: AttrKind = AttrKind::Enum(&Self::INFO);\n\n    fn payload_len(&self) -> usize {{\n        <{codec} as EncodeCodec<{inner}>>::payload_len(&{get})\n    }}\n\n    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {{\n        <{codec} as EncodeCodec<{inner}>>::write_payload(&{get}, w)\n    }}\n}}"
        );
        let _ = writeln!(
            body,
            "\nimpl<'a> NlaDecode<'a> for {rust} {{\n    fn decode_payload(payload: &'a [u8]) -> Result<Self, DecodeError> {{\n        <{codec} as DecodeCodec<'a, {inner}>>::decode(payload, 0).map({make})\n    }}\n}}"
        );
    }

    fn write_struct(&mut self, d: &spec::Definition) {
        let Some(s) = self.structs.get(&d.name) else {
            self.docs(
                "",
                &[format!(
                    "Struct `{}` is not generated: a member has no fixed size.",
                    d.name
                )],
            );
            self.w(&format!(
                "pub const {}_NOT_GENERATED: () = ();",
                names::screaming(&d.name)
            ));
            return;
        };
        let docs = match &d.doc {
            Some(t) => doc_with_name(&d.name, t),
            None => vec![format!("`{}` (a C struct).", d.name)],
        };
        let mut body = String::new();
        let default = if s.needs_manual_default {
            ""
        } else {
            "Default, "
        };
        let _ = writeln!(
            body,
            "#[derive(\n    Debug, Clone, Copy, {default}PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,\n)]"
        );
        let _ = writeln!(body, "#[repr(C)]\npub struct {} {{", s.rust);
        for (n, ty, fdocs) in &s.fields {
            for l in fdocs {
                push_doc(&mut body, "    ", l);
            }
            let _ = writeln!(body, "    pub {n}: {ty},");
        }
        body.push_str("}\n");
        if s.needs_manual_default {
            let _ = writeln!(
                body,
                "\nimpl Default for {} {{\n    fn default() -> Self {{\n        zerocopy::FromZeros::new_zeroed()\n    }}\n}}",
                s.rust
            );
        }
        for t in ["FromBytes", "Immutable", "IntoBytes", "KnownLayout"] {
            self.uses.insert(("zerocopy", t));
        }
        self.docs("", &docs);
        self.out.push_str(&body);
    }

    /// Direct (non-collection) nests that close a cycle: those fields are boxed.
    fn recursive_edges(&self) -> BTreeSet<(usize, String)> {
        let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for (si, s) in self.sets.iter().enumerate() {
            for a in &s.attrs {
                if a.ty == "nest" && !a.multi {
                    if let Some(t) = a.nested.as_ref().and_then(|n| self.set_index.get(n)) {
                        edges.entry(si).or_default().insert(*t);
                    }
                }
            }
        }
        let reaches = |from: usize, to: usize| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from];
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n) {
                    if let Some(next) = edges.get(&n) {
                        stack.extend(next.iter().copied());
                    }
                }
            }
            false
        };
        let mut out = BTreeSet::new();
        for (si, targets) in &edges {
            for t in targets {
                if reaches(*t, *si) {
                    if let Some(s) = self.sets.get(*si) {
                        for a in &s.attrs {
                            if a.nested.as_ref().and_then(|n| self.set_index.get(n)) == Some(t) {
                                out.insert((*si, a.name.clone()));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn set_rust(&self, name: &str) -> String {
        self.set_index
            .get(name)
            .and_then(|i| self.sets.get(*i))
            .map(|s| s.rust.clone())
            .unwrap_or_default()
    }

    /// The `#[nla]` options of an attribute's `checks` (`min = 1`, `max_len = 15`, ...), with
    /// names resolved (a definition constant by its generated name, a limit such as `u32-max`
    /// / `s16-min` by its value), for
    /// a value of Rust type `rust`; and a doc note for what is not an option: a check that
    /// does not apply to the type (a length on an integer, a range on bytes or an enum), a
    /// name that resolves to nothing, and `unterminated-ok`. The `exact-len` of an address
    /// or a `fixed` struct is left out: the type has that length.
    fn checks_opts(&self, c: &Checks, rust: &str) -> (Vec<String>, Option<String>) {
        let int = is_int_type(rust);
        let bytes = rust == "String" || rust == "Vec<u8>";
        let mut opts = Vec::new();
        let mut rest = Vec::new();
        for (k, opt, v, applies) in [
            ("min", "min", &c.min, int),
            ("max", "max", &c.max, int),
            ("min-len", "min_len", &c.min_len, bytes),
            ("max-len", "max_len", &c.max_len, bytes),
            ("exact-len", "exact_len", &c.exact_len, bytes),
        ] {
            let Some(v) = v else { continue };
            let sized = matches!(rust, "Ipv4Addr" | "Ipv6Addr")
                || self.structs.values().any(|s| s.rust == rust);
            if k == "exact-len" && sized {
                // The type has that length (an address, a `fixed` struct).
                continue;
            }
            // A definition constant by its Rust name, a limit or a number as a literal.
            let value = match v {
                NumOrName::Name(n) => match (self.const_rust.get(n), self.num(v)) {
                    (Some(rust), Some(_)) => Some(rust.clone()),
                    _ => limit(n).map(|n| n.to_string()),
                },
                _ => self.num(v).map(|n| n.to_string()),
            };
            match value {
                Some(n) if applies => opts.push(format!("{opt} = {n}")),
                _ => rest.push(format!("{k} {}", self.show_check(v))),
            }
        }
        if c.unterminated_ok == Some(true) {
            rest.push("unterminated-ok".into());
        }
        let note =
            (!rest.is_empty()).then(|| format!("Checks (not enforced here): {}.", rest.join(", ")));
        (opts, note)
    }

    fn show_check(&self, v: &NumOrName) -> String {
        match v {
            NumOrName::Num(n) => n.to_string(),
            NumOrName::Big(n) => n.to_string(),
            NumOrName::Name(n) => match self.consts.get(n) {
                Some(v) => format!("`{n}` ({v})"),
                None => format!("`{n}` (not defined in the spec)"),
            },
        }
    }

    /// The bits an attribute naming flags may set, where the field does not hold the flags
    /// type itself (whose definition bounds it): a `bitfield32`'s valid bits, and an unsigned
    /// integer holding `enum-as-flags` of an `enum` (`1 << value` per entry) or flags carried
    /// in another width, as the kernel's generated policy masks them (`NLA_POLICY_BITFIELD32`,
    /// `NLA_POLICY_MASK`).
    fn flags_mask(&self, a: &Attr, rust: &str) -> Option<u64> {
        let def = self.enums.get(a.enum_.as_ref()?)?;
        let bitfield = a.ty == "bitfield32";
        let int = a.ty != "indexed-array" && matches!(rust, "u8" | "u16" | "u32" | "u64");
        if !(bitfield || int && (a.enum_as_flags || def.flags)) {
            return None;
        }
        let mut mask = 0u64;
        for (_, _, v, _) in &def.entries {
            let bit = if def.flags {
                u64::try_from(*v).ok()?
            } else {
                1u64.checked_shl(u32::try_from(*v).ok()?)?
            };
            mask |= bit;
        }
        (mask != 0).then_some(mask)
    }

    /// The Rust type and `#[nla]` options of a scalar-or-similar value (an attribute, or the
    /// element of a multi-attr or indexed array), plus notes for the docs.
    fn value_type(
        &mut self,
        a: &Attr,
        ty: &str,
        notes: &mut Vec<String>,
    ) -> Result<(String, Vec<&'static str>), Error> {
        let exact_len = a
            .checks
            .as_ref()
            .and_then(|c| c.exact_len.as_ref())
            .and_then(|v| self.num(v));
        if let Some(k) = scalar(ty, a.big_endian) {
            if let Some(e) = &a.enum_ {
                if let Some(def) = self.enums.get(e) {
                    if def.wire == Some(k) && (def.flags || !a.enum_as_flags) {
                        return Ok((def.rust.clone(), vec![]));
                    }
                    if def.int_value && (def.flags || !a.enum_as_flags) {
                        // Another width than the enum's own: carried through `repr`.
                        let mut opts = vec![repr_opt(k.rust)];
                        opts.extend(codec_word(k.codec));
                        return Ok((def.rust.clone(), opts));
                    }
                    if a.enum_as_flags || def.flags {
                        notes.push(format!("A bitmask of [`{}`] flags.", def.rust));
                    } else {
                        notes.push(format!(
                            "Values: [`{}`] (not its type here: attributes carry it in different widths).",
                            def.rust
                        ));
                    }
                }
            }
            if a.display_hint.as_deref() == Some("ipv4")
                && k.rust == "u32"
                && k.codec == Codec::BigEndian
            {
                self.uses.insert(("std::net", "Ipv4Addr"));
                return Ok(("Ipv4Addr".into(), vec![]));
            }
            let opts = match k.codec {
                Codec::Native => vec![],
                Codec::BigEndian => vec!["big_endian"],
                Codec::VarUint => vec!["uint"],
                Codec::VarSint => vec!["sint"],
            };
            return Ok((k.rust.into(), opts));
        }
        match ty {
            "string" => Ok(("String".into(), vec![])),
            "binary" => {
                if let Some(st) = &a.struct_ {
                    if let Some(sd) = self.structs.get(st) {
                        return Ok((sd.rust.clone(), vec!["fixed"]));
                    }
                    notes.push(format!("Raw bytes of struct `{st}`."));
                    self.degraded
                        .insert(format!("struct `{st}` (not generated)"));
                }
                match (a.display_hint.as_deref(), exact_len) {
                    (Some("ipv4"), Some(4)) => {
                        self.uses.insert(("std::net", "Ipv4Addr"));
                        return Ok(("Ipv4Addr".into(), vec![]));
                    }
                    (Some("ipv6"), Some(16)) => {
                        self.uses.insert(("std::net", "Ipv6Addr"));
                        return Ok(("Ipv6Addr".into(), vec![]));
                    }
                    (Some(h), _) => notes.push(format!("Display hint: `{h}`.")),
                    _ => {}
                }
                if let Some(st) = &a.sub_type {
                    // A packed array of integers in host order: `packed` (other sub-types
                    // stay bytes).
                    match scalar(st, false) {
                        Some(k) if k.codec == Codec::Native => {
                            return Ok((format!("Vec<{}>", k.rust), vec!["packed"]));
                        }
                        _ => notes.push(format!(
                            "Raw bytes: an array of `{st}` (a binary `sub-type`, kept as bytes)."
                        )),
                    }
                }
                Ok(("Vec<u8>".into(), vec![]))
            }
            "flag" => Ok(("bool".into(), vec!["flag"])),
            "bitfield32" => {
                self.uses
                    .insert(("netlink_genl::netlink_genl_core::attr", "BitField32"));
                Ok(("BitField32".into(), vec![]))
            }
            "nest" => match &a.nested {
                Some(n) => Ok((self.set_rust(n), vec!["nested"])),
                None => {
                    notes.push(
                        "Raw bytes: a nest whose attributes the spec does not describe.".into(),
                    );
                    self.degraded
                        .insert("nest without nested-attributes".into());
                    Ok(("Vec<u8>".into(), vec![]))
                }
            },
            other => Err(Error::InvalidValue {
                key: format!("{}.type", a.key),
                value: other.into(),
                expected: "a YNL attribute type",
            }),
        }
    }

    fn write_set(&mut self, si: usize, recursive: &BTreeSet<(usize, String)>) -> Result<(), Error> {
        let Some(set) = self.sets.get(si) else {
            return Ok(());
        };
        let (name, rust, doc, subset_of) = (
            set.name.clone(),
            set.rust.clone(),
            set.doc.clone(),
            set.subset_of.clone(),
        );
        let attrs = set.attrs.clone();
        let mut docs = match &doc {
            Some(t) => doc_with_name(&name, t),
            None => vec![format!("Attribute set `{name}`.")],
        };
        if let Some(p) = &subset_of {
            docs.push(String::new());
            docs.push(format!(
                "A subset of [`{}`] (`{p}`): its attributes, with their ids and types.",
                self.set_rust(p)
            ));
        }
        let mut body = String::new();
        // Field names first (a sub-message names its selector's).
        let fields = self.field_names(si);
        self.uses.insert(("netlink_genl", "NlAttrs"));
        for (a, (_, f)) in attrs.iter().zip(&fields) {
            let mut notes = Vec::new();
            let mut opts: Vec<&'static str> = Vec::new();
            let mut selector_opt: Option<String> = None;
            // The value type the checks apply to (an attribute's, or a multi-attr's entries).
            let mut checked = String::new();
            let ty: String = match a.ty.as_str() {
                "indexed-array" => {
                    let sub = a.sub_type.clone().ok_or(Error::Missing {
                        key: format!("{}.sub-type", a.key),
                        why: "an indexed-array needs the type of its elements",
                    })?;
                    if sub == "nest" && a.nested.is_none() {
                        return Err(Error::Missing {
                            key: format!("{}.nested-attributes", a.key),
                            why: "an indexed-array of nests needs their attribute set",
                        });
                    }
                    let (t, o) = self.value_type(a, &sub, &mut notes)?;
                    opts.push("array");
                    opts.extend(o);
                    format!("Vec<{t}>")
                }
                "nest-type-value" => {
                    let Some(n) = &a.nested else {
                        return Err(Error::Missing {
                            key: format!("{}.nested-attributes", a.key),
                            why: "a nest-type-value needs the attribute set of its values",
                        });
                    };
                    let mut t = self.set_rust(n);
                    let levels = a.type_value.len().max(1);
                    for _ in 0..levels {
                        t = format!("Vec<(u16, {t})>");
                    }
                    if !a.type_value.is_empty() {
                        notes.push(format!(
                            "Keyed by {} (the attribute types of the nests).",
                            a.type_value
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", then ")
                        ));
                    }
                    opts.push("keyed");
                    t
                }
                "sub-message" => {
                    let msg = a.sub_message.as_deref().unwrap_or("?");
                    let sel = a.selector.as_deref().unwrap_or("?");
                    let Some(m) = self.sub_messages.get(msg) else {
                        return Err(Error::UnknownName {
                            key: format!("{}.sub-message", a.key),
                            name: msg.into(),
                            what: "sub-message",
                        });
                    };
                    // The selector: an attribute of this set holding a string or a plain
                    // integer (what the derive's `selector` reads).
                    let target = attrs.iter().position(|x| x.name == sel).filter(|&j| {
                        attrs.get(j).is_some_and(|x| {
                            let int = scalar(&x.ty, x.big_endian).is_some() && x.enum_.is_none();
                            !x.multi && (x.ty == "string" || int)
                        })
                    });
                    match target.and_then(|j| fields.get(j)) {
                        Some((_, f)) => {
                            selector_opt = Some(format!("selector = {f}"));
                            format!("Option<{}>", m.rust)
                        }
                        None => {
                            notes.push(format!(
                                "Raw bytes: sub-message [`{}`] selected by `{sel}`, which is not a \
                                 string or integer attribute of this set.",
                                m.rust
                            ));
                            self.degraded
                                .insert("sub-message whose selector is elsewhere".into());
                            "Option<Vec<u8>>".into()
                        }
                    }
                }
                t => {
                    let t = t.to_owned();
                    let (rt, o) = self.value_type(a, &t, &mut notes)?;
                    checked.clone_from(&rt);
                    if a.multi {
                        opts.push("multi");
                        opts.extend(o);
                        format!("Vec<{rt}>")
                    } else if a.ty == "flag" {
                        opts.extend(o);
                        rt
                    } else if a.ty == "nest" && recursive.contains(&(si, a.name.clone())) {
                        opts.extend(o.into_iter().filter(|o| *o != "nested"));
                        notes.push("Boxed: the nesting is recursive.".into());
                        format!("Option<Box<{rt}>>")
                    } else {
                        opts.extend(o);
                        format!("Option<{rt}>")
                    }
                }
            };
            let mut check_opts = Vec::new();
            if let Some(c) = &a.checks {
                let (o, note) = self.checks_opts(c, &checked);
                check_opts = o;
                notes.extend(note);
            }
            if let Some(m) = self.flags_mask(a, &checked) {
                check_opts.push(format!("mask = {m:#x}"));
            }
            let mut fdocs = match &a.doc {
                Some(t) => doc_with_name(&a.name, t),
                None => vec![format!("`{}`.", a.name)],
            };
            if !notes.is_empty() {
                fdocs.push(String::new());
                fdocs.extend(notes);
            }
            for l in &fdocs {
                push_doc(&mut body, "    ", l);
            }
            let mut o = vec![format!("id = {}", a.id)];
            o.extend(opts.iter().map(|s| (*s).to_owned()));
            o.extend(selector_opt);
            o.extend(check_opts);
            let _ = writeln!(body, "    #[nla({})]", o.join(", "));
            let _ = writeln!(body, "    pub {f}: {ty},");
        }
        self.docs("", &docs);
        self.w("#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]");
        if body.is_empty() {
            self.w(&format!("pub struct {rust} {{}}"));
        } else {
            self.w(&format!("pub struct {rust} {{"));
            self.out.push_str(&body);
            self.w("}");
        }
        Ok(())
    }

    fn write_message(&mut self, variants: &[Variant]) {
        let spec = self.spec;
        self.uses.insert(("netlink_genl", "GenlMessage"));
        let mut docs = vec![format!(
            "The `{}` family's messages: one variant per request, reply and notification.",
            spec.name
        )];
        let model = spec
            .operations
            .as_ref()
            .and_then(|o| o.enum_model.as_deref())
            .unwrap_or("unified");
        docs.push(String::new());
        if model == "directional" {
            docs.push(
                "Requests and replies are numbered apart (`enum-model: directional`): each \
                 request variant is sent only, and its reply is a variant of its own."
                    .into(),
            );
        } else {
            docs.push(
                "One number per operation (`enum-model: unified`): a request and its reply are \
                 the same variant."
                    .into(),
            );
        }
        self.docs("", &docs);
        self.w("#[allow(clippy::large_enum_variant)]");
        // The op lists are laid out here (`Opt::layout`); rustfmt would lay out long attribute
        // lists by rules of its own.
        self.w("#[rustfmt::skip]");
        self.w("#[derive(Debug, Clone, PartialEq, GenlMessage)]");
        let version = spec.version.unwrap_or(1);
        let header = spec
            .operations
            .as_ref()
            .and_then(|o| o.fixed_header.as_ref())
            .and_then(|h| self.structs.get(h))
            .map(|s| format!(", header = {}", s.rust))
            .unwrap_or_default();
        let groups: Vec<String> = (spec.mcast_groups.iter())
            .flat_map(|g| &g.list)
            .map(|g| format!("{:?}", g.name))
            .collect();
        let groups = if groups.is_empty() {
            String::new()
        } else {
            format!(", groups({})", groups.join(", "))
        };
        let policy = match spec.kernel_policy.as_deref() {
            Some("per-op") => ", kernel_policy = per_op",
            Some("global") => ", kernel_policy = global",
            _ => "",
        };
        let g = format!(
            "#[genl(family = \"{}\", version = {version}{header}{groups}{policy})]",
            spec.name
        );
        self.w(&g);
        self.w(&format!("pub enum {} {{", self.family_rust));
        for v in variants {
            self.docs("    ", &v.doc);
            let mut o = vec![format!("cmd = {}", v.cmd)];
            if v.request {
                o.push("request".into());
            }
            match v.answer {
                Answer::None => {}
                Answer::Ack => o.push("ack".into()),
                Answer::Reply(i) => {
                    if let Some(r) = variants.get(i) {
                        o.push(format!("reply = {}", r.rust));
                    }
                }
            }
            let mut o: Vec<Opt> = o.into_iter().map(Opt::Word).collect();
            o.extend(self.op_options(v));
            let text = Opt::List("#[genl".into(), o).layout(4);
            let text = text.strip_suffix(",\n").unwrap_or(&text);
            self.w(&format!("{text}]"));
            match v.set.and_then(|s| self.sets.get(s)) {
                Some(s) => {
                    let line = format!("    {}({}),", v.rust, s.rust);
                    self.w(&line);
                }
                None => self.w(&format!("    {},", v.rust)),
            }
        }
        self.w("}");
    }

    /// The op declarations of a variant: `do(request(..), reply(..))`, `dump(..)`,
    /// `mcast = ".."`, `event(..)`, from its operation in the spec. Attribute names become the
    /// set's field names; an attribute that is not a field (id 0, `pad`) is left out.
    fn op_options(&self, v: &Variant) -> Vec<Opt> {
        let mut out = Vec::new();
        let Some(ops) = &self.spec.operations else {
            return out;
        };
        let Some(op) = v.op.and_then(|i| ops.list.get(i)) else {
            return out;
        };
        let names = v.set.map(|s| self.field_names(s)).unwrap_or_default();
        let fields = |word: &str, list: &[String]| -> Opt {
            let named = list
                .iter()
                .filter_map(|a| names.iter().find(|(n, _)| n == a))
                .map(|(_, f)| Opt::Word(f.clone()));
            Opt::List(word.to_owned(), named.collect())
        };
        for (word, mode) in [("do", &op.do_), ("dump", &op.dump)] {
            let Some(mode) = mode else { continue };
            // A mode without `request` takes no attributes (the kernel's generated op has no
            // policy): an empty list, not an undeclared one.
            let no_attrs = Vec::new();
            let request = mode.request.as_ref().map_or(&no_attrs, |r| &r.attributes);
            let mut lists = vec![fields("request", request)];
            if let Some(r) = &mode.reply {
                lists.push(fields("reply", &r.attributes));
            }
            out.push(Opt::List(word.to_owned(), lists));
        }
        // Who may run it and how the kernel validates it: about a do or a dump, so only on a
        // variant that declares one, and each `dont-validate` item only with its mode (older
        // specs list `dump` on operations without one: it says nothing there).
        if op.do_.is_some() || op.dump.is_some() {
            for f in &op.flags {
                match f.as_str() {
                    "admin-perm" => out.push(Opt::Word("admin_perm".into())),
                    "uns-admin-perm" => out.push(Opt::Word("uns_admin_perm".into())),
                    _ => {}
                }
            }
            let items: Vec<Opt> = (op.dont_validate.iter())
                .filter(|d| match d.as_str() {
                    "strict" => op.do_.is_some(),
                    "dump" | "dump-strict" => op.dump.is_some(),
                    _ => false,
                })
                .map(|d| Opt::Word(d.replace('-', "_")))
                .collect();
            if !items.is_empty() {
                out.push(Opt::List("dont_validate".into(), items));
            }
        }
        if let Some(g) = &op.mcgrp {
            out.push(Opt::Word(format!("mcast = {g:?}")));
        }
        let event = match (&op.event, &op.notify) {
            (Some(e), _) => Some(&e.attributes),
            (None, Some(n)) => ops.list.iter().find(|o| &o.name == n).and_then(|o| {
                let mode = o.do_.as_ref().or(o.dump.as_ref())?;
                mode.reply.as_ref().map(|r| &r.attributes)
            }),
            (None, None) => None,
        };
        if let Some(list) = event {
            out.push(fields("event", list));
        }
        out
    }

    /// The field name of every attribute of set `si`, by spec attribute name, as `write_set`
    /// names them.
    fn field_names(&self, si: usize) -> Vec<(String, String)> {
        let Some(set) = self.sets.get(si) else {
            return Vec::new();
        };
        let mut fields = Namespace::default();
        (set.attrs.iter())
            .map(|a| (a.name.clone(), fields.take(&names::snake(&a.name), "", "_")))
            .collect()
    }

    fn finish(self) -> String {
        let mut head = String::new();
        let spec = self.spec;
        if self.opts.module_doc {
            let mut lines = vec![format!("The `{}` generic netlink family.", spec.name)];
            if let Some(d) = &spec.doc {
                lines.push(String::new());
                lines.extend(doc::lines(d));
            }
            lines.push(String::new());
            lines.push(format!(
                "Generated by `netlink-ynl` from the kernel's YNL spec `{}.yaml`: do not edit.",
                spec.name
            ));
            if !self.degraded.is_empty() {
                lines.push(String::new());
                lines.push(format!(
                    "Carried as raw bytes (the derive cannot express them yet): {}.",
                    self.degraded.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            for l in lines {
                if l.is_empty() {
                    head.push_str("//!\n");
                } else {
                    let _ = writeln!(head, "//! {l}");
                }
            }
            head.push('\n');
        } else {
            let _ = writeln!(
                head,
                "// Generated by `netlink-ynl` from the kernel's YNL spec `{}.yaml`: do not edit.\n",
                spec.name
            );
        }
        // Imports, grouped by path, in rustfmt's order.
        let mut by_path: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (p, n) in &self.uses {
            by_path.entry(p).or_default().push(n);
        }
        let mut lines: Vec<(String, String)> = Vec::new();
        for (p, mut ns) in by_path {
            ns.sort_unstable();
            let line = if ns.len() == 1 {
                format!("use {p}::{};", ns.join(""))
            } else {
                format!("use {p}::{{{}}};", ns.join(", "))
            };
            lines.push((p.to_owned(), line));
        }
        lines.sort_by_key(|l| use_key(&l.1));
        for (_, l) in &lines {
            if l.len() > 100 {
                // rustfmt breaks a long list one name per line.
                if let (Some(open), Some(close)) = (l.find('{'), l.rfind('}')) {
                    let prefix = l.get(..=open).unwrap_or("");
                    let inner = l.get(open + 1..close).unwrap_or("");
                    let _ = writeln!(head, "{prefix}");
                    for n in inner.split(", ") {
                        let _ = writeln!(head, "    {n},");
                    }
                    let _ = writeln!(head, "}};");
                    continue;
                }
            }
            let _ = writeln!(head, "{l}");
        }
        if !lines.is_empty() {
            head.push('\n');
        }
        head + &self.out
    }
}

/// rustfmt's order of `use` items: segment by segment, a `{...}` list after any name.
fn use_key(line: &str) -> Vec<(u8, String)> {
    let path = line.trim_start_matches("use ").trim_end_matches(';');
    path.split("::")
        .map(|seg| {
            if seg.starts_with('{') {
                (1, String::new())
            } else {
                (0, seg.to_owned())
            }
        })
        .collect()
}

/// The `INFO` const of a generated enum or flags type: the definition as the schema carries it
/// (`EnumInfo`: spec name, wire kind, named values), laid out as rustfmt lays it out.
fn enum_info(spec_name: &str, e: &EnumDef) -> String {
    let kind = match e.wire {
        Some(k) => attr_kind(k),
        None => match e.inner {
            "u8" => "U8",
            "u16" => "U16",
            "u32" => "U32",
            "u64" => "U64",
            "i8" => "I8",
            "i16" => "I16",
            "i32" => "I32",
            _ => "I64",
        },
    };
    let ctor = if e.flags { "flags" } else { "new" };
    let items: Vec<String> = e
        .entries
        .iter()
        .map(|(_, n, v, _)| format!("({n:?}, {v})"))
        .collect();
    let doc = "    /// The definition as the schema carries it ([`AttrKind::Enum`]): its spec name, how it\n    /// is carried and its named values.\n";
    // rustfmt: a call's arguments on one line up to `fn_call_width` (60), an array's items
    // up to `array_width` (60); else one per line.
    let list = format!("[{}]", items.join(", "));
    let args = format!("{spec_name:?}, &AttrKind::{kind}, &{list}");
    let call = format!("EnumInfo::{ctor}({args});");
    let short = items.join(", ").len() <= 60;
    if args.len() <= 60 && short {
        let one = format!("    pub const INFO: EnumInfo = {call}");
        if one.len() <= 100 {
            return format!("{doc}{one}\n");
        }
        let split = format!("        {call}");
        if split.len() <= 100 {
            return format!("{doc}    pub const INFO: EnumInfo =\n{split}\n");
        }
    }
    let arr = if short {
        format!("        &{list},\n")
    } else {
        let mut a = String::from("        &[\n");
        for i in &items {
            let _ = writeln!(a, "            {i},");
        }
        a.push_str("        ],\n");
        a
    };
    format!(
        "{doc}    pub const INFO: EnumInfo = EnumInfo::{ctor}(\n        {spec_name:?},\n        &AttrKind::{kind},\n{arr}    );\n"
    )
}

fn codec_static(c: Codec) -> &'static str {
    c.name()
}

/// A match arm, on one line when it fits, else with its expression in a block (as rustfmt
/// writes it).
fn arm(body: &mut String, indent: &str, pat: &str, expr: &str) {
    let one = format!("{indent}{pat} => {expr},");
    if one.len() <= 100 {
        let _ = writeln!(body, "{one}");
    } else {
        let _ = writeln!(body, "{indent}{pat} => {{\n{indent}    {expr}\n{indent}}}");
    }
}

/// An array literal's items as rustfmt lays them out after `prefix` (the text before `[` on
/// the first line, starting at column 0): on one line if short enough, packed several per line
/// if every item is short, else one per line.
fn array(prefix: &str, items: &[String], suffix: &str) -> String {
    let joined = items.join(", ");
    let one = format!("{prefix}[{joined}]{suffix}");
    if joined.len() <= 60 && one.len() <= 100 {
        return format!("{one}\n");
    }
    let mut out = format!("{prefix}[\n");
    if items.iter().all(|i| i.len() <= 10) {
        let mut line = String::from("   ");
        for i in items {
            if line.len() + 1 + i.len() + 1 > 100 {
                out.push_str(&line);
                out.push('\n');
                line = String::from("   ");
            }
            line.push(' ');
            line.push_str(i);
            line.push(',');
        }
        out.push_str(&line);
        out.push('\n');
    } else {
        for i in items {
            let _ = writeln!(out, "    {i},");
        }
    }
    let _ = writeln!(out, "]{suffix}");
    out
}

fn push_doc(body: &mut String, indent: &str, l: &str) {
    if l.is_empty() {
        let _ = writeln!(body, "{indent}///");
    } else {
        let _ = writeln!(body, "{indent}/// {l}");
    }
}

/// "`name`: first line of doc" then the rest of the doc.
fn doc_with_name(name: &str, text: &str) -> Vec<String> {
    let mut lines = doc::lines(text);
    match lines.first_mut() {
        Some(first) => *first = format!("`{name}`: {first}"),
        None => lines.push(format!("`{name}`.")),
    }
    lines
}

/// The attribute ids of a set: from 1, or from an attribute's `value`, counting on.
fn parent_ids(s: &spec::AttrSet) -> Vec<i128> {
    let mut next: i128 = 1;
    s.attributes
        .iter()
        .map(|a| {
            if let Some(v) = a.value {
                next = i128::from(v);
            }
            let id = next;
            next += 1;
            id
        })
        .collect()
}

/// Whether a generated value type is an integer (a range check applies).
fn is_int_type(rust: &str) -> bool {
    matches!(
        rust,
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64"
    )
}

/// The value of a YNL limit name: `u8-min` .. `u64-max`, `s8-min` .. `s64-max` (as the
/// kernel's generator reads them).
fn limit(name: &str) -> Option<i128> {
    let (ty, end) = name.split_once('-')?;
    let bits: u32 = ty.get(1..)?.parse().ok()?;
    if !matches!(bits, 8 | 16 | 32 | 64) {
        return None;
    }
    let (signed, max) = match ty.get(..1)? {
        "u" => (false, (1i128 << bits) - 1),
        "s" => (true, (1i128 << (bits - 1)) - 1),
        _ => return None,
    };
    match (end, signed) {
        ("max", _) => Some(max),
        ("min", false) => Some(0),
        ("min", true) => Some(-max - 1),
        _ => None,
    }
}
