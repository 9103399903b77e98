//! Sub-messages both ways: a derived family with a `#[derive(NlSubMessage)]` field emits a
//! `sub-message` attribute and a `sub-messages` section, and generating from that spec gives
//! the sub-message enum and the `selector` field back.

use netlink_genl::{GenlMessage, NlAttrs, NlSubMessage};
use netlink_ynl::{Options, emit, generate};

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct VlanAttrs {
    #[nla(id = 1)]
    id: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct VethAttrs {
    #[nla(id = 1)]
    peer_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, NlSubMessage)]
enum LinkinfoData {
    #[nla(kind = "vlan")]
    Vlan(VlanAttrs),
    #[nla(kind = "veth")]
    Veth(VethAttrs),
    #[nla(unknown)]
    Other(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct Linkinfo {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, selector = kind)]
    data: Option<LinkinfoData>,
}

#[derive(Debug, Clone, PartialEq, GenlMessage)]
#[genl(family = "links", version = 1)]
enum Links {
    #[genl(cmd = 1)]
    Get(Linkinfo),
}

#[test]
fn sub_messages_emit_and_generate_back() {
    let yaml = emit(&<Links as GenlMessage>::SCHEMA);
    for want in [
        "        name: data\n        type: sub-message\n        sub-message: linkinfo-data\n        selector: kind\n",
        "sub-messages:\n  -\n    name: linkinfo-data\n    formats:\n",
        "      -\n        value: vlan\n        attribute-set: vlan-attrs\n",
        "      -\n        value: veth\n        attribute-set: veth-attrs\n",
    ] {
        assert!(yaml.contains(want), "missing:\n{want}\nin:\n{yaml}");
    }
    // The layouts' sets are emitted too.
    assert!(yaml.contains("    name: vlan-attrs\n"), "{yaml}");
    let rust = generate(&yaml, &Options::default()).unwrap();
    for want in [
        "    #[nla(id = 2, selector = kind)]\n    pub data: Option<LinkinfoData>,",
        "pub enum LinkinfoData {",
        "    #[nla(kind = \"vlan\")]\n    Vlan(VlanAttrs),",
        "    #[nla(kind = \"veth\")]\n    Veth(VethAttrs),",
        "    #[nla(unknown)]\n    Unknown(Vec<u8>),",
    ] {
        assert!(rust.contains(want), "missing:\n{want}\nin:\n{rust}");
    }
}
