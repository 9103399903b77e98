use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1)]
    ratio: f64,
}

fn main() {}
