//! Ours: netlink-genl's nlctrl types (declared with `#[derive(NlAttrs)]` / `#[derive(GenlMessage)]`
//! in `netlink-genl/src/ctrl.rs`) and its `GenlSocket`, through the public API only.
//!
//! - encode: a `GenlRequest` written with `build_message`, exactly what `NlSocket::send_request`
//!   does (owned `Ctrl::GetFamily(Family::by_name(..))`, and the borrowed
//!   `CtrlRef::GetFamily(FamilyRef { name: Some(..) })` which allocates nothing);
//! - decode: each message read as the socket does (`request::answer_messages`), viewed with
//!   `GenlView::parse` and decoded with `GenlView::decode` (owned `Ctrl`, borrowed `CtrlRef`);
//! - live: `GenlSocket::dump` (owned, iterator), `GenlSocket::dump_with` (owned, callback),
//!   `GenlSocket::dump_borrowed` (zero-copy), `GenlSocket::request` / `request_view` (do: nlctrl's
//!   `GetFamily` declares its reply, so it goes out without `NLM_F_ACK` and one datagram ends
//!   it), the same do with `NLM_F_ACK` asked for (`request_view` with `with_flags(NLM_F_ACK)`,
//!   and `GenlSocket::ack`), and the dumps through `tokio::AsyncGenlSocket` ([`AsyncLive`]).

use netlink_genl::ctrl::{Ctrl, CtrlRef, Family as GFamily, FamilyRef};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{GENL_ID_CTRL, GenlMessage, GenlRequest, GenlSocket, GenlView};
use netlink_genl_core::message::build_message;
use netlink_genl_core::request::{NlRequest, answer_messages};
use netlink_genl_core::{DecodeError, EncodeError};

use crate::manual::BoxError;
use crate::plain::{AttrPolicy, Family, Fold, Group, Op, PolicyMsg};

/// Write `msg` (a request to nlctrl) as one message at the start of a reused `Vec`, as the
/// socket writes its send buffer.
#[inline]
pub fn encode<T: GenlMessage>(
    buf: &mut Vec<u8>,
    msg: &T,
    flags: u16,
    seq: u32,
) -> Result<(), EncodeError> {
    let req = GenlRequest::new(GENL_ID_CTRL, msg);
    buf.clear();
    build_message(
        buf,
        req.message_type(),
        flags,
        seq,
        0,
        req.payload_len(),
        |w| req.write_payload(w),
    )?;
    Ok(())
}

/// Build the owned request value `Ctrl::GetFamily(Family::by_name(name))` and encode it.
#[inline]
pub fn encode_getfamily_owned(
    buf: &mut Vec<u8>,
    name: &str,
    flags: u16,
    seq: u32,
) -> Result<(), EncodeError> {
    encode(buf, &Ctrl::GetFamily(GFamily::by_name(name)), flags, seq)
}

/// Build the borrowed request value `CtrlRef::GetFamily(FamilyRef { name, .. })` and encode it.
#[inline]
pub fn encode_getfamily_borrowed(
    buf: &mut Vec<u8>,
    name: &str,
    flags: u16,
    seq: u32,
) -> Result<(), EncodeError> {
    let msg = CtrlRef::GetFamily(FamilyRef {
        name: Some(name),
        ..FamilyRef::default()
    });
    encode(buf, &msg, flags, seq)
}

/// Walk a reply buffer as the socket does: call `on_data` with the view of each data message,
/// stop at the end of the exchange.
#[inline]
pub fn for_each_view<'a>(
    buf: &'a [u8],
    dump: bool,
    mut on_data: impl FnMut(GenlView<'a>) -> Result<(), BoxError>,
) -> Result<(), BoxError> {
    for m in answer_messages(buf, dump) {
        on_data(GenlView::parse(m?, 0)?)?;
    }
    Ok(())
}

/// Decode a whole GETFAMILY dump into owned `Ctrl` values.
pub fn decode_family_dump(buf: &[u8]) -> Result<Vec<Ctrl>, BoxError> {
    let mut out = Vec::new();
    for_each_view(buf, true, |v| {
        out.push(v.decode::<Ctrl>()?);
        Ok(())
    })?;
    Ok(out)
}

/// Decode a whole GETFAMILY dump borrowed (`CtrlRef`), visiting every value; returns the
/// fingerprint of all values ([`crate::plain::fingerprint`]).
pub fn fold_family_dump(buf: &[u8]) -> Result<u64, BoxError> {
    let mut acc = 0u64;
    for_each_view(buf, true, |v| {
        acc = acc.wrapping_add(fold_ctrl_ref(&v.decode::<CtrlRef<'_>>()?)?);
        Ok(())
    })?;
    Ok(acc)
}

/// Decode a whole GETPOLICY dump into owned `Ctrl` values.
pub fn decode_policy_dump(buf: &[u8]) -> Result<Vec<Ctrl>, BoxError> {
    decode_family_dump(buf)
}

/// Visit every value of a borrowed family in the order of [`crate::plain::family_fingerprint`].
#[inline]
pub fn fold_ctrl_ref(m: &CtrlRef<'_>) -> Result<u64, DecodeError> {
    let f = match m {
        CtrlRef::NewFamily(f) | CtrlRef::GetFamily(f) => f,
    };
    let mut h = Fold::default();
    h.add(f.id.unwrap_or(0) as u64);
    h.add_str(f.name.unwrap_or(""));
    h.add(f.version.unwrap_or(0) as u64);
    h.add(f.hdrsize.unwrap_or(0) as u64);
    h.add(f.maxattr.unwrap_or(0) as u64);
    if let Some(ops) = &f.ops {
        for o in ops.iter() {
            let o = o?;
            h.add(o.id.unwrap_or(0) as u64);
            h.add(o.flags.unwrap_or(0) as u64);
        }
    }
    if let Some(groups) = &f.mcast_groups {
        for g in groups.iter() {
            let g = g?;
            h.add_str(g.name.unwrap_or(""));
            h.add(g.id.unwrap_or(0) as u64);
        }
    }
    Ok(h.0)
}

/// A borrowed reply as a plain [`Family`] (for the equality checks).
pub fn family_of_ref(m: &CtrlRef<'_>) -> Result<Family, DecodeError> {
    let f = match m {
        CtrlRef::NewFamily(f) | CtrlRef::GetFamily(f) => f,
    };
    let mut ops = Vec::new();
    for o in f.ops.iter().flat_map(|v| v.iter()) {
        let o = o?;
        ops.push(Op {
            id: o.id.unwrap_or(0),
            flags: o.flags.unwrap_or(0),
        });
    }
    let mut groups = Vec::new();
    for g in f.mcast_groups.iter().flat_map(|v| v.iter()) {
        let g = g?;
        groups.push(Group {
            name: g.name.unwrap_or("").to_owned(),
            id: g.id.unwrap_or(0),
        });
    }
    Ok(Family {
        id: f.id.unwrap_or(0),
        name: f.name.unwrap_or("").to_owned(),
        version: f.version.unwrap_or(0),
        hdrsize: f.hdrsize.unwrap_or(0),
        maxattr: f.maxattr.unwrap_or(0),
        ops,
        groups,
    })
}

/// An owned reply as a plain [`Family`].
pub fn family_of(m: &Ctrl) -> Family {
    let f = m.family();
    Family {
        id: f.id.unwrap_or(0),
        name: f.name.clone().unwrap_or_default(),
        version: f.version.unwrap_or(0),
        hdrsize: f.hdrsize.unwrap_or(0),
        maxattr: f.maxattr.unwrap_or(0),
        ops: f
            .ops
            .iter()
            .map(|o| Op {
                id: o.id.unwrap_or(0),
                flags: o.flags.unwrap_or(0),
            })
            .collect(),
        groups: f
            .mcast_groups
            .iter()
            .map(|g| Group {
                name: g.name.clone().unwrap_or_default(),
                id: g.id.unwrap_or(0),
            })
            .collect(),
    }
}

/// An owned GETPOLICY reply as a plain [`PolicyMsg`].
pub fn policy_of(m: &Ctrl) -> PolicyMsg {
    let f = m.family();
    let mut out = PolicyMsg {
        family: f.id.unwrap_or(0),
        ..PolicyMsg::default()
    };
    for (idx, attrs) in &f.policy {
        for (attr, p) in attrs {
            out.attr = Some((
                *idx as u16,
                *attr,
                AttrPolicy {
                    ty: p.ty.unwrap_or(0),
                    min_s: p.min_value_s,
                    max_s: p.max_value_s,
                    min_u: p.min_value_u,
                    max_u: p.max_value_u,
                    min_len: p.min_length,
                    max_len: p.max_length,
                    policy_idx: p.policy_idx,
                    policy_maxtype: p.policy_maxtype,
                    bitfield32_mask: p.bitfield32_mask,
                    mask: p.mask,
                },
            ));
        }
    }
    for (cmd, p) in &f.op_policy {
        out.op = Some((*cmd as u16, p.do_policy, p.dump_policy));
    }
    out
}

/// `NLM_F_ACK`.
const NLM_F_ACK: u16 = 0x4;

/// A `GenlSocket`.
pub struct Live {
    sock: GenlSocket,
}

impl Live {
    /// Open a socket with the defaults: a 128 KiB read buffer, each datagram read in one
    /// `recvfrom` (no `MSG_PEEK` sizing).
    pub fn new() -> Result<Self, BoxError> {
        Ok(Live {
            sock: GenlSocket::new()?,
        })
    }

    /// Open a socket with `NlSocket::set_peek_sizing(true)`: each datagram sized with
    /// `recv(MSG_PEEK | MSG_TRUNC)` before it is read (the default before the runtime rework).
    pub fn with_peek() -> Result<Self, BoxError> {
        let mut sock = GenlSocket::new()?;
        sock.socket_mut().set_peek_sizing(true);
        Ok(Live { sock })
    }

    /// GETFAMILY dump, owned: `sock.dump(&req)?.collect()`.
    pub fn dump_families(&mut self) -> Result<Vec<Ctrl>, BoxError> {
        let req = Ctrl::GetFamily(GFamily::default());
        Ok(self.sock.dump(&req)?.collect::<Result<Vec<_>, _>>()?)
    }

    /// GETFAMILY dump, owned, through the callback API: `sock.dump_with::<_, Ctrl, _>`, each
    /// reply pushed into a `Vec` (what the tokio row does; the blocking twin for comparison).
    pub fn dump_families_with(&mut self) -> Result<Vec<Ctrl>, BoxError> {
        let req = Ctrl::GetFamily(GFamily::default());
        let mut out = Vec::new();
        self.sock.dump_with(&req, |m: Ctrl| {
            out.push(m);
            Ok(())
        })?;
        Ok(out)
    }

    /// GETFAMILY dump, borrowed: `sock.dump_borrowed::<CtrlRef, _, _>`, every value visited;
    /// returns the fingerprint.
    pub fn dump_families_borrowed(&mut self) -> Result<u64, BoxError> {
        let req = CtrlRef::GetFamily(FamilyRef::default());
        let mut acc = 0u64;
        self.sock.dump_borrowed::<CtrlRef, _, _>(&req, |m| {
            acc = acc.wrapping_add(fold_ctrl_ref(&m)?);
            Ok(())
        })?;
        Ok(acc)
    }

    /// GETFAMILY do for `name`, borrowed: `sock.request_view` with the request
    /// `CtrlRef::GetFamily(FamilyRef { name })` (its reply is declared: no `NLM_F_ACK`), the
    /// reply decoded as `CtrlRef` and every value visited; returns the fingerprint.
    pub fn get_family_borrowed(&mut self, name: &str) -> Result<u64, BoxError> {
        self.get_family_borrowed_flags(name, 0)
    }

    /// As [`get_family_borrowed`](Self::get_family_borrowed), asking for the ACK
    /// (`GenlRequest::with_flags(NLM_F_ACK)`): the reply, then the ACK, two datagrams.
    pub fn get_family_ack_borrowed(&mut self, name: &str) -> Result<u64, BoxError> {
        self.get_family_borrowed_flags(name, NLM_F_ACK)
    }

    #[inline]
    fn get_family_borrowed_flags(&mut self, name: &str, flags: u16) -> Result<u64, BoxError> {
        let msg = CtrlRef::GetFamily(FamilyRef {
            name: Some(name),
            ..FamilyRef::default()
        });
        let req = GenlRequest::new(GENL_ID_CTRL, &msg).with_flags(flags);
        let mut acc = 0u64;
        self.sock.request_view(&req, |v| {
            acc = acc.wrapping_add(fold_ctrl_ref(&v.decode::<CtrlRef<'_>>()?)?);
            Ok(())
        })?;
        Ok(acc)
    }

    /// GETFAMILY do for `name`: `sock.request(&Ctrl::GetFamily(Family::by_name(name)))`. The
    /// reply is declared (`NewFamily`): sent without `NLM_F_ACK`, one datagram read.
    pub fn get_family(&mut self, name: &str) -> Result<Ctrl, BoxError> {
        Ok(self
            .sock
            .request(&Ctrl::GetFamily(GFamily::by_name(name)))?)
    }

    /// GETFAMILY do for `name` with `NLM_F_ACK`, owned: `sock.request_view` with
    /// `GenlRequest::new(..).with_flags(NLM_F_ACK)`, the reply decoded as `Ctrl` (what
    /// `request` did before GetFamily declared its reply).
    pub fn get_family_ack(&mut self, name: &str) -> Result<Ctrl, BoxError> {
        let msg = Ctrl::GetFamily(GFamily::by_name(name));
        let req = GenlRequest::new(GENL_ID_CTRL, &msg).with_flags(NLM_F_ACK);
        let mut out = None;
        self.sock.request_view(&req, |v| {
            out = Some(v.decode::<Ctrl>()?);
            Ok(())
        })?;
        out.ok_or_else(|| "no reply".into())
    }

    /// GETFAMILY do for `name` through `sock.ack(..)`: sent with `NLM_F_ACK`, the reply read
    /// and skipped (not decoded), then the ACK.
    pub fn ack_family(&mut self, name: &str) -> Result<(), BoxError> {
        Ok(self.sock.ack(&Ctrl::GetFamily(GFamily::by_name(name)))?)
    }
}

/// A `tokio::AsyncGenlSocket` on a current_thread runtime (I/O and time enabled), both created
/// once; each operation is one `block_on` on the calling thread, so the thread CPU time of the
/// benches counts the runtime's work too.
pub struct AsyncLive {
    rt: tokio::runtime::Runtime,
    sock: AsyncGenlSocket,
}

impl AsyncLive {
    /// Build the runtime and open the socket (registered with that runtime's reactor).
    pub fn new() -> Result<Self, BoxError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let sock = {
            let _enter = rt.enter();
            AsyncGenlSocket::new()?
        };
        Ok(AsyncLive { rt, sock })
    }

    /// GETFAMILY dump, owned: `sock.dump_with::<_, Ctrl, _>(..).await`, each reply pushed into a
    /// `Vec`.
    pub fn dump_families(&mut self) -> Result<Vec<Ctrl>, BoxError> {
        let req = Ctrl::GetFamily(GFamily::default());
        let mut out = Vec::new();
        let sock = &mut self.sock;
        self.rt.block_on(sock.dump_with(&req, |m: Ctrl| {
            out.push(m);
            Ok(())
        }))?;
        Ok(out)
    }

    /// GETFAMILY dump, borrowed: `sock.dump_borrowed::<CtrlRef, _, _>(..).await`, every value
    /// visited; returns the fingerprint.
    pub fn dump_families_borrowed(&mut self) -> Result<u64, BoxError> {
        let req = CtrlRef::GetFamily(FamilyRef::default());
        let mut acc = 0u64;
        let sock = &mut self.sock;
        self.rt
            .block_on(sock.dump_borrowed::<CtrlRef, _, _>(&req, |m| {
                acc = acc.wrapping_add(fold_ctrl_ref(&m)?);
                Ok(())
            }))?;
        Ok(acc)
    }
}
