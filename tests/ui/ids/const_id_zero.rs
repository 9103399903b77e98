use netlink_genl::NlAttrs;

const ATTR_UNSPEC: u16 = 0;

#[derive(NlAttrs)]
struct S {
    #[nla(id = ATTR_UNSPEC)]
    a: u32,
}

fn main() {}
