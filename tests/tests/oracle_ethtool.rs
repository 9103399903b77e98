//! The ethtool family (example_families::ethtool) against the `ethtool` program on the same kernel:
//! link settings and state (`ethtool DEV`), features with their names (`ethtool -k`), feature
//! changes both ways (`FEATURES_SET` read back by `ethtool -k`, `ethtool -K` read back by us),
//! channels (`ethtool -l`, also after `ethtool -L`), and kernel errors with their ext-ack
//! message and attribute path.
//!
//! Every test makes its own private network namespace (on its own thread) with a veth pair;
//! nothing in the initial namespace is touched.

use std::collections::BTreeMap;

use example_families::ethtool::{
    self, BitsetExt, Ethtool, FeatureState, ForHeader, Header, HeaderExt, Linkstate, duplex_name,
    flags, mdix_name, port_name, transceiver_name,
};
use netlink_genl::{Error, GenlSocket, KernelError};
use tests::{in_private_netns, ip, run};

/// A veth pair `veth0`/`veth1` (both up) in the calling thread's namespace.
fn veth_pair() {
    ip("link set lo up");
    ip("link add veth0 type veth peer name veth1");
    ip("link set veth0 up");
    ip("link set veth1 up");
}

fn cleanup() {
    let _ = std::process::Command::new("ip")
        .args(["link", "del", "veth0"])
        .status();
}

/// `Key: value` lines of `ethtool DEV` (keys trimmed, the first occurrence kept).
fn ethtool_settings(dev: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for line in run("ethtool", &[dev]).lines() {
        if let Some((k, v)) = line.trim().split_once(':') {
            m.entry(k.trim().to_owned())
                .or_insert_with(|| v.trim().to_owned());
        }
    }
    m
}

/// One line of `ethtool -k`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KLine {
    on: bool,
    fixed: bool,
    requested: Option<bool>,
}

/// `ethtool -k DEV`: feature name → state. Legacy group lines (`tx-checksumming`) are
/// included; callers look up kernel names only.
fn ethtool_k(dev: &str) -> BTreeMap<String, KLine> {
    let mut m = BTreeMap::new();
    for line in run("ethtool", &["-k", dev]).lines().skip(1) {
        let Some((name, rest)) = line.trim().split_once(": ") else {
            continue;
        };
        let on = rest.starts_with("on");
        assert!(on || rest.starts_with("off"), "ethtool -k line {line:?}");
        let requested = if rest.contains("[requested on]") {
            Some(true)
        } else if rest.contains("[requested off]") {
            Some(false)
        } else {
            None
        };
        m.insert(
            name.to_owned(),
            KLine {
                on,
                fixed: rest.contains("[fixed]"),
                requested,
            },
        );
    }
    m
}

fn by_name(states: Vec<FeatureState>) -> BTreeMap<String, FeatureState> {
    states
        .into_iter()
        .filter(|f| !f.name.is_empty())
        .map(|f| (f.name.clone(), f))
        .collect()
}

/// Compare our features with `ethtool -k` for every feature both name; returns how many.
fn assert_features_match(
    ours: &BTreeMap<String, FeatureState>,
    theirs: &BTreeMap<String, KLine>,
) -> usize {
    let mut n = 0;
    for (name, t) in theirs {
        let Some(o) = ours.get(name) else { continue };
        assert_eq!(o.active, t.on, "{name}: on/off");
        assert_eq!(o.fixed(), t.fixed, "{name}: [fixed]");
        if let Some(r) = t.requested {
            assert_eq!(o.wanted, r, "{name}: [requested]");
        }
        n += 1;
    }
    n
}

fn kernel_error(e: Error) -> Box<KernelError> {
    match e {
        Error::Kernel(k) => k,
        other => panic!("expected a kernel error, got {other}"),
    }
}

#[test]
fn link_settings_and_state_match_ethtool() {
    in_private_netns(|| {
        veth_pair();
        let mut sock = GenlSocket::new().unwrap();
        let theirs = ethtool_settings("veth0");

        let modes = ethtool::linkmodes(&mut sock, "veth0").unwrap();
        assert_eq!(
            format!("{}Mb/s", modes.speed.unwrap()),
            theirs["Speed"],
            "speed"
        );
        assert_eq!(duplex_name(modes.duplex.unwrap()), theirs["Duplex"]);
        let autoneg = if modes.autoneg.unwrap() != 0 {
            "on"
        } else {
            "off"
        };
        assert_eq!(autoneg, theirs["Auto-negotiation"]);
        // veth reports a 121-bit link-mode set with nothing in it: "Not reported".
        let ours_modes = modes.ours.as_ref().unwrap();
        assert!(ours_modes.size.unwrap() > 64);
        let supported = ours_modes.bits(&[]).unwrap();
        assert_eq!(
            supported.is_empty(),
            theirs["Supported link modes"] == "Not reported"
        );

        let info = ethtool::linkinfo(&mut sock, "veth0").unwrap();
        assert_eq!(port_name(info.port.unwrap()), theirs["Port"]);
        assert_eq!(info.phyaddr.unwrap().to_string(), theirs["PHYAD"]);
        assert_eq!(
            transceiver_name(info.transceiver.unwrap()),
            theirs["Transceiver"]
        );
        assert_eq!(mdix_name(info.tp_mdix.unwrap()), theirs["MDI-X"]);

        // Link detected: yes with the peer up, no with the peer down.
        for (peer, want) in [("up", "yes"), ("down", "no"), ("up", "yes")] {
            ip(&format!("link set veth1 {peer}"));
            let theirs = ethtool_settings("veth0");
            let state = ethtool::linkstate(&mut sock, "veth0").unwrap();
            let ours = if state.link.unwrap() != 0 {
                "yes"
            } else {
                "no"
            };
            assert_eq!(ours, theirs["Link detected"], "peer {peer}");
            assert_eq!(ours, want, "peer {peer}");
            // The reply's header names the device it is about.
            assert_eq!(state.header.unwrap().dev_name.as_deref(), Some("veth0"));
        }

        // Loopback has no link settings: the kernel says EOPNOTSUPP, ethtool prints none.
        let err = kernel_error(ethtool::linkmodes(&mut sock, "lo").unwrap_err());
        assert_eq!(err.errno_name(), Some("EOPNOTSUPP"));
        assert!(!ethtool_settings("lo").contains_key("Speed"));
        cleanup();
    });
}

#[test]
fn features_match_ethtool_k() {
    in_private_netns(|| {
        veth_pair();
        let mut sock = GenlSocket::new().unwrap();
        let names = ethtool::feature_names(&mut sock, "veth0").unwrap();
        assert!(names.len() >= 64, "{} feature names", names.len());
        assert!(names.iter().any(|n| n == "tx-checksum-ip-generic"));

        // Compact bitsets named from the string set...
        let compact = ethtool::features(&mut sock, "veth0").unwrap();
        // ...and verbose bitsets, which carry the names themselves, say the same.
        let verbose_reply = ethtool::features_raw(&mut sock, "veth0", 0).unwrap();
        assert!(
            verbose_reply.active.as_ref().unwrap().bits.is_some(),
            "verbose form"
        );
        let compact_reply =
            ethtool::features_raw(&mut sock, "veth0", flags::COMPACT_BITSETS).unwrap();
        assert!(
            compact_reply.active.as_ref().unwrap().value.is_some(),
            "compact form"
        );
        let verbose = ethtool::feature_states(&verbose_reply, &[]).unwrap();
        for (c, v) in compact.iter().zip(&verbose) {
            assert_eq!(
                (c.index, c.hw, c.wanted, c.active, c.nochange),
                (v.index, v.hw, v.wanted, v.active, v.nochange)
            );
        }
        // Verbose NOMASK bitsets name only the set bits; every named one agrees.
        let verbose_active = verbose_reply.active.as_ref().unwrap().bits(&[]).unwrap();
        for b in verbose_active.iter().filter(|b| b.set) {
            assert_eq!(b.name.as_deref(), Some(names[b.index as usize].as_str()));
        }

        let theirs = ethtool_k("veth0");
        let ours = by_name(compact);
        let matched = assert_features_match(&ours, &theirs);
        assert!(matched >= 40, "only {matched} features compared");
        // A few ethtool prints under its own (legacy) name are checked through their bits.
        assert!(theirs["tx-checksum-ip-generic"].on && ours["tx-checksum-ip-generic"].active);
        assert!(theirs["tx-checksum-ipv4"].fixed && ours["tx-checksum-ipv4"].fixed());
        assert_eq!(theirs["generic-receive-offload"].on, ours["rx-gro"].active);
        assert_eq!(theirs["rx-checksumming"].on, ours["rx-checksum"].active);
        cleanup();
    });
}

#[test]
fn feature_changes_agree_both_ways() {
    in_private_netns(|| {
        veth_pair();
        let mut sock = GenlSocket::new().unwrap();
        let names = ethtool::feature_names(&mut sock, "veth0").unwrap();

        // Ours → ethtool: turning the generic checksum off also drops the TSO bits, which the
        // reply reports as active changes beyond the request.
        let reply = ethtool::set_features(&mut sock, "veth0", &[("tx-checksum-ip-generic", false)])
            .unwrap()
            .expect("a FEATURES_SET_REPLY");
        let changed: Vec<(String, bool)> = reply
            .active
            .as_ref()
            .unwrap()
            .bits(&names)
            .unwrap()
            .into_iter()
            .map(|b| (b.name.unwrap(), b.set))
            .collect();
        assert!(
            changed.contains(&("tx-checksum-ip-generic".to_owned(), false)),
            "{changed:?}"
        );
        assert!(
            changed.contains(&("tx-tcp-segmentation".to_owned(), false)),
            "{changed:?}"
        );
        let theirs = ethtool_k("veth0");
        assert!(!theirs["tx-checksum-ip-generic"].on);
        for (name, on) in &changed {
            assert_eq!(theirs[name].on, *on, "{name} after our FEATURES_SET");
        }
        assert_features_match(
            &by_name(ethtool::features(&mut sock, "veth0").unwrap()),
            &theirs,
        );

        // ethtool → ours.
        run(
            "ethtool",
            &["-K", "veth0", "tx-checksum-ip-generic", "on", "gro", "on"],
        );
        let ours = by_name(ethtool::features(&mut sock, "veth0").unwrap());
        assert!(ours["tx-checksum-ip-generic"].active);
        assert!(ours["rx-gro"].active && ours["rx-gro"].wanted);
        assert_features_match(&ours, &ethtool_k("veth0"));

        // OMIT_REPLY: only the ACK. The spec declares a reply for features-set (the generated
        // FeaturesSet is `reply = FeaturesSetReply`), which the kernel leaves out under this
        // flag: the call that waits for the ACK alone is `ack`.
        let req = Ethtool::FeaturesSet(example_families::ethtool::Features {
            header: Some(Header::dev("veth0").with_flags(flags::OMIT_REPLY)),
            wanted: Some(example_families::ethtool::Bitset::change_by_name(&[(
                "rx-gro", false,
            )])),
            ..Default::default()
        });
        sock.ack(&req).unwrap();
        assert!(!ethtool_k("veth0")["generic-receive-offload"].on);
        cleanup();
    });
}

/// `ethtool -l`: (RX, TX, Other, Combined) of the "Pre-set maximums" and "Current hardware
/// settings" blocks, `n/a` as None.
fn ethtool_l(dev: &str) -> ([Option<u32>; 4], [Option<u32>; 4]) {
    let out = run("ethtool", &["-l", dev]);
    let mut blocks = Vec::new();
    let mut cur = [None; 4];
    let mut seen = 0;
    for line in out.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let slot = match k.trim() {
            "RX" => 0,
            "TX" => 1,
            "Other" => 2,
            "Combined" => 3,
            _ => continue,
        };
        cur[slot] = v.trim().parse().ok();
        seen += 1;
        if seen % 4 == 0 {
            blocks.push(cur);
            cur = [None; 4];
        }
    }
    assert_eq!(blocks.len(), 2, "ethtool -l output:\n{out}");
    (blocks[0], blocks[1])
}

#[test]
fn channels_match_ethtool_l() {
    in_private_netns(|| {
        veth_pair();
        let mut sock = GenlSocket::new().unwrap();
        let nz = |v: Option<u32>| v.filter(|&v| v != 0);
        for rx in [None, Some("2"), Some("1")] {
            if let Some(n) = rx {
                run("ethtool", &["-L", "veth0", "rx", n]);
            }
            let c = ethtool::channels(&mut sock, "veth0").unwrap();
            let (max, current) = ethtool_l("veth0");
            assert_eq!(
                [
                    nz(c.rx_max),
                    nz(c.tx_max),
                    nz(c.other_max),
                    nz(c.combined_max)
                ],
                max,
                "maximums"
            );
            assert_eq!(
                [
                    nz(c.rx_count),
                    nz(c.tx_count),
                    nz(c.other_count),
                    nz(c.combined_count)
                ],
                current,
                "current (after rx {rx:?})"
            );
            if let Some(n) = rx {
                assert_eq!(c.rx_count, Some(n.parse().unwrap()));
            }
        }
        cleanup();
    });
}

#[test]
fn errors_carry_errno_message_and_attribute_path() {
    in_private_netns(|| {
        veth_pair();
        let mut sock = GenlSocket::new().unwrap();

        // A missing device: ENODEV, "no device matches name", pointing at header.dev_name.
        let err = kernel_error(ethtool::linkstate(&mut sock, "nosuchdev0").unwrap_err());
        assert_eq!(
            (err.errno.raw_os_error(), err.errno_name()),
            (19, Some("ENODEV"))
        );
        assert_eq!(err.msg.as_deref(), Some("no device matches name"));
        assert_eq!(
            err.attr_path.as_ref().unwrap().to_string(),
            "LinkstateGet.header.dev_name"
        );
        // ethtool hits the same error.
        let out = std::process::Command::new("ethtool")
            .arg("nosuchdev0")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("no device matches name"), "{stderr}");

        // The same, by index.
        let req = Ethtool::LinkstateGet(Linkstate::for_header(Header::index(999_999)));
        let err = kernel_error(sock.request(&req).unwrap_err());
        assert_eq!(err.errno_name(), Some("ENODEV"));
        assert_eq!(
            err.attr_path.as_ref().unwrap().to_string(),
            "LinkstateGet.header.dev_index"
        );

        // An unknown feature name in FEATURES_SET: EOPNOTSUPP at the bit's name.
        let err = kernel_error(
            ethtool::set_features(&mut sock, "veth0", &[("no-such-feature", true)]).unwrap_err(),
        );
        assert_eq!(err.errno_name(), Some("EOPNOTSUPP"));
        assert_eq!(err.msg.as_deref(), Some("bit name not found"));
        assert_eq!(
            err.attr_path.as_ref().unwrap().to_string(),
            "FeaturesSet.wanted.bits.bit[0].name"
        );
        let status = std::process::Command::new("ethtool")
            .args(["-K", "veth0", "no-such-feature", "on"])
            .output()
            .unwrap()
            .status;
        assert!(!status.success());

        // Channels on loopback: not supported, and ethtool -l fails too.
        let err = kernel_error(ethtool::channels(&mut sock, "lo").unwrap_err());
        assert_eq!(err.errno_name(), Some("EOPNOTSUPP"));
        let status = std::process::Command::new("ethtool")
            .args(["-l", "lo"])
            .output()
            .unwrap()
            .status;
        assert!(!status.success());
        cleanup();
    });
}
