// A const id 0 is checked against the other ids like any other.
use netlink_genl::NlAttrs;

const ATTR_ZERO: u16 = 0;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 0)]
    a: u32,
    #[nla(id = ATTR_ZERO)]
    b: u32,
}

fn main() {}
