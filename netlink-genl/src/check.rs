//! Reconciliation: a family's types against the running kernel.
//!
//! [`GenlSocket::check_schema`](crate::GenlSocket::check_schema) (and its async twin) resolves
//! a [`GenlMessage`](crate::GenlMessage) type's family, reads its operations (`CTRL_CMD_GETFAMILY`) and, for each
//! operation the type declares (`#[genl(do(..))]`, `#[genl(dump(..))]`), the kernel's policy
//! (`CTRL_CMD_GETPOLICY`), and compares them with what the type says ([`compare`]). The answer
//! is a [`SchemaReport`]: one [`Finding`] per difference, with its [`Severity`], its
//! [`FindingKind`], the field path (`DevGet.do.request.ifindex`) and both policies, the type's
//! (computed by [`policy`](crate::policy)) and the kernel's.
//!
//! # What is compared
//!
//! | kind | severity | when |
//! |---|---|---|
//! | [`MissingCommand`](FindingKind::MissingCommand) | mismatch | the type declares a command as a do or dump, the kernel has no such command |
//! | [`Capability`](FindingKind::Capability) | mismatch | declared as a do (dump), the kernel's command has no do (dump) handler (`GENL_CMD_CAP_DO`/`DUMP`) |
//! | [`Capability`](FindingKind::Capability) | note | the kernel's command also has a do (dump) handler the type does not declare |
//! | [`Permission`](FindingKind::Permission) | warning | the kernel's command requires a permission (`GENL_ADMIN_PERM`, `GENL_UNS_ADMIN_PERM`) the type does not declare (`#[genl(admin_perm)]`): unprivileged, a request gets `EPERM` |
//! | [`Permission`](FindingKind::Permission) | note | the type declares a permission the kernel's command does not require |
//! | [`NotAccepted`](FindingKind::NotAccepted) | mismatch | an attribute the request declares (`do(request(..))`) that the kernel's operation policy does not list (a strict kernel rejects it; without a policy the kernel ignores it) |
//! | [`NotAccepted`](FindingKind::NotAccepted) | warning | the same for an attribute of a nested set (a nest cannot declare which of its attributes a request sends) |
//! | [`NotAccepted`](FindingKind::NotAccepted) | note | the same for a request that declares no attribute list (`do` alone): the set has the attribute, a request that sets it fails |
//! | [`KernelOnly`](FindingKind::KernelOnly) | warning | the kernel's policy has an attribute the type's set lacks. `GETPOLICY` does not say which attributes a handler requires, so it may be a required one: a request without it may fail |
//! | [`NotDeclared`](FindingKind::NotDeclared) | note | the kernel's policy has an attribute the set has but the request does not declare |
//! | [`Type`](FindingKind::Type) | mismatch | the field's kind does not fit the kernel's type (table below): a `u16` for a `u32`, a string for binary, a flag for a `u8` |
//! | [`Bounds`](FindingKind::Bounds) | mismatch | the field can hold a value (length) the kernel's policy rejects: a `u32` for `u32 max 255`, unless the field's own checks (`#[nla(max = 255)]`) keep it within |
//! | [`Bounds`](FindingKind::Bounds) | warning | the kernel's policy has a bit mask the field can exceed (its flags have other bits, or it is not flags) |
//! | [`Nest`](FindingKind::Nest) | mismatch | a nest of another shape: a nested set for the kernel's nested array, or the reverse; the attributes of nested policies are compared as above, with their path |
//! | [`Unchecked`](FindingKind::Unchecked) | note | a value type of your own (`AttrKind::Unknown`): its payload is not compared; a big-endian 16- or 32-bit field (or IPv4 address) missing from the kernel's policy: the kernel's policy dump omits `NLA_BE16`/`NLA_BE32` attributes (seen on 6.18: mptcp_pm's `addr4`), so whether it accepts it is not known |
//! | [`MissingGroup`](FindingKind::MissingGroup) | mismatch | a multicast group the type declares (`groups(..)`) that the kernel's family does not have |
//! | [`Header`](FindingKind::Header) | mismatch | the type's fixed user header is not the size the kernel reports |
//! | [`UndeclaredCommand`](FindingKind::UndeclaredCommand) | note | the kernel has a command the type does not declare as a do or dump |
//!
//! Kinds that fit (the kernel's `NL_ATTR_TYPE_*` for each field kind; anything else is a
//! [`Type`](FindingKind::Type) mismatch):
//!
//! | field kind | kernel types it fits |
//! |---|---|
//! | `u8` | `u8` |
//! | `u16`, big-endian `u16` | `u16` (the dump has no byte order; a kernel that declares `NLA_BE16` omits the attribute from its dump) |
//! | `u32`, big-endian `u32`, IPv4 address | `u32`; `u32` also `uint` (4 bytes are a valid `NLA_UINT`) |
//! | `u64`, big-endian `u64` | `u64`; `u64` also `uint` |
//! | `i8` … `i64` | `s8` … `s64`; `i32` and `i64` also `sint` |
//! | `uint` (`#[nla(uint)]`) | `uint` |
//! | `sint` | `sint` |
//! | string | `string`, `nul-string` |
//! | bytes | `binary` |
//! | IPv6 address | `binary` (of length 16) |
//! | flag | `flag` |
//! | nested set | `nested` |
//! | indexed array | `nested-array` |
//! | keyed nest | `nested` (its entries are not compared) |
//! | sub-message | `nested` (its layout depends on the selector: not compared) |
//! | enum | what its integer fits |
//! | packed array | `binary` |
//! | bitfield32 | `bitfield32` |
//! | value type of your own | anything (a note) |
//!
//! Bounds: an integer field's range is its type's, narrowed by its `min`/`max` checks and
//! those its enum implies ([`AttrInfo::policy_checks`]: a contiguous enum's smallest and
//! largest value; flags any combination of their bits), and must lie within the kernel's
//! `MIN_VALUE`/`MAX_VALUE`, its bits within the kernel's `MASK`; a string's maximum length (without
//! the NUL) must be at most the kernel's `MAX_LENGTH`; bytes' minimum and maximum lengths must
//! lie within the kernel's `MIN_LENGTH`/`MAX_LENGTH`. A field narrower than the kernel's
//! bounds is fine.
//!
//! Kernel errors while reading the kernel's side (`GETFAMILY`, `GETPOLICY`) are the call's
//! [`Error`](crate::Error), not findings: a report only says what was compared. An operation
//! without a policy (`GETPOLICY` answers `ENODATA`) accepts no attributes: the kernel does not
//! parse them.

use std::collections::BTreeMap;
use std::fmt;

use netlink_genl_core::PolicyInfo;
use netlink_genl_core::consts::policy::types;
use netlink_genl_core::schema::{AttrInfo, AttrKind, Schema};

use crate::ctrl::{PolicyDump, op_flags};
use crate::family::FamilyInfo;
use crate::message::MessageSchema;
use crate::policy::{PolicySet, info_policy};

/// How much a [`Finding`] matters, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// A difference that breaks nothing the type declares (an undeclared command, an
    /// attribute the set has but the request does not declare).
    Note,
    /// A difference that may break a request: an attribute the kernel has and the type lacks
    /// (possibly a required one), an attribute of a nest the kernel does not accept.
    Warning,
    /// The type and the kernel disagree: a request the type declares can fail, or a value
    /// the type holds can be rejected.
    Mismatch,
}

impl Severity {
    /// `note`, `warning`, `mismatch`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Mismatch => "mismatch",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// What a [`Finding`] is about (see the [module](self) table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FindingKind {
    /// The type declares a command the kernel does not have.
    MissingCommand,
    /// The type's do/dump declaration and the kernel's `GENL_CMD_CAP_DO`/`DUMP` differ.
    Capability,
    /// An attribute the type can send that the kernel's policy does not accept.
    NotAccepted,
    /// An attribute of the kernel's policy that the type's set does not have (maybe required).
    KernelOnly,
    /// An attribute of the kernel's policy that the set has but the request does not declare.
    NotDeclared,
    /// The field's kind does not fit the kernel's attribute type.
    Type,
    /// The field can hold values (lengths) the kernel's policy rejects.
    Bounds,
    /// A nest of another shape than the kernel's.
    Nest,
    /// A value type of your own, not compared.
    Unchecked,
    /// A multicast group the kernel's family does not have.
    MissingGroup,
    /// The fixed user header's size differs from the kernel's.
    Header,
    /// A kernel command the type does not declare as a do or dump.
    UndeclaredCommand,
    /// The type's `admin_perm` / `uns_admin_perm` and the kernel's `GENL_ADMIN_PERM` /
    /// `GENL_UNS_ADMIN_PERM` differ.
    Permission,
}

impl FindingKind {
    /// The kind's name in reports (`not-accepted`, `type`, ...).
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::MissingCommand => "missing-command",
            FindingKind::Capability => "capability",
            FindingKind::Permission => "permission",
            FindingKind::NotAccepted => "not-accepted",
            FindingKind::KernelOnly => "kernel-only",
            FindingKind::NotDeclared => "not-declared",
            FindingKind::Type => "type",
            FindingKind::Bounds => "bounds",
            FindingKind::Nest => "nest",
            FindingKind::Unchecked => "unchecked",
            FindingKind::MissingGroup => "missing-group",
            FindingKind::Header => "header",
            FindingKind::UndeclaredCommand => "undeclared-command",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One difference between a type and the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// What it is about.
    pub kind: FindingKind,
    /// Where: `Variant.do.request.field.nested_field` (an attribute the type lacks by its id,
    /// `Variant.do.request.[7]`), `Variant`, `Variant.dump`, `groups.NAME`, `header`, or
    /// `[cmd N]` for a kernel command the type does not declare.
    pub path: String,
    /// What happens, in words.
    pub message: String,
    /// The type's policy for the attribute (what the fake kernel would advertise).
    pub expected: Option<PolicyInfo>,
    /// The kernel's policy for the attribute (without its nested policy's index).
    pub found: Option<PolicyInfo>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<8} {:<18} {}: {}",
            self.severity, self.kind, self.path, self.message
        )?;
        match (&self.expected, &self.found) {
            (Some(e), Some(k)) => write!(f, " (type: {e}; kernel: {k})"),
            (Some(e), None) => write!(f, " (type: {e})"),
            (None, Some(k)) => write!(f, " (kernel: {k})"),
            (None, None) => Ok(()),
        }
    }
}

/// What [`check_schema`](crate::GenlSocket::check_schema) found: a type's declarations
/// against the kernel's family, one [`Finding`] per difference.
///
/// ```
/// use netlink_genl::check::{Severity, SchemaReport};
///
/// let report = SchemaReport::new("demo", "Demo", 3, Vec::new());
/// assert!(report.is_clean());
/// assert_eq!(report.count(Severity::Mismatch), 0);
/// assert_eq!(report.to_string(), "Demo against the kernel's demo (3 operations compared): clean\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaReport {
    /// The kernel family's name.
    pub family: String,
    /// The type's name.
    pub type_name: String,
    /// The number of operations (do or dump handlers) compared with a kernel policy.
    pub compared: usize,
    /// The differences, most severe first, then by path.
    pub findings: Vec<Finding>,
}

impl SchemaReport {
    /// A report of `findings` (sorted, most severe first).
    pub fn new(family: &str, type_name: &str, compared: usize, mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.kind.cmp(&b.kind))
        });
        SchemaReport {
            family: family.to_owned(),
            type_name: type_name.to_owned(),
            compared,
            findings,
        }
    }

    /// No [`Mismatch`](Severity::Mismatch) (warnings and notes may remain).
    pub fn is_clean(&self) -> bool {
        self.mismatches() == 0
    }

    /// The number of mismatches.
    pub fn mismatches(&self) -> usize {
        self.count(Severity::Mismatch)
    }

    /// The number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The findings at `path`.
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.path == path)
    }
}

impl SchemaReport {
    /// The first line of the [`Display`](fmt::Display): what was compared and how many
    /// findings of each severity (`Netdev against the kernel's netdev (12 operations
    /// compared): 2 mismatches, 1 warning`), without a line end.
    pub fn summary(&self) -> String {
        let mut s = format!("{} against the kernel's {} ", self.type_name, self.family);
        match self.compared {
            0 => s.push_str("(no operation compared): "),
            1 => s.push_str("(1 operation compared): "),
            n => s.push_str(&format!("({n} operations compared): ")),
        }
        if self.findings.is_empty() {
            s.push_str("clean");
            return s;
        }
        let counts: Vec<String> = [Severity::Mismatch, Severity::Warning, Severity::Note]
            .into_iter()
            .map(|s| (s, self.count(s)))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| match (s, n) {
                (_, 1) => format!("1 {s}"),
                (Severity::Mismatch, n) => format!("{n} mismatches"),
                (s, n) => format!("{n} {s}s"),
            })
            .collect();
        s.push_str(&counts.join(", "));
        s
    }
}

impl fmt::Display for SchemaReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for x in &self.findings {
            writeln!(f, "  {x}")?;
        }
        Ok(())
    }
}

/// The kernel's side of one operation: its do and dump policies (`None`: no policy).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelPolicies {
    /// The operation's `GETPOLICY` dump (restricted to it with `CTRL_ATTR_OP`); `None`: the
    /// kernel answered `ENODATA` (no policy).
    pub dump: Option<PolicyDump>,
}

impl KernelPolicies {
    fn table(&self, dump: bool) -> Option<(&PolicyDump, u32)> {
        let d = self.dump.as_ref()?;
        // One operation: its entry is keyed by the command, or 0 when it is dump-only.
        let op = d.ops.values().next()?;
        let idx = if dump { op.dump_policy } else { op.do_policy }?;
        Some((d, idx))
    }
}

static EMPTY: Schema = Schema::new("(none)", &[]);

/// How deep nested policies are followed.
const MAX_DEPTH: u32 = 8;

/// Compare the type described by `schema` (with a fixed user header of `hdrsize` bytes) with
/// the kernel's family `family` and the policies of its operations (`policies`, by command:
/// what `GETPOLICY` with `CTRL_ATTR_OP` answered; commands missing from the map were not read
/// and are compared as having no policy). What [`GenlSocket::check_schema`](crate::GenlSocket::check_schema)
/// runs once it has read the kernel's side.
pub fn compare(
    schema: &'static MessageSchema,
    hdrsize: usize,
    family: &FamilyInfo,
    policies: &BTreeMap<u8, KernelPolicies>,
) -> SchemaReport {
    let mut out = Vec::new();
    let mut compared = 0;
    if usize::try_from(family.hdrsize).ok() != Some(hdrsize) {
        out.push(finding(
            Severity::Mismatch,
            FindingKind::Header,
            "header".to_owned(),
            format!(
                "the type's user header has {hdrsize} bytes, the kernel's family {}",
                family.hdrsize
            ),
        ));
    }
    for g in schema.groups {
        if family.group_id(g).is_none() {
            let have: Vec<&str> = family.groups.iter().map(|g| g.name.as_str()).collect();
            out.push(finding(
                Severity::Mismatch,
                FindingKind::MissingGroup,
                format!("groups.{g}"),
                format!(
                    "the kernel's family has no multicast group {g:?} (it has {})",
                    list(&have)
                ),
            ));
        }
    }
    let declared: Vec<_> = schema
        .commands
        .iter()
        .filter(|c| c.doit.is_some() || c.dumpit.is_some())
        .collect();
    for c in &declared {
        let Some(op) = family.op(u32::from(c.cmd)) else {
            out.push(finding(
                Severity::Mismatch,
                FindingKind::MissingCommand,
                c.name.to_owned(),
                format!(
                    "declared as command {} ({}), which the kernel's {} does not have",
                    c.cmd,
                    handlers(c.doit.is_some(), c.dumpit.is_some()),
                    family.name
                ),
            ));
            continue;
        };
        let kernel = policies.get(&c.cmd).cloned().unwrap_or_default();
        for (what, decl, can, dump) in [
            ("do", c.doit, op.can_do(), false),
            ("dump", c.dumpit, op.can_dump(), true),
        ] {
            let path = format!("{}.{what}", c.name);
            match (decl, can) {
                (Some(_), false) => out.push(finding(
                    Severity::Mismatch,
                    FindingKind::Capability,
                    path,
                    format!(
                        "declared as a {what}, but the kernel's command {} has no {what} \
                         handler (it {})",
                        c.cmd,
                        describe_flags(op.flags)
                    ),
                )),
                (None, true) => out.push(finding(
                    Severity::Note,
                    FindingKind::Capability,
                    path,
                    format!(
                        "the kernel's command {} also has a {what} handler, which the type \
                         does not declare",
                        c.cmd
                    ),
                )),
                (Some(attrs), true) => {
                    compared += 1;
                    let ours =
                        PolicySet::of_op(schema, c.cmd, dump).unwrap_or(PolicySet::whole(&EMPTY));
                    let table = kernel.table(dump);
                    let mut cx = Cx {
                        out: &mut out,
                        dump: table.map(|(d, _)| d),
                    };
                    let ktable = table.map(|(d, i)| d.policy(i).cloned().unwrap_or_default());
                    cx.compare_set(
                        &format!("{path}.request"),
                        ours,
                        attrs.request.is_some(),
                        ktable.as_ref(),
                        0,
                    );
                }
                (None, false) => {}
            }
        }
        let perm = op_flags::ADMIN_PERM | op_flags::UNS_ADMIN_PERM;
        let (ours, theirs) = (c.flags.genl_flags(), op.flags & perm);
        if ours != theirs {
            let said = |f: u32| {
                let mut v = Vec::new();
                if f & op_flags::ADMIN_PERM != 0 {
                    v.push("admin_perm (CAP_NET_ADMIN)");
                }
                if f & op_flags::UNS_ADMIN_PERM != 0 {
                    v.push("uns_admin_perm (CAP_NET_ADMIN in the netns's user namespace)");
                }
                if v.is_empty() {
                    "no permission".to_owned()
                } else {
                    v.join(" and ")
                }
            };
            let severity = if theirs & !ours != 0 {
                Severity::Warning
            } else {
                Severity::Note
            };
            out.push(finding(
                severity,
                FindingKind::Permission,
                c.name.to_owned(),
                format!(
                    "the type declares {}, the kernel's command {} requires {}",
                    said(ours),
                    c.cmd,
                    said(theirs)
                ),
            ));
        }
    }
    if !declared.is_empty() {
        for op in &family.ops {
            let known = declared.iter().any(|c| u32::from(c.cmd) == op.cmd);
            if !known && op.flags & (op_flags::CAP_DO | op_flags::CAP_DUMP) != 0 {
                out.push(finding(
                    Severity::Note,
                    FindingKind::UndeclaredCommand,
                    format!("[cmd {}]", op.cmd),
                    format!(
                        "the kernel's command {} ({}) is not declared by the type",
                        op.cmd,
                        handlers(op.can_do(), op.can_dump())
                    ),
                ));
            }
        }
    }
    SchemaReport::new(&family.name, schema.name, compared, out)
}

fn list(v: &[&str]) -> String {
    if v.is_empty() {
        "none".to_owned()
    } else {
        v.join(", ")
    }
}

fn handlers(doit: bool, dumpit: bool) -> &'static str {
    match (doit, dumpit) {
        (true, true) => "do and dump",
        (true, false) => "do",
        (false, true) => "dump",
        (false, false) => "no handler",
    }
}

fn describe_flags(flags: u32) -> String {
    let v = op_flags::describe(flags);
    if v.is_empty() {
        "has no flags".to_owned()
    } else {
        format!("says: {}", v.join(", "))
    }
}

fn finding(severity: Severity, kind: FindingKind, path: String, message: String) -> Finding {
    Finding {
        severity,
        kind,
        path,
        message,
        expected: None,
        found: None,
    }
}

/// The kernel's policy as shown in a finding: without the nested policy's index (a number
/// of this dump only).
fn shown(p: &PolicyInfo) -> PolicyInfo {
    let mut p = *p;
    p.policy_idx = None;
    p
}

/// The comparison of one operation.
struct Cx<'a> {
    out: &'a mut Vec<Finding>,
    /// The kernel's dump of the operation (its nested policies).
    dump: Option<&'a PolicyDump>,
}

impl Cx<'_> {
    fn push(
        &mut self,
        severity: Severity,
        kind: FindingKind,
        path: String,
        message: String,
        expected: Option<PolicyInfo>,
        found: Option<&PolicyInfo>,
    ) {
        self.out.push(Finding {
            severity,
            kind,
            path,
            message,
            expected,
            found: found.map(shown),
        });
    }

    /// `ours` (the attributes the type can send; `declared`: a list the request declares)
    /// against the kernel's policy `kernel` (`None`: the operation has no policy) at `path`.
    fn compare_set(
        &mut self,
        path: &str,
        ours: PolicySet,
        declared: bool,
        kernel: Option<&BTreeMap<u16, PolicyInfo>>,
        depth: u32,
    ) {
        let attrs = ours.attrs();
        for a in &attrs {
            let at = format!("{path}.{}", a.name);
            match kernel.and_then(|k| k.get(&a.id)) {
                Some(k) => self.compare_attr(&at, a, k, depth),
                // The kernel's policy dump writes nothing for NLA_BE16/NLA_BE32: a big-endian
                // attribute is missing from it even where the policy accepts it.
                None if kernel.is_some() && big_endian(&a.kind) => self.push(
                    Severity::Note,
                    FindingKind::Unchecked,
                    at,
                    "big-endian: the kernel's policy dump omits NLA_BE16/NLA_BE32 attributes, \
                     so whether it accepts this one is not known"
                        .to_owned(),
                    Some(info_policy(a)),
                    None,
                ),
                None => {
                    let severity = match (depth, declared) {
                        (0, true) => Severity::Mismatch,
                        (0, false) => Severity::Note,
                        _ => Severity::Warning,
                    };
                    let why = if kernel.is_none() {
                        "the kernel's operation has no policy: it ignores the request's \
                         attributes"
                            .to_owned()
                    } else {
                        format!(
                            "the kernel's policy does not accept attribute {} (a strict \
                             kernel rejects a request with it)",
                            a.id
                        )
                    };
                    let message = match (depth, declared) {
                        (0, false) => format!("{why}; the request does not declare its attributes"),
                        _ => why,
                    };
                    self.push(
                        severity,
                        FindingKind::NotAccepted,
                        at,
                        message,
                        Some(info_policy(a)),
                        None,
                    );
                }
            }
        }
        let Some(kernel) = kernel else { return };
        for (id, k) in kernel {
            if attrs.iter().any(|a| a.id == *id) {
                continue;
            }
            match ours.set.attr(*id) {
                Some(a) => self.push(
                    Severity::Note,
                    FindingKind::NotDeclared,
                    format!("{path}.{}", a.name),
                    format!(
                        "the kernel accepts attribute {id}, which the set has but the request \
                         does not declare"
                    ),
                    None,
                    Some(k),
                ),
                None => self.push(
                    Severity::Warning,
                    FindingKind::KernelOnly,
                    format!("{path}.[{id}]"),
                    format!(
                        "the kernel's policy has attribute {id}, which {} lacks (GETPOLICY does \
                         not say whether the kernel requires it)",
                        ours.set.name
                    ),
                    None,
                    Some(k),
                ),
            }
        }
    }

    /// The kernel's nested policy `idx` (an empty one when the dump lists no attribute).
    fn nested(&self, idx: u32) -> BTreeMap<u16, PolicyInfo> {
        self.dump
            .and_then(|d| d.policy(idx))
            .cloned()
            .unwrap_or_default()
    }

    fn compare_attr(&mut self, path: &str, a: &AttrInfo, k: &PolicyInfo, depth: u32) {
        let ours = info_policy(a);
        let Some(kty) = k.ty else {
            self.push(
                Severity::Warning,
                FindingKind::Type,
                path.to_owned(),
                "the kernel's policy has no type".to_owned(),
                Some(ours),
                Some(k),
            );
            return;
        };
        if matches!(a.kind, AttrKind::Unknown) {
            self.push(
                Severity::Note,
                FindingKind::Unchecked,
                path.to_owned(),
                "a value type of its own: not compared".to_owned(),
                Some(ours),
                Some(k),
            );
            return;
        }
        if !fits(&a.kind, kty) {
            let nest = a.kind.is_nest() && matches!(kty, types::NESTED | types::NESTED_ARRAY);
            let kind = if nest {
                FindingKind::Nest
            } else {
                FindingKind::Type
            };
            self.push(
                Severity::Mismatch,
                kind,
                path.to_owned(),
                format!(
                    "the field is {}, the kernel's attribute is {}",
                    kind_name(&a.kind),
                    types::name(kty).unwrap_or("of an unknown type")
                ),
                Some(ours),
                Some(k),
            );
            return;
        }
        self.bounds(path, a, &ours, k);
        if depth + 1 >= MAX_DEPTH {
            return;
        }
        let inner = match &a.kind {
            AttrKind::Nested(f) => Some(f()),
            AttrKind::Array(elem) => elem.nested(),
            _ => None,
        };
        if let (Some(set), Some(idx)) = (inner, k.policy_idx) {
            let table = self.nested(idx);
            self.compare_set(path, PolicySet::whole(set), false, Some(&table), depth + 1);
        }
    }

    fn bounds(&mut self, path: &str, a: &AttrInfo, ours: &PolicyInfo, k: &PolicyInfo) {
        let mut exceed = |what: String| {
            self.push(
                Severity::Mismatch,
                FindingKind::Bounds,
                path.to_owned(),
                what,
                Some(*ours),
                Some(k),
            );
        };
        let lo = |p: &PolicyInfo| {
            p.min_value_u
                .map(i128::from)
                .or(p.min_value_s.map(i128::from))
        };
        let hi = |p: &PolicyInfo| {
            p.max_value_u
                .map(i128::from)
                .or(p.max_value_s.map(i128::from))
        };
        // Flags hold any combination of their bits: at most the mask.
        let held = match ours.mask {
            Some(m) => Some((0, i128::from(m))),
            None => lo(ours).zip(hi(ours)),
        };
        if let Some((ol, oh)) = held {
            let kl = lo(k);
            let kh = hi(k);
            if kl.is_some_and(|kl| ol < kl) || kh.is_some_and(|kh| oh > kh) {
                exceed(format!(
                    "the field holds {ol}..={oh}, the kernel accepts {}..={}",
                    kl.map_or("*".to_owned(), |v| v.to_string()),
                    kh.map_or("*".to_owned(), |v| v.to_string())
                ));
            }
        }
        match a.kind.base() {
            AttrKind::String => {
                if let Some(kmax) = k.max_length {
                    if ours.max_length.is_none_or(|m| m > kmax) {
                        let held = ours.max_length.map_or("of any length".to_owned(), |m| {
                            format!("of up to {m} bytes")
                        });
                        exceed(format!(
                            "the field holds strings {held}, the kernel at most {kmax} bytes \
                             (declare max_len = {kmax})"
                        ));
                    }
                }
            }
            AttrKind::Binary | AttrKind::Ipv6 => {
                let omin = ours.min_length.unwrap_or(0);
                if let Some(kmin) = k.min_length.filter(|&m| omin < m) {
                    exceed(format!(
                        "the field holds {omin} bytes or more, the kernel needs at least {kmin}"
                    ));
                }
                if let Some(kmax) = k.max_length {
                    if ours.max_length.is_none_or(|m| m > kmax) {
                        exceed(format!(
                            "the field holds more bytes than the kernel's maximum of {kmax}"
                        ));
                    }
                }
            }
            _ => {}
        }
        if let Some(valid) = k.bitfield32_mask {
            let held = ours.bitfield32_mask.unwrap_or(u32::MAX);
            if held & !valid != 0 {
                self.push(
                    Severity::Warning,
                    FindingKind::Bounds,
                    path.to_owned(),
                    format!(
                        "the kernel's bitfield32 accepts only the bits of {valid:#x}, the \
                         field's {held:#x} (declare mask = {valid:#x})"
                    ),
                    Some(*ours),
                    Some(k),
                );
            }
        }
        if let Some(mask) = k.mask {
            let within = match ours.mask {
                Some(m) => m & !mask == 0,
                None => hi(ours).is_some_and(|h| {
                    u64::try_from(h)
                        .is_ok_and(|h| h & !mask == 0 && mask.wrapping_add(1) & mask == 0)
                }),
            };
            if !within {
                let held = ours
                    .mask
                    .map_or(String::new(), |m| format!(" (the field: {m:#x})"));
                self.push(
                    Severity::Warning,
                    FindingKind::Bounds,
                    path.to_owned(),
                    format!("the kernel accepts only the bits of mask {mask:#x}{held}"),
                    Some(*ours),
                    Some(k),
                );
            }
        }
    }
}

/// Whether `kind` is one the kernel declares `NLA_BE16`/`NLA_BE32` (absent from policy dumps).
fn big_endian(kind: &AttrKind) -> bool {
    matches!(
        kind.base(),
        AttrKind::Be16 | AttrKind::Be32 | AttrKind::Ipv4
    )
}

/// Whether a field of `kind` fits the kernel's attribute type `ty` (the module's table).
pub fn fits(kind: &AttrKind, ty: u32) -> bool {
    use types as t;
    match kind {
        AttrKind::Bitfield32 => ty == t::BITFIELD32,
        AttrKind::Packed(_) => ty == t::BINARY,
        AttrKind::SubMessage { .. } => ty == t::NESTED,
        AttrKind::Enum(_) => fits(&kind.base(), ty),
        AttrKind::Unknown => true,
        AttrKind::Flag => ty == t::FLAG,
        AttrKind::U8 => ty == t::U8,
        AttrKind::U16 | AttrKind::Be16 => ty == t::U16,
        AttrKind::U32 => matches!(ty, t::U32 | t::UINT),
        AttrKind::Be32 | AttrKind::Ipv4 => ty == t::U32,
        AttrKind::U64 => matches!(ty, t::U64 | t::UINT),
        AttrKind::Be64 => ty == t::U64,
        AttrKind::I8 => ty == t::S8,
        AttrKind::I16 => ty == t::S16,
        AttrKind::I32 => matches!(ty, t::S32 | t::SINT),
        AttrKind::I64 => matches!(ty, t::S64 | t::SINT),
        AttrKind::Uint => ty == t::UINT,
        AttrKind::Sint => ty == t::SINT,
        AttrKind::String => matches!(ty, t::STRING | t::NUL_STRING),
        AttrKind::Binary | AttrKind::Ipv6 => ty == t::BINARY,
        AttrKind::Nested(_) | AttrKind::Keyed(_) => ty == t::NESTED,
        AttrKind::Array(_) => ty == t::NESTED_ARRAY,
        _ => false,
    }
}

/// A field kind in words.
fn kind_name(kind: &AttrKind) -> &'static str {
    match kind {
        AttrKind::Unknown => "a value type of its own",
        AttrKind::Flag => "a flag",
        AttrKind::U8 => "a u8",
        AttrKind::U16 => "a u16",
        AttrKind::U32 => "a u32",
        AttrKind::U64 => "a u64",
        AttrKind::I8 => "an i8",
        AttrKind::I16 => "an i16",
        AttrKind::I32 => "an i32",
        AttrKind::I64 => "an i64",
        AttrKind::Uint => "a uint",
        AttrKind::Sint => "a sint",
        AttrKind::Be16 => "a big-endian u16",
        AttrKind::Be32 => "a big-endian u32",
        AttrKind::Be64 => "a big-endian u64",
        AttrKind::String => "a string",
        AttrKind::Binary => "bytes",
        AttrKind::Ipv4 => "an IPv4 address",
        AttrKind::Ipv6 => "an IPv6 address",
        AttrKind::Nested(_) => "a nested set",
        AttrKind::Array(_) => "an indexed array",
        AttrKind::Keyed(_) => "a keyed nest",
        AttrKind::SubMessage { .. } => "a sub-message",
        AttrKind::Enum(e) => kind_name(e.kind),
        AttrKind::Packed(_) => "a packed array",
        AttrKind::Bitfield32 => "a bitfield32",
        _ => "of another kind",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctrl::OpPolicy;
    use crate::family::OpInfo;
    use crate::message::{CommandInfo, OpAttrs};
    use netlink_genl_core::schema::Checks;

    static INNER: Schema = Schema::new("Inner", &[AttrInfo::new(1, "x", AttrKind::U32)]);
    fn inner() -> &'static Schema {
        &INNER
    }
    static SET: Schema = Schema::new(
        "Set",
        &[
            AttrInfo::new(1, "a", AttrKind::U16),
            AttrInfo::new(2, "b", AttrKind::U32),
            AttrInfo::new(3, "c", AttrKind::Flag),
            AttrInfo::new(4, "d", AttrKind::String),
            AttrInfo::new(5, "n", AttrKind::Nested(inner)),
            AttrInfo::new(7, "e", AttrKind::Be32).checks(Checks::NONE.max(255)),
            AttrInfo::new(8, "f", AttrKind::U64),
        ],
    );
    fn set() -> &'static Schema {
        &SET
    }
    static CMDS: [CommandInfo; 2] = [
        CommandInfo::new(1, "Get", Some(set))
            .doit(OpAttrs::ANY.request(&["a", "b", "c", "d", "n", "e", "f"])),
        CommandInfo::new(9, "Gone", Some(set)).doit(OpAttrs::ANY),
    ];
    static SCHEMA: MessageSchema = MessageSchema::new("Demo", "demo", 1, &CMDS);

    fn policy(ty: u32, max: Option<u64>) -> PolicyInfo {
        let mut p = PolicyInfo::default();
        p.ty = Some(ty);
        p.max_value_u = max;
        p
    }

    #[test]
    fn each_difference_is_reported_at_its_path() {
        let family = FamilyInfo {
            name: "demo".into(),
            id: 30,
            version: 1,
            hdrsize: 0,
            maxattr: 0,
            ops: vec![
                OpInfo {
                    cmd: 1,
                    flags: op_flags::CAP_DO | op_flags::CAP_DUMP,
                },
                OpInfo {
                    cmd: 2,
                    flags: op_flags::CAP_DO,
                },
            ],
            groups: Vec::new(),
        };
        let mut nest = policy(types::NESTED, None);
        nest.policy_idx = Some(1);
        let mut string = policy(types::NUL_STRING, None);
        string.max_length = Some(15);
        let mut dump = PolicyDump::default();
        dump.ops.insert(
            1,
            OpPolicy {
                do_policy: Some(0),
                dump_policy: None,
            },
        );
        dump.policies.insert(
            0,
            [
                (1, policy(types::U32, Some(u32::MAX.into()))),
                (2, policy(types::U32, Some(255))),
                (3, policy(types::U8, Some(255))),
                (4, string),
                (5, nest),
                (6, policy(types::U32, None)),
                (7, policy(types::U32, Some(255))),
                (8, policy(types::UINT, None)),
            ]
            .into_iter()
            .collect(),
        );
        dump.policies
            .insert(1, [(1, policy(types::U16, None))].into_iter().collect());
        let mut policies = BTreeMap::new();
        policies.insert(1, KernelPolicies { dump: Some(dump) });
        let r = compare(&SCHEMA, 0, &family, &policies);
        let got: Vec<(Severity, FindingKind, &str)> = r
            .findings
            .iter()
            .map(|f| (f.severity, f.kind, f.path.as_str()))
            .collect();
        use FindingKind as K;
        use Severity as S;
        assert_eq!(
            got,
            [
                (S::Mismatch, K::Type, "Get.do.request.a"),
                (S::Mismatch, K::Bounds, "Get.do.request.b"),
                (S::Mismatch, K::Type, "Get.do.request.c"),
                (S::Mismatch, K::Bounds, "Get.do.request.d"),
                (S::Mismatch, K::Type, "Get.do.request.n.x"),
                (S::Mismatch, K::MissingCommand, "Gone"),
                (S::Warning, K::KernelOnly, "Get.do.request.[6]"),
                (S::Note, K::Capability, "Get.dump"),
                (S::Note, K::UndeclaredCommand, "[cmd 2]"),
            ],
            "{r}"
        );
        assert_eq!(r.mismatches(), 6);
        assert!(!r.is_clean());
        let text = r.to_string();
        assert!(
            text.contains(
                "mismatch type               Get.do.request.a: the field is a u16, the kernel's \
                 attribute is u32 (type: u16 min 0 max 65535; kernel: u32 max 4294967295)"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_table_of_kinds_that_fit() {
        use types as t;
        assert!(fits(&AttrKind::Be16, t::U16));
        assert!(fits(&AttrKind::Ipv4, t::U32));
        assert!(fits(&AttrKind::U32, t::UINT));
        assert!(fits(&AttrKind::String, t::STRING));
        assert!(fits(&AttrKind::String, t::NUL_STRING));
        assert!(fits(&AttrKind::Uint, t::UINT));
        assert!(!fits(&AttrKind::Uint, t::U32));
        assert!(!fits(&AttrKind::U16, t::U32));
        assert!(!fits(&AttrKind::String, t::BINARY));
        assert!(!fits(&AttrKind::Flag, t::U8));
        assert!(!fits(&AttrKind::Be32, t::UINT));
    }
}
