// A flag has no value to carry: `repr` does not apply.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, flag, repr = u8)]
    on: bool,
}

fn main() {}
