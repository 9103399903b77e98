//! Policies from schemas: the kernel's `nla_policy` view of your types, as `CTRL_CMD_GETPOLICY`
//! reports it.
//!
//! The kernel derives what it advertises in a policy dump and what it enforces before a
//! handler runs from a family's `nla_policy` tables (`net/netlink/policy.c`,
//! `lib/nlattr.c`). This module computes the same view from the attribute sets' [`Schema`]s
//! and a family's [`MessageSchema`]: one policy per attribute ([`attr_policy`],
//! [`checked_policy`]), one table per operation restricted to the attributes its request
//! declares, with the nested sets numbered and deduplicated as
//! `netlink_policy_dump_add_policy` does ([`PolicyTable`], [`schema_policy`]).
//!
//! The fake kernel ([`testing`](crate::testing), feature `testing`) serves and enforces these
//! policies; [`GenlSocket::check_schema`](crate::GenlSocket::check_schema) compares them with
//! the running kernel's.

use netlink_genl_core::PolicyInfo;
use netlink_genl_core::consts::policy::types;
use netlink_genl_core::schema::{AttrInfo, AttrKind, Checks, Schema};

use crate::ctrl::{OpPolicy, PolicyDump};
use crate::message::{CommandInfo, KernelPolicy, MessageSchema};

/// The policy of an attribute of `kind` (what the fake kernel advertises and enforces): the
/// `NL_ATTR_TYPE_*` and the bounds the kernel's policy dump reports for the matching
/// `nla_policy` type.
///
/// | kind | policy |
/// |---|---|
/// | `U8` `U16` `U32` `U64` | the same type, `min 0`, `max` the type's largest value (or the attribute's bounds) |
/// | `I8` … `I64` | `S8` … `S64`, the type's range (or the attribute's bounds) |
/// | `Uint` / `Sint` | `UINT` / `SINT` (4 or 8 bytes), the 64-bit range |
/// | `Be16` `Be32` `Be64` | `U16` `U32` `U64`: the dump has no byte-order type (a big-endian 64-bit attribute is declared `NLA_U64`; the kernel's own `NLA_BE16`/`NLA_BE32` attributes are left out of its dump, as 6.18 shows for mptcp_pm's `addr4`) |
/// | `Ipv4` | `U32` (a big-endian `u32`, as YNL declares `display-hint: ipv4`) |
/// | `Ipv6` | `BINARY` of exactly 16 bytes (`NLA_POLICY_EXACT_LEN(16)`: min and max length 16) |
/// | `String` | `NUL_STRING`: the derive writes the NUL, so the fake expects it (the kernel uses `NLA_NUL_STRING` or `NLA_STRING` per family); no maximum length unless the attribute's checks give one |
/// | `Binary` | `BINARY`, no length bounds unless the attribute's checks give them |
/// | `Flag` | `FLAG` |
/// | `Nested` | `NESTED`; in a policy dump also the nested set's policy index and largest attribute id |
/// | `Array` | `NESTED_ARRAY`; with a nested set, also its index and largest id |
/// | `Keyed` | `NESTED` without a policy: the kernel cannot describe keys, so the entries are not checked |
/// | `SubMessage` | `NESTED` without a policy (the layout depends on the selector); requests are validated against the layout their selector chooses, any payload for a value without one |
/// | `Enum` | its integer's (its definition bounds it: [`AttrInfo::policy_checks`]) |
/// | `Packed` | `BINARY` |
/// | `Bitfield32` | `BITFIELD32` with its valid bits: all, or the attribute's `mask` (`NLA_POLICY_BITFIELD32`) |
/// | `Unknown` | `BINARY`: a value type of your own accepts any payload (the kernel's `NLA_UNSPEC`, which a dump omits and strict validation rejects, would say otherwise) |
///
/// An attribute's [`Checks`] narrow this: see [`checked_policy`].
///
/// ```
/// use netlink_genl::policy::attr_policy;
/// use netlink_genl_core::schema::AttrKind;
///
/// assert_eq!(attr_policy(&AttrKind::U16).to_string(), "u16 min 0 max 65535");
/// assert_eq!(attr_policy(&AttrKind::String).to_string(), "nul-string");
/// ```
pub fn attr_policy(kind: &AttrKind) -> PolicyInfo {
    kind_policy(kind, None)
}

/// The policy of an attribute of `kind` with the
/// bounds `checks` (an [`AttrInfo`]'s), as `netlink_policy_dump_write_attr` writes the
/// `nla_policy` the kernel would declare for them:
///
/// - an integer (`min`, `max`): `NLA_POLICY_RANGE`, so `MIN_VALUE_U`/`MAX_VALUE_U` (signed:
///   `_S`) are the bounds instead of the type's range (a bound outside the type's range is
///   clamped to it; a missing one is the type's);
/// - a string (`max_len`): `NLA_NUL_STRING` with `.len`, so `MAX_LENGTH` (without the NUL);
///   a string's `min_len` is neither advertised nor enforced: a kernel string policy has no
///   minimum (`nla_validate_int_range` does not apply to strings);
/// - bytes and a value type of your own (`min_len`, `max_len`):
///   `NLA_POLICY_RANGE(NLA_BINARY, ..)`, so `MIN_LENGTH` when the minimum is above 0 and
///   `MAX_LENGTH` when there is a maximum (`NLA_POLICY_EXACT_LEN` when both are equal);
/// - an unsigned integer with a `mask`: `NLA_POLICY_MASK`, so `MASK` and no range; a
///   bitfield32 with a `mask`: its valid bits (`BITFIELD32_MASK`);
/// - any other kind: the bounds do not apply, the policy is [`attr_policy`]'s.
///
/// ```
/// use netlink_genl::policy::checked_policy;
/// use netlink_genl_core::schema::{AttrKind, Checks};
///
/// let ifindex = Checks::NONE.min(1);
/// assert_eq!(checked_policy(&AttrKind::U32, &ifindex).to_string(), "u32 min 1 max 4294967295");
/// let name = Checks::NONE.max_len(15);
/// assert_eq!(checked_policy(&AttrKind::String, &name).to_string(), "nul-string max len 15");
/// ```
pub fn checked_policy(kind: &AttrKind, checks: &Checks) -> PolicyInfo {
    with_checks(kind_policy(kind, None), kind, checks)
}

/// The policy of the attribute `info`: its kind's, narrowed by its checks and those its enum
/// implies ([`AttrInfo::policy_checks`], [`checked_policy`]).
pub fn info_policy(info: &AttrInfo) -> PolicyInfo {
    table_policy(info, None)
}

/// The policy of the attribute `info` (its kind and checks); with a table, as
/// [`kind_policy`].
pub(crate) fn table_policy(info: &AttrInfo, table: Option<&PolicyTable>) -> PolicyInfo {
    with_checks(
        kind_policy(&info.kind, table),
        &info.kind,
        &info.policy_checks(),
    )
}

/// What an integer kind's value is, for range checks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Int {
    /// Unsigned, up to this largest value.
    Unsigned(u64),
    /// Signed, in this range.
    Signed(i64, i64),
}

pub(crate) fn int_kind(kind: &AttrKind) -> Option<Int> {
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    Some(match kind {
        AttrKind::U8 => Int::Unsigned(u8::MAX.into()),
        AttrKind::U16 | AttrKind::Be16 => Int::Unsigned(u16::MAX.into()),
        AttrKind::U32 | AttrKind::Be32 | AttrKind::Ipv4 => Int::Unsigned(u32::MAX.into()),
        AttrKind::U64 | AttrKind::Be64 | AttrKind::Uint => Int::Unsigned(u64::MAX),
        AttrKind::I8 => Int::Signed(i8::MIN.into(), i8::MAX.into()),
        AttrKind::I16 => Int::Signed(i16::MIN.into(), i16::MAX.into()),
        AttrKind::I32 => Int::Signed(i32::MIN.into(), i32::MAX.into()),
        AttrKind::I64 | AttrKind::Sint => Int::Signed(i64::MIN, i64::MAX),
        _ => return None,
    })
}

/// `v` clamped to `lo..=hi`.
fn clamp(v: i128, lo: i128, hi: i128) -> i128 {
    v.max(lo).min(hi)
}

/// The range of values an integer kind accepts under `checks`: the type's, narrowed.
pub(crate) fn int_range(int: Int, checks: &Checks) -> (i128, i128) {
    let (lo, hi) = match int {
        Int::Unsigned(max) => (0, i128::from(max)),
        Int::Signed(min, max) => (i128::from(min), i128::from(max)),
    };
    let min = checks.min.map_or(lo, |m| clamp(m, lo, hi));
    let max = checks.max.map_or(hi, |m| clamp(m, lo, hi));
    (min, max)
}

/// Whether the length bounds apply to `kind` as a binary range (bytes, and a value type of
/// your own, which the fake advertises as `BINARY`).
pub(crate) fn binary_kind(kind: &AttrKind) -> bool {
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    matches!(kind, AttrKind::Binary | AttrKind::Unknown)
}

/// `p` with the bounds of `checks` written as the kernel's dump writes them for `kind`.
fn with_checks(mut p: PolicyInfo, kind: &AttrKind, checks: &Checks) -> PolicyInfo {
    // NLA_POLICY_BITFIELD32(valid): the valid bits (a mask beyond 32 bits keeps its low ones).
    if let (AttrKind::Bitfield32, Some(mask)) = (kind, checks.mask) {
        p.bitfield32_mask = Some((mask & u64::from(u32::MAX)) as u32);
        return p;
    }
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    if let Some(int) = int_kind(kind) {
        let (min, max) = int_range(int, checks);
        match int {
            // NLA_POLICY_MASK: the dump writes the mask instead of the range.
            Int::Unsigned(_) if checks.mask.is_some() => {
                p.mask = checks.mask;
                p.min_value_u = None;
                p.max_value_u = None;
            }
            Int::Unsigned(_) => {
                p.min_value_u = u64::try_from(min).ok();
                p.max_value_u = u64::try_from(max).ok();
            }
            Int::Signed(..) => {
                p.min_value_s = i64::try_from(min).ok();
                p.max_value_s = i64::try_from(max).ok();
            }
        }
    } else if matches!(kind, AttrKind::String) {
        if let Some(n) = checks.max_len {
            p.max_length = Some(n);
        }
    } else if binary_kind(kind) {
        // NLA_POLICY_RANGE(NLA_BINARY, min, max): the dump writes the minimum when it is
        // above 0 and the maximum when it is below U16_MAX.
        if let Some(n) = checks.min_len.filter(|&n| n > 0) {
            p.min_length = Some(n);
        }
        if let Some(n) = checks.max_len.filter(|&n| n < u32::from(u16::MAX)) {
            p.max_length = Some(n);
        }
    }
    p
}

fn unsigned(ty: u32, max: u64) -> PolicyInfo {
    let mut p = PolicyInfo::default();
    p.ty = Some(ty);
    p.min_value_u = Some(0);
    p.max_value_u = Some(max);
    p
}

fn signed(ty: u32, min: i64, max: i64) -> PolicyInfo {
    let mut p = PolicyInfo::default();
    p.ty = Some(ty);
    p.min_value_s = Some(min);
    p.max_value_s = Some(max);
    p
}

fn plain(ty: u32) -> PolicyInfo {
    let mut p = PolicyInfo::default();
    p.ty = Some(ty);
    p
}

/// The policy of `kind`; with a table (a policy dump), nests carry the index and largest id
/// of their set (added to the table by [`PolicyTable::close`] beforehand).
pub(crate) fn kind_policy(kind: &AttrKind, table: Option<&PolicyTable>) -> PolicyInfo {
    if let Some(p) = own_policy(kind) {
        return p;
    }
    // An enum's integer or a packed array's bytes.
    let kind = &kind.base();
    match kind {
        AttrKind::U8 => unsigned(types::U8, u8::MAX.into()),
        AttrKind::U16 | AttrKind::Be16 => unsigned(types::U16, u16::MAX.into()),
        AttrKind::U32 | AttrKind::Be32 | AttrKind::Ipv4 => unsigned(types::U32, u32::MAX.into()),
        AttrKind::U64 | AttrKind::Be64 => unsigned(types::U64, u64::MAX),
        AttrKind::Uint => unsigned(types::UINT, u64::MAX),
        AttrKind::I8 => signed(types::S8, i8::MIN.into(), i8::MAX.into()),
        AttrKind::I16 => signed(types::S16, i16::MIN.into(), i16::MAX.into()),
        AttrKind::I32 => signed(types::S32, i32::MIN.into(), i32::MAX.into()),
        AttrKind::I64 => signed(types::S64, i64::MIN, i64::MAX),
        AttrKind::Sint => signed(types::SINT, i64::MIN, i64::MAX),
        AttrKind::Ipv6 => {
            let mut p = plain(types::BINARY);
            p.min_length = Some(16);
            p.max_length = Some(16);
            p
        }
        AttrKind::String => plain(types::NUL_STRING),
        AttrKind::Flag => plain(types::FLAG),
        AttrKind::Nested(f) => nest(types::NESTED, Some(f()), table),
        AttrKind::Array(elem) => nest(types::NESTED_ARRAY, elem.nested(), table),
        AttrKind::Keyed(_) => plain(types::NESTED),
        // As the kernel declares a sub-message (`IFLA_INFO_DATA`: `NLA_NESTED`, no policy: its
        // layout depends on the selector); validation checks the layout the selector chooses.
        AttrKind::SubMessage { .. } => plain(types::NESTED),
        // Binary, Unknown, and kinds added later.
        _ => plain(types::BINARY),
    }
}

/// The policy of a kind the wire carries as bytes but the kernel types by itself.
fn own_policy(kind: &AttrKind) -> Option<PolicyInfo> {
    match kind {
        // NLA_BITFIELD32: the dump always writes the valid bits; any, unless the field says.
        AttrKind::Bitfield32 => {
            let mut p = plain(types::BITFIELD32);
            p.bitfield32_mask = Some(u32::MAX);
            Some(p)
        }
        _ => None,
    }
}

fn nest(ty: u32, set: Option<&'static Schema>, table: Option<&PolicyTable>) -> PolicyInfo {
    let mut p = plain(ty);
    // The kernel writes the index only for a nest with a policy of at least one attribute.
    if let (Some(set), Some(table)) = (set, table) {
        if let Some(idx) = table
            .index(PolicySet::whole(set))
            .filter(|_| max_id(set) > 0)
        {
            p.policy_idx = Some(idx);
            p.policy_maxtype = Some(u32::from(max_id(set)));
        }
    }
    p
}

/// The largest attribute id of `set` (its `maxtype`).
pub fn max_id(set: &Schema) -> u16 {
    set.attrs.iter().map(|a| a.id).max().unwrap_or(0)
}

/// Whether `a` and `b` describe the same set. A schema reached through different paths (an
/// associated const used in two places) may live at two addresses, so sets are compared by
/// name and attributes (ids, names, flags, checks and the kind of each, nested sets by name).
pub(crate) fn same_set(a: &Schema, b: &Schema) -> bool {
    if core::ptr::eq(a, b) {
        return true;
    }
    a.name == b.name
        && a.deny_unknown == b.deny_unknown
        && a.attrs.len() == b.attrs.len()
        && a.attrs.iter().zip(b.attrs).all(|(x, y)| {
            x.id == y.id
                && x.name == y.name
                && x.multi == y.multi
                && x.required == y.required
                && x.checks == y.checks
                && same_kind(&x.kind, &y.kind)
        })
}

fn same_kind(a: &AttrKind, b: &AttrKind) -> bool {
    match (a, b) {
        (AttrKind::Nested(f), AttrKind::Nested(g)) => f().name == g().name,
        (AttrKind::Array(x), AttrKind::Array(y)) | (AttrKind::Keyed(x), AttrKind::Keyed(y)) => {
            same_kind(x, y)
        }
        _ => core::mem::discriminant(a) == core::mem::discriminant(b),
    }
}

/// One policy of a dump: an attribute set, or the part of it an operation's request
/// declares (the kernel's generated per-operation policies list only those attributes).
#[derive(Debug, Clone, Copy)]
pub struct PolicySet {
    /// The attribute set.
    pub set: &'static Schema,
    accepted: Accepted,
}

/// Which attributes of its set a [`PolicySet`] accepts.
#[derive(Debug, Clone, Copy)]
enum Accepted {
    /// All of them.
    All,
    /// These (field names).
    Names(&'static [&'static str]),
    /// Those the requests of these commands declare (a command whose do or dump declares no
    /// list: all), counting only commands of the same set: the union a `per-op` or `global`
    /// kernel policy accepts.
    Requested(&'static [CommandInfo]),
}

impl PolicySet {
    /// Every attribute of `set`.
    pub const fn whole(set: &'static Schema) -> Self {
        PolicySet {
            set,
            accepted: Accepted::All,
        }
    }

    /// The attributes of `set` named in `only` (`None`: all).
    pub const fn restricted(set: &'static Schema, only: Option<&'static [&'static str]>) -> Self {
        let accepted = match only {
            Some(names) => Accepted::Names(names),
            None => Accepted::All,
        };
        PolicySet { set, accepted }
    }

    /// The policy the kernel applies to a do (`dump`: a dump) request of command `cmd` of
    /// `schema`, by the family's [`KernelPolicy`]: `split`, the request's own list; `per-op`,
    /// the do's and the dump's lists together; `global`, every operation's on the same set.
    /// `None` when `cmd` is not declared as a do (dump) or holds no set.
    ///
    /// ```
    /// use netlink_genl::ctrl::Ctrl;
    /// use netlink_genl::policy::PolicySet;
    /// use netlink_genl::GenlMessage;
    ///
    /// // nlctrl's GETPOLICY (10) is a dump of family id, name and op.
    /// let p = PolicySet::of_op(Ctrl::schema(), 10, true).unwrap();
    /// let names: Vec<&str> = p.attrs().iter().map(|a| a.name).collect();
    /// assert_eq!(names, ["id", "name", "op"]);
    /// assert!(PolicySet::of_op(Ctrl::schema(), 10, false).is_none());
    /// ```
    pub fn of_op(schema: &'static MessageSchema, cmd: u8, dump: bool) -> Option<PolicySet> {
        let c = schema.request(cmd)?;
        let op = if dump { c.dumpit } else { c.doit }?;
        let set = c.attrs()?;
        let accepted = match schema.kernel_policy {
            KernelPolicy::Split => match op.request {
                Some(names) => Accepted::Names(names),
                None => Accepted::All,
            },
            KernelPolicy::PerOp => {
                // The commands with this number: the request variant is the one sent.
                let i = schema.commands.iter().position(|x| core::ptr::eq(x, c))?;
                Accepted::Requested(schema.commands.get(i..=i)?)
            }
            KernelPolicy::Global => Accepted::Requested(schema.commands),
        };
        Some(PolicySet { set, accepted })
    }

    /// Whether the policy accepts the attribute named `name`.
    pub fn accepts(&self, name: &str) -> bool {
        match self.accepted {
            Accepted::All => true,
            Accepted::Names(names) => names.contains(&name),
            Accepted::Requested(commands) => commands
                .iter()
                .filter(|c| c.attrs().is_some_and(|s| same_set(s, self.set)))
                .flat_map(|c| [c.doit, c.dumpit])
                .flatten()
                .any(|op| op.request.is_none_or(|names| names.contains(&name))),
        }
    }

    /// The attributes of the policy, in id order (as the kernel walks a policy).
    pub fn attrs(&self) -> Vec<&'static AttrInfo> {
        let mut v: Vec<_> = self
            .set
            .attrs
            .iter()
            .filter(|a| self.accepts(a.name))
            .collect();
        v.sort_by_key(|a| a.id);
        v
    }

    /// The largest attribute id of the policy (its `maxtype`).
    pub fn max_id(&self) -> u16 {
        self.attrs().iter().map(|a| a.id).max().unwrap_or(0)
    }

    fn same(&self, other: &PolicySet) -> bool {
        let names =
            |p: &PolicySet| -> Vec<&'static str> { p.attrs().iter().map(|a| a.name).collect() };
        let whole = |p: &PolicySet| matches!(p.accepted, Accepted::All);
        same_set(self.set, other.set)
            && (whole(self) && whole(other) || names(self) == names(other))
    }
}

/// The policy table of one `GETPOLICY` dump: each policy once, in the order
/// `netlink_policy_dump_add_policy` numbers them (an operation's policy, then the sets nested
/// in the table so far, breadth first). Nested sets are whole; an operation's own policy may
/// be restricted to the attributes its request declares ([`PolicySet`]).
///
/// ```
/// use netlink_genl::ctrl::Family;
/// use netlink_genl::policy::{PolicySet, PolicyTable};
/// use netlink_genl::AttrSet;
///
/// let mut table = PolicyTable::default();
/// let get = table.add(PolicySet::restricted(Family::schema(), Some(&["id", "name"])));
/// assert_eq!(get, 0);
/// let shown: Vec<String> = table.attrs(0).iter().map(|(id, p)| format!("{id}: {p}")).collect();
/// assert_eq!(shown, ["1: u16 min 0 max 65535", "2: nul-string max len 15"]);
/// // The whole set is another policy; its nested sets (ops, groups) get theirs.
/// assert_eq!(table.add(PolicySet::whole(Family::schema())), 1);
/// assert_eq!(table.len(), 4);
/// ```
#[derive(Debug, Default, Clone)]
pub struct PolicyTable {
    sets: Vec<PolicySet>,
}

impl PolicyTable {
    /// Add `policy` and every set nested in it; its index.
    pub fn add(&mut self, policy: PolicySet) -> u32 {
        let idx = self.insert(policy);
        self.close();
        idx
    }

    fn insert(&mut self, policy: PolicySet) -> u32 {
        let i = match self.sets.iter().position(|s| s.same(&policy)) {
            Some(i) => i,
            None => {
                self.sets.push(policy);
                self.sets.len() - 1
            }
        };
        u32::try_from(i).unwrap_or(u32::MAX)
    }

    /// Add the sets nested in those of the table (each attribute in id order).
    fn close(&mut self) {
        let mut i = 0;
        while let Some(policy) = self.sets.get(i).copied() {
            for a in policy.attrs() {
                let nested = match &a.kind {
                    AttrKind::Nested(f) => Some(f()),
                    AttrKind::Array(elem) => elem.nested(),
                    _ => None,
                };
                if let Some(n) = nested.filter(|n| max_id(n) > 0) {
                    self.insert(PolicySet::whole(n));
                }
            }
            i += 1;
        }
    }

    /// The index of `policy`, if listed.
    pub fn index(&self, policy: PolicySet) -> Option<u32> {
        let i = self.sets.iter().position(|s| s.same(&policy))?;
        u32::try_from(i).ok()
    }

    /// The policies, by index.
    pub fn sets(&self) -> &[PolicySet] {
        &self.sets
    }

    /// The number of policies.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether the table has no policy.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The attributes of policy `idx` with their policies, in id order, as a dump writes them
    /// (a nest with the index and largest id of its set's policy).
    pub fn attrs(&self, idx: usize) -> Vec<(u16, PolicyInfo)> {
        self.sets.get(idx).map_or_else(Vec::new, |p| {
            p.attrs()
                .into_iter()
                .map(|a| (a.id, table_policy(a, Some(self))))
                .collect()
        })
    }
}

/// The policies of a family's types as the kernel's `GETPOLICY` would report them: for each
/// command declared as a do or dump (`#[genl(do(..), dump(..))]`), its policy, the command's
/// attribute set restricted to the attributes the request declares (all of them when it
/// declares no list; none when that leaves no attribute), with every nested set's policy in the same table, numbered as
/// [`PolicyTable`] numbers them. Operations are keyed by their command (the kernel keys a
/// dump-only operation 0 in a whole-family dump; the fake kernel does too).
///
/// ```
/// use netlink_genl::ctrl::Ctrl;
/// use netlink_genl::policy::schema_policy;
/// use netlink_genl::GenlMessage;
///
/// let p = schema_policy(Ctrl::schema());
/// // GETFAMILY (do and dump, by id or name) and GETPOLICY (dump: id, name, op).
/// let get = &p.ops[&3];
/// let names: Vec<u16> = p.policy(get.do_policy.unwrap()).unwrap().keys().copied().collect();
/// assert_eq!(names, [1, 2]);
/// let pol = &p.ops[&10];
/// assert_eq!(pol.do_policy, None);
/// let names: Vec<u16> = p.policy(pol.dump_policy.unwrap()).unwrap().keys().copied().collect();
/// assert_eq!(names, [1, 2, 10]);
/// ```
pub fn schema_policy(schema: &'static MessageSchema) -> PolicyDump {
    let mut table = PolicyTable::default();
    let mut dump = PolicyDump::default();
    for c in schema.commands {
        let mut op = OpPolicy::default();
        // An operation that accepts no attribute has no policy (the kernel's is `NULL`).
        let mut add = |dump: bool| {
            let p = PolicySet::of_op(schema, c.cmd, dump)?;
            (p.max_id() > 0).then(|| table.add(p))
        };
        // The request variant of the number is the one described (another variant with the
        // same number, a reply, gets no policy of its own).
        if !schema.request(c.cmd).is_some_and(|r| core::ptr::eq(r, c)) {
            continue;
        }
        op.do_policy = add(false);
        op.dump_policy = add(true);
        if op.do_policy.is_some() || op.dump_policy.is_some() {
            dump.ops.insert(u32::from(c.cmd), op);
        }
    }
    for i in 0..table.len() {
        let attrs = table.attrs(i);
        if !attrs.is_empty() {
            let idx = u32::try_from(i).unwrap_or(u32::MAX);
            dump.policies.insert(idx, attrs.into_iter().collect());
        }
    }
    dump
}
