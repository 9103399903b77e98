//! The generic netlink controller, `nlctrl` (family id 0x10), declared with this crate's own
//! derives: family lookup (`GETFAMILY` do and dump, answered by `NEWFAMILY`) with operations and
//! multicast groups, and policy dumps (`GETPOLICY`).
//!
//! Attribute ids and commands are those of `<linux/genetlink.h>`; the policy attributes are
//! `NL_POLICY_TYPE_ATTR_*` of `<linux/netlink.h>`.
//!
//! ```
//! use netlink_genl::ctrl::{Ctrl, Family};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! let reply = sock.request(&Ctrl::GetFamily(Family::by_name("nlctrl")))?;
//! let Ctrl::NewFamily(family) = reply else { panic!("unexpected reply {reply:?}") };
//! assert_eq!(family.id, Some(0x10));
//! assert!(family.mcast_groups.iter().any(|g| g.name.as_deref() == Some("notify")));
//! # Ok::<(), netlink_genl::Error>(())
//! ```

use std::collections::BTreeMap;

use netlink_genl_core::PolicyInfo;
use netlink_genl_core::attr::ArrayView;

use crate::{GenlMessage, NlAttrs};

/// `CTRL_CMD_NEWFAMILY`: a family (reply to `GETFAMILY`, and notification).
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
/// `CTRL_CMD_DELFAMILY`: a family went away (notification).
pub const CTRL_CMD_DELFAMILY: u8 = 2;
/// `CTRL_CMD_GETFAMILY`: look up one family (do) or all (dump).
pub const CTRL_CMD_GETFAMILY: u8 = 3;
/// `CTRL_CMD_NEWMCAST_GRP`: a multicast group was added (notification).
pub const CTRL_CMD_NEWMCAST_GRP: u8 = 7;
/// `CTRL_CMD_DELMCAST_GRP`: a multicast group was removed (notification).
pub const CTRL_CMD_DELMCAST_GRP: u8 = 8;
/// `CTRL_CMD_GETPOLICY`: dump a family's attribute policies (request and replies).
pub const CTRL_CMD_GETPOLICY: u8 = 10;

/// Operation flags (`CTRL_ATTR_OP_FLAGS`, `GENL_*`).
pub mod op_flags {
    /// `GENL_ADMIN_PERM`: needs `CAP_NET_ADMIN`.
    pub const ADMIN_PERM: u32 = 0x01;
    /// `GENL_CMD_CAP_DO`: has a do handler.
    pub const CAP_DO: u32 = 0x02;
    /// `GENL_CMD_CAP_DUMP`: has a dump handler.
    pub const CAP_DUMP: u32 = 0x04;
    /// `GENL_CMD_CAP_HASPOL`: has an attribute policy.
    pub const CAP_HASPOL: u32 = 0x08;
    /// `GENL_UNS_ADMIN_PERM`: needs `CAP_NET_ADMIN` in the user namespace of the netns.
    pub const UNS_ADMIN_PERM: u32 = 0x10;

    /// The flag names set in `flags`, as iproute2 words them (`can doit`, `has policy`, ...).
    pub fn describe(flags: u32) -> Vec<&'static str> {
        let mut v = Vec::new();
        if flags & ADMIN_PERM != 0 {
            v.push("requires admin permission");
        }
        if flags & CAP_DO != 0 {
            v.push("can doit");
        }
        if flags & CAP_DUMP != 0 {
            v.push("can dumpit");
        }
        if flags & CAP_HASPOL != 0 {
            v.push("has policy");
        }
        if flags & UNS_ADMIN_PERM != 0 {
            v.push("requires netns admin permission");
        }
        v
    }
}

/// One operation of a family (`CTRL_ATTR_OP_*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Op {
    /// `CTRL_ATTR_OP_ID`: the command number.
    #[nla(id = 1)]
    pub id: Option<u32>,
    /// `CTRL_ATTR_OP_FLAGS`: [`op_flags`].
    #[nla(id = 2)]
    pub flags: Option<u32>,
}

/// One multicast group of a family (`CTRL_ATTR_MCAST_GRP_*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct McastGroup {
    /// `CTRL_ATTR_MCAST_GRP_NAME`.
    #[nla(id = 1)]
    pub name: Option<String>,
    /// `CTRL_ATTR_MCAST_GRP_ID`: the group number to join.
    #[nla(id = 2)]
    pub id: Option<u32>,
}

/// The policies of one operation (`CTRL_ATTR_POLICY_*`): indexes into the policy table of the
/// same dump.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct OpPolicy {
    /// `CTRL_ATTR_POLICY_DO`: the policy of the do handler.
    #[nla(id = 1)]
    pub do_policy: Option<u32>,
    /// `CTRL_ATTR_POLICY_DUMP`: the policy of the dump handler.
    #[nla(id = 2)]
    pub dump_policy: Option<u32>,
}

/// The attribute set of every nlctrl command (`CTRL_ATTR_*`): one family, or one piece of a
/// policy dump.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Family {
    /// `CTRL_ATTR_FAMILY_ID`.
    #[nla(id = 1)]
    pub id: Option<u16>,
    /// `CTRL_ATTR_FAMILY_NAME`: at most 15 bytes (`GENL_NAMSIZ - 1`, the kernel's policy).
    #[nla(id = 2, max_len = 15)]
    pub name: Option<String>,
    /// `CTRL_ATTR_VERSION`: the family's interface version.
    #[nla(id = 3)]
    pub version: Option<u32>,
    /// `CTRL_ATTR_HDRSIZE`: the size of the family's fixed user header.
    #[nla(id = 4)]
    pub hdrsize: Option<u32>,
    /// `CTRL_ATTR_MAXATTR`: the family's largest attribute id (0 with per-op policies).
    #[nla(id = 5)]
    pub maxattr: Option<u32>,
    /// `CTRL_ATTR_OPS`: the operations.
    #[nla(id = 6, array)]
    pub ops: Vec<Op>,
    /// `CTRL_ATTR_MCAST_GROUPS`: the multicast groups.
    #[nla(id = 7, array)]
    pub mcast_groups: Vec<McastGroup>,
    /// `CTRL_ATTR_POLICY` (GETPOLICY replies): policy index → attribute id → policy.
    #[nla(id = 8, keyed)]
    pub policy: Vec<(u32, Vec<(u16, PolicyInfo)>)>,
    /// `CTRL_ATTR_OP_POLICY` (GETPOLICY replies): command → its do and dump policies. Dump-only
    /// operations appear under key 0 on current kernels.
    #[nla(id = 9, keyed)]
    pub op_policy: Vec<(u32, OpPolicy)>,
    /// `CTRL_ATTR_OP` (GETPOLICY requests): restrict the dump to one operation.
    #[nla(id = 10)]
    pub op: Option<u32>,
}

impl Family {
    /// A request body naming a family: `CTRL_ATTR_FAMILY_NAME`.
    pub fn by_name(name: &str) -> Self {
        Family {
            name: Some(name.to_owned()),
            ..Family::default()
        }
    }

    /// A request body giving a family id: `CTRL_ATTR_FAMILY_ID`.
    pub fn by_id(id: u16) -> Self {
        Family {
            id: Some(id),
            ..Family::default()
        }
    }

    /// The id of multicast group `name`.
    pub fn group_id(&self, name: &str) -> Option<u32> {
        self.mcast_groups
            .iter()
            .find(|g| g.name.as_deref() == Some(name))
            .and_then(|g| g.id)
    }
}

/// The nlctrl commands.
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "nlctrl", version = 2, groups("notify"))]
pub enum Ctrl {
    /// `CTRL_CMD_NEWFAMILY` (1): a family (the reply to `GetFamily`; also a notification).
    #[genl(cmd = CTRL_CMD_NEWFAMILY, mcast = "notify")]
    NewFamily(Family),
    /// `CTRL_CMD_DELFAMILY` (2): a family was unregistered (notification).
    #[genl(cmd = CTRL_CMD_DELFAMILY, mcast = "notify")]
    DelFamily(Family),
    /// `CTRL_CMD_GETFAMILY` (3): by name or id (do), or all (dump). A do is answered by one
    /// `NewFamily` (the kernel's `ctrl_getfamily` sends one reply or an error).
    #[genl(
        cmd = CTRL_CMD_GETFAMILY,
        request,
        reply = NewFamily,
        do(
            request(id, name),
            reply(id, name, version, hdrsize, maxattr, ops, mcast_groups)
        ),
        dump(
            request(id, name),
            reply(id, name, version, hdrsize, maxattr, ops, mcast_groups)
        )
    )]
    GetFamily(Family),
    /// `CTRL_CMD_NEWMCAST_GRP` (7): a group was added (notification).
    #[genl(cmd = CTRL_CMD_NEWMCAST_GRP, mcast = "notify")]
    NewMcastGrp(Family),
    /// `CTRL_CMD_DELMCAST_GRP` (8): a group was removed (notification).
    #[genl(cmd = CTRL_CMD_DELMCAST_GRP, mcast = "notify")]
    DelMcastGrp(Family),
    /// `CTRL_CMD_GETPOLICY` (10): dump a family's policies (by name or id, optionally one op);
    /// each reply carries one piece in `policy` or `op_policy`. Dump-only, so no answer is
    /// declared (dumps end with `NLMSG_DONE`).
    #[genl(
        cmd = CTRL_CMD_GETPOLICY,
        dump(request(name, id, op), reply(id, op_policy, policy))
    )]
    GetPolicy(Family),
}

impl Ctrl {
    /// The attribute set, whatever the command.
    pub fn family(&self) -> &Family {
        match self {
            Ctrl::NewFamily(f)
            | Ctrl::DelFamily(f)
            | Ctrl::GetFamily(f)
            | Ctrl::NewMcastGrp(f)
            | Ctrl::DelMcastGrp(f)
            | Ctrl::GetPolicy(f) => f,
        }
    }

    /// The attribute set, whatever the command.
    pub fn into_family(self) -> Family {
        match self {
            Ctrl::NewFamily(f)
            | Ctrl::DelFamily(f)
            | Ctrl::GetFamily(f)
            | Ctrl::NewMcastGrp(f)
            | Ctrl::DelMcastGrp(f)
            | Ctrl::GetPolicy(f) => f,
        }
    }
}

/// A family's policies, assembled from a `GETPOLICY` dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyDump {
    /// Command → its do and dump policy indexes (dump-only commands may appear under 0).
    pub ops: BTreeMap<u32, OpPolicy>,
    /// Policy index → attribute id → policy.
    pub policies: BTreeMap<u32, BTreeMap<u16, PolicyInfo>>,
    /// The number of messages the dump had.
    pub messages: usize,
    /// The dump carried `NLM_F_DUMP_INTR`.
    pub interrupted: bool,
}

impl PolicyDump {
    /// Add one `GETPOLICY` reply.
    pub fn add(&mut self, f: Family) {
        self.messages += 1;
        for (cmd, p) in f.op_policy {
            let e = self.ops.entry(cmd).or_default();
            if p.do_policy.is_some() {
                e.do_policy = p.do_policy;
            }
            if p.dump_policy.is_some() {
                e.dump_policy = p.dump_policy;
            }
        }
        for (idx, attrs) in f.policy {
            let table = self.policies.entry(idx).or_default();
            for (attr, p) in attrs {
                table.insert(attr, p);
            }
        }
    }

    /// The attribute policies of table `idx`.
    pub fn policy(&self, idx: u32) -> Option<&BTreeMap<u16, PolicyInfo>> {
        self.policies.get(&idx)
    }
}

/// The attribute set of [`CtrlRef`]: [`Family`] borrowed from the receive buffer. Strings are
/// `&str` into the buffer and the operation and group lists are decoded lazily, so decoding a
/// reply allocates nothing.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
pub struct FamilyRef<'a> {
    /// `CTRL_ATTR_FAMILY_ID`.
    #[nla(id = 1)]
    pub id: Option<u16>,
    /// `CTRL_ATTR_FAMILY_NAME`: at most 15 bytes (`GENL_NAMSIZ - 1`).
    #[nla(id = 2, max_len = 15)]
    pub name: Option<&'a str>,
    /// `CTRL_ATTR_VERSION`.
    #[nla(id = 3)]
    pub version: Option<u32>,
    /// `CTRL_ATTR_HDRSIZE`.
    #[nla(id = 4)]
    pub hdrsize: Option<u32>,
    /// `CTRL_ATTR_MAXATTR`.
    #[nla(id = 5)]
    pub maxattr: Option<u32>,
    /// `CTRL_ATTR_OPS`, decoded when iterated.
    #[nla(id = 6, array)]
    pub ops: Option<ArrayView<'a, Op>>,
    /// `CTRL_ATTR_MCAST_GROUPS`, decoded when iterated.
    #[nla(id = 7, array)]
    pub mcast_groups: Option<ArrayView<'a, McastGroupRef<'a>>>,
}

/// A multicast group with its name borrowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, NlAttrs)]
pub struct McastGroupRef<'a> {
    /// `CTRL_ATTR_MCAST_GRP_NAME`.
    #[nla(id = 1)]
    pub name: Option<&'a str>,
    /// `CTRL_ATTR_MCAST_GRP_ID`.
    #[nla(id = 2)]
    pub id: Option<u32>,
}

/// The family-lookup commands of nlctrl, decoded without copying: the zero-copy counterpart
/// of [`Ctrl`] for hot paths (see [`GenlSocket::dump_borrowed`](crate::GenlSocket::dump_borrowed)).
///
/// ```
/// use netlink_genl::ctrl::{CtrlRef, FamilyRef};
/// use netlink_genl::GenlSocket;
///
/// let mut sock = GenlSocket::new()?;
/// let mut ops = 0;
/// sock.dump_borrowed::<CtrlRef, _, _>(&CtrlRef::GetFamily(FamilyRef::default()), |m| {
///     if let CtrlRef::NewFamily(f) = m {
///         ops += f.ops.map_or(0, |v| v.len());
///     }
///     Ok(())
/// })?;
/// assert!(ops >= 2);
/// # Ok::<(), netlink_genl::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
pub enum CtrlRef<'a> {
    /// `CTRL_CMD_NEWFAMILY` (1).
    #[genl(cmd = CTRL_CMD_NEWFAMILY)]
    NewFamily(FamilyRef<'a>),
    /// `CTRL_CMD_GETFAMILY` (3); a do is answered by one `NewFamily`.
    #[genl(cmd = CTRL_CMD_GETFAMILY, request, reply = NewFamily)]
    GetFamily(FamilyRef<'a>),
}

// Compile-time check that the controller is a complete message type.
const _: fn() = || {
    fn is_msg<T: GenlMessage + crate::GenlDecodeOwned>() {}
    is_msg::<Ctrl>();
};
