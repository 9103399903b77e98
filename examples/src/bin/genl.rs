//! `genl`: generic netlink families, their operations, groups and policies, and live events;
//! the counterpart of iproute2's `genl ctrl`, built on `netlink-genl`.
//!
//! ```text
//! genl list                      every family: id, version, header size, max attribute,
//!                                operations with flags, multicast groups
//! genl get NAME                  one family
//! genl policy NAME [OP]          the kernel's attribute policies per operation
//! genl monitor FAMILY [GROUP..]  print events (all groups when none is named)
//! ```
//!
//! Run with `NETLINK_DEBUG=1` to see every message on the wire.

use std::process::ExitCode;

use example_families::genl_text;
use netlink_genl::{Error, FamilyInfo, GenlSocket};

const USAGE: &str = "usage: genl list
       genl get NAME
       genl policy NAME [OP]
       genl monitor FAMILY [GROUP...]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = match args.as_slice() {
        ["list"] | ["ls"] => list(),
        ["get", name] => get(name),
        ["policy", name] => policy(name, None),
        ["policy", name, op] => match parse_num(op) {
            Some(op) => policy(name, Some(op)),
            None => {
                eprintln!("genl: OP must be a command number, got {op:?}");
                return ExitCode::from(2);
            }
        },
        ["monitor", family, groups @ ..] => monitor(family, groups),
        ["-h"] | ["--help"] | ["help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("genl: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_num(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Print one family the way `genl ctrl list` does, with the operation flags always shown.
fn print_family(f: &FamilyInfo) {
    print!("{}", genl_text::family(f));
}

fn list() -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    for f in sock.list_families()? {
        print_family(&f);
    }
    Ok(())
}

fn get(name: &str) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let f = sock.family(name)?.clone();
    print_family(&f);
    Ok(())
}

fn policy(name: &str, op: Option<u32>) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let info = sock.family(name)?.clone();
    let dump = sock.policy(name, op)?;
    print!("{}", genl_text::policy(&info, &dump));
    Ok(())
}

fn monitor(family: &str, groups: &[&str]) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let info = sock.family(family)?.clone();
    let names: Vec<String> = if groups.is_empty() {
        info.groups.iter().map(|g| g.name.clone()).collect()
    } else {
        groups.iter().map(|s| (*s).to_owned()).collect()
    };
    if names.is_empty() {
        eprintln!("genl: family {family} has no multicast groups");
        return Ok(());
    }
    for g in &names {
        let id = sock.join_group(family, g)?;
        eprintln!("listening to {family}/{g} (group {id})");
    }
    loop {
        match sock.recv_view() {
            Ok(v) => {
                if v.family_id() == info.id {
                    print!("{}", genl_text::event(&info, &v));
                }
            }
            Err(Error::Overrun) => eprintln!("genl: events were lost (receive buffer overrun)"),
            Err(e) => return Err(e),
        }
    }
}
