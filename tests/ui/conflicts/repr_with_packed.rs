// A packed array's elements are in host order, each its own size.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, packed, repr = u8)]
    rates: Vec<u32>,
}

fn main() {}
