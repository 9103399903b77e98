use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 16384)]
    a: u32,
}

fn main() {}
