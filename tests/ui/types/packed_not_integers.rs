use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, packed)]
    names: Vec<String>,
}

fn main() {}
