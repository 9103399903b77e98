use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, uint)]
    delta: i64,
}

fn main() {}
