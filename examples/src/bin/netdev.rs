//! `netdev`: network devices with their XDP features (by name), queues and NAPI instances over
//! the netdev generic netlink family, and device notifications from the `mgmt` group.
//!
//! ```text
//! netdev [list]              every device of this network namespace, with queues and NAPIs
//! netdev dev DEV             one device (dev-get do), by name or ifindex
//! netdev monitor [COUNT]     print dev-add / dev-del / dev-change notifications
//! ```
//!
//! `--json` prints the same data as JSON (one object per line for `monitor`).

use std::error::Error;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use example_families::cli;
use example_families::netdev::{self, Netdev, show};
use netlink_genl::GenlSocket;

/// Network devices with their XDP features, queues and NAPI instances (the netdev generic
/// netlink family), and device notifications.
#[derive(Debug, Parser)]
#[command(name = "netdev", version)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    /// Print JSON instead of text (one object per line for `monitor`).
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Every device of this network namespace, with queues and NAPI instances (the default).
    #[command(visible_alias = "show")]
    List,
    /// One device.
    Dev {
        /// The device, by name or ifindex (`lo`, `1`).
        dev: String,
    },
    /// Print dev-add / dev-del / dev-change notifications of the `mgmt` group.
    Monitor {
        /// Stop after this many notifications.
        count: Option<usize>,
    },
}

fn main() -> ExitCode {
    let args: Cli = cli::parse();
    cli::finish(run(args))
}

fn run(args: Cli) -> Result<(), Box<dyn Error>> {
    let mut sock = GenlSocket::new()?;
    match args.cmd.unwrap_or(Cmd::List) {
        Cmd::List => list(&mut sock, args.json),
        Cmd::Dev { dev } => one(&mut sock, &dev, args.json),
        Cmd::Monitor { count } => monitor(&mut sock, count, args.json),
    }
}

fn list(sock: &mut GenlSocket, json: bool) -> Result<(), Box<dyn Error>> {
    cli::out(&show::list(sock, json)?);
    Ok(())
}

fn one(sock: &mut GenlSocket, dev: &str, json: bool) -> Result<(), Box<dyn Error>> {
    // A name of this namespace, or an index (an unknown one gets the kernel's answer).
    let ifindex = cli::ifindex_of(dev)
        .or_else(|| dev.parse().ok())
        .ok_or_else(|| format!("no device named {dev:?}"))?;
    cli::out(&show::device(sock, ifindex, json)?);
    Ok(())
}

fn monitor(sock: &mut GenlSocket, count: Option<usize>, json: bool) -> Result<(), Box<dyn Error>> {
    let group = sock.join::<Netdev>(netdev::MGMT_GROUP)?;
    eprintln!("listening on netdev group {} ({group})", netdev::MGMT_GROUP);
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match sock.recv_event::<Netdev>() {
            Ok(ev) => ev,
            Err(netlink_genl::Error::Overrun) => {
                eprintln!("(notifications lost: receive buffer overrun)");
                continue;
            }
            Err(netlink_genl::Error::Decode(e)) => {
                eprintln!("undecoded notification: {e}");
                seen += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        seen += 1;
        cli::out(&show::event(&ev.msg, json));
    }
    Ok(())
}
