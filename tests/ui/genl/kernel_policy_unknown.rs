use netlink_genl::{GenlMessage, NlAttrs};

#[derive(NlAttrs)]
struct Dev {
    #[nla(id = 1)]
    ifindex: Option<u32>,
}

#[derive(GenlMessage)]
#[genl(family = "demo", kernel_policy = shared)]
enum Demo {
    #[genl(cmd = 1, do)]
    Get(Dev),
}

fn main() {}
