// Variant options of a sub-message: a kind that is not a literal, an unknown option, `kind`
// with `unknown`, `kind` twice.
use netlink_genl::{NlAttrs, NlSubMessage};

#[derive(NlAttrs)]
struct Vlan {
    #[nla(id = 1)]
    id: Option<u16>,
}

#[derive(NlSubMessage)]
enum Data {
    #[nla(kind = VLAN)]
    Vlan(Vlan),
    #[nla(knd = "veth")]
    Veth(Vlan),
    #[nla(kind = "bond", unknown)]
    Bond(Vlan),
    #[nla(kind = "gre", kind = "gretap")]
    Gre(Vlan),
    #[nla(unknown)]
    Other(Vec<u8>),
}

fn main() {}
