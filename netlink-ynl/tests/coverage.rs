//! The README's coverage table says, for each vendored spec, the YNL features it uses: computed
//! here from the specs, so the table cannot drift from them. (The classic netlink rows describe
//! specs this crate does not vendor: not checked.)

use std::collections::BTreeSet;
use std::path::Path;

use serde_norway::Value;

fn get<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.as_mapping()?.get(k)
}

fn items(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_sequence).map_or(&[], Vec::as_slice)
}

fn text<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    get(v, k)?.as_str()
}

/// The features of one spec, by the legend under the README's "Coverage" heading.
fn features(spec: &Value) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    let mut add = |s: &str| {
        f.insert(s.to_owned());
    };
    for d in items(get(spec, "definitions")) {
        if let Some(t) = text(d, "type") {
            add(t);
        }
    }
    for set in items(get(spec, "attribute-sets")) {
        if get(set, "subset-of").is_some() {
            add("subset-of");
        }
        for a in items(get(set, "attributes")) {
            let ty = text(a, "type").unwrap_or("");
            match ty {
                "u8" | "u16" | "u32" | "u64" | "s8" | "s16" | "s32" | "s64" => add("ints"),
                "" => {}
                other => add(other),
            }
            if ty == "binary" && get(a, "struct").is_some() {
                add("binary struct");
            }
            if ty == "binary" && get(a, "sub-type").is_some() {
                add("binary sub-type");
            }
            if get(a, "enum").is_some() {
                add("enum values");
            }
            if get(a, "enum-as-flags").and_then(Value::as_bool) == Some(true) {
                add("enum-as-flags");
            }
            for k in ["byte-order", "checks", "display-hint"] {
                if get(a, k).is_some() {
                    add(k);
                }
            }
            if get(a, "multi-attr").and_then(Value::as_bool) == Some(true) {
                add("multi-attr");
            }
        }
    }
    if !items(get(spec, "sub-messages")).is_empty() {
        add("sub-messages");
    }
    if get(spec, "mcast-groups").is_some() {
        add("mcast-groups");
    }
    if get(spec, "kernel-policy").is_some() {
        add("kernel-policy");
    }
    if let Some(ops) = get(spec, "operations") {
        if text(ops, "enum-model") == Some("directional") {
            add("directional");
        }
        if get(ops, "fixed-header").is_some() {
            add("fixed-header");
        }
        for op in items(get(ops, "list")) {
            if !items(get(op, "flags")).is_empty() {
                add("op flags");
            }
            if !items(get(op, "dont-validate")).is_empty() {
                add("dont-validate");
            }
            if get(op, "config-cond").is_some() {
                add("config-cond");
            }
            if get(op, "fixed-header").is_some() {
                add("fixed-header");
            }
        }
    }
    f
}

#[test]
fn the_coverage_table_lists_each_specs_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("specs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let spec: Value = serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no coverage row for {name}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let listed: BTreeSet<String> = cells[3].split(", ").map(str::to_owned).collect();
        let used = features(&spec);
        if listed != used {
            wrong.push(format!(
                "{name}: listed but not used {:?}, used but not listed {:?}",
                listed.difference(&used).collect::<Vec<_>>(),
                used.difference(&listed).collect::<Vec<_>>()
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, 24);
    assert!(wrong.is_empty(), "{wrong:#?}");
}
