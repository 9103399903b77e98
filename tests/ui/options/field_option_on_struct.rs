use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
#[nla(id = 1)]
struct S {
    #[nla(id = 1)]
    a: u32,
}

fn main() {}
