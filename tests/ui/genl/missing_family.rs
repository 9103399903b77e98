use netlink_genl::{GenlMessage, NlAttrs};

#[derive(NlAttrs)]
struct Set {
    #[nla(id = 1)]
    a: Option<u32>,
}

#[derive(GenlMessage)]
#[genl(version = 1)]
enum Family {
    #[genl(cmd = 1)]
    Get(Set),
}

fn main() {}
