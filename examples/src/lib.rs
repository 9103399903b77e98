//! `example_families`: the generic netlink families the example programs declare with the
//! derives (and the live tests use), and the code those programs share: the text the `genl`
//! example prints ([`genl_text`], [`genl_json`], [`genl_events`]) and the command-line helpers
//! ([`cli`]: output that ends quietly on a closed pipe, `--json`, devices and families by name
//! or number).
//!
//! - [`ethtool`]: link information, modes and state, features as named bitsets, channels,
//!   feature changes and notifications on the `monitor` group.
//! - [`netdev`]: devices with their XDP features, queues, NAPI instances, and the device
//!   notifications of the `mgmt` group.
//! - [`taskstats`]: per-task statistics, the kernel's `struct taskstats` as a zerocopy fixed
//!   payload, and cgroup statistics.
//! - [`mptcp`]: the MPTCP path manager's endpoints and limits, and its connection events.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod cli;
pub mod ethtool;
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
