use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, mask = 0x3)]
    v: Option<i32>,
}

fn main() {}
