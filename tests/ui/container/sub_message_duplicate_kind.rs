// Every layout has its own selector value; a variant without one is reported too.
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
    #[nla(kind = "vlan")]
    Vlan2(Vlan),
    Veth(Vlan),
    #[nla(unknown)]
    Other(Vec<u8>),
}

fn main() {}
