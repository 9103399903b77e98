//! `ethtool`: a device's link settings, link state, features and channels over the ethtool
//! generic netlink family, and feature-change notifications; a small counterpart of
//! `ethtool IFACE`, `ethtool -k`, `ethtool -l`, `ethtool -K` and `ethtool --monitor`.
//!
//! ```text
//! ethtool DEV                              link settings, link state, features, channels
//! ethtool features DEV   (or -k DEV)       features only (like ethtool -k)
//! ethtool set DEV FEATURE on|off ...       change features (like ethtool -K), print the reply
//! ethtool monitor [COUNT]                  print notifications of the `monitor` group
//! ```
//!
//! DEV is an interface name or an ifindex. `--json` prints the same data as JSON (one object per
//! line for `monitor`).
//!
//! Kernel errors are printed with their errno, extended-ACK message and the attribute of the
//! request they point at (`ethtool nosuchdev`: `ENODEV ... no device matches name (attribute
//! LinkstateGet.header.dev_name)`).

use std::error::Error as StdError;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use example_families::cli;
use example_families::ethtool::{self, Ethtool, show};
use netlink_genl::{Error, GenlSocket};

/// A device's link settings, link state, features and channels (the ethtool generic netlink
/// family), feature changes and notifications.
#[derive(Debug, Parser)]
#[command(name = "ethtool", version, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    /// The device (name or ifindex): link settings, link state, features and channels.
    #[arg(required = true)]
    dev: Option<String>,
    /// Print JSON instead of text (one object per line for `monitor`).
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// A device's features (like `ethtool -k`).
    #[command(short_flag = 'k')]
    Features {
        /// The device, by name or ifindex.
        dev: String,
    },
    /// Turn features on or off (like `ethtool -K`) and print what the kernel changed beyond
    /// the request.
    #[command(short_flag = 'K')]
    Set {
        /// The device, by name or ifindex.
        dev: String,
        /// FEATURE on|off, one pair or more.
        #[arg(required = true, value_name = "FEATURE on|off")]
        changes: Vec<String>,
    },
    /// Print notifications of the `monitor` group (feature and channel changes).
    Monitor {
        /// Stop after this many notifications.
        count: Option<usize>,
    },
}

fn main() -> ExitCode {
    let args: Cli = cli::parse();
    let json = args.json;
    if let (Some(dev), Some(_)) = (&args.dev, &args.cmd) {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                format!("a device ({dev:?}) cannot come before a command"),
            )
            .exit();
    }
    let r = match args.cmd {
        Some(Cmd::Features { dev }) => features(&dev_name(&dev), json),
        Some(Cmd::Set { dev, changes }) => {
            let changes = parse_changes(&changes);
            set(&dev_name(&dev), &changes, json)
        }
        Some(Cmd::Monitor { count }) => monitor(count, json),
        None => match args.dev {
            Some(dev) => show(&dev_name(&dev), json),
            None => Err("a device is required".into()),
        },
    };
    cli::finish(r)
}

/// The device's name: itself, or the name of the ifindex it is. A device that does not exist
/// is passed on as it is, for the kernel's error.
fn dev_name(dev: &str) -> String {
    cli::ifname_of(dev).unwrap_or_else(|| dev.to_owned())
}

/// `FEATURE on|off` pairs; anything else is a usage error (exit status 2).
fn parse_changes(words: &[String]) -> Vec<(&str, bool)> {
    let mut parsed = Vec::new();
    for pair in words.chunks(2) {
        match pair {
            [name, on] if on == "on" => parsed.push((name.as_str(), true)),
            [name, off] if off == "off" => parsed.push((name.as_str(), false)),
            _ => Cli::command()
                .error(
                    ErrorKind::InvalidValue,
                    format!("expected FEATURE on|off pairs, got {:?}", pair.join(" ")),
                )
                .exit(),
        }
    }
    parsed
}

type Result2 = Result<(), Box<dyn StdError>>;

fn show(dev: &str, json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    cli::out(&show::settings(&mut sock, dev, json)?);
    Ok(())
}

fn features(dev: &str, json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    cli::out(&show::features(&mut sock, dev, json)?);
    Ok(())
}

fn set(dev: &str, changes: &[(&str, bool)], json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    cli::out(&show::set(&mut sock, dev, changes, json)?);
    Ok(())
}

fn monitor(count: Option<usize>, json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    let group = sock.join::<Ethtool>(ethtool::MONITOR_GROUP)?;
    let mut monitor = show::Monitor::load(&mut sock)?;
    eprintln!(
        "listening on ethtool group {} ({group})",
        ethtool::MONITOR_GROUP
    );
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match sock.recv_event::<Ethtool>() {
            Ok(ev) => ev,
            Err(Error::Overrun) => {
                eprintln!("(notifications lost: receive buffer overrun)");
                continue;
            }
            Err(Error::Decode(e)) => {
                eprintln!("undecoded notification: {e}");
                seen += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        seen += 1;
        cli::out(&monitor.event(&ev.msg, json)?);
    }
    Ok(())
}
