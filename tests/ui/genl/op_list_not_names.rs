use netlink_genl::{GenlMessage, NlAttrs};

#[derive(NlAttrs)]
struct Dev {
    #[nla(id = 1)]
    ifindex: Option<u32>,
    #[nla(id = 2)]
    name: Option<String>,
}

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Demo {
    #[genl(cmd = 1, do(request(ifindex = 1)))]
    Get(Dev),
}

fn main() {}
