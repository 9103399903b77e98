use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, mask = -1)]
    v: Option<u32>,
}

fn main() {}
