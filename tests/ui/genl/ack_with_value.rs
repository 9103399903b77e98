use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = 1, request, ack = true)]
    Set,
}

fn main() {}
