// `repr` names the integer type on the wire.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, repr = String)]
    a: Option<u32>,
}

fn main() {}
