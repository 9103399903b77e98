use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, flag, multi)]
    up: bool,
}

fn main() {}
