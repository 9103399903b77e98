use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 256)]
enum Family {
    #[genl(cmd = 1)]
    Get,
}

fn main() {}
