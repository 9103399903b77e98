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
use example_families::netdev::{
    self, Dev, Napi, Netdev, Queue, if_name, queue_type_name, xdp_act_names, xdp_rx_metadata_names,
    xsk_names,
};
use netlink_genl::GenlSocket;
use serde::Serialize;

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

/// A bitmask with its flag names.
#[derive(Debug, Serialize)]
struct Flags {
    value: u64,
    names: Vec<String>,
}

impl Flags {
    fn new(value: Option<u64>, names: fn(u64) -> Vec<String>) -> Self {
        let value = value.unwrap_or(0);
        Flags {
            value,
            names: names(value),
        }
    }

    fn text(&self) -> String {
        if self.names.is_empty() {
            "none".to_owned()
        } else {
            self.names.join(" ")
        }
    }
}

/// One queue of a device.
#[derive(Debug, Serialize)]
struct QueueOut {
    #[serde(rename = "type")]
    ty: &'static str,
    id: u32,
    napi_id: Option<u32>,
}

/// One NAPI instance of a device.
#[derive(Debug, Serialize)]
struct NapiOut {
    id: u32,
    irq: Option<u32>,
    pid: Option<u32>,
}

/// One device: what the text shows, and the JSON.
#[derive(Debug, Serialize)]
struct DevOut {
    ifindex: u32,
    name: Option<String>,
    xdp_features: Flags,
    xdp_rx_metadata_features: Flags,
    xsk_features: Flags,
    xdp_zc_max_segs: Option<u32>,
    /// In the listing only.
    #[serde(skip_serializing_if = "Option::is_none")]
    queues: Option<Vec<QueueOut>>,
    /// In the listing only.
    #[serde(skip_serializing_if = "Option::is_none")]
    napi: Option<Vec<NapiOut>>,
}

impl DevOut {
    fn new(d: &Dev) -> Self {
        let ifindex = d.ifindex.unwrap_or(0);
        DevOut {
            ifindex,
            name: if_name(ifindex),
            xdp_features: Flags::new(d.xdp_features, xdp_act_names),
            xdp_rx_metadata_features: Flags::new(d.xdp_rx_metadata_features, xdp_rx_metadata_names),
            xsk_features: Flags::new(d.xsk_features, xsk_names),
            xdp_zc_max_segs: d.xdp_zc_max_segs,
            queues: None,
            napi: None,
        }
    }

    fn with_queues(mut self, d: &Dev, queues: &[Queue], napis: &[Napi]) -> Self {
        self.queues = Some(
            queues
                .iter()
                .filter(|q| q.ifindex == d.ifindex)
                .map(|q| QueueOut {
                    ty: queue_type_name(q.ty.unwrap_or(u32::MAX)),
                    id: q.id.unwrap_or(0),
                    napi_id: q.napi_id,
                })
                .collect(),
        );
        self.napi = Some(
            napis
                .iter()
                .filter(|n| n.ifindex == d.ifindex)
                .map(|n| NapiOut {
                    id: n.id.unwrap_or(0),
                    irq: n.irq,
                    pid: n.pid,
                })
                .collect(),
        );
        self
    }

    fn text(&self) -> String {
        let x = &self.xdp_features;
        let m = &self.xdp_rx_metadata_features;
        let k = &self.xsk_features;
        let mut s = format!(
            "{}: {}\n\txdp-features ({:#x}): {}\n\txdp-rx-metadata-features ({:#x}): {}\n\txsk-features ({:#x}): {}\n",
            self.ifindex,
            self.name.as_deref().unwrap_or("?"),
            x.value,
            x.text(),
            m.value,
            m.text(),
            k.value,
            k.text(),
        );
        if let Some(z) = self.xdp_zc_max_segs {
            s.push_str(&format!("\txdp-zc-max-segs: {z}\n"));
        }
        let none = |v: Vec<String>| {
            if v.is_empty() {
                "none".to_owned()
            } else {
                v.join(" ")
            }
        };
        if let Some(queues) = &self.queues {
            let q: Vec<String> = queues
                .iter()
                .map(|q| match q.napi_id {
                    Some(n) => format!("{}-{} (napi {n})", q.ty, q.id),
                    None => format!("{}-{}", q.ty, q.id),
                })
                .collect();
            s.push_str(&format!("\tqueues: {}\n", none(q)));
        }
        if let Some(napis) = &self.napi {
            let n: Vec<String> = napis
                .iter()
                .map(|n| {
                    let mut s = n.id.to_string();
                    if let Some(irq) = n.irq {
                        s.push_str(&format!(" irq {irq}"));
                    }
                    if let Some(pid) = n.pid {
                        s.push_str(&format!(" pid {pid}"));
                    }
                    s
                })
                .collect();
            s.push_str(&format!("\tnapi: {}\n", none(n)));
        }
        s
    }
}

fn list(sock: &mut GenlSocket, json: bool) -> Result<(), Box<dyn Error>> {
    let devs = netdev::devices(sock)?;
    let queues = netdev::queues(sock, None)?;
    let napis = netdev::napis(sock, None)?;
    let out: Vec<DevOut> = devs
        .iter()
        .map(|d| DevOut::new(d).with_queues(d, &queues, &napis))
        .collect();
    if json {
        cli::json(&out);
    } else {
        cli::out(&out.iter().map(DevOut::text).collect::<String>());
    }
    Ok(())
}

fn one(sock: &mut GenlSocket, dev: &str, json: bool) -> Result<(), Box<dyn Error>> {
    // A name of this namespace, or an index (an unknown one gets the kernel's answer).
    let ifindex = cli::ifindex_of(dev)
        .or_else(|| dev.parse().ok())
        .ok_or_else(|| format!("no device named {dev:?}"))?;
    let d = netdev::device(sock, ifindex)?
        .ok_or_else(|| format!("no dev-get reply for ifindex {ifindex}"))?;
    let d = DevOut::new(&d);
    if json {
        cli::json(&d);
    } else {
        cli::out(&d.text());
    }
    Ok(())
}

/// One notification as JSON.
#[derive(Debug, Serialize)]
struct EventOut {
    event: &'static str,
    dev: Option<DevOut>,
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
        let event = match &ev.msg {
            Netdev::DevAddNtf(_) => "dev-add",
            Netdev::DevDelNtf(_) => "dev-del",
            Netdev::DevChangeNtf(_) => "dev-change",
            _ => "other",
        };
        let dev = ev.msg.dev().map(DevOut::new);
        if json {
            cli::json(&EventOut { event, dev });
        } else {
            match dev {
                Some(d) => cli::out(&format!("[{event}] {}", d.text())),
                None => cli::out(&format!("[{event}] {:?}\n", ev.msg)),
            }
        }
    }
    Ok(())
}
