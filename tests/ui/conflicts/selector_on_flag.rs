// A flag is not a sub-message.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    kind: Option<String>,
    #[nla(id = 2, flag, selector = kind)]
    on: bool,
}

fn main() {}
