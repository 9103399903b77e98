//! Shared code of the benchmark suite (see `BENCHMARKS.md` at the repository root).
//!
//! Every implementation is wrapped behind the same small set of operations, so the criterion
//! benches (`benches/*.rs`) and the allocation counter (`src/bin/allocs.rs`) run exactly the same
//! code on exactly the same bytes:
//!
//! - [`plain`]: one plain representation of a family / a policy entry, into which every
//!   implementation's result is normalised *outside* the timed loops to check that all of them
//!   decoded the same values;
//! - [`manual`]: netlink-genl-core used by hand (the `AttrIter`/`AttrWriter` layer, no derive): the
//!   "what's possible" line;
//! - [`peers::neli`] and [`peers::rnl`]: the peers through their public APIs;
//! - [`floor`]: raw syscalls that send the request bytes and read the reply without parsing;
//! - [`scaling`]: generated inputs of growing size and depth.
#![allow(clippy::missing_errors_doc, clippy::missing_panics_doc)]

pub mod check;
pub mod floor;
pub mod live;
pub mod manual;
pub mod ours;
pub mod peers;
pub mod plain;
pub mod scaling;

use std::path::PathBuf;

/// The directory of the kernel captures.
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kernel")
}

/// The bytes of one kernel capture, e.g. `fixture("nlctrl-getfamily-dump.reply.bin")`.
pub fn fixture(name: &str) -> Vec<u8> {
    let p = fixture_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

/// `GENL_ID_CTRL`.
pub const GENL_ID_CTRL: u16 = 0x10;
/// `CTRL_CMD_NEWFAMILY`.
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
/// `CTRL_CMD_GETFAMILY`.
pub const CTRL_CMD_GETFAMILY: u8 = 3;
/// `CTRL_CMD_GETPOLICY`.
pub const CTRL_CMD_GETPOLICY: u8 = 10;
/// The genl version byte of the captured requests.
pub const REQ_VERSION: u8 = 1;
/// `NLM_F_REQUEST | NLM_F_ACK`: the flags of the captured GETFAMILY "do" request, and of the
/// live "do" rows with an ACK (reply and ACK, two datagrams).
pub const FLAGS_DO_ACK: u16 = 0x1 | 0x4;
/// `NLM_F_REQUEST` alone: the live GETFAMILY "do" as netlink-genl sends it now that nlctrl's
/// `GetFamily` declares its reply (`NewFamily`): one reply datagram ends the exchange, no ACK.
pub const FLAGS_DO: u16 = 0x1;
/// `NLM_F_REQUEST | NLM_F_DUMP`: the flags of the captured dump requests.
pub const FLAGS_DUMP: u16 = 0x1 | 0x300;
/// The family name of the encode benchmark and the live "do".
pub const FAMILY: &str = "nlctrl";

/// The captured inputs, loaded once.
pub struct Inputs {
    /// `nlctrl-getfamily-do-nlctrl.req.bin`: the request every encoder must produce.
    pub getfamily_do_req: Vec<u8>,
    /// `nlctrl-getfamily-dump.req.bin`.
    pub getfamily_dump_req: Vec<u8>,
    /// `nlctrl-getfamily-dump.reply.bin`: 15 NEWFAMILY + DONE.
    pub family_dump: Vec<u8>,
    /// `nlctrl-getpolicy-ethtool.reply.bin`: 260 policy messages + DONE.
    pub policy_dump: Vec<u8>,
}

impl Inputs {
    /// Read the captures.
    pub fn load() -> Self {
        Inputs {
            getfamily_do_req: fixture("nlctrl-getfamily-do-nlctrl.req.bin"),
            getfamily_dump_req: fixture("nlctrl-getfamily-dump.req.bin"),
            family_dump: fixture("nlctrl-getfamily-dump.reply.bin"),
            policy_dump: fixture("nlctrl-getpolicy-ethtool.reply.bin"),
        }
    }
}

/// Compare two encoded requests, ignoring `nlmsg_seq` and `nlmsg_pid` (bytes 8..16), which a
/// socket layer assigns. Panics with both hex dumps when they differ.
pub fn assert_same_request(who: &str, got: &[u8], want: &[u8]) {
    compare_requests(who, got, want, false);
}

/// As [`assert_same_request`], also ignoring the genl version byte (nlctrl ignores it; the
/// netlink-genl `Ctrl` type writes nlctrl's version 2 where the capture has 1).
pub fn assert_same_request_any_version(who: &str, got: &[u8], want: &[u8]) {
    compare_requests(who, got, want, true);
}

fn compare_requests(who: &str, got: &[u8], want: &[u8], any_version: bool) {
    let strip = |b: &[u8]| {
        let mut v = b.to_vec();
        if let Some(s) = v.get_mut(8..16) {
            s.fill(0);
        }
        if any_version {
            if let Some(s) = v.get_mut(17) {
                *s = 0;
            }
        }
        v
    };
    assert_eq!(
        strip(got),
        strip(want),
        "{who}: encoded request differs from the capture\n got {got:02x?}\nwant {want:02x?}"
    );
}
