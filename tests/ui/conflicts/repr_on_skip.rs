// A skipped field is not on the wire: `repr` does not apply.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(skip, repr = u8)]
    cached: u32,
}

fn main() {}
