use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, big_endian, uint)]
    n: u64,
}

fn main() {}
