//! `proc-events`: print process events (fork, exec, exit, ...) as they happen, from the kernel's
//! proc connector. Run as root in the initial network namespace; stop with Ctrl-C.
//!
//! ```text
//! cargo run -p examples --bin proc-events [-- COUNT]
//! ```

use netlink_core::connector::{ProcEventKind, ProcEvents};

fn main() {
    let count: Option<usize> = std::env::args().nth(1).and_then(|a| a.parse().ok());
    if let Err(e) = run(count) {
        eprintln!("proc-events: {e}");
        std::process::exit(1);
    }
}

fn run(count: Option<usize>) -> Result<(), netlink_core::Error> {
    let mut events = ProcEvents::subscribe()?;
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match events.next_event() {
            Ok(ev) => ev,
            Err(netlink_core::Error::Overrun) => {
                eprintln!("(events lost: receive buffer overrun)");
                continue;
            }
            Err(e) => return Err(e),
        };
        let t = ev.timestamp_ns as f64 / 1e9;
        let line = match ev.kind {
            ProcEventKind::Ack { err } => format!("subscribed (err {err})"),
            ProcEventKind::Fork {
                parent_pid,
                child_pid,
                child_tgid,
                ..
            } => {
                let what = if child_pid == child_tgid {
                    "fork"
                } else {
                    "clone"
                };
                format!("{what:<8} parent {parent_pid} -> child {child_pid}")
            }
            ProcEventKind::Exec { pid, .. } => format!("exec     pid {pid} {}", cmdline(pid)),
            ProcEventKind::Uid {
                pid, ruid, euid, ..
            } => format!("uid      pid {pid} ruid {ruid} euid {euid}"),
            ProcEventKind::Gid {
                pid, rgid, egid, ..
            } => format!("gid      pid {pid} rgid {rgid} egid {egid}"),
            ProcEventKind::Sid { pid, .. } => format!("sid      pid {pid}"),
            ProcEventKind::Ptrace {
                pid, tracer_pid, ..
            } => format!("ptrace   pid {pid} tracer {tracer_pid}"),
            ProcEventKind::Comm { pid, .. } => {
                format!("comm     pid {pid} {:?}", ev.kind.comm_str().unwrap_or("?"))
            }
            ProcEventKind::Coredump { pid, .. } => format!("coredump pid {pid}"),
            ProcEventKind::Exit {
                pid,
                exit_code,
                exit_signal,
                ..
            } => {
                format!(
                    "exit     pid {pid} code {exit_code} signal {}",
                    exit_signal as i32
                )
            }
            other => format!("{other:?}"),
        };
        println!("{t:>14.6} cpu{:<3} {line}", ev.cpu);
        seen += 1;
    }
    Ok(())
}

/// The command line of a running process, best effort.
fn cmdline(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            b.split(|&c| c == 0)
                .filter(|s| !s.is_empty())
                .map(String::from_utf8_lossy)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}
