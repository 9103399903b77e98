//! The kernel connector (`NETLINK_CONNECTOR`, `<linux/connector.h>`) and the process-events
//! connector (`<linux/cn_proc.h>`).
//!
//! On this protocol **every message has type `NLMSG_DONE`**: it is data, not the end of a dump.
//! Each message's payload is a [`CnMsg`] header followed by `len` bytes of data; for the proc
//! connector ([`CN_IDX_PROC`]) the data is a `struct proc_event`, decoded by [`ProcEvent::parse`].
//!
//! ```
//! use netlink_genl_core::connector::{CnMessage, ProcEvent, ProcEventKind};
//! use netlink_genl_core::message::MessageIter;
//! let buf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../tests/fixtures/kernel/proc-connector-fork-event.bin"))?;
//! let msg = MessageIter::new(&buf).next().unwrap()?;
//! let cn = CnMessage::parse(msg.payload())?;
//! let ev = ProcEvent::parse(cn.data)?;
//! assert!(matches!(ev.kind, ProcEventKind::Fork { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use crate::attr::AttrWriter;
use crate::consts::NLMSG_DONE;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};

/// `CN_IDX_PROC`: the process-events connector's index.
pub const CN_IDX_PROC: u32 = 1;
/// `CN_VAL_PROC`: the process-events connector's value.
pub const CN_VAL_PROC: u32 = 1;
/// `PROC_CN_MCAST_LISTEN`: start receiving process events.
pub const PROC_CN_MCAST_LISTEN: u32 = 1;
/// `PROC_CN_MCAST_IGNORE`: stop receiving process events.
pub const PROC_CN_MCAST_IGNORE: u32 = 2;

/// `struct cb_id`: which connector a message is for.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct CbId {
    /// Index (e.g. [`CN_IDX_PROC`]).
    pub idx: u32,
    /// Value (e.g. [`CN_VAL_PROC`]).
    pub val: u32,
}

/// `struct cn_msg`: the connector header, followed by `len` bytes of data.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct CnMsg {
    /// The connector.
    pub id: CbId,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgement number.
    pub ack: u32,
    /// Length of the data that follows.
    pub len: u16,
    /// Flags.
    pub flags: u16,
}

const _: () = assert!(core::mem::size_of::<CnMsg>() == 20);

/// A connector message: its header and its data, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CnMessage<'a> {
    /// The `cn_msg` header.
    pub header: CnMsg,
    /// The `len` bytes of data.
    pub data: &'a [u8],
}

impl<'a> CnMessage<'a> {
    /// Parse the payload of a netlink message on the connector protocol. A `len` past the end
    /// of the payload is an error.
    pub fn parse(payload: &'a [u8]) -> Result<Self, DecodeError> {
        let Ok((header, rest)) = CnMsg::read_from_prefix(payload) else {
            return Err(DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "cn_msg",
                    needed: 20,
                    had: payload.len(),
                },
                0,
            ));
        };
        let data = rest.get(..header.len as usize).ok_or_else(|| {
            DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "connector data",
                    needed: header.len as usize,
                    had: rest.len(),
                },
                20,
            )
        })?;
        Ok(CnMessage { header, data })
    }
}

/// Build a connector message at the end of `buf`: `nlmsghdr` (type `NLMSG_DONE`) + `cn_msg` +
/// `data`. Returns the start offset of the message.
pub fn build_cn_message(
    buf: &mut Vec<u8>,
    id: CbId,
    seq: u32,
    pid: u32,
    data: &[u8],
) -> Result<usize, EncodeError> {
    let len = u16::try_from(data.len()).map_err(|_| {
        EncodeError::new(crate::error::EncodeErrorKind::PayloadTooLarge {
            len: data.len(),
            max: u16::MAX as usize,
        })
    })?;
    let cn = CnMsg {
        id,
        seq,
        ack: 0,
        len,
        flags: 0,
    };
    crate::message::build_message(
        buf,
        NLMSG_DONE,
        0,
        seq,
        pid,
        20 + data.len(),
        |w: &mut AttrWriter<'_>| {
            w.put_bytes(cn.as_bytes())?;
            w.put_bytes(data)
        },
    )
}

/// Build the proc connector subscription (`op` = [`PROC_CN_MCAST_LISTEN`] or
/// [`PROC_CN_MCAST_IGNORE`]) at the end of `buf`.
pub fn build_proc_subscribe(
    buf: &mut Vec<u8>,
    seq: u32,
    pid: u32,
    op: u32,
) -> Result<usize, EncodeError> {
    build_cn_message(
        buf,
        CbId {
            idx: CN_IDX_PROC,
            val: CN_VAL_PROC,
        },
        seq,
        pid,
        &op.to_ne_bytes(),
    )
}

/// The fixed head of `struct proc_event`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
struct ProcEventHead {
    what: u32,
    cpu: u32,
    timestamp_ns: u64,
}

/// `PROC_EVENT_*` values of `proc_event.what`.
pub mod what {
    /// `PROC_EVENT_NONE` (the acknowledgement of a subscription).
    pub const NONE: u32 = 0;
    /// `PROC_EVENT_FORK`.
    pub const FORK: u32 = 0x1;
    /// `PROC_EVENT_EXEC`.
    pub const EXEC: u32 = 0x2;
    /// `PROC_EVENT_UID`.
    pub const UID: u32 = 0x4;
    /// `PROC_EVENT_GID`.
    pub const GID: u32 = 0x40;
    /// `PROC_EVENT_SID`.
    pub const SID: u32 = 0x80;
    /// `PROC_EVENT_PTRACE`.
    pub const PTRACE: u32 = 0x100;
    /// `PROC_EVENT_COMM`.
    pub const COMM: u32 = 0x200;
    /// `PROC_EVENT_COREDUMP`.
    pub const COREDUMP: u32 = 0x4000_0000;
    /// `PROC_EVENT_EXIT`.
    pub const EXIT: u32 = 0x8000_0000;
}

/// A decoded `struct proc_event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcEvent {
    /// The CPU that reported it.
    pub cpu: u32,
    /// Nanoseconds since boot.
    pub timestamp_ns: u64,
    /// What happened.
    pub kind: ProcEventKind,
}

/// What a process event reports (`proc_event.what` and its `event_data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProcEventKind {
    /// `PROC_EVENT_NONE`: the acknowledgement of a subscription (`err` 0 on success).
    Ack {
        /// The error, 0 on success.
        err: u32,
    },
    /// `PROC_EVENT_FORK`.
    Fork {
        /// Parent pid.
        parent_pid: i32,
        /// Parent tgid.
        parent_tgid: i32,
        /// Child pid.
        child_pid: i32,
        /// Child tgid.
        child_tgid: i32,
    },
    /// `PROC_EVENT_EXEC`.
    Exec {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
    },
    /// `PROC_EVENT_UID`.
    Uid {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
        /// Real uid.
        ruid: u32,
        /// Effective uid.
        euid: u32,
    },
    /// `PROC_EVENT_GID`.
    Gid {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
        /// Real gid.
        rgid: u32,
        /// Effective gid.
        egid: u32,
    },
    /// `PROC_EVENT_SID`.
    Sid {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
    },
    /// `PROC_EVENT_PTRACE`.
    Ptrace {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
        /// Tracer pid (0 on detach).
        tracer_pid: i32,
        /// Tracer tgid.
        tracer_tgid: i32,
    },
    /// `PROC_EVENT_COMM`.
    Comm {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
        /// The new name, NUL-padded.
        comm: [u8; 16],
    },
    /// `PROC_EVENT_COREDUMP`.
    Coredump {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
        /// Parent pid.
        parent_pid: i32,
        /// Parent tgid.
        parent_tgid: i32,
    },
    /// `PROC_EVENT_EXIT`.
    Exit {
        /// Pid.
        pid: i32,
        /// Tgid.
        tgid: i32,
        /// Exit code (as from `wait`).
        exit_code: u32,
        /// The signal sent to the parent.
        exit_signal: u32,
        /// Parent pid.
        parent_pid: i32,
        /// Parent tgid.
        parent_tgid: i32,
    },
    /// A `what` this version does not know; the raw event data is kept.
    Unknown {
        /// The `what` value.
        what: u32,
        /// The first 24 bytes of event data.
        data: [u8; 24],
    },
}

impl ProcEventKind {
    /// The name of a `Comm` event's new command, up to the first NUL.
    pub fn comm_str(&self) -> Option<&str> {
        match self {
            ProcEventKind::Comm { comm, .. } => {
                let end = comm.iter().position(|&b| b == 0).unwrap_or(comm.len());
                core::str::from_utf8(comm.get(..end).unwrap_or(&[])).ok()
            }
            _ => None,
        }
    }
}

impl ProcEvent {
    /// Decode the data of a proc connector message. The union is read for its known size;
    /// shorter data is an error naming what was needed.
    pub fn parse(data: &[u8]) -> Result<Self, DecodeError> {
        let Ok((head, rest)) = ProcEventHead::read_from_prefix(data) else {
            return Err(DecodeError::at(
                DecodeErrorKind::Truncated {
                    what: "proc_event",
                    needed: 16,
                    had: data.len(),
                },
                0,
            ));
        };
        let need = |n: usize| -> Result<&[u8], DecodeError> {
            rest.get(..n).ok_or_else(|| {
                DecodeError::at(
                    DecodeErrorKind::Truncated {
                        what: "proc_event data",
                        needed: n,
                        had: rest.len(),
                    },
                    16,
                )
            })
        };
        let word = |b: &[u8], i: usize| -> u32 {
            let mut w = [0u8; 4];
            if let Some(s) = b.get(i * 4..i * 4 + 4) {
                w.copy_from_slice(s);
            }
            u32::from_ne_bytes(w)
        };
        let pid = |b: &[u8], i: usize| word(b, i) as i32;
        let kind = match head.what {
            what::NONE => ProcEventKind::Ack {
                err: word(need(4)?, 0),
            },
            what::FORK => {
                let b = need(16)?;
                ProcEventKind::Fork {
                    parent_pid: pid(b, 0),
                    parent_tgid: pid(b, 1),
                    child_pid: pid(b, 2),
                    child_tgid: pid(b, 3),
                }
            }
            what::EXEC => {
                let b = need(8)?;
                ProcEventKind::Exec {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                }
            }
            what::UID => {
                let b = need(16)?;
                ProcEventKind::Uid {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                    ruid: word(b, 2),
                    euid: word(b, 3),
                }
            }
            what::GID => {
                let b = need(16)?;
                ProcEventKind::Gid {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                    rgid: word(b, 2),
                    egid: word(b, 3),
                }
            }
            what::SID => {
                let b = need(8)?;
                ProcEventKind::Sid {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                }
            }
            what::PTRACE => {
                let b = need(16)?;
                ProcEventKind::Ptrace {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                    tracer_pid: pid(b, 2),
                    tracer_tgid: pid(b, 3),
                }
            }
            what::COMM => {
                let b = need(24)?;
                let mut comm = [0u8; 16];
                comm.copy_from_slice(b.get(8..24).unwrap_or(&[0; 16]));
                ProcEventKind::Comm {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                    comm,
                }
            }
            what::COREDUMP => {
                let b = need(16)?;
                ProcEventKind::Coredump {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                    parent_pid: pid(b, 2),
                    parent_tgid: pid(b, 3),
                }
            }
            what::EXIT => {
                let b = need(24)?;
                ProcEventKind::Exit {
                    pid: pid(b, 0),
                    tgid: pid(b, 1),
                    exit_code: word(b, 2),
                    exit_signal: word(b, 3),
                    parent_pid: pid(b, 4),
                    parent_tgid: pid(b, 5),
                }
            }
            other => {
                let mut data = [0u8; 24];
                let n = rest.len().min(24);
                if let (Some(d), Some(s)) = (data.get_mut(..n), rest.get(..n)) {
                    d.copy_from_slice(s);
                }
                ProcEventKind::Unknown { what: other, data }
            }
        };
        Ok(ProcEvent {
            cpu: head.cpu,
            timestamp_ns: head.timestamp_ns,
            kind,
        })
    }
}

/// A subscription to the kernel's process events (fork, exec, uid/gid/sid changes, ptrace,
/// comm, coredump, exit), on a `NETLINK_CONNECTOR` socket bound to [`CN_IDX_PROC`].
///
/// Needs `CAP_NET_ADMIN` in the initial network namespace (in another namespace the kernel
/// refuses the subscription with `ECONNREFUSED`). Dropping it unsubscribes.
///
/// ```no_run
/// use netlink_genl_core::connector::{ProcEvents, ProcEventKind};
/// let mut events = ProcEvents::subscribe()?;
/// loop {
///     let ev = events.next_event()?;
///     if let ProcEventKind::Exec { pid, .. } = ev.kind {
///         println!("exec {pid}");
///     }
/// }
/// # Ok::<(), netlink_genl_core::Error>(())
/// ```
pub struct ProcEvents {
    sock: crate::socket::NlSocket,
    buf: Vec<u8>,
}

impl ProcEvents {
    /// Open the socket, join the proc connector group and send `PROC_CN_MCAST_LISTEN`.
    pub fn subscribe() -> Result<Self, crate::Error> {
        let mut sock = crate::socket::NlSocket::with_groups(
            crate::consts::protocol::CONNECTOR,
            1 << (CN_IDX_PROC - 1),
        )?;
        let mut buf = Vec::with_capacity(64);
        let seq = sock.next_seq();
        build_proc_subscribe(&mut buf, seq, sock.port_id(), PROC_CN_MCAST_LISTEN)?;
        sock.send_raw(&buf)?;
        Ok(ProcEvents { sock, buf })
    }

    /// The next event (blocking, unless the socket was made non-blocking or given a timeout).
    /// The subscription's own acknowledgement arrives as [`ProcEventKind::Ack`]; messages for
    /// other connectors are skipped. [`Error::Overrun`](crate::Error::Overrun) means events were
    /// lost; the subscription stays.
    pub fn next_event(&mut self) -> Result<ProcEvent, crate::Error> {
        loop {
            let n = self.sock.recv_notification()?;
            let cn = CnMessage::parse(n.message.payload())?;
            if cn.header.id
                != (CbId {
                    idx: CN_IDX_PROC,
                    val: CN_VAL_PROC,
                })
            {
                continue;
            }
            return Ok(ProcEvent::parse(cn.data)?);
        }
    }

    /// The socket, e.g. to set an event timeout or non-blocking mode, or to poll its fd.
    pub fn socket(&mut self) -> &mut crate::socket::NlSocket {
        &mut self.sock
    }
}

impl Drop for ProcEvents {
    fn drop(&mut self) {
        self.buf.clear();
        let seq = self.sock.next_seq();
        let pid = self.sock.port_id();
        if build_proc_subscribe(&mut self.buf, seq, pid, PROC_CN_MCAST_IGNORE).is_ok() {
            // Best effort: the kernel also forgets the listener when the socket closes.
            let _ = self.sock.send_raw(&self.buf);
        }
    }
}
