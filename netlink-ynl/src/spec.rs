//! The YNL spec as read from YAML: the keys this generator uses, every one optional where the
//! format allows it. Keys it does not use (C names, `config-cond`, `pre`/`post` hooks, ...) are
//! accepted and ignored.

use serde::Deserialize;

/// A number or the name of a `const` definition (`len: 16`, `max: max-handle-id`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum NumOrName {
    Num(i64),
    Big(u64),
    Name(String),
}

/// A whole spec file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub name: String,
    pub protocol: Option<String>,
    pub doc: Option<String>,
    pub version: Option<u64>,
    #[serde(default)]
    pub definitions: Vec<Definition>,
    #[serde(default)]
    pub attribute_sets: Vec<AttrSet>,
    pub operations: Option<Operations>,
    pub mcast_groups: Option<McastGroups>,
    #[serde(default)]
    pub sub_messages: Vec<SubMessage>,
    /// `split` (the default), `per-op`, `global`.
    pub kernel_policy: Option<String>,
}

/// One entry of `sub-messages`: the layouts of a nest, by the value of its selector.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct SubMessage {
    pub name: String,
    pub doc: Option<String>,
    #[serde(default)]
    pub formats: Vec<Format>,
}

/// One layout of a sub-message.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Format {
    /// The selector value: a string or a number.
    pub value: serde_norway::Value,
    pub attribute_set: Option<String>,
    pub fixed_header: Option<String>,
}

/// One entry of `definitions`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Definition {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: Option<String>,
    /// `const`: the value (a number, or a string for string constants).
    pub value: Option<serde_norway::Value>,
    /// `enum` / `flags`: the entries.
    #[serde(default)]
    pub entries: Vec<Entry>,
    pub value_start: Option<i64>,
    /// `struct`: the members.
    #[serde(default)]
    pub members: Vec<Member>,
}

/// An `enum` / `flags` entry: a bare name or a map.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Entry {
    Name(String),
    Full(EntryFull),
}

/// An entry given as a map.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct EntryFull {
    pub name: String,
    pub value: Option<i64>,
    pub doc: Option<String>,
}

impl Entry {
    pub fn name(&self) -> &str {
        match self {
            Entry::Name(n) => n,
            Entry::Full(f) => &f.name,
        }
    }
    pub fn value(&self) -> Option<i64> {
        match self {
            Entry::Name(_) => None,
            Entry::Full(f) => f.value,
        }
    }
    pub fn doc(&self) -> Option<&str> {
        match self {
            Entry::Name(_) => None,
            Entry::Full(f) => f.doc.as_deref(),
        }
    }
}

/// A `struct` member.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Member {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: Option<String>,
    pub len: Option<NumOrName>,
    pub byte_order: Option<String>,
    #[serde(rename = "enum")]
    pub enum_: Option<String>,
}

/// One of `attribute-sets`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct AttrSet {
    pub name: String,
    pub doc: Option<String>,
    pub subset_of: Option<String>,
    #[serde(default)]
    pub attributes: Vec<Attr>,
}

/// One attribute of a set.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Attr {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub value: Option<i64>,
    pub doc: Option<String>,
    #[serde(rename = "enum")]
    pub enum_: Option<String>,
    pub enum_as_flags: Option<bool>,
    pub multi_attr: Option<bool>,
    pub nested_attributes: Option<String>,
    pub sub_type: Option<String>,
    pub type_value: Option<Vec<String>>,
    pub byte_order: Option<String>,
    pub display_hint: Option<String>,
    #[serde(rename = "struct")]
    pub struct_: Option<String>,
    pub checks: Option<Checks>,
    pub sub_message: Option<String>,
    pub selector: Option<String>,
}

/// `checks` of an attribute.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Checks {
    pub min: Option<NumOrName>,
    pub max: Option<NumOrName>,
    pub min_len: Option<NumOrName>,
    pub max_len: Option<NumOrName>,
    pub exact_len: Option<NumOrName>,
    pub unterminated_ok: Option<bool>,
}

/// `operations`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Operations {
    pub enum_model: Option<String>,
    pub fixed_header: Option<String>,
    pub async_prefix: Option<String>,
    #[serde(default)]
    pub list: Vec<Op>,
}

/// One operation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Op {
    pub name: String,
    pub doc: Option<String>,
    pub attribute_set: Option<String>,
    pub value: Option<i64>,
    #[serde(rename = "do")]
    pub do_: Option<OpMode>,
    pub dump: Option<OpMode>,
    pub notify: Option<String>,
    pub event: Option<OpMsg>,
    pub mcgrp: Option<String>,
    pub fixed_header: Option<String>,
    /// `admin-perm`, `uns-admin-perm`.
    #[serde(default)]
    pub flags: Vec<String>,
    /// `strict`, `dump`, `dump-strict`.
    #[serde(default)]
    pub dont_validate: Vec<String>,
}

/// `do` / `dump` of an operation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct OpMode {
    pub request: Option<OpMsg>,
    pub reply: Option<OpMsg>,
}

/// A request, reply or event: its message number and attributes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct OpMsg {
    pub value: Option<i64>,
    #[serde(default)]
    pub attributes: Vec<String>,
}

/// `mcast-groups`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct McastGroups {
    #[serde(default)]
    pub list: Vec<McastGroup>,
}

/// One multicast group.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct McastGroup {
    pub name: String,
}
