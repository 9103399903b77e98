use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, max = 15)]
    name: Option<String>,
}

fn main() {}
