use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    a: u32,
    #[nla(id = 1)]
    b: u32,
}

fn main() {}
