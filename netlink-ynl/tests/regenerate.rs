//! The ready families in `netlink-families/src/generated` are exactly what the generator makes
//! of the vendored specs in `specs/`: any difference fails. To update them after changing the
//! generator or a spec: `NETLINK_YNL_BLESS=1 cargo test -p netlink-ynl --test regenerate`.

use std::path::{Path, PathBuf};

fn specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../netlink-families/src/generated")
}

#[test]
fn families_are_up_to_date() {
    let bless = std::env::var_os("NETLINK_YNL_BLESS").is_some();
    let mut stale = Vec::new();
    for spec in specs() {
        let name = spec.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&spec).unwrap();
        let rust = netlink_ynl::generate(&text, &netlink_ynl::Options::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = netlink_ynl::generate(&text, &netlink_ynl::Options::default()).unwrap();
        assert_eq!(rust, again, "{name}: the output is not stable");
        let out = generated_dir().join(format!("{name}.rs"));
        if bless {
            std::fs::write(&out, &rust).unwrap();
        } else if std::fs::read_to_string(&out).ok().as_deref() != Some(rust.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "generated families differ from the specs: {stale:?}; run \
         NETLINK_YNL_BLESS=1 cargo test -p netlink-ynl --test regenerate"
    );
}

/// The generated files are what rustfmt (with the workspace's rustfmt.toml) would write.
#[test]
fn output_is_rustfmt_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let Ok(st) = std::process::Command::new("rustfmt")
        .arg("--version")
        .output()
    else {
        eprintln!("rustfmt not installed: skipped");
        return;
    };
    assert!(st.status.success());
    let files: Vec<PathBuf> = specs()
        .iter()
        .map(|s| generated_dir().join(format!("{}.rs", s.file_stem().unwrap().to_str().unwrap())))
        .collect();
    let out = std::process::Command::new("rustfmt")
        .current_dir(&root)
        .args(["--edition", "2024", "--check", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rustfmt --check:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
