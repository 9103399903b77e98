use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla = 1]
    a: u32,
    #[nla(id)]
    b: u32,
}

fn main() {}
