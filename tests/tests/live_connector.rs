//! The proc connector against the kernel: spawn a child, see its fork, exec and exit.
//! (Runs in the initial network namespace, where the proc connector lives; changes nothing.)

use std::process::Command;
use std::time::{Duration, Instant};

use netlink_genl_core::connector::{ProcEventKind, ProcEvents};

#[test]
fn a_spawned_child_forks_execs_and_exits() {
    let mut events = ProcEvents::subscribe().expect("subscribe (needs root in the init netns)");
    events
        .socket()
        .set_event_timeout(Some(Duration::from_secs(2)));
    // The subscription is acknowledged first (possibly after other listeners' events).
    let me = std::process::id() as i32;
    let status = Command::new("/bin/true").status().unwrap();
    assert!(status.success());

    let (mut fork, mut exec, mut exit) = (None, None, None);
    let deadline = Instant::now() + Duration::from_secs(10);
    while exit.is_none() && Instant::now() < deadline {
        let ev = match events.next_event() {
            Ok(ev) => ev,
            Err(netlink_genl_core::Error::Overrun) => continue,
            Err(e) => panic!("{e}"),
        };
        match ev.kind {
            ProcEventKind::Fork {
                parent_tgid,
                child_pid,
                ..
            } if parent_tgid == me => {
                fork.get_or_insert(child_pid);
            }
            ProcEventKind::Exec { pid, .. } if Some(pid) == fork => exec = Some(pid),
            ProcEventKind::Exit {
                pid,
                exit_code,
                exit_signal,
                ..
            } if Some(pid) == fork => {
                exit = Some((exit_code, exit_signal));
            }
            _ => {}
        }
    }
    let child = fork.expect("fork event of our child");
    assert_eq!(exec, Some(child), "exec event of the child");
    assert_eq!(exit, Some((0, 17)), "exit code 0, SIGCHLD to the parent");
}
