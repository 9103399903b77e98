//! The one description of an attribute set: its attributes' ids, names and kinds, how often
//! each may appear, which are required, and the sets nested in it.
//!
//! `#[derive(NlAttrs)]` emits one [`Schema`] per struct ([`AttrSet::SCHEMA`]); everything that
//! needs to know a set's shape reads it from there, nothing is generated twice: attribute names
//! ([`AttrSet::attr_name`]), the mapping of an extended-ACK offset back to a field path
//! ([`Schema::locate`]) and of a missing attribute to its field ([`Schema::missing`]), the
//! `NETLINK_DEBUG` trace ([`crate::debug`]), and the policies and validation of the fake kernel
//! (`netlink_genl::testing`).
//!
//! Schemas are plain `const` data, so one can be written by hand for a set declared without the
//! derive:
//!
//! ```
//! use netlink_genl_core::schema::{AttrInfo, AttrKind, Schema};
//! use netlink_genl_core::{AttrPath, PathSegment};
//!
//! static OP: Schema = Schema::new("Op", &[
//!     AttrInfo::new(1, "id", AttrKind::U32).required(),
//!     AttrInfo::new(2, "flags", AttrKind::U32),
//! ]);
//! static FAMILY: Schema = Schema::new("Family", &[
//!     AttrInfo::new(2, "name", AttrKind::String),
//!     AttrInfo::new(6, "ops", AttrKind::Array(&AttrKind::Nested(|| &OP))),
//! ]);
//! assert_eq!(FAMILY.attr_name(2), Some("name"));
//!
//! // ops = [ {id: 3, flags: 14} ]: the byte at offset 16 is the `flags` of entry 0.
//! let attrs = [
//!     24, 0, 6, 0x80, // ops
//!     20, 0, 1, 0x80, //   [0]
//!     8, 0, 1, 0, 3, 0, 0, 0, // id
//!     8, 0, 2, 0, 14, 0, 0, 0, // flags
//! ];
//! let mut path = Vec::new();
//! FAMILY.locate(&attrs, 16, &mut path);
//! assert_eq!(AttrPath(path).to_string(), "ops[0].flags");
//! ```

use crate::attr::{Attr, AttrIter, MAX_NEST_DEPTH};
#[cfg(doc)]
use crate::attrs::AttrSet;
use crate::error::{DecodeError, DecodeErrorKind, PathSegment};

/// What an attribute's payload is. Kinds compose: an indexed array of nested sets is
/// `Array(&AttrKind::Nested(schema_fn))`, a keyed nest of `u32`s `Keyed(&AttrKind::U32)`.
///
/// The derives take these from the field types
/// ([`NlaEncode::KIND`](crate::attr::NlaEncode::KIND),
/// [`EncodeCodec::KIND`](crate::attr::codec::EncodeCodec::KIND)); a value type of your own is
/// [`Unknown`](Self::Unknown) unless its `NlaEncode` impl says otherwise.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AttrKind {
    /// Not known (the trace guesses from the payload: string, integer, nest or hex).
    Unknown,
    /// An empty flag.
    Flag,
    /// Host-order integers.
    U8,
    /// u16
    U16,
    /// u32
    U32,
    /// u64
    U64,
    /// Signed integers.
    I8,
    /// i16
    I16,
    /// i32
    I32,
    /// i64
    I64,
    /// `NLA_UINT`: an unsigned integer of 4 or 8 bytes.
    Uint,
    /// `NLA_SINT`: a signed integer of 4 or 8 bytes.
    Sint,
    /// A big-endian (network order) 16-bit integer, shown as an unsigned number in host terms
    /// (a signed `big_endian` field shows its two's-complement bits).
    Be16,
    /// A big-endian `u32`.
    Be32,
    /// A big-endian `u64`.
    Be64,
    /// A string.
    String,
    /// Bytes.
    Binary,
    /// An IPv4 address: 4 bytes in network order, shown as `10.0.0.1`.
    Ipv4,
    /// An IPv6 address: 16 bytes in network order, shown as `2001:db8::1`.
    Ipv6,
    /// A nested set (a function, so that sets can contain themselves).
    Nested(fn() -> &'static Schema),
    /// An indexed array: entries numbered 1..n, each payload of the element kind.
    Array(&'static AttrKind),
    /// A keyed nest: every entry, whatever its type (the key), holds a value of this kind.
    Keyed(&'static AttrKind),
    /// A sub-message (YNL `sub-message`): a nest whose set is chosen by the value of the
    /// sibling attribute `selector` (e.g. rt-link's `data`, chosen by `kind`); see
    /// [`Schema::resolve`].
    SubMessage {
        /// The id of the selector attribute, in the same set.
        selector: u16,
        /// The layouts, by selector value.
        message: &'static SubMessageSchema,
    },
    /// An integer whose values have names (YNL `enum` / `flags` definitions): carried as
    /// [`EnumInfo::kind`], shown by name in the trace. The value kinds `netlink-ynl` generates
    /// for enums and flags report it.
    Enum(&'static EnumInfo),
    /// A packed array (YNL `binary` with a `sub-type`, the derive's `packed`): the elements,
    /// of the scalar kind given, back to back in one payload without headers.
    Packed(&'static AttrKind),
    /// `NLA_BITFIELD32`: a `u32` value and a `u32` selector (YNL `bitfield32`).
    Bitfield32,
}

/// The names of an integer's values: a YNL `enum` (each entry one value) or `flags` (each entry
/// one bit). Static data, built with `const fn`s:
///
/// ```
/// use netlink_genl_core::schema::{AttrKind, EnumInfo};
/// static STATE: EnumInfo = EnumInfo::new("state", &AttrKind::U8, &[("down", 0), ("up", 1)]);
/// assert_eq!(STATE.name_of(1), Some("up"));
/// static CAPS: EnumInfo = EnumInfo::flags("caps", &AttrKind::U32, &[("rx", 1), ("tx", 2)]);
/// assert_eq!(CAPS.names_of(3), ["rx", "tx"]);
/// assert!(matches!(AttrKind::Enum(&CAPS).base(), AttrKind::U32));
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct EnumInfo {
    /// The definition's name (the spec's, for generated types).
    pub name: &'static str,
    /// Whether the entries are bits of a mask (YNL `flags`) rather than values.
    pub flags: bool,
    /// How the integer is carried (`U8`..`I64`, `Be16`.., `Uint`, `Sint`).
    pub kind: &'static AttrKind,
    /// The named values (for flags: each entry's mask, one bit), in definition order.
    pub entries: &'static [(&'static str, i128)],
}

impl EnumInfo {
    /// An enum `name` carried as `kind`, with these named values.
    pub const fn new(
        name: &'static str,
        kind: &'static AttrKind,
        entries: &'static [(&'static str, i128)],
    ) -> Self {
        EnumInfo {
            name,
            flags: false,
            kind,
            entries,
        }
    }

    /// Flags `name` carried as `kind`: each entry one bit, its value the mask.
    pub const fn flags(
        name: &'static str,
        kind: &'static AttrKind,
        entries: &'static [(&'static str, i128)],
    ) -> Self {
        EnumInfo {
            name,
            flags: true,
            kind,
            entries,
        }
    }

    /// The name of value `v` (an enum's entry with that value).
    pub fn name_of(&self, v: i128) -> Option<&'static str> {
        self.entries.iter().find(|e| e.1 == v).map(|e| e.0)
    }

    /// An enum's smallest and largest value, when its values are contiguous (each value
    /// between them named); `None` for flags, for an enum without entries and for a sparse
    /// one.
    pub fn value_range(&self) -> Option<(i128, i128)> {
        if self.flags {
            return None;
        }
        let lo = self.entries.iter().map(|e| e.1).min()?;
        let hi = self.entries.iter().map(|e| e.1).max()?;
        let mut values: Vec<i128> = self.entries.iter().map(|e| e.1).collect();
        values.sort_unstable();
        values.dedup();
        let n = i128::try_from(values.len()).ok()?;
        (hi.checked_sub(lo).and_then(|d| d.checked_add(1)) == Some(n)).then_some((lo, hi))
    }

    /// The bits flags may have set (their entries' masks together); `None` for an enum, and
    /// for flags without entries or with a negative entry.
    pub fn mask(&self) -> Option<u64> {
        if !self.flags || self.entries.is_empty() {
            return None;
        }
        self.entries
            .iter()
            .try_fold(0u64, |m, e| u64::try_from(e.1).ok().map(|b| m | b))
    }

    /// The names of the flags set in `v`, in definition order (bits without a name left out).
    pub fn names_of(&self, v: i128) -> Vec<&'static str> {
        self.entries
            .iter()
            .filter(|e| e.1 != 0 && v & e.1 == e.1)
            .map(|e| e.0)
            .collect()
    }
}

impl AttrKind {
    /// The kind as the wire carries it: an [`Enum`](Self::Enum)'s integer kind, a
    /// [`Packed`](Self::Packed) array's and a [`Bitfield32`](Self::Bitfield32)'s
    /// [`Binary`](Self::Binary); any other kind itself. What code that reads payloads (bounds,
    /// policies) matches on.
    pub const fn base(&self) -> AttrKind {
        match self {
            AttrKind::Enum(e) => e.kind.base(),
            AttrKind::Packed(_) | AttrKind::Bitfield32 => AttrKind::Binary,
            k => *k,
        }
    }

    /// Whether the payload is a nest of attributes (a set, an indexed array, a keyed nest).
    pub const fn is_nest(&self) -> bool {
        matches!(
            self,
            AttrKind::Nested(_)
                | AttrKind::Array(_)
                | AttrKind::Keyed(_)
                | AttrKind::SubMessage { .. }
        )
    }

    /// The schema of a nested set ([`Nested`](Self::Nested)); `None` for any other kind.
    pub fn nested(&self) -> Option<&'static Schema> {
        match self {
            AttrKind::Nested(f) => Some(f()),
            _ => None,
        }
    }

    /// The schema function of a nested set, usable in `const` context (what the
    /// `GenlMessage` derive records for a command's attribute set).
    pub const fn nested_fn(&self) -> Option<fn() -> &'static Schema> {
        match self {
            AttrKind::Nested(f) => Some(*f),
            _ => None,
        }
    }
}

/// One attribute of a [`Schema`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttrInfo {
    /// The attribute id.
    pub id: u16,
    /// Its name (the Rust field name, for derived sets).
    pub name: &'static str,
    /// What its payload is.
    pub kind: AttrKind,
    /// Whether it may appear more than once (`multi`: the id repeated, one value each).
    pub multi: bool,
    /// Whether a set without it is invalid (a non-`Option` field without `default`).
    pub required: bool,
    /// Bounds on its value or length (`#[nla(min = .., max = .., min_len = .., max_len = ..)]`,
    /// YNL `checks`).
    pub checks: Checks,
}

/// Bounds on an attribute, as the kernel's policy states them (YNL `checks`): the value of an
/// integer (`min`, `max`), the length of a string or bytes (`min_len`, `max_len`; a string's
/// without its NUL). Recorded by the derive's options of the same names, read by
/// [`Schema::validate`], by the fake kernel (which advertises and enforces them as the
/// kernel's `nla_policy` would).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Checks {
    /// The smallest value.
    pub min: Option<i128>,
    /// The largest value.
    pub max: Option<i128>,
    /// The shortest payload.
    pub min_len: Option<u32>,
    /// The longest payload.
    pub max_len: Option<u32>,
    /// The bits an unsigned integer may have set (`NLA_POLICY_MASK`): a value with any other
    /// bit set is out of bounds. For a [`Bitfield32`](AttrKind::Bitfield32): the bits its value
    /// and selector may have set (`NLA_POLICY_BITFIELD32`).
    pub mask: Option<u64>,
}

impl Checks {
    /// No bounds.
    pub const NONE: Checks = Checks {
        min: None,
        max: None,
        min_len: None,
        max_len: None,
        mask: None,
    };

    /// The same, with a smallest value.
    pub const fn min(mut self, v: i128) -> Self {
        self.min = Some(v);
        self
    }

    /// The same, with a largest value.
    pub const fn max(mut self, v: i128) -> Self {
        self.max = Some(v);
        self
    }

    /// The same, with a shortest payload.
    pub const fn min_len(mut self, n: u32) -> Self {
        self.min_len = Some(n);
        self
    }

    /// The same, with a longest payload.
    pub const fn max_len(mut self, n: u32) -> Self {
        self.max_len = Some(n);
        self
    }

    /// The same, with the bits an integer may have set.
    pub const fn mask(mut self, bits: u64) -> Self {
        self.mask = Some(bits);
        self
    }

    /// Whether there is no bound at all.
    pub const fn is_empty(&self) -> bool {
        self.min.is_none()
            && self.max.is_none()
            && self.min_len.is_none()
            && self.max_len.is_none()
            && self.mask.is_none()
    }
}

impl AttrInfo {
    /// An optional attribute that appears at most once.
    pub const fn new(id: u16, name: &'static str, kind: AttrKind) -> Self {
        AttrInfo {
            id,
            name,
            kind,
            multi: false,
            required: false,
            checks: Checks::NONE,
        }
    }

    /// The same attribute, with bounds.
    pub const fn checks(mut self, checks: Checks) -> Self {
        self.checks = checks;
        self
    }

    /// The same attribute, repeated (`multi`).
    pub const fn multi(mut self) -> Self {
        self.multi = true;
        self
    }

    /// The same attribute, required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The bounds a kernel policy generated from a YNL spec puts on this attribute: its
    /// declared [`checks`](Self::checks), and for the value of an [`Enum`](AttrKind::Enum)
    /// those its definition implies. Flags: the [`mask`](Checks::mask) of their bits
    /// (`NLA_POLICY_MASK`); an enum whose values are contiguous: its smallest and largest
    /// value, each unless declared (`NLA_POLICY_RANGE`); a sparse enum: none (the kernel checks
    /// it with a function, which its policy dump does not show). What [`Schema::validate`],
    /// the policy view and the fake kernel read.
    ///
    /// ```
    /// use netlink_genl_core::schema::{AttrInfo, AttrKind, Checks, EnumInfo};
    /// static STATE: EnumInfo = EnumInfo::new("state", &AttrKind::U8, &[("down", 0), ("up", 1)]);
    /// let a = AttrInfo::new(1, "state", AttrKind::Enum(&STATE));
    /// assert_eq!(a.policy_checks(), Checks::NONE.min(0).max(1));
    /// static CAPS: EnumInfo = EnumInfo::flags("caps", &AttrKind::U32, &[("rx", 1), ("tx", 4)]);
    /// let a = AttrInfo::new(2, "caps", AttrKind::Enum(&CAPS));
    /// assert_eq!(a.policy_checks(), Checks::NONE.mask(5));
    /// ```
    pub fn policy_checks(&self) -> Checks {
        let mut checks = self.checks;
        let AttrKind::Enum(e) = self.kind else {
            return checks;
        };
        if e.flags {
            let unsigned = !matches!(
                e.kind.base(),
                AttrKind::I8 | AttrKind::I16 | AttrKind::I32 | AttrKind::I64 | AttrKind::Sint
            );
            if unsigned && checks.mask.is_none() {
                checks.mask = e.mask();
            }
        } else if let Some((lo, hi)) = e.value_range() {
            checks.min = checks.min.or(Some(lo));
            checks.max = checks.max.or(Some(hi));
        }
        checks
    }
}

/// An attribute set's description: its name and its attributes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Schema {
    /// The set's name (the Rust type name, for derived sets).
    pub name: &'static str,
    /// Its attributes, in declaration order.
    pub attrs: &'static [AttrInfo],
    /// Whether an attribute id the set does not declare is an error on decode
    /// (`#[nla(deny_unknown)]`); by default unknown ids are skipped.
    pub deny_unknown: bool,
}

impl Schema {
    /// A set named `name` with these attributes.
    pub const fn new(name: &'static str, attrs: &'static [AttrInfo]) -> Self {
        Schema {
            name,
            attrs,
            deny_unknown: false,
        }
    }

    /// The same set, rejecting unknown attribute ids.
    pub const fn deny_unknown(mut self) -> Self {
        self.deny_unknown = true;
        self
    }

    /// The attribute with this id.
    pub fn attr(&self, id: u16) -> Option<&'static AttrInfo> {
        self.attrs.iter().find(|a| a.id == id)
    }

    /// The name of attribute `id`, if the set declares it.
    pub fn attr_name(&self, id: u16) -> Option<&'static str> {
        self.attr(id).map(|a| a.name)
    }

    /// Find the attribute of `buf` (an encoding of this set) that covers byte `offset` and push
    /// its path below the set: the field name (or the id, for an attribute the set does not
    /// declare), the index of a `multi` element, the entry of an indexed array or keyed nest,
    /// and so on down through the nested sets the schema links. Used to map the kernel's
    /// `NLMSGERR_ATTR_OFFS` back to the field the user set. Returns the kind of the deepest
    /// attribute found (`None` when no attribute covers the offset).
    pub fn locate(
        &self,
        buf: &[u8],
        offset: usize,
        path: &mut Vec<PathSegment>,
    ) -> Option<AttrKind> {
        self.locate_at(buf, offset, path, 0)
    }

    fn locate_at(
        &self,
        buf: &[u8],
        offset: usize,
        path: &mut Vec<PathSegment>,
        depth: u32,
    ) -> Option<AttrKind> {
        let (a, ordinal) = covering(buf, offset)?;
        let Some(info) = self.attr(a.id()) else {
            path.push(PathSegment::Attr(a.id()));
            return Some(AttrKind::Unknown);
        };
        path.push(PathSegment::Field(info.name));
        if info.multi {
            path.push(PathSegment::Index(ordinal));
        }
        Some(descend(
            self.resolve(info.kind, buf),
            &a,
            offset,
            path,
            depth,
        ))
    }

    /// The path of a required attribute the kernel reported missing
    /// (`NLMSGERR_ATTR_MISS_TYPE` = `id`) in `buf`, an encoding of this set. `nest` is the
    /// offset of the nest it is missing from (`NLMSGERR_ATTR_MISS_NEST`), `None` for this set
    /// itself. Pushes the path of the nest (as [`locate`](Self::locate) does), then the name of
    /// the missing attribute where the nest's schema declares it (its id otherwise).
    pub fn missing(&self, buf: &[u8], nest: Option<usize>, id: u16, path: &mut Vec<PathSegment>) {
        let set = match nest {
            None => Some(self),
            Some(off) => match self.locate(buf, off, path) {
                Some(AttrKind::Nested(f)) => Some(f()),
                _ => None,
            },
        };
        path.push(match set.and_then(|s| s.attr_name(id)) {
            Some(n) => PathSegment::Field(n),
            None => PathSegment::Attr(id),
        });
    }
}

impl Schema {
    /// Check `buf` (an encoding of this set, e.g. what a request will carry) against the bounds
    /// the schema records ([`AttrInfo::policy_checks`]: the declared [`Checks`] and those an
    /// enum's values imply), nested sets, array entries and keyed values included: the opt-in
    /// check before sending that the kernel's policy would otherwise make. An integer outside
    /// `min`/`max` is [`OutOfRange`](DecodeErrorKind::OutOfRange), one with a bit outside
    /// `mask` [`OutsideMask`](DecodeErrorKind::OutsideMask), a payload outside
    /// `min_len`/`max_len` [`LengthOutOfRange`](DecodeErrorKind::LengthOutOfRange), each with
    /// the attribute's path and offset. Attributes the schema does not declare, and payloads
    /// that are not what their kind says, are left to decoding.
    ///
    /// ```
    /// use netlink_genl_core::schema::{AttrInfo, AttrKind, Checks, Schema};
    /// static S: Schema = Schema::new("Limits", &[
    ///     AttrInfo::new(1, "subflows", AttrKind::U32).checks(Checks::NONE.max(8)),
    /// ]);
    /// assert!(S.validate(&[8, 0, 1, 0, 8, 0, 0, 0]).is_ok());
    /// let e = S.validate(&[8, 0, 1, 0, 9, 0, 0, 0]).unwrap_err();
    /// assert_eq!(e.to_string(), "Limits.subflows: value 9 out of range [.., 8] (at byte 4)");
    /// ```
    pub fn validate(&self, buf: &[u8]) -> Result<(), DecodeError> {
        self.validate_at(buf, 0).map_err(|e| e.in_type(self.name))
    }

    fn validate_at(&self, buf: &[u8], depth: u32) -> Result<(), DecodeError> {
        let mut seen: Vec<(u16, usize)> = Vec::new();
        for a in AttrIter::new(buf) {
            let a = a?;
            let Some(info) = self.attr(a.id()) else {
                continue;
            };
            let index = if info.multi {
                let n = match seen.iter_mut().find(|(id, _)| *id == a.id()) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        seen.push((a.id(), 0));
                        0
                    }
                };
                Some(n)
            } else {
                None
            };
            let kind = self.resolve(info.kind, buf);
            check_value(kind, &info.policy_checks(), a.payload(), depth).map_err(
                |e| match index {
                    Some(i) => e
                        .within(PathSegment::Index(i), a.payload_offset())
                        .in_segment(PathSegment::Field(info.name)),
                    None => e.in_field(info.name, a.payload_offset()),
                },
            )?;
        }
        Ok(())
    }
}

/// Check one payload of kind `kind` against `checks`, and what is nested in it against its own.
fn check_value(kind: AttrKind, checks: &Checks, p: &[u8], depth: u32) -> Result<(), DecodeError> {
    // A bitfield32's value and selector (two host-order u32s) each within the mask.
    if let (AttrKind::Bitfield32, Some(mask), Ok(b)) = (kind, checks.mask, <[u8; 8]>::try_from(p)) {
        let [v0, v1, v2, v3, s0, s1, s2, s3] = b;
        for v in [
            u32::from_ne_bytes([v0, v1, v2, v3]),
            u32::from_ne_bytes([s0, s1, s2, s3]),
        ] {
            if u64::from(v) & !mask != 0 {
                return Err(DecodeError::new(DecodeErrorKind::OutsideMask {
                    value: v.into(),
                    mask,
                }));
            }
        }
    }
    let kind = kind.base();
    if let Some(v) = int_value(kind, p) {
        let low = checks.min.is_some_and(|m| v < m);
        let high = checks.max.is_some_and(|m| v > m);
        if low || high {
            return Err(DecodeError::new(DecodeErrorKind::OutOfRange {
                value: v,
                min: checks.min,
                max: checks.max,
            }));
        }
        if let (Some(mask), Ok(v)) = (checks.mask, u64::try_from(v)) {
            if v & !mask != 0 {
                return Err(DecodeError::new(DecodeErrorKind::OutsideMask {
                    value: v,
                    mask,
                }));
            }
        }
    }
    if checks.min_len.is_some() || checks.max_len.is_some() {
        let len = match kind {
            AttrKind::String => p.strip_suffix(&[0]).unwrap_or(p).len(),
            _ => p.len(),
        };
        let n = u32::try_from(len).unwrap_or(u32::MAX);
        if checks.min_len.is_some_and(|m| n < m) || checks.max_len.is_some_and(|m| n > m) {
            return Err(DecodeError::new(DecodeErrorKind::LengthOutOfRange {
                len,
                min: checks.min_len,
                max: checks.max_len,
            }));
        }
    }
    if depth >= MAX_NEST_DEPTH {
        return Ok(());
    }
    match kind {
        AttrKind::Nested(f) => f().validate_at(p, depth + 1),
        AttrKind::Array(elem) | AttrKind::Keyed(elem) => {
            for (i, e) in AttrIter::new(p).enumerate() {
                let e = e?;
                let seg = match kind {
                    AttrKind::Array(_) => PathSegment::Index(i),
                    _ => PathSegment::Key(e.id().into()),
                };
                check_value(*elem, &Checks::NONE, e.payload(), depth + 1)
                    .map_err(|err| err.within(seg, e.payload_offset()))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The value of an integer payload of kind `kind` (`None`: not an integer, or not its size).
pub(crate) fn int_value(kind: AttrKind, p: &[u8]) -> Option<i128> {
    let kind = kind.base();
    fn ne<const N: usize>(p: &[u8]) -> Option<[u8; N]> {
        p.try_into().ok()
    }
    Some(match kind {
        AttrKind::U8 => u8::from_ne_bytes(ne(p)?).into(),
        AttrKind::U16 => u16::from_ne_bytes(ne(p)?).into(),
        AttrKind::U32 => u32::from_ne_bytes(ne(p)?).into(),
        AttrKind::U64 => u64::from_ne_bytes(ne(p)?).into(),
        AttrKind::I8 => i8::from_ne_bytes(ne(p)?).into(),
        AttrKind::I16 => i16::from_ne_bytes(ne(p)?).into(),
        AttrKind::I32 => i32::from_ne_bytes(ne(p)?).into(),
        AttrKind::I64 => i64::from_ne_bytes(ne(p)?).into(),
        AttrKind::Be16 => u16::from_be_bytes(ne(p)?).into(),
        AttrKind::Be32 => u32::from_be_bytes(ne(p)?).into(),
        AttrKind::Be64 => u64::from_be_bytes(ne(p)?).into(),
        AttrKind::Uint => match p.len() {
            4 => u32::from_ne_bytes(ne(p)?).into(),
            _ => u64::from_ne_bytes(ne(p)?).into(),
        },
        AttrKind::Sint => match p.len() {
            4 => i32::from_ne_bytes(ne(p)?).into(),
            _ => i64::from_ne_bytes(ne(p)?).into(),
        },
        _ => return None,
    })
}

/// The attribute of `buf` covering `offset`, with its ordinal among the attributes of the same
/// id before it (the index of a `multi` element).
fn covering(buf: &[u8], offset: usize) -> Option<(Attr<'_>, usize)> {
    let a = AttrIter::new(buf)
        .map_while(Result::ok)
        .find(|a| crate::attrs::covers(a, offset))?;
    let ordinal = AttrIter::new(buf)
        .map_while(Result::ok)
        .take_while(|x| x.offset() < a.offset())
        .filter(|x| x.id() == a.id())
        .count();
    Some((a, ordinal))
}

/// Descend from attribute `a` of kind `kind` towards `offset` (an offset in the buffer `a` was
/// read from); returns the kind of the deepest attribute reached. Stops at
/// [`MAX_NEST_DEPTH`] levels, as decoding does.
fn descend(
    kind: AttrKind,
    a: &Attr<'_>,
    offset: usize,
    path: &mut Vec<PathSegment>,
    depth: u32,
) -> AttrKind {
    let Some(inner) = offset.checked_sub(a.payload_offset()) else {
        return kind; // the offset is in the header: this attribute
    };
    if depth >= MAX_NEST_DEPTH {
        return kind;
    }
    match kind {
        AttrKind::Nested(f) => f()
            .locate_at(a.payload(), inner, path, depth + 1)
            .unwrap_or(kind),
        AttrKind::Array(elem) | AttrKind::Keyed(elem) => {
            let entries = AttrIter::new(a.payload()).map_while(Result::ok);
            for (i, e) in entries.enumerate() {
                if crate::attrs::covers(&e, inner) {
                    path.push(match kind {
                        AttrKind::Array(_) => PathSegment::Index(i),
                        _ => PathSegment::Key(e.id().into()),
                    });
                    return descend(*elem, &e, inner, path, depth + 1);
                }
            }
            kind
        }
        _ => kind,
    }
}

/// The value of a sub-message's selector: the attribute whose value chooses the layout of a
/// sibling attribute (YNL `sub-message` with `selector`), e.g. rt-link's `kind` = `"vlan"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selector<'s> {
    /// A string selector (without its NUL).
    Str(&'s str),
    /// An integer selector.
    Int(i128),
}

impl core::fmt::Display for Selector<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Selector::Str(s) => write!(f, "{s:?}"),
            Selector::Int(v) => write!(f, "{v}"),
        }
    }
}

/// One layout of a [`SubMessageSchema`]: the selector value that chooses it and its set.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SubFormat {
    /// The selector value.
    pub value: Selector<'static>,
    /// The set's schema.
    pub schema: fn() -> &'static Schema,
}

impl SubFormat {
    /// The layout `schema` for selector value `value`.
    pub const fn new(value: Selector<'static>, schema: fn() -> &'static Schema) -> Self {
        SubFormat { value, schema }
    }
}

/// A sub-message's layouts, one per selector value (`#[derive(NlSubMessage)]` emits it): what
/// [`AttrKind::SubMessage`] links to, so the trace, [`Schema::locate`] and
/// [`Schema::validate`] follow a sub-message into the set its selector chooses.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SubMessageSchema {
    /// The name (the Rust type name, for derived sub-messages).
    pub name: &'static str,
    /// The layouts.
    pub formats: &'static [SubFormat],
}

impl SubMessageSchema {
    /// A sub-message named `name` with these layouts.
    pub const fn new(name: &'static str, formats: &'static [SubFormat]) -> Self {
        SubMessageSchema { name, formats }
    }

    /// The set that selector value `value` chooses (`None`: a value without a layout, whose
    /// payload is kept as bytes).
    pub fn format(&self, value: Selector<'_>) -> Option<&'static Schema> {
        self.formats
            .iter()
            .find(|f| f.value == value)
            .map(|f| (f.schema)())
    }
}

impl Schema {
    /// The value of this set's attribute `id` in `buf` (an encoding of the set) read as a
    /// selector: a string's text, an integer's value (by the attribute's kind). `None` when
    /// absent or not readable.
    pub fn selector<'b>(&self, buf: &'b [u8], id: u16) -> Option<Selector<'b>> {
        let kind = self.attr(id)?.kind;
        let a = AttrIter::new(buf)
            .map_while(Result::ok)
            .find(|a| a.id() == id)?;
        let p = a.payload();
        match kind {
            AttrKind::String | AttrKind::Unknown | AttrKind::Binary => {
                let text = p.strip_suffix(&[0]).unwrap_or(p);
                core::str::from_utf8(text).ok().map(Selector::Str)
            }
            k => int_value(k, p).map(Selector::Int),
        }
    }

    /// The kind of an attribute of this set found in `buf` (an encoding of the set): `kind`
    /// itself, except for a sub-message, which is the set its selector (read from `buf`)
    /// chooses, or [`Unknown`](AttrKind::Unknown) when the selector is absent or has no layout.
    pub fn resolve(&self, kind: AttrKind, buf: &[u8]) -> AttrKind {
        match kind {
            AttrKind::SubMessage { selector, message } => self
                .selector(buf, selector)
                .and_then(|v| message.formats.iter().find(|f| f.value == v))
                .map_or(AttrKind::Unknown, |f| AttrKind::Nested(f.schema)),
            k => k,
        }
    }
}
