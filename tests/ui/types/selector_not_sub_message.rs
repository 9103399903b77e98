// A `selector` field holds a type deriving `NlSubMessage`.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct Linkinfo {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, selector = kind)]
    data: Option<Vec<u8>>,
}

fn main() {}
