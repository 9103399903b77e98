//! Policies from schemas: what the fake kernel advertises in `CTRL_CMD_GETPOLICY` and enforces
//! before a handler runs, computed from the attribute sets' [`Schema`]s, as the kernel derives
//! both from a family's `nla_policy` tables (`net/netlink/policy.c`, `lib/nlattr.c`).

use netlink_genl_core::attr::{Attr, AttrIter};
use netlink_genl_core::consts::policy::types;
use netlink_genl_core::schema::{AttrInfo, AttrKind, Checks, Schema};
use netlink_genl_core::{Errno, PolicyInfo};

use super::ErrorReply;

/// How deep validation follows nests (`MAX_POLICY_RECURSION_DEPTH`).
const MAX_DEPTH: u32 = 10;

/// The policy the fake kernel advertises and enforces for an attribute of `kind`: the
/// `NL_ATTR_TYPE_*` and the bounds the kernel's policy dump reports for the matching
/// `nla_policy` type.
///
/// | kind | policy |
/// |---|---|
/// | `U8` `U16` `U32` `U64` | the same type, `min 0`, `max` the type's largest value (or the attribute's bounds) |
/// | `I8` … `I64` | `S8` … `S64`, the type's range (or the attribute's bounds) |
/// | `Uint` / `Sint` | `UINT` / `SINT` (4 or 8 bytes), the 64-bit range |
/// | `Be16` `Be32` `Be64` | `U16` `U32` `U64`: the kernel's dump has no byte-order type (`NLA_BE16`/`NLA_BE32` dump as `U16`/`U32`; a big-endian 64-bit attribute is declared `NLA_U64`) |
/// | `Ipv4` | `U32` (a big-endian `u32`, as YNL declares `display-hint: ipv4`) |
/// | `Ipv6` | `BINARY` of exactly 16 bytes (`NLA_POLICY_EXACT_LEN(16)`: min and max length 16) |
/// | `String` | `NUL_STRING`: the derive writes the NUL, so the fake expects it (the kernel uses `NLA_NUL_STRING` or `NLA_STRING` per family); no maximum length unless the attribute's checks give one |
/// | `Binary` | `BINARY`, no length bounds unless the attribute's checks give them |
/// | `Flag` | `FLAG` |
/// | `Nested` | `NESTED`; in a policy dump also the nested set's policy index and largest attribute id |
/// | `Array` | `NESTED_ARRAY`; with a nested set, also its index and largest id |
/// | `Keyed` | `NESTED` without a policy: the kernel cannot describe keys, so the entries are not checked |
/// | `Unknown` | `BINARY`: a value type of your own accepts any payload (the kernel's `NLA_UNSPEC`, which a dump omits and strict validation rejects, would say otherwise) |
///
/// An attribute's [`Checks`] narrow this: see [`checked_policy`].
///
/// ```
/// use netlink_genl::testing::attr_policy;
/// use netlink_genl_core::schema::AttrKind;
///
/// assert_eq!(attr_policy(&AttrKind::U16).to_string(), "u16 min 0 max 65535");
/// assert_eq!(attr_policy(&AttrKind::String).to_string(), "nul-string");
/// ```
pub fn attr_policy(kind: &AttrKind) -> PolicyInfo {
    kind_policy(kind, None)
}

/// The policy the fake kernel advertises and enforces for an attribute of `kind` with the
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
/// - any other kind: the bounds do not apply, the policy is [`attr_policy`]'s.
///
/// ```
/// use netlink_genl::testing::checked_policy;
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

/// The policy of the attribute `info` (its kind and checks); with a table, as
/// [`kind_policy`].
pub(super) fn info_policy(info: &AttrInfo, table: Option<&PolicyTable>) -> PolicyInfo {
    with_checks(kind_policy(&info.kind, table), &info.kind, &info.checks)
}

/// What an integer kind's value is, for range checks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Int {
    /// Unsigned, up to this largest value.
    Unsigned(u64),
    /// Signed, in this range.
    Signed(i64, i64),
}

fn int_kind(kind: &AttrKind) -> Option<Int> {
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
fn int_range(int: Int, checks: &Checks) -> (i128, i128) {
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
fn binary_kind(kind: &AttrKind) -> bool {
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    matches!(kind, AttrKind::Binary | AttrKind::Unknown)
}

/// `p` with the bounds of `checks` written as the kernel's dump writes them for `kind`.
fn with_checks(mut p: PolicyInfo, kind: &AttrKind, checks: &Checks) -> PolicyInfo {
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    if let Some(int) = int_kind(kind) {
        let (min, max) = int_range(int, checks);
        match int {
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

/// The value of the integer attribute payload `p` of `kind` (its first bytes, as
/// `nla_get_*` reads them; the length was checked before).
fn int_value(kind: &AttrKind, p: &[u8]) -> Option<i128> {
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    fn bytes<const N: usize>(p: &[u8]) -> Option<[u8; N]> {
        p.get(..N)?.try_into().ok()
    }
    Some(match kind {
        AttrKind::U8 => u8::from_ne_bytes(bytes(p)?).into(),
        AttrKind::I8 => i8::from_ne_bytes(bytes::<1>(p)?).into(),
        AttrKind::U16 => u16::from_ne_bytes(bytes(p)?).into(),
        AttrKind::I16 => i16::from_ne_bytes(bytes(p)?).into(),
        AttrKind::Be16 => u16::from_be_bytes(bytes(p)?).into(),
        AttrKind::U32 => u32::from_ne_bytes(bytes(p)?).into(),
        AttrKind::I32 => i32::from_ne_bytes(bytes(p)?).into(),
        AttrKind::Be32 | AttrKind::Ipv4 => u32::from_be_bytes(bytes(p)?).into(),
        AttrKind::U64 => u64::from_ne_bytes(bytes(p)?).into(),
        AttrKind::I64 => i64::from_ne_bytes(bytes(p)?).into(),
        AttrKind::Be64 => u64::from_be_bytes(bytes(p)?).into(),
        AttrKind::Uint => match p.len() {
            4 => u32::from_ne_bytes(bytes(p)?).into(),
            _ => u64::from_ne_bytes(bytes(p)?).into(),
        },
        AttrKind::Sint => match p.len() {
            4 => i32::from_ne_bytes(bytes(p)?).into(),
            _ => i64::from_ne_bytes(bytes(p)?).into(),
        },
        _ => return None,
    })
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
pub(super) fn kind_policy(kind: &AttrKind, table: Option<&PolicyTable>) -> PolicyInfo {
    // An enum's integer, a packed array's or a bitfield32's bytes.
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
        // Binary, Unknown, and kinds added later.
        _ => plain(types::BINARY),
    }
}

fn nest(ty: u32, set: Option<&'static Schema>, table: Option<&PolicyTable>) -> PolicyInfo {
    let mut p = plain(ty);
    // The kernel writes the index only for a nest with a policy of at least one attribute.
    if let (Some(set), Some(table)) = (set, table) {
        if let Some(idx) = table.index(set).filter(|_| max_id(set) > 0) {
            p.policy_idx = Some(idx);
            p.policy_maxtype = Some(u32::from(max_id(set)));
        }
    }
    p
}

/// The largest attribute id of `set` (its `maxtype`).
pub(super) fn max_id(set: &Schema) -> u16 {
    set.attrs.iter().map(|a| a.id).max().unwrap_or(0)
}

/// Whether `a` and `b` describe the same set. A schema reached through different paths (an
/// associated const used in two places) may live at two addresses, so sets are compared by
/// name and attributes (ids, names, flags, checks and the kind of each, nested sets by name).
pub(super) fn same_set(a: &Schema, b: &Schema) -> bool {
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

/// The policy table of one `GETPOLICY` dump: each set once, in the order
/// `netlink_policy_dump_add_policy` numbers them (an operation's set, then the sets nested in
/// the table so far, breadth first).
#[derive(Default)]
pub(super) struct PolicyTable {
    sets: Vec<&'static Schema>,
}

impl PolicyTable {
    /// Add `set` and every set nested in it; its index.
    pub(super) fn add(&mut self, set: &'static Schema) -> u32 {
        let idx = self.insert(set);
        self.close();
        idx
    }

    fn insert(&mut self, set: &'static Schema) -> u32 {
        let i = match self.sets.iter().position(|s| same_set(s, set)) {
            Some(i) => i,
            None => {
                self.sets.push(set);
                self.sets.len() - 1
            }
        };
        u32::try_from(i).unwrap_or(u32::MAX)
    }

    /// Add the sets nested in those of the table (each attribute in id order).
    fn close(&mut self) {
        let mut i = 0;
        while let Some(set) = self.sets.get(i).copied() {
            for a in sorted(set) {
                let nested = match &a.kind {
                    AttrKind::Nested(f) => Some(f()),
                    AttrKind::Array(elem) => elem.nested(),
                    _ => None,
                };
                if let Some(n) = nested.filter(|n| max_id(n) > 0) {
                    self.insert(n);
                }
            }
            i += 1;
        }
    }

    /// The index of `set`, if listed.
    pub(super) fn index(&self, set: &Schema) -> Option<u32> {
        let i = self.sets.iter().position(|s| same_set(s, set))?;
        u32::try_from(i).ok()
    }

    /// The sets, by index.
    pub(super) fn sets(&self) -> &[&'static Schema] {
        &self.sets
    }
}

/// The attributes of `set` in id order (as the kernel walks a policy).
pub(super) fn sorted(set: &'static Schema) -> Vec<&'static netlink_genl_core::schema::AttrInfo> {
    let mut v: Vec<_> = set.attrs.iter().collect();
    v.sort_by_key(|a| a.id);
    v
}

// ---------------------------------------------------------------------------------------------
// Validation.

/// Validate the attributes `attrs` (at byte `base` of the request message) against `set`, as
/// the kernel parses a request before its handler runs: the attributes' types, lengths and
/// nests (`nla_parse`, strict or liberal), then the required attributes (what a handler's
/// `GENL_REQ_ATTR_CHECK` reports).
pub(super) fn validate(
    set: &'static Schema,
    attrs: &[u8],
    base: usize,
    strict: bool,
) -> Result<(), ErrorReply> {
    check_set(set, attrs, base, strict, 0)?;
    check_required(set, attrs, base, None, 0)
}

fn offset(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

fn check_set(
    set: &'static Schema,
    buf: &[u8],
    base: usize,
    strict: bool,
    depth: u32,
) -> Result<(), ErrorReply> {
    if depth >= MAX_DEPTH {
        return Err(ErrorReply::new(Errno::INVAL).msg("allowed policy recursion depth exceeded"));
    }
    let maxtype = max_id(set);
    for a in AttrIter::new(buf) {
        let Ok(a) = a else {
            // nla_for_each_attr stops here; what is left over fails strict parsing only.
            if strict {
                return Err(
                    ErrorReply::new(Errno::INVAL).msg("bytes leftover after parsing attributes")
                );
            }
            break;
        };
        let at = offset(base.saturating_add(a.offset()));
        let id = a.id();
        if id == 0 || id > maxtype {
            if strict {
                return Err(ErrorReply::new(Errno::INVAL)
                    .msg("Unknown attribute type")
                    .at_offset(at));
            }
            continue;
        }
        let Some(info) = set.attr(id) else {
            // An id below the largest that the set does not declare: NLA_UNSPEC in the kernel.
            if strict {
                return Err(ErrorReply::new(Errno::INVAL)
                    .msg("Unsupported attribute")
                    .at_offset(at));
            }
            continue;
        };
        check_attr(info, &a, base, strict, depth)?;
    }
    Ok(())
}

/// The exact payload length of a fixed-size kind (the kernel's `nla_attr_len`).
fn fixed_len(kind: &AttrKind) -> Option<usize> {
    // An enum's integer, a packed array's or a bitfield32's bytes.
    let kind = &kind.base();
    Some(match kind {
        AttrKind::U8 | AttrKind::I8 => 1,
        AttrKind::U16 | AttrKind::I16 | AttrKind::Be16 => 2,
        AttrKind::U32 | AttrKind::I32 | AttrKind::Be32 | AttrKind::Ipv4 => 4,
        AttrKind::U64 | AttrKind::I64 | AttrKind::Be64 => 8,
        _ => return None,
    })
}

fn check_attr(
    info: &AttrInfo,
    a: &Attr<'_>,
    base: usize,
    strict: bool,
    depth: u32,
) -> Result<(), ErrorReply> {
    let kind = &info.kind;
    let at = offset(base.saturating_add(a.offset()));
    let fail = |errno: Errno, msg: &str| {
        ErrorReply::new(errno)
            .msg(msg)
            .at_offset(at)
            .policy(info_policy(info, None))
    };
    let len = a.payload().len();
    if let Some(n) = fixed_len(kind) {
        if strict && len != n {
            return Err(fail(Errno::INVAL, "invalid attribute length"));
        }
        if len < n {
            return Err(fail(Errno::RANGE, "Attribute failed policy validation"));
        }
    }
    if strict {
        let nest = kind.is_nest();
        if nest && !a.is_nested() {
            return Err(fail(Errno::INVAL, "NLA_F_NESTED is missing"));
        }
        if !nest && !matches!(kind, AttrKind::Unknown) && a.is_nested() {
            return Err(fail(Errno::INVAL, "NLA_F_NESTED not expected"));
        }
    }
    let payload_at = base.saturating_add(a.payload_offset());
    match kind {
        AttrKind::Flag if len > 0 => Err(fail(Errno::RANGE, "Attribute failed policy validation")),
        AttrKind::String => {
            // NLA_NUL_STRING: a NUL within the first `len + 1` bytes (with a maximum length
            // `len`), else EINVAL; then, without its NUL, at most `len` bytes, else ERANGE.
            let p = a.payload();
            let head = match info.checks.max_len {
                Some(max) => {
                    let n = usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1);
                    p.get(..n).unwrap_or(p)
                }
                None => p,
            };
            if !head.contains(&0) {
                return Err(fail(Errno::INVAL, "Attribute failed policy validation"));
            }
            let text = p.strip_suffix(&[0]).unwrap_or(p);
            if info
                .checks
                .max_len
                .is_some_and(|max| exceeds(text.len(), max))
            {
                return Err(fail(Errno::RANGE, "Attribute failed policy validation"));
            }
            Ok(())
        }
        AttrKind::Uint | AttrKind::Sint if len != 4 && len != 8 => {
            Err(fail(Errno::INVAL, "invalid attribute length"))
        }
        AttrKind::Ipv6 if len != 16 => {
            Err(fail(Errno::RANGE, "binary attribute size out of range"))
        }
        AttrKind::Nested(_) | AttrKind::Array(_) | AttrKind::Keyed(_) if len == 0 => Ok(()),
        AttrKind::Nested(_) | AttrKind::Array(_) | AttrKind::Keyed(_) if len < 4 => {
            Err(fail(Errno::RANGE, "Attribute failed policy validation"))
        }
        AttrKind::Nested(f) => check_set(f(), a.payload(), payload_at, strict, depth + 1),
        AttrKind::Array(elem) => {
            let Some(set) = elem.nested() else {
                return Ok(());
            };
            for e in AttrIter::new(a.payload()) {
                let Ok(e) = e else {
                    if strict {
                        return Err(ErrorReply::new(Errno::INVAL)
                            .msg("bytes leftover after parsing attributes"));
                    }
                    break;
                };
                let n = e.payload().len();
                if n == 0 {
                    continue;
                }
                if n < 4 {
                    return Err(ErrorReply::new(Errno::RANGE)
                        .msg("Array element too short")
                        .at_offset(offset(payload_at.saturating_add(e.offset())))
                        .policy(info_policy(info, None)));
                }
                let entry_at = payload_at.saturating_add(e.payload_offset());
                check_set(set, e.payload(), entry_at, strict, depth + 1)?;
            }
            Ok(())
        }
        _ => check_bounds(info, a.payload()).map_err(|msg| fail(Errno::RANGE, msg)),
    }
}

/// Whether a length `n` is above `max`.
fn exceeds(n: usize, max: u32) -> bool {
    u32::try_from(n).map_or(true, |n| n > max)
}

/// The range checks the kernel runs after the type's (`nla_validate_int_range`): an integer
/// outside its bounds, bytes of a length outside theirs; the extended-ACK message.
fn check_bounds(info: &AttrInfo, p: &[u8]) -> Result<(), &'static str> {
    let kind = &info.kind;
    let checks = &info.checks;
    if checks.is_empty() {
        return Ok(());
    }
    if let Some(int) = int_kind(kind) {
        let (min, max) = int_range(int, checks);
        if let Some(v) = int_value(kind, p) {
            if v < min || v > max {
                return Err("integer out of range");
            }
        }
    } else if binary_kind(kind) {
        let n = u32::try_from(p.len()).unwrap_or(u32::MAX);
        let short = checks.min_len.is_some_and(|m| n < m);
        let long = checks.max_len.is_some_and(|m| n > m);
        if short || long {
            return Err("binary attribute size out of range");
        }
    }
    Ok(())
}

/// The first required attribute missing from `buf` (a set at byte `base`) or from a set nested
/// in it; `nest`: the offset of the header of the nest `buf` is the payload of.
fn check_required(
    set: &'static Schema,
    buf: &[u8],
    base: usize,
    nest: Option<u32>,
    depth: u32,
) -> Result<(), ErrorReply> {
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let present = |id: u16| {
        AttrIter::new(buf)
            .map_while(Result::ok)
            .any(|a| a.id() == id)
    };
    if let Some(missing) = set.attrs.iter().find(|a| a.required && !present(a.id)) {
        let mut e = ErrorReply::new(Errno::INVAL).missing(u32::from(missing.id));
        if let Some(n) = nest {
            e = e.missing_in_nest(n);
        }
        return Err(e);
    }
    for a in AttrIter::new(buf).map_while(Result::ok) {
        let Some(info) = set.attr(a.id()) else {
            continue;
        };
        let header = offset(base.saturating_add(a.offset()));
        let payload_at = base.saturating_add(a.payload_offset());
        match &info.kind {
            AttrKind::Nested(f) => {
                check_required(f(), a.payload(), payload_at, Some(header), depth + 1)?;
            }
            AttrKind::Array(elem) => {
                if let Some(inner) = elem.nested() {
                    for e in AttrIter::new(a.payload()).map_while(Result::ok) {
                        let entry = offset(payload_at.saturating_add(e.offset()));
                        let entry_at = payload_at.saturating_add(e.payload_offset());
                        check_required(inner, e.payload(), entry_at, Some(entry), depth + 1)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static SET: Schema = Schema::new(
        "Set",
        &[
            AttrInfo::new(1, "ifindex", AttrKind::U32).checks(Checks::NONE.min(1)),
            AttrInfo::new(2, "level", AttrKind::I8).checks(Checks::NONE.min(-3).max(3)),
            AttrInfo::new(3, "name", AttrKind::String).checks(Checks::NONE.max_len(4)),
            AttrInfo::new(4, "key", AttrKind::Binary).checks(Checks::NONE.min_len(2).max_len(4)),
            AttrInfo::new(5, "port", AttrKind::Be16).checks(Checks::NONE.max(1024)),
            AttrInfo::new(6, "wide", AttrKind::U8).checks(Checks::NONE.min(-5).max(300)),
            AttrInfo::new(7, "count", AttrKind::Uint).checks(Checks::NONE.max(10)),
        ],
    );

    fn attr(id: u16, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(4 + payload.len()).unwrap_or(u16::MAX);
        let mut v = len.to_ne_bytes().to_vec();
        v.extend_from_slice(&id.to_ne_bytes());
        v.extend_from_slice(payload);
        v.resize(v.len().div_ceil(4) * 4, 0);
        v
    }

    /// Validate one attribute (strictly) and show the outcome.
    fn check(id: u16, payload: &[u8]) -> String {
        match validate(&SET, &attr(id, payload), 20, true) {
            Ok(()) => "ok".to_owned(),
            Err(e) => format!(
                "{} {} {:?} {}",
                e.errno.name().unwrap_or("?").trim_start_matches('E'),
                e.msg.as_deref().unwrap_or("-"),
                e.attr,
                e.policy.map_or("-".to_owned(), |p| p.to_string())
            ),
        }
    }

    #[test]
    fn bounds_are_advertised_as_the_kernel_dumps_them() {
        let shown: Vec<String> = SET
            .attrs
            .iter()
            .map(|a| info_policy(a, None).to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "u32 min 1 max 4294967295",
                "s8 min -3 max 3",
                "nul-string max len 4",
                "binary min len 2 max len 4",
                "u16 min 0 max 1024",
                // Bounds outside the type's range are clamped to it.
                "u8 min 0 max 255",
                "uint min 0 max 10",
            ]
        );
        // A string's minimum has no kernel policy; bounds on a nest do not apply.
        let s = Checks::NONE.min_len(2);
        assert_eq!(
            checked_policy(&AttrKind::String, &s).to_string(),
            "nul-string"
        );
        assert_eq!(
            checked_policy(&AttrKind::Binary, &Checks::NONE.min_len(0).max_len(70000)).to_string(),
            "binary"
        );
        assert_eq!(
            checked_policy(&AttrKind::Flag, &Checks::NONE.max(1)).to_string(),
            "flag"
        );
    }

    #[test]
    fn bounds_are_enforced_as_validate_nla_does() {
        let range = |p: &str| format!("RANGE integer out of range Some(Offset(20)) {p}");
        assert_eq!(check(1, &1u32.to_ne_bytes()), "ok");
        assert_eq!(
            check(1, &0u32.to_ne_bytes()),
            range("u32 min 1 max 4294967295")
        );
        assert_eq!(check(2, &[(-3i8) as u8]), "ok");
        assert_eq!(check(2, &[(-4i8) as u8]), range("s8 min -3 max 3"));
        assert_eq!(check(2, &[4]), range("s8 min -3 max 3"));
        // Big-endian values are compared in host terms.
        assert_eq!(check(5, &1024u16.to_be_bytes()), "ok");
        assert_eq!(
            check(5, &1025u16.to_be_bytes()),
            range("u16 min 0 max 1024")
        );
        assert_eq!(check(6, &[255]), "ok");
        assert_eq!(check(7, &10u32.to_ne_bytes()), "ok");
        assert_eq!(check(7, &11u64.to_ne_bytes()), range("uint min 0 max 10"));
        // Strings: a NUL within max + 1 bytes, else EINVAL; longer without it, ERANGE.
        assert_eq!(check(3, b"abcd\0"), "ok");
        let failed = |e: &str| {
            format!("{e} Attribute failed policy validation Some(Offset(20)) nul-string max len 4")
        };
        assert_eq!(check(3, b"abcde\0"), failed("INVAL"));
        assert_eq!(check(3, b"ab\0cde\0"), failed("RANGE"));
        // Bytes: the length range.
        let size =
            "RANGE binary attribute size out of range Some(Offset(20)) binary min len 2 max len 4";
        assert_eq!(check(4, &[1, 2]), "ok");
        assert_eq!(check(4, &[1, 2, 3, 4]), "ok");
        assert_eq!(check(4, &[1]), size);
        assert_eq!(check(4, &[1, 2, 3, 4, 5]), size);
        // The type's own checks come first: a u32 of 2 bytes is a length error.
        assert_eq!(
            check(1, &[0, 0]),
            "INVAL invalid attribute length Some(Offset(20)) u32 min 1 max 4294967295"
        );
    }

    #[test]
    fn sets_differing_in_checks_are_different_policies() {
        static A: Schema = Schema::new("S", &[AttrInfo::new(1, "x", AttrKind::U8)]);
        static B: Schema = Schema::new(
            "S",
            &[AttrInfo::new(1, "x", AttrKind::U8).checks(Checks::NONE.max(3))],
        );
        assert!(!same_set(&A, &B));
        assert!(same_set(&B, &B));
    }
}
