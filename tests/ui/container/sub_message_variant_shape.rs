// Each variant holds one value: the layout's set, or the fallback's bytes; one fallback.
use netlink_genl::{NlAttrs, NlSubMessage};

#[derive(NlAttrs)]
struct Vlan {
    #[nla(id = 1)]
    id: Option<u16>,
}

#[derive(NlSubMessage)]
enum Data {
    #[nla(kind = "vlan")]
    Vlan { set: Vlan },
    #[nla(kind = "dummy")]
    Dummy,
    #[nla(unknown)]
    Other(Vec<u8>),
    #[nla(unknown)]
    Rest(Vec<u8>),
}

fn main() {}
