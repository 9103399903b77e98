use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S;

fn main() {}
