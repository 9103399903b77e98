use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
#[nla(crate = "netlink_genl")]
struct S {
    #[nla(id = 1)]
    a: u32,
}

fn main() {}
