use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
struct Family {
    cmd: u8,
}

fn main() {}
