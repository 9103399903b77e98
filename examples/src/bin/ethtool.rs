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

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use example_families::cli;
use example_families::ethtool::{
    self, Bitset, Ethtool, FeatureState, Features, Header, Strset, duplex_name, mdix_name,
    port_name, stringset, transceiver_name,
};
use netlink_genl::{Error, GenlMessage, GenlSocket};
use serde::Serialize;

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

fn on_off(v: bool) -> &'static str {
    if v { "on" } else { "off" }
}

/// A section of `ethtool DEV` that the device may not support.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Section<T> {
    Supported(T),
    NotSupported {
        /// The kernel's message (EOPNOTSUPP).
        not_supported: String,
    },
}

/// A section the device does not support is reported and skipped, as ethtool does; any other
/// error ends the program.
fn optional<T, U>(
    r: Result<T, Error>,
    f: impl FnOnce(T) -> Result<U, Error>,
) -> Result<Section<U>, Error> {
    match r {
        Ok(v) => Ok(Section::Supported(f(v)?)),
        Err(Error::Kernel(k)) if k.errno == netlink_genl_core::Errno::OPNOTSUPP => {
            Ok(Section::NotSupported {
                not_supported: k.msg.unwrap_or_else(|| "EOPNOTSUPP".to_owned()),
            })
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Serialize)]
struct LinkModes {
    supported: Vec<String>,
    advertised: Vec<String>,
    partner_advertised: Vec<String>,
    /// Mb/s; null: unknown.
    speed: Option<u32>,
    duplex: Option<&'static str>,
    autoneg: Option<bool>,
}

#[derive(Debug, Serialize)]
struct LinkInfo {
    port: Option<&'static str>,
    phyad: Option<u8>,
    transceiver: Option<&'static str>,
    mdi_x: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct Feature {
    name: String,
    active: bool,
    fixed: bool,
    /// What the user asked for, when it differs from `active` (and the feature is not fixed).
    requested: Option<bool>,
}

impl Feature {
    fn new(f: &FeatureState) -> Self {
        Feature {
            name: f.name.clone(),
            active: f.active,
            fixed: f.fixed(),
            requested: (!f.fixed() && f.wanted != f.active).then_some(f.wanted),
        }
    }

    fn text(&self) -> String {
        let mut s = format!("\t{}: {}", self.name, on_off(self.active));
        if self.fixed {
            s.push_str(" [fixed]");
        } else if let Some(r) = self.requested {
            s.push_str(&format!(" [requested {}]", on_off(r)));
        }
        s.push('\n');
        s
    }
}

/// A channel count and its maximum; null where the text says n/a (absent or 0).
#[derive(Debug, Serialize)]
struct Channel {
    count: Option<u32>,
    max: Option<u32>,
}

impl Channel {
    fn new(count: Option<u32>, max: Option<u32>) -> Self {
        Channel {
            count: count.filter(|&v| v != 0),
            max: max.filter(|&v| v != 0),
        }
    }

    fn text(&self) -> String {
        let n = |v: Option<u32>| v.map_or("n/a".to_owned(), |v| v.to_string());
        format!("{} (max {})", n(self.count), n(self.max))
    }
}

#[derive(Debug, Serialize)]
struct ChannelsOut {
    rx: Channel,
    tx: Channel,
    other: Channel,
    combined: Channel,
}

/// `ethtool DEV`: the data of every section, gathered before anything is printed.
#[derive(Debug, Serialize)]
struct Settings {
    device: String,
    link_modes: Section<LinkModes>,
    link_info: Section<LinkInfo>,
    link_detected: Option<bool>,
    features: Vec<Feature>,
    channels: Section<ChannelsOut>,
}

/// Link modes from a verbose bitset: the supported ones are the mask (every listed bit), the
/// advertised ones those with VALUE.
fn modes(b: Option<&Bitset>, only_set: bool) -> Result<Vec<String>, Error> {
    Ok(match b {
        Some(b) => b
            .bits(&[])?
            .into_iter()
            .filter(|bit| bit.set || !only_set)
            .map(|bit| bit.name.unwrap_or_else(|| format!("bit{}", bit.index)))
            .collect(),
        None => Vec::new(),
    })
}

fn feature_list(sock: &mut GenlSocket, dev: &str) -> Result<Vec<Feature>, Error> {
    Ok(ethtool::features(sock, dev)?
        .iter()
        .filter(|f| !f.name.is_empty())
        .map(Feature::new)
        .collect())
}

impl Settings {
    fn query(sock: &mut GenlSocket, dev: &str) -> Result<Self, Error> {
        // Link state works for every device: a missing device fails here, with the kernel's
        // error.
        let state = ethtool::linkstate(sock, dev)?;
        let link_modes = optional(ethtool::linkmodes(sock, dev), |m| {
            Ok(LinkModes {
                supported: modes(m.ours.as_ref(), false)?,
                advertised: modes(m.ours.as_ref(), true)?,
                partner_advertised: modes(m.peer.as_ref(), true)?,
                speed: m.speed.filter(|&s| s != u32::MAX),
                duplex: m.duplex.map(duplex_name),
                autoneg: m.autoneg.map(|a| a != 0),
            })
        })?;
        let link_info = optional(ethtool::linkinfo(sock, dev), |i| {
            Ok(LinkInfo {
                port: i.port.map(port_name),
                phyad: i.phyaddr,
                transceiver: i.transceiver.map(transceiver_name),
                mdi_x: i.tp_mdix.map(mdix_name),
            })
        })?;
        let features = feature_list(sock, dev)?;
        let channels = optional(ethtool::channels(sock, dev), |c| {
            Ok(ChannelsOut {
                rx: Channel::new(c.rx_count, c.rx_max),
                tx: Channel::new(c.tx_count, c.tx_max),
                other: Channel::new(c.other_count, c.other_max),
                combined: Channel::new(c.combined_count, c.combined_max),
            })
        })?;
        Ok(Settings {
            device: dev.to_owned(),
            link_modes,
            link_info,
            link_detected: state.link.map(|l| l != 0),
            features,
            channels,
        })
    }

    fn text(&self) -> String {
        let dev = &self.device;
        let mut s = format!("Settings for {dev}:\n");
        let mut line = |l: String| {
            s.push('\t');
            s.push_str(&l);
            s.push('\n');
        };
        let list = |v: &[String]| {
            if v.is_empty() {
                "Not reported".to_owned()
            } else {
                v.join(" ")
            }
        };
        match &self.link_modes {
            Section::NotSupported { not_supported } => {
                line(format!("Link modes: not supported ({not_supported})"));
            }
            Section::Supported(m) => {
                line(format!("Supported link modes: {}", list(&m.supported)));
                line(format!("Advertised link modes: {}", list(&m.advertised)));
                line(format!(
                    "Link partner advertised link modes: {}",
                    list(&m.partner_advertised)
                ));
                match m.speed {
                    Some(v) => line(format!("Speed: {v}Mb/s")),
                    None => line("Speed: Unknown!".to_owned()),
                }
                if let Some(d) = m.duplex {
                    line(format!("Duplex: {d}"));
                }
                if let Some(a) = m.autoneg {
                    line(format!("Auto-negotiation: {}", on_off(a)));
                }
            }
        }
        match &self.link_info {
            Section::NotSupported { not_supported } => {
                line(format!("Link info: not supported ({not_supported})"));
            }
            Section::Supported(i) => {
                if let Some(p) = i.port {
                    line(format!("Port: {p}"));
                }
                if let Some(a) = i.phyad {
                    line(format!("PHYAD: {a}"));
                }
                if let Some(t) = i.transceiver {
                    line(format!("Transceiver: {t}"));
                }
                if let Some(m) = i.mdi_x {
                    line(format!("MDI-X: {m}"));
                }
            }
        }
        if let Some(l) = self.link_detected {
            line(format!("Link detected: {}", if l { "yes" } else { "no" }));
        }
        s.push_str(&features_text(dev, &self.features));
        s.push_str(&format!("Channel parameters for {dev}:\n"));
        match &self.channels {
            Section::NotSupported { not_supported } => {
                s.push_str(&format!("\tChannels: not supported ({not_supported})\n"));
            }
            Section::Supported(c) => {
                s.push_str(&format!("\tRX:       {}\n", c.rx.text()));
                s.push_str(&format!("\tTX:       {}\n", c.tx.text()));
                s.push_str(&format!("\tOther:    {}\n", c.other.text()));
                s.push_str(&format!("\tCombined: {}\n", c.combined.text()));
            }
        }
        s
    }
}

fn features_text(dev: &str, features: &[Feature]) -> String {
    let mut s = format!("Features for {dev}:\n");
    for f in features {
        s.push_str(&f.text());
    }
    s
}

type Result2 = Result<(), Box<dyn StdError>>;

fn show(dev: &str, json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    let settings = Settings::query(&mut sock, dev)?;
    if json {
        cli::json(&settings);
    } else {
        cli::out(&settings.text());
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct FeaturesOut<'a> {
    device: &'a str,
    features: Vec<Feature>,
}

fn features(dev: &str, json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    let features = feature_list(&mut sock, dev)?;
    if json {
        cli::json(&FeaturesOut {
            device: dev,
            features,
        });
    } else {
        cli::out(&features_text(dev, &features));
    }
    Ok(())
}

/// A feature turned on or off.
#[derive(Debug, Serialize)]
struct Change {
    name: String,
    on: bool,
}

impl Change {
    fn text(changes: &[Change]) -> String {
        changes
            .iter()
            .map(|c| format!("{} {}", c.name, on_off(c.on)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What `set` reports: nothing to add (the kernel sent no reply: set as requested), or the
/// wanted and active bits that differ from the request.
#[derive(Debug, Serialize)]
struct SetOut<'a> {
    device: &'a str,
    as_requested: bool,
    wanted: Vec<Change>,
    active: Vec<Change>,
}

fn set(dev: &str, changes: &[(&str, bool)], json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    let names = ethtool::feature_names(&mut sock, dev)?;
    let reply = ethtool::set_features(&mut sock, dev, changes)?;
    let bits = |b: &Option<Bitset>| -> Result<Vec<Change>, Error> {
        let Some(b) = b else { return Ok(Vec::new()) };
        Ok(b.bits(&names)?
            .into_iter()
            .map(|bit| Change {
                name: bit.name.unwrap_or_else(|| format!("bit{}", bit.index)),
                on: bit.set,
            })
            .collect())
    };
    // The reply lists what differs from the request: the wanted bits the kernel did not take
    // as asked, and every active bit that changed.
    let out = SetOut {
        device: dev,
        as_requested: reply.is_none(),
        wanted: reply.as_ref().map_or(Ok(Vec::new()), |r| bits(&r.wanted))?,
        active: reply.as_ref().map_or(Ok(Vec::new()), |r| bits(&r.active))?,
    };
    if json {
        cli::json(&out);
        return Ok(());
    }
    let mut text = String::new();
    if out.as_requested {
        text.push_str(&format!("{dev}: features set as requested\n"));
    }
    for (what, changes) in [("wanted", &out.wanted), ("active", &out.active)] {
        if !changes.is_empty() {
            text.push_str(&format!("{dev}: {what}: {}\n", Change::text(changes)));
        }
    }
    cli::out(&text);
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

    /// Record `f`'s active features; returns the changes since the last time (`None`: the
    /// device was not seen before).
    fn update(&mut self, f: &Features) -> Result<Option<Vec<Change>>, Error> {
        let dev = f
            .header
            .as_ref()
            .map_or_else(|| "?".to_owned(), Header::device);
        let Some(active) = &f.active else {
            return Ok(Some(Vec::new()));
        };
        let bits = active.bits(&self.names)?;
        let now: Vec<bool> = bits.iter().map(|b| b.set).collect();
        let changes = self.active.get(&dev).map(|before| {
            bits.iter()
                .filter(|b| before.get(b.index as usize) != Some(&b.set))
                .map(|b| Change {
                    name: b.name.clone().unwrap_or_else(|| format!("bit{}", b.index)),
                    on: b.set,
                })
                .collect()
        });
        self.active.insert(dev, now);
        Ok(changes)
    }
}

/// One notification as JSON: the device, the command's name, and for features the changes
/// (`null`: the device was first seen), for channels the counts.
#[derive(Debug, Serialize)]
struct EventOut {
    device: String,
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Option<Vec<Change>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channels: Option<BTreeMap<&'static str, Option<u32>>>,
}

fn monitor(count: Option<usize>, json: bool) -> Result2 {
    let mut sock = GenlSocket::new()?;
    let group = sock.join::<Ethtool>(ethtool::MONITOR_GROUP)?;
    let mut cache = FeatureCache::load(&mut sock)?;
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
        let device = ev
            .msg
            .header()
            .map_or_else(|| "?".to_owned(), Header::device);
        let mut out = EventOut {
            device,
            event: Ethtool::command_name(ev.msg.command()).unwrap_or("notification"),
            changes: None,
            channels: None,
        };
        let dev = &out.device;
        let text = match &ev.msg {
            Ethtool::FeaturesNtf(f) => {
                let changes = cache.update(f)?;
                let text = match &changes {
                    None => "(first seen)".to_owned(),
                    Some(c) if c.is_empty() => "(none)".to_owned(),
                    Some(c) => Change::text(c),
                };
                out.changes = Some(changes);
                format!("{dev}: features changed: {text}")
            }
            Ethtool::ChannelsNtf(c) => {
                out.channels = Some(BTreeMap::from([
                    ("rx", c.rx_count),
                    ("tx", c.tx_count),
                    ("other", c.other_count),
                    ("combined", c.combined_count),
                ]));
                format!(
                    "{dev}: channels: rx {:?} tx {:?} other {:?} combined {:?}",
                    c.rx_count, c.tx_count, c.other_count, c.combined_count
                )
            }
            _ => format!("{dev}: {}", out.event),
        };
        if json {
            cli::json(&out);
        } else {
            cli::out(&format!("{text}\n"));
        }
    }
    Ok(())
}
