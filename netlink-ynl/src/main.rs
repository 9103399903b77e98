//! `netlink-ynl generate SPEC.yaml [-o OUT.rs]`: print (or write) the Rust for a YNL spec.
//! `netlink-ynl emit FAMILY [-o OUT.yaml]` (feature `families`): print (or write) the YNL spec
//! emitted from the derived schema of a family of `netlink-families`.

use std::process::ExitCode;

const USAGE: &str = "usage: netlink-ynl generate SPEC.yaml [-o OUT.rs] [--no-module-doc]\n       \
                     netlink-ynl emit FAMILY [-o OUT.yaml]   (FAMILY of netlink-families; --list)";

#[cfg(feature = "families")]
include!("families.rs");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("netlink-ynl: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("generate") => {}
        Some("emit") => return emit(it.as_slice()),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return Ok(());
        }
        _ => return Err(USAGE.into()),
    }
    let mut spec = None;
    let mut out = None;
    let mut options = netlink_ynl::Options::default();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => out = Some(it.next().ok_or(USAGE)?.clone()),
            "--no-module-doc" => options.module_doc = false,
            s if spec.is_none() && !s.starts_with('-') => spec = Some(s.to_owned()),
            _ => return Err(USAGE.into()),
        }
    }
    let path = spec.ok_or(USAGE)?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let rust = netlink_ynl::generate(&text, &options).map_err(|e| format!("{path}: {e}"))?;
    write_out(out, &rust)
}

fn write_out(out: Option<String>, text: &str) -> Result<(), String> {
    match out {
        Some(o) => std::fs::write(&o, text).map_err(|e| format!("{o}: {e}")),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// `emit FAMILY [-o OUT.yaml]`, `emit --list`.
#[cfg(feature = "families")]
fn emit(args: &[String]) -> Result<(), String> {
    let mut it = args.iter();
    let mut family = None;
    let mut out = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => out = Some(it.next().ok_or(USAGE)?.clone()),
            "--list" => {
                for (name, _) in FAMILIES {
                    println!("{name}");
                }
                return Ok(());
            }
            s if family.is_none() && !s.starts_with('-') => family = Some(s.to_owned()),
            _ => return Err(USAGE.into()),
        }
    }
    let name = family.ok_or(USAGE)?;
    let (_, schema) = FAMILIES
        .iter()
        .find(|(n, _)| *n == name || n.replace('-', "_") == name.replace('-', "_"))
        .ok_or_else(|| format!("{name}: not a family of netlink-families (see `emit --list`)"))?;
    write_out(out, &netlink_ynl::emit(schema))
}

#[cfg(not(feature = "families"))]
fn emit(_: &[String]) -> Result<(), String> {
    Err(
        "`emit` needs the `families` feature: cargo install netlink-ynl --features families \
         (for a family of your own, call `netlink_ynl::emit(&T::SCHEMA)`)"
            .into(),
    )
}
