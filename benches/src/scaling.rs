//! Inputs of growing size and depth, for the scaling benches: encode and decode cost against the
//! number of attributes (1, 10, 100, 1000) and the nesting depth (1..8), with netlink-genl-core's
//! writer and iterator by hand, and with types declared with `#[derive(NlAttrs)]`.
//!
//! Both encode the same bytes: the size series is `n` u32 attributes, all with id 1 (a YNL
//! multi-attr, [`Flat`]); the depth series is a chain of nests (id 1), each holding a u32 (id 2)
//! and then the next nest ([`Chain`]).

use netlink_genl::NlAttrs;
use netlink_genl_core::attr::{AttrIter, AttrWriter, NlaDecode, attr_size};
use netlink_genl_core::{DecodeAttrs, DecodeError, EncodeError, encode_attrs_into_slice};

/// The size series as a derived type: one repeated u32 attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Flat {
    /// Attribute 1, once per element.
    #[nla(id = 1, multi)]
    pub values: Vec<u32>,
}

/// The depth series as a derived (recursive) type.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Chain {
    /// Attribute 2: this level's value.
    #[nla(id = 2)]
    pub value: Option<u32>,
    /// Attribute 1: the next level.
    #[nla(id = 1, nested)]
    pub next: Option<Box<Chain>>,
}

impl Chain {
    /// A chain of `depth` levels with values 0, 1, ...
    pub fn new(depth: usize) -> Option<Box<Chain>> {
        (0..depth).rev().fold(None, |next, level| {
            Some(Box::new(Chain {
                value: Some(level as u32),
                next,
            }))
        })
    }

    /// (sum of the values, depth).
    pub fn fold(&self) -> (u64, usize) {
        let (s, d) = self.next.as_deref().map_or((0, 0), Chain::fold);
        (s + self.value.unwrap_or(0) as u64, d + 1)
    }
}

/// Encode a derived value into `buf`; returns the length.
#[inline]
pub fn encode_derived<T: netlink_genl_core::EncodeAttrs>(
    buf: &mut [u8],
    v: &T,
) -> Result<usize, EncodeError> {
    encode_attrs_into_slice(v, buf)
}

/// Decode a derived [`Flat`] and fold its values like [`decode_flat`].
#[inline]
pub fn decode_flat_derived(buf: &[u8]) -> Result<u64, DecodeError> {
    let f = Flat::decode_attrs(buf)?;
    Ok(f.values
        .iter()
        .fold(0u64, |acc, &v| acc.wrapping_mul(31).wrapping_add(v as u64)))
}

/// Decode a derived [`Chain`]; returns (sum, depth) like [`decode_nested`].
#[inline]
pub fn decode_nested_derived(buf: &[u8]) -> Result<(u64, usize), DecodeError> {
    // The outermost nest is attribute 1 of an enclosing set: decode that set.
    let outer = Chain::decode_attrs(buf)?;
    let (s, d) = outer.fold();
    Ok((s, d - 1))
}

/// Attribute counts of the size series.
pub const SIZES: [usize; 4] = [1, 10, 100, 1000];
/// Depths of the nesting series.
pub const DEPTHS: [usize; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// The values of the size series: `n` u32 attributes with ids `1..=n`.
pub fn values(n: usize) -> Vec<u32> {
    (0..n as u32)
        .map(|i| i.wrapping_mul(2_654_435_761))
        .collect()
}

/// Bytes needed for `n` u32 attributes.
pub const fn flat_len(n: usize) -> usize {
    n * attr_size(4)
}

/// Encode `vals` as u32 attributes (id 1) into `buf`; returns the length.
#[inline]
pub fn encode_flat(buf: &mut [u8], vals: &[u32]) -> Result<usize, EncodeError> {
    let mut w = AttrWriter::new(buf);
    for v in vals {
        w.put_value(1, v)?;
    }
    Ok(w.position())
}

/// Decode every u32 attribute of `buf` and fold them.
#[inline]
pub fn decode_flat(buf: &[u8]) -> Result<u64, DecodeError> {
    let mut acc = 0u64;
    for a in AttrIter::new(buf) {
        let a = a?;
        acc = acc
            .wrapping_mul(31)
            .wrapping_add(u32::decode_payload(a.payload())? as u64);
    }
    Ok(acc)
}

/// Bytes needed for a chain of `depth` nests, each holding a u32 and the next nest.
pub const fn nested_len(depth: usize) -> usize {
    // Level k (1 = outermost) is an attribute holding a u32 and, below the deepest, the next.
    let mut len = 0;
    let mut d = depth;
    while d > 0 {
        len = attr_size(attr_size(4) + len);
        d -= 1;
    }
    len
}

/// Encode a chain of `depth` nests (id 1), each with a u32 (id 2) and then the next nest.
#[inline]
pub fn encode_nested(buf: &mut [u8], depth: usize) -> Result<usize, EncodeError> {
    let mut w = AttrWriter::new(buf);
    let mut open = [const { None }; 8];
    for (level, slot) in open.iter_mut().enumerate().take(depth) {
        *slot = Some(w.begin_nest(1)?);
        w.put_value(2, &(level as u32))?;
    }
    for slot in open.iter_mut().take(depth).rev() {
        if let Some(n) = slot.take() {
            w.end_nest(n)?;
        }
    }
    Ok(w.position())
}

/// Walk a chain written by [`encode_nested`], reading each level's u32; returns (sum, depth).
#[inline]
pub fn decode_nested(buf: &[u8]) -> Result<(u64, usize), DecodeError> {
    let mut sum = 0u64;
    let depth = walk(buf, 0, &mut sum)?;
    Ok((sum, depth))
}

fn walk(buf: &[u8], depth: usize, sum: &mut u64) -> Result<usize, DecodeError> {
    let mut max = depth;
    for a in AttrIter::new(buf) {
        let a = a?;
        match a.id() {
            1 => max = walk(a.payload(), depth + 1, sum)?,
            2 => *sum += u32::decode_payload(a.payload())? as u64,
            _ => {}
        }
    }
    Ok(max)
}
