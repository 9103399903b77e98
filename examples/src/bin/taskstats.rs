//! `taskstats`: the kernel's per-task statistics (`struct taskstats`, decoded as a zerocopy
//! fixed payload) over the TASKSTATS generic netlink family, and cgroup task counts.
//!
//! ```text
//! taskstats PID           one task: comm, pid, ppid, uid, CPU times, delays, memory, I/O
//! taskstats --tgid TGID   a whole thread group (the kernel leaves comm and pid empty)
//! taskstats cgroup DIR    task counts of a cgroup v1 directory (e.g. /sys/fs/cgroup/cpu)
//! ```
//!
//! Needs root (CAP_NET_ADMIN) for task statistics.

use std::os::fd::AsRawFd;
use std::process::ExitCode;

use example_families::taskstats::{self, TaskStats};
use netlink_genl::{Error, GenlSocket};

const USAGE: &str = "usage: taskstats PID
       taskstats --tgid TGID
       taskstats cgroup DIR";

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`... | head`), like the C tools, instead of panicking in
    // println!.
    // SAFETY: resetting SIGPIPE to its default action before any thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = match args.as_slice() {
        ["cgroup", dir] => cgroup(dir),
        ["--tgid", n] => match n.parse() {
            Ok(n) => GenlSocket::new()
                .and_then(|mut s| taskstats::thread_group(&mut s, n))
                .map(|t| print(&t)),
            Err(_) => return usage(),
        },
        ["-h"] | ["--help"] | ["help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [n] => match n.parse() {
            Ok(n) => GenlSocket::new()
                .and_then(|mut s| taskstats::task(&mut s, n))
                .map(|t| print(&t)),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("taskstats: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn secs_us(us: u64) -> String {
    format!("{}.{:06}s", us / 1_000_000, us % 1_000_000)
}

fn print(t: &TaskStats) {
    println!(
        "pid {} tgid {} ({}) ppid {} uid {} gid {}",
        t.ac_pid,
        t.ac_tgid,
        t.comm(),
        t.ac_ppid,
        t.ac_uid,
        t.ac_gid
    );
    println!(
        "\tversion {}, exit code {}, flags {:#x}, nice {}, sched {}",
        t.version, t.ac_exitcode, t.ac_flag, t.ac_nice, t.ac_sched
    );
    println!(
        "\tcpu: user {}, system {}, elapsed {}, begin {}",
        secs_us(t.ac_utime),
        secs_us(t.ac_stime),
        secs_us(t.ac_etime),
        t.ac_btime64
    );
    println!(
        "\trun: real {} ns, virtual {} ns",
        t.cpu_run_real_total, t.cpu_run_virtual_total
    );
    for (name, count, total) in [
        ("cpu", t.cpu_count, t.cpu_delay_total),
        ("blkio", t.blkio_count, t.blkio_delay_total),
        ("swapin", t.swapin_count, t.swapin_delay_total),
        ("freepages", t.freepages_count, t.freepages_delay_total),
        ("thrashing", t.thrashing_count, t.thrashing_delay_total),
        ("compact", t.compact_count, t.compact_delay_total),
        ("wpcopy", t.wpcopy_count, t.wpcopy_delay_total),
        ("irq", t.irq_count, t.irq_delay_total),
    ] {
        println!("\tdelay {name}: {count} times, {total} ns");
    }
    println!(
        "\tmemory: hiwater rss {} KB, vm {} KB; faults minor {} major {}",
        t.hiwater_rss, t.hiwater_vm, t.ac_minflt, t.ac_majflt
    );
    println!(
        "\tio: read {} B in {} calls, written {} B in {} calls; storage read {} B written {} B",
        t.read_char, t.read_syscalls, t.write_char, t.write_syscalls, t.read_bytes, t.write_bytes
    );
    println!(
        "\tcontext switches: voluntary {}, involuntary {}",
        t.nvcsw, t.nivcsw
    );
}

fn cgroup(dir: &str) -> Result<(), Error> {
    let f = std::fs::File::open(dir)?;
    let fd = u32::try_from(f.as_raw_fd()).map_err(|_| std::io::Error::other("negative fd"))?;
    let mut sock = GenlSocket::new()?;
    let s = taskstats::cgroup(&mut sock, fd)?;
    println!(
        "{dir}: sleeping {} running {} stopped {} uninterruptible {} io_wait {}",
        s.nr_sleeping, s.nr_running, s.nr_stopped, s.nr_uninterruptible, s.nr_io_wait
    );
    Ok(())
}
