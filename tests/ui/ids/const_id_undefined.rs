use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = ATTR_NOPE)]
    a: u32,
}

fn main() {}
