//! Bad specs are typed errors that name the key at fault; the CLI prints Rust for a spec.

use netlink_ynl::{Error, Options, generate};

fn err(spec: &str) -> Error {
    generate(spec, &Options::default()).unwrap_err()
}

#[test]
fn errors_name_the_key() {
    let e = err(
        "name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - { name: b, type: nest, nested-attributes: nope }\n",
    );
    assert_eq!(
        e,
        Error::UnknownName {
            key: "attribute-sets[0].attributes[0].nested-attributes".into(),
            name: "nope".into(),
            what: "attribute set",
        }
    );
    assert_eq!(
        e.to_string(),
        "attribute-sets[0].attributes[0].nested-attributes: `nope` names no attribute set of the spec"
    );

    let e = err(
        "name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - { name: b, type: u33 }\n",
    );
    assert!(
        matches!(&e, Error::InvalidValue { key, value, .. } if key == "attribute-sets[0].attributes[0].type" && value == "u33"),
        "{e}"
    );

    let e = err("name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - { name: b }\n");
    assert!(
        matches!(&e, Error::Missing { key, .. } if key == "attribute-sets[0].attributes[0].type"),
        "{e}"
    );

    let e = err(
        "name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - { name: b, type: u8, value: 20000 }\n",
    );
    assert!(matches!(&e, Error::OutOfRange { value: 20000, .. }), "{e}");

    let e = err(
        "name: x\nattribute-sets:\n  - { name: a, attributes: [ { name: b, type: u8 } ] }\noperations:\n  list:\n    - { name: get, attribute-set: a, do: { request: { attributes: [c] } } }\n",
    );
    assert!(
        matches!(&e, Error::UnknownName { key, name, .. } if key == "operations.list[0].do.request.attributes[0]" && name == "c"),
        "{e}"
    );

    let e = err("name: x\nprotocol: netlink-raw\n");
    assert!(matches!(e, Error::UnsupportedProtocol { .. }), "{e}");

    let e = err("name: [not, a, string]\n");
    assert!(
        matches!(&e, Error::Yaml { message } if message.contains("name")),
        "{e}"
    );
}

#[test]
fn cli_prints_rust_for_ovs_flow() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/ovs_flow.yaml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_netlink-ynl"))
        .args(["generate", spec])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lib = generate(&std::fs::read_to_string(spec).unwrap(), &Options::default()).unwrap();
    assert_eq!(text, lib);
    assert!(text.contains(
        "#[genl(family = \"ovs_flow\", version = 1, header = OvsHeader, groups(\"ovs_flow\"))]"
    ));

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_netlink-ynl"))
        .args(["generate", "/nonexistent.yaml"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}
