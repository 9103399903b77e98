//! The runtime against the kernel, each behaviour through the blocking and the tokio socket:
//! recovery after an overrun (the reproduction of the runtime-core issue), a request the kernel
//! never answers, an exchange abandoned mid-dump, and a tokio dump cancelled mid-way. State
//! changes run in private network namespaces.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use example_families::netdev::{Dev, Netdev};
use netlink_genl::GenlSocket;
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl_core::consts::{NLM_F_DUMP, protocol};
use netlink_genl_core::request::RawRequest;
use netlink_genl_core::socket::NlSocket;
use netlink_genl_core::tokio::AsyncNlSocket;
use netlink_genl_core::{Error, Waited};
use tests::{in_private_netns, ip};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// What one call of the reproduction gave: Ok, or the error, and how long it took.
type Outcome = (Result<(), String>, Duration);

fn outcome<T>(r: Result<T, Error>, started: Instant) -> Outcome {
    (r.map(drop).map_err(|e| format!("{e:?}")), started.elapsed())
}

/// The reproduction: netdev `mgmt` joined, `SO_RCVBUF` at its minimum, 8 veth pairs created
/// (their notifications overrun the socket), then `DevGet` of lo, three times. Each call must
/// end promptly: Ok, or the typed loss of its answer; never a silent wait.
fn check_reproduction(calls: &[Outcome], queued: u64) {
    eprintln!("reproduction: {calls:?}, {queued} notifications queued");
    for (i, (r, took)) in calls.iter().enumerate() {
        assert!(
            *took < Duration::from_secs(2),
            "call {i} took {took:?}: {r:?}"
        );
        if let Err(e) = r {
            assert!(
                e.starts_with("AnswerLost(LostAnswer"),
                "call {i}: only a lost answer may fail it, got {e}"
            );
            assert!(e.contains("may_have_been_applied: true"), "{e}");
        }
    }
    assert!(
        calls.iter().skip(1).all(|(r, _)| r.is_ok()),
        "once recovered, requests succeed: {calls:?}"
    );
    assert!(queued >= 1, "the notifications that fitted were kept");
}

#[test]
fn requests_recover_from_an_overrun_blocking() {
    in_private_netns(|| {
        let mut sock = GenlSocket::new().unwrap();
        sock.set_timeout(Some(Duration::from_secs(5)));
        sock.join::<Netdev>("mgmt").unwrap();
        sock.socket_mut().set_recv_buffer_size(1).unwrap();
        for i in 0..8 {
            ip(&format!("link add ov{i}a type veth peer name ov{i}b"));
        }
        let req = Netdev::DevGet(Dev {
            ifindex: Some(1),
            ..Dev::default()
        });
        let mut calls = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            calls.push(outcome(sock.request(&req), t));
        }
        let stats = sock.socket().stats();
        assert!(
            stats.overruns >= 1,
            "the flood overran the socket: {stats:?}"
        );
        check_reproduction(&calls, stats.queued);
        // The event reader learns of the loss, then gets what survived.
        sock.set_event_timeout(Some(Duration::from_millis(200)));
        assert!(matches!(sock.recv_view(), Err(Error::Overrun)));
        assert!(sock.recv_event::<Netdev>().is_ok());
    });
}

#[test]
fn requests_recover_from_an_overrun_tokio() {
    in_private_netns(|| {
        rt().block_on(async {
            let mut sock = AsyncGenlSocket::new().unwrap();
            sock.set_timeout(Some(Duration::from_secs(5)));
            sock.join::<Netdev>("mgmt").await.unwrap();
            sock.socket_mut().set_recv_buffer_size(1).unwrap();
            for i in 0..8 {
                ip(&format!("link add ov{i}a type veth peer name ov{i}b"));
            }
            let req = Netdev::DevGet(Dev {
                ifindex: Some(1),
                ..Dev::default()
            });
            let mut calls = Vec::new();
            for _ in 0..3 {
                let t = Instant::now();
                calls.push(outcome(sock.request(&req).await, t));
            }
            let stats = sock.socket().get_ref().stats();
            assert!(
                stats.overruns >= 1,
                "the flood overran the socket: {stats:?}"
            );
            check_reproduction(&calls, stats.queued);
            sock.set_event_timeout(Some(Duration::from_millis(200)));
            assert!(matches!(sock.recv_view().await, Err(Error::Overrun)));
            assert!(sock.recv_event::<Netdev>().await.is_ok());
        });
    });
}

/// A dump of message type 5 (below `NLMSG_MIN_TYPE`): the kernel accepts it and, without
/// `NLM_F_ACK`, never answers.
const UNANSWERED: RawRequest<'static> = RawRequest {
    ty: 5,
    payload: &[],
};

fn check_timeout(r: Result<netlink_genl_core::request::DumpSummary, Error>, took: Duration) {
    match r {
        Err(Error::Timeout(t)) => {
            assert_eq!(t.waited, Waited::DumpPart);
            assert_eq!(t.after, Duration::from_millis(200));
            assert!(t.to_string().contains("timed out after 200ms"), "{t}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(took >= Duration::from_millis(190), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn a_request_the_kernel_never_answers_times_out_blocking() {
    let mut sock = NlSocket::new(protocol::GENERIC).unwrap();
    sock.set_timeout(Some(Duration::from_millis(200)));
    let t = Instant::now();
    let r = sock.dump(&UNANSWERED, 0, |_| Ok(()));
    check_timeout(r, t.elapsed());
    // The socket goes on working.
    let mut genl = GenlSocket::from_socket(sock);
    assert_eq!(genl.family("nlctrl").unwrap().id, 0x10);
    // Per call: a shorter bound, then the socket's own again.
    let t = Instant::now();
    let r = genl
        .with_timeout(Duration::from_millis(50))
        .socket_mut()
        .dump(&UNANSWERED, 0, |_| Ok(()));
    assert!(matches!(r, Err(Error::Timeout(_))));
    assert!(t.elapsed() < Duration::from_millis(190));
    assert_eq!(genl.timeout(), Some(Duration::from_millis(200)));
}

#[test]
fn a_request_the_kernel_never_answers_times_out_tokio() {
    rt().block_on(async {
        let mut sock = AsyncNlSocket::new(NlSocket::new(protocol::GENERIC).unwrap()).unwrap();
        sock.set_timeout(Some(Duration::from_millis(200)));
        let t = Instant::now();
        let r = sock.dump(&UNANSWERED, 0, |_| Ok(())).await;
        check_timeout(r, t.elapsed());
        let mut genl = AsyncGenlSocket::from_socket(sock.into_inner()).unwrap();
        assert_eq!(genl.family("nlctrl").await.unwrap().id, 0x10);
    });
}

/// ethtool's GETPOLICY dump: 260 messages in several datagrams.
fn policy_dump() -> Ctrl {
    Ctrl::GetPolicy(Family::by_name("ethtool"))
}

#[test]
fn an_exchange_dropped_mid_dump_is_drained_before_the_next_blocking() {
    let mut genl = GenlSocket::new().unwrap();
    let msg = policy_dump();
    let req = genl.prepare(&msg).unwrap();
    let mut sock = genl.into_socket();
    for _ in 0..3 {
        // Start the dump, read one message, abandon the exchange.
        let mut ex = sock.start_dump(&req, 0).unwrap();
        assert!(sock.next_reply(&mut ex).unwrap().is_some());
    }
    // Without the drain the kernel's dump would still run: EBUSY.
    let mut n = 0;
    sock.dump(&req, 0, |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 260);
}

#[test]
fn an_exchange_dropped_mid_dump_is_drained_before_the_next_tokio() {
    rt().block_on(async {
        let mut genl = AsyncGenlSocket::new().unwrap();
        let msg = policy_dump();
        let req = genl.prepare(&msg).await.unwrap();
        let sock = genl.socket_mut();
        for _ in 0..3 {
            let mut ex = sock.start_dump(&req, 0).await.unwrap();
            assert!(sock.next_reply(&mut ex).await.unwrap().is_some());
        }
        let mut n = 0;
        sock.dump(&req, 0, |_| {
            n += 1;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(n, 260);
    });
}

/// Poll `fut` once.
fn poll_once<F: Future>(fut: F) -> Poll<F::Output> {
    let mut fut = pin!(fut);
    fut.as_mut().poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn a_tokio_dump_cancelled_after_its_first_datagram_leaves_the_socket_usable() {
    rt().block_on(async {
        let mut raw = NlSocket::new(protocol::GENERIC).unwrap();
        raw.set_read_buffer_len(4096);
        let mut sock = AsyncGenlSocket::from_socket(raw).unwrap();
        let msg = policy_dump();

        // A stream dropped after its first item.
        {
            use futures_core::Stream;
            let mut stream = pin!(sock.dump(&msg).await.unwrap());
            let first = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await;
            assert!(matches!(first, Some(Ok(_))));
        }
        assert_eq!(sock.family("nlctrl").await.unwrap().id, 0x10);

        // A callback dump future polled until it has read one datagram, then dropped: it
        // yields between datagrams, so one poll does not run the dump to its end.
        let before = sock.socket().get_ref().stats().datagrams;
        let mut seen = 0;
        let r = poll_once(sock.dump_with(&msg, |_: Ctrl| {
            seen += 1;
            Ok(())
        }));
        assert!(r.is_pending(), "the dump yielded between datagrams");
        assert!(seen > 0 && seen < 260, "{seen} messages in the first poll");
        let read = sock.socket().get_ref().stats().datagrams - before;
        assert!(read >= 1, "{read} datagrams");
        assert_eq!(sock.family("nlctrl").await.unwrap().id, 0x10);
        let dump = sock.policy("ethtool", None).await.unwrap();
        assert_eq!(dump.messages, 260);
    });
}

#[test]
fn a_tokio_dump_lets_other_tasks_run_between_datagrams() {
    rt().block_on(async {
        let mut raw = NlSocket::new(protocol::GENERIC).unwrap();
        raw.set_read_buffer_len(4096);
        let mut sock = AsyncGenlSocket::from_socket(raw).unwrap();
        let ticks = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let t2 = ticks.clone();
        let ticker = tokio::spawn(async move {
            loop {
                t2.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        });
        tokio::task::yield_now().await;
        let mut at = Vec::new();
        sock.dump_with(&policy_dump(), |_: Ctrl| {
            at.push(ticks.load(std::sync::atomic::Ordering::Relaxed));
            Ok(())
        })
        .await
        .unwrap();
        ticker.abort();
        assert_eq!(at.len(), 260);
        let datagrams = sock.socket().get_ref().stats().datagrams;
        let first = at.first().copied().unwrap_or_default();
        let last = at.last().copied().unwrap_or_default();
        assert!(datagrams > 2, "{datagrams} datagrams");
        assert!(
            last > first,
            "the other task ran during the dump ({first} -> {last} over {datagrams} datagrams)"
        );
    });
}

#[test]
fn requests_with_a_declared_reply_go_without_ack_and_end_at_the_reply() {
    // GETFAMILY declares NewFamily: one datagram answers it.
    let mut sock = GenlSocket::new().unwrap();
    sock.family("nlctrl").unwrap();
    let before = sock.socket().stats().datagrams;
    let f = sock
        .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
        .unwrap();
    assert_eq!(f.into_family().id, Some(0x10));
    assert_eq!(sock.socket().stats().datagrams - before, 1, "no ACK read");
    // A failing one still gets the kernel's error (sent without NLM_F_ACK too).
    match sock.request(&Ctrl::GetFamily(Family::by_name("no-such-family"))) {
        Err(Error::Kernel(k)) => assert_eq!(k.errno, netlink_genl_core::Errno::NOENT),
        other => panic!("{other:?}"),
    }
    // `ack` asks for the ACK: reply and ACK, two messages.
    let before = sock.socket().stats().datagrams;
    sock.ack(&Ctrl::GetFamily(Family::by_name("nlctrl")))
        .unwrap();
    assert!(sock.socket().stats().datagrams - before >= 1);
    // Nothing stale is left behind.
    assert_eq!(sock.socket().stats().foreign_seq, 0);
    let _ = NLM_F_DUMP;
}
