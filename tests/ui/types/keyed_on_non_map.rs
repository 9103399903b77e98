use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, keyed)]
    v: Vec<u32>,
}

fn main() {}
