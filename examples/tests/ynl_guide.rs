//! The guide's chapter "Use a family from its YNL spec" (`netlink-genl/src/guide.rs`, chapter
//! 11), step by step for real: `build.rs` of this package is the chapter's build script (it
//! generates `specs/netdev.yaml` into OUT_DIR), the module below is the chapter's `include!`,
//! the excerpt is in the generated code, the code that uses it is the chapter's and runs
//! against the kernel here. The command-line step is tested in `netlink-ynl/tests/guide_cli.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::error::Error;
use std::path::Path;

// The generated family as a test uses it: what it does not use is dead code here.
#[allow(dead_code)]
mod netdev {
    include!(concat!(env!("OUT_DIR"), "/netdev.rs"));
}

/// The code blocks of the guide's chapter 11, without the `//! ` prefix: (info string, text).
fn chapter_blocks() -> Vec<(String, String)> {
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../netlink-genl/src/guide.rs"),
    )
    .unwrap();
    let chapter = guide
        .split("//! ## 11. Use a family from its YNL spec")
        .nth(1)
        .expect("the guide has chapter 11");
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in chapter.lines() {
        let line = line.strip_prefix("//!").unwrap_or(line);
        let line = line.strip_prefix(' ').unwrap_or(line);
        match (line.strip_prefix("```"), open.take()) {
            (Some(info), None) => open = Some((info.to_owned(), String::new())),
            (Some(_), Some(block)) => blocks.push(block),
            (None, Some((info, mut text))) => {
                text.push_str(line);
                text.push('\n');
                open = Some((info, text));
            }
            (None, None) => {}
        }
    }
    blocks
}

/// The chapter's block that starts with `first`.
fn block(first: &str) -> String {
    chapter_blocks()
        .into_iter()
        .map(|(_, text)| text)
        .find(|t| t.starts_with(first))
        .unwrap_or_else(|| panic!("no block starting with {first:?} in chapter 11"))
}

#[test]
fn build_rs_is_the_chapters() {
    let ours =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs")).unwrap();
    assert_eq!(block("//! build.rs"), ours);
    let this = include_str!("ynl_guide.rs");
    // The chapter's `mod netdev { include!(...); }`, as rustfmt lays it out.
    assert!(this.contains(
        "\nmod netdev {\n    include!(concat!(env!(\"OUT_DIR\"), \"/netdev.rs\"));\n}\n"
    ));
}

#[test]
fn build_rs_output_is_the_ready_family() {
    // The ready family is the same generator's output with the module doc (`//!` lines).
    let built = std::fs::read_to_string(Path::new(env!("OUT_DIR")).join("netdev.rs")).unwrap();
    let ready = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../netlink-families/src/generated/netdev.rs"),
    )
    .unwrap();
    // Both start with comment lines (`//!` there, `//` here), then the same code.
    let code = |text: &str| {
        text.lines()
            .skip_while(|l| l.starts_with("//") || l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(!built.contains("//!"));
    assert!(
        code(&built) == code(&ready),
        "build.rs output differs from netlink-families/src/generated/netdev.rs"
    );
    // The spec the build script reads is the one the ready family comes from.
    assert_eq!(
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/netdev.yaml")).unwrap(),
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../netlink-ynl/specs/netdev.yaml")
        )
        .unwrap()
    );
}

#[test]
fn the_excerpt_is_in_the_generated_code() {
    let built = std::fs::read_to_string(Path::new(env!("OUT_DIR")).join("netdev.rs")).unwrap();
    let excerpt = block("/// Attribute set `dev`.");
    // Every line but the `// ...` elisions, in order.
    let mut rest = built.as_str();
    for line in excerpt
        .lines()
        .filter(|l| !l.trim_start().starts_with("// ..."))
    {
        let at = rest.find(&format!("{line}\n")).unwrap_or_else(|| {
            panic!("excerpt line {line:?} not in the generated code (in order)")
        });
        rest = &rest[at + line.len()..];
    }
}

/// The chapter's usage block, with the lines this test adds marked `// (test)`.
fn usage() -> Result<(), Box<dyn Error>> {
    use netdev::{Dev, Netdev};
    use netlink_genl::GenlSocket;

    let mut sock = GenlSocket::new()?;

    // A request (do): device 1. The reply is the same variant.
    let req = Netdev::DevGet(Dev {
        ifindex: Some(1),
        ..Dev::default()
    });
    let Netdev::DevGet(lo) = sock.request(&req)? else {
        return Err("not a dev-get reply".into());
    };
    println!("lo: {:?}", lo.xdp_features.unwrap_or_default().names());
    assert_eq!(lo.ifindex, Some(1)); // (test)
    assert!(lo.xdp_features.is_some()); // (test)
    let mut seen = Vec::new(); // (test)

    // A dump: every device of the network namespace.
    for msg in sock.dump(&Netdev::DevGet(Dev::default()))? {
        if let Netdev::DevGet(dev) = msg? {
            println!("{:?}: {:?}", dev.ifindex, dev.xdp_features);
            seen.push(dev); // (test)
        }
    }
    assert_eq!(seen, [lo], "a fresh namespace has lo only"); // (test)

    // Notifications: join one of the spec's groups (netdev::MCAST_GROUPS), then receive.
    sock.join::<Netdev>("mgmt")?;
    assert!(netdev::MCAST_GROUPS.contains(&"mgmt")); // (test)
    tests::ip("link add ynl0 type veth peer name ynl1"); // (test)
    let event = sock.recv_event::<Netdev>()?;
    if let Netdev::DevAddNtf(dev) = &event.msg {
        println!("new device {:?}", dev.ifindex);
        let names = [tests::ifindex("ynl0"), tests::ifindex("ynl1")]; // (test)
        assert!(names.contains(&dev.ifindex.unwrap())); // (test)
        return Ok(()); // (test)
    }
    Err(format!("not a dev-add notification: {:?}", event.msg).into()) // (test)
}

#[test]
fn the_usage_is_the_chapters_and_runs_on_the_kernel() {
    let source = include_str!("ynl_guide.rs");
    let body = source
        .split("fn usage() -> Result<(), Box<dyn Error>> {\n")
        .nth(1)
        .unwrap()
        .split("\n}\n")
        .next()
        .unwrap();
    let ours: String = body
        .lines()
        .filter(|l| !l.ends_with("// (test)"))
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    assert_eq!(ours, block("use netdev::{Dev, Netdev};"));
    tests::in_private_netns(|| usage().map_err(|e| e.to_string())).unwrap();
}
