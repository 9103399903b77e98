use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    a: u32,
    #[nla(unknown)]
    rest: Option<u32>,
}

fn main() {}
