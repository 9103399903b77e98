// Every mistake of one derive is reported in one run.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 16384)]
    a: u32,
    #[nla(id = 2, flag)]
    b: u32,
    c: u32,
    #[nla(id = 4, nestd)]
    d: u32,
}

fn main() {}
