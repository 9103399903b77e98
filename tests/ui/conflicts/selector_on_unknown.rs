// The `unknown` field keeps attributes no field declares: it has no selector.
use netlink_genl::NlAttrs;
use netlink_genl::netlink_genl_core::attr::OwnedAttr;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(unknown, selector = kind)]
    rest: Vec<OwnedAttr>,
}

fn main() {}
