//! `taskstats`: the kernel's per-task statistics (`struct taskstats`, decoded as a zerocopy
//! fixed payload) over the TASKSTATS generic netlink family, and cgroup task counts.
//!
//! ```text
//! taskstats PID            one task: comm, pid, ppid, uid, CPU times, delays, memory, I/O
//! taskstats --pid PID      the same
//! taskstats --tgid TGID    a whole thread group: CPU times, delays and context switches
//!                          summed over its threads (the kernel fills nothing else)
//! taskstats cgroup DIR     task counts of a cgroup v1 directory (e.g. /sys/fs/cgroup/cpu)
//! ```
//!
//! `--json` prints the same data as JSON. Needs root (CAP_NET_ADMIN) for task statistics.

use std::error::Error;
use std::os::fd::AsRawFd;
use std::process::ExitCode;

use clap::{ArgGroup, Parser, Subcommand};
use example_families::cli;
use example_families::taskstats::{self, TaskStats};
use netlink_genl::GenlSocket;
use serde::Serialize;

/// The kernel's per-task and per-thread-group statistics (the TASKSTATS generic netlink
/// family), and cgroup task counts. Needs CAP_NET_ADMIN.
#[derive(Debug, Parser)]
#[command(
    name = "taskstats",
    version,
    group(ArgGroup::new("target").required(true).args(["pid", "pid_flag", "tgid"])),
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    /// The task (thread) id.
    pid: Option<u32>,
    /// The task (thread) id.
    #[arg(long = "pid", value_name = "PID")]
    pid_flag: Option<u32>,
    /// A thread group (process): sums over its threads.
    #[arg(long)]
    tgid: Option<u32>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Task counts of a cgroup v1 directory (e.g. /sys/fs/cgroup/cpu).
    Cgroup {
        /// The cgroup directory.
        dir: String,
    },
}

fn main() -> ExitCode {
    let args: Cli = cli::parse();
    cli::finish(run(args))
}

fn run(args: Cli) -> Result<(), Box<dyn Error>> {
    let mut sock = GenlSocket::new()?;
    if let Some(Cmd::Cgroup { dir }) = &args.cmd {
        return cgroup(&mut sock, dir, args.json);
    }
    match (args.pid.or(args.pid_flag), args.tgid) {
        (Some(pid), _) => {
            let t = TaskReport::new(&taskstats::task(&mut sock, pid)?);
            print(&t, TaskReport::text, args.json);
        }
        (None, Some(tgid)) => {
            let a = taskstats::thread_group(&mut sock, tgid)?;
            let g = GroupReport::new(a.tgid.unwrap_or(tgid), &a.stats);
            print(&g, GroupReport::text, args.json);
        }
        (None, None) => return Err("a PID, --pid or --tgid is required".into()),
    }
    Ok(())
}

fn print<T: Serialize>(report: &T, text: fn(&T) -> String, json: bool) {
    if json {
        cli::json(report);
    } else {
        cli::out(&text(report));
    }
}

fn secs_us(us: u64) -> String {
    format!("{}.{:06}s", us / 1_000_000, us % 1_000_000)
}

/// CPU times (µs).
#[derive(Debug, Serialize)]
struct Cpu {
    user_us: u64,
    system_us: u64,
    elapsed_us: u64,
    /// Begin time (seconds since 1970); not filled for a thread group.
    #[serde(skip_serializing_if = "Option::is_none")]
    begin: Option<u64>,
}

/// Run times (ns).
#[derive(Debug, Serialize)]
struct Run {
    real_ns: u64,
    virtual_ns: u64,
}

/// One kind of delay.
#[derive(Debug, Serialize)]
struct Delay {
    count: u64,
    total_ns: u64,
}

/// The delays, in the text's order.
#[derive(Debug, Serialize)]
struct Delays {
    cpu: Delay,
    blkio: Delay,
    swapin: Delay,
    freepages: Delay,
    thrashing: Delay,
    compact: Delay,
    wpcopy: Delay,
    irq: Delay,
}

impl Delays {
    fn new(t: &TaskStats) -> Self {
        let d = |count, total_ns| Delay { count, total_ns };
        Delays {
            cpu: d(t.cpu_count, t.cpu_delay_total),
            blkio: d(t.blkio_count, t.blkio_delay_total),
            swapin: d(t.swapin_count, t.swapin_delay_total),
            freepages: d(t.freepages_count, t.freepages_delay_total),
            thrashing: d(t.thrashing_count, t.thrashing_delay_total),
            compact: d(t.compact_count, t.compact_delay_total),
            wpcopy: d(t.wpcopy_count, t.wpcopy_delay_total),
            irq: d(t.irq_count, t.irq_delay_total),
        }
    }

    fn text(&self) -> String {
        [
            ("cpu", &self.cpu),
            ("blkio", &self.blkio),
            ("swapin", &self.swapin),
            ("freepages", &self.freepages),
            ("thrashing", &self.thrashing),
            ("compact", &self.compact),
            ("wpcopy", &self.wpcopy),
            ("irq", &self.irq),
        ]
        .iter()
        .map(|(name, d)| format!("\tdelay {name}: {} times, {} ns\n", d.count, d.total_ns))
        .collect()
    }
}

#[derive(Debug, Serialize)]
struct Memory {
    hiwater_rss_kb: u64,
    hiwater_vm_kb: u64,
    minor_faults: u64,
    major_faults: u64,
}

#[derive(Debug, Serialize)]
struct Io {
    read_char: u64,
    read_syscalls: u64,
    write_char: u64,
    write_syscalls: u64,
    read_bytes: u64,
    write_bytes: u64,
}

#[derive(Debug, Serialize)]
struct ContextSwitches {
    voluntary: u64,
    involuntary: u64,
}

impl ContextSwitches {
    fn text(&self) -> String {
        format!(
            "\tcontext switches: voluntary {}, involuntary {}\n",
            self.voluntary, self.involuntary
        )
    }
}

impl Run {
    fn text(&self) -> String {
        format!(
            "\trun: real {} ns, virtual {} ns\n",
            self.real_ns, self.virtual_ns
        )
    }
}

/// `taskstats PID`: one task.
#[derive(Debug, Serialize)]
struct TaskReport {
    pid: u32,
    tgid: u32,
    comm: String,
    ppid: u32,
    uid: u32,
    gid: u32,
    version: u16,
    exit_code: u32,
    flags: u8,
    nice: u8,
    sched: u8,
    cpu: Cpu,
    run: Run,
    delays: Delays,
    memory: Memory,
    io: Io,
    context_switches: ContextSwitches,
}

impl TaskReport {
    fn new(t: &TaskStats) -> Self {
        TaskReport {
            pid: t.ac_pid,
            tgid: t.ac_tgid,
            comm: t.comm(),
            ppid: t.ac_ppid,
            uid: t.ac_uid,
            gid: t.ac_gid,
            version: t.version,
            exit_code: t.ac_exitcode,
            flags: t.ac_flag,
            nice: t.ac_nice,
            sched: t.ac_sched,
            cpu: Cpu {
                user_us: t.ac_utime,
                system_us: t.ac_stime,
                elapsed_us: t.ac_etime,
                begin: Some(t.ac_btime64),
            },
            run: Run {
                real_ns: t.cpu_run_real_total,
                virtual_ns: t.cpu_run_virtual_total,
            },
            delays: Delays::new(t),
            memory: Memory {
                hiwater_rss_kb: t.hiwater_rss,
                hiwater_vm_kb: t.hiwater_vm,
                minor_faults: t.ac_minflt,
                major_faults: t.ac_majflt,
            },
            io: Io {
                read_char: t.read_char,
                read_syscalls: t.read_syscalls,
                write_char: t.write_char,
                write_syscalls: t.write_syscalls,
                read_bytes: t.read_bytes,
                write_bytes: t.write_bytes,
            },
            context_switches: ContextSwitches {
                voluntary: t.nvcsw,
                involuntary: t.nivcsw,
            },
        }
    }

    fn text(&self) -> String {
        let mut s = format!(
            "pid {} tgid {} ({}) ppid {} uid {} gid {}\n",
            self.pid, self.tgid, self.comm, self.ppid, self.uid, self.gid
        );
        s.push_str(&format!(
            "\tversion {}, exit code {}, flags {:#x}, nice {}, sched {}\n",
            self.version, self.exit_code, self.flags, self.nice, self.sched
        ));
        s.push_str(&format!(
            "\tcpu: user {}, system {}, elapsed {}, begin {}\n",
            secs_us(self.cpu.user_us),
            secs_us(self.cpu.system_us),
            secs_us(self.cpu.elapsed_us),
            self.cpu.begin.unwrap_or(0)
        ));
        s.push_str(&self.run.text());
        s.push_str(&self.delays.text());
        let m = &self.memory;
        s.push_str(&format!(
            "\tmemory: hiwater rss {} KB, vm {} KB; faults minor {} major {}\n",
            m.hiwater_rss_kb, m.hiwater_vm_kb, m.minor_faults, m.major_faults
        ));
        let io = &self.io;
        s.push_str(&format!(
            "\tio: read {} B in {} calls, written {} B in {} calls; storage read {} B written {} B\n",
            io.read_char,
            io.read_syscalls,
            io.write_char,
            io.write_syscalls,
            io.read_bytes,
            io.write_bytes
        ));
        s.push_str(&self.context_switches.text());
        s
    }
}

/// `taskstats --tgid TGID`: what the kernel sums over a thread group (the group's id comes
/// from the reply's `AGGR_TGID` nest; the struct's ids, comm, memory and I/O stay zero in this
/// form, so they are not shown).
#[derive(Debug, Serialize)]
struct GroupReport {
    tgid: u32,
    version: u16,
    cpu: Cpu,
    run: Run,
    delays: Delays,
    context_switches: ContextSwitches,
}

impl GroupReport {
    fn new(tgid: u32, t: &TaskStats) -> Self {
        GroupReport {
            tgid,
            version: t.version,
            cpu: Cpu {
                user_us: t.ac_utime,
                system_us: t.ac_stime,
                elapsed_us: t.ac_etime,
                begin: None,
            },
            run: Run {
                real_ns: t.cpu_run_real_total,
                virtual_ns: t.cpu_run_virtual_total,
            },
            delays: Delays::new(t),
            context_switches: ContextSwitches {
                voluntary: t.nvcsw,
                involuntary: t.nivcsw,
            },
        }
    }

    fn text(&self) -> String {
        let mut s = format!(
            "tgid {}: sums over the thread group's threads\n\tversion {}\n",
            self.tgid, self.version
        );
        s.push_str(&format!(
            "\tcpu: user {}, system {}, elapsed {} (threads added up)\n",
            secs_us(self.cpu.user_us),
            secs_us(self.cpu.system_us),
            secs_us(self.cpu.elapsed_us)
        ));
        s.push_str(&self.run.text());
        s.push_str(&self.delays.text());
        s.push_str(&self.context_switches.text());
        s
    }
}

/// `taskstats cgroup DIR`.
#[derive(Debug, Serialize)]
struct CgroupReport<'a> {
    dir: &'a str,
    sleeping: u64,
    running: u64,
    stopped: u64,
    uninterruptible: u64,
    io_wait: u64,
}

fn cgroup(sock: &mut GenlSocket, dir: &str, json: bool) -> Result<(), Box<dyn Error>> {
    let f = std::fs::File::open(dir).map_err(|e| format!("{dir}: {e}"))?;
    let fd = u32::try_from(f.as_raw_fd()).map_err(|_| "negative fd")?;
    let s = taskstats::cgroup(sock, fd)?;
    let r = CgroupReport {
        dir,
        sleeping: s.nr_sleeping,
        running: s.nr_running,
        stopped: s.nr_stopped,
        uninterruptible: s.nr_uninterruptible,
        io_wait: s.nr_io_wait,
    };
    if json {
        cli::json(&r);
    } else {
        cli::out(&format!(
            "{dir}: sleeping {} running {} stopped {} uninterruptible {} io_wait {}\n",
            r.sleeping, r.running, r.stopped, r.uninterruptible, r.io_wait
        ));
    }
    Ok(())
}
