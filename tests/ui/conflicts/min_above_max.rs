use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, min = 10, max = 1)]
    v: Option<u32>,
}

fn main() {}
