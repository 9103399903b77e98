use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    policy: Vec<(u16, u32)>,
}

fn main() {}
