use netlink_genl::NlAttrs;
use netlink_genl::netlink_genl_core::attr::OwnedAttr;

#[derive(NlAttrs)]
#[nla(deny_unknown)]
struct S {
    #[nla(id = 1)]
    a: u32,
    #[nla(unknown)]
    rest: Vec<OwnedAttr>,
}

fn main() {}
