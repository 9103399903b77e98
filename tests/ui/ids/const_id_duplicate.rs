use netlink_genl::NlAttrs;

const ATTR_A: u16 = 1;
const ATTR_B: u16 = 1;

#[derive(NlAttrs)]
struct S {
    #[nla(id = ATTR_A)]
    a: u32,
    #[nla(id = ATTR_B)]
    b: u32,
}

fn main() {}
