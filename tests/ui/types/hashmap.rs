use std::collections::HashMap;

use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, keyed)]
    map: HashMap<u16, u32>,
}

fn main() {}
