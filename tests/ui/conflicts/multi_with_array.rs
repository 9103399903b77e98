use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, multi, array)]
    v: Vec<u32>,
}

fn main() {}
