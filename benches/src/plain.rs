//! The plain values every implementation's result is normalised into (outside the timed loops),
//! to assert that all implementations decoded the same thing.

/// One generic netlink family, as `CTRL_CMD_NEWFAMILY` describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Family {
    /// `CTRL_ATTR_FAMILY_ID`.
    pub id: u16,
    /// `CTRL_ATTR_FAMILY_NAME`.
    pub name: String,
    /// `CTRL_ATTR_VERSION`.
    pub version: u32,
    /// `CTRL_ATTR_HDRSIZE`.
    pub hdrsize: u32,
    /// `CTRL_ATTR_MAXATTR`.
    pub maxattr: u32,
    /// `CTRL_ATTR_OPS`, in wire order.
    pub ops: Vec<Op>,
    /// `CTRL_ATTR_MCAST_GROUPS`, in wire order.
    pub groups: Vec<Group>,
}

/// One operation of a family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Op {
    /// `CTRL_ATTR_OP_ID`.
    pub id: u32,
    /// `CTRL_ATTR_OP_FLAGS`.
    pub flags: u32,
}

/// One multicast group of a family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// `CTRL_ATTR_MCAST_GRP_NAME`.
    pub name: String,
    /// `CTRL_ATTR_MCAST_GRP_ID`.
    pub id: u32,
}

/// One message of a `CTRL_CMD_GETPOLICY` dump.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyMsg {
    /// `CTRL_ATTR_FAMILY_ID`.
    pub family: u16,
    /// `CTRL_ATTR_POLICY`: (policy index, attribute index, its policy).
    pub attr: Option<(u16, u16, AttrPolicy)>,
    /// `CTRL_ATTR_OP_POLICY`: (command, do policy index, dump policy index).
    pub op: Option<(u16, Option<u32>, Option<u32>)>,
}

/// `NL_POLICY_TYPE_ATTR_*` of one attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttrPolicy {
    /// `TYPE` (`NL_ATTR_TYPE_*`).
    pub ty: u32,
    /// `MIN_VALUE_S`.
    pub min_s: Option<i64>,
    /// `MAX_VALUE_S`.
    pub max_s: Option<i64>,
    /// `MIN_VALUE_U`.
    pub min_u: Option<u64>,
    /// `MAX_VALUE_U`.
    pub max_u: Option<u64>,
    /// `MIN_LENGTH`.
    pub min_len: Option<u32>,
    /// `MAX_LENGTH`.
    pub max_len: Option<u32>,
    /// `POLICY_IDX`.
    pub policy_idx: Option<u32>,
    /// `POLICY_MAXTYPE`.
    pub policy_maxtype: Option<u32>,
    /// `BITFIELD32_MASK`.
    pub bitfield32_mask: Option<u32>,
    /// `MASK`.
    pub mask: Option<u64>,
}

/// A cheap fingerprint of the values in a list of families, to check that a timed borrowed
/// decode that only folds values (no allocation) saw them.
pub fn fingerprint(families: &[Family]) -> u64 {
    families
        .iter()
        .fold(0, |acc, f| acc.wrapping_add(family_fingerprint(f)))
}

/// The fingerprint of one family; see [`fingerprint`].
pub fn family_fingerprint(f: &Family) -> u64 {
    let mut h = Fold::default();
    h.add(f.id as u64);
    h.add_str(&f.name);
    h.add(f.version as u64);
    h.add(f.hdrsize as u64);
    h.add(f.maxattr as u64);
    for o in &f.ops {
        h.add(o.id as u64);
        h.add(o.flags as u64);
    }
    for g in &f.groups {
        h.add_str(&g.name);
        h.add(g.id as u64);
    }
    h.0
}

/// A fold of values: a wrapping sum, the cheapest fold that still needs every value (one add,
/// one cycle of latency, so the timed borrowed decodes measure the decode and not the fold).
/// Equality of the values themselves is checked separately, outside the timed loops.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fold(pub u64);

impl Fold {
    /// Fold one value.
    #[inline]
    pub fn add(&mut self, v: u64) {
        self.0 = self.0.wrapping_add(v);
    }
    /// Fold a string: its length and its first and last bytes (a decoder cannot produce a right
    /// fingerprint without locating the string).
    #[inline]
    pub fn add_str(&mut self, s: &str) {
        let b = s.as_bytes();
        self.add(b.len() as u64);
        self.add(b.first().copied().unwrap_or(0) as u64);
        self.add(b.last().copied().unwrap_or(0) as u64);
    }
}
