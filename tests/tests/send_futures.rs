//! Every public future and stream of the tokio sockets is `Send` when its inputs are: each is
//! checked by `send`, and all of them run inside a task spawned on tokio's multi-thread
//! runtime (which requires the task's future, and so everything it awaits, to be `Send`).

use std::time::Duration;

use example_families::netdev::{Dev, Netdev};
use netlink_genl::ctrl::{Ctrl, CtrlRef, Family, FamilyRef};
use netlink_genl::tokio::AsyncGenlSocket;
use netlink_genl::{Error, GenlRequest};
use netlink_genl_core::consts::protocol;
use netlink_genl_core::request::RawRequest;
use netlink_genl_core::socket::NlSocket;
use netlink_genl_core::tokio::AsyncNlSocket;

/// Compile-time: `T` is `Send`.
fn send<T: Send>(t: T) -> T {
    t
}

async fn every_genl_future(sock: &mut AsyncGenlSocket) -> Result<(), Error> {
    let get = Ctrl::GetFamily(Family::by_name("nlctrl"));
    let all = Ctrl::GetFamily(Family::default());
    send(sock.family("nlctrl")).await?;
    send(sock.refresh_family("nlctrl")).await?;
    send(sock.family_id::<Ctrl>()).await?;
    send(sock.list_families()).await?;
    send(sock.policy("nlctrl", None)).await?;
    send(sock.prepare(&get)).await?;
    send(sock.request(&get)).await?;
    send(sock.request_all(&get)).await?;
    send(sock.ack(&get)).await?;
    let req = GenlRequest::new(0x10, &get);
    send(sock.request_view(&req, |_| Ok(()))).await?;
    send(sock.dump_with(&all, |_: Ctrl| Ok(()))).await?;
    send(
        sock.dump_borrowed::<CtrlRef, _, _>(&CtrlRef::GetFamily(FamilyRef::default()), |_| Ok(())),
    )
    .await?;
    send(sock.dump_view(&GenlRequest::new(0x10, &all), |_| Ok(()))).await?;
    {
        let stream = send(sock.dump(&all)).await?;
        let _ = send(stream);
    }
    send(sock.join_group("nlctrl", "notify")).await?;
    send(sock.join::<Ctrl>("notify")).await?;
    send(sock.resolve_group("nlctrl", "notify")).await?;
    send(sock.leave_group("nlctrl", "notify")).await?;
    sock.set_event_timeout(Some(Duration::from_millis(10)));
    assert!(matches!(
        send(sock.recv_view()).await,
        Err(Error::Timeout(_))
    ));
    assert!(matches!(
        send(sock.recv_event::<Ctrl>()).await,
        Err(Error::Timeout(_))
    ));
    {
        let events = send(sock.events::<Netdev>()).await;
        let _ = send(events);
    }
    let _ = Dev::default();
    Ok(())
}

async fn every_core_future(sock: &mut AsyncNlSocket) -> Result<(), Error> {
    let req = RawRequest::new(0x10, &[3, 1, 0, 0]);
    send(sock.dump(&req, 0, |_| Ok(()))).await?;
    let mut ex = send(sock.start_dump(&req, 0)).await?;
    while send(sock.next_reply(&mut ex)).await?.is_some() {}
    let mut ex = send(sock.send_request(&req, 0x300)).await?;
    send(sock.drain(&mut ex)).await;
    let get = RawRequest::new(
        0x10,
        &[
            3, 1, 0, 0, 11, 0, 2, 0, b'n', b'l', b'c', b't', b'r', b'l', 0, 0,
        ],
    );
    send(sock.request(&get, 0, |_| Ok(()))).await?;
    send(sock.request_with(&get, 0, |_| Ok(()))).await?;
    send(sock.ack(&get, 0)).await?;
    let _ = send(sock.start_request(&get, 0)).await?;
    sock.set_event_timeout(Some(Duration::from_millis(10)));
    assert!(matches!(
        send(sock.recv_notification()).await,
        Err(Error::Timeout(_))
    ));
    let _ = send(sock.notifications());
    Ok(())
}

#[test]
fn every_public_future_is_send_and_runs_on_the_multi_thread_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let genl = tokio::spawn(async {
            let mut sock = AsyncGenlSocket::new()?;
            every_genl_future(&mut sock).await
        });
        let core = tokio::spawn(async {
            let mut sock = AsyncNlSocket::new(NlSocket::new(protocol::GENERIC)?)?;
            every_core_future(&mut sock).await
        });
        genl.await.unwrap().unwrap();
        core.await.unwrap().unwrap();
    });
}
