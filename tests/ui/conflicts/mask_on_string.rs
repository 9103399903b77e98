use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, mask = 0x3)]
    name: Option<String>,
}

fn main() {}
