//! The generated code compiles whatever the user's Cargo.toml names: only `netlink-genl`, only
//! `netlink-genl-core` (for `NlAttrs`), or a renamed dependency with `crate = path`. Each variant is
//! a real crate with exactly that dependency, checked with `cargo check --offline` (sharing one
//! target directory, so only the first run builds the dependencies).

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Write crate `name` with `deps` and `main`, run `cargo check`, return (success, stderr).
fn check(name: &str, deps: &str, main: &str) -> (bool, String) {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dep-variants");
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let ws = workspace();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{}\n\n[workspace]\n",
        deps.replace("$WS", &ws.display().to_string())
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    // Resolve offline to the versions the workspace already uses.
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTC_WRAPPER")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const GENL_MAIN: &str = r#"
#![deny(warnings)]
use netlink_genl::{DecodeAttrs, GenlDecode, GenlMessage, NlAttrs};

#[derive(Debug, PartialEq, NlAttrs)]
struct Op {
    #[nla(id = 1)]
    id: u32,
    #[nla(id = 2)]
    flags: u32,
}

#[derive(Debug, PartialEq, NlAttrs)]
struct Family<'a> {
    #[nla(id = 1)]
    id: Option<u16>,
    #[nla(id = 2)]
    name: Option<&'a str>,
    #[nla(id = 6, array)]
    ops: Vec<Op>,
}

#[derive(Debug, PartialEq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum Ctrl<'a> {
    #[genl(cmd = 1)]
    NewFamily(Family<'a>),
    #[genl(cmd = 3, request)]
    GetFamily(Family<'a>),
}

fn main() {
    let f = Family { id: Some(16), name: Some("nlctrl"), ops: vec![Op { id: 3, flags: 14 }] };
    let bytes = netlink_genl::netlink_genl_core::attrs_to_vec(&f).unwrap();
    assert_eq!(Family::decode_attrs(&bytes).unwrap(), f);
    let m = Ctrl::decode_genl(1, &bytes).unwrap();
    assert_eq!(m.command(), 1);
    assert_eq!(Ctrl::GetFamily(f).command(), 3);
}
"#;

#[test]
fn only_netlink_genl() {
    let (ok, err) = check(
        "only-genl",
        r#"netlink-genl = { path = "$WS/netlink-genl" }"#,
        GENL_MAIN,
    );
    assert!(ok, "{err}");
}

#[test]
fn only_netlink_genl_core() {
    let (ok, err) = check(
        "only-core",
        r#"netlink-genl-core = { path = "$WS/netlink-core" }"#,
        r#"
#![deny(warnings)]
use netlink_genl_core::{DecodeAttrs, NlAttrs};
use netlink_genl_core::attr::OwnedAttr;

#[derive(Debug, PartialEq, NlAttrs)]
struct Inner {
    #[nla(id = 1, big_endian)]
    port: u16,
}

#[derive(Debug, PartialEq, NlAttrs)]
#[nla(deny_unknown)]
struct Set {
    #[nla(id = 1, nested)]
    inner: Inner,
    #[nla(id = 2, multi)]
    addrs: Vec<u32>,
    #[nla(id = 3, flag)]
    up: bool,
}

#[derive(Debug, PartialEq, NlAttrs)]
struct Open {
    #[nla(id = 1)]
    a: Option<u32>,
    #[nla(unknown)]
    rest: Vec<OwnedAttr>,
}

fn main() {
    let s = Set { inner: Inner { port: 80 }, addrs: vec![1, 2], up: true };
    let bytes = netlink_genl_core::attrs_to_vec(&s).unwrap();
    assert_eq!(Set::decode_attrs(&bytes).unwrap(), s);
    assert_eq!(Open::decode_attrs(&bytes).unwrap().rest.len(), 2);
}
"#,
    );
    assert!(ok, "{err}");
}

#[test]
fn renamed_netlink_genl() {
    let deps = r#"nl = { package = "netlink-genl", path = "$WS/netlink-genl" }"#;
    let renamed = GENL_MAIN
        .replace("use netlink_genl::", "use nl::")
        .replace("netlink_genl::netlink_genl_core", "nl::netlink_genl_core")
        .replace(
            "#[derive(Debug, PartialEq, NlAttrs)]",
            "#[derive(Debug, PartialEq, NlAttrs)]\n#[nla(crate = nl)]",
        )
        .replace(
            "#[genl(family = \"nlctrl\", version = 2)]",
            "#[genl(family = \"nlctrl\", version = 2, crate = nl)]",
        );
    // Nothing names the crate `netlink_genl` (its re-export `nl::netlink_genl_core` aside).
    assert!(
        !renamed
            .replace("nl::netlink_genl_core", "nl::core")
            .contains("netlink_genl")
    );
    let (ok, err) = check("renamed", deps, &renamed);
    assert!(ok, "{err}");

    // Control: without `crate = nl` the default path `::netlink_genl` does not resolve, so the
    // variants above really test what they claim.
    let without = renamed
        .replace("\n#[nla(crate = nl)]", "")
        .replace(", crate = nl)]", ")]");
    let (ok, err) = check("renamed-control", deps, &without);
    assert!(!ok, "expected a failure without `crate = nl`");
    assert!(err.contains("netlink_genl"), "{err}");
}
