use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, nested)]
    mtu: u32,
}

fn main() {}
