use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, max = "255")]
    v: Option<u32>,
}

fn main() {}
