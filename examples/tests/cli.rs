//! The example programs as a user runs them: `--help`, usage errors (exit 2, usage on stderr),
//! runtime errors (exit 1, nothing on stdout), a closed stdout (exit 0, no message), `--json`
//! output that carries the text output's data, devices and families by name or number, and
//! `genl monitor` decoding a declared family's events by name.
//!
//! Reads run in the initial network namespace; anything that changes kernel state (devices,
//! features, MPTCP endpoints) runs in a private one made by the test
//! (`tests::in_private_netns`: the programs started from that thread inherit it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tests::{Reaped, ifindex, in_private_netns, ip};

const BINS: [&str; 6] = [
    "genl",
    "ethtool",
    "netdev",
    "taskstats",
    "mptcp",
    "proc-events",
];

fn bin(name: &str) -> &'static str {
    match name {
        "genl" => env!("CARGO_BIN_EXE_genl"),
        "ethtool" => env!("CARGO_BIN_EXE_ethtool"),
        "netdev" => env!("CARGO_BIN_EXE_netdev"),
        "taskstats" => env!("CARGO_BIN_EXE_taskstats"),
        "mptcp" => env!("CARGO_BIN_EXE_mptcp"),
        "proc-events" => env!("CARGO_BIN_EXE_proc-events"),
        other => panic!("no example {other}"),
    }
}

fn run(name: &str, args: &[&str]) -> Output {
    Command::new(bin(name))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run and expect success; stdout.
fn ok(name: &str, args: &[&str]) -> String {
    let o = run(name, args);
    assert!(
        o.status.success(),
        "{name} {args:?}: {:?}\n{}",
        o.status,
        stderr(&o)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Run with `--json` added; stdout parsed (one document).
fn json_of(name: &str, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = ok(name, &args);
    assert_eq!(out.lines().count(), 1, "one line of JSON: {out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name} {args:?}: {e}: {out}"))
}

#[test]
fn help_exits_0_everywhere() {
    for b in BINS {
        let o = run(b, &["--help"]);
        assert_eq!(o.status.code(), Some(0), "{b} --help: {}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("Usage:"), "{b} --help: {out}");
    }
    // Subcommands have their own.
    for (b, sub) in [
        ("genl", "monitor"),
        ("ethtool", "set"),
        ("mptcp", "endpoint"),
    ] {
        let o = run(b, &[sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{b} {sub} --help");
    }
}

#[test]
fn bad_arguments_exit_2_with_the_usage_on_stderr() {
    let cases: &[(&str, &[&str])] = &[
        ("genl", &[]),
        ("genl", &["bogus"]),
        ("genl", &["get"]),
        ("genl", &["policy", "nlctrl", "xyz"]),
        ("genl", &["list", "--nope"]),
        ("ethtool", &[]),
        ("ethtool", &["set", "lo", "tso"]),
        ("ethtool", &["set", "lo", "tso", "maybe"]),
        ("ethtool", &["monitor", "many"]),
        ("netdev", &["dev"]),
        ("netdev", &["bogus"]),
        ("netdev", &["monitor", "x"]),
        ("taskstats", &[]),
        ("taskstats", &["abc"]),
        ("taskstats", &["1", "--tgid", "1"]),
        ("mptcp", &[]),
        ("mptcp", &["endpoint", "del", "300"]),
        ("mptcp", &["endpoint", "add", "notanip"]),
        ("mptcp", &["endpoint", "add", "10.0.0.1", "bogus"]),
        ("mptcp", &["limits", "set", "subflows", "x"]),
        ("proc-events", &["abc"]),
        ("proc-events", &["1", "2"]),
    ];
    for (b, args) in cases {
        let o = run(b, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{b} {args:?}: {err}");
        assert!(err.contains("Usage"), "{b} {args:?}: {err}");
        assert!(o.stdout.is_empty(), "{b} {args:?} printed to stdout");
    }
}

#[test]
fn errors_exit_1_on_stderr_with_nothing_printed_before() {
    let cases: &[(&str, &[&str], &str)] = &[
        // The heading used to come before the kernel's error.
        ("ethtool", &["features", "nosuch0"], "ENODEV"),
        ("ethtool", &["nosuch0"], "ENODEV"),
        ("netdev", &["dev", "nosuch0"], "no device"),
        ("netdev", &["dev", "999999"], "ENODEV"),
        (
            "genl",
            &["get", "nosuchfamily"],
            "family \"nosuchfamily\" not found",
        ),
        ("genl", &["get", "0xfff0"], "ENOENT"),
        ("taskstats", &["--pid", "999999999"], "ESRCH"),
    ];
    for (b, args, want) in cases {
        let o = run(b, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{b} {args:?}: {err}");
        assert!(
            err.starts_with(&format!("{b}: ")) && err.contains(want),
            "{b} {args:?}: {err}"
        );
        assert!(
            o.stdout.is_empty(),
            "{b} {args:?}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
}

/// A pipe: (read end, write end).
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe2: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are new and owned by nothing else.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let me = std::process::id().to_string();
    let cases: &[(&str, &[&str])] = &[
        ("genl", &["list"]),
        ("genl", &["list", "--json"]),
        ("genl", &["policy", "ethtool"]),
        ("netdev", &[]),
        ("ethtool", &["lo"]),
        ("taskstats", &["--pid", &me]),
        ("mptcp", &["limits"]),
        // The subscription's acknowledgement is its first line.
        ("proc-events", &["3"]),
    ];
    for (b, args) in cases {
        // The read end is closed before the program writes anything: every write fails with
        // EPIPE (the test harness ignores SIGPIPE, and so do Rust programs).
        let (reader, writer) = pipe();
        drop(reader);
        let o = Command::new(bin(b))
            .args(*args)
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{b} {args:?}: {err}");
        assert!(err.is_empty(), "{b} {args:?} said: {err}");
    }
    // And while it writes: a reader that takes one line and goes away.
    let mut child = Command::new(bin("genl"))
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("Name: "), "{first}");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------------
// genl

fn family_json(f: &tests::ParsedFamily) -> Value {
    json!({
        "name": f.name, "id": f.id, "version": f.version, "hdrsize": f.hdrsize,
        "maxattr": f.maxattr,
        "ops": f.ops.iter().map(|o| json!({"id": o.cmd, "flags": o.flags.unwrap()})).collect::<Vec<_>>(),
        "groups": f.groups.iter().map(|(n, id)| json!({"id": id, "name": n})).collect::<Vec<_>>(),
    })
}

/// The JSON of a family without the capability words (the text's flags parse to numbers).
fn without_words(mut v: Value) -> Value {
    for op in v["ops"].as_array_mut().unwrap() {
        let caps = op.as_object_mut().unwrap().remove("capabilities").unwrap();
        let flags = op["flags"].as_u64().unwrap() as u32;
        assert_eq!(
            caps,
            json!(netlink_genl::ctrl::op_flags::describe(flags)),
            "words of {op}"
        );
    }
    v
}

#[test]
fn genl_list_json_equals_the_text() {
    let text = tests::parse_genl_ctrl_list(&ok("genl", &["list"]));
    let json = json_of("genl", &["list"]);
    let json: Vec<Value> = json
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .map(without_words)
        .collect();
    let text: Vec<Value> = text.iter().map(family_json).collect();
    assert!(text.len() > 3, "{text:?}");
    assert_eq!(json, text);
}

#[test]
fn genl_get_by_name_or_id() {
    let by_name = ok("genl", &["get", "nlctrl"]);
    assert!(by_name.starts_with("Name: nlctrl\n"), "{by_name}");
    assert_eq!(ok("genl", &["get", "0x10"]), by_name);
    assert_eq!(ok("genl", &["get", "16"]), by_name);
    let json = json_of("genl", &["get", "nlctrl"]);
    assert_eq!(json_of("genl", &["get", "0x10"]), json);
    let text = tests::parse_genl_ctrl_list(&by_name);
    assert_eq!(without_words(json), family_json(&text[0]));

    // Another family by its id, as `genl list` reports it.
    let list = json_of("genl", &["list"]);
    let ethtool = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "ethtool")
        .unwrap();
    let id = format!("{:#x}", ethtool["id"].as_u64().unwrap());
    assert_eq!(json_of("genl", &["get", &id]), *ethtool);
    assert_eq!(ok("genl", &["get", &id]), ok("genl", &["get", "ethtool"]));
    // The policy dump by id too.
    assert_eq!(
        ok("genl", &["policy", &id, "1"]),
        ok("genl", &["policy", "ethtool", "1"])
    );
}

#[test]
fn genl_policy_json_has_the_texts_operations_and_tables() {
    let text = ok("genl", &["policy", "nlctrl"]);
    let json = json_of("genl", &["policy", "nlctrl"]);
    assert_eq!(json["family"], "nlctrl");
    assert_eq!(json["id"], 16);
    // The summary line's numbers.
    let summary = format!(
        "nlctrl (id 0x10): {} operations with policies, {} policy tables, {} messages",
        json["ops"].as_array().unwrap().len(),
        json["policies"].as_array().unwrap().len(),
        json["messages"]
    );
    assert!(text.starts_with(&summary), "{summary}\n{text}");
    let get = json["ops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["cmd"] == 3)
        .unwrap();
    assert_eq!(get["name"], "GetFamily");
    assert!(
        text.contains("op 0x3 (GetFamily) [can doit, can dumpit, has policy]"),
        "{text}"
    );
    // Table 0 (GetFamily's do policy): attr 2 is the name, a nul-string of at most 15 bytes.
    let t0 = &json["policies"][0];
    assert_eq!(t0["index"], 0);
    let name = t0["attrs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["attr"] == 2)
        .unwrap();
    assert_eq!(name["name"], "name");
    assert_eq!(name["type"], "nul-string");
    assert_eq!(name["max_length"], 15);
    assert!(
        text.contains("attr 2 (name): nul-string max len 15"),
        "{text}"
    );
}

/// Start `genl ARGS` (a monitor), wait until it has joined its groups (its stderr says so),
/// run `trigger`, and return its stdout once `done` holds for it (then stop it).
fn monitor_output<T>(
    args: &[&str],
    trigger: impl FnOnce() -> T,
    done: impl Fn(&str) -> bool,
) -> String {
    let mut child = Reaped::spawn(
        Command::new(bin("genl"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.starts_with("listening to "), "{line}");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let _ = trigger();
    let start = Instant::now();
    let mut out = String::new();
    while !done(&out) {
        let left = Duration::from_secs(10).saturating_sub(start.elapsed());
        match lines.recv_timeout(left) {
            Ok(l) => {
                out.push_str(&l);
                out.push('\n');
            }
            Err(_) => panic!("genl {args:?}: not what was expected:\n{out}"),
        }
    }
    drop(child);
    out
}

#[test]
fn genl_monitor_names_a_declared_familys_events() {
    in_private_netns(|| {
        let added = |i: u32| {
            format!(
                "[mgmt] netdev DevAddNtf(2) version 1 seq 0 pid 0\n  ifindex(1): {i} ({i:#x})\n"
            )
        };
        // The veth pair's indexes are known only once it exists: the monitor prints both
        // DevAddNtf events in full, with the other attributes by name too.
        let text = monitor_output(
            &["monitor", "netdev", "mgmt"],
            || ip("link add cli0 type veth peer name cli1"),
            |out| {
                out.matches("DevAddNtf(2)").count() >= 2
                    && out.ends_with("xsk_features(6): 0 (0x0)\n")
            },
        );
        let (i0, i1) = (ifindex("cli0"), ifindex("cli1"));
        for i in [i0, i1] {
            assert!(text.contains(&added(i)), "{}\nin\n{text}", added(i));
        }
        assert!(text.contains("  xdp_features(3): "), "{text}");

        // As JSON: one object per line; the pair goes away with one of its ends.
        let json = monitor_output(
            &["monitor", "netdev", "--json"],
            || ip("link del cli0"),
            |out| out.contains("DevDelNtf"),
        );
        let ev: Value = json
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .find(|v| v["command"] == "DevDelNtf")
            .unwrap();
        assert_eq!(ev["group"], "mgmt");
        assert_eq!(ev["family"], "netdev");
        assert_eq!(ev["cmd"], 3);
        let attrs = ev["attrs"].as_array().unwrap();
        assert!(
            attrs.contains(&json!({"id": 1, "name": "ifindex", "value": i0}))
                || attrs.contains(&json!({"id": 1, "name": "ifindex", "value": i1})),
            "{ev}"
        );
    });
}

// ---------------------------------------------------------------------------------------------
// netdev

/// `netdev` text, device by device: the lines of each (without the leading tab).
fn netdev_text(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        match line.strip_prefix('\t') {
            Some(l) => out.last_mut().unwrap().push(l.to_owned()),
            None => out.push(vec![line.to_owned()]),
        }
    }
    out
}

/// The text lines of one device's JSON, built from the JSON.
fn netdev_lines(d: &Value) -> Vec<String> {
    let names = |f: &Value| {
        let n: Vec<&str> = f["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        if n.is_empty() {
            "none".to_owned()
        } else {
            n.join(" ")
        }
    };
    let name = d["name"].as_str().unwrap_or("?");
    let mut v = vec![format!("{}: {name}", d["ifindex"])];
    for (key, label) in [
        ("xdp_features", "xdp-features"),
        ("xdp_rx_metadata_features", "xdp-rx-metadata-features"),
        ("xsk_features", "xsk-features"),
    ] {
        let f = &d[key];
        v.push(format!(
            "{label} ({:#x}): {}",
            f["value"].as_u64().unwrap(),
            names(f)
        ));
    }
    if let Some(z) = d["xdp_zc_max_segs"].as_u64() {
        v.push(format!("xdp-zc-max-segs: {z}"));
    }
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join(" ")
        }
    };
    if let Some(q) = d.get("queues") {
        let q: Vec<String> = q
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let mut s = format!("{}-{}", q["type"].as_str().unwrap(), q["id"]);
                if let Some(n) = q["napi_id"].as_u64() {
                    s.push_str(&format!(" (napi {n})"));
                }
                s
            })
            .collect();
        v.push(format!("queues: {}", list(q)));
    }
    if let Some(n) = d.get("napi") {
        let n: Vec<String> = n
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let mut s = n["id"].to_string();
                if let Some(irq) = n["irq"].as_u64() {
                    s.push_str(&format!(" irq {irq}"));
                }
                if let Some(pid) = n["pid"].as_u64() {
                    s.push_str(&format!(" pid {pid}"));
                }
                s
            })
            .collect();
        v.push(format!("napi: {}", list(n)));
    }
    v
}

#[test]
fn netdev_json_equals_the_text_and_devices_go_by_name_or_index() {
    // One device, in the initial namespace: lo by name and by index.
    let text = ok("netdev", &["dev", "lo"]);
    assert_eq!(ok("netdev", &["dev", "1"]), text);
    let json = json_of("netdev", &["dev", "lo"]);
    assert_eq!(json_of("netdev", &["dev", "1"]), json);
    assert_eq!(json["ifindex"], 1);
    assert_eq!(json["name"], "lo");
    assert_eq!(netdev_text(&text), vec![netdev_lines(&json)]);

    // The listing, in a namespace of our own with a veth pair (queues; NAPIs with GRO on).
    in_private_netns(|| {
        ip("link add cli0 type veth peer name cli1");
        ip("link set cli0 up");
        ip("link set cli1 up");
        tests::run("ethtool", &["-K", "cli0", "gro", "on"]);
        let text = ok("netdev", &[]);
        assert_eq!(ok("netdev", &["list"]), text);
        let json = json_of("netdev", &[]);
        let devs = json.as_array().unwrap();
        assert_eq!(devs.len(), 3, "{json}");
        let lines: Vec<Vec<String>> = devs.iter().map(netdev_lines).collect();
        assert_eq!(netdev_text(&text), lines);
        let cli0 = devs.iter().find(|d| d["name"] == "cli0").unwrap();
        assert!(!cli0["queues"].as_array().unwrap().is_empty(), "{cli0}");
        // And one of them by index.
        let i = ifindex("cli1").to_string();
        assert_eq!(ok("netdev", &["dev", &i]), ok("netdev", &["dev", "cli1"]));
    });
}

// ---------------------------------------------------------------------------------------------
// ethtool

/// `ethtool DEV` or `ethtool features DEV` text: "Key: value" lines of the settings part, the
/// features part as (name, rest) in order, and the channel lines.
#[derive(Debug, Default)]
struct EthtoolText {
    settings: BTreeMap<String, String>,
    features: Vec<(String, String)>,
    channels: BTreeMap<String, String>,
}

fn parse_ethtool(text: &str, dev: &str) -> EthtoolText {
    let mut t = EthtoolText::default();
    let mut part = 0;
    for line in text.lines() {
        if line == format!("Settings for {dev}:") {
            part = 1;
        } else if line == format!("Features for {dev}:") {
            part = 2;
        } else if line == format!("Channel parameters for {dev}:") {
            part = 3;
        } else {
            let (k, v) = line
                .strip_prefix('\t')
                .and_then(|l| l.split_once(':'))
                .unwrap_or_else(|| panic!("line {line:?}"));
            let (k, v) = (k.trim().to_owned(), v.trim().to_owned());
            match part {
                1 => assert!(t.settings.insert(k, v).is_none()),
                2 => t.features.push((k, v)),
                3 => assert!(t.channels.insert(k, v).is_none()),
                _ => panic!("before a heading: {line:?}"),
            }
        }
    }
    t
}

/// A feature's text (`on [fixed]`, `off [requested on]`) from its JSON.
fn feature_text(f: &Value) -> (String, String) {
    let on_off = |b: &Value| if b.as_bool().unwrap() { "on" } else { "off" };
    let mut s = on_off(&f["active"]).to_owned();
    if f["fixed"].as_bool().unwrap() {
        s.push_str(" [fixed]");
    } else if !f["requested"].is_null() {
        s.push_str(&format!(" [requested {}]", on_off(&f["requested"])));
    }
    (f["name"].as_str().unwrap().to_owned(), s)
}

fn assert_ethtool_json_equals_text(dev: &str) {
    let text = parse_ethtool(&ok("ethtool", &[dev]), dev);
    let json = json_of("ethtool", &[dev]);
    assert_eq!(json["device"], dev);
    let features: Vec<(String, String)> = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(feature_text)
        .collect();
    assert!(!features.is_empty());
    assert_eq!(features, text.features);

    // The settings part, rebuilt from the JSON.
    let mut settings = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        settings.insert(k.to_owned(), v);
    };
    let words = |v: &Value| {
        let w: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        if w.is_empty() {
            "Not reported".to_owned()
        } else {
            w.join(" ")
        }
    };
    let m = &json["link_modes"];
    match m.get("not_supported") {
        Some(msg) => put(
            "Link modes",
            format!("not supported ({})", msg.as_str().unwrap()),
        ),
        None => {
            put("Supported link modes", words(&m["supported"]));
            put("Advertised link modes", words(&m["advertised"]));
            put(
                "Link partner advertised link modes",
                words(&m["partner_advertised"]),
            );
            put(
                "Speed",
                m["speed"]
                    .as_u64()
                    .map_or("Unknown!".to_owned(), |s| format!("{s}Mb/s")),
            );
            if let Some(d) = m["duplex"].as_str() {
                put("Duplex", d.to_owned());
            }
            if let Some(a) = m["autoneg"].as_bool() {
                put("Auto-negotiation", if a { "on" } else { "off" }.to_owned());
            }
        }
    }
    let i = &json["link_info"];
    match i.get("not_supported") {
        Some(msg) => put(
            "Link info",
            format!("not supported ({})", msg.as_str().unwrap()),
        ),
        None => {
            for (k, label) in [
                ("port", "Port"),
                ("phyad", "PHYAD"),
                ("transceiver", "Transceiver"),
                ("mdi_x", "MDI-X"),
            ] {
                match &i[k] {
                    Value::Null => {}
                    Value::String(s) => put(label, s.clone()),
                    other => put(label, other.to_string()),
                }
            }
        }
    }
    if let Some(l) = json["link_detected"].as_bool() {
        put("Link detected", if l { "yes" } else { "no" }.to_owned());
    }
    assert_eq!(settings, text.settings);

    let c = &json["channels"];
    let mut channels = BTreeMap::new();
    match c.get("not_supported") {
        Some(msg) => {
            channels.insert(
                "Channels".to_owned(),
                format!("not supported ({})", msg.as_str().unwrap()),
            );
        }
        None => {
            for (k, label) in [
                ("rx", "RX"),
                ("tx", "TX"),
                ("other", "Other"),
                ("combined", "Combined"),
            ] {
                let n = |v: &Value| v.as_u64().map_or("n/a".to_owned(), |v| v.to_string());
                channels.insert(
                    label.to_owned(),
                    format!("{} (max {})", n(&c[k]["count"]), n(&c[k]["max"])),
                );
            }
        }
    }
    assert_eq!(channels, text.channels);

    // `features` alone: the same list; by ifindex too.
    let f = json_of("ethtool", &["features", dev]);
    assert_eq!(f["features"], json["features"]);
    let k = ok("ethtool", &["-k", dev]);
    assert_eq!(parse_ethtool(&k, dev).features, text.features);
}

#[test]
fn ethtool_json_equals_the_text() {
    // lo: no link modes, no channels (not supported), every feature fixed.
    assert_ethtool_json_equals_text("lo");
    let by_index = ok("ethtool", &["features", "1"]);
    assert_eq!(by_index, ok("ethtool", &["features", "lo"]));
    // A veth has link modes and channels, and features to change.
    in_private_netns(|| {
        ip("link add cli0 type veth peer name cli1");
        assert_ethtool_json_equals_text("cli0");
        let json = json_of("ethtool", &["set", "cli0", "tx-checksum-ip-generic", "off"]);
        assert_eq!(json["device"], "cli0");
        // The kernel reports the features that went off with it.
        let active = json["active"].as_array().unwrap();
        assert!(
            active.contains(&json!({"name": "tx-checksum-ip-generic", "on": false})),
            "{json}"
        );
        let features = json_of("ethtool", &["features", "cli0"]);
        let csum = features["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "tx-checksum-ip-generic")
            .unwrap();
        assert_eq!(csum["active"], false);
        assert_ethtool_json_equals_text("cli0");
    });
}

// ---------------------------------------------------------------------------------------------
// taskstats

/// The numbers of each `taskstats` text line, by the line's first words.
fn numbers(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| {
            l.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
                .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
                .map(|w| w.trim_end_matches('s').to_owned())
                .collect()
        })
        .collect()
}

fn secs(us: &Value) -> String {
    let us = us.as_u64().unwrap();
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// The numbers of the text's lines, from the JSON of one task.
fn task_numbers(j: &Value) -> Vec<Vec<String>> {
    let s = |v: &Value| v.to_string();
    let mut v = vec![
        vec![
            s(&j["pid"]),
            s(&j["tgid"]),
            s(&j["ppid"]),
            s(&j["uid"]),
            s(&j["gid"]),
        ],
        vec![
            s(&j["version"]),
            s(&j["exit_code"]),
            format!("{:#x}", j["flags"].as_u64().unwrap()),
            s(&j["nice"]),
            s(&j["sched"]),
        ],
        vec![
            secs(&j["cpu"]["user_us"]),
            secs(&j["cpu"]["system_us"]),
            secs(&j["cpu"]["elapsed_us"]),
            s(&j["cpu"]["begin"]),
        ],
        vec![s(&j["run"]["real_ns"]), s(&j["run"]["virtual_ns"])],
    ];
    for k in [
        "cpu",
        "blkio",
        "swapin",
        "freepages",
        "thrashing",
        "compact",
        "wpcopy",
        "irq",
    ] {
        let d = &j["delays"][k];
        v.push(vec![s(&d["count"]), s(&d["total_ns"])]);
    }
    let m = &j["memory"];
    v.push(vec![
        s(&m["hiwater_rss_kb"]),
        s(&m["hiwater_vm_kb"]),
        s(&m["minor_faults"]),
        s(&m["major_faults"]),
    ]);
    let io = &j["io"];
    v.push(
        [
            "read_char",
            "read_syscalls",
            "write_char",
            "write_syscalls",
            "read_bytes",
            "write_bytes",
        ]
        .iter()
        .map(|k| s(&io[*k]))
        .collect(),
    );
    v.push(vec![
        s(&j["context_switches"]["voluntary"]),
        s(&j["context_switches"]["involuntary"]),
    ]);
    v
}

#[test]
fn taskstats_json_equals_the_text() {
    // A sleeping child: nothing changes between the two queries but the elapsed time.
    let child = Reaped::spawn(Command::new("sleep").arg("30"));
    let pid = child.id();
    let state = || std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let start = Instant::now();
    while !(state().contains(") S ") && state().contains("(sleep)")) {
        assert!(start.elapsed() < Duration::from_secs(5), "{}", state());
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    let p = pid.to_string();
    let text = ok("taskstats", &["--pid", &p]);
    assert_eq!(ok("taskstats", &[&p]).lines().next(), text.lines().next());
    let json = json_of("taskstats", &["--pid", &p]);
    drop(child);
    assert_eq!(json["pid"], pid);
    assert_eq!(json["tgid"], pid);
    assert_eq!(json["comm"], "sleep");
    assert!(
        text.starts_with(&format!(
            "pid {pid} tgid {pid} (sleep) ppid {} ",
            std::process::id()
        )),
        "{text}"
    );
    let mut ours = task_numbers(&json);
    let mut theirs = numbers(&text);
    // Elapsed time goes on.
    ours[2].remove(2);
    theirs[2].remove(2);
    assert_eq!(ours, theirs, "{text}\n{json}");

    // This process (the test's main thread): who it is.
    let me = std::process::id();
    let text = ok("taskstats", &["--pid", &me.to_string()]);
    let json = json_of("taskstats", &["--pid", &me.to_string()]);
    let comm = json["comm"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "pid {me} tgid {me} ({comm}) ppid {} uid {} gid {}\n",
            json["ppid"], json["uid"], json["gid"]
        )),
        "{text}\n{json}"
    );
    assert_eq!(json["pid"], me);
}

#[test]
fn taskstats_tgid_names_the_group() {
    let me = std::process::id();
    let text = ok("taskstats", &["--tgid", &me.to_string()]);
    assert!(text.starts_with(&format!("tgid {me}: ")), "{text}");
    assert!(!text.contains("pid 0"), "{text}");
    let json = json_of("taskstats", &["--tgid", &me.to_string()]);
    assert_eq!(json["tgid"], me);
    assert_eq!(json["version"].as_u64().map(|v| v >= 10), Some(true));
    // Only what the kernel sums for a group.
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut keys = keys.clone();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "context_switches",
            "cpu",
            "delays",
            "run",
            "tgid",
            "version"
        ]
    );
    assert!(
        json["cpu"]["system_us"].as_u64().unwrap() + json["cpu"]["user_us"].as_u64().unwrap() > 0
    );
}

// ---------------------------------------------------------------------------------------------
// mptcp, proc-events

#[test]
fn mptcp_json_equals_the_text() {
    in_private_netns(|| {
        ip("link add cli0 type veth peer name cli1");
        let i = ifindex("cli1").to_string();
        ok(
            "mptcp",
            &[
                "endpoint", "add", "10.9.0.1", "id", "3", "signal", "dev", "cli0",
            ],
        );
        ok(
            "mptcp",
            &[
                "ep", "add", "10.9.0.2", "id", "4", "subflow", "backup", "dev", &i,
            ],
        );
        ok(
            "mptcp",
            &["limits", "set", "subflows", "4", "add_addr_accepted", "2"],
        );
        let text = ok("mptcp", &["endpoint", "show"]);
        assert_eq!(
            text,
            "10.9.0.1 id 3 signal dev cli0\n10.9.0.2 id 4 subflow backup dev cli1\n"
        );
        assert_eq!(ok("mptcp", &["endpoint"]), text);
        let json = json_of("mptcp", &["endpoint", "show"]);
        assert_eq!(
            json,
            json!([
                {"id": 3, "address": "10.9.0.1", "flags": ["signal"], "ifindex": ifindex("cli0"), "dev": "cli0"},
                {"id": 4, "address": "10.9.0.2", "flags": ["subflow", "backup"], "ifindex": ifindex("cli1"), "dev": "cli1"},
            ])
        );
        assert_eq!(json_of("mptcp", &["endpoint", "show", "4"]), json[1]);
        assert_eq!(ok("mptcp", &["limits"]), "add_addr_accepted 2 subflows 4\n");
        assert_eq!(
            json_of("mptcp", &["limits", "show"]),
            json!({"add_addr_accepted": 2, "subflows": 4})
        );
        ok("mptcp", &["endpoint", "flush"]);
        assert_eq!(json_of("mptcp", &["endpoint"]), json!([]));
    });
}

#[test]
fn proc_events_json_lines() {
    // The subscription's acknowledgement, or whatever process event comes first (other tests
    // start processes meanwhile).
    let events = [
        "subscribed",
        "fork",
        "clone",
        "exec",
        "uid",
        "gid",
        "sid",
        "ptrace",
        "comm",
        "coredump",
        "exit",
        "other",
    ];
    let out = ok("proc-events", &["--json", "2"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    for line in out.lines() {
        let ev: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(ev["timestamp_ns"].as_u64().unwrap() > 0, "{ev}");
        assert!(ev["cpu"].is_u64(), "{ev}");
        let event = ev["event"].as_str().unwrap();
        assert!(events.contains(&event), "{ev}");
        if event == "subscribed" {
            assert_eq!(ev["err"], 0);
        }
    }
    let text = ok("proc-events", &["1"]);
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words[0].parse::<f64>().is_ok() && words[1].starts_with("cpu"),
        "{text}"
    );
}

#[test]
fn genl_check_reports_each_declared_type_and_exits_1_on_a_mismatch() {
    // nlctrl: the hand-written `Ctrl` is clean; the generated `Nlctrl` is not (the nlctrl spec
    // gives family-name no maximum length, the kernel's policy 15 bytes).
    let o = run("genl", &["check", "nlctrl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(
        text.contains(
            "netlink_genl::ctrl::Ctrl against the kernel's nlctrl (3 operations compared): \
             clean\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "netlink_families::nlctrl::Nlctrl against the kernel's nlctrl (3 operations \
             compared): 2 mismatches, 3 notes\n"
        ),
        "{text}"
    );
    // Without -v, only the mismatches are listed.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  ")).count(),
        2,
        "{text}"
    );
    assert!(text.contains("Getfamily.do.request.family_name"), "{text}");
    assert_eq!(stderr(&o), "genl: 2 mismatches\n");
    let verbose = run("genl", &["check", "-v", "nlctrl"]);
    let verbose = String::from_utf8(verbose.stdout).unwrap();
    assert_eq!(verbose.lines().filter(|l| l.starts_with("  ")).count(), 5);

    // --json: one object per type, with every finding.
    let o = run("genl", &["check", "--json", "nlctrl"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let types: Vec<(&str, bool, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap(),
                r["clean"].as_bool().unwrap(),
                r["mismatches"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            ("netlink_genl::ctrl::Ctrl", true, 0),
            ("netlink_families::nlctrl::Nlctrl", false, 2)
        ]
    );
    let first = &v[1]["findings"][0];
    assert_eq!(first["severity"], "mismatch");
    assert_eq!(first["kind"], "bounds");
    assert_eq!(first["path"], "Getfamily.do.request.family_name");
    assert_eq!(first["expected"], "nul-string");
    assert_eq!(first["found"], "nul-string max len 15");

    // A family the project declares without operations to compare: clean, exit 0.
    let text = ok("genl", &["check", "TASKSTATS"]);
    assert_eq!(
        text,
        "example_families::taskstats::Taskstats against the kernel's TASKSTATS (no operation \
         compared): clean\n"
    );
    // A family the project does not declare: an error.
    let o = run("genl", &["check", "tcp_metrics"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o),
        "genl: the project declares no type for family tcp_metrics\n"
    );
}
