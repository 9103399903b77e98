use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, packed, big_endian)]
    ports: Vec<u16>,
}

fn main() {}
