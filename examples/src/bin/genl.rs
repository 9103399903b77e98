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

use std::collections::BTreeSet;
use std::process::ExitCode;

use netlink_core::attr::AttrIter;
use netlink_genl::ctrl::{self, AttrPolicy, Ctrl, PolicyDump};
use netlink_genl::{AttrSet, Error, FamilyInfo, GenlMessage, GenlSocket, GenlView};

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
    print!("{}", examples::genl_text::family(f));
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

/// The name of attribute `id` in policy table `idx`, when the family is one whose types this
/// program knows (nlctrl).
fn attr_name(family: &str, idx: u32, id: u16) -> Option<&'static str> {
    (family == "nlctrl" && idx == 0)
        .then(|| <ctrl::Family as AttrSet>::attr_name(id))
        .flatten()
}

fn print_table(dump: &PolicyDump, family: &str, idx: u32, indent: usize, seen: &mut BTreeSet<u32>) {
    let pad = "  ".repeat(indent);
    let Some(table) = dump.policy(idx) else {
        println!("{pad}policy {idx}: (not in the dump)");
        return;
    };
    if !seen.insert(idx) {
        println!("{pad}policy {idx}: (see above)");
        return;
    }
    println!("{pad}policy {idx}:");
    for (attr, p) in table {
        let name = attr_name(family, idx, *attr)
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        println!("{pad}  attr {attr}{name}: {}", describe(p));
        if let Some(inner) = p.policy_idx {
            print_table(dump, family, inner, indent + 2, seen);
        }
    }
}

/// A policy in words: type, then bounds.
fn describe(p: &AttrPolicy) -> String {
    let s = p.to_string();
    if s.is_empty() { "(no type)".into() } else { s }
}

fn policy(name: &str, op: Option<u32>) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let info = sock.family(name)?.clone();
    let dump = sock.policy(name, op)?;
    println!(
        "{name} (id {:#x}): {} operations with policies, {} policy tables, {} messages{}",
        info.id,
        dump.ops.len(),
        dump.policies.len(),
        dump.messages,
        if dump.interrupted {
            " (dump interrupted: retry for a consistent view)"
        } else {
            ""
        }
    );
    let command_name = |cmd: u32| -> String {
        match u8::try_from(cmd)
            .ok()
            .and_then(|c| (name == "nlctrl").then(|| Ctrl::command_name(c)).flatten())
        {
            Some(n) => format!(" ({n})"),
            None => String::new(),
        }
    };
    for (cmd, p) in &dump.ops {
        let flags = info
            .op(*cmd)
            .map(|o| format!(" [{}]", ctrl::op_flags::describe(o.flags).join(", ")))
            .unwrap_or_default();
        let cmd_label = if *cmd == 0 {
            "op 0 (dump-only operations)".to_owned()
        } else {
            format!("op {cmd:#x}{}{flags}", command_name(*cmd))
        };
        println!("{cmd_label}");
        for (what, idx) in [("do", p.do_policy), ("dump", p.dump_policy)] {
            if let Some(idx) = idx {
                println!("  {what}:");
                print_table(&dump, name, idx, 2, &mut BTreeSet::new());
            }
        }
    }
    if dump.ops.is_empty() {
        // Families with one policy for all operations report only tables.
        for idx in dump.policies.keys() {
            print_table(&dump, name, *idx, 0, &mut BTreeSet::new());
        }
    }
    Ok(())
}

/// Attributes as ids and hex, nests (`NLA_F_NESTED`) recursively.
fn print_attrs(attrs: AttrIter<'_>, indent: usize) {
    let pad = "  ".repeat(indent);
    for a in attrs {
        match a {
            Ok(a) if a.is_nested() => {
                println!(
                    "{pad}attr {} (nested, {} bytes):",
                    a.id(),
                    a.payload().len()
                );
                print_attrs(a.nested(), indent + 1);
            }
            Ok(a) => println!("{pad}attr {}: {}", a.id(), hex(a.payload())),
            Err(e) => println!("{pad}<malformed: {e}>"),
        }
    }
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "(empty)".into();
    }
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn print_event(info: &FamilyInfo, v: &GenlView<'_>) {
    let group = info
        .group_name(v.group())
        .map(str::to_owned)
        .unwrap_or_else(|| v.group().to_string());
    if info.name == "nlctrl" {
        match v.decode::<Ctrl>() {
            Ok(msg) => {
                let f = msg.family();
                println!(
                    "[{group}] {} family {} (id {:?}) groups {:?}",
                    Ctrl::command_name(v.cmd()).unwrap_or("?"),
                    f.name.as_deref().unwrap_or("?"),
                    f.id,
                    f.mcast_groups
                        .iter()
                        .map(|g| format!(
                            "{}={}",
                            g.name.as_deref().unwrap_or("?"),
                            g.id.unwrap_or(0)
                        ))
                        .collect::<Vec<_>>()
                );
                return;
            }
            Err(e) => println!("[{group}] undecodable nlctrl message: {e}"),
        }
    }
    println!(
        "[{group}] {} cmd {} version {} seq {} pid {}",
        info.name,
        v.cmd(),
        v.genl_header().version,
        v.header().seq,
        v.header().pid
    );
    print_attrs(v.attrs(info.hdrsize as usize), 1);
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
                    print_event(&info, &v);
                }
            }
            Err(Error::Overrun) => eprintln!("genl: events were lost (receive buffer overrun)"),
            Err(e) => return Err(e),
        }
    }
}
