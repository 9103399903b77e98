use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, multi)]
    addr: u32,
}

fn main() {}
