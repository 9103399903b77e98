use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = 1)]
    New,
    #[genl(cmd = 2, request, reply = "New")]
    Get,
    #[genl(cmd = 3, request, reply = Family::New)]
    Set,
    #[genl(cmd = 4, request, reply = 1)]
    Del,
}

fn main() {}
