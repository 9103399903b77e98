//! `ethtool`: a device's link settings, link state, features and channels over the ethtool
//! generic netlink family, and feature-change notifications; a small counterpart of
//! `ethtool IFACE`, `ethtool -k`, `ethtool -l`, `ethtool -K` and `ethtool --monitor`.
//!
//! ```text
//! ethtool IFACE                          link settings, link state, features, channels
//! ethtool features IFACE                 features only (like ethtool -k)
//! ethtool set IFACE FEATURE on|off ...   change features (like ethtool -K), print the reply
//! ethtool monitor [COUNT]                print notifications of the `monitor` group
//! ```
//!
//! Kernel errors are printed with their errno, extended-ACK message and the attribute of the
//! request they point at (`ethtool nosuchdev`: `ENODEV ... no device matches name (attribute
//! LinkstateGet.header.dev_name)`).

use std::collections::BTreeMap;
use std::process::ExitCode;

use example_families::ethtool::{
    self, Bitset, Ethtool, FeatureState, Features, Header, Strset, duplex_name, mdix_name,
    port_name, stringset, transceiver_name,
};
use netlink_genl::{Error, GenlSocket};

const USAGE: &str = "usage: ethtool IFACE
       ethtool features IFACE
       ethtool set IFACE FEATURE on|off [FEATURE on|off ...]
       ethtool monitor [COUNT]";

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`... | head`), like the C tools, instead of panicking in
    // println!.
    // SAFETY: resetting SIGPIPE to its default action before any thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = match args.as_slice() {
        ["-h"] | ["--help"] | ["help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        ["monitor"] => monitor(None),
        ["monitor", n] => match n.parse() {
            Ok(n) => monitor(Some(n)),
            Err(_) => return usage(),
        },
        ["features", dev] | ["-k", dev] => {
            GenlSocket::new().and_then(|mut s| print_features(&mut s, dev))
        }
        ["set", dev, changes @ ..] if !changes.is_empty() && changes.len() % 2 == 0 => {
            let mut parsed = Vec::new();
            for pair in changes.chunks(2) {
                match pair {
                    [name, "on"] => parsed.push((*name, true)),
                    [name, "off"] => parsed.push((*name, false)),
                    _ => return usage(),
                }
            }
            set(dev, &parsed)
        }
        [dev] if !dev.starts_with('-') => show(dev),
        _ => return usage(),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ethtool: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

/// A section the device does not support is reported and skipped, as ethtool does; any other
/// error ends the program.
fn optional<T>(what: &str, r: Result<T, Error>) -> Result<Option<T>, Error> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(Error::Kernel(k)) if k.errno == 95 => {
            println!(
                "\t{what}: not supported ({})",
                k.msg.as_deref().unwrap_or("EOPNOTSUPP")
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn show(dev: &str) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    // Link state works for every device: a missing device fails here, with the kernel's error.
    let state = ethtool::linkstate(&mut sock, dev)?;
    println!("Settings for {dev}:");
    if let Some(modes) = optional("Link modes", ethtool::linkmodes(&mut sock, dev))? {
        print_modes("Supported link modes", modes.ours.as_ref(), false)?;
        print_modes("Advertised link modes", modes.ours.as_ref(), true)?;
        print_modes(
            "Link partner advertised link modes",
            modes.peer.as_ref(),
            true,
        )?;
        match modes.speed {
            Some(s) if s != u32::MAX => println!("\tSpeed: {s}Mb/s"),
            _ => println!("\tSpeed: Unknown!"),
        }
        if let Some(d) = modes.duplex {
            println!("\tDuplex: {}", duplex_name(d));
        }
        if let Some(a) = modes.autoneg {
            println!("\tAuto-negotiation: {}", if a != 0 { "on" } else { "off" });
        }
    }
    if let Some(info) = optional("Link info", ethtool::linkinfo(&mut sock, dev))? {
        if let Some(p) = info.port {
            println!("\tPort: {}", port_name(p));
        }
        if let Some(a) = info.phyaddr {
            println!("\tPHYAD: {a}");
        }
        if let Some(t) = info.transceiver {
            println!("\tTransceiver: {}", transceiver_name(t));
        }
        if let Some(m) = info.tp_mdix {
            println!("\tMDI-X: {}", mdix_name(m));
        }
    }
    if let Some(l) = state.link {
        println!("\tLink detected: {}", yes_no(l != 0));
    }
    print_features(&mut sock, dev)?;
    println!("Channel parameters for {dev}:");
    if let Some(c) = optional("Channels", ethtool::channels(&mut sock, dev))? {
        let n = |v: Option<u32>| {
            v.filter(|&v| v != 0)
                .map_or("n/a".to_owned(), |v| v.to_string())
        };
        println!("\tRX:       {} (max {})", n(c.rx_count), n(c.rx_max));
        println!("\tTX:       {} (max {})", n(c.tx_count), n(c.tx_max));
        println!("\tOther:    {} (max {})", n(c.other_count), n(c.other_max));
        println!(
            "\tCombined: {} (max {})",
            n(c.combined_count),
            n(c.combined_max)
        );
    }
    Ok(())
}

/// Link modes from a verbose bitset: the supported ones are the mask (every listed bit), the
/// advertised ones those with VALUE.
fn print_modes(title: &str, b: Option<&Bitset>, only_set: bool) -> Result<(), Error> {
    let names: Vec<String> = match b {
        Some(b) => b
            .bits(&[])?
            .into_iter()
            .filter(|bit| bit.set || !only_set)
            .map(|bit| bit.name.unwrap_or_else(|| format!("bit{}", bit.index)))
            .collect(),
        None => Vec::new(),
    };
    if names.is_empty() {
        println!("\t{title}: Not reported");
    } else {
        println!("\t{title}: {}", names.join(" "));
    }
    Ok(())
}

fn feature_line(f: &FeatureState) -> String {
    let onoff = |v| if v { "on" } else { "off" };
    let mut s = format!("\t{}: {}", f.name, onoff(f.active));
    if f.fixed() {
        s.push_str(" [fixed]");
    } else if f.wanted != f.active {
        s.push_str(&format!(" [requested {}]", onoff(f.wanted)));
    }
    s
}

fn print_features(sock: &mut GenlSocket, dev: &str) -> Result<(), Error> {
    println!("Features for {dev}:");
    for f in ethtool::features(sock, dev)?
        .iter()
        .filter(|f| !f.name.is_empty())
    {
        println!("{}", feature_line(f));
    }
    Ok(())
}

fn set(dev: &str, changes: &[(&str, bool)]) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let names = ethtool::feature_names(&mut sock, dev)?;
    match ethtool::set_features(&mut sock, dev, changes)? {
        None => println!("{dev}: features set as requested"),
        Some(reply) => {
            // The reply lists what differs from the request: the wanted bits the kernel did
            // not take as asked, and every active bit that changed.
            for (what, b) in [("wanted", &reply.wanted), ("active", &reply.active)] {
                let Some(b) = b else { continue };
                let bits: Vec<String> = b
                    .bits(&names)?
                    .into_iter()
                    .map(|bit| {
                        let name = bit.name.unwrap_or_else(|| format!("bit{}", bit.index));
                        format!("{name} {}", if bit.set { "on" } else { "off" })
                    })
                    .collect();
                if !bits.is_empty() {
                    println!("{dev}: {what}: {}", bits.join(", "));
                }
            }
        }
    }
    Ok(())
}

/// Feature names (global: the same for every device) and the last known active features of
/// each device, so notifications can be shown as changes.
struct FeatureCache {
    names: Vec<String>,
    active: BTreeMap<String, Vec<bool>>,
}

impl FeatureCache {
    fn load(sock: &mut GenlSocket) -> Result<Self, Error> {
        // No device: the global sets (the kernel still wants an (empty) header).
        let req = Ethtool::StrsetGet(Strset {
            header: Some(Header::default()),
            ..Strset::request("", stringset::FEATURES)
        });
        let names = match sock.request(&req)? {
            Ethtool::StrsetGetReply(r) => r.names(stringset::FEATURES).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut cache = FeatureCache {
            names,
            active: BTreeMap::new(),
        };
        // Every device's current features (a dump: empty header, compact bitsets).
        let dump = Ethtool::FeaturesGet(Features::for_header(
            Header::default().with_flags(ethtool::flags::COMPACT_BITSETS),
        ));
        let mut replies = Vec::new();
        sock.dump_with(&dump, |m: Ethtool| {
            replies.push(m);
            Ok(())
        })?;
        for m in replies {
            if let Ethtool::FeaturesGetReply(f) = m {
                cache.update(&f)?;
            }
        }
        Ok(cache)
    }

    /// Record `f`'s active features; returns the changes (name, now on) since the last time.
    fn update(&mut self, f: &Features) -> Result<Vec<(String, bool)>, Error> {
        let dev = f
            .header
            .as_ref()
            .map_or_else(|| "?".to_owned(), Header::device);
        let Some(active) = &f.active else {
            return Ok(Vec::new());
        };
        let bits = active.bits(&self.names)?;
        let now: Vec<bool> = bits.iter().map(|b| b.set).collect();
        let changes = match self.active.get(&dev) {
            None => Vec::new(),
            Some(before) => bits
                .iter()
                .filter(|b| before.get(b.index as usize) != Some(&b.set))
                .map(|b| {
                    let name = b.name.clone().unwrap_or_else(|| format!("bit{}", b.index));
                    (name, b.set)
                })
                .collect(),
        };
        self.active.insert(dev, now);
        Ok(changes)
    }
}

fn monitor(count: Option<usize>) -> Result<(), Error> {
    let mut sock = GenlSocket::new()?;
    let group = sock.join::<Ethtool>(ethtool::MONITOR_GROUP)?;
    let mut cache = FeatureCache::load(&mut sock)?;
    println!(
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
                println!("undecoded notification: {e}");
                seen += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        seen += 1;
        let dev = ev
            .msg
            .header()
            .map_or_else(|| "?".to_owned(), Header::device);
        match &ev.msg {
            Ethtool::FeaturesNtf(f) => {
                let changes = cache.update(f)?;
                let text: Vec<String> = changes
                    .iter()
                    .map(|(n, on)| format!("{n} {}", if *on { "on" } else { "off" }))
                    .collect();
                println!(
                    "{dev}: features changed: {}",
                    if text.is_empty() {
                        "(first seen)".to_owned()
                    } else {
                        text.join(", ")
                    }
                );
            }
            Ethtool::ChannelsNtf(c) => println!(
                "{dev}: channels: rx {:?} tx {:?} other {:?} combined {:?}",
                c.rx_count, c.tx_count, c.other_count, c.combined_count
            ),
            other => println!(
                "{dev}: {}",
                <Ethtool as netlink_genl::GenlMessage>::command_name(
                    netlink_genl::GenlMessage::command(other)
                )
                .unwrap_or("notification")
            ),
        }
    }
    Ok(())
}
