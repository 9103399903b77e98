use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = 1)]
    New,
    #[genl(cmd = 2, request, reply = New, ack)]
    Get,
    #[genl(cmd = 3, request, ack, reply = New)]
    Set,
}

fn main() {}
