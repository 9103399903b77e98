//! `netdev`: network devices with their XDP features (by name), queues and NAPI instances over
//! the netdev generic netlink family, and device notifications from the `mgmt` group.
//!
//! ```text
//! netdev                 every device of this network namespace, with queues and NAPIs
//! netdev dev IFINDEX     one device (dev-get do)
//! netdev monitor [COUNT] print dev-add / dev-del / dev-change notifications
//! ```

use std::process::ExitCode;

use example_families::netdev::{
    self, Dev, Netdev, if_name, queue_type_name, xdp_act_names, xdp_rx_metadata_names, xsk_names,
};
use netlink_genl::{Error, GenlSocket};

const USAGE: &str = "usage: netdev
       netdev dev IFINDEX
       netdev monitor [COUNT]";

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`... | head`), like the C tools, instead of panicking in
    // println!.
    // SAFETY: resetting SIGPIPE to its default action before any thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = match args.as_slice() {
        [] | ["list"] | ["show"] => list(),
        ["dev", i] => match i.parse() {
            Ok(i) => one(i),
            Err(_) => return usage(),
        },
        ["monitor"] => monitor(None),
        ["monitor", n] => match n.parse() {
            Ok(n) => monitor(Some(n)),
            Err(_) => return usage(),
        },
        ["-h"] | ["--help"] | ["help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return usage(),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("netdev: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn names(v: Vec<String>) -> String {
    if v.is_empty() {
        "none".to_owned()
    } else {
        v.join(" ")
    }
}

fn describe(d: &Dev) -> String {
    let i = d.ifindex.unwrap_or(0);
    let name = if_name(i).unwrap_or_else(|| "?".to_owned());
    let x = d.xdp_features.unwrap_or(0);
    let m = d.xdp_rx_metadata_features.unwrap_or(0);
    let k = d.xsk_features.unwrap_or(0);
    let mut s = format!(
        "{i}: {name}\n\txdp-features ({x:#x}): {}\n\txdp-rx-metadata-features ({m:#x}): {}\n\txsk-features ({k:#x}): {}",
        names(xdp_act_names(x)),
        names(xdp_rx_metadata_names(m)),
        names(xsk_names(k)),
    );
    if let Some(z) = d.xdp_zc_max_segs {
        s.push_str(&format!("\n\txdp-zc-max-segs: {z}"));
    }
    s
}

fn list() -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let devs = netdev::devices(&mut sock)?;
    let queues = netdev::queues(&mut sock, None)?;
    let napis = netdev::napis(&mut sock, None)?;
    for d in &devs {
        println!("{}", describe(d));
        let mine: Vec<String> = queues
            .iter()
            .filter(|q| q.ifindex == d.ifindex)
            .map(|q| {
                let mut s = format!(
                    "{}-{}",
                    queue_type_name(q.ty.unwrap_or(u32::MAX)),
                    q.id.unwrap_or(0)
                );
                if let Some(n) = q.napi_id {
                    s.push_str(&format!(" (napi {n})"));
                }
                s
            })
            .collect();
        println!("\tqueues: {}", names(mine));
        let mine: Vec<String> = napis
            .iter()
            .filter(|n| n.ifindex == d.ifindex)
            .map(|n| {
                let mut s = format!("{}", n.id.unwrap_or(0));
                if let Some(irq) = n.irq {
                    s.push_str(&format!(" irq {irq}"));
                }
                if let Some(pid) = n.pid {
                    s.push_str(&format!(" pid {pid}"));
                }
                s
            })
            .collect();
        println!("\tnapi: {}", names(mine));
    }
    Ok(())
}

fn one(ifindex: u32) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    if let Some(d) = netdev::device(&mut sock, ifindex)? {
        println!("{}", describe(&d));
    }
    Ok(())
}

fn monitor(count: Option<usize>) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let group = sock.join::<Netdev>(netdev::MGMT_GROUP)?;
    println!("listening on netdev group {} ({group})", netdev::MGMT_GROUP);
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match sock.recv_event::<Netdev>() {
            Ok(ev) => ev,
            Err(Error::Overrun) => {
                eprintln!("(notifications lost: receive buffer overrun)");
                continue;
            }
            Err(Error::Decode(e)) => {
                println!("undecoded notification: {e}");
                seen += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        seen += 1;
        let what = match &ev.msg {
            Netdev::DevAddNtf(_) => "dev-add",
            Netdev::DevDelNtf(_) => "dev-del",
            Netdev::DevChangeNtf(_) => "dev-change",
            _ => "other",
        };
        match ev.msg.dev() {
            Some(d) => println!("[{what}] {}", describe(d)),
            None => println!("[{what}] {:?}", ev.msg),
        }
    }
    Ok(())
}
