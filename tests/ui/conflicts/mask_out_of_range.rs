use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, mask = 0x1_0000_0000_0000_0000)]
    v: Option<u64>,
}

fn main() {}
