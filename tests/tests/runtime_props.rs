//! The client core against arbitrary answers: whatever datagrams a peer sends back (random
//! bytes, or real replies with their bytes mutated, their sequence numbers kept or not, from the
//! kernel or another port, unicast or multicast), every call of the blocking and the tokio
//! socket returns (`Ok` or a typed error), never panics, never waits past its timeout, and the
//! socket answers a well-formed request afterwards.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{GenlRequest, GenlSocket};
use netlink_genl_core::consts::NLM_F_MULTI;
use netlink_genl_core::header::NlMsgHdr;
use netlink_genl_core::mem::{MemDatagram, MemTransport, Outbox, ack_for};
use proptest::prelude::*;
use zerocopy::FromBytes;

/// One datagram of the answer to generate.
#[derive(Debug, Clone)]
struct Plan {
    /// A real reply (NEWFAMILY) to mutate, or random bytes.
    real: bool,
    /// Byte positions and values to overwrite (a real reply's header included).
    flips: Vec<(usize, u8)>,
    /// Random bytes (when not `real`).
    junk: Vec<u8>,
    /// Sent by another port.
    foreign: bool,
    /// Sent to multicast group 7 (which the client joined).
    multicast: bool,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        any::<bool>(),
        prop::collection::vec((0usize..160, any::<u8>()), 0..6),
        prop::collection::vec(any::<u8>(), 0..96),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(real, flips, junk, foreign, multicast)| Plan {
            real,
            flips,
            junk,
            foreign,
            multicast,
        })
}

/// A peer that answers each request with the planned datagrams (then, for the final check,
/// behaves: a reply, or DONE for a dump).
fn peer(plans: Vec<Plan>) -> MemTransport {
    let peer = MemTransport::new();
    let script = Arc::new(Mutex::new(Some(plans)));
    peer.set_handler(move |req: &[u8], out: &mut Outbox| {
        let Ok((h, _)) = NlMsgHdr::read_from_prefix(req) else {
            return;
        };
        let reply = Ctrl::NewFamily(Family {
            id: Some(0x10),
            ..Family::by_name("nlctrl")
        });
        let real = GenlRequest::new(0x10, &reply)
            .to_bytes(NLM_F_MULTI, h.seq, h.pid)
            .unwrap_or_default();
        match script.lock().ok().and_then(|mut s| s.take()) {
            Some(plans) => {
                for p in plans {
                    let mut bytes = if p.real { real.clone() } else { p.junk };
                    for (at, b) in p.flips {
                        if let Some(x) = bytes.get_mut(at) {
                            *x = b;
                        }
                    }
                    out.datagram(MemDatagram {
                        sender: if p.foreign { 77 } else { 0 },
                        group: if p.multicast { 7 } else { 0 },
                        bytes,
                    });
                }
            }
            None => {
                // Well behaved from now on.
                out.unicast(real);
                let mut done = Vec::new();
                let _ = netlink_genl_core::message::build_message(
                    &mut done,
                    netlink_genl_core::consts::NLMSG_DONE,
                    NLM_F_MULTI,
                    h.seq,
                    h.pid,
                    4,
                    |w| w.put_bytes(&0i32.to_ne_bytes()),
                );
                out.unicast(done);
                out.unicast(ack_for(req, 0));
            }
        }
    });
    peer
}

fn get() -> Ctrl {
    Ctrl::GetFamily(Family::by_name("nlctrl"))
}

fn blocking(plans: Vec<Plan>, dump: bool) {
    let peer = peer(plans);
    let mut sock = GenlSocket::with_transport(&peer).unwrap();
    sock.socket_mut().add_membership(7).unwrap();
    sock.set_timeout(Some(Duration::from_millis(5)));
    sock.set_event_timeout(Some(Duration::from_millis(1)));
    if dump {
        if let Ok(d) = sock.dump(&Ctrl::GetFamily(Family::default())) {
            for _ in d.take(64) {}
        }
    } else {
        let _ = sock.request(&get());
    }
    for _ in 0..4 {
        let _ = sock.recv_view().map(|v| v.cmd());
    }
    // The peer behaves now: the socket must work.
    sock.set_timeout(Some(Duration::from_secs(2)));
    let r = sock.request(&get());
    assert!(r.is_ok(), "after the fuzzed answer: {r:?}");
}

fn tokio(plans: Vec<Plan>, dump: bool) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use futures_core::Stream;
        let peer = peer(plans);
        let mut sock = AsyncGenlSocket::with_transport(&peer).unwrap();
        sock.socket_mut().add_membership(7).unwrap();
        sock.set_timeout(Some(Duration::from_millis(5)));
        sock.set_event_timeout(Some(Duration::from_millis(1)));
        if dump {
            if let Ok(d) = sock.dump(&Ctrl::GetFamily(Family::default())).await {
                let mut d = std::pin::pin!(d);
                for _ in 0..64 {
                    if std::future::poll_fn(|cx| d.as_mut().poll_next(cx))
                        .await
                        .is_none()
                    {
                        break;
                    }
                }
            }
        } else {
            let _ = sock.request(&get()).await;
        }
        for _ in 0..4 {
            let _ = sock.recv_view().await.map(|v| v.cmd());
        }
        sock.set_timeout(Some(Duration::from_secs(2)));
        let r = sock.request(&get()).await;
        assert!(r.is_ok(), "after the fuzzed answer: {r:?}");
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_answer_leaves_both_sockets_working(
        plans in prop::collection::vec(plan(), 0..6),
        dump in any::<bool>(),
    ) {
        blocking(plans.clone(), dump);
        tokio(plans, dump);
    }
}
