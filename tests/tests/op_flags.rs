//! The operation flags a family type declares (`admin_perm`, `uns_admin_perm`,
//! `dont_validate(..)`, `kernel_policy`) are what the fake kernel enforces and reports, through
//! both sockets: permissions (`EPERM`, `GETFAMILY`'s flags), strict or liberal validation, and
//! the policy layout (`GETPOLICY`); `check_schema` compares the permissions.

use netlink_genl::check::{FindingKind, Severity};
use netlink_genl::testing::{FakeKernel, FamilySpec};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{Error, GenlMessage, GenlSocket, NlAttrs};

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Port {
    #[nla(id = 1)]
    port: Option<u16>,
    #[nla(id = 2)]
    af: Option<u8>,
}

/// The family as the kernel's spec says it (fou-like): a global policy.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "flagged", kernel_policy = global)]
enum Global {
    #[genl(cmd = 1, do(request(port, af)), admin_perm)]
    Add(Port),
    #[genl(cmd = 2, do(request(port)), dump(request()), dont_validate(dump))]
    Get(Port),
    #[genl(cmd = 3, do(request(port)), uns_admin_perm, dont_validate(strict))]
    Del(Port),
}

/// The same operations with split policies and no flags.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "flagged")]
enum Split {
    #[genl(cmd = 1, do(request(port, af)))]
    Add(Port),
    #[genl(cmd = 2, do(request(port)), dump(request()))]
    Get(Port),
    #[genl(cmd = 3, do(request(port)))]
    Del(Port),
}

/// Per-op: a do and a dump accept what either lists.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "flagged", kernel_policy = per_op)]
enum PerOp {
    #[genl(cmd = 2, do(request(port)), dump(request(af)))]
    Get(Port),
}

/// A client's view with an attribute no server type declares (id 9), and no declarations:
/// sent as asked.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Wide {
    #[nla(id = 1)]
    port: Option<u16>,
    #[nla(id = 2)]
    af: Option<u8>,
    #[nla(id = 9)]
    extra: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "flagged")]
enum Client {
    #[genl(cmd = 1)]
    Add(Wide),
    #[genl(cmd = 2)]
    Get(Wide),
    #[genl(cmd = 3)]
    Del(Wide),
}

/// The next item of a stream (no futures-util needed).
async fn next<S: futures_core::Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn shown(r: Result<(), Error>) -> String {
    match r {
        Ok(()) => "ok".to_owned(),
        Err(Error::Kernel(k)) => format!(
            "{} {}",
            k.errno_name().unwrap_or("?"),
            k.msg.as_deref().unwrap_or("-")
        ),
        Err(e) => format!("error: {e}"),
    }
}

/// What each probe gets: `(name, message, dump)`.
fn probes() -> Vec<(&'static str, Client, bool)> {
    let w = |port, af, extra| Wide { port, af, extra };
    vec![
        ("add", Client::Add(w(Some(1), Some(2), None)), false),
        (
            "get with af (do)",
            Client::Get(w(Some(1), Some(2), None)),
            false,
        ),
        (
            "get with extra (do)",
            Client::Get(w(Some(1), None, Some(7))),
            false,
        ),
        (
            "get with af (dump)",
            Client::Get(w(None, Some(2), None)),
            true,
        ),
        (
            "get with extra (dump)",
            Client::Get(w(None, None, Some(7))),
            true,
        ),
        (
            "del with extra",
            Client::Del(w(Some(1), None, Some(7))),
            false,
        ),
    ]
}

fn sync_answers(sock: &mut GenlSocket) -> Vec<String> {
    probes()
        .into_iter()
        .map(|(name, m, dump)| {
            let r = if dump {
                sock.dump(&m)
                    .and_then(|d| d.collect::<Result<Vec<_>, _>>())
                    .map(drop)
            } else {
                sock.ack(&m)
            };
            format!("{name}: {}", shown(r))
        })
        .collect()
}

async fn async_answers(sock: &mut AsyncGenlSocket) -> Vec<String> {
    let mut out = Vec::new();
    for (name, m, dump) in probes() {
        let r = if dump {
            match sock.dump(&m).await {
                Ok(mut d) => {
                    let mut r = Ok(());
                    while let Some(item) = next(&mut d).await {
                        if let Err(e) = item {
                            r = Err(e);
                            break;
                        }
                    }
                    r
                }
                Err(e) => Err(e),
            }
        } else {
            sock.ack(&m).await
        };
        out.push(format!("{name}: {}", shown(r)));
    }
    out
}

/// The answers of one served type, privileged and not, sync and async (which must agree).
fn answers<T: GenlMessage + netlink_genl::GenlDecodeOwned>() -> (Vec<String>, Vec<String>) {
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<T>::new().declared()).unwrap();
    let root = sync_answers(&mut fake.connect().unwrap());
    let user = sync_answers(&mut fake.connect_unprivileged().unwrap());
    let (root_async, user_async) = rt().block_on(async {
        let root = async_answers(&mut fake.connect_async().unwrap()).await;
        let user = async_answers(&mut fake.connect_async_unprivileged().unwrap()).await;
        (root, user)
    });
    assert_eq!(root, root_async);
    assert_eq!(user, user_async);
    (root, user)
}

#[test]
fn declared_flags_are_enforced_sync_and_async() {
    let (root, user) = answers::<Global>();
    assert_eq!(
        root,
        [
            "add: ok",
            // Global: get's do accepts af, which add's request lists.
            "get with af (do): ok",
            "get with extra (do): EINVAL Unknown attribute type",
            "get with af (dump): ok",
            // dont_validate(dump): a dump's attributes are not validated.
            "get with extra (dump): ok",
            // dont_validate(strict): an unknown attribute is skipped.
            "del with extra: ok",
        ]
    );
    assert_eq!(
        user,
        [
            "add: EPERM -",
            "get with af (do): ok",
            "get with extra (do): EINVAL Unknown attribute type",
            "get with af (dump): ok",
            "get with extra (dump): ok",
            "del with extra: EPERM -",
        ]
    );
    let (root, user) = answers::<Split>();
    let want = [
        "add: ok",
        "get with af (do): EINVAL Unknown attribute type",
        "get with extra (do): EINVAL Unknown attribute type",
        // A request that lists nothing: every attribute is rejected (the kernel's reject-all
        // policy for an operation without one).
        "get with af (dump): EINVAL Unknown attribute type",
        "get with extra (dump): EINVAL Unknown attribute type",
        "del with extra: EINVAL Unknown attribute type",
    ];
    assert_eq!(root, want);
    assert_eq!(user, want);
    let (root, _) = answers::<PerOp>();
    // Per-op: the do accepts af, which the dump lists (and the dump port, which the do lists).
    assert_eq!(root[1], "get with af (do): ok");
    assert_eq!(root[3], "get with af (dump): ok");
}

#[test]
fn getfamily_and_getpolicy_report_the_declarations() {
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Global>::new().declared())
        .unwrap();
    let mut sock = fake.connect().unwrap();
    let fam = sock.family("flagged").unwrap();
    let flags: Vec<(u32, u32)> = fam.ops.iter().map(|o| (o.cmd, o.flags)).collect();
    // ADMIN_PERM 0x01, CAP_DO 0x02, CAP_DUMP 0x04, CAP_HASPOL 0x08, UNS_ADMIN_PERM 0x10.
    assert_eq!(flags, [(1, 0x0b), (2, 0x0e), (3, 0x1a)]);
    // One policy for the family: every operation's do and dump share index 0.
    let p = sock.policy("flagged", None).unwrap();
    let idx: Vec<(u32, Option<u32>, Option<u32>)> = p
        .ops
        .iter()
        .map(|(c, o)| (*c, o.do_policy, o.dump_policy))
        .collect();
    assert_eq!(
        idx,
        [
            (1, Some(0), None),
            (2, Some(0), Some(0)),
            (3, Some(0), None)
        ]
    );
    let ids: Vec<u16> = p.policy(0).unwrap().keys().copied().collect();
    assert_eq!(ids, [1, 2]);
    // Split: add's policy has both attributes, get's and del's only port; get's dump none.
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Split>::new().declared())
        .unwrap();
    let p = fake.connect().unwrap().policy("flagged", None).unwrap();
    let idx: Vec<(u32, Option<u32>, Option<u32>)> = p
        .ops
        .iter()
        .map(|(c, o)| (*c, o.do_policy, o.dump_policy))
        .collect();
    assert_eq!(
        idx,
        [(1, Some(0), None), (2, Some(1), None), (3, Some(1), None)]
    );
}

#[test]
fn check_schema_compares_permissions_sync_and_async() {
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Global>::new().declared())
        .unwrap();
    // The type the fake serves: nothing differs.
    let report = fake.connect().unwrap().check_schema::<Global>().unwrap();
    assert!(report.findings.is_empty(), "{report}");
    // The same operations without the permissions: a warning each (unprivileged, EPERM).
    let shown = |r: &netlink_genl::check::SchemaReport| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.kind == FindingKind::Permission)
            .map(|f| format!("{} {} {}", f.severity, f.path, f.message))
            .collect()
    };
    let sync = fake.connect().unwrap().check_schema::<Split>().unwrap();
    let rt = rt();
    let async_ = rt
        .block_on(async { fake.connect_async().unwrap().check_schema::<Split>().await })
        .unwrap();
    assert_eq!(shown(&sync), shown(&async_));
    assert_eq!(
        shown(&sync),
        [
            "warning Add the type declares no permission, the kernel's command 1 requires \
             admin_perm (CAP_NET_ADMIN)",
            "warning Del the type declares no permission, the kernel's command 3 requires \
             uns_admin_perm (CAP_NET_ADMIN in the netns's user namespace)",
        ]
    );
    assert!(
        sync.findings
            .iter()
            .filter(|f| f.kind == FindingKind::Permission)
            .all(|f| f.severity == Severity::Warning)
    );
    // The other way round: the type declares what the kernel does not require, a note.
    let fake = FakeKernel::new();
    fake.register(FamilySpec::<Split>::new().declared())
        .unwrap();
    let r = fake.connect().unwrap().check_schema::<Global>().unwrap();
    let notes: Vec<String> = shown(&r);
    assert_eq!(notes.len(), 2, "{r}");
    assert!(notes.iter().all(|n| n.starts_with("note ")), "{notes:?}");
}
