use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S<'a> {
    #[nla(id = 1)]
    v: &'a u32,
}

fn main() {}
