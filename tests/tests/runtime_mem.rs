//! The runtime core against an in-memory peer (`netlink_genl_core::mem`), where faults are
//! deterministic: declared answers, an overrun that drops a reply, a reply that never comes
//! and one that comes late, datagrams too large or from a foreign sender, an abandoned dump, a
//! dump with an undecodable message. Each scenario runs through the blocking and the tokio
//! socket, and both must end the same way.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use netlink_genl::ctrl::Family;
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{GenlMessage, GenlRequest, GenlSocket};
use netlink_genl_core::consts::{NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLMSG_DONE, NLMSG_NOOP};
use netlink_genl_core::header::NlMsgHdr;
use netlink_genl_core::mem::{MemDatagram, MemTransport, Outbox, ack_for};
use netlink_genl_core::message::build_message;
use netlink_genl_core::{Error, Waited};
use zerocopy::FromBytes;

/// A family with each kind of declared answer. It calls itself `nlctrl` so that the sockets
/// use id 0x10 without asking the (absent) controller.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum Toy {
    #[genl(cmd = 1)]
    New(Family),
    #[genl(cmd = 3, request, reply = New)]
    Get(Family),
    #[genl(cmd = 9, request, ack)]
    Set(Family),
    #[genl(cmd = 10, request)]
    Apply(Family),
}

fn header(request: &[u8]) -> NlMsgHdr {
    NlMsgHdr::read_from_prefix(request).unwrap().0
}

fn family(name: &str) -> Family {
    Family {
        id: Some(0x10),
        ..Family::by_name(name)
    }
}

/// `msg` as a message answering `request` (same sequence number and port).
fn answer(request: &[u8], msg: &Toy, flags: u16) -> Vec<u8> {
    let h = header(request);
    GenlRequest::new(0x10, msg)
        .to_bytes(flags, h.seq, h.pid)
        .unwrap()
}

fn done(request: &[u8]) -> Vec<u8> {
    let h = header(request);
    let mut out = Vec::new();
    build_message(&mut out, NLMSG_DONE, NLM_F_MULTI, h.seq, h.pid, 4, |w| {
        w.put_bytes(&0i32.to_ne_bytes())
    })
    .unwrap();
    out
}

/// A peer like the kernel for `Toy`: GET answers its reply (and the ACK if asked), SET and
/// APPLY only the ACK, a dump three datagrams of two replies each, then DONE. Counts requests.
fn toy_kernel(peer: &MemTransport) -> Arc<AtomicUsize> {
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    peer.set_handler(move |req: &[u8], out: &mut Outbox| {
        count.fetch_add(1, Ordering::SeqCst);
        let h = header(req);
        let cmd = req.get(16).copied().unwrap_or(0);
        if h.flags & NLM_F_DUMP == NLM_F_DUMP {
            for i in 0..3 {
                let mut d = answer(req, &Toy::New(family(&format!("f{i}a"))), NLM_F_MULTI);
                d.extend(answer(
                    req,
                    &Toy::New(family(&format!("f{i}b"))),
                    NLM_F_MULTI,
                ));
                out.unicast(d);
            }
            out.unicast(done(req));
            return;
        }
        if cmd == 3 {
            out.unicast(answer(req, &Toy::New(family("toy")), 0));
        }
        if cmd != 3 || h.flags & NLM_F_ACK != 0 {
            out.unicast(ack_for(req, 0));
        }
    });
    seen
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn show<T: std::fmt::Debug>(r: &Result<T, Error>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(e) => format!("Err({e})"),
    }
}

// ---------------------------------------------------------------------------------------------
// Declared answers.

fn declared_answers_blocking() -> Vec<String> {
    let peer = MemTransport::new();
    let seen = toy_kernel(&peer);
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    let mut out = Vec::new();
    // The declared reply: sent without NLM_F_ACK (the peer then sends no ACK), one datagram.
    out.push(show(&sock.request(&Toy::Get(Family::by_name("toy")))));
    // ACK-only: refused before anything is sent; `ack` is the call.
    let before = seen.load(Ordering::SeqCst);
    out.push(show(&sock.request(&Toy::Set(Family::default()))));
    assert_eq!(seen.load(Ordering::SeqCst), before, "nothing was sent");
    out.push(show(&sock.ack(&Toy::Set(Family::default()))));
    // Undeclared and answered by the ACK alone: today's rule, an error that says it applied.
    out.push(show(&sock.request(&Toy::Apply(Family::default()))));
    out.push(show(&sock.request_all(&Toy::Apply(Family::default()))));
    assert_eq!(sock.socket().stats().foreign_seq, 0);
    out
}

async fn declared_answers_tokio() -> Vec<String> {
    let peer = MemTransport::new();
    let seen = toy_kernel(&peer);
    let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
    let mut out = Vec::new();
    out.push(show(&sock.request(&Toy::Get(Family::by_name("toy"))).await));
    let before = seen.load(Ordering::SeqCst);
    out.push(show(&sock.request(&Toy::Set(Family::default())).await));
    assert_eq!(seen.load(Ordering::SeqCst), before, "nothing was sent");
    out.push(show(&sock.ack(&Toy::Set(Family::default())).await));
    out.push(show(&sock.request(&Toy::Apply(Family::default())).await));
    out.push(show(
        &sock.request_all(&Toy::Apply(Family::default())).await,
    ));
    assert_eq!(sock.socket().get_ref().stats().foreign_seq, 0);
    out
}

#[test]
fn declared_answers_are_honoured_the_same_sync_and_async() {
    let sync = declared_answers_blocking();
    let r#async = rt().block_on(declared_answers_tokio());
    assert_eq!(sync, r#async);
    assert!(sync[0].starts_with("Ok(New(Family"), "{}", sync[0]);
    assert!(sync[1].contains("send it with ack()"), "{}", sync[1]);
    assert!(sync[1].contains("nothing was sent"), "{}", sync[1]);
    assert_eq!(sync[2], "Ok(())");
    assert!(
        sync[3].contains("Apply was acknowledged without a reply"),
        "{}",
        sync[3]
    );
    assert!(sync[3].contains("the kernel applied it"), "{}", sync[3]);
    assert_eq!(sync[4], "Ok([])");
}

// ---------------------------------------------------------------------------------------------
// Declared operations: a dump of a do-only command, a do of a dump-only one, refused unsent.

/// `Toy` with its operations declared: GET is a do, APPLY a dump.
#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum Ops {
    #[genl(cmd = 1)]
    New(Family),
    #[genl(cmd = 3, request, reply = New, do(request(name), reply(id, name)))]
    Get(Family),
    #[genl(cmd = 10, request, dump)]
    Apply(Family),
}

fn declared_ops_blocking() -> Vec<String> {
    let peer = MemTransport::new();
    let seen = toy_kernel(&peer);
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    let mut out = Vec::new();
    let before = seen.load(Ordering::SeqCst);
    out.push(show(
        &sock.dump(&Ops::Get(Family::default())).map(|d| d.count()),
    ));
    out.push(show(
        &sock.dump_with(&Ops::Get(Family::default()), |_: Ops| Ok(())),
    ));
    out.push(show(&sock.request(&Ops::Apply(Family::default()))));
    out.push(show(&sock.ack(&Ops::Apply(Family::default()))));
    assert_eq!(seen.load(Ordering::SeqCst), before, "nothing was sent");
    out.push(show(
        &sock.request(&Ops::Get(Family::by_name("toy"))).map(drop),
    ));
    out.push(show(
        &sock.dump(&Ops::Apply(Family::default())).map(|d| d.count()),
    ));
    out
}

/// The number of items of a dump stream.
async fn count<S: futures_core::Stream>(s: S) -> usize {
    let mut s = std::pin::pin!(s);
    let mut n = 0;
    while std::future::poll_fn(|cx| s.as_mut().poll_next(cx))
        .await
        .is_some()
    {
        n += 1;
    }
    n
}

async fn declared_ops_tokio() -> Vec<String> {
    let peer = MemTransport::new();
    let seen = toy_kernel(&peer);
    let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
    let mut out = Vec::new();
    let before = seen.load(Ordering::SeqCst);
    let r = match sock.dump(&Ops::Get(Family::default())).await {
        Ok(d) => Ok(count(d).await),
        Err(e) => Err(e),
    };
    out.push(show(&r));
    let r = sock
        .dump_with(&Ops::Get(Family::default()), |_: Ops| Ok(()))
        .await;
    out.push(show(&r));
    out.push(show(&sock.request(&Ops::Apply(Family::default())).await));
    out.push(show(&sock.ack(&Ops::Apply(Family::default())).await));
    assert_eq!(seen.load(Ordering::SeqCst), before, "nothing was sent");
    let r = sock.request(&Ops::Get(Family::by_name("toy"))).await;
    out.push(show(&r.map(drop)));
    let r = match sock.dump(&Ops::Apply(Family::default())).await {
        Ok(d) => Ok(count(d).await),
        Err(e) => Err(e),
    };
    out.push(show(&r));
    out
}

#[test]
fn declared_operations_are_enforced_the_same_sync_and_async() {
    let sync = declared_ops_blocking();
    let r#async = rt().block_on(declared_ops_tokio());
    assert_eq!(sync, r#async);
    for refused in &sync[..2] {
        assert!(
            refused.contains("Get is declared #[genl(do)] only")
                && refused.contains("send it with request()")
                && refused.contains("nothing was sent"),
            "{refused}"
        );
    }
    for refused in &sync[2..4] {
        assert!(
            refused.contains("Apply is declared #[genl(dump)] only")
                && refused.contains("send it with dump()"),
            "{refused}"
        );
    }
    assert_eq!(sync[4], "Ok(())");
    assert_eq!(sync[5], "Ok(6)");
}

// ---------------------------------------------------------------------------------------------
// Overrun: the peer's queue is full, the reply is dropped, the client recovers at once.

const GROUP: u32 = 7;

fn flood(peer: &MemTransport) {
    peer.set_recv_buffer_size(10);
    let note = Toy::New(family("note"));
    let bytes = GenlRequest::new(0x10, &note).to_bytes(0, 0, 0).unwrap();
    assert!(peer.multicast(GROUP, bytes.clone()), "the first fits");
    assert!(!peer.multicast(GROUP, bytes.clone()), "the queue is full");
    assert!(peer.is_congested());
}

fn overrun_blocking() -> Vec<String> {
    let peer = MemTransport::new();
    toy_kernel(&peer);
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    sock.socket_mut().add_membership(GROUP).unwrap();
    flood(&peer);
    let get = Toy::Get(Family::by_name("toy"));
    let t = Instant::now();
    let mut out = vec![show(&sock.request(&get))];
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "prompt: {:?}",
        t.elapsed()
    );
    out.push(show(&sock.request(&get)));
    out.push(show(&sock.recv_view().map(|_| ())));
    out.push(show(&sock.recv_event::<Toy>().map(|e| e.msg)));
    let s = sock.socket().stats();
    out.push(format!("overruns {} queued {}", s.overruns, s.queued));
    out
}

async fn overrun_tokio() -> Vec<String> {
    let peer = MemTransport::new();
    toy_kernel(&peer);
    let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
    sock.socket_mut().add_membership(GROUP).unwrap();
    flood(&peer);
    let get = Toy::Get(Family::by_name("toy"));
    let t = Instant::now();
    let mut out = vec![show(&sock.request(&get).await)];
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "prompt: {:?}",
        t.elapsed()
    );
    out.push(show(&sock.request(&get).await));
    out.push(show(&sock.recv_view().await.map(|_| ())));
    out.push(show(&sock.recv_event::<Toy>().await.map(|e| e.msg)));
    let s = sock.socket().get_ref().stats();
    out.push(format!("overruns {} queued {}", s.overruns, s.queued));
    out
}

#[test]
fn an_overrun_that_drops_a_reply_fails_the_request_at_once_sync_and_async() {
    let sync = overrun_blocking();
    let r#async = rt().block_on(overrun_tokio());
    assert_eq!(sync, r#async);
    assert!(sync[0].contains("was dropped by the kernel"), "{}", sync[0]);
    assert!(sync[0].contains("may have been applied"), "{}", sync[0]);
    assert!(sync[1].starts_with("Ok(New("), "recovered: {}", sync[1]);
    assert!(
        sync[2].contains("overrun"),
        "the event reader is told: {}",
        sync[2]
    );
    assert!(
        sync[3].contains("note"),
        "the notification that fitted: {}",
        sync[3]
    );
    assert_eq!(sync[4], "overruns 1 queued 1");
}

// ---------------------------------------------------------------------------------------------
// A reply that never comes, then comes late.

fn late_reply_blocking() -> Vec<String> {
    let peer = MemTransport::new();
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    sock.set_timeout(Some(Duration::from_millis(50)));
    let get = Toy::Get(Family::by_name("toy"));
    let mut out = vec![show(&sock.request(&get))];
    let req = peer.recv_request(Duration::ZERO).unwrap();
    peer.unicast(answer(&req, &Toy::New(family("late")), 0));
    toy_kernel(&peer);
    out.push(show(&sock.request(&get)));
    out.push(format!("stale {}", sock.socket().stats().foreign_seq));
    out
}

async fn late_reply_tokio() -> Vec<String> {
    let peer = MemTransport::new();
    let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
    sock.set_timeout(Some(Duration::from_millis(50)));
    let get = Toy::Get(Family::by_name("toy"));
    let mut out = vec![show(&sock.request(&get).await)];
    let req = peer.recv_request(Duration::ZERO).unwrap();
    peer.unicast(answer(&req, &Toy::New(family("late")), 0));
    toy_kernel(&peer);
    out.push(show(&sock.request(&get).await));
    out.push(format!(
        "stale {}",
        sock.socket().get_ref().stats().foreign_seq
    ));
    out
}

#[test]
fn a_reply_that_never_comes_times_out_and_a_late_one_is_dropped_sync_and_async() {
    let sync = late_reply_blocking();
    let r#async = rt().block_on(late_reply_tokio());
    assert_eq!(sync, r#async);
    assert!(
        sync[0].contains("timed out after 50ms waiting for the answer to request 1"),
        "{}",
        sync[0]
    );
    assert!(sync[1].contains("\"toy\""), "{}", sync[1]);
    assert_eq!(sync[2], "stale 1");
}

#[test]
fn the_timeout_error_says_what_was_waited_for() {
    let peer = MemTransport::new();
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    sock.set_timeout(Some(Duration::from_millis(20)));
    match sock.request(&Toy::Get(Family::default())) {
        Err(Error::Timeout(t)) => {
            assert_eq!((t.waited, t.seq, t.messages), (Waited::Reply, 1, 0));
        }
        other => panic!("{other:?}"),
    }
    sock.set_event_timeout(Some(Duration::from_millis(20)));
    match sock.recv_view() {
        Err(Error::Timeout(t)) => assert_eq!(t.waited, Waited::Notification),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Buffers: only the kernel's datagrams make the read buffer grow, within its bound.

fn big_reply(req: &[u8], total: usize) -> Vec<u8> {
    let mut d = answer(req, &Toy::New(family("big")), 0);
    let h = header(req);
    while d.len() < total {
        let pad = (total - d.len()).clamp(16, 60_000) - 16;
        build_message(&mut d, NLMSG_NOOP, 0, h.seq, h.pid, pad, |w| {
            w.put_bytes(&vec![0; pad])
        })
        .unwrap();
    }
    d
}

#[test]
fn the_read_buffer_grows_only_for_the_kernel_and_within_its_bound() {
    for peek in [false, true] {
        let peer = MemTransport::new();
        toy_kernel(&peer);
        let mut sock = GenlSocket::with_transport(&peer).unwrap();
        sock.socket_mut().set_peek_sizing(peek);
        let start = sock.socket().read_buffer_len();
        // A forged 1 MiB datagram from another port: dropped, and the buffer stays as it was.
        // It also fills the receive queue (as on the kernel's socket), so the reply to the
        // first request is dropped: that request fails at once, the next succeeds.
        peer.deliver(MemDatagram {
            sender: 4242,
            group: 0,
            bytes: vec![0; 1 << 20],
        });
        let get = Toy::Get(Family::by_name("toy"));
        assert!(matches!(sock.request(&get), Err(Error::AnswerLost(_))));
        assert!(sock.request(&get).is_ok());
        assert_eq!(sock.socket().stats().foreign_sender, 1);
        assert_eq!(sock.socket().read_buffer_len(), start, "peek {peek}");
    }

    // Without peek sizing a kernel datagram over the buffer is lost, said so, and the buffer
    // grows so the next fits; over the bound it is lost and the buffer stays.
    let peer = MemTransport::new();
    peer.set_recv_buffer_size(4 << 20);
    peer.set_handler(|req: &[u8], out: &mut Outbox| out.unicast(big_reply(req, 200_000)));
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    let get = Toy::Get(Family::by_name("toy"));
    match sock.request(&get) {
        Err(Error::Decode(e)) => assert!(e.to_string().contains("it was lost"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(sock.socket().stats().truncated, 1);
    assert_eq!(sock.socket().read_buffer_len(), 256 * 1024);
    assert!(sock.request(&get).is_ok(), "the next one fits");
    assert_eq!(
        sock.socket().stats().foreign_seq,
        0,
        "the lost reply ended its exchange"
    );
    sock.socket_mut().set_read_buffer_len(64 * 1024);
    sock.socket_mut().set_max_read_buffer(150_000);
    match sock.request(&get) {
        Err(Error::Decode(e)) => assert!(e.to_string().contains("bound"), "{e}"),
        other => panic!("{other:?}"),
    }
    let s = sock.socket().stats();
    assert_eq!((s.truncated, s.oversized), (2, 1));
    assert!(sock.socket().read_buffer_len() <= 150_000);
    // With peek sizing the same datagram is read whole (up to the bound).
    sock.socket_mut().set_max_read_buffer(1 << 20);
    sock.socket_mut().set_peek_sizing(true);
    assert!(sock.request(&get).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Dumps: an abandoned one is drained before the next request; a bad message is one error.

#[test]
fn an_abandoned_dump_is_drained_before_the_next_request_sync_and_async() {
    let peer = MemTransport::new();
    toy_kernel(&peer);
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    {
        let mut dump = sock.dump(&Toy::Get(Family::default())).unwrap();
        assert!(dump.next().unwrap().is_ok());
        // Dropped here: the blocking iterator drains at once.
    }
    let raw = sock.socket_mut();
    let msg = Toy::Get(Family::default());
    let req = GenlRequest::new(0x10, &msg);
    let mut ex = raw.start_dump(&req, 0).unwrap();
    assert!(raw.next_reply(&mut ex).unwrap().is_some());
    // The raw exchange is abandoned: the next request reads its rest first.
    assert!(sock.request(&Toy::Get(Family::by_name("toy"))).is_ok());
    assert_eq!(sock.socket().stats().foreign_seq, 0, "drained, not dropped");

    rt().block_on(async {
        use futures_core::Stream;
        let peer = MemTransport::new();
        toy_kernel(&peer);
        let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
        {
            let mut dump = std::pin::pin!(sock.dump(&Toy::Get(Family::default())).await.unwrap());
            let first = std::future::poll_fn(|cx| dump.as_mut().poll_next(cx)).await;
            assert!(matches!(first, Some(Ok(_))));
        }
        assert!(
            sock.request(&Toy::Get(Family::by_name("toy")))
                .await
                .is_ok()
        );
        assert_eq!(sock.socket().get_ref().stats().foreign_seq, 0);
    });
}

/// A dump whose second message does not decode (a `u16` id of 3 bytes).
fn bad_dump_kernel(peer: &MemTransport) {
    peer.set_handler(|req: &[u8], out: &mut Outbox| {
        let h = header(req);
        let mut d = answer(req, &Toy::New(family("one")), NLM_F_MULTI);
        build_message(&mut d, 0x10, NLM_F_MULTI, h.seq, h.pid, 4 + 8, |w| {
            w.put_bytes(&[1, 2, 0, 0])?;
            w.put_bytes(&[7, 0, 1, 0, 1, 2, 3, 0])
        })
        .unwrap();
        d.extend(answer(req, &Toy::New(family("three")), NLM_F_MULTI));
        out.unicast(d);
        out.unicast(done(req));
    });
}

#[test]
fn a_dump_goes_on_after_a_message_that_does_not_decode_sync_and_async() {
    let peer = MemTransport::new();
    bad_dump_kernel(&peer);
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    let items: Vec<String> = sock
        .dump(&Toy::Get(Family::default()))
        .unwrap()
        .map(|r| show(&r))
        .collect();
    let r#async: Vec<String> = rt().block_on(async {
        use futures_core::Stream;
        let peer = MemTransport::new();
        bad_dump_kernel(&peer);
        let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
        let mut dump = std::pin::pin!(sock.dump(&Toy::Get(Family::default())).await.unwrap());
        let mut out = Vec::new();
        while let Some(r) = std::future::poll_fn(|cx| dump.as_mut().poll_next(cx)).await {
            out.push(show(&r));
        }
        out
    });
    assert_eq!(items, r#async);
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].contains("\"one\""));
    assert!(
        items[1].starts_with("Err(") && items[1].contains("New.id"),
        "{}",
        items[1]
    );
    assert!(items[2].contains("\"three\""));
}

#[test]
fn a_wait_abandoned_by_a_dropped_future_does_not_count_against_the_next() {
    rt().block_on(async {
        let peer = MemTransport::new();
        let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
        sock.socket_mut().add_membership(GROUP).unwrap();
        sock.set_event_timeout(Some(Duration::from_millis(300)));
        // Start waiting for an event and give up on it after 100 ms; let the event timeout pass.
        let r = tokio::time::timeout(Duration::from_millis(100), sock.recv_view()).await;
        assert!(r.is_err(), "nothing came");
        tokio::time::sleep(Duration::from_millis(300)).await;
        // A new wait has its full 300 ms: an event delivered 100 ms in arrives.
        let note = GenlRequest::new(0x10, &Toy::New(family("note")))
            .to_bytes(0, 0, 0)
            .unwrap();
        let p2 = peer.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            p2.multicast(GROUP, note)
        });
        let ev = sock.recv_event::<Toy>().await.unwrap();
        assert_eq!(ev.group, GROUP);
        assert!(t.join().unwrap());
    });
}

#[test]
fn a_malformed_datagram_fails_only_the_exchange_it_belongs_to_sync_and_async() {
    // Before the reply: a datagram too short for a header, and a message of another sequence
    // number whose length runs past its datagram. Neither is this request's: counted, skipped.
    fn junk_then_reply(req: &[u8], out: &mut Outbox) {
        out.unicast(vec![1, 2, 3, 4, 5, 6]);
        let mut stale = answer(req, &Toy::New(family("stale")), 0);
        stale[8] ^= 0xff; // another sequence number
        stale[0] = 0xff; // a length past the datagram
        out.unicast(stale);
        out.unicast(answer(req, &Toy::New(family("toy")), 0));
    }
    // The request's own reply cut short: its error.
    fn own_reply_broken(req: &[u8], out: &mut Outbox) {
        let mut own = answer(req, &Toy::New(family("toy")), 0);
        own[0] = 0xff;
        out.unicast(own);
    }
    let get = Toy::Get(Family::by_name("toy"));
    let sync: Vec<String> = [junk_then_reply as fn(&[u8], &mut Outbox), own_reply_broken]
        .into_iter()
        .map(|h| {
            let peer = MemTransport::new();
            peer.set_handler(h);
            let mut sock = GenlSocket::with_transport(&peer).unwrap();
            let r = show(&sock.request(&get));
            format!("{r} malformed {}", sock.socket().stats().malformed)
        })
        .collect();
    let r#async: Vec<String> = rt().block_on(async {
        let mut out = Vec::new();
        for h in [junk_then_reply as fn(&[u8], &mut Outbox), own_reply_broken] {
            let peer = MemTransport::new();
            peer.set_handler(h);
            let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
            let r = show(&sock.request(&get).await);
            out.push(format!(
                "{r} malformed {}",
                sock.socket().get_ref().stats().malformed
            ));
        }
        out
    });
    assert_eq!(sync, r#async);
    assert!(
        sync[0].starts_with("Ok(New(") && sync[0].ends_with("malformed 2"),
        "{}",
        sync[0]
    );
    assert!(
        sync[1].starts_with("Err(") && sync[1].contains("runs past"),
        "{}",
        sync[1]
    );
    assert!(sync[1].ends_with("malformed 0"), "{}", sync[1]);
}
