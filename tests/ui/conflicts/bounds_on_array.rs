use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, array, max = 7)]
    v: Vec<u32>,
}

fn main() {}
