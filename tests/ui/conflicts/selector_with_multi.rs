// A sub-message is one nest: `selector` takes no structure option.
use netlink_genl::{NlAttrs, NlSubMessage};

#[derive(NlAttrs)]
struct Vlan {
    #[nla(id = 1)]
    id: Option<u16>,
}

#[derive(NlSubMessage)]
enum Data {
    #[nla(kind = "vlan")]
    Vlan(Vlan),
    #[nla(unknown)]
    Other(Vec<u8>),
}

#[derive(NlAttrs)]
struct Linkinfo {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, multi, selector = kind)]
    data: Vec<Data>,
}

fn main() {}
