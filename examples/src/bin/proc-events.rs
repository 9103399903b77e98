//! `proc-events`: print process events (fork, exec, exit, ...) as they happen, from the kernel's
//! proc connector. Run as root in the initial network namespace; stop with Ctrl-C.
//!
//! ```text
//! proc-events [COUNT]          stop after COUNT events
//! proc-events --json [COUNT]   one JSON object per event and line
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Parser;
use example_families::cli;
use netlink_genl_core::connector::{ProcEventKind, ProcEvents};
use serde::Serialize;
use serde_json::Value;

/// Print process events (fork, exec, exit, ...) as they happen, from the kernel's proc
/// connector. Needs root, in the initial network namespace.
#[derive(Debug, Parser)]
#[command(name = "proc-events", version)]
struct Cli {
    /// Stop after this many events (the subscription's acknowledgement counts as one).
    count: Option<usize>,
    /// Print one JSON object per event and line instead of text.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let args: Cli = cli::parse();
    cli::finish(run(args.count, args.json))
}

/// One event: the text line's data.
#[derive(Debug, Serialize)]
struct EventOut {
    timestamp_ns: u64,
    cpu: u32,
    event: &'static str,
    #[serde(flatten)]
    fields: BTreeMap<&'static str, Value>,
}

fn run(count: Option<usize>, json: bool) -> Result<(), netlink_genl_core::Error> {
    let mut events = ProcEvents::subscribe()?;
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match events.next_event() {
            Ok(ev) => ev,
            Err(netlink_genl_core::Error::Overrun) => {
                eprintln!("(events lost: receive buffer overrun)");
                continue;
            }
            Err(e) => return Err(e),
        };
        let (event, fields, line): (&str, Vec<(&str, Value)>, String) = match ev.kind {
            ProcEventKind::Ack { err } => (
                "subscribed",
                vec![("err", err.into())],
                format!("subscribed (err {err})"),
            ),
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
                (
                    what,
                    vec![
                        ("parent_pid", parent_pid.into()),
                        ("child_pid", child_pid.into()),
                    ],
                    format!("{what:<8} parent {parent_pid} -> child {child_pid}"),
                )
            }
            ProcEventKind::Exec { pid, .. } => {
                let cmd = cmdline(pid);
                let line = format!("exec     pid {pid} {cmd}");
                (
                    "exec",
                    vec![("pid", pid.into()), ("cmdline", cmd.into())],
                    line,
                )
            }
            ProcEventKind::Uid {
                pid, ruid, euid, ..
            } => (
                "uid",
                vec![
                    ("pid", pid.into()),
                    ("ruid", ruid.into()),
                    ("euid", euid.into()),
                ],
                format!("uid      pid {pid} ruid {ruid} euid {euid}"),
            ),
            ProcEventKind::Gid {
                pid, rgid, egid, ..
            } => (
                "gid",
                vec![
                    ("pid", pid.into()),
                    ("rgid", rgid.into()),
                    ("egid", egid.into()),
                ],
                format!("gid      pid {pid} rgid {rgid} egid {egid}"),
            ),
            ProcEventKind::Sid { pid, .. } => (
                "sid",
                vec![("pid", pid.into())],
                format!("sid      pid {pid}"),
            ),
            ProcEventKind::Ptrace {
                pid, tracer_pid, ..
            } => (
                "ptrace",
                vec![("pid", pid.into()), ("tracer_pid", tracer_pid.into())],
                format!("ptrace   pid {pid} tracer {tracer_pid}"),
            ),
            ProcEventKind::Comm { pid, .. } => {
                let comm = ev.kind.comm_str().unwrap_or("?");
                (
                    "comm",
                    vec![("pid", pid.into()), ("comm", comm.into())],
                    format!("comm     pid {pid} {comm:?}"),
                )
            }
            ProcEventKind::Coredump { pid, .. } => (
                "coredump",
                vec![("pid", pid.into())],
                format!("coredump pid {pid}"),
            ),
            ProcEventKind::Exit {
                pid,
                exit_code,
                exit_signal,
                ..
            } => {
                // The kernel's exit_signal is an int (-1: none) carried in a u32.
                let signal = exit_signal as i32;
                (
                    "exit",
                    vec![
                        ("pid", pid.into()),
                        ("exit_code", exit_code.into()),
                        ("exit_signal", signal.into()),
                    ],
                    format!("exit     pid {pid} code {exit_code} signal {signal}"),
                )
            }
            other => {
                let text = format!("{other:?}");
                ("other", vec![("debug", text.clone().into())], text)
            }
        };
        if json {
            cli::json(&EventOut {
                timestamp_ns: ev.timestamp_ns,
                cpu: ev.cpu,
                event,
                fields: fields.into_iter().collect(),
            });
        } else {
            let t = ev.timestamp_ns as f64 / 1e9;
            cli::out(&format!("{t:>14.6} cpu{:<3} {line}\n", ev.cpu));
        }
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
