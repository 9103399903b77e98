//! The `TASKSTATS` generic netlink family: per-task and per-thread-group statistics, the
//! kernel's `struct taskstats` carried as a zerocopy fixed payload, and cgroup statistics.
//!
//! Ids from `<linux/taskstats.h>` and `<linux/cgroupstats.h>`; the struct layout is that of
//! `TASKSTATS_VERSION` 16 (560 bytes), the version of this machine's kernel. The installed
//! header is older (version 13); fields were only ever added at the end, and the `fixed`
//! decoder accepts longer payloads, so newer kernels decode too.
//!
//! ```no_run
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! let stats = example_families::taskstats::task(&mut sock, std::process::id())?;
//! println!("{} pid {} ppid {} uid {}", stats.comm(), stats.ac_pid, stats.ac_ppid, stats.ac_uid);
//! # Ok::<(), netlink_genl::Error>(())
//! ```
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

use netlink_genl::{DecodeError, Error, GenlMessage, GenlSocket, NlAttrs};
use zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout};

/// The family name (`TASKSTATS_GENL_NAME`).
pub const FAMILY: &str = "TASKSTATS";
/// `TS_COMM_LEN`.
pub const TS_COMM_LEN: usize = 32;

/// Command numbers.
pub mod cmd {
    /// `TASKSTATS_CMD_GET`: request.
    pub const GET: u8 = 1;
    /// `TASKSTATS_CMD_NEW`: reply, and per-exit statistics.
    pub const NEW: u8 = 2;
    /// `CGROUPSTATS_CMD_GET`: request.
    pub const CGROUPSTATS_GET: u8 = 4;
    /// `CGROUPSTATS_CMD_NEW`: reply.
    pub const CGROUPSTATS_NEW: u8 = 5;
}

/// `struct taskstats`, version 16 (`<linux/taskstats.h>` of Linux 6.18): 560 bytes, every
/// padding byte spelled out so the type is plain bytes both ways.
///
/// Times: `ac_etime`, `ac_utime`, `ac_stime` in microseconds; `*_delay_*` and
/// `cpu_run_*_total` in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct TaskStats {
    /// The struct version (`TASKSTATS_VERSION` of the kernel).
    pub version: u16,
    _pad0: [u8; 2],
    /// Exit status.
    pub ac_exitcode: u32,
    /// Accounting flags (`AFORK`, `ASU`, `ACOMPAT`, `ACORE`, `AXSIG`, `AGROUP`).
    pub ac_flag: u8,
    /// `task_nice`.
    pub ac_nice: u8,
    _pad1: [u8; 6],
    /// Delays waiting for a CPU while runnable: count.
    pub cpu_count: u64,
    /// Delays waiting for a CPU: total (ns).
    pub cpu_delay_total: u64,
    /// Synchronous block I/O delays: count.
    pub blkio_count: u64,
    /// Synchronous block I/O delays: total (ns).
    pub blkio_delay_total: u64,
    /// Swap-in delays: count.
    pub swapin_count: u64,
    /// Swap-in delays: total (ns).
    pub swapin_delay_total: u64,
    /// CPU "wall-clock" running time (ns).
    pub cpu_run_real_total: u64,
    /// CPU "virtual" running time (ns).
    pub cpu_run_virtual_total: u64,
    /// Command name, NUL-padded ([`comm`](Self::comm)).
    pub ac_comm: [u8; TS_COMM_LEN],
    /// Scheduling discipline.
    pub ac_sched: u8,
    /// Padding of the uapi struct.
    pub ac_pad: [u8; 3],
    _pad2: [u8; 4],
    /// User id.
    pub ac_uid: u32,
    /// Group id.
    pub ac_gid: u32,
    /// Process id.
    pub ac_pid: u32,
    /// Parent process id.
    pub ac_ppid: u32,
    /// Begin time (seconds since 1970, 32 bits).
    pub ac_btime: u32,
    _pad3: [u8; 4],
    /// Elapsed time (µs).
    pub ac_etime: u64,
    /// User CPU time (µs).
    pub ac_utime: u64,
    /// System CPU time (µs).
    pub ac_stime: u64,
    /// Minor page faults.
    pub ac_minflt: u64,
    /// Major page faults.
    pub ac_majflt: u64,
    /// Accumulated RSS usage (MB-µs).
    pub coremem: u64,
    /// Accumulated VM usage (MB-µs).
    pub virtmem: u64,
    /// RSS high-water mark (KB).
    pub hiwater_rss: u64,
    /// VM high-water mark (KB).
    pub hiwater_vm: u64,
    /// Bytes read.
    pub read_char: u64,
    /// Bytes written.
    pub write_char: u64,
    /// Read system calls.
    pub read_syscalls: u64,
    /// Write system calls.
    pub write_syscalls: u64,
    /// Bytes of storage read I/O.
    pub read_bytes: u64,
    /// Bytes of storage write I/O.
    pub write_bytes: u64,
    /// Bytes of cancelled write I/O.
    pub cancelled_write_bytes: u64,
    /// Voluntary context switches.
    pub nvcsw: u64,
    /// Involuntary context switches.
    pub nivcsw: u64,
    /// Scaled user time.
    pub ac_utimescaled: u64,
    /// Scaled system time.
    pub ac_stimescaled: u64,
    /// Scaled `cpu_run_real_total`.
    pub cpu_scaled_run_real_total: u64,
    /// Memory reclaim delays: count.
    pub freepages_count: u64,
    /// Memory reclaim delays: total (ns).
    pub freepages_delay_total: u64,
    /// Thrashing delays: count.
    pub thrashing_count: u64,
    /// Thrashing delays: total (ns).
    pub thrashing_delay_total: u64,
    /// Begin time, 64 bits (v10).
    pub ac_btime64: u64,
    /// Memory compaction delays: count (v11).
    pub compact_count: u64,
    /// Memory compaction delays: total (ns).
    pub compact_delay_total: u64,
    /// Thread group id (v12).
    pub ac_tgid: u32,
    _pad4: [u8; 4],
    /// Thread group wall time (v12).
    pub ac_tgetime: u64,
    /// Program binary device id (v12).
    pub ac_exe_dev: u64,
    /// Program binary inode (v12).
    pub ac_exe_inode: u64,
    /// Write-protect copy delays: count (v13).
    pub wpcopy_count: u64,
    /// Write-protect copy delays: total (ns).
    pub wpcopy_delay_total: u64,
    /// IRQ/softirq delays: count (v14).
    pub irq_count: u64,
    /// IRQ/softirq delays: total (ns).
    pub irq_delay_total: u64,
    /// Largest CPU delay (v16).
    pub cpu_delay_max: u64,
    /// Smallest CPU delay (v16).
    pub cpu_delay_min: u64,
    /// Largest block I/O delay.
    pub blkio_delay_max: u64,
    /// Smallest block I/O delay.
    pub blkio_delay_min: u64,
    /// Largest swap-in delay.
    pub swapin_delay_max: u64,
    /// Smallest swap-in delay.
    pub swapin_delay_min: u64,
    /// Largest reclaim delay.
    pub freepages_delay_max: u64,
    /// Smallest reclaim delay.
    pub freepages_delay_min: u64,
    /// Largest thrashing delay.
    pub thrashing_delay_max: u64,
    /// Smallest thrashing delay.
    pub thrashing_delay_min: u64,
    /// Largest compaction delay.
    pub compact_delay_max: u64,
    /// Smallest compaction delay.
    pub compact_delay_min: u64,
    /// Largest write-protect copy delay.
    pub wpcopy_delay_max: u64,
    /// Smallest write-protect copy delay.
    pub wpcopy_delay_min: u64,
    /// Largest IRQ delay.
    pub irq_delay_max: u64,
    /// Smallest IRQ delay.
    pub irq_delay_min: u64,
}

// The layout of the kernel's struct, checked at compile time.
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<TaskStats>() == 560);
    assert!(offset_of!(TaskStats, cpu_count) == 16);
    assert!(offset_of!(TaskStats, ac_comm) == 80);
    assert!(offset_of!(TaskStats, ac_sched) == 112);
    assert!(offset_of!(TaskStats, ac_uid) == 120);
    assert!(offset_of!(TaskStats, ac_pid) == 128);
    assert!(offset_of!(TaskStats, ac_ppid) == 132);
    assert!(offset_of!(TaskStats, ac_etime) == 144);
    assert!(offset_of!(TaskStats, ac_tgid) == 368);
    assert!(offset_of!(TaskStats, ac_tgetime) == 376);
    assert!(offset_of!(TaskStats, irq_delay_total) == 424);
    assert!(offset_of!(TaskStats, cpu_delay_max) == 432);
};

impl Default for TaskStats {
    fn default() -> Self {
        TaskStats::new_zeroed()
    }
}

impl TaskStats {
    /// The command name, up to the first NUL (invalid UTF-8 replaced).
    pub fn comm(&self) -> String {
        let end = self
            .ac_comm
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(TS_COMM_LEN);
        String::from_utf8_lossy(self.ac_comm.get(..end).unwrap_or(&[])).into_owned()
    }
}

/// `struct cgroupstats` (`<linux/cgroupstats.h>`): task counts by state.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct CgroupStats {
    /// Tasks sleeping.
    pub nr_sleeping: u64,
    /// Tasks running.
    pub nr_running: u64,
    /// Tasks stopped.
    pub nr_stopped: u64,
    /// Tasks in uninterruptible sleep.
    pub nr_uninterruptible: u64,
    /// Tasks waiting on I/O.
    pub nr_io_wait: u64,
}

const _: () = assert!(core::mem::size_of::<CgroupStats>() == 40);

/// `TASKSTATS_CMD_ATTR_*`: the GET request.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct TaskstatsCmd {
    /// `TASKSTATS_CMD_ATTR_PID`: statistics of one task.
    #[nla(id = 1)]
    pub pid: Option<u32>,
    /// `TASKSTATS_CMD_ATTR_TGID`: statistics of a thread group.
    #[nla(id = 2)]
    pub tgid: Option<u32>,
    /// `TASKSTATS_CMD_ATTR_REGISTER_CPUMASK`: receive per-exit statistics for these CPUs
    /// (`"0-1"`).
    #[nla(id = 3)]
    pub register_cpumask: Option<String>,
    /// `TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK`.
    #[nla(id = 4)]
    pub deregister_cpumask: Option<String>,
}

/// The inside of `TASKSTATS_TYPE_AGGR_PID` / `AGGR_TGID`: the id and its statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Aggr {
    /// `TASKSTATS_TYPE_PID`.
    #[nla(id = 1)]
    pub pid: Option<u32>,
    /// `TASKSTATS_TYPE_TGID`.
    #[nla(id = 2)]
    pub tgid: Option<u32>,
    /// `TASKSTATS_TYPE_STATS`: the struct (required).
    #[nla(id = 3, fixed)]
    pub stats: TaskStats,
}

/// `TASKSTATS_TYPE_*`: the reply (`TASKSTATS_CMD_NEW`).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct TaskstatsReply {
    /// `TASKSTATS_TYPE_AGGR_PID`: the answer to a PID request (and per-exit statistics).
    /// Boxed: the struct is 560 bytes.
    #[nla(id = 4, nested)]
    pub aggr_pid: Option<Box<Aggr>>,
    /// `TASKSTATS_TYPE_AGGR_TGID`: the answer to a TGID request.
    #[nla(id = 5, nested)]
    pub aggr_tgid: Option<Box<Aggr>>,
}

/// `CGROUPSTATS_CMD_ATTR_*`: the CGROUPSTATS_GET request.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct CgroupstatsCmd {
    /// `CGROUPSTATS_CMD_ATTR_FD`: an open file descriptor of a cgroup (v1) directory.
    #[nla(id = 1)]
    pub fd: Option<u32>,
}

/// `CGROUPSTATS_TYPE_*`: the CGROUPSTATS_GET reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct CgroupstatsReply {
    /// `CGROUPSTATS_TYPE_CGROUP_STATS`.
    #[nla(id = 1, fixed)]
    pub stats: Option<CgroupStats>,
}

/// The TASKSTATS commands.
///
/// No answer is declared: in `kernel/taskstats.c`, `TASKSTATS_CMD_GET` replies with one
/// `TASKSTATS_CMD_NEW` for `PID`/`TGID` but not at all for `REGISTER_CPUMASK`/
/// `DEREGISTER_CPUMASK`, and `CGROUPSTATS_CMD_GET` returns 0 without a reply when the fd is not
/// open, so the answer depends on the request.
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "TASKSTATS", version = 1)]
pub enum Taskstats {
    /// `TASKSTATS_CMD_GET` (1).
    #[genl(cmd = 1, request)]
    Get(TaskstatsCmd),
    /// `TASKSTATS_CMD_NEW` (2): the reply.
    #[genl(cmd = 2)]
    New(TaskstatsReply),
    /// `CGROUPSTATS_CMD_GET` (4).
    #[genl(cmd = 4, request)]
    CgroupstatsGet(CgroupstatsCmd),
    /// `CGROUPSTATS_CMD_NEW` (5): the reply.
    #[genl(cmd = 5)]
    CgroupstatsNew(CgroupstatsReply),
}

fn missing(what: &'static str) -> Error {
    DecodeError::custom(format!("TASKSTATS reply without {what}")).into()
}

/// The statistics of task `pid` (`TASKSTATS_CMD_GET` with `PID`; the reply's `AGGR_PID`).
pub fn task(sock: &mut GenlSocket, pid: u32) -> Result<TaskStats, Error> {
    let req = Taskstats::Get(TaskstatsCmd {
        pid: Some(pid),
        ..TaskstatsCmd::default()
    });
    match sock.request(&req)? {
        Taskstats::New(TaskstatsReply {
            aggr_pid: Some(a), ..
        }) => Ok(a.stats),
        _ => Err(missing("AGGR_PID")),
    }
}

/// The statistics of thread group `tgid` (`TGID`): the reply's `AGGR_TGID` nest, which names
/// the group in its `TGID` attribute ([`Aggr::tgid`]; `pid` is absent).
///
/// In this form (`fill_stats_for_tgid` in `kernel/taskstats.c`) the struct holds sums over the
/// group's threads, past and present: the delay counts and totals, `cpu_run_*_total`,
/// `ac_etime` (elapsed times added up), `ac_utime`, `ac_stime`, `nvcsw`, `nivcsw`, and
/// `version`. Everything else, `ac_pid`, `ac_tgid`, `ac_comm`, the ids and the memory and I/O
/// counters among them, stays zero.
pub fn thread_group(sock: &mut GenlSocket, tgid: u32) -> Result<Aggr, Error> {
    let req = Taskstats::Get(TaskstatsCmd {
        tgid: Some(tgid),
        ..TaskstatsCmd::default()
    });
    match sock.request(&req)? {
        Taskstats::New(TaskstatsReply {
            aggr_tgid: Some(a), ..
        }) if a.tgid.is_some() => Ok(*a),
        Taskstats::New(TaskstatsReply {
            aggr_tgid: Some(_), ..
        }) => Err(missing("TGID in AGGR_TGID")),
        _ => Err(missing("AGGR_TGID")),
    }
}

/// The task counts of the cgroup (v1) directory open as `fd` (`CGROUPSTATS_CMD_GET`).
pub fn cgroup(sock: &mut GenlSocket, fd: u32) -> Result<CgroupStats, Error> {
    let req = Taskstats::CgroupstatsGet(CgroupstatsCmd { fd: Some(fd) });
    match sock.request(&req)? {
        Taskstats::CgroupstatsNew(CgroupstatsReply { stats: Some(s) }) => Ok(s),
        _ => Err(missing("CGROUP_STATS")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocopy::IntoBytes;

    #[test]
    fn comm_stops_at_nul_and_offsets_match_the_kernel() {
        let mut t = TaskStats::default();
        t.ac_comm[..5].copy_from_slice(b"sleep");
        t.ac_pid = 0x01020304;
        assert_eq!(t.comm(), "sleep");
        let b = t.as_bytes();
        assert_eq!(&b[80..85], b"sleep");
        assert_eq!(&b[128..132], &0x01020304u32.to_ne_bytes());
    }
}
