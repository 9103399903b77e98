//! `example_families`: the generic netlink families the example programs use (and the live
//! tests), what those programs print, and the code they share: the text the `genl` example
//! prints ([`genl_text`], [`genl_json`], [`genl_events`]) and the command-line helpers ([`cli`]:
//! output that ends quietly on a closed pipe, `--json`, devices and families by name or number).
//!
//! Where the kernel has a YNL spec, the types are the generated ones of `netlink-families`
//! (re-exported here) and a module adds only what the programs need around them; TASKSTATS has
//! no spec and is declared with the derives. Each module's `show` is what its program prints
//! (text and `--json`), fixed by the golden tests in `tests/golden.rs`.
//!
//! - [`ethtool`] (generated types): link information, modes and state, features as named
//!   bitsets, channels, feature changes and notifications on the `monitor` group.
//! - [`netdev`] (generated types): devices with their XDP features, queues, NAPI instances, and
//!   the device notifications of the `mgmt` group.
//! - [`taskstats`] (declared here): per-task statistics, the kernel's `struct taskstats` as a
//!   zerocopy fixed payload, and cgroup statistics.
//! - [`mptcp`] (generated types, and an event enum the spec does not declare): the MPTCP path
//!   manager's endpoints and limits, and its connection events.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod cli;
pub mod ethtool;
pub mod genl_check;
pub mod genl_events;
pub mod genl_json;
pub mod genl_text;
pub mod mptcp;
pub mod netdev;
pub mod taskstats;

/// `value` as one line of JSON (compact, like `ip -j`), with its newline.
pub(crate) fn json_line<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // The programs' output types serialize without fail (no maps with non-string keys).
    let mut s = serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
