//! A fake kernel: serve your own `#[derive(GenlMessage)]` families in memory, and test a client
//! without root, a kernel module or a real socket (feature `testing`).
//!
//! [`FakeKernel`] plays the kernel's side of generic netlink. You register families built
//! from your own types ([`FamilySpec`]): their name, version and user header come from the
//! [`GenlMessage`] impl, their ids and multicast group ids are assigned as the kernel assigns
//! them, and each operation is a closure over your types: a do handler gets the decoded
//! request and returns a [`Reply`] (messages, or the ACK alone) or an [`ErrorReply`] (an errno
//! with an extended-ACK message and the offending attribute); a dump handler pushes values
//! into a [`DumpOut`], which the fake packs into datagrams and ends with `NLMSG_DONE`.
//!
//! Clients connect with [`FakeKernel::connect`] (a [`GenlSocket`]) or, with the `tokio`
//! feature, [`FakeKernel::connect_async`]. They are the unchanged sockets of this crate, each
//! over its own [`MemTransport`] with its own port id: they resolve families through the
//! fake's controller (`nlctrl`, always registered, id 0x10, group `notify` 16) exactly as
//! through the kernel's, then request, dump, join groups and receive events.
//!
//! ```
//! use netlink_genl::testing::{DumpOut, FakeKernel, FamilySpec, Reply};
//! use netlink_genl::{GenlMessage, GenlSocket, NlAttrs};
//!
//! #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! pub struct Msg {
//!     #[nla(id = 1)] pub text: Option<String>,
//! }
//!
//! #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! #[genl(family = "demo", version = 1)]
//! pub enum Demo {
//!     #[genl(cmd = 1, reply = Echo)] Echo(Msg),
//!     #[genl(cmd = 2)] List(Msg),
//!     #[genl(cmd = 3)] Event(Msg),
//! }
//!
//! let fake = FakeKernel::new();
//! fake.register(
//!     FamilySpec::<Demo>::new()
//!         .group("events")
//!         .on_do(1, |_ctx, req| Ok(Reply::msg(req)))
//!         .on_dump(2, |_ctx, _req, out: &mut DumpOut<Demo>| {
//!             for i in 0..3 {
//!                 out.push(Demo::List(Msg { text: Some(format!("item {i}")) }));
//!             }
//!             Ok(())
//!         }),
//! )?;
//!
//! let mut sock: GenlSocket = fake.connect()?;
//! let hello = Demo::Echo(Msg { text: Some("hello".into()) });
//! assert_eq!(sock.request(&hello)?, hello);
//! let items: Vec<Demo> = sock.dump(&Demo::List(Msg::default()))?.collect::<Result<_, _>>()?;
//! assert_eq!(items.len(), 3);
//!
//! sock.join::<Demo>("events")?;
//! fake.notify("events", &Demo::Event(Msg { text: Some("hi".into()) }))?;
//! assert_eq!(sock.recv_event::<Demo>()?.msg, Demo::Event(Msg { text: Some("hi".into()) }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What it does like the kernel
//!
//! - **Ids.** nlctrl is 0x10; 17 (`VFS_DQUOT`) and 18 are reserved; every other family gets
//!   the next id from 19 ([`GENL_START_ALLOC`]) in registration order, as
//!   `genl_register_family` allocates them at boot. Multicast groups are numbered as
//!   `genl_validate_assign_mc_groups` does: nlctrl's `notify` is 16, 0, 1, 16, 17 and 18 are
//!   taken, and a family's groups get the first free block of consecutive numbers (a family
//!   registered first with one group gets 2).
//! - **The controller.** `CTRL_CMD_GETFAMILY` do (by `FAMILY_ID` or `FAMILY_NAME`; unknown:
//!   `ENOENT`, neither: `EINVAL`) and dump, answered with `NEWFAMILY` messages written in the
//!   kernel's attribute order (name, id, version, hdrsize, maxattr, ops, groups). Registering
//!   a family sends `NEWFAMILY` and `NEWMCAST_GRP` notifications to nlctrl's `notify` group.
//! - **Policies from your types** (`CTRL_CMD_GETPOLICY`, as `ctrl_dumppolicy`: by family name
//!   or id, optionally one operation with `CTRL_ATTR_OP`). Each operation's policy is the
//!   [`Schema`] of its request's attribute set (the command's variant, or the set an
//!   [`on_do_attrs`](FamilySpec::on_do_attrs) handler decodes), restricted for the do and
//!   the dump to the attributes the command declares for their requests
//!   (`#[genl(do(request(..)), dump(request(..)))]`, as the kernel's generated per-operation
//!   policies list only those; no list: the whole set; an empty list: no policy); nested sets
//!   get a policy index each, numbered and deduplicated as `netlink_policy_dump_add_policy`
//!   does ([`crate::policy`] computes all of it). The
//!   answer is the kernel's: one `OP_POLICY` message per operation (`{cmd: {DO, DUMP}}`, a
//!   dump-only operation under key 0 as current kernels write it), then one `POLICY` message
//!   per attribute. How each attribute kind maps to an `NL_ATTR_TYPE_*` and its bounds is in
//!   [`attr_policy`]. `GENL_CMD_CAP_HASPOL` is reported for operations with a set. A request
//!   is validated against the policy of its handler (do or dump), so an attribute of the set
//!   that the request does not declare is rejected as the kernel rejects it.
//! - **Validation like `nla_parse`**, before a handler runs, against the same policy: strict,
//!   as for new kernel families, unless the operation is declared
//!   [`lenient`](FamilySpec::lenient). An id above the set's largest is `EINVAL` "Unknown
//!   attribute type", one in a gap "Unsupported attribute"; a fixed-size attribute of
//!   another length `EINVAL` "invalid attribute length" (lenient: only a short one, `ERANGE`);
//!   a nest without `NLA_F_NESTED` or a non-nest with it `EINVAL`; a flag with a payload
//!   `ERANGE` and a NUL string without its NUL `EINVAL` ("Attribute failed policy
//!   validation"); nests are checked against their set, indexed arrays entry by entry. The
//!   attributes' bounds ([`Checks`](netlink_genl_core::schema::Checks), from
//!   `#[nla(min, max, min_len, max_len, exact_len)]`) are enforced as `nla_validate_int_range`
//!   and `validate_nla` enforce the kernel's: an integer outside them is `ERANGE` "integer out
//!   of range"; bytes of a length outside them `ERANGE` "binary attribute size out of range";
//!   a string longer than its maximum `EINVAL` when no NUL comes within the maximum plus one
//!   byte (how the derive writes it), `ERANGE` otherwise ("Attribute failed policy
//!   validation"). Each of these carries `NLMSGERR_ATTR_OFFS` at the attribute and
//!   `NLMSGERR_ATTR_POLICY` (with the bounds, see [`checked_policy`]). Then
//!   a missing required attribute (a non-`Option` field) is `EINVAL` with
//!   `NLMSGERR_ATTR_MISS_TYPE`, and inside a nest `NLMSGERR_ATTR_MISS_NEST` at the nest's
//!   header, as a handler's `GENL_REQ_ATTR_CHECK` reports it. The client maps offsets and
//!   missing attributes to field paths exactly as it does the kernel's.
//! - **Routing and checks**, in `genl_rcv_msg`'s order: an unknown `nlmsg_type` is `ENOENT`;
//!   a message too short for the genl and user headers `EINVAL`; an unknown command, or a do
//!   (dump) of an operation without a do (dump) handler, `EOPNOTSUPP`; an admin-only
//!   operation ([`op_flags::ADMIN_PERM`] or [`op_flags::UNS_ADMIN_PERM`]: declared by the
//!   type, `#[genl(admin_perm)]`, or given with [`FamilySpec::admin`]) from a connection
//!   opened with [`connect_unprivileged`](FakeKernel::connect_unprivileged) `EPERM`; then the
//!   validation above (liberal or none where the type declares `dont_validate(..)` or the
//!   spec says [`lenient`](FamilySpec::lenient); the policy layout its `kernel_policy`
//!   says); a request that passes it but does not decode as your type is
//!   `EINVAL`, with the decode error as the extended-ACK message and `NLMSGERR_ATTR_OFFS` at
//!   the offending attribute (the fallback: invalid UTF-8, a lenient operation's longer
//!   integer, `deny_unknown`).
//!   Messages without `NLM_F_REQUEST`, and control messages (type < 0x10), are only ACKed if
//!   asked.
//! - **Answers.** Do replies carry the request's sequence number and the client's port id,
//!   one datagram each, then the ACK if `NLM_F_ACK` was set. Dump replies carry
//!   `NLM_F_MULTI` and are packed into datagrams of at most
//!   [`dump_datagram_size`](FakeKernel::dump_datagram_size) bytes (default
//!   [`DEFAULT_DUMP_DATAGRAM`]); `NLMSG_DONE` goes into the last datagram when it fits, with
//!   the handler's errno (and extended ACK) when it failed. A dump whose request does not
//!   decode fails at its start, with `NLMSG_ERROR`. Errors always come back; they echo the
//!   request's header only (`NLM_F_CAPPED`) and carry extended-ACK attributes
//!   (`NLM_F_ACK_TLVS`) when there are any: the fake behaves as if `NETLINK_CAP_ACK` and
//!   `NETLINK_EXT_ACK` were on, which is how this crate's sockets open a kernel socket
//!   ([`set_ack_options`](FakeKernel::set_ack_options) turns either off: without
//!   `NETLINK_CAP_ACK` errors echo the whole request, as in the kernel captures of
//!   `tests/fixtures/kernel`, which [`respond`](FakeKernel::respond) reproduces byte for
//!   byte).
//! - **Multicast.** [`notify`](FakeKernel::notify) sends a typed message (sequence number 0,
//!   port 0) to every connection that joined the group, by the receive-queue rules of
//!   [`MemTransport`] (a full queue drops it and reports `ENOBUFS`).
//! - **Faults on demand** ([`Fault`], [`FakeKernel::fault`]): drop, delay, overrun, foreign
//!   sender, truncation, an interrupted dump, a stale sequence number.
//!
//! # Known gaps
//!
//! - A [`Schema`]'s checks are integer ranges, masks (`NLA_POLICY_MASK`, from
//!   [`Checks::mask`](netlink_genl_core::schema::Checks::mask) or flags:
//!   [`AttrInfo::policy_checks`](netlink_genl_core::schema::AttrInfo::policy_checks)), a
//!   bitfield32's valid bits and lengths: no validation functions (a sparse enum) or
//!   `NLA_REJECT`, which the fake neither advertises nor enforces. A string's minimum length is not enforced nor
//!   advertised either (a kernel string policy has none); a string's maximum is advertised as
//!   `NLA_NUL_STRING` with `.len`, the bounds of bytes as `NLA_POLICY_RANGE(NLA_BINARY, ..)`:
//!   a kernel that declares `NLA_POLICY_MIN_LEN` or `NLA_POLICY_MAX_LEN` instead advertises
//!   no length (its dump writes lengths for ranges and `.len` only), so a comparison shows
//!   the fake's bounds as a difference. The controller's own `FAMILY_NAME` and `FAMILY_ID`
//!   checks follow the kernel's policy by hand (a name of 16 bytes or more, an id shorter
//!   than 2 bytes, with the kernel's extended ACK); its `GETPOLICY` comes from
//!   [`Family`](crate::ctrl::Family)'s schema, which declares the name's maximum length.
//! - A family type declares one set per command; its do and dump requests can each be
//!   restricted to some of its attributes, but not to another set (the kernel's dump of an
//!   operation may use a set of its own). Nested sets are always whole: the kernel's
//!   generated nested policies may list fewer attributes.
//! - Big-endian 16- and 32-bit attributes (and IPv4 addresses) are advertised as `U16` and
//!   `U32`; the kernel declares them `NLA_BE16`/`NLA_BE32`, which its policy dump omits
//!   (6.18: mptcp_pm's `addr4` is absent from `GETPOLICY`), so the fake lists attributes the
//!   kernel's dump does not.
//! - Keyed nests are advertised as `NESTED` without a policy and their entries are not
//!   validated (a policy cannot describe keys); a value type of your own
//!   ([`AttrKind::Unknown`](netlink_genl_core::schema::AttrKind::Unknown)) is `BINARY`.
//! - No network namespaces, no `NLM_F_ECHO`, no unregistering; a dump is built completely
//!   when it is requested, not one datagram per `recvmsg`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use netlink_genl_core::attr::AttrIter;
use netlink_genl_core::consts::{
    NLA_F_NESTED, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_INTR,
    NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_MIN_TYPE,
    NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
    NLMSGERR_ATTR_POLICY, align, policy as pol,
};
use netlink_genl_core::header::NlMsgHdr;
use netlink_genl_core::mem::{MemDatagram, MemTransport, Outbox};
use netlink_genl_core::message::MessageIter;
use netlink_genl_core::schema::Schema;
use netlink_genl_core::{DecodeAttrsOwned, DecodeError, DecodeErrorKind, Errno, Error, PolicyInfo};
use zerocopy::{FromBytes, IntoBytes};

use crate::ctrl::{CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, CTRL_CMD_NEWMCAST_GRP, Ctrl, op_flags};
use crate::header::{GENL_HDRLEN, GENL_ID_CTRL, GenlMsgHdr};
use crate::message::{GenlDecodeOwned, GenlMessage, GenlRequest, MessageSchema};
use crate::socket::GenlSocket;

mod policy;

use crate::policy::{PolicySet, PolicyTable};
/// Re-exported from [`crate::policy`], where the policy computation lives.
pub use crate::policy::{attr_policy, checked_policy};

/// The first family id the kernel allocates (`GENL_START_ALLOC`): 0x10 is nlctrl, 17
/// (`GENL_ID_VFS_DQUOT`) and 18 (`GENL_ID_PMCRAID`) are reserved.
pub const GENL_START_ALLOC: u16 = 19;

/// The largest family id (`GENL_MAX_ID`).
pub const GENL_MAX_ID: u16 = 1023;

/// The default size of a dump datagram: `NLMSG_GOODSIZE` with 4 KiB pages on x86-64
/// (`SKB_WITH_OVERHEAD(4096)` = 3776 bytes), what the kernel allocates for the first datagram
/// of a dump on a fresh socket. (A socket that has received large datagrams before gets up to
/// 32 KiB from the kernel; set [`FakeKernel::set_dump_datagram_size`] to model that.)
pub const DEFAULT_DUMP_DATAGRAM: usize = 3776;

/// nlctrl's multicast group `notify`.
const CTRL_NOTIFY_GROUP: u32 = 16;
/// `GENL_NAMSIZ`: family and group names are shorter than this.
const GENL_NAMSIZ: usize = 16;
/// `CTRL_CMD_GETPOLICY`.
const CTRL_CMD_GETPOLICY: u8 = 10;

// ---------------------------------------------------------------------------------------------
// What handlers see and answer.

/// What a handler knows of the request besides its decoded body: who sent it, how, and the
/// family's fixed user header (`H` = [`GenlMessage::Header`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context<H> {
    /// The sender's port id (the client socket's).
    pub port: u32,
    /// The request's sequence number.
    pub seq: u32,
    /// The request's `NLM_F_*` flags.
    pub flags: u16,
    /// The family id the request was sent to.
    pub family_id: u16,
    /// The command.
    pub cmd: u8,
    /// The version in the request's genl header.
    pub version: u8,
    /// The family's fixed user header, as sent.
    pub header: H,
    /// Whether the connection is privileged (`CAP_NET_ADMIN`): false for
    /// [`FakeKernel::connect_unprivileged`].
    pub privileged: bool,
}

/// What a do handler answers besides an error: reply messages (each with a user header), or
/// none at all (the ACK alone, if the client asked for one).
#[derive(Debug, Clone)]
pub struct Reply<T: GenlMessage> {
    messages: Vec<(T::Header, T)>,
}

impl<T: GenlMessage> Reply<T> {
    /// No reply message: the client gets the ACK alone (if it set `NLM_F_ACK`).
    pub fn ack() -> Self {
        Reply {
            messages: Vec::new(),
        }
    }

    /// One reply message, with a default user header.
    pub fn msg(msg: T) -> Self {
        Self::with_header(T::Header::default(), msg)
    }

    /// One reply message with user header `header`.
    pub fn with_header(header: T::Header, msg: T) -> Self {
        Reply {
            messages: vec![(header, msg)],
        }
    }

    /// This answer and one more reply message (each goes in its own datagram).
    pub fn and(mut self, msg: T) -> Self {
        self.messages.push((T::Header::default(), msg));
        self
    }

    /// The reply messages.
    pub fn messages(&self) -> impl Iterator<Item = &T> {
        self.messages.iter().map(|(_, m)| m)
    }
}

impl<T: GenlMessage> From<T> for Reply<T> {
    fn from(msg: T) -> Self {
        Reply::msg(msg)
    }
}

/// Where the attribute an [`ErrorReply`] blames is (`NLMSGERR_ATTR_OFFS`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttrTarget {
    /// A byte offset in the request message (from its `nlmsghdr`), as the kernel reports it.
    Offset(u32),
    /// A field path of the request's attribute set, dot-separated (`"name"`,
    /// `"header.dev_index"`), resolved to the offset of that attribute in the request. A path
    /// the request does not contain is reported without an offset.
    Field(String),
}

/// An error a handler answers: the errno, and what the extended ACK says (a message, the
/// offending attribute, a missing attribute).
///
/// ```
/// use netlink_genl::testing::ErrorReply;
/// use netlink_genl::Errno;
///
/// let e = ErrorReply::new(Errno::INVAL).msg("name too long").at_field("name");
/// assert_eq!(e.errno(), Errno::INVAL);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReply {
    errno: Errno,
    msg: Option<String>,
    attr: Option<AttrTarget>,
    policy: Option<Box<PolicyInfo>>,
    miss_type: Option<u32>,
    miss_nest: Option<u32>,
}

impl ErrorReply {
    /// An error with `errno` and no extended ACK.
    pub fn new(errno: Errno) -> Self {
        ErrorReply {
            errno,
            msg: None,
            attr: None,
            policy: None,
            miss_type: None,
            miss_nest: None,
        }
    }

    /// Add the extended-ACK message (`NLMSGERR_ATTR_MSG`).
    pub fn msg(mut self, msg: impl Into<String>) -> Self {
        self.msg = Some(msg.into());
        self
    }

    /// Blame the attribute at byte `offset` of the request (`NLMSGERR_ATTR_OFFS`).
    pub fn at_offset(mut self, offset: u32) -> Self {
        self.attr = Some(AttrTarget::Offset(offset));
        self
    }

    /// Blame the attribute of field `path` (see [`AttrTarget::Field`]).
    pub fn at_field(mut self, path: impl Into<String>) -> Self {
        self.attr = Some(AttrTarget::Field(path.into()));
        self
    }

    /// Report attribute `id` as missing (`NLMSGERR_ATTR_MISS_TYPE`).
    pub fn missing(mut self, id: u32) -> Self {
        self.miss_type = Some(id);
        self
    }

    /// Say the missing attribute is missing from the nest whose header is at byte `offset` of
    /// the request (`NLMSGERR_ATTR_MISS_NEST`; offsets count from the `nlmsghdr`).
    pub fn missing_in_nest(mut self, offset: u32) -> Self {
        self.miss_nest = Some(offset);
        self
    }

    /// Add the policy the offending attribute failed (`NLMSGERR_ATTR_POLICY`), e.g.
    /// [`attr_policy`] of its kind.
    pub fn policy(mut self, policy: PolicyInfo) -> Self {
        self.policy = Some(Box::new(policy));
        self
    }

    /// The errno.
    pub fn errno(&self) -> Errno {
        self.errno
    }

    fn internal(what: String) -> Self {
        ErrorReply::new(Errno::INVAL).msg(format!("fake kernel: {what}"))
    }
}

impl From<Errno> for ErrorReply {
    fn from(errno: Errno) -> Self {
        ErrorReply::new(errno)
    }
}

impl fmt::Display for ErrorReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "errno {}", self.errno.raw_os_error())?;
        if let Some(m) = &self.msg {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorReply {}

/// Where a dump handler puts its values: each becomes one `NLM_F_MULTI` message.
#[derive(Debug)]
pub struct DumpOut<T: GenlMessage> {
    items: Vec<(T::Header, T)>,
    /// The index of the first value pushed after [`interrupt`](Self::interrupt).
    interrupted_from: Option<usize>,
}

impl<T: GenlMessage> DumpOut<T> {
    /// Add a value with a default user header.
    pub fn push(&mut self, msg: T) {
        self.items.push((T::Header::default(), msg));
    }

    /// Add a value with user header `header`.
    pub fn push_with_header(&mut self, header: T::Header, msg: T) {
        self.items.push((header, msg));
    }

    /// Flag the dump inconsistent (`NLM_F_DUMP_INTR`), as the kernel does when the data
    /// changed while it was dumped: the values pushed from now on, and `NLMSG_DONE`, carry the
    /// flag.
    pub fn interrupt(&mut self) {
        if self.interrupted_from.is_none() {
            self.interrupted_from = Some(self.items.len());
        }
    }

    /// The number of values so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no value was pushed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// Faults.

/// A fault the fake applies to the answer of one request ([`FakeKernel::fault`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Run the request but send nothing back: the client waits until its timeout.
    DropReply,
    /// Run the request and deliver its answer from another thread after this long.
    DelayReply(Duration),
    /// Overrun the client's socket: the answer is dropped and its next receive fails with
    /// `ENOBUFS` (the client reports the answer lost).
    Overrun,
    /// Before the answer, deliver a copy of its first datagram from this sender port (not the
    /// kernel's 0): the client must drop it.
    ForeignSender(u32),
    /// Cut the first datagram of the answer to this many bytes.
    Truncate(usize),
    /// Flag the dump `NLM_F_DUMP_INTR` on every message and on `NLMSG_DONE` (taken only by a
    /// dump request).
    InterruptDump,
    /// Answer with the request's sequence number plus one, as the classic generic netlink
    /// howto's echo module does: the client drops the answer as not its own.
    StaleSeq,
}

// ---------------------------------------------------------------------------------------------
// Families.

/// The request as the erased handlers see it.
struct Incoming<'a> {
    hdr: NlMsgHdr,
    genl: GenlMsgHdr,
    /// The whole request message.
    message: &'a [u8],
    port: u32,
    privileged: bool,
}

/// What an erased dump handler produced.
struct DumpAnswer {
    /// Encoded messages (without `NLM_F_DUMP_INTR`), and whether each is flagged.
    messages: Vec<(Vec<u8>, bool)>,
    interrupted: bool,
    error: Option<ErrorReply>,
}

type DoFn = Arc<dyn Fn(&Incoming<'_>) -> Result<Vec<Vec<u8>>, ErrorReply> + Send + Sync>;
type DumpFn = Arc<dyn Fn(&Incoming<'_>) -> Result<DumpAnswer, ErrorReply> + Send + Sync>;
type LocateFn = fn(&[u8], &str) -> Option<u32>;

/// How a request to an operation is validated before its handler runs.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Validation {
    /// Strict, as for new kernel families (the default).
    #[default]
    Strict,
    /// Liberal (`GENL_DONT_VALIDATE_STRICT`): unknown attributes skipped, lengths of fixed
    /// kinds checked for a minimum only, no `NLA_F_NESTED` checks.
    Lenient,
    /// Not validated from the schema (nlctrl's `GETFAMILY`, checked by hand as the kernel's).
    Off,
}

#[derive(Clone, Default)]
struct OpDef {
    /// Flags given by the user (admin permissions, ...); do/dump/policy are added.
    flags: u32,
    doit: Option<DoFn>,
    dumpit: Option<DumpFn>,
    /// The request's attribute set (from the family's schema): the op's policy.
    policy: Option<&'static Schema>,
    /// The do request's policy as the family's type declares it (`#[genl(do(request(..)))]`,
    /// its `kernel_policy`: [`PolicySet::of_op`]). `None`: the whole set.
    do_declared: Option<PolicySet>,
    /// The same for a dump request.
    dump_declared: Option<PolicySet>,
    /// How a do request is validated.
    validation: Validation,
    /// How a dump request is validated.
    dump_validation: Validation,
}

impl OpDef {
    /// The policy of the do (`dump`: the dump) handler.
    fn policy_of(&self, dump: bool) -> Option<PolicySet> {
        let declared = if dump {
            self.dump_declared
        } else {
            self.do_declared
        };
        declared.or(self.policy.map(PolicySet::whole))
    }

    /// How a do (`dump`: a dump) request is validated.
    fn validation_of(&self, dump: bool) -> Validation {
        if dump {
            self.dump_validation
        } else {
            self.validation
        }
    }

    /// The policy a `GETPOLICY` dump lists for the do (dump) handler: none when it accepts no
    /// attribute (the kernel's per-operation policy is then `NULL`).
    fn listed_policy(&self, dump: bool) -> Option<PolicySet> {
        self.policy_of(dump).filter(|p| p.max_id() > 0)
    }

    /// Apply what command `cmd` of `schema` declares: its permissions and validation
    /// (`admin_perm`, `dont_validate(..)`: added to what the spec set), and its policies (the
    /// request attributes it declares, under the family's `kernel_policy`) when the op's set
    /// is the command's.
    fn restrict(&mut self, schema: &'static MessageSchema, cmd: u8) {
        let Some(c) = schema.request(cmd) else {
            return;
        };
        self.flags |= c.flags.genl_flags();
        let looser = |v: &mut Validation, to: Validation| {
            if *v == Validation::Strict || to == Validation::Off {
                *v = to;
            }
        };
        if c.flags.dont_validate_strict {
            looser(&mut self.validation, Validation::Lenient);
        }
        if c.flags.dont_validate_dump {
            looser(&mut self.dump_validation, Validation::Off);
        } else if c.flags.dont_validate_dump_strict {
            looser(&mut self.dump_validation, Validation::Lenient);
        }
        if let Some(p) = self.policy {
            if !c.attrs().is_some_and(|s| crate::policy::same_set(p, s)) {
                return;
            }
        }
        self.policy = c.attrs();
        self.do_declared = PolicySet::of_op(schema, cmd, false);
        self.dump_declared = PolicySet::of_op(schema, cmd, true);
    }

    fn reported_flags(&self) -> u32 {
        let mut f = self.flags;
        if self.doit.is_some() {
            f |= op_flags::CAP_DO;
        }
        if self.dumpit.is_some() {
            f |= op_flags::CAP_DUMP;
        }
        if (self.doit.is_some() || self.dumpit.is_some()) && self.policy.is_some() {
            f |= op_flags::CAP_HASPOL;
        }
        f
    }
}

#[derive(Clone)]
struct FamilyDef {
    name: String,
    version: u32,
    hdrsize: u32,
    maxattr: u32,
    groups: Vec<String>,
    ops: BTreeMap<u8, OpDef>,
    locate: Option<LocateFn>,
    /// The family's commands and their attribute sets.
    schema: Option<&'static MessageSchema>,
}

/// A registered family.
struct Registered {
    id: u16,
    def: FamilyDef,
    /// The multicast group ids, in the order of `def.groups`.
    group_ids: Vec<u32>,
}

impl Registered {
    fn group_id(&self, name: &str) -> Option<u32> {
        self.def
            .groups
            .iter()
            .zip(&self.group_ids)
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
    }
}

/// A family to register on a [`FakeKernel`], built from your message type `T`: its name,
/// version and user header size come from `T`'s [`GenlMessage`] impl; add multicast groups
/// and operations with their handlers.
///
/// Handlers are `Fn + Send + Sync` closures (they may run on several client threads at once):
/// keep shared state in an `Arc<Mutex<_>>`. A handler may call the fake (e.g.
/// [`notify`](FakeKernel::notify)); it runs on the client's thread, inside its send, as the
/// kernel runs a generic netlink request.
pub struct FamilySpec<T: GenlMessage> {
    def: FamilyDef,
    problems: Vec<String>,
    _t: PhantomData<fn() -> T>,
}

impl<T: GenlMessage> fmt::Debug for FamilySpec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FamilySpec")
            .field("name", &self.def.name)
            .field("groups", &self.def.groups)
            .field("ops", &self.def.ops.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<T: GenlMessage + GenlDecodeOwned> Default for FamilySpec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: GenlMessage + GenlDecodeOwned> FamilySpec<T> {
    /// Family `T::FAMILY`, version `T::VERSION`, header size `size_of::<T::Header>()`, maxattr
    /// 0 (what current kernels report for families with per-operation policies), no groups, no
    /// operations.
    pub fn new() -> Self {
        FamilySpec {
            def: FamilyDef {
                name: T::FAMILY.to_owned(),
                version: u32::from(T::VERSION),
                hdrsize: u32::try_from(core::mem::size_of::<T::Header>()).unwrap_or(u32::MAX),
                maxattr: 0,
                groups: Vec::new(),
                ops: BTreeMap::new(),
                locate: Some(locate_field::<T>),
                schema: Some(T::schema()),
            },
            problems: Vec::new(),
            _t: PhantomData,
        }
    }

    /// Report another version (`CTRL_ATTR_VERSION`).
    pub fn version(mut self, version: u32) -> Self {
        self.def.version = version;
        self
    }

    /// Report `maxattr` (`CTRL_ATTR_MAXATTR`).
    pub fn maxattr(mut self, maxattr: u32) -> Self {
        self.def.maxattr = maxattr;
        self
    }

    /// Add multicast group `name` (its id is assigned at registration).
    pub fn group(mut self, name: &str) -> Self {
        self.def.groups.push(name.to_owned());
        self
    }

    /// Add `flags` ([`op_flags`]: `ADMIN_PERM`, `UNS_ADMIN_PERM`, ...) to operation `cmd`,
    /// declaring it if it has no handler yet (it is then listed by the controller, and
    /// requests to it are `EOPNOTSUPP`). `CAP_DO`, `CAP_DUMP` and `CAP_HASPOL` are reported
    /// from the handlers.
    pub fn op_flags(mut self, cmd: u8, flags: u32) -> Self {
        self.def.ops.entry(cmd).or_default().flags |= flags;
        self
    }

    /// Make operation `cmd` admin-only (`GENL_ADMIN_PERM`): unprivileged connections get
    /// `EPERM`.
    pub fn admin(self, cmd: u8) -> Self {
        self.op_flags(cmd, op_flags::ADMIN_PERM)
    }

    /// Validate requests to operation `cmd` liberally, as the kernel does for an operation
    /// flagged `GENL_DONT_VALIDATE_STRICT` (older families, nlctrl's `GETFAMILY`): attribute
    /// ids the request's set does not declare are skipped, a fixed-size attribute only needs
    /// to be long enough, nests need no `NLA_F_NESTED`, and bytes left over after the last
    /// attribute pass. By default every operation is validated strictly, as for new families.
    pub fn lenient(mut self, cmd: u8) -> Self {
        let op = self.def.ops.entry(cmd).or_default();
        op.validation = Validation::Lenient;
        op.dump_validation = Validation::Lenient;
        self
    }

    /// The do handler of command `cmd`: it gets the request decoded as `T` (the variant of
    /// `cmd` must be decodable, not a `request` variant: see
    /// [`on_do_attrs`](Self::on_do_attrs) for those).
    pub fn on_do<F>(mut self, cmd: u8, handler: F) -> Self
    where
        F: Fn(&Context<T::Header>, T) -> Result<Reply<T>, ErrorReply> + Send + Sync + 'static,
    {
        self.check_decodable(cmd, "on_do");
        let f: DoFn = Arc::new(move |inc: &Incoming<'_>| {
            let (ctx, attrs) = context::<T>(inc)?;
            let req = T::decode_genl(inc.genl.cmd, attrs)
                .map_err(|e| decode_failure(e, attrs, attrs_offset::<T>()))?;
            encode_reply(inc, handler(&ctx, req)?)
        });
        self.def.ops.entry(cmd).or_default().doit = Some(f);
        self
    }

    /// The do handler of command `cmd`, getting the request's attribute set `A` decoded on its
    /// own: for `request` variants, which `T` does not decode (e.g. nlctrl's `GetFamily`, or
    /// ethtool's requests that share their number with a reply). `A`'s schema is the
    /// operation's policy.
    pub fn on_do_attrs<A, F>(mut self, cmd: u8, handler: F) -> Self
    where
        A: DecodeAttrsOwned,
        F: Fn(&Context<T::Header>, A) -> Result<Reply<T>, ErrorReply> + Send + Sync + 'static,
    {
        let f: DoFn = Arc::new(move |inc: &Incoming<'_>| {
            let (ctx, attrs) = context::<T>(inc)?;
            let req = A::decode_attrs(attrs)
                .map_err(|e| decode_failure(e, attrs, attrs_offset::<T>()))?;
            encode_reply(inc, handler(&ctx, req)?)
        });
        let op = self.def.ops.entry(cmd).or_default();
        op.doit = Some(f);
        op.policy = Some(A::schema());
        self
    }

    /// The dump handler of command `cmd`: it gets the request decoded as `T` and pushes the
    /// values to send into a [`DumpOut`]. Returning an error ends the dump with that errno in
    /// `NLMSG_DONE`, after the values pushed so far.
    pub fn on_dump<F>(mut self, cmd: u8, handler: F) -> Self
    where
        F: Fn(&Context<T::Header>, T, &mut DumpOut<T>) -> Result<(), ErrorReply>
            + Send
            + Sync
            + 'static,
    {
        self.check_decodable(cmd, "on_dump");
        let f: DumpFn = Arc::new(move |inc: &Incoming<'_>| {
            let (ctx, attrs) = context::<T>(inc)?;
            let req = T::decode_genl(inc.genl.cmd, attrs)
                .map_err(|e| decode_failure(e, attrs, attrs_offset::<T>()))?;
            let mut out = DumpOut {
                items: Vec::new(),
                interrupted_from: None,
            };
            let r = handler(&ctx, req, &mut out);
            Ok(encode_dump(inc, out, r))
        });
        self.def.ops.entry(cmd).or_default().dumpit = Some(f);
        self
    }

    /// The dump handler of command `cmd`, getting the request's attribute set `A` decoded on
    /// its own (see [`on_do_attrs`](Self::on_do_attrs)).
    pub fn on_dump_attrs<A, F>(mut self, cmd: u8, handler: F) -> Self
    where
        A: DecodeAttrsOwned,
        F: Fn(&Context<T::Header>, A, &mut DumpOut<T>) -> Result<(), ErrorReply>
            + Send
            + Sync
            + 'static,
    {
        let f: DumpFn = Arc::new(move |inc: &Incoming<'_>| {
            let (ctx, attrs) = context::<T>(inc)?;
            let req = A::decode_attrs(attrs)
                .map_err(|e| decode_failure(e, attrs, attrs_offset::<T>()))?;
            let mut out = DumpOut {
                items: Vec::new(),
                interrupted_from: None,
            };
            let r = handler(&ctx, req, &mut out);
            Ok(encode_dump(inc, out, r))
        });
        let op = self.def.ops.entry(cmd).or_default();
        op.dumpit = Some(f);
        op.policy = Some(A::schema());
        self
    }

    /// Declare what `T` declares: its multicast groups (`#[genl(groups(..))]`) and every
    /// operation it declares as a do or dump (`#[genl(do(..), dump(..))]`), each with a
    /// handler that answers with nothing (a do: the ACK alone when asked; a dump: an empty
    /// dump) once the request passed the operation's policy. Handlers and groups given
    /// before are kept. For tests of policies and requests: what the fake's `GETPOLICY`
    /// answers and what it validates is then what the type declares, which
    /// [`GenlSocket::check_schema`] reads back as clean.
    ///
    /// ```
    /// use netlink_genl::ctrl::Ctrl;
    /// use netlink_genl::testing::{FakeKernel, FamilySpec};
    /// use netlink_genl::{GenlMessage, NlAttrs};
    ///
    /// #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    /// pub struct Dev {
    ///     #[nla(id = 1, min = 1)] pub ifindex: Option<u32>,
    ///     #[nla(id = 2)] pub name: Option<String>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, GenlMessage)]
    /// #[genl(family = "demo", version = 1, groups("mgmt"))]
    /// pub enum Demo {
    ///     #[genl(cmd = 1, do(request(ifindex)), dump)]
    ///     Get(Dev),
    /// }
    ///
    /// let fake = FakeKernel::new();
    /// fake.register(FamilySpec::<Demo>::new().declared())?;
    /// let mut sock = fake.connect()?;
    /// let report = sock.check_schema::<Demo>()?;
    /// assert!(report.findings.is_empty(), "{report}");
    /// // The do's policy is the declared request: `name` is not accepted.
    /// let err = sock.ack(&Demo::Get(Dev { name: Some("x".into()), ..Dev::default() }));
    /// assert!(err.is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn declared(mut self) -> Self {
        let schema = T::schema();
        for g in schema.groups {
            if !self.def.groups.iter().any(|x| x == g) {
                self.def.groups.push((*g).to_owned());
            }
        }
        for c in schema.commands {
            if c.doit.is_some() {
                let op = self.def.ops.entry(c.cmd).or_default();
                if op.doit.is_none() {
                    op.doit = Some(Arc::new(|_: &Incoming<'_>| Ok(Vec::new())));
                }
            }
            if c.dumpit.is_some() {
                let op = self.def.ops.entry(c.cmd).or_default();
                if op.dumpit.is_none() {
                    op.dumpit = Some(Arc::new(|_: &Incoming<'_>| {
                        Ok(DumpAnswer {
                            messages: Vec::new(),
                            interrupted: false,
                            error: None,
                        })
                    }));
                }
            }
        }
        self
    }

    /// A variant that `T` cannot decode (a `request` one, or none) makes every request fail:
    /// say so at registration instead.
    fn check_decodable(&mut self, cmd: u8, what: &str) {
        if let Err(e) = T::decode_genl(cmd, &[]) {
            if matches!(e.kind(), DecodeErrorKind::UnknownCommand { .. }) {
                self.problems.push(format!(
                    "{what}({cmd}): {} does not decode command {cmd} (a `request` variant?); \
                     register it with {what}_attrs",
                    T::FAMILY
                ));
            }
        }
    }
}

/// The offset of the attributes in a request of `T`.
fn attrs_offset<T: GenlMessage>() -> usize {
    NLMSG_HDRLEN + GENL_HDRLEN + align(core::mem::size_of::<T::Header>())
}

/// The handler's context and the request's attributes.
fn context<'a, T: GenlMessage>(
    inc: &Incoming<'a>,
) -> Result<(Context<T::Header>, &'a [u8]), ErrorReply> {
    let body = inc.message.get(NLMSG_HDRLEN + GENL_HDRLEN..).unwrap_or(&[]);
    let Ok((header, _)) = T::Header::read_from_prefix(body) else {
        return Err(ErrorReply::new(Errno::INVAL));
    };
    let attrs = inc.message.get(attrs_offset::<T>()..).unwrap_or(&[]);
    let ctx = Context {
        port: inc.port,
        seq: inc.hdr.seq,
        flags: inc.hdr.flags,
        family_id: inc.hdr.ty,
        cmd: inc.genl.cmd,
        version: inc.genl.version,
        header,
        privileged: inc.privileged,
    };
    Ok((ctx, attrs))
}

/// A request that does not decode: `EINVAL` with the error as the message and its offset (in
/// the message) as `NLMSGERR_ATTR_OFFS`; a missing attribute as `NLMSGERR_ATTR_MISS_TYPE`.
fn decode_failure(e: DecodeError, attrs: &[u8], base: usize) -> ErrorReply {
    let mut r = ErrorReply::new(Errno::INVAL);
    if let DecodeErrorKind::MissingAttribute { id } = e.kind() {
        return r.missing(u32::from(*id));
    }
    r = r.msg(e.to_string());
    if let Some(off) = e.offset() {
        // The kernel points at the attribute's header; the decoder says where in it.
        let off = attr_start(attrs, off).unwrap_or(off);
        if let Ok(off) = u32::try_from(off.saturating_add(base)) {
            r = r.at_offset(off);
        }
    }
    r
}

/// The offset of the header of the innermost attribute of `attrs` that holds byte `off`
/// (entering nests flagged `NLA_F_NESTED` that parse), as `nla_parse` reports an attribute.
fn attr_start(attrs: &[u8], off: usize) -> Option<usize> {
    for a in AttrIter::new(attrs) {
        let a = a.ok()?;
        let start = a.offset();
        let end = a.payload_offset().saturating_add(a.payload().len());
        if off < start || off >= end.max(start.saturating_add(4)) {
            continue;
        }
        if a.is_nested() && off >= a.payload_offset() {
            let base = a.payload_offset();
            if let Some(inner) = attr_start(a.payload(), off - base) {
                return Some(base.saturating_add(inner));
            }
        }
        return Some(start);
    }
    None
}

fn encode_reply<T: GenlMessage>(
    inc: &Incoming<'_>,
    reply: Reply<T>,
) -> Result<Vec<Vec<u8>>, ErrorReply> {
    reply
        .messages
        .iter()
        .map(|(h, m)| {
            GenlRequest::new(inc.hdr.ty, m)
                .with_header(*h)
                .to_bytes(0, inc.hdr.seq, inc.port)
                .map_err(|e| ErrorReply::internal(format!("the reply does not encode: {e}")))
        })
        .collect()
}

fn encode_dump<T: GenlMessage>(
    inc: &Incoming<'_>,
    out: DumpOut<T>,
    result: Result<(), ErrorReply>,
) -> DumpAnswer {
    let mut messages = Vec::with_capacity(out.items.len());
    let mut error = result.err();
    let from = out.interrupted_from.unwrap_or(usize::MAX);
    for (i, (h, m)) in out.items.iter().enumerate() {
        match GenlRequest::new(inc.hdr.ty, m).with_header(*h).to_bytes(
            NLM_F_MULTI,
            inc.hdr.seq,
            inc.port,
        ) {
            Ok(b) => messages.push((b, i >= from)),
            Err(e) => {
                error = Some(ErrorReply::internal(format!(
                    "a dump value does not encode: {e}"
                )));
                break;
            }
        }
    }
    DumpAnswer {
        messages,
        interrupted: out.interrupted_from.is_some(),
        error,
    }
}

/// The offset in request `message` (of `T`) of the attribute of field path `path`
/// (`"name"`, `"header.dev_index"`; the variant name may lead: `"GetFamily.name"`).
///
/// Reads `T`'s schema ([`GenlMessage::SCHEMA`]): the request's command and its set.
fn locate_field<T: GenlMessage>(message: &[u8], path: &str) -> Option<u32> {
    let cmd = *message.get(NLMSG_HDRLEN)?;
    let command = T::schema().request(cmd)?;
    let start = attrs_offset::<T>();
    let attrs = message.get(start..)?;
    let mut off = 0;
    while off < attrs.len() {
        let segs = command.locate(attrs, off).0;
        let full = netlink_genl_core::AttrPath(segs.clone()).to_string();
        let bare = netlink_genl_core::AttrPath(
            segs.into_iter()
                .filter(|s| !matches!(s, netlink_genl_core::PathSegment::Type(_)))
                .collect(),
        )
        .to_string();
        if full == path || bare == path {
            return u32::try_from(start + off).ok();
        }
        off += 4;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The kernel.

/// Why a family could not be registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterError(String);

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot register the family: {}", self.0)
    }
}

impl std::error::Error for RegisterError {}

/// A registered family's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Registration {
    /// The family id.
    pub id: u16,
    /// The multicast groups: name and id.
    pub groups: Vec<(String, u32)>,
}

struct Conn {
    transport: MemTransport,
}

struct State {
    families: BTreeMap<u16, Arc<Registered>>,
    next_id: u16,
    groups_used: BTreeSet<u32>,
    conns: BTreeMap<u32, Conn>,
    faults: VecDeque<(Option<String>, Fault)>,
    dump_size: usize,
    requests: u64,
    ack: AckOptions,
}

/// How errors and ACKs are written: the socket options `NETLINK_CAP_ACK` and
/// `NETLINK_EXT_ACK` of the kernel's side of every connection (see
/// [`FakeKernel::set_ack_options`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AckOptions {
    /// `NETLINK_CAP_ACK`: errors echo the request's header only (`NLM_F_CAPPED`), not the
    /// whole request.
    pub cap_ack: bool,
    /// `NETLINK_EXT_ACK`: errors carry extended-ACK attributes.
    pub ext_ack: bool,
}

impl AckOptions {
    /// Both on: how this crate's sockets open a kernel socket (the default of the fake).
    pub const ON: AckOptions = AckOptions {
        cap_ack: true,
        ext_ack: true,
    };

    /// These options.
    pub fn new(cap_ack: bool, ext_ack: bool) -> Self {
        AckOptions { cap_ack, ext_ack }
    }
}

impl Default for AckOptions {
    fn default() -> Self {
        AckOptions::ON
    }
}

struct Inner {
    state: Mutex<State>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked poisons nothing we rely on.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The fake kernel. See the [module documentation](self). Clones share the kernel; it is
/// `Send + Sync`. It keeps every connection's transport (for multicast) for as long as it
/// lives; a kernel per test keeps that small.
#[derive(Clone)]
pub struct FakeKernel {
    inner: Arc<Inner>,
}

impl fmt::Debug for FakeKernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.inner.lock();
        f.debug_struct("FakeKernel")
            .field(
                "families",
                &s.families
                    .values()
                    .map(|r| (r.id, r.def.name.clone()))
                    .collect::<Vec<_>>(),
            )
            .field("connections", &s.conns.len())
            .finish_non_exhaustive()
    }
}

impl Default for FakeKernel {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeKernel {
    /// A kernel with only the controller, nlctrl (id 0x10, operations `GETFAMILY` do and dump
    /// and `GETPOLICY` dump, group `notify` = 16), as after boot.
    pub fn new() -> Self {
        let mut ops = BTreeMap::new();
        // The controller's policies come from its own declaration (`Ctrl`): one set, `Family`,
        // for both operations. GETFAMILY is validated by hand, as the kernel's liberal
        // `ctrl_policy_family` checks it; GETPOLICY strictly.
        let mut get = OpDef {
            flags: op_flags::CAP_DO | op_flags::CAP_DUMP | op_flags::CAP_HASPOL,
            validation: Validation::Off,
            dump_validation: Validation::Off,
            ..OpDef::default()
        };
        get.restrict(Ctrl::schema(), CTRL_CMD_GETFAMILY);
        ops.insert(CTRL_CMD_GETFAMILY, get);
        let mut pol = OpDef {
            flags: op_flags::CAP_DUMP | op_flags::CAP_HASPOL,
            ..OpDef::default()
        };
        pol.restrict(Ctrl::schema(), CTRL_CMD_GETPOLICY);
        ops.insert(CTRL_CMD_GETPOLICY, pol);
        let ctrl = Registered {
            id: GENL_ID_CTRL,
            def: FamilyDef {
                name: "nlctrl".to_owned(),
                version: 2,
                hdrsize: 0,
                maxattr: 0,
                groups: vec!["notify".to_owned()],
                ops,
                locate: None,
                schema: Some(Ctrl::schema()),
            },
            group_ids: vec![CTRL_NOTIFY_GROUP],
        };
        let mut families = BTreeMap::new();
        families.insert(GENL_ID_CTRL, Arc::new(ctrl));
        FakeKernel {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    families,
                    next_id: GENL_START_ALLOC,
                    // mc_group_start: 0 and 1 unused, 16 nlctrl, 17 VFS_DQUOT, 18 PMCRAID.
                    groups_used: [0, 1, 16, 17, 18].into_iter().collect(),
                    conns: BTreeMap::new(),
                    faults: VecDeque::new(),
                    dump_size: DEFAULT_DUMP_DATAGRAM,
                    requests: 0,
                    ack: AckOptions::ON,
                }),
            }),
        }
    }

    /// Register a family. Fails if its name is taken or invalid, a group name is invalid, a
    /// handler was given for a command its type cannot decode, or no id is left. Connected
    /// sockets that joined nlctrl's `notify` group get `NEWFAMILY` and `NEWMCAST_GRP`.
    pub fn register<T: GenlMessage>(
        &self,
        spec: FamilySpec<T>,
    ) -> Result<Registration, RegisterError> {
        if let Some(p) = spec.problems.first() {
            return Err(RegisterError(p.clone()));
        }
        let mut def = spec.def;
        if let Some(schema) = def.schema {
            for (cmd, op) in &mut def.ops {
                // The set the handler decodes (`on_do_attrs`), else the command's, restricted
                // to the attributes its do and dump requests declare.
                op.restrict(schema, *cmd);
            }
        }
        if def.name.is_empty() || def.name.len() >= GENL_NAMSIZ {
            return Err(RegisterError(format!(
                "family name {:?} must have 1 to {} bytes",
                def.name,
                GENL_NAMSIZ - 1
            )));
        }
        for g in &def.groups {
            if g.is_empty()
                || g.len() >= GENL_NAMSIZ
                || def.groups.iter().filter(|x| *x == g).count() > 1
            {
                return Err(RegisterError(format!(
                    "group name {g:?} must have 1 to {} bytes and be unique",
                    GENL_NAMSIZ - 1
                )));
            }
        }
        let reg = {
            let mut s = self.inner.lock();
            if s.families.values().any(|f| f.def.name == def.name) {
                return Err(RegisterError(format!(
                    "family {:?} is already registered",
                    def.name
                )));
            }
            if s.next_id > GENL_MAX_ID {
                return Err(RegisterError("no family id left".to_owned()));
            }
            let id = s.next_id;
            s.next_id += 1;
            let group_ids = alloc_groups(&mut s.groups_used, def.groups.len());
            let reg = Arc::new(Registered { id, def, group_ids });
            s.families.insert(id, Arc::clone(&reg));
            reg
        };
        // genl_ctrl_event: the new family, then each group, on nlctrl's notify group.
        let mut notes = vec![family_message(&reg, CTRL_CMD_NEWFAMILY, 0, 0, 0)];
        for (name, gid) in reg.def.groups.iter().zip(&reg.group_ids) {
            notes.push(group_message(&reg, name, *gid));
        }
        for n in notes {
            self.multicast(CTRL_NOTIFY_GROUP, n);
        }
        Ok(Registration {
            id: reg.id,
            groups: reg
                .def
                .groups
                .iter()
                .cloned()
                .zip(reg.group_ids.iter().copied())
                .collect(),
        })
    }

    /// The id of family `name`, if registered.
    pub fn family_id(&self, name: &str) -> Option<u16> {
        self.inner
            .lock()
            .families
            .values()
            .find(|f| f.def.name == name)
            .map(|f| f.id)
    }

    /// The id of group `group` of family `family`, if both exist.
    pub fn group_id(&self, family: &str, group: &str) -> Option<u32> {
        self.inner
            .lock()
            .families
            .values()
            .find(|f| f.def.name == family)
            .and_then(|f| f.group_id(group))
    }

    /// The largest datagram a dump is packed into (default [`DEFAULT_DUMP_DATAGRAM`]).
    pub fn dump_datagram_size(&self) -> usize {
        self.inner.lock().dump_size
    }

    /// Pack dumps into datagrams of at most `bytes` (a message larger than that gets a
    /// datagram of its own, as the kernel's `min_dump_alloc` makes room for it).
    pub fn set_dump_datagram_size(&self, bytes: usize) {
        self.inner.lock().dump_size = bytes;
    }

    /// How errors and ACKs are written (default [`AckOptions::ON`]).
    pub fn ack_options(&self) -> AckOptions {
        self.inner.lock().ack
    }

    /// Write errors and ACKs as for a socket with these options. The in-memory transport
    /// does not see the client's `setsockopt`, so the fake answers every connection alike;
    /// this crate's sockets turn both options on when they open a kernel socket, so that is
    /// the default.
    pub fn set_ack_options(&self, options: AckOptions) {
        self.inner.lock().ack = options;
    }

    /// The number of requests served so far (every message sent by every connection).
    pub fn requests(&self) -> u64 {
        self.inner.lock().requests
    }

    /// The port ids of the connections so far.
    pub fn ports(&self) -> Vec<u32> {
        self.inner.lock().conns.keys().copied().collect()
    }

    // -----------------------------------------------------------------------------------------
    // Connections.

    /// A new privileged connection's transport (the peer side is this kernel), for a
    /// [`NlSocket`](netlink_genl_core::socket::NlSocket) or a socket of your own.
    pub fn transport(&self) -> Result<MemTransport, Error> {
        self.attach(true)
    }

    fn attach(&self, privileged: bool) -> Result<MemTransport, Error> {
        let t = MemTransport::try_new()?;
        let port = t.port_id();
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        t.set_handler(move |bytes: &[u8], out: &mut Outbox| {
            if let Some(inner) = weak.upgrade() {
                FakeKernel { inner }.serve(port, privileged, bytes, out);
            }
        });
        self.inner.lock().conns.insert(
            port,
            Conn {
                transport: t.clone(),
            },
        );
        Ok(t)
    }

    /// A blocking socket connected to this kernel (privileged: admin-only operations work).
    pub fn connect(&self) -> Result<GenlSocket, Error> {
        GenlSocket::with_transport(&self.attach(true)?)
    }

    /// A blocking socket without `CAP_NET_ADMIN`: admin-only operations are `EPERM`.
    pub fn connect_unprivileged(&self) -> Result<GenlSocket, Error> {
        GenlSocket::with_transport(&self.attach(false)?)
    }

    /// A tokio socket connected to this kernel (privileged). Call it within a tokio runtime.
    #[cfg(feature = "tokio")]
    pub fn connect_async(&self) -> Result<crate::tokio::AsyncGenlSocket, Error> {
        crate::tokio::AsyncGenlSocket::with_transport(&self.attach(true)?)
    }

    /// A tokio socket without `CAP_NET_ADMIN`.
    #[cfg(feature = "tokio")]
    pub fn connect_async_unprivileged(&self) -> Result<crate::tokio::AsyncGenlSocket, Error> {
        crate::tokio::AsyncGenlSocket::with_transport(&self.attach(false)?)
    }

    // -----------------------------------------------------------------------------------------
    // Multicast.

    /// Send `msg` (sequence number 0, port 0) to group `group` of `T`'s family: by name, or
    /// by group id. Returns the number of connections it was queued on (those that joined the
    /// group and whose queue had room).
    pub fn notify<T: GenlMessage>(
        &self,
        group: impl Into<GroupRef>,
        msg: &T,
    ) -> Result<usize, Error> {
        self.notify_with_header(group, T::Header::default(), msg)
    }

    /// [`notify`](Self::notify) with user header `header`.
    pub fn notify_with_header<T: GenlMessage>(
        &self,
        group: impl Into<GroupRef>,
        header: T::Header,
        msg: &T,
    ) -> Result<usize, Error> {
        let (id, gid) = {
            let s = self.inner.lock();
            let fam = s
                .families
                .values()
                .find(|f| f.def.name == T::FAMILY)
                .ok_or_else(|| Error::FamilyNotFound(T::FAMILY.to_owned()))?;
            let gid = match group.into() {
                GroupRef::Name(n) => fam.group_id(&n).ok_or_else(|| {
                    Error::Group(netlink_genl_core::GroupError::new(
                        T::FAMILY,
                        n.clone(),
                        netlink_genl_core::GroupErrorKind::NotFound {
                            available: fam.def.groups.clone(),
                        },
                    ))
                })?,
                GroupRef::Id(i) => i,
            };
            (fam.id, gid)
        };
        let bytes = GenlRequest::new(id, msg)
            .with_header(header)
            .to_bytes(0, 0, 0)?;
        Ok(self.multicast(gid, bytes))
    }

    /// Deliver raw `bytes` to group `group` on every connection; the number queued.
    fn multicast(&self, group: u32, bytes: Vec<u8>) -> usize {
        let conns: Vec<MemTransport> = self
            .inner
            .lock()
            .conns
            .values()
            .map(|c| c.transport.clone())
            .collect();
        conns
            .iter()
            .filter(|t| t.multicast(group, bytes.clone()))
            .count()
    }

    // -----------------------------------------------------------------------------------------
    // Faults.

    /// Apply `fault` to the answer of the next request to any family but nlctrl (so the
    /// family lookup a client makes first is not the one hit). Faults queue up; each request
    /// takes the first one that applies to it.
    pub fn fault(&self, fault: Fault) {
        self.inner.lock().faults.push_back((None, fault));
    }

    /// Apply `fault` to the answer of the next request to family `family` (which may be
    /// `"nlctrl"`).
    pub fn fault_on(&self, family: &str, fault: Fault) {
        self.inner
            .lock()
            .faults
            .push_back((Some(family.to_owned()), fault));
    }

    /// The faults not yet applied.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.inner
            .lock()
            .faults
            .iter()
            .map(|(_, f)| f.clone())
            .collect()
    }

    /// Take the first pending fault that applies to a request to family `name` (a dump or
    /// not).
    fn take_fault(&self, name: Option<&str>, dump: bool) -> Option<Fault> {
        let mut s = self.inner.lock();
        let i = s.faults.iter().position(|(target, f)| {
            let family_ok = match (target, name) {
                (Some(t), Some(n)) => t == n,
                (None, Some(n)) => n != "nlctrl",
                (_, None) => false,
            };
            family_ok && (dump || *f != Fault::InterruptDump)
        })?;
        s.faults.remove(i).map(|(_, f)| f)
    }

    /// The datagrams this kernel answers to `request` (one or more messages, as a client
    /// would send them) from a privileged sender with port id `port`, without a connection
    /// and without faults: for golden tests against captured kernel answers. Notifications
    /// the handlers send still go to the connected sockets.
    ///
    /// ```
    /// use netlink_genl::testing::FakeKernel;
    ///
    /// // GETFAMILY nlctrl with NLM_F_ACK (seq 1): the NEWFAMILY reply, then the ACK.
    /// let req = [32, 0, 0, 0, 0x10, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0,
    ///            3, 1, 0, 0, 11, 0, 2, 0, b'n', b'l', b'c', b't', b'r', b'l', 0, 0];
    /// let answer = FakeKernel::new().respond(7, &req);
    /// assert_eq!(answer.len(), 2);
    /// assert_eq!(answer[1][4], 2); // NLMSG_ERROR: the ACK
    /// ```
    pub fn respond(&self, port: u32, request: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for m in MessageIter::new(request) {
            let Ok(m) = m else { break };
            let start = m.offset();
            let Some(message) = request.get(start..start + m.header().len as usize) else {
                break;
            };
            self.inner.lock().requests += 1;
            let hdr = *m.header();
            out.extend(self.answer(port, true, message, &hdr, None));
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Serving a request.

    fn serve(&self, port: u32, privileged: bool, bytes: &[u8], out: &mut Outbox) {
        for m in MessageIter::new(bytes) {
            // A send buffer that does not frame is dropped, as netlink_rcv_skb stops there.
            let Ok(m) = m else { break };
            let start = m.offset();
            let Some(message) = bytes.get(start..start + m.header().len as usize) else {
                break;
            };
            self.inner.lock().requests += 1;
            let hdr = *m.header();
            let dump = hdr.flags & NLM_F_DUMP == NLM_F_DUMP;
            let family = self
                .inner
                .lock()
                .families
                .get(&hdr.ty)
                .map(|f| f.def.name.clone());
            let fault = self.take_fault(family.as_deref(), dump);
            let mut datagrams = self.answer(port, privileged, message, &hdr, fault.as_ref());
            self.deliver(port, &hdr, fault, &mut datagrams, out);
        }
    }

    /// Apply `fault` while handing `datagrams` to the client.
    fn deliver(
        &self,
        port: u32,
        hdr: &NlMsgHdr,
        fault: Option<Fault>,
        datagrams: &mut Vec<Vec<u8>>,
        out: &mut Outbox,
    ) {
        let transport = || {
            self.inner
                .lock()
                .conns
                .get(&port)
                .map(|c| c.transport.clone())
        };
        match fault {
            None | Some(Fault::InterruptDump) => {}
            Some(Fault::DropReply) => return,
            Some(Fault::DelayReply(d)) => {
                if let Some(t) = transport() {
                    let later = std::mem::take(datagrams);
                    std::thread::spawn(move || {
                        std::thread::sleep(d);
                        for b in later {
                            t.unicast(b);
                        }
                    });
                }
                return;
            }
            Some(Fault::Overrun) => {
                if let Some(t) = transport() {
                    t.overrun();
                }
            }
            Some(Fault::ForeignSender(sender)) => {
                if let Some(first) = datagrams.first() {
                    out.datagram(MemDatagram {
                        sender,
                        group: 0,
                        bytes: first.clone(),
                    });
                }
            }
            Some(Fault::Truncate(n)) => {
                if let Some(first) = datagrams.first_mut() {
                    first.truncate(n);
                }
            }
            Some(Fault::StaleSeq) => {
                for d in datagrams.iter_mut() {
                    set_seq(d, hdr.seq.wrapping_add(1));
                }
            }
        }
        for d in datagrams.drain(..) {
            out.unicast(d);
        }
    }

    /// The datagrams answering one request message.
    fn answer(
        &self,
        port: u32,
        privileged: bool,
        message: &[u8],
        hdr: &NlMsgHdr,
        fault: Option<&Fault>,
    ) -> Vec<Vec<u8>> {
        let wants_ack = hdr.flags & NLM_F_ACK != 0;
        let opts = self.ack_options();
        let ack = || {
            vec![error_message(
                message,
                hdr,
                port,
                &ErrorReply::new(Errno::from_raw_os_error(0)),
                None,
                opts,
            )]
        };
        // netlink_rcv_skb: no request, or a control message: nothing to run, ACK if asked.
        if hdr.flags & NLM_F_REQUEST == 0 || hdr.ty < NLMSG_MIN_TYPE {
            return if wants_ack { ack() } else { Vec::new() };
        }
        let fam = self.inner.lock().families.get(&hdr.ty).cloned();
        let result = match fam {
            None => Err(ErrorReply::new(Errno::NOENT)),
            Some(fam) => self.run(port, privileged, message, hdr, &fam, fault),
        };
        let locate = self
            .inner
            .lock()
            .families
            .get(&hdr.ty)
            .and_then(|f| f.def.locate);
        match result {
            // A dump's answer ends in DONE (no ACK, even if asked).
            Ok(Answer::Dump(d)) => d,
            Ok(Answer::Do(mut replies)) => {
                if wants_ack {
                    replies.extend(ack());
                }
                replies
            }
            Err(e) => vec![error_message(
                message,
                hdr,
                port,
                &e,
                resolve(locate, message, &e),
                opts,
            )],
        }
    }

    fn run(
        &self,
        port: u32,
        privileged: bool,
        message: &[u8],
        hdr: &NlMsgHdr,
        fam: &Registered,
        fault: Option<&Fault>,
    ) -> Result<Answer, ErrorReply> {
        let hdrlen = NLMSG_HDRLEN + GENL_HDRLEN + fam.def.hdrsize as usize;
        let Some((genl, _)) = message
            .get(NLMSG_HDRLEN..)
            .and_then(|p| GenlMsgHdr::read_from_prefix(p).ok())
            .filter(|_| message.len() >= hdrlen)
        else {
            return Err(ErrorReply::new(Errno::INVAL));
        };
        let dump = hdr.flags & NLM_F_DUMP == NLM_F_DUMP;
        let op = fam
            .def
            .ops
            .get(&genl.cmd)
            .ok_or_else(|| ErrorReply::new(Errno::OPNOTSUPP))?;
        if dump && op.reported_flags() & op_flags::CAP_DUMP == 0
            || !dump && op.reported_flags() & op_flags::CAP_DO == 0
        {
            return Err(ErrorReply::new(Errno::OPNOTSUPP));
        }
        if op.flags & (op_flags::ADMIN_PERM | op_flags::UNS_ADMIN_PERM) != 0 && !privileged {
            return Err(ErrorReply::new(Errno::PERM));
        }
        // genl_family_rcv_msg_attrs_parse: the request against the op's policy.
        let validation = op.validation_of(dump);
        if let (Some(set), false) = (op.policy_of(dump), validation == Validation::Off) {
            let base = NLMSG_HDRLEN + GENL_HDRLEN + align(fam.def.hdrsize as usize);
            let attrs = message.get(base..).unwrap_or(&[]);
            policy::validate(set, attrs, base, validation == Validation::Strict)?;
        }
        let inc = Incoming {
            hdr: *hdr,
            genl,
            message,
            port,
            privileged,
        };
        if fam.id == GENL_ID_CTRL {
            return self.controller(&inc, dump);
        }
        if dump {
            let f = op
                .dumpit
                .as_ref()
                .ok_or_else(|| ErrorReply::new(Errno::OPNOTSUPP))?;
            let mut d = f(&inc)?;
            if fault == Some(&Fault::InterruptDump) {
                d.interrupted = true;
                for (_, flagged) in &mut d.messages {
                    *flagged = true;
                }
            }
            Ok(Answer::Dump(self.pack_dump(&inc, d)))
        } else {
            let f = op
                .doit
                .as_ref()
                .ok_or_else(|| ErrorReply::new(Errno::OPNOTSUPP))?;
            Ok(Answer::Do(f(&inc)?))
        }
    }

    /// Pack a dump's messages into datagrams and end it with `NLMSG_DONE`.
    fn pack_dump(&self, inc: &Incoming<'_>, d: DumpAnswer) -> Vec<Vec<u8>> {
        let size = self.dump_datagram_size();
        let mut datagrams: Vec<Vec<u8>> = Vec::new();
        let mut cur: Vec<u8> = Vec::new();
        for (mut m, flagged) in d.messages {
            if flagged {
                add_flags(&mut m, NLM_F_DUMP_INTR);
            }
            if !cur.is_empty() && cur.len() + m.len() > size {
                datagrams.push(std::mem::take(&mut cur));
            }
            cur.extend_from_slice(&m);
        }
        let mut flags = NLM_F_MULTI;
        if d.interrupted {
            flags |= NLM_F_DUMP_INTR;
        }
        let ext = self.ack_options().ext_ack;
        let done = done_message(&inc.hdr, inc.port, flags, d.error.as_ref(), ext);
        if !cur.is_empty() && cur.len() + done.len() > size {
            datagrams.push(std::mem::take(&mut cur));
        }
        cur.extend_from_slice(&done);
        datagrams.push(cur);
        datagrams
    }

    // -----------------------------------------------------------------------------------------
    // nlctrl.

    fn controller(&self, inc: &Incoming<'_>, dump: bool) -> Result<Answer, ErrorReply> {
        if inc.genl.cmd == CTRL_CMD_GETPOLICY {
            return self.get_policy(inc);
        }
        let families: Vec<Arc<Registered>> = self.inner.lock().families.values().cloned().collect();
        if dump {
            let messages = families
                .iter()
                .map(|f| {
                    (
                        family_message(f, CTRL_CMD_NEWFAMILY, NLM_F_MULTI, inc.hdr.seq, inc.port),
                        false,
                    )
                })
                .collect();
            let d = DumpAnswer {
                messages,
                interrupted: false,
                error: None,
            };
            return Ok(Answer::Dump(self.pack_dump(inc, d)));
        }
        // ctrl_getfamily: by id, then by name (the last one given wins); neither is EINVAL.
        let mut found: Result<Option<&Arc<Registered>>, ErrorReply> =
            Err(ErrorReply::new(Errno::INVAL));
        for (id, value) in ctrl_attrs(inc.message)? {
            match (id, value) {
                (1, CtrlValue::Id(id)) => found = Ok(families.iter().find(|f| f.id == id)),
                (2, CtrlValue::Name(name)) => {
                    found = Ok(families.iter().find(|f| f.def.name.as_bytes() == name));
                }
                _ => {}
            }
        }
        match found? {
            Some(f) => Ok(Answer::Do(vec![family_message(
                f,
                CTRL_CMD_NEWFAMILY,
                0,
                inc.hdr.seq,
                inc.port,
            )])),
            None => Err(ErrorReply::new(Errno::NOENT)),
        }
    }

    /// `CTRL_CMD_GETPOLICY` (`ctrl_dumppolicy`): the policies of a family's operations, from
    /// the schemas of their request sets. First one `OP_POLICY` message per operation
    /// (`{cmd: {DO: idx, DUMP: idx}}`, a dump-only operation under key 0 as the kernel writes
    /// it), then one `POLICY` message per attribute of each policy (`{idx: {attr: policy}}`).
    fn get_policy(&self, inc: &Incoming<'_>) -> Result<Answer, ErrorReply> {
        let mut by_id = None;
        let mut by_name = None;
        let mut op = None;
        for (id, value) in ctrl_attrs(inc.message)? {
            match value {
                CtrlValue::Id(v) => by_id = Some(v),
                CtrlValue::Name(n) => by_name = Some(n.to_vec()),
                CtrlValue::Op(v, at) if id == 10 => op = Some((v, at)),
                _ => {}
            }
        }
        let fam = {
            let s = self.inner.lock();
            match (by_id, by_name) {
                (Some(id), _) => s.families.get(&id).cloned(),
                (None, Some(name)) => s
                    .families
                    .values()
                    .find(|f| f.def.name.as_bytes() == name.as_slice())
                    .cloned(),
                (None, None) => return Err(ErrorReply::new(Errno::INVAL)),
            }
        }
        .ok_or_else(|| ErrorReply::new(Errno::NOENT))?;
        // The operations to describe: one (CTRL_ATTR_OP), or all with a policy.
        let ops: Vec<(u8, &OpDef)> = match op {
            Some((cmd, at)) => {
                let found = u8::try_from(cmd)
                    .ok()
                    .and_then(|c| fam.def.ops.get(&c).map(|o| (c, o)))
                    .filter(|(_, o)| {
                        o.reported_flags() & (op_flags::CAP_DO | op_flags::CAP_DUMP) != 0
                    });
                let Some((c, o)) = found else {
                    return Err(ErrorReply::new(Errno::NOENT).at_offset(at));
                };
                vec![(c, o)]
            }
            None => fam.def.ops.iter().map(|(c, o)| (*c, o)).collect(),
        };
        let ops: Vec<(u8, &OpDef)> = ops
            .into_iter()
            .filter(|(_, o)| o.policy.is_some())
            .collect();
        if ops.is_empty() {
            return Err(ErrorReply::new(Errno::NODATA));
        }
        let mut table = PolicyTable::default();
        let mut op_messages = Vec::new();
        for (cmd, o) in &ops {
            let flags = o.reported_flags();
            let mut a = policy_reply(fam.id);
            let outer = a.begin_nested(9);
            let key = if flags & op_flags::CAP_DO != 0 {
                *cmd
            } else {
                0
            };
            let inner = a.begin_nested(u16::from(key));
            if let (true, Some(set)) = (flags & op_flags::CAP_DO != 0, o.listed_policy(false)) {
                a.u32(1, table.add(set));
            }
            if let (true, Some(set)) = (flags & op_flags::CAP_DUMP != 0, o.listed_policy(true)) {
                a.u32(2, table.add(set));
            }
            a.end(inner);
            a.end(outer);
            op_messages.push(a);
        }
        let mut messages: Vec<Vec<u8>> = op_messages
            .into_iter()
            .map(|a| message(GENL_ID_CTRL, NLM_F_MULTI, inc.hdr.seq, inc.port, &a.0))
            .collect();
        for i in 0..table.len() {
            let idx = u16::try_from(i).unwrap_or(u16::MAX);
            for (id, p) in table.attrs(i) {
                let mut a = policy_reply(fam.id);
                let outer = a.begin_nested(8);
                let inner = a.begin_nested(idx);
                a.policy(id, &p);
                a.end(inner);
                a.end(outer);
                messages.push(message(
                    GENL_ID_CTRL,
                    NLM_F_MULTI,
                    inc.hdr.seq,
                    inc.port,
                    &a.0,
                ));
            }
        }
        let d = DumpAnswer {
            messages: messages.into_iter().map(|m| (m, false)).collect(),
            interrupted: false,
            error: None,
        };
        Ok(Answer::Dump(self.pack_dump(inc, d)))
    }
}

/// A `GETPOLICY` reply's genl header and `CTRL_ATTR_FAMILY_ID` (`ctrl_dumppolicy_prep`).
fn policy_reply(family: u16) -> Attrs {
    let mut a = Attrs::default();
    a.0.extend_from_slice(&[CTRL_CMD_GETPOLICY, 2, 0, 0]);
    a.put(1, &family.to_ne_bytes());
    a
}

/// A controller request attribute, checked as the kernel's `ctrl_policy_family` /
/// `ctrl_policy_policy` check it.
enum CtrlValue<'a> {
    Id(u16),
    Name(&'a [u8]),
    /// `CTRL_ATTR_OP` and the offset of its attribute.
    Op(u32, u32),
    Other,
}

/// The attributes of a controller request (`FAMILY_ID` u16, `FAMILY_NAME` NUL string of at
/// most 15 bytes, `OP` u32), with the kernel's errors and policies for bad ones.
fn ctrl_attrs(message: &[u8]) -> Result<Vec<(u16, CtrlValue<'_>)>, ErrorReply> {
    let base = NLMSG_HDRLEN + GENL_HDRLEN;
    let attrs = message.get(base..).unwrap_or(&[]);
    let mut out = Vec::new();
    for a in AttrIter::new(attrs) {
        let a = a.map_err(|e| {
            decode_failure(e, attrs, base).msg("bytes leftover after parsing attributes")
        })?;
        let at = u32::try_from(base + a.offset()).unwrap_or(u32::MAX);
        let invalid = |errno, policy: PolicyInfo| {
            ErrorReply::new(errno)
                .msg("Attribute failed policy validation")
                .at_offset(at)
                .policy(policy)
        };
        let value = match a.id() {
            1 => {
                let &[b0, b1, ..] = a.payload() else {
                    return Err(invalid(
                        Errno::RANGE,
                        attr_policy(&netlink_genl_core::schema::AttrKind::U16),
                    ));
                };
                CtrlValue::Id(u16::from_ne_bytes([b0, b1]))
            }
            2 => {
                // NLA_NUL_STRING of at most GENL_NAMSIZ - 1 bytes, as validate_nla checks it:
                // a NUL within the first 16 bytes, else EINVAL; longer, ERANGE.
                let mut name_policy = attr_policy(&netlink_genl_core::schema::AttrKind::String);
                name_policy.max_length = Some(GENL_NAMSIZ as u32 - 1);
                let p = a.payload();
                let head = p.get(..p.len().min(GENL_NAMSIZ)).unwrap_or(p);
                if !head.contains(&0) {
                    return Err(invalid(Errno::INVAL, name_policy));
                }
                let stripped = p.strip_suffix(&[0]).unwrap_or(p);
                if stripped.len() >= GENL_NAMSIZ {
                    return Err(invalid(Errno::RANGE, name_policy));
                }
                CtrlValue::Name(p.split(|&b| b == 0).next().unwrap_or(&[]))
            }
            10 => {
                let &[b0, b1, b2, b3, ..] = a.payload() else {
                    return Err(invalid(
                        Errno::RANGE,
                        attr_policy(&netlink_genl_core::schema::AttrKind::U32),
                    ));
                };
                CtrlValue::Op(u32::from_ne_bytes([b0, b1, b2, b3]), at)
            }
            _ => CtrlValue::Other,
        };
        out.push((a.id(), value));
    }
    Ok(out)
}

/// A group to [notify](FakeKernel::notify): by name (of the message type's family) or id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupRef {
    /// A group name of the family.
    Name(String),
    /// A multicast group id.
    Id(u32),
}

impl From<&str> for GroupRef {
    fn from(s: &str) -> Self {
        GroupRef::Name(s.to_owned())
    }
}

impl From<String> for GroupRef {
    fn from(s: String) -> Self {
        GroupRef::Name(s)
    }
}

impl From<u32> for GroupRef {
    fn from(id: u32) -> Self {
        GroupRef::Id(id)
    }
}

enum Answer {
    /// Reply messages of a do (one datagram each), before the ACK.
    Do(Vec<Vec<u8>>),
    /// The datagrams of a dump, DONE included.
    Dump(Vec<Vec<u8>>),
}

/// The first free block of `n` consecutive group ids (`find_next_zero_area`).
fn alloc_groups(used: &mut BTreeSet<u32>, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let n32 = u32::try_from(n).unwrap_or(u32::MAX);
    let mut start = 0u32;
    while (start..start.saturating_add(n32)).any(|g| used.contains(&g)) {
        start = start.saturating_add(1);
    }
    let ids: Vec<u32> = (start..start.saturating_add(n32)).collect();
    used.extend(ids.iter().copied());
    ids
}

/// The `NLMSGERR_ATTR_OFFS` of `e` in `message`.
fn resolve(locate: Option<LocateFn>, message: &[u8], e: &ErrorReply) -> Option<u32> {
    match &e.attr {
        None => None,
        Some(AttrTarget::Offset(o)) => Some(*o),
        Some(AttrTarget::Field(path)) => locate.and_then(|f| f(message, path)),
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes.

/// Attributes written in order, nests back-patched.
#[derive(Default)]
struct Attrs(Vec<u8>);

impl Attrs {
    fn put(&mut self, ty: u16, payload: &[u8]) {
        let len = u16::try_from(4 + payload.len()).unwrap_or(u16::MAX);
        self.0.extend_from_slice(&len.to_ne_bytes());
        self.0.extend_from_slice(&ty.to_ne_bytes());
        self.0.extend_from_slice(payload);
        self.0.resize(align(self.0.len()), 0);
    }

    fn u32(&mut self, ty: u16, v: u32) {
        self.put(ty, &v.to_ne_bytes());
    }

    fn string(&mut self, ty: u16, s: &str) {
        let mut p = s.as_bytes().to_vec();
        p.push(0);
        self.put(ty, &p);
    }

    /// A nest as the controller writes it (`nla_nest_start_noflag`: no `NLA_F_NESTED`).
    fn begin(&mut self, ty: u16) -> usize {
        let at = self.0.len();
        self.0.extend_from_slice(&[0, 0]);
        self.0
            .extend_from_slice(&(ty & !NLA_F_NESTED).to_ne_bytes());
        at
    }

    /// A nest with `NLA_F_NESTED` (`nla_nest_start`, as policy dumps write theirs).
    fn begin_nested(&mut self, ty: u16) -> usize {
        let at = self.begin(ty);
        if let Some(b) = self.0.get_mut(at + 2..at + 4) {
            b.copy_from_slice(&(ty | NLA_F_NESTED).to_ne_bytes());
        }
        at
    }

    fn u64(&mut self, ty: u16, v: u64) {
        self.put(ty, &v.to_ne_bytes());
    }

    /// A policy nest, its attributes in the order `netlink_policy_dump_write_attr` writes
    /// them: bounds, nested policy, then the type.
    fn policy(&mut self, ty: u16, p: &PolicyInfo) {
        let n = self.begin_nested(ty);
        if let Some(v) = p.min_value_s {
            self.put(pol::MIN_VALUE_S, &v.to_ne_bytes());
        }
        if let Some(v) = p.max_value_s {
            self.put(pol::MAX_VALUE_S, &v.to_ne_bytes());
        }
        if let Some(v) = p.min_value_u {
            self.u64(pol::MIN_VALUE_U, v);
        }
        if let Some(v) = p.max_value_u {
            self.u64(pol::MAX_VALUE_U, v);
        }
        if let Some(v) = p.min_length {
            self.u32(pol::MIN_LENGTH, v);
        }
        if let Some(v) = p.max_length {
            self.u32(pol::MAX_LENGTH, v);
        }
        if let Some(v) = p.policy_idx {
            self.u32(pol::POLICY_IDX, v);
        }
        if let Some(v) = p.policy_maxtype {
            self.u32(pol::POLICY_MAXTYPE, v);
        }
        if let Some(v) = p.bitfield32_mask {
            self.u32(pol::BITFIELD32_MASK, v);
        }
        if let Some(v) = p.mask {
            self.u64(pol::MASK, v);
        }
        if let Some(v) = p.ty {
            self.u32(pol::TYPE, v);
        }
        self.end(n);
    }

    fn end(&mut self, at: usize) {
        let len = u16::try_from(self.0.len().saturating_sub(at)).unwrap_or(u16::MAX);
        if let Some(b) = self.0.get_mut(at..at + 2) {
            b.copy_from_slice(&len.to_ne_bytes());
        }
    }
}

/// One netlink message.
fn message(ty: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
    let len = NLMSG_HDRLEN + payload.len();
    let hdr = NlMsgHdr {
        len: u32::try_from(len).unwrap_or(u32::MAX),
        ty,
        flags,
        seq,
        pid,
    };
    let mut out = Vec::with_capacity(align(len));
    out.extend_from_slice(hdr.as_bytes());
    out.extend_from_slice(payload);
    out.resize(align(len), 0);
    out
}

/// A controller message about `f`, in `ctrl_fill_info`'s order.
fn family_message(f: &Registered, cmd: u8, flags: u16, seq: u32, port: u32) -> Vec<u8> {
    let mut a = Attrs::default();
    a.0.extend_from_slice(&[cmd, 2, 0, 0]);
    a.string(2, &f.def.name);
    a.put(1, &f.id.to_ne_bytes());
    a.u32(3, f.def.version);
    a.u32(4, f.def.hdrsize);
    a.u32(5, f.def.maxattr);
    if !f.def.ops.is_empty() {
        let ops = a.begin(6);
        for (i, (cmd, op)) in f.def.ops.iter().enumerate() {
            let e = a.begin(u16::try_from(i + 1).unwrap_or(u16::MAX));
            a.u32(1, u32::from(*cmd));
            a.u32(2, op.reported_flags());
            a.end(e);
        }
        a.end(ops);
    }
    if !f.def.groups.is_empty() {
        let groups = a.begin(7);
        for (i, (name, id)) in f.def.groups.iter().zip(&f.group_ids).enumerate() {
            let e = a.begin(u16::try_from(i + 1).unwrap_or(u16::MAX));
            a.u32(2, *id);
            a.string(1, name);
            a.end(e);
        }
        a.end(groups);
    }
    message(GENL_ID_CTRL, flags, seq, port, &a.0)
}

/// `CTRL_CMD_NEWMCAST_GRP` for group `name` of `f` (`ctrl_build_mcgrp_msg`).
fn group_message(f: &Registered, name: &str, id: u32) -> Vec<u8> {
    let mut a = Attrs::default();
    a.0.extend_from_slice(&[CTRL_CMD_NEWMCAST_GRP, 2, 0, 0]);
    a.string(2, &f.def.name);
    a.put(1, &f.id.to_ne_bytes());
    let groups = a.begin(7);
    let e = a.begin(1);
    a.u32(2, id);
    a.string(1, name);
    a.end(e);
    a.end(groups);
    message(GENL_ID_CTRL, 0, 0, 0, &a.0)
}

/// The extended-ACK attributes of `e` (offset already resolved).
fn ext_ack(e: &ErrorReply, offset: Option<u32>) -> Vec<u8> {
    let mut a = Attrs::default();
    if let Some(m) = &e.msg {
        a.string(NLMSGERR_ATTR_MSG, m);
    }
    if let Some(o) = offset {
        a.u32(NLMSGERR_ATTR_OFFS, o);
    }
    if let Some(p) = &e.policy {
        a.policy(NLMSGERR_ATTR_POLICY, p);
    }
    if let Some(t) = e.miss_type {
        a.u32(NLMSGERR_ATTR_MISS_TYPE, t);
    }
    if let Some(n) = e.miss_nest {
        a.u32(NLMSGERR_ATTR_MISS_NEST, n);
    }
    a.0
}

/// `NLMSG_ERROR` answering request `request` (header `req`), as `netlink_ack` writes it: an
/// ACK (errno 0) or an error with `NETLINK_CAP_ACK` echoes the request's header only
/// (`NLM_F_CAPPED`), an error without it the whole request; extended-ACK attributes follow
/// when `NETLINK_EXT_ACK` is on and there are any (`NLM_F_ACK_TLVS`).
fn error_message(
    request: &[u8],
    req: &NlMsgHdr,
    port: u32,
    e: &ErrorReply,
    offset: Option<u32>,
    opts: AckOptions,
) -> Vec<u8> {
    let errno = e.errno.raw_os_error();
    let tlvs = if errno == 0 || !opts.ext_ack {
        Vec::new()
    } else {
        ext_ack(e, offset)
    };
    let capped = errno == 0 || opts.cap_ack;
    let echoed = if capped {
        req.as_bytes()
    } else {
        request.get(..align(request.len())).unwrap_or(request)
    };
    let mut payload = Vec::with_capacity(4 + echoed.len() + tlvs.len());
    payload.extend_from_slice(&errno.saturating_neg().to_ne_bytes());
    payload.extend_from_slice(echoed);
    payload.extend_from_slice(&tlvs);
    let mut flags = if capped { NLM_F_CAPPED } else { 0 };
    if !tlvs.is_empty() {
        flags |= NLM_F_ACK_TLVS;
    }
    message(NLMSG_ERROR, flags, req.seq, port, &payload)
}

/// `NLMSG_DONE` ending a dump of request `req`, with the handler's errno and extended ACK.
fn done_message(
    req: &NlMsgHdr,
    port: u32,
    mut flags: u16,
    e: Option<&ErrorReply>,
    ext: bool,
) -> Vec<u8> {
    let errno = e.map_or(0, |e| e.errno.raw_os_error());
    let mut payload = errno.saturating_neg().to_ne_bytes().to_vec();
    if let Some(e) = e.filter(|_| ext) {
        let tlvs = ext_ack(e, None);
        if !tlvs.is_empty() {
            flags |= NLM_F_ACK_TLVS;
            payload.extend_from_slice(&tlvs);
        }
    }
    message(NLMSG_DONE, flags, req.seq, port, &payload)
}

/// Set flags on every message of datagram `d`.
fn add_flags(d: &mut [u8], flags: u16) {
    for_each_header(d, |h| h.flags |= flags);
}

/// Set the sequence number of every message of datagram `d`.
fn set_seq(d: &mut [u8], seq: u32) {
    for_each_header(d, |h| h.seq = seq);
}

fn for_each_header(d: &mut [u8], mut f: impl FnMut(&mut NlMsgHdr)) {
    let mut pos = 0;
    while let Some(rest) = d.get_mut(pos..) {
        let Ok((h, _)) = NlMsgHdr::mut_from_prefix(rest) else {
            break;
        };
        let len = h.len as usize;
        f(h);
        if len < NLMSG_HDRLEN {
            break;
        }
        pos += align(len);
    }
}
