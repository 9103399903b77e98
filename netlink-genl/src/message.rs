//! The traits `#[derive(GenlMessage)]` implements (a family's commands as one Rust enum), and
//! the message types built on them: [`GenlRequest`] (a message ready to send), [`GenlView`] (a
//! received message, still encoded), [`GenlEvent`] (a decoded notification).

use netlink_genl_core::attr::{AttrIter, AttrWriter};
use netlink_genl_core::header::NlMsgHdr;
use netlink_genl_core::message::Message;
use netlink_genl_core::request::{NlRequest, RequestSchema};
use netlink_genl_core::schema::Schema;
use netlink_genl_core::{AttrPath, DecodeError, DecodeErrorKind, EncodeError, PathSegment};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use crate::header::{GENL_HDRLEN, GenlMsgHdr};

/// A generic netlink family's messages: one enum variant per command.
///
/// Implemented by `#[derive(GenlMessage)]`. Request and reply commands may differ (nlctrl:
/// `GETFAMILY` (3) is answered by `NEWFAMILY` (1)); both are variants of the same enum.
///
/// Everything a family's type says about itself is in one place, [`SCHEMA`](Self::SCHEMA):
/// the family name, the version, every command with its name, its attribute set's
/// [`Schema`] and how the kernel answers it. Names, error paths, the `NETLINK_DEBUG` trace and
/// the answer rules are computed from it.
pub trait GenlMessage {
    /// The family's description: name, version, commands (see [`MessageSchema`]).
    const SCHEMA: MessageSchema;
    /// The family name the kernel registered (resolved to an id at run time).
    const FAMILY: &'static str = Self::SCHEMA.family;
    /// The interface version written in the genl header of requests.
    const VERSION: u8 = Self::SCHEMA.version;
    /// The family's fixed user header, between the genl header and the attributes; `()` when
    /// the family has none.
    type Header: FromBytes + IntoBytes + Immutable + KnownLayout + Default + Copy + core::fmt::Debug;

    /// The command number of this message.
    fn command(&self) -> u8;
    /// The encoded length of the attributes (without genl or user header).
    fn attrs_len(&self) -> usize;
    /// Write the attributes.
    fn write_attrs(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;

    /// [`SCHEMA`](Self::SCHEMA) as a `'static` reference.
    fn schema() -> &'static MessageSchema {
        &Self::SCHEMA
    }

    /// The name of a command (its variant name), preferring the variant the kernel sends when
    /// a request and a reply share the number ([`MessageSchema::command`]).
    fn command_name(cmd: u8) -> Option<&'static str> {
        Self::schema().command(cmd, false).map(|c| c.name)
    }

    /// How the kernel answers this message when it is sent as a request: declared on the
    /// variant with `#[genl(reply = Variant)]` or `#[genl(ack)]` (see
    /// [`options`](crate::options)); [`Answer::Undeclared`] otherwise. The sockets read it to
    /// decide whether a request asks for an ACK.
    fn answer(&self) -> Answer {
        Self::schema()
            .request(self.command())
            .map_or(Answer::Undeclared, |c| c.answer)
    }
}

/// A family's commands: the one description `#[derive(GenlMessage)]` emits for a message enum
/// ([`GenlMessage::SCHEMA`]).
///
/// ```
/// use netlink_genl::ctrl::Ctrl;
/// use netlink_genl::{Answer, GenlMessage};
///
/// let s = Ctrl::schema();
/// assert_eq!((s.family, s.version), ("nlctrl", 2));
/// let get = s.request(3).unwrap();
/// assert_eq!((get.name, get.answer), ("GetFamily", Answer::Reply(1)));
/// assert_eq!(get.attrs().unwrap().attr_name(2), Some("name"));
/// assert_eq!(s.command(1, false).map(|c| c.name), Some("NewFamily"));
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct MessageSchema {
    /// The enum's name (`Ctrl`).
    pub name: &'static str,
    /// The family name the kernel registered (`nlctrl`).
    pub family: &'static str,
    /// The interface version written in requests.
    pub version: u8,
    /// One entry per variant, in declaration order.
    pub commands: &'static [CommandInfo],
    /// The family's multicast groups (`#[genl(groups("mgmt", ..))]`); empty when not declared.
    pub groups: &'static [&'static str],
    /// How the kernel's policies are laid out (`#[genl(kernel_policy = ..)]`, YNL
    /// `kernel-policy`).
    pub kernel_policy: KernelPolicy,
}

/// How a family's kernel lays out its request policies (YNL `kernel-policy`,
/// `#[genl(kernel_policy = ..)]`): what each operation accepts, and what `GETPOLICY` lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KernelPolicy {
    /// `split` (the default): a do and a dump have a policy each, their request's attributes.
    #[default]
    Split,
    /// `per-op`: one policy per operation, shared by its do and dump: the attributes either
    /// request lists.
    PerOp,
    /// `global`: one policy for the whole family, shared by every operation: the attributes
    /// any operation's request lists.
    Global,
}

/// What the kernel requires of an operation's caller and how it validates its requests (a
/// YNL operation's `flags` and `dont-validate`; `#[genl(admin_perm)]`,
/// `#[genl(dont_validate(strict))]`, ...). Default: anyone, validated strictly.
///
/// ```
/// use netlink_genl::OpFlags;
///
/// const SET: OpFlags = OpFlags::NONE.admin_perm().dont_validate_strict();
/// assert_eq!(SET.genl_flags(), 0x01); // GENL_ADMIN_PERM, as GETFAMILY reports it
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OpFlags {
    /// `admin-perm` (`GENL_ADMIN_PERM`): the caller needs `CAP_NET_ADMIN` in the initial user
    /// namespace; others get `EPERM`.
    pub admin_perm: bool,
    /// `uns-admin-perm` (`GENL_UNS_ADMIN_PERM`): the caller needs `CAP_NET_ADMIN` in the user
    /// namespace that owns the network namespace.
    pub uns_admin_perm: bool,
    /// `dont-validate: [strict]` (`GENL_DONT_VALIDATE_STRICT`): a do request is parsed
    /// liberally (unknown attributes skipped, no `NLA_F_NESTED` checks, trailing bytes
    /// allowed).
    pub dont_validate_strict: bool,
    /// `dont-validate: [dump]` (`GENL_DONT_VALIDATE_DUMP`): a dump request's attributes are not
    /// validated at all.
    pub dont_validate_dump: bool,
    /// `dont-validate: [dump-strict]` (`GENL_DONT_VALIDATE_DUMP_STRICT`): a dump request is
    /// parsed liberally.
    pub dont_validate_dump_strict: bool,
}

impl OpFlags {
    /// Anyone may run it; its requests are validated strictly.
    pub const NONE: OpFlags = OpFlags {
        admin_perm: false,
        uns_admin_perm: false,
        dont_validate_strict: false,
        dont_validate_dump: false,
        dont_validate_dump_strict: false,
    };

    /// The same, admin-only (`admin-perm`).
    pub const fn admin_perm(mut self) -> Self {
        self.admin_perm = true;
        self
    }

    /// The same, admin-only in the network namespace's user namespace (`uns-admin-perm`).
    pub const fn uns_admin_perm(mut self) -> Self {
        self.uns_admin_perm = true;
        self
    }

    /// The same, with do requests parsed liberally (`dont-validate: [strict]`).
    pub const fn dont_validate_strict(mut self) -> Self {
        self.dont_validate_strict = true;
        self
    }

    /// The same, with dump requests not validated (`dont-validate: [dump]`).
    pub const fn dont_validate_dump(mut self) -> Self {
        self.dont_validate_dump = true;
        self
    }

    /// The same, with dump requests parsed liberally (`dont-validate: [dump-strict]`).
    pub const fn dont_validate_dump_strict(mut self) -> Self {
        self.dont_validate_dump_strict = true;
        self
    }

    /// The permission bits `CTRL_CMD_GETFAMILY` reports for the operation
    /// ([`op_flags::ADMIN_PERM`](crate::ctrl::op_flags::ADMIN_PERM),
    /// [`op_flags::UNS_ADMIN_PERM`](crate::ctrl::op_flags::UNS_ADMIN_PERM)).
    pub const fn genl_flags(&self) -> u32 {
        let mut f = 0;
        if self.admin_perm {
            f |= crate::ctrl::op_flags::ADMIN_PERM;
        }
        if self.uns_admin_perm {
            f |= crate::ctrl::op_flags::UNS_ADMIN_PERM;
        }
        f
    }
}

impl MessageSchema {
    /// The schema of enum `name` of family `family`.
    pub const fn new(
        name: &'static str,
        family: &'static str,
        version: u8,
        commands: &'static [CommandInfo],
    ) -> Self {
        MessageSchema {
            name,
            family,
            version,
            commands,
            groups: &[],
            kernel_policy: KernelPolicy::Split,
        }
    }

    /// The same schema, with the family's policy layout.
    pub const fn kernel_policy(mut self, layout: KernelPolicy) -> Self {
        self.kernel_policy = layout;
        self
    }

    /// The same schema, with the family's multicast groups.
    pub const fn groups(mut self, groups: &'static [&'static str]) -> Self {
        self.groups = groups;
        self
    }

    /// The command `cmd` as sent in a request: the `request` variant with this number, else
    /// the other one.
    pub fn request(&self, cmd: u8) -> Option<&'static CommandInfo> {
        let mut found = None;
        for c in self.commands.iter().filter(|c| c.cmd == cmd) {
            if c.request_only {
                return Some(c);
            }
            found = found.or(Some(c));
        }
        found
    }

    /// The command `cmd` as the kernel sends it (a reply or a notification): the decodable
    /// variant with this number (not a `request` one).
    pub fn reply(&self, cmd: u8) -> Option<&'static CommandInfo> {
        self.commands
            .iter()
            .find(|c| c.cmd == cmd && !c.request_only)
    }

    /// Command `cmd` in a message that is a request (`request`: it carries `NLM_F_REQUEST`)
    /// or not; a message that is not a request falls back to the request variant when no
    /// other has the number.
    pub fn command(&self, cmd: u8, request: bool) -> Option<&'static CommandInfo> {
        if request {
            self.request(cmd)
        } else {
            self.reply(cmd).or_else(|| self.request(cmd))
        }
    }
}

/// One command of a [`MessageSchema`]: a variant of the message enum.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CommandInfo {
    /// The command number.
    pub cmd: u8,
    /// The variant's name.
    pub name: &'static str,
    /// The schema of the attribute set the variant holds (`None` for a unit variant).
    pub attrs: Option<fn() -> &'static Schema>,
    /// `#[genl(request)]`: only ever sent, never decoded.
    pub request_only: bool,
    /// How the kernel answers it as a request (`#[genl(reply = ..)]`, `#[genl(ack)]`).
    pub answer: Answer,
    /// `#[genl(do)]` / `#[genl(do(..))]`: the kernel accepts it as a do request, with these
    /// attribute lists. `None`: not declared (the variant may still be sent).
    pub doit: Option<OpAttrs>,
    /// `#[genl(dump)]` / `#[genl(dump(..))]`: the kernel accepts it as a dump request.
    pub dumpit: Option<OpAttrs>,
    /// `#[genl(mcast = "group")]`: a notification the kernel sends to this multicast group.
    pub mcast: Option<&'static str>,
    /// `#[genl(event(..))]`: the attributes a notification carries (names of the set's
    /// fields); `None`: not declared.
    pub event: Option<&'static [&'static str]>,
    /// `#[genl(admin_perm)]`, `#[genl(dont_validate(..))]`, ...: who may run the operation
    /// and how its requests are validated.
    pub flags: OpFlags,
}

/// The attributes a do or a dump of a command carries (`#[genl(do(request(..), reply(..)))]`):
/// names of attributes of the command's set ([`Schema::attr`] by name), as a YNL spec lists them
/// per operation. `None`: not declared, any attribute of the set.
///
/// ```
/// use netlink_genl::OpAttrs;
///
/// const GET: OpAttrs = OpAttrs::ANY.request(&["ifindex"]);
/// assert_eq!(GET.request, Some(&["ifindex"][..]));
/// assert_eq!(GET.reply, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OpAttrs {
    /// The attributes a request may carry.
    pub request: Option<&'static [&'static str]>,
    /// The attributes the reply carries (of the reply's set).
    pub reply: Option<&'static [&'static str]>,
}

impl OpAttrs {
    /// Neither list declared.
    pub const ANY: OpAttrs = OpAttrs {
        request: None,
        reply: None,
    };

    /// The same, with the request's attributes.
    pub const fn request(mut self, names: &'static [&'static str]) -> Self {
        self.request = Some(names);
        self
    }

    /// The same, with the reply's attributes.
    pub const fn reply(mut self, names: &'static [&'static str]) -> Self {
        self.reply = Some(names);
        self
    }
}

impl CommandInfo {
    /// Command `cmd`, variant `name`, holding a set described by `attrs`; decodable, with an
    /// undeclared answer.
    pub const fn new(cmd: u8, name: &'static str, attrs: Option<fn() -> &'static Schema>) -> Self {
        CommandInfo {
            cmd,
            name,
            attrs,
            request_only: false,
            answer: Answer::Undeclared,
            doit: None,
            dumpit: None,
            mcast: None,
            event: None,
            flags: OpFlags::NONE,
        }
    }

    /// The same command, with these operation flags.
    pub const fn flags(mut self, flags: OpFlags) -> Self {
        self.flags = flags;
        self
    }

    /// The same command, accepted by the kernel as a do request.
    pub const fn doit(mut self, op: OpAttrs) -> Self {
        self.doit = Some(op);
        self
    }

    /// The same command, accepted by the kernel as a dump request.
    pub const fn dumpit(mut self, op: OpAttrs) -> Self {
        self.dumpit = Some(op);
        self
    }

    /// The same command, a notification sent to multicast group `group`.
    pub const fn mcast(mut self, group: &'static str) -> Self {
        self.mcast = Some(group);
        self
    }

    /// The same command, a notification carrying these attributes.
    pub const fn event(mut self, names: &'static [&'static str]) -> Self {
        self.event = Some(names);
        self
    }

    /// The same command, sent only (`#[genl(request)]`).
    pub const fn request_only(mut self) -> Self {
        self.request_only = true;
        self
    }

    /// The same command, answered as `answer` says.
    pub const fn answered(mut self, answer: Answer) -> Self {
        self.answer = answer;
        self
    }

    /// The schema of its attributes.
    pub fn attrs(&self) -> Option<&'static Schema> {
        self.attrs.map(|f| f())
    }

    /// The path of the attribute covering byte `offset` of `attrs` (the attributes of a
    /// message of this command): `FeaturesGet.header.dev_name` ([`Schema::locate`]).
    pub fn locate(&self, attrs: &[u8], offset: usize) -> AttrPath {
        let mut path = vec![PathSegment::Type(self.name)];
        if let Some(s) = self.attrs() {
            let _ = s.locate(attrs, offset, &mut path);
        }
        AttrPath(path)
    }
}

/// How the kernel answers a command sent as a request ([`GenlMessage::answer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Answer {
    /// Nothing declared: the request carries `NLM_F_ACK` and the socket reads replies until
    /// the ACK (any number of replies, including none).
    Undeclared,
    /// One reply message, with this command number (`#[genl(reply = Variant)]`). The request
    /// is sent without `NLM_F_ACK`: the reply (or the kernel's error) ends the exchange.
    Reply(u8),
    /// The ACK alone (`#[genl(ack)]`): there is no reply data to return.
    Ack,
}

/// A [`GenlMessage`] that can be decoded from bytes borrowed for `'a`.
pub trait GenlDecode<'a>: GenlMessage + Sized {
    /// Decode the attributes of a message with command `cmd`. An unknown command is a
    /// [`DecodeErrorKind::UnknownCommand`]
    /// error; errors carry the variant name and field path.
    fn decode_genl(cmd: u8, attrs: &'a [u8]) -> Result<Self, DecodeError>;
}

/// [`GenlDecode`] for any lifetime: messages that own their data.
pub trait GenlDecodeOwned: for<'a> GenlDecode<'a> {}
impl<T: for<'a> GenlDecode<'a>> GenlDecodeOwned for T {}

/// A generic netlink request: a [`GenlMessage`] with its resolved family id, its fixed user
/// header and extra `NLM_F_*` flags. Implements [`NlRequest`], so it also works on a bare
/// [`NlSocket`](netlink_genl_core::socket::NlSocket).
#[derive(Debug, Clone, Copy)]
pub struct GenlRequest<'m, T: GenlMessage> {
    family_id: u16,
    header: T::Header,
    msg: &'m T,
    flags: u16,
}

impl<'m, T: GenlMessage> GenlRequest<'m, T> {
    /// This message as bytes, in one call: `nlmsghdr` (with `flags`, sequence number `seq` and
    /// port id `port`; add `NLM_F_REQUEST` for a request), genl header, user header,
    /// attributes. For tests, captures, and peers that answer requests (replies and
    /// notifications are the same shape).
    ///
    /// ```
    /// use netlink_genl::ctrl::{Ctrl, Family};
    /// use netlink_genl::{GenlRequest, decode_answer};
    ///
    /// let msg = Ctrl::NewFamily(Family { id: Some(0x10), ..Family::by_name("nlctrl") });
    /// let bytes = GenlRequest::new(0x10, &msg).to_bytes(0, 7, 0)?;
    /// assert_eq!(decode_answer::<Ctrl>(&bytes, false)?, vec![msg]);
    /// # Ok::<(), netlink_genl::Error>(())
    /// ```
    pub fn to_bytes(&self, flags: u16, seq: u32, port: u32) -> Result<Vec<u8>, EncodeError> {
        let mut out =
            Vec::with_capacity(netlink_genl_core::consts::NLMSG_HDRLEN + self.payload_len());
        netlink_genl_core::message::build_message(
            &mut out,
            self.family_id,
            flags | self.flags,
            seq,
            port,
            self.payload_len(),
            |w| self.write_payload(w),
        )?;
        Ok(out)
    }

    /// `msg` for the family with id `family_id`, with a default user header and no extra flags.
    pub fn new(family_id: u16, msg: &'m T) -> Self {
        GenlRequest {
            family_id,
            header: T::Header::default(),
            msg,
            flags: 0,
        }
    }

    /// Set the family's fixed user header.
    pub fn with_header(mut self, header: T::Header) -> Self {
        self.header = header;
        self
    }

    /// Add `NLM_F_*` flags (e.g. `NLM_F_CREATE | NLM_F_EXCL` on requests that use them).
    pub fn with_flags(mut self, flags: u16) -> Self {
        self.flags |= flags;
        self
    }

    /// The family id.
    pub fn family_id(&self) -> u16 {
        self.family_id
    }

    /// The extra flags.
    pub fn flags(&self) -> u16 {
        self.flags
    }

    /// The message.
    pub fn message(&self) -> &'m T {
        self.msg
    }
}

/// The offset of the attributes in a genl message of `T` (after nlmsghdr, genlmsghdr and the
/// user header).
fn attrs_offset<T: GenlMessage>() -> usize {
    netlink_genl_core::consts::NLMSG_HDRLEN + GENL_HDRLEN + core::mem::size_of::<T::Header>()
}

impl<T: GenlMessage> NlRequest for GenlRequest<'_, T> {
    fn message_type(&self) -> u16 {
        self.family_id
    }

    fn payload_len(&self) -> usize {
        GENL_HDRLEN + core::mem::size_of::<T::Header>() + self.msg.attrs_len()
    }

    fn write_payload(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError> {
        let hdr = GenlMsgHdr {
            cmd: self.msg.command(),
            version: T::VERSION,
            reserved: 0,
        };
        w.put_bytes(hdr.as_bytes())?;
        // Known at compile time: most families have no user header.
        if core::mem::size_of::<T::Header>() != 0 {
            w.put_bytes(self.header.as_bytes())?;
            w.pad()?;
        }
        self.msg.write_attrs(w)
    }

    fn describe(message: &[u8]) -> Option<RequestSchema> {
        let cmd = *message.get(netlink_genl_core::consts::NLMSG_HDRLEN)?;
        let c = T::schema().request(cmd)?;
        Some(RequestSchema::new(c.name, attrs_offset::<T>(), c.attrs()))
    }
}

/// A generic netlink message borrowed from the socket's receive buffer: headers, and the
/// attributes still encoded. Decode it with [`decode`](Self::decode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenlView<'a> {
    message: Message<'a>,
    genl: GenlMsgHdr,
    body: &'a [u8],
    group: u32,
}

impl<'a> GenlView<'a> {
    /// Interpret a netlink data message as a genl message (`group`: the multicast group it
    /// came from, 0 for replies).
    #[inline]
    pub fn parse(message: Message<'a>, group: u32) -> Result<Self, DecodeError> {
        let p = message.payload();
        let Ok((genl, body)) = GenlMsgHdr::read_from_prefix(p) else {
            return Err(DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "genlmsghdr",
                    needed: GENL_HDRLEN,
                    had: p.len(),
                },
                netlink_genl_core::consts::NLMSG_HDRLEN,
            ));
        };
        Ok(GenlView {
            message,
            genl,
            body,
            group,
        })
    }

    /// The netlink header.
    pub fn header(&self) -> &NlMsgHdr {
        self.message.header()
    }

    /// The whole netlink message.
    pub fn message(&self) -> &Message<'a> {
        &self.message
    }

    /// The family id (`nlmsg_type`).
    pub fn family_id(&self) -> u16 {
        self.message.header().ty
    }

    /// The genl header.
    pub fn genl_header(&self) -> &GenlMsgHdr {
        &self.genl
    }

    /// The command.
    pub fn cmd(&self) -> u8 {
        self.genl.cmd
    }

    /// The multicast group the message came from (0: a reply or unicast notification).
    pub fn group(&self) -> u32 {
        self.group
    }

    /// `NLM_F_DUMP_INTR`: the dump this message belongs to is inconsistent.
    pub fn is_dump_interrupted(&self) -> bool {
        self.message.is_dump_interrupted()
    }

    /// The bytes after the genl header: the user header (if the family has one), then the
    /// attributes.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// Read the family's fixed user header `H` from the start of the body.
    pub fn user_header<H: FromBytes + KnownLayout + Immutable>(&self) -> Result<H, DecodeError> {
        match H::read_from_prefix(self.body) {
            Ok((h, _)) => Ok(h),
            Err(_) => Err(DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "family header",
                    needed: core::mem::size_of::<H>(),
                    had: self.body.len(),
                },
                netlink_genl_core::consts::NLMSG_HDRLEN + GENL_HDRLEN,
            )),
        }
    }

    /// The attributes after a user header of `hdrsize` bytes (0 for most families).
    pub fn attrs(&self, hdrsize: usize) -> AttrIter<'a> {
        AttrIter::new(
            self.body
                .get(netlink_genl_core::consts::align(hdrsize)..)
                .unwrap_or(&[]),
        )
    }

    /// Decode as message type `T` (skipping `T::Header`). Errors carry the variant and field
    /// path and the byte offset in this message.
    pub fn decode<T: GenlDecode<'a>>(&self) -> Result<T, DecodeError> {
        let skip = netlink_genl_core::consts::align(core::mem::size_of::<T::Header>());
        let attrs = self.body.get(skip..).ok_or_else(|| {
            DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "family header",
                    needed: skip,
                    had: self.body.len(),
                },
                netlink_genl_core::consts::NLMSG_HDRLEN + GENL_HDRLEN,
            )
        })?;
        T::decode_genl(self.genl.cmd, attrs).map_err(|e| e.add_offset(attrs_offset::<T>()))
    }
}

/// A message type that decodes borrowing the receive buffer, named at every lifetime: `At<'a>`
/// is the same type with its borrows tied to `'a`, what
/// [`GenlSocket::dump_borrowed`](crate::GenlSocket::dump_borrowed) decodes each message as.
/// `#[derive(GenlMessage)]` implements it: `type At<'a> = MyMsg<'a>` for an enum with a
/// lifetime, `type At<'a> = MyMsg` for an owned one. A hand-written message type implements it
/// the same way.
pub trait GenlBorrowed {
    /// This type with lifetime `'a`.
    type At<'a>: GenlDecode<'a>;
}

/// A typed event: a notification decoded as `T`, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct GenlEvent<T> {
    /// The multicast group (0: a unicast notification, e.g. TASKSTATS per-exit statistics).
    pub group: u32,
    /// The netlink header (sequence number, port id, flags).
    pub header: NlMsgHdr,
    /// The decoded message.
    pub msg: T,
}

/// Decode a captured answer (one or more datagrams' bytes, concatenated) into typed messages,
/// in one call, by the rules the socket applies (see
/// [`answer_messages`](netlink_genl_core::request::answer_messages): `dump` says whether `NLMSG_DONE`
/// ends it; an error message is the kernel's [`Error::Kernel`](netlink_genl_core::Error::Kernel)).
/// A message that fails to decode fails the call, with its index in the path.
pub fn decode_answer<T: GenlDecodeOwned>(
    bytes: &[u8],
    dump: bool,
) -> Result<Vec<T>, netlink_genl_core::Error> {
    let mut out = Vec::new();
    for (i, m) in netlink_genl_core::request::answer_messages(bytes, dump).enumerate() {
        let v = GenlView::parse(m?, 0).map_err(|e| e.in_segment(PathSegment::Message(i)))?;
        out.push(
            v.decode::<T>()
                .map_err(|e| e.in_segment(PathSegment::Message(i)))?,
        );
    }
    Ok(out)
}
