use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(skip, max = 1)]
    cache: u32,
}

fn main() {}
