//! The generic netlink client, written once over a [`Connection`]: family and group
//! resolution with the cache, typed requests with their declared answers, dumps, events and
//! the trace's names. [`GenlSocket`](crate::GenlSocket) runs it on the blocking socket,
//! [`AsyncGenlSocket`](crate::tokio::AsyncGenlSocket) on tokio; neither makes a protocol
//! decision of its own, so the same situation gives the same result and the same error in
//! both.

use netlink_genl_core::conn::Connection;
use netlink_genl_core::consts::NLM_F_ACK;
use netlink_genl_core::consts::NLM_F_DUMP;
use netlink_genl_core::request::{DumpSummary, Exchange};
use netlink_genl_core::schema::Schema;
use netlink_genl_core::{
    DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, Errno, Error, GroupError,
    GroupErrorKind,
};

use std::collections::BTreeMap;

use crate::check::{self, KernelPolicies, SchemaReport};
use crate::ctrl::{Ctrl, Family, PolicyDump};
use crate::family::{FamilyCache, FamilyInfo};
use crate::header::{GENL_HDRLEN, GENL_ID_CTRL};
use crate::message::{
    Answer, GenlBorrowed, GenlDecode, GenlDecodeOwned, GenlEvent, GenlMessage, GenlRequest,
    GenlView, MessageSchema,
};

/// The `NLM_F_*` flags a request of `msg` is sent with: `NLM_F_ACK` unless the command
/// declares a reply (which then ends the exchange).
pub(crate) fn request_flags<T: GenlMessage>(msg: &T) -> u16 {
    match msg.answer() {
        Answer::Reply(_) => 0,
        _ => NLM_F_ACK,
    }
}

/// The client: a connection, the family cache and the trace's names.
#[derive(Debug)]
pub(crate) struct GenlClient<C> {
    pub(crate) conn: C,
    pub(crate) families: FamilyCache,
    /// The trace's names, installed on the connection again when they grow.
    names: GenlNames,
}

impl<C: Connection> GenlClient<C> {
    pub(crate) fn new(mut conn: C) -> Self {
        let names = GenlNames::new();
        conn.set_debug_names(Box::new(names.clone()));
        GenlClient {
            conn,
            families: FamilyCache::new(),
            names,
        }
    }

    /// Teach the trace `T`'s family (only while observed: the names are unused otherwise).
    fn learn_type<T: GenlMessage>(&mut self, id: u16) {
        if netlink_genl_core::debug::observing() && self.names.learn_type::<T>(id) {
            self.conn.set_debug_names(Box::new(self.names.clone()));
        }
    }

    /// Cache a family (and teach the trace its name).
    fn learn_info(&mut self, info: FamilyInfo) -> &FamilyInfo {
        if netlink_genl_core::debug::observing() && self.names.learn_info(&info) {
            self.conn.set_debug_names(Box::new(self.names.clone()));
        }
        self.families.insert(info)
    }

    // -----------------------------------------------------------------------------------------
    // Families.

    pub(crate) async fn family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        if self.families.get(name).is_none() {
            self.refresh_family(name).await?;
        }
        self.families
            .get(name)
            .ok_or_else(|| DecodeError::custom("family vanished from the cache").into())
    }

    pub(crate) async fn refresh_family(&mut self, name: &str) -> Result<&FamilyInfo, Error> {
        let req = Ctrl::GetFamily(Family::by_name(name));
        let reply = match self.request_to(GENL_ID_CTRL, &req).await {
            Err(Error::Kernel(k)) if k.errno == Errno::NOENT => {
                return Err(Error::FamilyNotFound(name.to_owned()));
            }
            r => r?,
        };
        let info = FamilyInfo::try_from(reply.into_family())?;
        Ok(self.learn_info(info))
    }

    pub(crate) async fn family_id<T: GenlMessage>(&mut self) -> Result<u16, Error> {
        if T::FAMILY == Ctrl::FAMILY {
            return Ok(GENL_ID_CTRL);
        }
        let id = self.family(T::FAMILY).await?.id;
        self.learn_type::<T>(id);
        Ok(id)
    }

    pub(crate) async fn list_families(&mut self) -> Result<Vec<FamilyInfo>, Error> {
        let mut out = Vec::new();
        let msg = Ctrl::GetFamily(Family::default());
        self.dump_view(&GenlRequest::new(GENL_ID_CTRL, &msg), |v| {
            out.push(FamilyInfo::try_from(v.decode::<Ctrl>()?.into_family())?);
            Ok(())
        })
        .await?;
        for f in &out {
            self.learn_info(f.clone());
        }
        Ok(out)
    }

    pub(crate) async fn policy(
        &mut self,
        name: &str,
        op: Option<u32>,
    ) -> Result<PolicyDump, Error> {
        let mut body = Family::by_name(name);
        body.op = op;
        let mut dump = PolicyDump::default();
        let msg = Ctrl::GetPolicy(body);
        let summary = self
            .dump_view(&GenlRequest::new(GENL_ID_CTRL, &msg), |v| {
                dump.add(v.decode::<Ctrl>()?.into_family());
                Ok(())
            })
            .await?;
        dump.interrupted = summary.interrupted;
        Ok(dump)
    }

    /// Compare `T` with the kernel's family: its operations (`GETFAMILY`, read afresh) and,
    /// for each operation `T` declares as a do or dump that the kernel has, its policy
    /// (`GETPOLICY` restricted to the operation; `ENODATA`: no policy).
    pub(crate) async fn check_schema<T: GenlMessage>(&mut self) -> Result<SchemaReport, Error> {
        let info = self.refresh_family(T::FAMILY).await?.clone();
        let mut policies = BTreeMap::new();
        for c in T::schema().commands {
            let declared = c.doit.is_some() || c.dumpit.is_some();
            let has = info
                .op(u32::from(c.cmd))
                .is_some_and(|o| o.can_do() || o.can_dump());
            if !declared || !has || policies.contains_key(&c.cmd) {
                continue;
            }
            let dump = match self.policy(&info.name, Some(u32::from(c.cmd))).await {
                Ok(d) => Some(d),
                Err(Error::Kernel(k)) if k.errno == Errno::NODATA => None,
                Err(e) => return Err(e),
            };
            policies.insert(c.cmd, KernelPolicies { dump });
        }
        Ok(check::compare(
            T::schema(),
            core::mem::size_of::<T::Header>(),
            &info,
            &policies,
        ))
    }

    pub(crate) async fn prepare<'m, T: GenlMessage>(
        &mut self,
        msg: &'m T,
    ) -> Result<GenlRequest<'m, T>, Error> {
        Ok(GenlRequest::new(self.family_id::<T>().await?, msg))
    }

    // -----------------------------------------------------------------------------------------
    // Requests.

    /// Send `req` with `flags` and feed each reply to `f` until the answer ends. If `f`
    /// fails, the rest is drained and its error returned.
    async fn exchange<T, F>(
        &mut self,
        req: &GenlRequest<'_, T>,
        flags: u16,
        mut f: F,
    ) -> Result<Exchange, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        check_mode::<T>(req.message().command(), flags & NLM_F_DUMP != 0)?;
        let mut ex = self.conn.begin(req, req.flags() | flags)?;
        self.conn.send().await?;
        let mut failed = None;
        while let Some(m) = self.conn.next_reply(&mut ex).await? {
            if let Err(e) = GenlView::parse(m, 0).map_err(Error::from).and_then(&mut f) {
                failed = Some(e);
                break;
            }
        }
        if let Some(e) = failed {
            self.conn.drain(&mut ex).await;
            return Err(e);
        }
        Ok(ex)
    }

    /// `msg` to family `family_id`, answered as its command declares: the declared reply
    /// (sent without `NLM_F_ACK`), or, undeclared, the first reply before the ACK.
    async fn request_to<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        family_id: u16,
        msg: &T,
    ) -> Result<T, Error> {
        if msg.answer() == Answer::Ack {
            return Err(ack_only::<T>(msg.command()));
        }
        let mut out = None;
        self.exchange(&GenlRequest::new(family_id, msg), request_flags(msg), |v| {
            if out.is_none() {
                out = Some(v.decode::<T>()?);
            }
            Ok(())
        })
        .await?;
        out.ok_or_else(|| no_reply::<T>(msg.command()))
    }

    pub(crate) async fn request<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<T, Error> {
        let id = self.family_id::<T>().await?;
        self.request_to(id, msg).await
    }

    pub(crate) async fn request_all<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
        msg: &T,
    ) -> Result<Vec<T>, Error> {
        let req = self.prepare(msg).await?;
        let mut out = Vec::new();
        self.exchange(&req, request_flags(msg), |v| {
            out.push(v.decode::<T>()?);
            Ok(())
        })
        .await?;
        Ok(out)
    }

    pub(crate) async fn ack<T: GenlMessage>(&mut self, msg: &T) -> Result<(), Error> {
        let req = self.prepare(msg).await?;
        self.exchange(&req, NLM_F_ACK, |_| Ok(())).await.map(drop)
    }

    pub(crate) async fn request_view<T, F>(
        &mut self,
        req: &GenlRequest<'_, T>,
        f: F,
    ) -> Result<usize, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        let flags = request_flags(req.message());
        Ok(self.exchange(req, flags, f).await?.messages())
    }

    // -----------------------------------------------------------------------------------------
    // Dumps.

    pub(crate) async fn dump_view<T, F>(
        &mut self,
        req: &GenlRequest<'_, T>,
        f: F,
    ) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        F: FnMut(GenlView<'_>) -> Result<(), Error>,
    {
        Ok(self.exchange(req, NLM_F_DUMP, f).await?.summary())
    }

    pub(crate) async fn dump_with<T, D, F>(
        &mut self,
        msg: &T,
        mut f: F,
    ) -> Result<DumpSummary, Error>
    where
        T: GenlMessage,
        D: for<'a> GenlDecode<'a>,
        F: FnMut(D) -> Result<(), Error>,
    {
        let req = self.prepare(msg).await?;
        self.dump_view(&req, |v| f(v.decode::<D>()?)).await
    }

    pub(crate) async fn dump_borrowed<K, T, F>(
        &mut self,
        msg: &T,
        mut f: F,
    ) -> Result<DumpSummary, Error>
    where
        K: GenlBorrowed + ?Sized,
        T: GenlMessage,
        F: for<'a> FnMut(K::At<'a>) -> Result<(), Error>,
    {
        let req = self.prepare(msg).await?;
        self.dump_view(&req, |v| f(v.decode::<K::At<'_>>()?)).await
    }

    /// Start a dump whose replies are read one by one (the iterator and the stream).
    pub(crate) async fn start_dump<T: GenlMessage>(&mut self, msg: &T) -> Result<Exchange, Error> {
        check_mode::<T>(msg.command(), true)?;
        let req = self.prepare(msg).await?;
        let ex = self.conn.begin(&req, req.flags() | NLM_F_DUMP)?;
        self.conn.send().await?;
        Ok(ex)
    }

    // -----------------------------------------------------------------------------------------
    // Groups and events.

    /// The number of group `group` of family `family`, refreshing the family once if the
    /// cache does not know the group.
    pub(crate) async fn resolve_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        if let Some(id) = self.family(family).await?.group_id(group) {
            return Ok(id);
        }
        let f = self.refresh_family(family).await?;
        f.group_id(group).ok_or_else(|| no_group(f, group))
    }

    pub(crate) async fn join_group(&mut self, family: &str, group: &str) -> Result<u32, Error> {
        let id = self.resolve_group(family, group).await?;
        match self.conn.add_membership(id) {
            Err(e) if e.errno() == Some(Errno::PERM) => Err(Error::Group(GroupError::new(
                family,
                group,
                GroupErrorKind::PermissionDenied { id },
            ))),
            r => r.map(|()| id),
        }
    }

    pub(crate) async fn join<T: GenlMessage>(&mut self, group: &str) -> Result<u32, Error> {
        self.family_id::<T>().await?;
        self.join_group(T::FAMILY, group).await
    }

    pub(crate) async fn leave_group(&mut self, family: &str, group: &str) -> Result<(), Error> {
        let id = self.resolve_group(family, group).await?;
        self.conn.drop_membership(id)
    }

    pub(crate) async fn recv_view(&mut self) -> Result<GenlView<'_>, Error> {
        let n = self.conn.recv_notification().await?;
        Ok(GenlView::parse(n.message, n.group)?)
    }

    pub(crate) async fn recv_event<T: GenlMessage + GenlDecodeOwned>(
        &mut self,
    ) -> Result<GenlEvent<T>, Error> {
        let id = self.family_id::<T>().await?;
        loop {
            let n = self.conn.recv_notification().await?;
            if let Some(ev) = event_of::<T>(id, GenlView::parse(n.message, n.group)?)? {
                return Ok(ev);
            }
        }
    }
}

/// `v` decoded as an event of `T`'s family (id `id`); `None` for another family's message.
pub(crate) fn event_of<T: GenlMessage + GenlDecodeOwned>(
    id: u16,
    v: GenlView<'_>,
) -> Result<Option<GenlEvent<T>>, Error> {
    if v.family_id() != id {
        return Ok(None);
    }
    Ok(Some(GenlEvent {
        group: v.group(),
        header: *v.header(),
        msg: v.decode::<T>()?,
    }))
}

#[cold]
fn no_group(f: &FamilyInfo, group: &str) -> Error {
    let available = f.groups.iter().map(|g| g.name.clone()).collect();
    Error::Group(GroupError::new(
        &f.name,
        group,
        GroupErrorKind::NotFound { available },
    ))
}

#[cold]
pub(crate) fn no_reply<T: GenlMessage>(cmd: u8) -> Error {
    let name = T::command_name(cmd).unwrap_or("request");
    DecodeError::new(DecodeErrorKind::UnexpectedMessage(
        format!(
            "{} {name} was acknowledged without a reply: the kernel applied it; declare the \
             command #[genl(ack)] and send it with ack()",
            T::FAMILY
        )
        .into(),
    ))
    .into()
}

/// Refuse, before anything is sent, a command whose schema declares how the kernel takes it
/// (`#[genl(do)]`, `#[genl(dump)]`) sent the other way: a dump of a do-only command, a do of a
/// dump-only one (the kernel would answer `EOPNOTSUPP`). Commands that declare neither are sent
/// as asked.
#[inline]
fn check_mode<T: GenlMessage>(cmd: u8, dump: bool) -> Result<(), Error> {
    match T::schema().request(cmd) {
        Some(c) if (c.doit.is_some() || c.dumpit.is_some()) => {
            let accepted = if dump { c.dumpit } else { c.doit };
            match accepted {
                Some(_) => Ok(()),
                None => Err(wrong_mode::<T>(cmd, dump)),
            }
        }
        _ => Ok(()),
    }
}

#[cold]
fn wrong_mode<T: GenlMessage>(cmd: u8, dump: bool) -> Error {
    let name = T::command_name(cmd).unwrap_or("request");
    let (asked, only, call) = if dump {
        ("a dump", "do", "request(), ack() or request_all()")
    } else {
        ("a do", "dump", "dump()")
    };
    EncodeError::new(EncodeErrorKind::Custom(
        format!(
            "{} {name} is declared #[genl({only})] only, so the kernel does not take it as \
             {asked}: send it with {call}; nothing was sent",
            T::FAMILY
        )
        .into(),
    ))
    .into()
}

#[cold]
fn ack_only<T: GenlMessage>(cmd: u8) -> Error {
    let name = T::command_name(cmd).unwrap_or("request");
    EncodeError::new(EncodeErrorKind::Custom(
        format!(
            "{} {name} is answered by the ACK alone (#[genl(ack)]): send it with ack(), not \
         request(); nothing was sent",
            T::FAMILY
        )
        .into(),
    ))
    .into()
}

/// What the `NETLINK_DEBUG` trace knows of one family.
#[derive(Debug, Clone)]
struct KnownFamily {
    id: u16,
    name: String,
    /// The fixed user header after the genl header.
    hdrsize: usize,
    /// From a [`GenlMessage`] type: command names and attribute schemas.
    typed: Option<fn() -> &'static MessageSchema>,
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
                typed: Some(Ctrl::schema),
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
            typed: Some(T::schema),
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

impl netlink_genl_core::debug::Resolver for GenlNames {
    fn family(&self, ty: u16) -> Option<&str> {
        self.get(ty).map(|k| k.name.as_str())
    }
    fn fixed_header_len(&self, ty: u16) -> usize {
        if ty >= netlink_genl_core::consts::NLMSG_MIN_TYPE {
            GENL_HDRLEN + self.get(ty).map_or(0, |k| k.hdrsize)
        } else {
            0
        }
    }
    fn command(&self, ty: u16, cmd: u8, request: bool) -> Option<&str> {
        Some(self.get(ty)?.typed?().command(cmd, request)?.name)
    }
    fn schema(&self, ty: u16, cmd: u8, request: bool) -> Option<&'static Schema> {
        self.get(ty)?.typed?().command(cmd, request)?.attrs()
    }
}
