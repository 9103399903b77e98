use netlink_genl::NlAttrs;

struct Opaque;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    v: Opaque,
}

fn main() {}
