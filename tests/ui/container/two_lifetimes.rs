use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S<'a, 'b> {
    #[nla(id = 1)]
    a: &'a str,
    #[nla(id = 2)]
    b: &'b str,
}

fn main() {}
