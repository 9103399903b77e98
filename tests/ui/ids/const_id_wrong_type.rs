use netlink_genl::NlAttrs;

const ATTR_A: u32 = 1;

#[derive(NlAttrs)]
struct S {
    #[nla(id = ATTR_A)]
    a: u32,
}

fn main() {}
