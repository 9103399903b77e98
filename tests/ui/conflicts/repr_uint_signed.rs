// `uint` is the encoding of an unsigned `repr`.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, repr = i32, uint)]
    level: Option<i64>,
}

fn main() {}
