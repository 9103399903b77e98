use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, flag, max = 1)]
    on: bool,
}

fn main() {}
