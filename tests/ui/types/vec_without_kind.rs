use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    addrs: Vec<u32>,
}

fn main() {}
