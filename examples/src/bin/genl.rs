//! `genl`: generic netlink families, their operations, groups and policies, and live events;
//! the counterpart of iproute2's `genl ctrl`, built on `netlink-genl`.
//!
//! ```text
//! genl list                          every family: id, version, header size, max attribute,
//!                                    operations with flags, multicast groups
//! genl get FAMILY                    one family, by name or id (nlctrl, 0x10, 16)
//! genl policy FAMILY [OP]            the kernel's attribute policies per operation
//! genl monitor FAMILY [GROUP...]     print events (all groups when none is named), by name
//!                                    for the families the examples declare, hex otherwise
//! genl check [FAMILY]                compare the project's types for FAMILY (all families
//!                                    the kernel has, when none is named) with the kernel's
//!                                    operations and policies; exits 1 on a mismatch
//! ```
//!
//! `--json` prints the same data as JSON (one object per line for `monitor`); `--help` tells
//! more. Run with `NETLINK_DEBUG=1` to see every message on the wire.

use std::error::Error;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use example_families::{cli, genl_check, genl_events, genl_json, genl_text};
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::{FamilyInfo, GenlSocket};

/// Generic netlink families, their operations, groups and policies, and live events (like
/// iproute2's `genl ctrl`).
#[derive(Debug, Parser)]
#[command(
    name = "genl",
    version,
    after_help = "Run with NETLINK_DEBUG=1 to see every message on the wire."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// Print JSON instead of text (one object per line for `monitor`).
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Every family: id, version, header size, max attribute, operations with flags, multicast
    /// groups.
    #[command(visible_alias = "ls")]
    List,
    /// One family.
    Get {
        /// The family, by name or id (`nlctrl`, `0x10`, `16`).
        family: String,
    },
    /// The kernel's attribute policies of a family, per operation.
    Policy {
        /// The family, by name or id.
        family: String,
        /// Only this operation (command number, decimal or 0x-hex).
        #[arg(value_parser = parse_op)]
        op: Option<u32>,
    },
    /// Print the events of a family's multicast groups as they arrive.
    Monitor {
        /// The family, by name or id.
        family: String,
        /// The groups to join (all of the family's groups when none is named).
        groups: Vec<String>,
        /// Stop after this many events.
        #[arg(short = 'n', long)]
        count: Option<usize>,
    },
    /// Compare the types the project declares and generates for a family with the kernel's
    /// operations and policies (`check_schema`); exit 1 on a mismatch.
    Check {
        /// The family, by name or id (every family the kernel has, when none is named).
        family: Option<String>,
        /// Print the warnings and notes too (by default only mismatches are listed).
        #[arg(short, long)]
        verbose: bool,
    },
}

fn parse_op(s: &str) -> Result<u32, String> {
    cli::number(s).ok_or_else(|| format!("OP must be a command number, got {s:?}"))
}

fn main() -> ExitCode {
    let args: Cli = cli::parse();
    cli::finish(run(args))
}

fn run(args: Cli) -> Result<(), Box<dyn Error>> {
    let mut sock = GenlSocket::new()?;
    match args.cmd {
        Cmd::List => {
            let families = sock.list_families()?;
            if args.json {
                let v: Vec<genl_json::Family> = families.iter().map(Into::into).collect();
                cli::json(&v);
            } else {
                let text: String = families.iter().map(genl_text::family).collect();
                cli::out(&text);
            }
        }
        Cmd::Get { family } => {
            let f = resolve(&mut sock, &family)?;
            if args.json {
                cli::json(&genl_json::Family::from(&f));
            } else {
                cli::out(&genl_text::family(&f));
            }
        }
        Cmd::Policy { family, op } => {
            let info = resolve(&mut sock, &family)?;
            let dump = sock.policy(&info.name, op)?;
            if args.json {
                cli::json(&genl_json::Policy::new(&info, &dump));
            } else {
                cli::out(&genl_text::policy(&info, &dump));
            }
        }
        Cmd::Monitor {
            family,
            groups,
            count,
        } => monitor(&mut sock, &family, groups, count, args.json)?,
        Cmd::Check { family, verbose } => check(&mut sock, family, verbose, args.json)?,
    }
    Ok(())
}

/// A family by name, or by id (decimal or 0x-hex) as `genl ctrl get id` takes it.
fn resolve(sock: &mut GenlSocket, family: &str) -> Result<FamilyInfo, Box<dyn Error>> {
    let Some(id) = cli::number(family) else {
        return Ok(sock.family(family)?.clone());
    };
    let id =
        u16::try_from(id).map_err(|_| format!("no family has id {family}: ids are 16 bits"))?;
    let reply = sock.request(&Ctrl::GetFamily(Family::by_id(id)))?;
    let info = FamilyInfo::try_from(reply.into_family())?;
    Ok(sock.families_mut().insert(info).clone())
}

fn check(
    sock: &mut GenlSocket,
    family: Option<String>,
    verbose: bool,
    json: bool,
) -> Result<(), Box<dyn Error>> {
    let types: Vec<&genl_check::Declared> = match &family {
        Some(f) => {
            let info = resolve(sock, f)?;
            let types = genl_check::of_family(&info.name);
            if types.is_empty() {
                return Err(
                    format!("the project declares no type for family {}", info.name).into(),
                );
            }
            types
        }
        None => {
            let have = sock.list_families()?;
            genl_check::TYPES
                .iter()
                .filter(|t| have.iter().any(|f| f.name == t.family))
                .collect()
        }
    };
    let mut mismatches = 0;
    let mut reports = Vec::new();
    for t in types {
        let report = (t.check)(sock)?;
        mismatches += report.mismatches();
        if json {
            reports.push(genl_check::Report::new(t.label, &report));
        } else {
            cli::out(&genl_check::text(t.label, &report, verbose));
        }
    }
    if json {
        cli::json(&reports);
    }
    if mismatches > 0 {
        return Err(format!("{mismatches} mismatches").into());
    }
    Ok(())
}

fn monitor(
    sock: &mut GenlSocket,
    family: &str,
    groups: Vec<String>,
    count: Option<usize>,
    json: bool,
) -> Result<(), Box<dyn Error>> {
    let info = resolve(sock, family)?;
    let names: Vec<String> = if groups.is_empty() {
        info.groups.iter().map(|g| g.name.clone()).collect()
    } else {
        groups
    };
    if names.is_empty() {
        return Err(format!("family {} has no multicast groups", info.name).into());
    }
    for g in &names {
        let id = sock.join_group(&info.name, g)?;
        eprintln!("listening to {}/{g} (group {id})", info.name);
    }
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        match sock.recv_view() {
            Ok(v) if v.family_id() == info.id => {
                seen += 1;
                if json {
                    cli::json(&genl_events::json(&info, &v));
                } else {
                    cli::out(&genl_events::text(&info, &v));
                }
            }
            Ok(_) => {}
            Err(netlink_genl::Error::Overrun) => {
                eprintln!("genl: events were lost (receive buffer overrun)");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
