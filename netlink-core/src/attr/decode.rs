use crate::consts::{NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, align};
use crate::error::{DecodeError, DecodeErrorKind};

/// One attribute, borrowed from the buffer it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    ty: u16,
    payload: &'a [u8],
    offset: usize,
}

impl<'a> Attr<'a> {
    /// An attribute from its raw type (with flag bits) and payload; `offset` is where its header
    /// starts in the enclosing buffer.
    pub fn new(ty: u16, payload: &'a [u8], offset: usize) -> Self {
        Attr {
            ty,
            payload,
            offset,
        }
    }

    /// The attribute id: the type with the flag bits masked.
    #[inline]
    pub fn id(&self) -> u16 {
        self.ty & NLA_TYPE_MASK
    }

    /// The raw `nla_type`, flag bits included.
    #[inline]
    pub fn raw_type(&self) -> u16 {
        self.ty
    }

    /// `NLA_F_NESTED` is set.
    #[inline]
    pub fn is_nested(&self) -> bool {
        self.ty & NLA_F_NESTED != 0
    }

    /// `NLA_F_NET_BYTEORDER` is set.
    #[inline]
    pub fn is_net_byteorder(&self) -> bool {
        self.ty & NLA_F_NET_BYTEORDER != 0
    }

    /// The payload, without header or padding.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Offset of the attribute header in the buffer it was iterated from.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the payload in the buffer it was iterated from.
    #[inline]
    pub fn payload_offset(&self) -> usize {
        self.offset + NLA_HDRLEN
    }

    /// Iterate the payload as a nested attribute set.
    #[inline]
    pub fn nested(&self) -> AttrIter<'a> {
        AttrIter::new(self.payload)
    }
}

/// A bounds-checked, zero-copy iterator over the attributes in a buffer.
///
/// Each item is an [`Attr`] or a [`DecodeError`] with the offset of the bad header; after an
/// error the iterator is exhausted. A final attribute without its trailing padding is accepted
/// (as the kernel does); 1 to 3 stray bytes after the last attribute are an error.
///
/// ```
/// use netlink_genl_core::attr::AttrIter;
/// // nla_len 6, type 2, "hi", 2 bytes padding; then nla_len 8, type 1, u32 7
/// let buf = [6, 0, 2, 0, b'h', b'i', 0, 0, 8, 0, 1, 0, 7, 0, 0, 0];
/// let ids: Vec<u16> = AttrIter::new(&buf).map(|a| a.unwrap().id()).collect();
/// assert_eq!(ids, [2, 1]);
/// ```
#[derive(Debug, Clone)]
pub struct AttrIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> AttrIter<'a> {
    /// Iterate the attributes in `buf`.
    #[inline]
    pub fn new(buf: &'a [u8]) -> Self {
        AttrIter { buf, pos: 0 }
    }

    /// The bytes not yet iterated.
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    #[inline]
    fn fail(&mut self, kind: DecodeErrorKind) -> Option<Result<Attr<'a>, DecodeError>> {
        let at = self.pos;
        self.pos = self.buf.len();
        Some(Err(DecodeError::at(kind, at)))
    }
}

impl<'a> Iterator for AttrIter<'a> {
    type Item = Result<Attr<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..)?;
        let &[l0, l1, t0, t1, ..] = rest else {
            if rest.is_empty() {
                return None;
            }
            let had = rest.len();
            return self.fail(DecodeErrorKind::Truncated {
                what: "attribute header",
                needed: NLA_HDRLEN,
                had,
            });
        };
        let len = u16::from_ne_bytes([l0, l1]);
        let ty = u16::from_ne_bytes([t0, t1]);
        if (len as usize) < NLA_HDRLEN {
            return self.fail(DecodeErrorKind::AttrLenTooSmall { len });
        }
        let Some(payload) = rest.get(NLA_HDRLEN..len as usize) else {
            let remaining = rest.len();
            return self.fail(DecodeErrorKind::AttrLenOverrun { len, remaining });
        };
        let offset = self.pos;
        self.pos = self.pos.saturating_add(align(len as usize));
        Some(Ok(Attr {
            ty,
            payload,
            offset,
        }))
    }
}

impl core::iter::FusedIterator for AttrIter<'_> {}
