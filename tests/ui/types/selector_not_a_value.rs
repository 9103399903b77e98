// The selector is a string or an integer-like value.
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
    kind: Option<Vec<u8>>,
    #[nla(id = 2, selector = kind)]
    data: Option<Data>,
}

fn main() {}
