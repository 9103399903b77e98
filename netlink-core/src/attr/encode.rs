use crate::consts::{NLA_F_NESTED, NLA_HDRLEN, NLA_MAX_PAYLOAD, align};
use crate::error::{EncodeError, EncodeErrorKind};

use super::NlaEncode;

/// Writes attributes into a caller's buffer, in one pass, with no allocation.
///
/// The buffer is a plain `&mut [u8]`: a fixed array, a slice of a reused `Vec<u8>` (see
/// [`encode_attrs_into_vec`](crate::encode_attrs_into_vec)), or anything else. Running out of
/// room is an [`EncodeError`], never a panic. Padding bytes are written as zeros.
///
/// ```
/// use netlink_genl_core::attr::{AttrWriter, AttrIter};
/// let mut buf = [0u8; 64];
/// let mut w = AttrWriter::new(&mut buf);
/// w.put_value(2, "nlctrl")?;
/// let nest = w.begin_nest(6)?;
/// w.put_value(1, &3u32)?;
/// w.end_nest(nest)?;
/// let n = w.position();
/// let ids: Vec<u16> = AttrIter::new(&buf[..n]).map(|a| a.unwrap().id()).collect();
/// assert_eq!(ids, [2, 6]);
/// # Ok::<(), netlink_genl_core::EncodeError>(())
/// ```
#[derive(Debug)]
pub struct AttrWriter<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

/// An open attribute (see [`AttrWriter::begin_nest`]); pass it back to close it.
#[derive(Debug)]
#[must_use = "a nest must be closed with end_nest"]
pub struct Nest {
    start: usize,
}

impl<'a> AttrWriter<'a> {
    /// A writer that starts at the beginning of `buf`.
    #[inline]
    pub fn new(buf: &'a mut [u8]) -> Self {
        AttrWriter { buf, pos: 0 }
    }

    /// Bytes written so far (including padding).
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes written so far.
    pub fn written(&self) -> &[u8] {
        self.buf.get(..self.pos).unwrap_or(&[])
    }

    /// Bytes still free.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    #[cold]
    fn too_small(&self, n: usize) -> EncodeError {
        EncodeErrorKind::BufferTooSmall {
            needed: self.pos.saturating_add(n),
            had: self.buf.len(),
        }
        .into()
    }

    /// Take the next `n` bytes for writing and advance past them.
    #[inline]
    pub fn reserve(&mut self, n: usize) -> Result<&mut [u8], EncodeError> {
        let end = self.pos.checked_add(n);
        match end {
            Some(end) if end <= self.buf.len() => {
                let start = self.pos;
                self.pos = end;
                // In bounds: checked above.
                self.buf
                    .get_mut(start..end)
                    .ok_or_else(|| EncodeErrorKind::NestMismatch.into())
            }
            _ => Err(self.too_small(n)),
        }
    }

    /// Append raw bytes (payload content; no header, no padding).
    #[inline]
    pub fn put_bytes(&mut self, data: &[u8]) -> Result<(), EncodeError> {
        self.reserve(data.len())?.copy_from_slice(data);
        Ok(())
    }

    /// Append zero bytes up to the next 4-byte boundary.
    #[inline]
    pub fn pad(&mut self) -> Result<(), EncodeError> {
        let n = align(self.pos) - self.pos;
        if n != 0 {
            self.reserve(n)?.fill(0);
        }
        Ok(())
    }

    /// Write a whole attribute with a raw type (flag bits allowed) and payload.
    #[inline]
    pub fn put_raw(&mut self, ty: u16, payload: &[u8]) -> Result<(), EncodeError> {
        if payload.len() > NLA_MAX_PAYLOAD {
            return Err(payload_too_large(payload.len()));
        }
        let len = (payload.len() + NLA_HDRLEN) as u16;
        let hdr = self.reserve(NLA_HDRLEN)?;
        write_hdr(hdr, len, ty);
        self.put_bytes(payload)?;
        self.pad()
    }

    /// Write attribute `id` whose payload is `value` (sets `NLA_F_NESTED` when the value is a
    /// nest).
    #[inline]
    pub fn put_value<V: NlaEncode + ?Sized>(
        &mut self,
        id: u16,
        value: &V,
    ) -> Result<(), EncodeError> {
        let ty = if V::NESTED { id | NLA_F_NESTED } else { id };
        let a = self.begin_attr(ty)?;
        value.write_payload(self)?;
        self.end_attr(a)
    }

    /// Open an attribute with raw type `ty`; write its payload, then [`end_attr`](Self::end_attr).
    #[inline]
    pub fn begin_attr(&mut self, ty: u16) -> Result<Nest, EncodeError> {
        let start = self.pos;
        let hdr = self.reserve(NLA_HDRLEN)?;
        write_hdr(hdr, 0, ty);
        Ok(Nest { start })
    }

    /// Open a nest: an attribute `id` with `NLA_F_NESTED`, whose length is filled in by
    /// [`end_nest`](Self::end_nest).
    #[inline]
    pub fn begin_nest(&mut self, id: u16) -> Result<Nest, EncodeError> {
        self.begin_attr(id | NLA_F_NESTED)
    }

    /// Close a nest opened by [`begin_nest`](Self::begin_nest): back-patch its length and pad.
    #[inline]
    pub fn end_nest(&mut self, nest: Nest) -> Result<(), EncodeError> {
        self.end_attr(nest)
    }

    /// Close an attribute opened by [`begin_attr`](Self::begin_attr): back-patch its length and
    /// pad. A payload over 65531 bytes is an error.
    #[inline]
    pub fn end_attr(&mut self, attr: Nest) -> Result<(), EncodeError> {
        let len = self
            .pos
            .checked_sub(attr.start)
            .ok_or(EncodeErrorKind::NestMismatch)?;
        if len > u16::MAX as usize {
            return Err(payload_too_large(len - NLA_HDRLEN));
        }
        let hdr = self
            .buf
            .get_mut(attr.start..attr.start + 2)
            .ok_or(EncodeErrorKind::NestMismatch)?;
        hdr.copy_from_slice(&(len as u16).to_ne_bytes());
        self.pad()
    }
}

#[inline]
fn write_hdr(hdr: &mut [u8], len: u16, ty: u16) {
    let [l0, l1] = len.to_ne_bytes();
    let [t0, t1] = ty.to_ne_bytes();
    if let [a, b, c, d] = hdr {
        (*a, *b, *c, *d) = (l0, l1, t0, t1);
    }
}

#[cold]
fn payload_too_large(len: usize) -> EncodeError {
    EncodeErrorKind::PayloadTooLarge {
        len,
        max: NLA_MAX_PAYLOAD,
    }
    .into()
}
