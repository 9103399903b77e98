//! Validation like the kernel's (`lib/nlattr.c`): a request's attributes against an
//! operation's policy, computed from the schemas by [`crate::policy`].

use netlink_genl_core::Errno;
use netlink_genl_core::attr::{Attr, AttrIter};
use netlink_genl_core::schema::{AttrInfo, AttrKind};

use super::ErrorReply;
use crate::policy::{PolicySet, binary_kind, info_policy, int_kind, int_range};
#[cfg(test)]
use crate::policy::{checked_policy, same_set};

/// How deep validation follows nests (`MAX_POLICY_RECURSION_DEPTH`).
const MAX_DEPTH: u32 = 10;

/// Validate the attributes `attrs` (at byte `base` of the request message) against `set`, as
/// the kernel parses a request before its handler runs: the attributes' types, lengths and
/// nests (`nla_parse`, strict or liberal), then the required attributes (what a handler's
/// `GENL_REQ_ATTR_CHECK` reports).
///
/// `policy` is the operation's: its set, restricted to the attributes its request declares
/// (an attribute of the set outside it is rejected as the kernel rejects an attribute its
/// per-operation policy does not list).
pub(super) fn validate(
    policy: PolicySet,
    attrs: &[u8],
    base: usize,
    strict: bool,
) -> Result<(), ErrorReply> {
    check_set(policy, attrs, base, strict, 0)?;
    check_required(policy, attrs, base, None, 0)
}

fn offset(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

fn check_set(
    policy: PolicySet,
    buf: &[u8],
    base: usize,
    strict: bool,
    depth: u32,
) -> Result<(), ErrorReply> {
    if depth >= MAX_DEPTH {
        return Err(ErrorReply::new(Errno::INVAL).msg("allowed policy recursion depth exceeded"));
    }
    let maxtype = policy.max_id();
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
        // The kernel's `nla_parse` skips type 0 (its `*_UNSPEC`); a set that declares an
        // attribute 0 is one its family reads with its own loop (nl80211's bands, ovs_flow's
        // tunnel key), which takes it like any other type.
        let declared_zero = id == 0 && policy.set.attr(0).is_some_and(|a| policy.accepts(a.name));
        if (id == 0 && !declared_zero) || id > maxtype {
            if strict {
                return Err(ErrorReply::new(Errno::INVAL)
                    .msg("Unknown attribute type")
                    .at_offset(at));
            }
            continue;
        }
        let Some(info) = policy.set.attr(id).filter(|a| policy.accepts(a.name)) else {
            // An id below the largest that the set does not declare: NLA_UNSPEC in the kernel.
            if strict {
                return Err(ErrorReply::new(Errno::INVAL)
                    .msg("Unsupported attribute")
                    .at_offset(at));
            }
            continue;
        };
        // A sub-message is checked as the set its selector chooses (any payload without one).
        let mut info = *info;
        info.kind = policy.set.resolve(info.kind, buf);
        check_attr(&info, &a, base, strict, depth)?;
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
            .policy(info_policy(info))
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
        AttrKind::Nested(f) => check_set(
            PolicySet::whole(f()),
            a.payload(),
            payload_at,
            strict,
            depth + 1,
        ),
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
                        .policy(info_policy(info)));
                }
                let entry_at = payload_at.saturating_add(e.payload_offset());
                check_set(
                    PolicySet::whole(set),
                    e.payload(),
                    entry_at,
                    strict,
                    depth + 1,
                )?;
            }
            Ok(())
        }
        AttrKind::Bitfield32 => check_bitfield32(info, a.payload())
            .map_err(|e| fail(e, "Attribute failed policy validation")),
        _ if reserved_bits(info, a.payload()) => {
            // nla_validate_mask: EINVAL, with the offset but not the policy.
            Err(ErrorReply::new(Errno::INVAL)
                .msg("reserved bit set")
                .at_offset(at))
        }
        _ => check_bounds(info, a.payload()).map_err(|msg| fail(Errno::RANGE, msg)),
    }
}

/// `validate_nla` for `NLA_BITFIELD32`: exactly 8 bytes (else `ERANGE`), then
/// `validate_nla_bitfield32`: a selector or value bit outside the valid ones (the attribute's
/// `mask`, else all), or a value bit the selector does not select, `EINVAL`.
fn check_bitfield32(info: &AttrInfo, p: &[u8]) -> Result<(), Errno> {
    let Ok([v0, v1, v2, v3, s0, s1, s2, s3]) = <[u8; 8]>::try_from(p) else {
        return Err(Errno::RANGE);
    };
    let value = u32::from_ne_bytes([v0, v1, v2, v3]);
    let selector = u32::from_ne_bytes([s0, s1, s2, s3]);
    let valid = info
        .policy_checks()
        .mask
        .map_or(u32::MAX, |m| (m & u64::from(u32::MAX)) as u32);
    if valid == 0 || selector & !valid != 0 || value & !valid != 0 || value & !selector != 0 {
        return Err(Errno::INVAL);
    }
    Ok(())
}

/// Whether an integer has a bit set outside its policy's mask (`NLA_POLICY_MASK`).
fn reserved_bits(info: &AttrInfo, p: &[u8]) -> bool {
    let Some(mask) = info.policy_checks().mask else {
        return false;
    };
    int_value(&info.kind, p).is_some_and(|v| u64::try_from(v).map_or(true, |v| v & !mask != 0))
}

/// Whether a length `n` is above `max`.
fn exceeds(n: usize, max: u32) -> bool {
    u32::try_from(n).map_or(true, |n| n > max)
}

/// The range checks the kernel runs after the type's (`nla_validate_int_range`): an integer
/// outside its bounds, bytes of a length outside theirs; the extended-ACK message.
fn check_bounds(info: &AttrInfo, p: &[u8]) -> Result<(), &'static str> {
    let kind = &info.kind;
    let checks = &info.policy_checks();
    if checks.is_empty() {
        return Ok(());
    }
    if let Some(int) = int_kind(kind) {
        let (min, max) = int_range(int, checks);
        if let Some(v) = int_value(kind, p) {
            // A mask is checked instead (`reserved_bits`).
            if checks.mask.is_none() && (v < min || v > max) {
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
    policy: PolicySet,
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
    let set = policy.set;
    if let Some(missing) = set
        .attrs
        .iter()
        .find(|a| a.required && policy.accepts(a.name) && !present(a.id))
    {
        let mut e = ErrorReply::new(Errno::INVAL).missing(u32::from(missing.id));
        if let Some(n) = nest {
            e = e.missing_in_nest(n);
        }
        return Err(e);
    }
    for a in AttrIter::new(buf).map_while(Result::ok) {
        let Some(info) = set.attr(a.id()).filter(|i| policy.accepts(i.name)) else {
            continue;
        };
        let header = offset(base.saturating_add(a.offset()));
        let payload_at = base.saturating_add(a.payload_offset());
        match &set.resolve(info.kind, buf) {
            AttrKind::Nested(f) => {
                let inner = PolicySet::whole(f());
                check_required(inner, a.payload(), payload_at, Some(header), depth + 1)?;
            }
            AttrKind::Array(elem) => {
                if let Some(inner) = elem.nested() {
                    for e in AttrIter::new(a.payload()).map_while(Result::ok) {
                        let entry = offset(payload_at.saturating_add(e.offset()));
                        let entry_at = payload_at.saturating_add(e.payload_offset());
                        let inner = PolicySet::whole(inner);
                        check_required(inner, e.payload(), entry_at, Some(entry), depth + 1)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_genl_core::schema::{Checks, Schema};

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
        match validate(PolicySet::whole(&SET), &attr(id, payload), 20, true) {
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
            .map(|a| info_policy(a).to_string())
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
