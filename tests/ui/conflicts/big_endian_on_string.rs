use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, big_endian)]
    name: String,
}

fn main() {}
