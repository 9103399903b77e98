// Id 0 is an id like any other: two fields cannot share it.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 0)]
    a: u32,
    #[nla(id = 0)]
    b: u32,
}

fn main() {}
