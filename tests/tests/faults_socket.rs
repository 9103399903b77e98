//! Socket faults against the real kernel: a flooded multicast socket reports `ENOBUFS` as a
//! recoverable overrun, and a signal during a blocking receive does not surface as an error.
//!
//! State changes (veth devices) happen in a private network namespace that the test's own thread
//! creates; the namespace disappears with the thread and its sockets.

use std::time::{Duration, Instant};

use netlink_genl_core::Error;
use netlink_genl_core::consts::protocol;
use netlink_genl_core::socket::NlSocket;
use tests::{in_private_netns, ip};

/// `RTMGRP_LINK`: rtnetlink's legacy group bit for link notifications.
const RTMGRP_LINK: u32 = 1;
/// `RTM_NEWLINK`.
const RTM_NEWLINK: u16 = 16;

#[test]
fn enobufs_on_a_flooded_multicast_socket_is_a_recoverable_overrun() {
    in_private_netns(|| {
        let mut sock = NlSocket::with_groups(protocol::ROUTE, RTMGRP_LINK).unwrap();
        // The smallest buffer the kernel allows; nothing is read while the flood happens.
        sock.set_recv_buffer_size(1).unwrap();
        for i in 0..16 {
            ip(&format!("link add fl{i}a type veth peer name fl{i}b"));
        }
        // Drain: somewhere before the queue empties the kernel's ENOBUFS must show.
        let mut overrun = false;
        let mut received = 0;
        sock.set_event_timeout(Some(Duration::from_millis(200)));
        for _ in 0..1000 {
            match sock.recv_notification() {
                Ok(n) => {
                    assert_eq!(n.message.header().ty, RTM_NEWLINK);
                    received += 1;
                }
                Err(Error::Overrun) => overrun = true,
                Err(Error::Timeout(_)) => break,
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
        assert!(
            overrun,
            "no overrun reported after {received} notifications"
        );
        assert!(sock.stats().overruns >= 1);
        assert!(
            received < 64,
            "16 veth pairs make 32+ notifications; some must have been lost"
        );

        // The socket keeps working: a new device's notification arrives whole.
        sock.set_recv_buffer_size(1 << 20).unwrap();
        ip("link add after0 type veth peer name after1");
        let n = sock
            .recv_notification()
            .expect("notification after the overrun");
        assert_eq!(n.message.header().ty, RTM_NEWLINK);
        assert_eq!(n.message.header().pid, 0);
    });
}

static SIGNALS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

extern "C" fn on_signal(_: libc::c_int) {
    SIGNALS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn a_signal_during_a_blocking_receive_is_retried() {
    // A handler without SA_RESTART: the blocked recvfrom fails with EINTR when it runs.
    // SAFETY: `sa` is fully initialised (zeroed, then handler and an empty mask); the handler
    // only touches an atomic.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        assert_eq!(libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut()), 0);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let mut sock = NlSocket::with_groups(protocol::GENERIC, 0).unwrap();
        sock.set_event_timeout(Some(Duration::from_millis(1500)));
        // SAFETY: pthread_self has no preconditions.
        tx.send(unsafe { libc::pthread_self() }).unwrap();
        let start = Instant::now();
        let r = sock.recv_notification().map(|_| ());
        (r, start.elapsed())
    });
    let thread = rx.recv().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: the worker thread is alive: it is blocked in recv for at least 1.2 more seconds.
    assert_eq!(unsafe { libc::pthread_kill(thread, libc::SIGUSR1) }, 0);
    let (r, elapsed) = worker.join().unwrap();
    assert_eq!(
        SIGNALS.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the signal was delivered"
    );
    match r {
        Err(Error::Timeout(t)) => assert_eq!(t.waited, netlink_genl_core::Waited::Notification),
        other => panic!("expected the read timeout, got {other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(1400),
        "returned early, after {elapsed:?}"
    );
}
