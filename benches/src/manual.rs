//! netlink-genl-core used by hand: `AttrWriter`/`build_message` to encode, `MessageIter`/`AttrIter`
//! and the value traits to decode. No derive. This is the "what's possible" line of the tables
//! ("netlink-genl-core manual"): what generated code should compile down to.

use netlink_genl_core::attr::{ArrayView, AttrIter, NlaDecode, attr_size};
use netlink_genl_core::message::{MessageIter, MessageKind, build_message, build_message_in};
use netlink_genl_core::{DecodeError, DecodeErrorKind, EncodeError};

use crate::plain::{AttrPolicy, Family, Fold, Group, Op, PolicyMsg};
use crate::{CTRL_CMD_GETFAMILY, GENL_ID_CTRL, REQ_VERSION};

/// Any error of the benchmark wrappers (allocated only on the error path).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

const GENL_HDRLEN: usize = 4;

/// Encode a GETFAMILY request for `name` at the start of a reused `Vec` (cleared first). Does
/// not allocate once the `Vec` has held one request.
#[inline]
pub fn encode_getfamily(
    buf: &mut Vec<u8>,
    name: &str,
    flags: u16,
    seq: u32,
) -> Result<(), EncodeError> {
    buf.clear();
    let payload_len = GENL_HDRLEN + attr_size(name.len() + 1);
    build_message(buf, GENL_ID_CTRL, flags, seq, 0, payload_len, |w| {
        w.put_bytes(&[CTRL_CMD_GETFAMILY, REQ_VERSION, 0, 0])?;
        w.put_value(2, name)
    })?;
    Ok(())
}

/// Encode a GETFAMILY request for `name` into a fixed buffer; returns its length.
#[inline]
pub fn encode_getfamily_in(
    buf: &mut [u8],
    name: &str,
    flags: u16,
    seq: u32,
) -> Result<usize, EncodeError> {
    build_message_in(buf, GENL_ID_CTRL, flags, seq, 0, |w| {
        w.put_bytes(&[CTRL_CMD_GETFAMILY, REQ_VERSION, 0, 0])?;
        w.put_value(2, name)
    })
}

/// A dump request with a genl header and no attributes (GETFAMILY dump).
pub fn encode_dump(buf: &mut Vec<u8>, cmd: u8, flags: u16, seq: u32) -> Result<(), EncodeError> {
    buf.clear();
    build_message(buf, GENL_ID_CTRL, flags, seq, 0, GENL_HDRLEN, |w| {
        w.put_bytes(&[cmd, REQ_VERSION, 0, 0])
    })?;
    Ok(())
}

#[cold]
fn short_genl(had: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Truncated {
        what: "genl header",
        needed: GENL_HDRLEN,
        had,
    })
}

/// The attributes after the genl header of a message payload.
#[inline]
pub fn genl_attrs(payload: &[u8]) -> Result<&[u8], DecodeError> {
    payload
        .get(GENL_HDRLEN..)
        .ok_or_else(|| short_genl(payload.len()))
}

/// Walk a reply buffer (one or more datagrams, concatenated): call `on_data` with the attributes
/// of every data message; stop at `DONE` or an ACK. Returns whether the reply ended there.
#[inline]
pub fn for_each_data<'a>(
    buf: &'a [u8],
    mut on_data: impl FnMut(&'a [u8]) -> Result<(), BoxError>,
) -> Result<bool, BoxError> {
    for m in MessageIter::new(buf) {
        match m?.kind()? {
            MessageKind::Data(p) => on_data(genl_attrs(p)?)?,
            MessageKind::Done(_) | MessageKind::Ack(_) => return Ok(true),
            MessageKind::Error(e) => return Err(format!("kernel error {}", e.error).into()),
            _ => {}
        }
    }
    Ok(false)
}

// ---------------------------------------------------------------------------------------------
// Families: owned.

/// Decode the attributes of one NEWFAMILY message into an owned [`Family`].
pub fn decode_family(attrs: &[u8]) -> Result<Family, DecodeError> {
    let mut f = Family::default();
    for a in AttrIter::new(attrs) {
        let a = a?;
        let p = a.payload();
        match a.id() {
            1 => f.id = u16::decode_payload(p)?,
            2 => f.name = String::decode_payload(p)?,
            3 => f.version = u32::decode_payload(p)?,
            4 => f.hdrsize = u32::decode_payload(p)?,
            5 => f.maxattr = u32::decode_payload(p)?,
            6 => {
                for e in a.nested() {
                    let o = OpRef::decode_payload(e?.payload())?;
                    f.ops.push(Op {
                        id: o.id,
                        flags: o.flags,
                    });
                }
            }
            7 => {
                for e in a.nested() {
                    let g = GroupRef::decode_payload(e?.payload())?;
                    f.groups.push(Group {
                        name: g.name.to_owned(),
                        id: g.id,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(f)
}

/// Decode a whole GETFAMILY dump reply into owned families.
pub fn decode_family_dump(buf: &[u8]) -> Result<Vec<Family>, BoxError> {
    let mut out = Vec::new();
    for_each_data(buf, |attrs| {
        out.push(decode_family(attrs)?);
        Ok(())
    })?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Families: borrowed (zero-copy, zero allocation).

/// One family borrowed from the reply buffer: `&str` names and lazily decoded arrays.
#[derive(Clone, Copy)]
pub struct FamilyRef<'a> {
    /// `CTRL_ATTR_FAMILY_ID`.
    pub id: u16,
    /// `CTRL_ATTR_FAMILY_NAME`.
    pub name: &'a str,
    /// `CTRL_ATTR_VERSION`.
    pub version: u32,
    /// `CTRL_ATTR_HDRSIZE`.
    pub hdrsize: u32,
    /// `CTRL_ATTR_MAXATTR`.
    pub maxattr: u32,
    /// `CTRL_ATTR_OPS`.
    pub ops: ArrayView<'a, OpRef>,
    /// `CTRL_ATTR_MCAST_GROUPS`.
    pub groups: ArrayView<'a, GroupRef<'a>>,
}

/// One operation (an element of `CTRL_ATTR_OPS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpRef {
    /// `CTRL_ATTR_OP_ID`.
    pub id: u32,
    /// `CTRL_ATTR_OP_FLAGS`.
    pub flags: u32,
}

impl<'a> NlaDecode<'a> for OpRef {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        let mut o = OpRef::default();
        for a in AttrIter::new(p) {
            let a = a?;
            match a.id() {
                1 => o.id = u32::decode_payload(a.payload())?,
                2 => o.flags = u32::decode_payload(a.payload())?,
                _ => {}
            }
        }
        Ok(o)
    }
}

/// One multicast group (an element of `CTRL_ATTR_MCAST_GROUPS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupRef<'a> {
    /// `CTRL_ATTR_MCAST_GRP_NAME`.
    pub name: &'a str,
    /// `CTRL_ATTR_MCAST_GRP_ID`.
    pub id: u32,
}

impl<'a> NlaDecode<'a> for GroupRef<'a> {
    #[inline]
    fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
        let mut g = GroupRef::default();
        for a in AttrIter::new(p) {
            let a = a?;
            match a.id() {
                1 => g.name = <&str>::decode_payload(a.payload())?,
                2 => g.id = u32::decode_payload(a.payload())?,
                _ => {}
            }
        }
        Ok(g)
    }
}

/// Decode the attributes of one NEWFAMILY message, borrowing.
#[inline]
pub fn decode_family_ref(attrs: &[u8]) -> Result<FamilyRef<'_>, DecodeError> {
    let mut f = FamilyRef {
        id: 0,
        name: "",
        version: 0,
        hdrsize: 0,
        maxattr: 0,
        ops: ArrayView::new(&[]),
        groups: ArrayView::new(&[]),
    };
    for a in AttrIter::new(attrs) {
        let a = a?;
        let p = a.payload();
        match a.id() {
            1 => f.id = u16::decode_payload(p)?,
            2 => f.name = <&str>::decode_payload(p)?,
            3 => f.version = u32::decode_payload(p)?,
            4 => f.hdrsize = u32::decode_payload(p)?,
            5 => f.maxattr = u32::decode_payload(p)?,
            6 => f.ops = ArrayView::decode_payload_at(p, 0)?,
            7 => f.groups = ArrayView::decode_payload_at(p, 0)?,
            _ => {}
        }
    }
    Ok(f)
}

/// Visit every value of a borrowed family (decoding its arrays) and fold them into the same
/// fingerprint as [`crate::plain::family_fingerprint`].
#[inline]
pub fn fold_family(f: &FamilyRef<'_>) -> Result<u64, DecodeError> {
    let mut h = Fold::default();
    h.add(f.id as u64);
    h.add_str(f.name);
    h.add(f.version as u64);
    h.add(f.hdrsize as u64);
    h.add(f.maxattr as u64);
    for o in f.ops.iter() {
        let o = o?;
        h.add(o.id as u64);
        h.add(o.flags as u64);
    }
    for g in f.groups.iter() {
        let g = g?;
        h.add_str(g.name);
        h.add(g.id as u64);
    }
    Ok(h.0)
}

/// Decode a whole GETFAMILY dump reply without allocating: every family is decoded borrowed and
/// every value visited. Returns the fingerprint of all values ([`crate::plain::fingerprint`]).
pub fn fold_family_dump(buf: &[u8]) -> Result<u64, BoxError> {
    let mut acc = 0u64;
    for_each_data(buf, |attrs| {
        acc = acc.wrapping_add(fold_family(&decode_family_ref(attrs)?)?);
        Ok(())
    })?;
    Ok(acc)
}

/// A borrowed family as a plain one (for the equality checks).
pub fn family_ref_to_plain(f: &FamilyRef<'_>) -> Result<Family, DecodeError> {
    Ok(Family {
        id: f.id,
        name: f.name.to_owned(),
        version: f.version,
        hdrsize: f.hdrsize,
        maxattr: f.maxattr,
        ops: f
            .ops
            .iter()
            .map(|o| {
                o.map(|o| Op {
                    id: o.id,
                    flags: o.flags,
                })
            })
            .collect::<Result<_, _>>()?,
        groups: f
            .groups
            .iter()
            .map(|g| {
                g.map(|g| Group {
                    name: g.name.to_owned(),
                    id: g.id,
                })
            })
            .collect::<Result<_, _>>()?,
    })
}

// ---------------------------------------------------------------------------------------------
// Policies.

/// Decode one `NL_POLICY_TYPE_ATTR_*` set.
#[inline]
pub fn decode_attr_policy(p: &[u8]) -> Result<AttrPolicy, DecodeError> {
    let mut s = AttrPolicy::default();
    for a in AttrIter::new(p) {
        let a = a?;
        let p = a.payload();
        match a.id() {
            1 => s.ty = u32::decode_payload(p)?,
            2 => s.min_s = Some(i64::decode_payload(p)?),
            3 => s.max_s = Some(i64::decode_payload(p)?),
            4 => s.min_u = Some(u64::decode_payload(p)?),
            5 => s.max_u = Some(u64::decode_payload(p)?),
            6 => s.min_len = Some(u32::decode_payload(p)?),
            7 => s.max_len = Some(u32::decode_payload(p)?),
            8 => s.policy_idx = Some(u32::decode_payload(p)?),
            9 => s.policy_maxtype = Some(u32::decode_payload(p)?),
            10 => s.bitfield32_mask = Some(u32::decode_payload(p)?),
            12 => s.mask = Some(u64::decode_payload(p)?),
            _ => {}
        }
    }
    Ok(s)
}

/// Decode the attributes of one GETPOLICY reply message.
#[inline]
pub fn decode_policy_msg(attrs: &[u8]) -> Result<PolicyMsg, DecodeError> {
    let mut m = PolicyMsg::default();
    for a in AttrIter::new(attrs) {
        let a = a?;
        match a.id() {
            1 => m.family = u16::decode_payload(a.payload())?,
            8 => {
                for pol in a.nested() {
                    let pol = pol?;
                    for at in pol.nested() {
                        let at = at?;
                        m.attr = Some((pol.id(), at.id(), decode_attr_policy(at.payload())?));
                    }
                }
            }
            9 => {
                for c in a.nested() {
                    let c = c?;
                    let (mut d, mut du) = (None, None);
                    for x in c.nested() {
                        let x = x?;
                        match x.id() {
                            1 => d = Some(u32::decode_payload(x.payload())?),
                            2 => du = Some(u32::decode_payload(x.payload())?),
                            _ => {}
                        }
                    }
                    m.op = Some((c.id(), d, du));
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

/// Decode a whole GETPOLICY dump reply into a `Vec`.
pub fn decode_policy_dump(buf: &[u8]) -> Result<Vec<PolicyMsg>, BoxError> {
    let mut out = Vec::new();
    for_each_data(buf, |attrs| {
        out.push(decode_policy_msg(attrs)?);
        Ok(())
    })?;
    Ok(out)
}

/// Decode a whole GETPOLICY dump reply without storing it: fold every message's values.
pub fn fold_policy_dump(buf: &[u8]) -> Result<u64, BoxError> {
    let mut acc = 0u64;
    for_each_data(buf, |attrs| {
        acc = acc.wrapping_add(policy_fingerprint(&decode_policy_msg(attrs)?));
        Ok(())
    })?;
    Ok(acc)
}

/// The fingerprint of one policy message (every field, in order).
#[inline]
pub fn policy_fingerprint(m: &PolicyMsg) -> u64 {
    let mut h = Fold::default();
    let opt = |h: &mut Fold, v: Option<u64>| match v {
        Some(v) => {
            h.add(1);
            h.add(v);
        }
        None => h.add(0),
    };
    h.add(m.family as u64);
    if let Some((p, a, s)) = m.attr {
        h.add(p as u64);
        h.add(a as u64);
        h.add(s.ty as u64);
        opt(&mut h, s.min_s.map(|v| v as u64));
        opt(&mut h, s.max_s.map(|v| v as u64));
        opt(&mut h, s.min_u);
        opt(&mut h, s.max_u);
        opt(&mut h, s.min_len.map(u64::from));
        opt(&mut h, s.max_len.map(u64::from));
        opt(&mut h, s.policy_idx.map(u64::from));
        opt(&mut h, s.policy_maxtype.map(u64::from));
        opt(&mut h, s.bitfield32_mask.map(u64::from));
        opt(&mut h, s.mask);
    }
    if let Some((c, d, du)) = m.op {
        h.add(c as u64);
        opt(&mut h, d.map(u64::from));
        opt(&mut h, du.map(u64::from));
    }
    h.0
}

// ---------------------------------------------------------------------------------------------
// The tight walk: the floor for borrowed decode.

/// The next attribute of `buf`: (type without flag bits, payload, rest after padding), or `None`
/// at the end or on a bad header.
#[inline(always)]
fn next_attr(buf: &[u8]) -> Option<(u16, &[u8], &[u8])> {
    let (&[l0, l1, t0, t1], rest) = buf.split_first_chunk::<4>()?;
    let len = u16::from_ne_bytes([l0, l1]) as usize;
    let payload = rest.get(..len.checked_sub(4)?)?;
    let next = buf.get(len.next_multiple_of(4).min(buf.len())..)?;
    Some((u16::from_ne_bytes([t0, t1]) & 0x3fff, payload, next))
}

#[inline(always)]
fn u32_of(p: &[u8]) -> Option<u64> {
    Some(u32::from_ne_bytes(*p.first_chunk::<4>()?) as u64)
}

/// Fold a string payload (without its NUL) as [`Fold::add_str`] does, without UTF-8 checks.
#[inline(always)]
fn fold_bytes(h: &mut Fold, p: &[u8]) {
    let b = p.strip_suffix(&[0]).unwrap_or(p);
    h.add(b.len() as u64);
    h.add(b.first().copied().unwrap_or(0) as u64);
    h.add(b.last().copied().unwrap_or(0) as u64);
}

/// The tightest borrowed walk of a GETFAMILY dump, the floor any decoder of it is measured
/// against: frame each message by its header, walk each attribute by its header (lengths
/// checked), and fold each value straight from the bytes (integers read in place, strings as
/// bytes without UTF-8 validation, the `ops` and `mcast_groups` arrays walked the same way). No
/// types and no error values: a bad length is `None`. Folds the same fingerprint as
/// [`fold_family_dump`].
pub fn tight_fold_family_dump(buf: &[u8]) -> Option<u64> {
    let mut acc = 0u64;
    let mut rest = buf;
    while let Some((&[m0, m1, m2, m3, t0, t1], _)) = rest.split_first_chunk::<6>() {
        let len = u32::from_ne_bytes([m0, m1, m2, m3]) as usize;
        let msg = rest.get(..len)?;
        rest = rest.get(len.next_multiple_of(4).min(rest.len())..)?;
        if u16::from_ne_bytes([t0, t1]) < 0x10 {
            break; // DONE (or another control message) ends the dump
        }
        let mut h = Fold::default();
        let mut attrs = msg.get(16 + GENL_HDRLEN..)?;
        let (mut id, mut version, mut hdrsize, mut maxattr) = (0, 0, 0, 0);
        let (mut name, mut ops, mut groups): (&[u8], &[u8], &[u8]) = (&[], &[], &[]);
        while let Some((ty, p, next)) = next_attr(attrs) {
            match ty {
                1 => id = u16::from_ne_bytes(*p.first_chunk::<2>()?) as u64,
                2 => name = p,
                3 => version = u32_of(p)?,
                4 => hdrsize = u32_of(p)?,
                5 => maxattr = u32_of(p)?,
                6 => ops = p,
                7 => groups = p,
                _ => {}
            }
            attrs = next;
        }
        h.add(id);
        fold_bytes(&mut h, name);
        h.add(version);
        h.add(hdrsize);
        h.add(maxattr);
        while let Some((_, entry, next)) = next_attr(ops) {
            let mut e = entry;
            let (mut op_id, mut flags) = (0, 0);
            while let Some((ty, p, n)) = next_attr(e) {
                match ty {
                    1 => op_id = u32_of(p)?,
                    2 => flags = u32_of(p)?,
                    _ => {}
                }
                e = n;
            }
            h.add(op_id);
            h.add(flags);
            ops = next;
        }
        while let Some((_, entry, next)) = next_attr(groups) {
            let mut e = entry;
            let (mut g_name, mut g_id): (&[u8], u64) = (&[], 0);
            while let Some((ty, p, n)) = next_attr(e) {
                match ty {
                    1 => g_name = p,
                    2 => g_id = u32_of(p)?,
                    _ => {}
                }
                e = n;
            }
            fold_bytes(&mut h, g_name);
            h.add(g_id);
            groups = next;
        }
        acc = acc.wrapping_add(h.0);
    }
    Some(acc)
}
