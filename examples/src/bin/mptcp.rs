//! `mptcp`: the in-kernel MPTCP path manager's endpoints and limits over the `mptcp_pm`
//! generic netlink family, and its connection events; the counterpart of `ip mptcp`. Endpoints
//! are per network namespace: try it in one of your own (`unshare -n`, `ip netns exec`).
//!
//! ```text
//! mptcp endpoint add ADDR [id ID] [port PORT] [dev DEV] [signal] [subflow] [backup] [fullmesh]
//! mptcp endpoint del ID
//! mptcp endpoint show [ID]
//! mptcp endpoint change ID [backup|nobackup] [fullmesh|nofullmesh]
//! mptcp endpoint flush
//! mptcp limits [show]
//! mptcp limits set [subflows N] [add_addr_accepted N]
//! mptcp monitor [COUNT]
//! ```
//!
//! DEV is an interface name or an ifindex. `--json` prints the endpoints, limits and events as
//! JSON (one object per line for `monitor`).

use std::error::Error as StdError;
use std::net::IpAddr;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use example_families::cli;
use example_families::mptcp::{self, Address, AddressExt, MptcpEvent, flags, show};
use netlink_genl::{Error, GenlSocket};

/// The in-kernel MPTCP path manager's endpoints and limits (the mptcp_pm generic netlink
/// family), and its connection events; like `ip mptcp`.
#[derive(Debug, Parser)]
#[command(name = "mptcp", version)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// Print JSON instead of text (one object per line for `monitor`).
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// The path manager's endpoints (`show` when no command is given).
    #[command(visible_alias = "ep")]
    Endpoint {
        #[command(subcommand)]
        cmd: Option<EndpointCmd>,
    },
    /// The limits on subflows and accepted ADD_ADDRs (`show` when no command is given).
    Limits {
        #[command(subcommand)]
        cmd: Option<LimitsCmd>,
    },
    /// Print the path manager's connection events.
    Monitor {
        /// Stop after this many events.
        count: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
enum EndpointCmd {
    /// Add an endpoint: ADDR [id ID] [port PORT] [dev DEV] and the flags it has (signal,
    /// subflow, backup, fullmesh).
    Add {
        /// The address (IPv4 or IPv6).
        addr: IpAddr,
        /// `id ID`, `port PORT`, `dev DEV` (name or ifindex) and flag words.
        #[arg(value_name = "WORD")]
        words: Vec<String>,
    },
    /// Delete an endpoint.
    #[command(visible_alias = "delete")]
    Del {
        /// The endpoint id.
        id: u8,
    },
    /// Every endpoint, or one.
    #[command(visible_alias = "list")]
    Show {
        /// The endpoint id.
        id: Option<u8>,
    },
    /// Change an endpoint's flags: backup|nobackup, fullmesh|nofullmesh.
    Change {
        /// The endpoint id.
        id: u8,
        /// The flags to set (`backup`, `fullmesh`) or clear (`nobackup`, `nofullmesh`).
        #[arg(required = true, value_name = "FLAG")]
        words: Vec<String>,
    },
    /// Remove every endpoint.
    Flush,
}

#[derive(Debug, Subcommand)]
enum LimitsCmd {
    /// The limits.
    Show,
    /// Set them: [subflows N] [add_addr_accepted N].
    Set {
        /// `subflows N`, `add_addr_accepted N`.
        #[arg(required = true, value_name = "WORD")]
        words: Vec<String>,
    },
}

/// A usage error found after clap (the `ip`-style words): exit status 2 with the usage.
fn usage(msg: String) -> ! {
    Cli::command().error(ErrorKind::InvalidValue, msg).exit()
}

fn main() -> ExitCode {
    let args: Cli = cli::parse();
    cli::finish(run(args))
}

fn run(args: Cli) -> Result<(), Box<dyn StdError>> {
    let json = args.json;
    let mut sock = GenlSocket::new()?;
    match args.cmd {
        Cmd::Endpoint { cmd } => match cmd.unwrap_or(EndpointCmd::Show { id: None }) {
            EndpointCmd::Add { addr, words } => {
                let a = parse_add(addr, &words);
                mptcp::add_endpoint(&mut sock, &a)?;
            }
            EndpointCmd::Del { id } => mptcp::delete_endpoint(&mut sock, id)?,
            EndpointCmd::Show { id: None } => cli::out(&show::endpoints(&mut sock, json)?),
            EndpointCmd::Show { id: Some(id) } => cli::out(&show::endpoint(&mut sock, id, json)?),
            EndpointCmd::Change { id, words } => {
                let mut f = 0;
                for w in &words {
                    match w.as_str() {
                        "backup" => f |= flags::BACKUP,
                        "fullmesh" => f |= flags::FULLMESH,
                        "nobackup" | "nofullmesh" => {}
                        other => usage(format!("unknown flag {other:?}")),
                    }
                }
                mptcp::set_flags(&mut sock, id, f)?;
            }
            EndpointCmd::Flush => mptcp::flush(&mut sock)?,
        },
        Cmd::Limits { cmd } => match cmd.unwrap_or(LimitsCmd::Show) {
            LimitsCmd::Show => cli::out(&show::limits(&mut sock, json)?),
            LimitsCmd::Set { words } => {
                let (mut add, mut sub) = (None, None);
                let mut it = words.iter();
                while let Some(w) = it.next() {
                    match w.as_str() {
                        "subflows" => sub = Some(num("subflows", it.next())),
                        "add_addr_accepted" => add = Some(num("add_addr_accepted", it.next())),
                        other => usage(format!("unknown limit {other:?}")),
                    }
                }
                mptcp::set_limits(&mut sock, add, sub)?;
            }
        },
        Cmd::Monitor { count } => monitor(&mut sock, count, json)?,
    }
    Ok(())
}

fn num<T: std::str::FromStr>(what: &str, s: Option<&String>) -> T {
    s.and_then(|s| s.parse().ok())
        .unwrap_or_else(|| usage(format!("{what} needs a number")))
}

/// `ADDR [id ID] [port PORT] [dev DEV] [FLAG...]` as `ip mptcp endpoint add` takes it.
fn parse_add(addr: IpAddr, words: &[String]) -> Address {
    let mut a = Address::ip(addr, 0);
    let mut f = 0;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "id" => a.id = Some(num("id", it.next())),
            "port" => a.port = Some(num("port", it.next())),
            "dev" => {
                let dev = it
                    .next()
                    .unwrap_or_else(|| usage("dev needs a name or an index".into()));
                let i = cli::ifindex_of(dev).unwrap_or_else(|| usage(format!("no device {dev:?}")));
                a.if_idx = Some(
                    i32::try_from(i).unwrap_or_else(|_| usage("interface index too large".into())),
                );
            }
            other => match flags::by_name(other) {
                Some(bit) => f |= bit,
                None => usage(format!("unknown word {other:?}")),
            },
        }
    }
    a.flags = Some(f);
    a
}

fn monitor(sock: &mut GenlSocket, count: Option<usize>, json: bool) -> Result<(), Error> {
    let group = sock.join::<MptcpEvent>(mptcp::EVENTS_GROUP)?;
    eprintln!(
        "listening on mptcp_pm group {} ({group})",
        mptcp::EVENTS_GROUP
    );
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match sock.recv_event::<MptcpEvent>() {
            Ok(ev) => ev,
            Err(Error::Overrun) => {
                eprintln!("(events lost: receive buffer overrun)");
                continue;
            }
            Err(Error::Decode(e)) => {
                eprintln!("undecoded event: {e}");
                seen += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        seen += 1;
        cli::out(&show::event(&ev.msg, json));
    }
    Ok(())
}
