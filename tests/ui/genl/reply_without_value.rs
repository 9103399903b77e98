use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = 1)]
    New,
    #[genl(cmd = 2, request, reply)]
    Get,
}

fn main() {}
