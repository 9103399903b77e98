//! `netlink-ynl generate SPEC.yaml [-o OUT.rs]`: print (or write) the Rust for a YNL spec.

use std::process::ExitCode;

const USAGE: &str = "usage: netlink-ynl generate SPEC.yaml [-o OUT.rs] [--no-module-doc]";

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
    match out {
        Some(o) => std::fs::write(&o, rust).map_err(|e| format!("{o}: {e}")),
        None => {
            print!("{rust}");
            Ok(())
        }
    }
}
