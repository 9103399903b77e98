use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, max_len = 4)]
    v: Option<u32>,
}

fn main() {}
