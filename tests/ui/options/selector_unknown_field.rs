// `selector` names a field of the same struct.
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
    #[nla(id = 2, selector = knd)]
    data: Option<Data>,
}

fn main() {}
