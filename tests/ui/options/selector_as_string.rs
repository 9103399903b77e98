// `selector` names a field; no code in strings.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, selector = "kind")]
    data: Option<Vec<u8>>,
}

fn main() {}
