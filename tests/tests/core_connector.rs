//! The connector protocol at the wire level: the captured proc-connector events decode to typed
//! events, and the subscription request is rebuilt byte for byte.

mod common;

use common::fixture;
use netlink_genl_core::DecodeErrorKind;
use netlink_genl_core::connector::{
    CN_IDX_PROC, CN_VAL_PROC, CnMessage, PROC_CN_MCAST_LISTEN, ProcEvent, ProcEventKind,
    build_proc_subscribe,
};
use netlink_genl_core::consts::NLMSG_DONE;
use netlink_genl_core::message::MessageIter;

fn event(name: &str) -> ProcEvent {
    let buf = fixture(name);
    let m = MessageIter::new(&buf).next().unwrap().unwrap();
    assert_eq!(
        m.header().ty,
        NLMSG_DONE,
        "connector data arrives as NLMSG_DONE"
    );
    let cn = CnMessage::parse(m.payload()).unwrap();
    assert_eq!(
        (cn.header.id.idx, cn.header.id.val),
        (CN_IDX_PROC, CN_VAL_PROC)
    );
    assert_eq!(cn.data.len(), 40);
    ProcEvent::parse(cn.data).unwrap()
}

#[test]
fn fork_exec_exit_events_decode() {
    let fork = event("proc-connector-fork-event.bin");
    let ProcEventKind::Fork {
        parent_pid,
        parent_tgid,
        child_pid,
        child_tgid,
    } = fork.kind
    else {
        panic!("{fork:?}")
    };
    assert!(parent_pid > 0 && child_pid > 0 && child_pid != parent_pid);
    assert_eq!(
        (parent_pid, child_pid),
        (parent_tgid, child_tgid),
        "single-threaded processes"
    );

    let exec = event("proc-connector-exec-event.bin");
    let ProcEventKind::Exec { pid, tgid } = exec.kind else {
        panic!("{exec:?}")
    };
    assert_eq!(
        (pid, tgid),
        (child_pid, child_tgid),
        "the forked child execs"
    );

    let exit = event("proc-connector-exit-event.bin");
    let ProcEventKind::Exit {
        pid,
        exit_signal,
        parent_pid: pp,
        ..
    } = exit.kind
    else {
        panic!("{exit:?}")
    };
    assert_eq!(pid, child_pid, "the same child exits");
    assert_eq!(exit_signal, 17, "SIGCHLD");
    assert_eq!(pp, parent_pid);
    assert!(fork.timestamp_ns < exec.timestamp_ns && exec.timestamp_ns < exit.timestamp_ns);
}

#[test]
fn listen_request_is_byte_exact() {
    let want = fixture("proc-connector-listen.req.bin");
    // The capture used seq 1 and the capturing process's pid as port id.
    let pid = u32::from_ne_bytes(want[12..16].try_into().unwrap());
    let mut buf = Vec::new();
    build_proc_subscribe(&mut buf, 1, pid, PROC_CN_MCAST_LISTEN).unwrap();
    assert_eq!(buf, want);
}

#[test]
fn short_connector_data_is_an_error() {
    let buf = fixture("proc-connector-exit-event.bin");
    let payload = &buf[16..];
    let e = CnMessage::parse(&payload[..30]).unwrap_err();
    assert_eq!(
        *e.kind(),
        DecodeErrorKind::Truncated {
            what: "connector data",
            needed: 40,
            had: 10
        }
    );
    let e = ProcEvent::parse(&payload[20..50]).unwrap_err();
    assert_eq!(
        *e.kind(),
        DecodeErrorKind::Truncated {
            what: "proc_event data",
            needed: 24,
            had: 14
        }
    );
    let e = CnMessage::parse(&payload[..12]).unwrap_err();
    assert_eq!(
        *e.kind(),
        DecodeErrorKind::Truncated {
            what: "cn_msg",
            needed: 20,
            had: 12
        }
    );
}
