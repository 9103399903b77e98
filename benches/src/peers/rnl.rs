//! The rust-netlink stack: netlink-packet-core 0.9 + netlink-packet-generic 0.5 for the
//! messages, netlink-sys 0.9 for the socket. Used as the crates' example
//! (`list_generic_family.rs`) shows, with reused send and receive buffers.

use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::ctrl::nlas::{
    GenlCtrlAttrs, McastGrpAttrs, NlPolicyTypeAttrs, OpAttrs, OppolicyIndexAttr,
};
use netlink_packet_generic::ctrl::{GenlCtrl, GenlCtrlCmd};
use netlink_packet_generic::{GenlHeader, GenlMessage};
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_GENERIC};

use crate::manual::BoxError;
use crate::plain::{AttrPolicy, Family, Group, Op, PolicyMsg};

/// An nlctrl message as rust-netlink types it.
pub type CtrlMsg = NetlinkMessage<GenlMessage<GenlCtrl>>;

const _: () = assert!(NLM_F_REQUEST | NLM_F_ACK == crate::FLAGS_DO_ACK);
const _: () = assert!(NLM_F_REQUEST | NLM_F_DUMP == crate::FLAGS_DUMP);
const _: () = assert!(NLM_F_REQUEST == crate::FLAGS_DO);

/// Build the nlctrl request `cmd` with attributes `nlas` (the value a rust-netlink user
/// constructs). The genl header is given explicitly so the version byte matches the capture
/// (`GenlMessage::from_payload` would write nlctrl's version 2).
pub fn build(cmd: GenlCtrlCmd, nlas: Vec<GenlCtrlAttrs>, flags: u16, seq: u32) -> CtrlMsg {
    let genl = GenlMessage::new(
        GenlHeader {
            cmd: cmd.into(),
            version: crate::REQ_VERSION,
        },
        GenlCtrl { cmd, nlas },
        crate::GENL_ID_CTRL,
    );
    let mut msg = NetlinkMessage::from(genl);
    msg.header.flags = flags;
    msg.header.sequence_number = seq;
    msg.finalize();
    msg
}

/// Build and serialize the GETFAMILY request for `name` into a reused `Vec`.
#[inline]
pub fn encode_getfamily(buf: &mut Vec<u8>, name: &str, flags: u16, seq: u32) {
    let msg = build(
        GenlCtrlCmd::GetFamily,
        vec![GenlCtrlAttrs::FamilyName(name.to_owned())],
        flags,
        seq,
    );
    buf.clear();
    buf.resize(msg.buffer_len(), 0);
    msg.serialize(buf);
}

/// What one parsed message of a reply is.
enum Next<T> {
    Data(T),
    Skip,
    End,
}

fn classify(msg: CtrlMsg) -> Result<Next<GenlMessage<GenlCtrl>>, BoxError> {
    Ok(match msg.payload {
        NetlinkPayload::InnerMessage(g) => Next::Data(g),
        NetlinkPayload::Done(_) => Next::End,
        NetlinkPayload::Error(e) => match e.code {
            None => Next::End,
            Some(c) => return Err(format!("kernel error {c}").into()),
        },
        _ => Next::Skip,
    })
}

/// The length of the message at the start of `buf`, padded.
fn msg_len(buf: &[u8]) -> usize {
    let l = buf
        .get(..4)
        .map_or(0, |b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize);
    (l + 3) & !3
}

/// Parse messages from `buf` into `out` until DONE / ACK; returns whether the reply ended.
fn parse_into(buf: &[u8], out: &mut Vec<GenlMessage<GenlCtrl>>) -> Result<bool, BoxError> {
    let mut off = 0;
    while off < buf.len() {
        let rest = &buf[off..];
        let len = msg_len(rest);
        match classify(CtrlMsg::deserialize(rest)?)? {
            Next::Data(g) => out.push(g),
            Next::Skip => {}
            Next::End => return Ok(true),
        }
        if len == 0 {
            break;
        }
        off += len;
    }
    Ok(false)
}

/// Parse a whole GETFAMILY dump reply (concatenated datagrams) into rust-netlink's typed
/// messages.
pub fn decode_family_dump(buf: &[u8]) -> Result<Vec<GenlMessage<GenlCtrl>>, BoxError> {
    let mut out = Vec::new();
    parse_into(buf, &mut out)?;
    Ok(out)
}

/// Parse a whole GETPOLICY dump reply. netlink-packet-generic 0.5 rejects whole messages it
/// cannot type (e.g. `NL_ATTR_TYPE_UINT`, 17, is not in its `NlaType`): those are `None`, the
/// parse goes on with the next message.
pub fn decode_policy_dump(buf: &[u8]) -> Result<Vec<Option<GenlMessage<GenlCtrl>>>, BoxError> {
    let mut out = Vec::new();
    let mut off = 0;
    while off < buf.len() {
        let rest = &buf[off..];
        let len = msg_len(rest);
        match CtrlMsg::deserialize(rest) {
            Ok(m) => match classify(m)? {
                Next::Data(g) => out.push(Some(g)),
                Next::Skip => {}
                Next::End => break,
            },
            Err(_) => out.push(None),
        }
        if len == 0 {
            break;
        }
        off += len;
    }
    Ok(out)
}

/// The typed values of one rust-netlink family message, as a plain [`Family`].
pub fn family_of(g: &GenlMessage<GenlCtrl>) -> Family {
    let mut f = Family::default();
    for nla in &g.payload.nlas {
        match nla {
            GenlCtrlAttrs::FamilyId(v) => f.id = *v,
            GenlCtrlAttrs::FamilyName(v) => f.name = v.clone(),
            GenlCtrlAttrs::Version(v) => f.version = *v,
            GenlCtrlAttrs::HdrSize(v) => f.hdrsize = *v,
            GenlCtrlAttrs::MaxAttr(v) => f.maxattr = *v,
            GenlCtrlAttrs::Ops(ops) => {
                for op in ops {
                    let mut o = Op::default();
                    for a in op {
                        match a {
                            OpAttrs::Id(v) => o.id = *v,
                            OpAttrs::Flags(v) => o.flags = *v,
                        }
                    }
                    f.ops.push(o);
                }
            }
            GenlCtrlAttrs::McastGroups(groups) => {
                for grp in groups {
                    let mut gg = Group::default();
                    for a in grp {
                        match a {
                            McastGrpAttrs::Name(v) => gg.name = v.clone(),
                            McastGrpAttrs::Id(v) => gg.id = *v,
                        }
                    }
                    f.groups.push(gg);
                }
            }
            _ => {}
        }
    }
    f
}

/// The typed values of one rust-netlink GETPOLICY message, as a plain [`PolicyMsg`].
pub fn policy_of(g: &GenlMessage<GenlCtrl>) -> PolicyMsg {
    let mut m = PolicyMsg::default();
    for nla in &g.payload.nlas {
        match nla {
            GenlCtrlAttrs::FamilyId(v) => m.family = *v,
            GenlCtrlAttrs::Policy(p) => {
                let mut s = AttrPolicy::default();
                for t in &p.attr_policy.policies {
                    match t {
                        NlPolicyTypeAttrs::Type(v) => s.ty = u32::from(*v),
                        NlPolicyTypeAttrs::MinValueSigned(v) => s.min_s = Some(*v),
                        NlPolicyTypeAttrs::MaxValueSigned(v) => s.max_s = Some(*v),
                        NlPolicyTypeAttrs::MinValueUnsigned(v) => s.min_u = Some(*v),
                        NlPolicyTypeAttrs::MaxValueUnsigned(v) => s.max_u = Some(*v),
                        NlPolicyTypeAttrs::MinLength(v) => s.min_len = Some(*v),
                        NlPolicyTypeAttrs::MaxLength(v) => s.max_len = Some(*v),
                        NlPolicyTypeAttrs::PolicyIdx(v) => s.policy_idx = Some(*v),
                        NlPolicyTypeAttrs::PolicyMaxType(v) => s.policy_maxtype = Some(*v),
                        NlPolicyTypeAttrs::Bitfield32Mask(v) => s.bitfield32_mask = Some(*v),
                        NlPolicyTypeAttrs::Mask(v) => s.mask = Some(*v),
                    }
                }
                m.attr = Some((p.index, p.attr_policy.index, s));
            }
            GenlCtrlAttrs::OpPolicy(o) => {
                let (mut d, mut du) = (None, None);
                for i in &o.policy_idx {
                    match i {
                        OppolicyIndexAttr::Do(v) => d = Some(*v),
                        OppolicyIndexAttr::Dump(v) => du = Some(*v),
                    }
                }
                m.op = Some((o.cmd as u16, d, du));
            }
            _ => {}
        }
    }
    m
}

/// A netlink-sys socket with reused send and receive buffers.
pub struct Live {
    sock: Socket,
    tx: Vec<u8>,
    rx: Vec<u8>,
    seq: u32,
}

impl Live {
    /// Open, bind and connect a `NETLINK_GENERIC` socket.
    pub fn new() -> Result<Self, BoxError> {
        let mut sock = Socket::new(NETLINK_GENERIC)?;
        sock.bind_auto()?;
        sock.connect(&SocketAddr::new(0, 0))?;
        Ok(Live {
            sock,
            tx: Vec::new(),
            rx: Vec::with_capacity(32 * 1024),
            seq: 0,
        })
    }

    fn round_trip(&mut self, req: &CtrlMsg) -> Result<Vec<GenlMessage<GenlCtrl>>, BoxError> {
        self.tx.clear();
        self.tx.resize(req.buffer_len(), 0);
        req.serialize(&mut self.tx);
        self.sock.send(&self.tx, 0)?;
        let mut out = Vec::new();
        loop {
            self.rx.clear();
            self.sock.recv(&mut self.rx, 0)?;
            if parse_into(&self.rx, &mut out)? {
                return Ok(out);
            }
        }
    }

    /// Send `req` (without `NLM_F_ACK`) and parse the one datagram of its reply.
    fn request_one(&mut self, req: &CtrlMsg) -> Result<Vec<GenlMessage<GenlCtrl>>, BoxError> {
        self.tx.clear();
        self.tx.resize(req.buffer_len(), 0);
        req.serialize(&mut self.tx);
        self.sock.send(&self.tx, 0)?;
        let mut out = Vec::new();
        self.rx.clear();
        self.sock.recv(&mut self.rx, 0)?;
        parse_into(&self.rx, &mut out)?;
        Ok(out)
    }

    /// A GETFAMILY dump: every family, typed.
    pub fn dump_families(&mut self) -> Result<Vec<GenlMessage<GenlCtrl>>, BoxError> {
        self.seq = self.seq.wrapping_add(1);
        let req = build(GenlCtrlCmd::GetFamily, vec![], crate::FLAGS_DUMP, self.seq);
        self.round_trip(&req)
    }

    /// A GETFAMILY "do" for `name`, with an ACK.
    pub fn get_family(&mut self, name: &str) -> Result<GenlMessage<GenlCtrl>, BoxError> {
        self.seq = self.seq.wrapping_add(1);
        let req = build(
            GenlCtrlCmd::GetFamily,
            vec![GenlCtrlAttrs::FamilyName(name.to_owned())],
            crate::FLAGS_DO_ACK,
            self.seq,
        );
        self.round_trip(&req)?
            .pop()
            .ok_or_else(|| "no reply".into())
    }

    /// A GETFAMILY "do" for `name` without `NLM_F_ACK`: one reply datagram, as netlink-genl
    /// sends a command with a declared reply.
    pub fn get_family_no_ack(&mut self, name: &str) -> Result<GenlMessage<GenlCtrl>, BoxError> {
        self.seq = self.seq.wrapping_add(1);
        let req = build(
            GenlCtrlCmd::GetFamily,
            vec![GenlCtrlAttrs::FamilyName(name.to_owned())],
            crate::FLAGS_DO,
            self.seq,
        );
        self.request_one(&req)?
            .pop()
            .ok_or_else(|| "no reply".into())
    }
}
