//! The typed generic netlink socket: resolve a family, send typed requests, get typed replies,
//! dumps and events.

use std::marker::PhantomData;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use netlink_core::attr::{AttrIter, AttrWriter};
use netlink_core::consts::protocol;
use netlink_core::debug::Schema;
use netlink_core::header::NlMsgHdr;
use netlink_core::message::Message;
use netlink_core::request::{DumpSummary, Exchange, NlRequest};
use netlink_core::socket::NlSocket;
use netlink_core::{DecodeError, DecodeErrorKind, EncodeError, Error, PathSegment};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use crate::ctrl::{Ctrl, Family};
use crate::family::{FamilyCache, FamilyInfo};
use crate::header::{GENL_HDRLEN, GENL_ID_CTRL, GenlMsgHdr};
use crate::message::{GenlDecode, GenlDecodeOwned, GenlMessage};

/// A generic netlink request: a [`GenlMessage`] with its resolved family id, its fixed user
/// header and extra `NLM_F_*` flags. Implements [`NlRequest`], so it also works on a bare
/// [`NlSocket`].
#[derive(Debug, Clone, Copy)]
pub struct GenlRequest<'m, T: GenlMessage> {
    family_id: u16,
    header: T::Header,
    msg: &'m T,
    flags: u16,
}

impl<'m, T: GenlMessage> GenlRequest<'m, T> {
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
    netlink_core::consts::NLMSG_HDRLEN + GENL_HDRLEN + core::mem::size_of::<T::Header>()
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
        w.put_bytes(self.header.as_bytes())?;
        w.pad()?;
        self.msg.write_attrs(w)
    }

    fn locate(message: &[u8], offset: usize, path: &mut Vec<PathSegment>) {
        let Some(&cmd) = message.get(netlink_core::consts::NLMSG_HDRLEN) else {
            return;
        };
        let start = attrs_offset::<T>();
        let (Some(attrs), Some(inner)) = (message.get(start..), offset.checked_sub(start)) else {
            return;
        };
        T::locate(cmd, attrs, inner, path);
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
    pub fn parse(message: Message<'a>, group: u32) -> Result<Self, DecodeError> {
        let p = message.payload();
        let Ok((genl, body)) = GenlMsgHdr::read_from_prefix(p) else {
            return Err(DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "genlmsghdr",
                    needed: GENL_HDRLEN,
                    had: p.len(),
                },
                netlink_core::consts::NLMSG_HDRLEN,
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
                netlink_core::consts::NLMSG_HDRLEN + GENL_HDRLEN,
            )),
        }
    }

    /// The attributes after a user header of `hdrsize` bytes (0 for most families).
    pub fn attrs(&self, hdrsize: usize) -> AttrIter<'a> {
        AttrIter::new(
            self.body
                .get(netlink_core::consts::align(hdrsize)..)
                .unwrap_or(&[]),
        )
    }

    /// Decode as message type `T` (skipping `T::Header`). Errors carry the variant and field
    /// path and the byte offset in this message.
    pub fn decode<T: GenlDecode<'a>>(&self) -> Result<T, DecodeError> {
        let skip = netlink_core::consts::align(core::mem::size_of::<T::Header>());
        let attrs = self.body.get(skip..).ok_or_else(|| {
            DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "family header",
                    needed: skip,
                    had: self.body.len(),
                },
                netlink_core::consts::NLMSG_HDRLEN + GENL_HDRLEN,
            )
        })?;
        T::decode_genl(self.genl.cmd, attrs).map_err(|e| e.add_offset(attrs_offset::<T>()))
    }
}

/// A message type that decodes borrowing the receive buffer, named at every lifetime: `At<'a>`
/// is the same type with its borrows tied to `'a`. Implement it for your borrowed message enums
/// (`impl<'x> GenlBorrowed for MyMsg<'x> { type At<'a> = MyMsg<'a>; }`) to use
/// [`GenlSocket::dump_borrowed`]; owned types implement it with `type At<'a> = Self`.
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

/// What the `NETLINK_DEBUG` trace knows of one family.
#[derive(Debug, Clone)]
struct KnownFamily {
    id: u16,
    name: String,
    /// The fixed user header after the genl header.
    hdrsize: usize,
    /// From a [`GenlMessage`] type: command names and attribute schemas.
    typed: Option<TypedNames>,
}

#[derive(Debug, Clone, Copy)]
struct TypedNames {
    command: fn(u8) -> Option<&'static str>,
    schema: fn(u8) -> Option<&'static Schema>,
}

impl TypedNames {
    fn of<T: GenlMessage>() -> Self {
        TypedNames {
            command: T::command_name,
            schema: T::schema,
        }
    }
}

/// `NETLINK_DEBUG` names for generic netlink: the 4-byte genl header of every family, nlctrl's
/// names and schemas, and every family the socket resolved: with command names and attribute
/// schemas when it was resolved for a [`GenlMessage`] type, with its name otherwise.
#[derive(Debug, Clone)]
pub(crate) struct GenlNames {
    families: Vec<KnownFamily>,
}

impl GenlNames {
    /// nlctrl only.
    pub(crate) fn new() -> Self {
        GenlNames {
            families: vec![KnownFamily {
                id: GENL_ID_CTRL,
                name: Ctrl::FAMILY.to_owned(),
                hdrsize: 0,
                typed: Some(TypedNames::of::<Ctrl>()),
            }],
        }
    }

    fn put(&mut self, f: KnownFamily) {
        match self.families.iter_mut().find(|k| k.id == f.id) {
            Some(k) => *k = f,
            None => self.families.push(f),
        }
    }

    /// Learn `T`'s family under `id`. Returns whether anything changed (a family already known
    /// by type under this id and name keeps its first type).
    pub(crate) fn learn_type<T: GenlMessage>(&mut self, id: u16) -> bool {
        if self
            .families
            .iter()
            .any(|k| k.id == id && k.name == T::FAMILY && k.typed.is_some())
        {
            return false;
        }
        self.put(KnownFamily {
            id,
            name: T::FAMILY.to_owned(),
            hdrsize: core::mem::size_of::<T::Header>(),
            typed: Some(TypedNames::of::<T>()),
        });
        true
    }

    /// Learn a family resolved by name (its name and header size). Returns whether anything
    /// changed (a family known by type keeps its names).
    pub(crate) fn learn_info(&mut self, info: &FamilyInfo) -> bool {
        if self
            .families
            .iter()
            .any(|k| k.id == info.id && k.name == info.name)
        {
            return false;
        }
        self.put(KnownFamily {
            id: info.id,
            name: info.name.clone(),
            hdrsize: usize::try_from(info.hdrsize).unwrap_or(0),
            typed: None,
        });
        true
    }

    fn get(&self, ty: u16) -> Option<&KnownFamily> {
        self.families.iter().find(|k| k.id == ty)
    }
}

impl netlink_core::debug::Resolver for GenlNames {
    fn family(&self, ty: u16) -> Option<&str> {
        self.get(ty).map(|k| k.name.as_str())
    }
    fn fixed_header_len(&self, ty: u16) -> usize {
        if ty >= netlink_core::consts::NLMSG_MIN_TYPE {
            GENL_HDRLEN + self.get(ty).map_or(0, |k| k.hdrsize)
        } else {
            0
        }
    }
    fn command(&self, ty: u16, cmd: u8) -> Option<&str> {
        (self.get(ty)?.typed?.command)(cmd)
    }
    fn schema(&self, ty: u16, cmd: u8) -> Option<&'static Schema> {
        (self.get(ty)?.typed?.schema)(cmd)
    }
}

/// A generic netlink socket with a family cache. See the [crate documentation](crate).
#[derive(Debug)]
pub struct GenlSocket {
    sock: NlSocket,
    families: FamilyCache,
    /// The trace's names, installed on `sock` again when they grow.
    names: GenlNames,
}

impl GenlSocket {
    /// Open a `NETLINK_GENERIC` socket (extended ACKs on).
    pub fn new() -> Result<Self, Error> {
        Ok(Self::from_socket(NlSocket::new(protocol::GENERIC)?))
    }

    /// Wrap a socket opened for `NETLINK_GENERIC` (e.g. with custom buffer sizes). Its
    /// `NETLINK_DEBUG` trace knows the genl header and nlctrl's names, and learns every family
    /// this socket resolves: command and attribute names for families resolved for a
    /// [`GenlMessage`] type (e.g. by [`request`](Self::request)), the name for the others.
    pub fn from_socket(mut sock: NlSocket) -> Self {
        let names = GenlNames::new();
        sock.set_debug_names(Box::new(names.clone()));
        GenlSocket {
            sock,
            families: FamilyCache::new(),
            names,
        }
    }

    /// Teach the trace `T`'s family (only while tracing: the names are unused otherwise).
    fn learn_type<T: GenlMessage>(&mut self, id: u16) {
        if netlink_core::debug::enabled() && self.names.learn_type::<T>(id) {
            self.sock.set_debug_names(Box::new(self.names.clone()));
        }
    }

    /// Teach the trace a family resolved by name.
    fn learn_info(&mut self, info: &FamilyInfo) {
        if netlink_core::debug::enabled() && self.names.learn_info(info) {
            self.sock.set_debug_names(Box::new(self.names.clone()));
        }
    }

    /// The underlying socket (options, counters, port id).
    pub fn socket(&self) -> &NlSocket {
        &self.sock
    }

    /// The underlying socket, mutably (options, raw requests).
    pub fn socket_mut(&mut self) -> &mut NlSocket {
        &mut self.sock
    }

    /// Give back the underlying socket.
    pub fn into_socket(self) -> NlSocket {
        self.sock
    }

    /// The families resolved so far.
    pub fn families(&self) -> &FamilyCache {
        &self.families
    }

    /// The families resolved so far, mutably (e.g. to forget one whose id changed).
    pub fn families_mut(&mut self) -> &mut FamilyCache {
        &mut self.families
    }

    // -----------------------------------------------------------------------------------------
    // Family resolution.

    /// Family `name`: from the cache, else asked of nlctrl (`GETFAMILY` do) and cached. An
    /// unknown family is the kernel's `ENOENT` ([`Error::Kernel`]).
    pub fn family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        if self.families.get(name).is_none() {
            self.refresh_family(name)?;
        }
        self.families
            .get(name)
            .ok_or_else(|| DecodeError::custom("family vanished from the cache").into())
    }

    /// Ask nlctrl for family `name` again (bypassing the cache) and cache the answer.
    pub fn refresh_family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        let req = Ctrl::GetFamily(Family::by_name(name));
        let reply = self.request_to(GENL_ID_CTRL, &req)?;
        let info = FamilyInfo::try_from(reply.into_family())?;
        self.learn_info(&info);
        Ok(self.families.insert(info))
    }

    /// The id of `T`'s family (`nlctrl` is always 0x10 and is not looked up).
    pub fn family_id<T: GenlMessage>(&mut self) -> Result<u16, Error> {
        if T::FAMILY == "nlctrl" {
            return Ok(GENL_ID_CTRL);
        }
        let id = self.family(T::FAMILY)?.id;
        self.learn_type::<T>(id);
        Ok(id)
    }

    /// Every registered family (`GETFAMILY` dump), in the kernel's order. Also refreshes the
    /// cache.
    pub fn list_families(&mut self) -> Result<Vec<FamilyInfo>, Error> {
        let mut out = Vec::new();
        let req = Ctrl::GetFamily(Family::default());
        self.dump_with(&req, |m: Ctrl| {
            out.push(FamilyInfo::try_from(m.into_family())?);
            Ok(())
        })?;
        for f in &out {
            self.learn_info(f);
            self.families.insert(f.clone());
        }
        Ok(out)
    }

    /// The attribute policies of family `name` (`GETPOLICY` dump), for every operation or only
    /// command `op`.
    pub fn policy(
        &mut self,
        name: &str,
        op: Option<u32>,
    ) -> Result<crate::ctrl::PolicyDump, Error> {
        let mut body = Family::by_name(name);
        body.op = op;
        let mut dump = crate::ctrl::PolicyDump::default();
        let summary = self.dump_with(&Ctrl::GetPolicy(body), |m: Ctrl| {
            dump.add(m.into_family());
            Ok(())
        })?;
        dump.interrupted = summary.interrupted;
        Ok(dump)
    }

    /// A request of `msg` to its family (resolved through the cache).
    pub fn prepare<'m, T: GenlMessage>(&mut self, msg: &'m T) -> Result<GenlRequest<'m, T>, Error> {
        Ok(GenlRequest::new(self.family_id::<T>()?, msg))
    }

    // -----------------------------------------------------------------------------------------
    // Requests.

    fn request_to<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        family_id: u16,
        msg: &T,
    ) -> Result<T, Error> {
        let mut out = None;
        self.request_view(&GenlRequest::new(family_id, msg), |v| {
            if out.is_none() {
                out = Some(v.decode::<T>()?);
            }
            Ok(())
        })?;
        out.ok_or_else(|| no_reply::<T>(msg.command()))
    }

    /// Send `msg` to its family and return the reply, decoded. The request carries `NLM_F_ACK`;
    /// the call returns once the kernel acknowledged it. Kernel errors are [`Error::Kernel`]
    /// with the errno, the extended-ACK message and the attribute path (`GetFamily.name`).
    ///
    /// Expects one reply; extra replies are ignored (see [`request_all`](Self::request_all)),
    /// none is an error (see [`ack`](Self::ack) for commands answered by the ACK alone).
    pub fn request<T: GenlMessage + GenlDecodeOwned>(&mut self, msg: &T) -> Result<T, Error> {
        let id = self.family_id::<T>()?;
        self.request_to(id, msg)
    }

    /// Send `msg` and collect every reply, decoded, until the ACK.
    pub fn request_all<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Vec<T>, Error> {
        let req = self.prepare(msg)?;
        let mut out = Vec::new();
        self.request_view(&req, |v| {
            out.push(v.decode::<T>()?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Send `msg` and wait for the kernel's ACK (reply data, if any, is ignored).
    pub fn ack<T: GenlMessage>(&mut self, msg: &T) -> Result<(), Error> {
        let req = self.prepare(msg)?;
        self.request_view(&req, |_| Ok(())).map(drop)
    }

    /// Send `req` (family id, header and flags given) and call `f` with each reply, borrowed
    /// from the receive buffer, until the ACK. Returns the number of replies.
    pub fn request_view<T, F>(&mut self, req: &GenlRequest<'_, T>, mut f: F) -> Result<usize, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        let flags = req.flags;
        self.sock.request(req, flags, |m| f(GenlView::parse(m, 0)?))
    }

    // -----------------------------------------------------------------------------------------
    // Dumps.

    /// Dump: send `msg` with `NLM_F_DUMP` and iterate the replies, decoded as owned `T`s. The
    /// iterator ends at `NLMSG_DONE`; an error inside `DONE` is its last item. After the end,
    /// [`Dump::interrupted`] says whether the kernel flagged the dump inconsistent
    /// (`NLM_F_DUMP_INTR`). Dropping it early drains the rest of the dump.
    pub fn dump<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Dump<'_, T>, Error> {
        let req = self.prepare(msg)?;
        let ex = self.sock.start_dump(&req, req.flags)?;
        Ok(Dump {
            sock: &mut self.sock,
            ex,
            failed: false,
            _t: PhantomData,
        })
    }

    /// Dump `msg` and call `f` with each reply decoded as `D` (usually the same enum as the
    /// request). Decoding works on the socket's buffer: nothing is copied or allocated beyond
    /// what `D`'s fields own. Returns the message count and whether the dump was interrupted
    /// (`NLM_F_DUMP_INTR`). If `f` fails, the rest of the dump is drained and its error
    /// returned.
    pub fn dump_with<T, D, F>(&mut self, msg: &T, mut f: F) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        D: for<'a> GenlDecode<'a>,
        F: FnMut(D) -> Result<(), Error>,
    {
        let req = self.prepare(msg)?;
        self.dump_view(&req, |v| f(v.decode::<D>()?))
    }

    /// Dump `msg` and call `f` with each reply decoded as `K::At<'_>`, borrowing the receive
    /// buffer: with borrowed types (`&'a str`, `ArrayView`) a dump allocates nothing at all.
    /// Name the message type with a turbofish: `dump_borrowed::<CtrlRef, _, _>(&req, |m| ...)`.
    pub fn dump_borrowed<K, T, F>(&mut self, msg: &T, mut f: F) -> Result<DumpSummary, Error>
    where
        K: GenlBorrowed + ?Sized,
        T: GenlMessage,
        F: for<'a> FnMut(K::At<'a>) -> Result<(), Error>,
    {
        let req = self.prepare(msg)?;
        self.dump_view(&req, |v| f(v.decode::<K::At<'_>>()?))
    }

    /// Dump `req` and call `f` with each reply borrowed from the receive buffer, undecoded: the
    /// zero-copy path for message types that borrow (`v.decode::<MyMsg<'_>>()`). Returns the
    /// summary as [`dump_with`](Self::dump_with).
    pub fn dump_view<T, F>(
        &mut self,
        req: &GenlRequest<'_, T>,
        mut f: F,
    ) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        let flags = req.flags;
        self.sock.dump(req, flags, |m| f(GenlView::parse(m, 0)?))
    }

    // -----------------------------------------------------------------------------------------
    // Multicast groups and events.

    /// Join group `group` of family `family` by name; returns the group number. The name is
    /// resolved through the cache, refreshing the family once if the group is not known.
    pub fn join_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        let id = crate::mcast::resolve_group(self, family, group)?;
        self.sock.add_membership(id)?;
        Ok(id)
    }

    /// Join group `group` of `T`'s family.
    pub fn join<T: GenlMessage>(&mut self, group: &str) -> Result<u32, Error> {
        self.family_id::<T>()?;
        self.join_group(T::FAMILY, group)
    }

    /// Leave group `group` of family `family`.
    pub fn leave_group(&mut self, family: &str, group: &str) -> Result<(), Error> {
        let id = crate::mcast::resolve_group(self, family, group)?;
        self.sock.drop_membership(id)
    }

    /// The next notification, borrowed and undecoded (any family). Queued notifications (that
    /// arrived during a request) come first. Blocks unless the socket is non-blocking or has a
    /// read timeout. [`Error::Overrun`] means some were lost; the socket goes on working.
    pub fn recv_view(&mut self) -> Result<GenlView<'_>, Error> {
        let n = self.sock.recv_notification()?;
        Ok(GenlView::parse(n.message, n.group)?)
    }

    /// The next notification of `T`'s family, decoded. Notifications of other families (when
    /// the socket joined several) are skipped. A command `T` does not declare is a
    /// [`DecodeErrorKind::UnknownCommand`] error; the socket goes on working.
    pub fn recv_event<T: GenlMessage + GenlDecodeOwned>(&mut self) -> Result<GenlEvent<T>, Error> {
        let id = self.family_id::<T>()?;
        loop {
            let v = self.recv_view()?;
            if v.family_id() != id {
                continue;
            }
            return Ok(GenlEvent {
                group: v.group(),
                header: *v.header(),
                msg: v.decode::<T>()?,
            });
        }
    }

    /// An endless iterator of [`recv_event`](Self::recv_event) results.
    pub fn events<T: GenlMessage + GenlDecodeOwned>(&mut self) -> Events<'_, T> {
        Events {
            sock: self,
            _t: PhantomData,
        }
    }
}

#[cold]
pub(crate) fn no_reply<T: GenlMessage>(cmd: u8) -> Error {
    let name = T::command_name(cmd).unwrap_or("request");
    DecodeError::new(DecodeErrorKind::UnexpectedMessage(
        format!("{} {name} was acknowledged without a reply", T::FAMILY).into(),
    ))
    .into()
}

impl AsFd for GenlSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl AsRawFd for GenlSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

/// The owned iterator of [`GenlSocket::dump`].
#[derive(Debug)]
pub struct Dump<'s, T> {
    sock: &'s mut NlSocket,
    ex: Exchange,
    failed: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T> Dump<'_, T> {
    /// Whether a message so far carried `NLM_F_DUMP_INTR` (check after the iteration: the
    /// dump was inconsistent and may be retried).
    pub fn interrupted(&self) -> bool {
        self.ex.interrupted()
    }

    /// Messages and the interrupted flag so far.
    pub fn summary(&self) -> DumpSummary {
        self.ex.summary()
    }

    /// The answer is complete.
    pub fn is_done(&self) -> bool {
        self.ex.is_done()
    }
}

impl<T: GenlMessage + GenlDecodeOwned> Iterator for Dump<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let r = match self.sock.next_reply(&mut self.ex) {
            Ok(None) => return None,
            Ok(Some(m)) => GenlView::parse(m, 0)
                .and_then(|v| v.decode::<T>())
                .map_err(Error::from),
            Err(e) => Err(e),
        };
        if r.is_err() {
            self.failed = true;
        }
        Some(r)
    }
}

impl<T> Drop for Dump<'_, T> {
    fn drop(&mut self) {
        if !self.ex.is_done() {
            self.sock.drain(&mut self.ex);
        }
    }
}

/// The iterator of [`GenlSocket::events`]: endless; each item is one event or an error
/// ([`Error::Overrun`] means events were lost, the next item continues).
#[derive(Debug)]
pub struct Events<'s, T> {
    sock: &'s mut GenlSocket,
    _t: PhantomData<fn() -> T>,
}

impl<T: GenlMessage + GenlDecodeOwned> Iterator for Events<'_, T> {
    type Item = Result<GenlEvent<T>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.sock.recv_event::<T>())
    }
}
