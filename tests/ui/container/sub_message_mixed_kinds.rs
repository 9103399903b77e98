// A selector is a string or an integer, not both.
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
    #[nla(kind = 2)]
    Two(Vlan),
    #[nla(unknown)]
    Other(Vec<u8>),
}

fn main() {}
