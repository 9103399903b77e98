//! neli 0.7.5, used as its documentation and examples show (`ctrl-list.rs`), with the reused
//! buffers its API allows (the `Cursor<Vec<u8>>` given to `to_bytes`; the socket's buffer pool).

use std::io::Cursor;

use neli::FromBytes as _;
use neli::ToBytes as _;
use neli::attr::Attribute as _;
use neli::consts::genl::{CtrlAttr, CtrlAttrMcastGrp, CtrlCmd, Index};
use neli::consts::nl::{GenlId, NlmF};
use neli::consts::socket::NlFamily;
use neli::genl::{AttrTypeBuilder, Genlmsghdr, GenlmsghdrBuilder, NlattrBuilder};
use neli::nl::{NlPayload, Nlmsghdr, NlmsghdrBuilder};
use neli::socket::synchronous::NlSocketHandle;
use neli::types::GenlBuffer;
use neli::utils::Groups;

use crate::manual::BoxError;
use crate::plain::{AttrPolicy, Family, Group, Op, PolicyMsg};

/// A request or reply message of nlctrl.
pub type CtrlMsg = Nlmsghdr<u16, Genlmsghdr<CtrlCmd, CtrlAttr>>;
/// A GETPOLICY reply message (neli has no constants for the policy attributes: raw `u16`).
pub type PolicyNlMsg = Nlmsghdr<u16, Genlmsghdr<CtrlCmd, u16>>;

/// Build the GETFAMILY request for `name` (the request value a neli user constructs).
pub fn build_getfamily(name: &str, flags: u16, seq: u32) -> Result<CtrlMsg, BoxError> {
    let mut attrs = GenlBuffer::new();
    attrs.push(
        NlattrBuilder::default()
            .nla_type(
                AttrTypeBuilder::default()
                    .nla_type(CtrlAttr::FamilyName)
                    .build()?,
            )
            .nla_payload(name)
            .build()?,
    );
    build_ctrl(CtrlCmd::Getfamily, attrs, flags, seq)
}

fn build_ctrl(
    cmd: CtrlCmd,
    attrs: GenlBuffer<CtrlAttr, neli::types::Buffer>,
    flags: u16,
    seq: u32,
) -> Result<CtrlMsg, BoxError> {
    let genl = GenlmsghdrBuilder::default()
        .cmd(cmd)
        .version(crate::REQ_VERSION)
        .attrs(attrs)
        .build()?;
    Ok(NlmsghdrBuilder::default()
        .nl_type(u16::from(GenlId::Ctrl))
        .nl_flags(NlmF::from_bits_retain(flags))
        .nl_seq(seq)
        .nl_pid(0)
        .nl_payload(NlPayload::Payload(genl))
        .build()?)
}

/// Build and serialize the GETFAMILY request into a reused cursor (cleared first).
#[inline]
pub fn encode_getfamily(
    out: &mut Cursor<Vec<u8>>,
    name: &str,
    flags: u16,
    seq: u32,
) -> Result<(), BoxError> {
    let msg = build_getfamily(name, flags, seq)?;
    out.get_mut().clear();
    out.set_position(0);
    msg.to_bytes(out)?;
    Ok(())
}

/// Typed values of one family message, read through neli's attribute handles.
pub fn family_of(g: &Genlmsghdr<CtrlCmd, CtrlAttr>) -> Result<Family, BoxError> {
    let mut f = Family::default();
    let handle = g.attrs().get_attr_handle();
    for attr in handle.iter() {
        match attr.nla_type().nla_type() {
            CtrlAttr::FamilyId => f.id = attr.get_payload_as::<u16>()?,
            CtrlAttr::FamilyName => f.name = attr.get_payload_as_with_len::<String>()?,
            CtrlAttr::Version => f.version = attr.get_payload_as::<u32>()?,
            CtrlAttr::Hdrsize => f.hdrsize = attr.get_payload_as::<u32>()?,
            CtrlAttr::Maxattr => f.maxattr = attr.get_payload_as::<u32>()?,
            CtrlAttr::Ops => {
                let ops = attr.get_attr_handle::<Index>()?;
                for op in ops.iter() {
                    let mut o = Op::default();
                    // neli has no constants for CTRL_ATTR_OP_*: raw ids.
                    for a in op.get_attr_handle::<u16>()?.iter() {
                        match *a.nla_type().nla_type() {
                            1 => o.id = a.get_payload_as::<u32>()?,
                            2 => o.flags = a.get_payload_as::<u32>()?,
                            _ => {}
                        }
                    }
                    f.ops.push(o);
                }
            }
            CtrlAttr::McastGroups => {
                let groups = attr.get_attr_handle::<Index>()?;
                for grp in groups.iter() {
                    let mut g = Group::default();
                    for a in grp.get_attr_handle::<CtrlAttrMcastGrp>()?.iter() {
                        match a.nla_type().nla_type() {
                            CtrlAttrMcastGrp::Name => {
                                g.name = a.get_payload_as_with_len::<String>()?
                            }
                            CtrlAttrMcastGrp::Id => g.id = a.get_payload_as::<u32>()?,
                            _ => {}
                        }
                    }
                    f.groups.push(g);
                }
            }
            _ => {}
        }
    }
    Ok(f)
}

/// What to do with one parsed message of a reply.
enum Next<T> {
    Data(T),
    Skip,
    End,
}

fn classify<P>(msg: &Nlmsghdr<u16, P>) -> Result<Next<&P>, BoxError> {
    Ok(match msg.nl_payload() {
        NlPayload::Payload(p) => Next::Data(p),
        NlPayload::Ack(_) | NlPayload::DumpExtAck(_) => Next::End,
        // DONE without a payload.
        NlPayload::Empty if *msg.nl_type() == 3 => Next::End,
        NlPayload::Empty => Next::Skip,
        NlPayload::Err(e) => return Err(format!("kernel error {}", e.error()).into()),
    })
}

/// Parse a whole GETFAMILY dump reply (concatenated datagrams) and read the typed values of
/// every family.
pub fn decode_family_dump(buf: &[u8]) -> Result<Vec<Family>, BoxError> {
    let mut out = Vec::new();
    let mut cur = Cursor::new(buf);
    while (cur.position() as usize) < buf.len() {
        let msg = CtrlMsg::from_bytes(&mut cur)?;
        match classify(&msg)? {
            Next::Data(g) => out.push(family_of(g)?),
            Next::Skip => {}
            Next::End => break,
        }
    }
    Ok(out)
}

/// Typed values of one GETPOLICY reply message.
pub fn policy_of(g: &Genlmsghdr<CtrlCmd, u16>) -> Result<PolicyMsg, BoxError> {
    let mut m = PolicyMsg::default();
    for attr in g.attrs().get_attr_handle().iter() {
        match *attr.nla_type().nla_type() {
            1 => m.family = attr.get_payload_as::<u16>()?,
            8 => {
                for pol in attr.get_attr_handle::<u16>()?.iter() {
                    for at in pol.get_attr_handle::<u16>()?.iter() {
                        let mut s = AttrPolicy::default();
                        for x in at.get_attr_handle::<u16>()?.iter() {
                            match *x.nla_type().nla_type() {
                                1 => s.ty = x.get_payload_as::<u32>()?,
                                2 => s.min_s = Some(x.get_payload_as::<i64>()?),
                                3 => s.max_s = Some(x.get_payload_as::<i64>()?),
                                4 => s.min_u = Some(x.get_payload_as::<u64>()?),
                                5 => s.max_u = Some(x.get_payload_as::<u64>()?),
                                6 => s.min_len = Some(x.get_payload_as::<u32>()?),
                                7 => s.max_len = Some(x.get_payload_as::<u32>()?),
                                8 => s.policy_idx = Some(x.get_payload_as::<u32>()?),
                                9 => s.policy_maxtype = Some(x.get_payload_as::<u32>()?),
                                10 => s.bitfield32_mask = Some(x.get_payload_as::<u32>()?),
                                12 => s.mask = Some(x.get_payload_as::<u64>()?),
                                _ => {}
                            }
                        }
                        m.attr = Some((*pol.nla_type().nla_type(), *at.nla_type().nla_type(), s));
                    }
                }
            }
            9 => {
                for c in attr.get_attr_handle::<u16>()?.iter() {
                    let (mut d, mut du) = (None, None);
                    for x in c.get_attr_handle::<u16>()?.iter() {
                        match *x.nla_type().nla_type() {
                            1 => d = Some(x.get_payload_as::<u32>()?),
                            2 => du = Some(x.get_payload_as::<u32>()?),
                            _ => {}
                        }
                    }
                    m.op = Some((*c.nla_type().nla_type(), d, du));
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

/// Parse a whole GETPOLICY dump reply and read the typed values of every message.
pub fn decode_policy_dump(buf: &[u8]) -> Result<Vec<PolicyMsg>, BoxError> {
    let mut out = Vec::new();
    let mut cur = Cursor::new(buf);
    while (cur.position() as usize) < buf.len() {
        let msg = PolicyNlMsg::from_bytes(&mut cur)?;
        match classify(&msg)? {
            Next::Data(g) => out.push(policy_of(g)?),
            Next::Skip => {}
            Next::End => break,
        }
    }
    Ok(out)
}

/// A neli socket (`NlSocketHandle`, the synchronous API without the router thread).
pub struct Live {
    sock: NlSocketHandle,
    seq: u32,
}

impl Live {
    /// Connect a `NETLINK_GENERIC` socket.
    pub fn new() -> Result<Self, BoxError> {
        Ok(Live {
            sock: NlSocketHandle::connect(NlFamily::Generic, None, Groups::empty())?,
            seq: 0,
        })
    }

    /// Send `req` and collect the typed values of every reply message until DONE or the ACK.
    fn round_trip(&mut self, req: &CtrlMsg) -> Result<Vec<Family>, BoxError> {
        self.sock.send(req)?;
        let mut out = Vec::new();
        loop {
            let (msgs, _) = self.sock.recv::<u16, Genlmsghdr<CtrlCmd, CtrlAttr>>()?;
            for msg in msgs {
                let msg = msg?;
                match classify(&msg)? {
                    Next::Data(g) => out.push(family_of(g)?),
                    Next::Skip => {}
                    Next::End => return Ok(out),
                }
            }
        }
    }

    /// Send `req` (without `NLM_F_ACK`) and read the typed values of the one datagram of its
    /// reply.
    fn request_one(&mut self, req: &CtrlMsg) -> Result<Vec<Family>, BoxError> {
        self.sock.send(req)?;
        let mut out = Vec::new();
        let (msgs, _) = self.sock.recv::<u16, Genlmsghdr<CtrlCmd, CtrlAttr>>()?;
        for msg in msgs {
            let msg = msg?;
            match classify(&msg)? {
                Next::Data(g) => out.push(family_of(g)?),
                Next::Skip => {}
                Next::End => break,
            }
        }
        Ok(out)
    }

    /// A GETFAMILY dump: every family.
    pub fn dump_families(&mut self) -> Result<Vec<Family>, BoxError> {
        self.seq = self.seq.wrapping_add(1);
        let req = build_ctrl(
            CtrlCmd::Getfamily,
            GenlBuffer::new(),
            crate::FLAGS_DUMP,
            self.seq,
        )?;
        self.round_trip(&req)
    }

    /// A GETFAMILY "do" for `name`, with an ACK.
    pub fn get_family(&mut self, name: &str) -> Result<Family, BoxError> {
        self.seq = self.seq.wrapping_add(1);
        let req = build_getfamily(name, crate::FLAGS_DO_ACK, self.seq)?;
        self.round_trip(&req)?
            .pop()
            .ok_or_else(|| "no reply".into())
    }

    /// A GETFAMILY "do" for `name` without `NLM_F_ACK`: one reply datagram, as netlink-genl
    /// sends a command with a declared reply.
    pub fn get_family_no_ack(&mut self, name: &str) -> Result<Family, BoxError> {
        self.seq = self.seq.wrapping_add(1);
        let req = build_getfamily(name, crate::FLAGS_DO, self.seq)?;
        self.request_one(&req)?
            .pop()
            .ok_or_else(|| "no reply".into())
    }
}
