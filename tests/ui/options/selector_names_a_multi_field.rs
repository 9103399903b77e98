// The selector holds one value: a `multi` field cannot choose a layout.
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
struct S {
    #[nla(id = 1, multi)]
    kinds: Vec<String>,
    #[nla(id = 2, selector = kinds)]
    data: Option<Data>,
}

fn main() {}
