use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, exact_len = 6, max_len = 6)]
    mac: Option<Vec<u8>>,
}

fn main() {}
