use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, flag = true)]
    up: bool,
}

fn main() {}
