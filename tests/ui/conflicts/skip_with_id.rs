use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    a: u32,
    #[nla(id = 2, skip)]
    cache: u32,
}

fn main() {}
