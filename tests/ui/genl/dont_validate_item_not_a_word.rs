use netlink_genl::{GenlMessage, NlAttrs};

#[derive(NlAttrs)]
struct Dev {
    #[nla(id = 1)]
    ifindex: Option<u32>,
}

#[derive(GenlMessage)]
#[genl(family = "demo")]
enum Demo {
    #[genl(cmd = 1, do, dont_validate("strict"))]
    Get(Dev),
}

fn main() {}
