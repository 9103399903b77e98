//! Helpers shared by the core test files.
#![allow(dead_code)]

use std::path::PathBuf;

/// The directory of the kernel captures copied into this repository.
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/kernel")
}

/// The bytes of one capture, e.g. `fixture("nlctrl-getfamily-dump.reply.bin")`.
pub fn fixture(name: &str) -> Vec<u8> {
    let p = fixture_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}
