//! The command-line step of the guide's chapter "Use a family from its YNL spec"
//! (`netlink-genl/src/guide.rs`, chapter 11): its `netlink-ynl generate ...` line, run as written
//! in a directory holding the downloaded spec, writes the ready family's code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

#[test]
fn the_chapters_command_line_writes_the_family() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("../netlink-genl/src/guide.rs")).unwrap();
    let chapter = guide
        .split("//! ## 11. Use a family from its YNL spec")
        .nth(1)
        .expect("the guide has chapter 11");
    let line = chapter
        .lines()
        .filter_map(|l| l.strip_prefix("//! "))
        .find(|l| l.starts_with("netlink-ynl generate "))
        .expect("a netlink-ynl generate line in chapter 11");
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    assert_eq!(args, ["generate", "netdev.yaml", "-o", "src/netdev.rs"]);

    // A crate directory with the spec the user downloaded.
    let dir = std::env::temp_dir().join(format!("netlink-ynl-guide-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::copy(root.join("specs/netdev.yaml"), dir.join("netdev.yaml")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_netlink-ynl"))
        .args(&args)
        .current_dir(&dir)
        .output()
        .unwrap();
    let written = std::fs::read_to_string(dir.join("src/netdev.rs"));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "with -o nothing is printed");
    let ready =
        std::fs::read_to_string(root.join("../netlink-families/src/generated/netdev.rs")).unwrap();
    assert!(
        written.unwrap() == ready,
        "the CLI's file differs from netlink-families/src/generated/netdev.rs"
    );
}
