//! Policies from schemas: what the fake kernel advertises in `CTRL_CMD_GETPOLICY` and enforces
//! before a handler runs, computed from the attribute sets' [`Schema`]s, as the kernel derives
//! both from a family's `nla_policy` tables (`net/netlink/policy.c`, `lib/nlattr.c`).

use netlink_genl_core::attr::{Attr, AttrIter};
use netlink_genl_core::consts::policy::types;
use netlink_genl_core::schema::{AttrKind, Schema};
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
/// | `U8` `U16` `U32` `U64` | the same type, `min 0`, `max` the type's largest value |
/// | `I8` … `I64` | `S8` … `S64`, the type's range |
/// | `Uint` / `Sint` | `UINT` / `SINT` (4 or 8 bytes), the 64-bit range |
/// | `Be16` `Be32` `Be64` | `U16` `U32` `U64`: the kernel's dump has no byte-order type (`NLA_BE16`/`NLA_BE32` dump as `U16`/`U32`; a big-endian 64-bit attribute is declared `NLA_U64`) |
/// | `Ipv4` | `U32` (a big-endian `u32`, as YNL declares `display-hint: ipv4`) |
/// | `Ipv6` | `BINARY` of exactly 16 bytes (`NLA_POLICY_EXACT_LEN(16)`: min and max length 16) |
/// | `String` | `NUL_STRING`: the derive writes the NUL, so the fake expects it (the kernel uses `NLA_NUL_STRING` or `NLA_STRING` per family); no maximum length (the schema has none) |
/// | `Binary` | `BINARY`, no length bounds |
/// | `Flag` | `FLAG` |
/// | `Nested` | `NESTED`; in a policy dump also the nested set's policy index and largest attribute id |
/// | `Array` | `NESTED_ARRAY`; with a nested set, also its index and largest id |
/// | `Keyed` | `NESTED` without a policy: the kernel cannot describe keys, so the entries are not checked |
/// | `Unknown` | `BINARY`: a value type of your own accepts any payload (the kernel's `NLA_UNSPEC`, which a dump omits and strict validation rejects, would say otherwise) |
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
/// name and attributes (ids, names, flags and the kind of each, nested sets by name).
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
        check_attr(&info.kind, &a, base, strict, depth)?;
    }
    Ok(())
}

/// The exact payload length of a fixed-size kind (the kernel's `nla_attr_len`).
fn fixed_len(kind: &AttrKind) -> Option<usize> {
    Some(match kind {
        AttrKind::U8 | AttrKind::I8 => 1,
        AttrKind::U16 | AttrKind::I16 | AttrKind::Be16 => 2,
        AttrKind::U32 | AttrKind::I32 | AttrKind::Be32 | AttrKind::Ipv4 => 4,
        AttrKind::U64 | AttrKind::I64 | AttrKind::Be64 => 8,
        _ => return None,
    })
}

fn check_attr(
    kind: &AttrKind,
    a: &Attr<'_>,
    base: usize,
    strict: bool,
    depth: u32,
) -> Result<(), ErrorReply> {
    let at = offset(base.saturating_add(a.offset()));
    let fail = |errno: Errno, msg: &str| {
        ErrorReply::new(errno)
            .msg(msg)
            .at_offset(at)
            .policy(attr_policy(kind))
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
        AttrKind::String if !a.payload().contains(&0) => {
            Err(fail(Errno::INVAL, "Attribute failed policy validation"))
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
                        .policy(attr_policy(kind)));
                }
                let entry_at = payload_at.saturating_add(e.payload_offset());
                check_set(set, e.payload(), entry_at, strict, depth + 1)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
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
