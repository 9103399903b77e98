use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, keyed, big_endian)]
    map: Vec<(u16, u32)>,
}

fn main() {}
