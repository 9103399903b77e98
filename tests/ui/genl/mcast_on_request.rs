use netlink_genl::{GenlMessage, NlAttrs};

#[derive(NlAttrs)]
struct Dev {
    #[nla(id = 1)]
    ifindex: Option<u32>,
    #[nla(id = 2)]
    name: Option<String>,
}

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1, groups("mgmt"))]
enum Demo {
    #[genl(cmd = 1, request, mcast = "mgmt")]
    Get(Dev),
}

fn main() {}
