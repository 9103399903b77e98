use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, default)]
    mtu: Option<u32>,
}

fn main() {}
