//! What `genl --json` prints: the data of [`genl_text`](crate::genl_text)'s text as
//! serializable values, field for field.
//!
//! - [`Family`]: `genl list --json` (an array of them), `genl get --json`;
//! - [`Policy`]: `genl policy --json`, the policy tables flat by index (the text expands nested
//!   tables below the attribute that refers to them; here `policy_idx` refers to them).
//!
//! ```
//! use netlink_genl::{FamilyInfo, GroupInfo, OpInfo};
//! let f = FamilyInfo {
//!     name: "nlctrl".into(), id: 0x10, version: 2, hdrsize: 0, maxattr: 0,
//!     ops: vec![OpInfo { cmd: 3, flags: 0xe }],
//!     groups: vec![GroupInfo { name: "notify".into(), id: 0x10 }],
//! };
//! let json = serde_json::to_string(&example_families::genl_json::Family::from(&f)).unwrap();
//! assert_eq!(
//!     json,
//!     r#"{"name":"nlctrl","id":16,"version":2,"hdrsize":0,"maxattr":0,"#.to_owned()
//!         + r#""ops":[{"id":3,"flags":14,"capabilities":["can doit","can dumpit","has policy"]}],"#
//!         + r#""groups":[{"id":16,"name":"notify"}]}"#
//! );
//! ```

use std::collections::BTreeSet;

use netlink_genl::PolicyInfo;
use netlink_genl::ctrl::{Ctrl, PolicyDump, op_flags};
use netlink_genl::{FamilyInfo, GenlMessage};
use serde::Serialize;

use crate::genl_text::top_level_names;

/// One family: what `genl get` prints (`Name`, `ID`, `Version`, `header size`, `max attribs`,
/// the commands with their capabilities, the multicast groups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Family {
    /// The family name.
    pub name: String,
    /// The family id.
    pub id: u16,
    /// The interface version.
    pub version: u32,
    /// The size of the fixed user header.
    pub hdrsize: u32,
    /// The largest attribute id.
    pub maxattr: u32,
    /// The operations, in the kernel's order.
    pub ops: Vec<Op>,
    /// The multicast groups, in the kernel's order.
    pub groups: Vec<Group>,
}

/// One operation of a [`Family`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    /// The command number.
    pub id: u32,
    /// The `GENL_*` flags.
    pub flags: u32,
    /// The flags in words, as the text has them (`can doit`, ...).
    pub capabilities: Vec<&'static str>,
}

/// One multicast group of a [`Family`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The group number.
    pub id: u32,
    /// The group name.
    pub name: String,
}

impl From<&FamilyInfo> for Family {
    fn from(f: &FamilyInfo) -> Self {
        Family {
            name: f.name.clone(),
            id: f.id,
            version: f.version,
            hdrsize: f.hdrsize,
            maxattr: f.maxattr,
            ops: f
                .ops
                .iter()
                .map(|o| Op {
                    id: o.cmd,
                    flags: o.flags,
                    capabilities: op_flags::describe(o.flags),
                })
                .collect(),
            groups: f
                .groups
                .iter()
                .map(|g| Group {
                    id: g.id,
                    name: g.name.clone(),
                })
                .collect(),
        }
    }
}

/// `genl policy`: a family's operations with their policy tables, and the tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// The family name.
    pub family: String,
    /// The family id.
    pub id: u16,
    /// The messages of the dump.
    pub messages: usize,
    /// The dump was interrupted (`NLM_F_DUMP_INTR`): retry for a consistent view.
    pub interrupted: bool,
    /// The operations with policies (command 0: the dump-only operations).
    pub ops: Vec<OpPolicy>,
    /// Every policy table, by index.
    pub policies: Vec<Table>,
}

/// One operation of a [`Policy`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpPolicy {
    /// The command number.
    pub cmd: u32,
    /// Its name, where the program knows the family's types (nlctrl).
    pub name: Option<&'static str>,
    /// Its flags in words, when the family lists the operation.
    pub flags: Option<Vec<&'static str>>,
    /// The policy table of the do handler.
    #[serde(rename = "do")]
    pub do_policy: Option<u32>,
    /// The policy table of the dump handler.
    #[serde(rename = "dump")]
    pub dump_policy: Option<u32>,
}

/// One policy table of a [`Policy`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The table's index.
    pub index: u32,
    /// Its attributes, by id.
    pub attrs: Vec<AttrRule>,
}

/// The policy of one attribute: the fields of `genl policy`'s `attr N (name): TYPE bounds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttrRule {
    /// The attribute id.
    pub attr: u16,
    /// Its name, where the program knows the family's types (nlctrl, in the tables its
    /// operations use directly).
    pub name: Option<&'static str>,
    /// The kernel's type name (`u32`, `nul-string`, `nested`, ...).
    #[serde(rename = "type")]
    pub ty: Option<&'static str>,
    /// The type number, when the program has no name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_id: Option<u32>,
    /// Smallest value (signed types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value_s: Option<i64>,
    /// Largest value (signed types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value_s: Option<i64>,
    /// Smallest value (unsigned types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value_u: Option<u64>,
    /// Largest value (unsigned types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value_u: Option<u64>,
    /// Shortest payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Longest payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// The table of a nest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_idx: Option<u32>,
    /// The largest attribute of that table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_maxtype: Option<u32>,
    /// The valid bits of a `bitfield32`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitfield32_mask: Option<u32>,
    /// The valid bits of an integer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<u64>,
}

impl AttrRule {
    fn new(attr: u16, name: Option<&'static str>, p: &PolicyInfo) -> Self {
        let ty = p.type_name();
        AttrRule {
            attr,
            name,
            ty,
            type_id: p.ty.filter(|_| ty.is_none()),
            min_value_s: p.min_value_s,
            max_value_s: p.max_value_s,
            min_value_u: p.min_value_u,
            max_value_u: p.max_value_u,
            min_length: p.min_length,
            max_length: p.max_length,
            policy_idx: p.policy_idx,
            policy_maxtype: p.policy_maxtype,
            bitfield32_mask: p.bitfield32_mask,
            mask: p.mask,
        }
    }
}

impl Policy {
    /// The policies of `info` from its `GETPOLICY` dump.
    pub fn new(info: &FamilyInfo, dump: &PolicyDump) -> Self {
        let family = info.name.as_str();
        let names = top_level_names(family);
        // Attribute names go where the text puts them: the tables operations use directly
        // (all tables, for families that report no operations).
        let top: BTreeSet<u32> = if dump.ops.is_empty() {
            dump.policies.keys().copied().collect()
        } else {
            dump.ops
                .values()
                .flat_map(|p| [p.do_policy, p.dump_policy])
                .flatten()
                .collect()
        };
        Policy {
            family: family.to_owned(),
            id: info.id,
            messages: dump.messages,
            interrupted: dump.interrupted,
            ops: dump
                .ops
                .iter()
                .map(|(cmd, p)| OpPolicy {
                    cmd: *cmd,
                    name: u8::try_from(*cmd)
                        .ok()
                        .filter(|&c| c != 0 && family == Ctrl::FAMILY)
                        .and_then(Ctrl::command_name),
                    flags: (*cmd != 0)
                        .then(|| info.op(*cmd).map(|o| op_flags::describe(o.flags)))
                        .flatten(),
                    do_policy: p.do_policy,
                    dump_policy: p.dump_policy,
                })
                .collect(),
            policies: dump
                .policies
                .iter()
                .map(|(idx, attrs)| Table {
                    index: *idx,
                    attrs: attrs
                        .iter()
                        .map(|(attr, p)| {
                            let name = names.filter(|_| top.contains(idx)).and_then(|f| f(*attr));
                            AttrRule::new(*attr, name, p)
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
