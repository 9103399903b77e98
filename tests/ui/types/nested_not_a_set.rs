use netlink_genl::NlAttrs;

struct NotASet {
    x: u32,
}

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, nested)]
    inner: NotASet,
}

fn main() {}
