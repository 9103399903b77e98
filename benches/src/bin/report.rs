//! Print the tables of `BENCHMARKS.md` from criterion's results: the median time of every
//! benchmark and its ratios to the peers (and, for live round trips, to the floor).
//!
//! ```text
//! cargo bench -p benches                       # results in $CARGO_TARGET_DIR/criterion
//! cargo run --release -p benches --bin report  # tables of the latest run ("new")
//! cargo run --release -p benches --bin report -- r1 r2 r3   # median over saved baselines
//! ```
//!
//! With several baselines (`cargo bench -p benches -- --save-baseline r1`, ...), each
//! benchmark's time is the median of its per-run medians.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The groups, in table order, and whether their rows are compared with a floor row.
const GROUPS: &[(&str, &str)] = &[
    (
        "encode_getfamily",
        "Encode GETFAMILY {name=\"nlctrl\"} into a reused buffer",
    ),
    (
        "decode_family_dump",
        "Decode the captured GETFAMILY dump (15 families, 3792 B)",
    ),
    (
        "decode_policy_dump",
        "Decode the captured ethtool GETPOLICY dump (260 messages, 16228 B)",
    ),
    (
        "live_dump_getfamily",
        "Live GETFAMILY dump round trip (send, read to DONE, decode)",
    ),
    (
        "live_do_getfamily",
        "Live GETFAMILY do for \"nlctrl\", declared reply, no ACK (send, read the reply, decode)",
    ),
    (
        "live_do_getfamily_ack",
        "Live GETFAMILY do for \"nlctrl\" with NLM_F_ACK (send, read reply and ACK, decode)",
    ),
    (
        "scale_attrs_encode",
        "Scaling: encode N u32 attributes (AttrWriter)",
    ),
    (
        "scale_attrs_decode",
        "Scaling: decode N u32 attributes (AttrIter)",
    ),
    (
        "scale_depth_encode",
        "Scaling: encode a chain of D nests (AttrWriter)",
    ),
    (
        "scale_depth_decode",
        "Scaling: decode a chain of D nests (AttrIter)",
    ),
];

fn field<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    let i = json.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &json[i..];
    if let Some(s) = rest.strip_prefix('"') {
        return s.find('"').map(|j| &s[..j]);
    }
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The median point estimate (ns) in an `estimates.json`.
fn median_ns(estimates: &str) -> Option<f64> {
    let i = estimates.find("\"median\":")?;
    field(&estimates[i..], "point_estimate")?.parse().ok()
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One row per size, one pair of columns per series (`series/size` names).
fn print_scaling(rows: &[(String, Vec<f64>)]) {
    let mut series: Vec<&str> = Vec::new();
    let mut sizes: Vec<u64> = Vec::new();
    let mut cell: BTreeMap<(&str, u64), f64> = BTreeMap::new();
    for (name, v) in rows {
        let (s, n) = name.rsplit_once('/').unwrap_or(("", name.as_str()));
        let Ok(n) = n.parse::<u64>() else { continue };
        if !series.contains(&s) {
            series.push(s);
        }
        if !sizes.contains(&n) {
            sizes.push(n);
        }
        cell.insert((s, n), median(v.clone()));
    }
    sizes.sort_unstable();
    series.sort_unstable_by_key(|s| std::cmp::Reverse(s.contains("manual")));
    let mut head = String::from("| size |");
    let mut rule = String::from("|---:|");
    for s in &series {
        head += &format!(" {s} | per element |");
        rule += "---:|---:|";
    }
    println!("{head}\n{rule}");
    for n in sizes {
        let mut line = format!("| {n} |");
        for s in &series {
            match cell.get(&(*s, n)) {
                Some(&t) => line += &format!(" {} | {} |", fmt_time(t), fmt_time(t / n as f64)),
                None => line += " – | – |",
            }
        }
        println!("{line}");
    }
}

fn main() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let root = target.join("criterion");
    let mut baselines: Vec<String> = std::env::args().skip(1).collect();
    if baselines.is_empty() {
        baselines.push("new".into());
    }
    // group -> (function, parameter) -> per-baseline medians
    let mut results: BTreeMap<String, Vec<(String, Vec<f64>)>> = BTreeMap::new();
    for (group, _) in GROUPS {
        // Benchmarks are `group/function/<baseline>` or `group/function/value/<baseline>`.
        let mut dirs = Vec::new();
        let Ok(top) = std::fs::read_dir(root.join(group)) else {
            continue;
        };
        for d in top.flatten().filter(|d| d.path().is_dir()) {
            if d.path().join(&baselines[0]).join("benchmark.json").exists() {
                dirs.push(d.path());
            } else if let Ok(sub) = std::fs::read_dir(d.path()) {
                dirs.extend(sub.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
            }
        }
        let mut rows = Vec::new();
        for d in dirs {
            let mut times = Vec::new();
            let mut name = None;
            for b in &baselines {
                let dir = d.join(b);
                let (Ok(bench), Ok(est)) = (
                    std::fs::read_to_string(dir.join("benchmark.json")),
                    std::fs::read_to_string(dir.join("estimates.json")),
                ) else {
                    continue;
                };
                let f = field(&bench, "function_id").unwrap_or("?");
                let v = field(&bench, "value_str").filter(|v| *v != "null");
                name = Some(match v {
                    Some(v) if f == "?" || f == "null" => v.to_string(),
                    Some(v) => format!("{f}/{v}"),
                    None => f.to_string(),
                });
                if let Some(t) = median_ns(&est) {
                    times.push(t);
                }
            }
            if let Some(n) = name.filter(|_| !times.is_empty()) {
                rows.push((n, times));
            }
        }
        rows.sort_by(|a, b| {
            let key = |s: &str| s.parse::<u64>().ok();
            match (key(&a.0), key(&b.0)) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => median(a.1.clone())
                    .total_cmp(&median(b.1.clone()))
                    .reverse(),
            }
        });
        results.insert(group.to_string(), rows);
    }
    println!(
        "Medians{} (criterion `median` point estimates).\n",
        if baselines.len() > 1 {
            format!(" of {} runs ({})", baselines.len(), baselines.join(", "))
        } else {
            String::new()
        }
    );
    for (group, title) in GROUPS {
        let Some(rows) = results.get(*group) else {
            continue;
        };
        let t = |name: &str| {
            rows.iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| median(v.clone()))
        };
        let (neli, rnl) = (t("neli"), t("rust-netlink"));
        let floor = t("floor");
        let scaling = group.starts_with("scale_");
        println!("### {title}\n");
        if scaling {
            print_scaling(rows);
            println!();
            continue;
        }
        if floor.is_some() {
            println!(
                "| implementation | median | vs floor | neli ÷ this | rust-netlink ÷ this |\n|---|---:|---:|---:|---:|"
            );
        } else {
            println!(
                "| implementation | median | neli ÷ this | rust-netlink ÷ this |\n|---|---:|---:|---:|"
            );
        }
        for (name, v) in rows {
            let m = median(v.clone());
            let ratio = |p: Option<f64>| p.map_or("–".into(), |p| format!("{:.2}×", p / m));
            if let Some(f) = floor {
                println!(
                    "| {name} | {} | {:.3} | {} | {} |",
                    fmt_time(m),
                    m / f,
                    ratio(neli),
                    ratio(rnl)
                );
            } else {
                println!(
                    "| {name} | {} | {} | {} |",
                    fmt_time(m),
                    ratio(neli),
                    ratio(rnl)
                );
            }
        }
        println!();
    }
}
