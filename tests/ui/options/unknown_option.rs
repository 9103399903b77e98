use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, bigendian)]
    port: u16,
}

fn main() {}
