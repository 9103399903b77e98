//! The tokio sockets against the kernel: async requests, dumps as streams, error paths, events
//! as streams, and an abandoned dump followed by a new request.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use example_families::netdev::{Dev, Netdev};
use futures_core::Stream;
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{Error, GenlSocket};
use netlink_genl_core::consts::protocol;
use netlink_genl_core::request::RawRequest;
use netlink_genl_core::socket::NlSocket;
use netlink_genl_core::tokio::AsyncNlSocket;
use tests::{ifindex, in_private_netns, ip};

/// The next item of a stream (no futures-util needed).
async fn next<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *s).poll_next(cx)).await
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn names(families: impl IntoIterator<Item = Family>) -> Vec<String> {
    families.into_iter().map(|f| f.name.unwrap()).collect()
}

#[test]
fn async_dump_stream_equals_the_blocking_dump() {
    let blocking: Vec<String> = {
        let mut s = GenlSocket::new().unwrap();
        names(
            s.list_families()
                .unwrap()
                .into_iter()
                .map(|f| Family::by_name(&f.name)),
        )
    };
    let streamed = runtime().block_on(async {
        let mut sock = AsyncGenlSocket::new().unwrap();
        let mut out = Vec::new();
        let mut dump = sock
            .dump(&Ctrl::GetFamily(Family::default()))
            .await
            .unwrap();
        while let Some(m) = next(&mut dump).await {
            out.push(m.unwrap().into_family());
        }
        assert!(!dump.summary().interrupted);
        names(out)
    });
    assert!(streamed.len() >= 8, "{streamed:?}");
    assert_eq!(streamed, blocking);
}

#[test]
fn async_request_reply_and_kernel_errors() {
    runtime().block_on(async {
        let mut sock = AsyncGenlSocket::new().unwrap();
        let nlctrl = sock
            .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
            .await
            .unwrap();
        let f = nlctrl.into_family();
        assert_eq!((f.id, f.version), (Some(0x10), Some(2)));

        let e = sock
            .request(&Ctrl::GetFamily(Family::by_name("nosuchfam")))
            .await
            .unwrap_err();
        let Error::Kernel(k) = e else { panic!("{e}") };
        assert_eq!(k.errno, netlink_genl_core::Errno::NOENT);

        // GETPOLICY for op 99: ENOENT with the offset of the OP attribute, mapped back.
        let mut req = Family::by_name("nlctrl");
        req.op = Some(99);
        let e = sock
            .dump_with(&Ctrl::GetPolicy(req), |_: Ctrl| Ok(()))
            .await
            .unwrap_err();
        let Error::Kernel(k) = e else { panic!("{e}") };
        assert_eq!(k.errno, netlink_genl_core::Errno::NOENT);
        assert_eq!(k.attr_path.unwrap().to_string(), "GetPolicy.op");

        // The socket is still in step after the errors.
        let again = sock
            .request(&Ctrl::GetFamily(Family::by_name("nlctrl")))
            .await
            .unwrap();
        assert_eq!(again.into_family().id, Some(0x10));
    });
}

#[test]
fn abandoned_dump_does_not_disturb_the_next_request() {
    runtime().block_on(async {
        let mut sock = AsyncGenlSocket::new().unwrap();
        {
            let mut dump = sock
                .dump(&Ctrl::GetFamily(Family::default()))
                .await
                .unwrap();
            assert!(next(&mut dump).await.unwrap().is_ok());
        } // dropped after one message
        let mut n = 0;
        sock.dump_with(&Ctrl::GetFamily(Family::default()), |_: Ctrl| {
            n += 1;
            Ok(())
        })
        .await
        .unwrap();
        assert!(n >= 8);
    });
}

#[test]
fn raw_async_socket_dump_and_concurrent_requests() {
    runtime().block_on(async {
        let mut a = AsyncNlSocket::new(NlSocket::new(protocol::GENERIC).unwrap()).unwrap();
        let mut b = AsyncNlSocket::new(NlSocket::new(protocol::GENERIC).unwrap()).unwrap();
        let req = RawRequest::new(0x10, &[3, 1, 0, 0]);
        let (mut na, mut nb) = (0, 0);
        let (ra, rb) = tokio::join!(
            a.dump(&req, 0, |_| {
                na += 1;
                Ok(())
            }),
            b.dump(&req, 0, |_| {
                nb += 1;
                Ok(())
            })
        );
        assert_eq!(ra.unwrap().messages, na);
        assert_eq!(rb.unwrap().messages, nb);
        assert_eq!(na, nb);
        assert!(na >= 8);
    });
}

#[test]
fn netdev_events_arrive_as_a_stream() {
    in_private_netns(|| {
        runtime().block_on(async {
            let mut sock = AsyncGenlSocket::new().unwrap();
            sock.join::<Netdev>("mgmt").await.unwrap();
            ip("link add av0 type veth peer name av1");
            let want = [ifindex("av0"), ifindex("av1")];
            let mut events = sock.events::<Netdev>().await.unwrap();
            let mut added = Vec::new();
            while added.len() < 2 {
                let ev = tokio::time::timeout(Duration::from_secs(5), next(&mut events))
                    .await
                    .expect("no dev-add-ntf within 5 s")
                    .unwrap()
                    .unwrap();
                assert_eq!(ev.header.pid, 0);
                if let Netdev::DevAddNtf(Dev {
                    ifindex: Some(i), ..
                }) = ev.msg
                {
                    added.push(i);
                }
            }
            added.sort();
            let mut want = want.to_vec();
            want.sort();
            assert_eq!(added, want);
            ip("link del av0");
        })
    });
}

#[test]
fn raw_notifications_stream_on_rtnetlink() {
    in_private_netns(|| {
        runtime().block_on(async {
            let sock = NlSocket::with_groups(protocol::ROUTE, 1).unwrap(); // RTMGRP_LINK
            let mut sock = AsyncNlSocket::new(sock).unwrap();
            ip("link add rn0 type veth peer name rn1");
            let mut notes = sock.notifications();
            let n = tokio::time::timeout(Duration::from_secs(5), next(&mut notes))
                .await
                .expect("no RTM_NEWLINK within 5 s")
                .unwrap()
                .unwrap();
            assert_eq!(n.header.ty, 16, "RTM_NEWLINK");
            assert_eq!(n.message().unwrap().header().len as usize, n.bytes.len());
        })
    });
}
