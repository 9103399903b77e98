use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S(#[nla(id = 1)] u32);

fn main() {}
