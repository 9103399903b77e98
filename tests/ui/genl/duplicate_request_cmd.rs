use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = 11, request)]
    Get,
    #[genl(cmd = 11, request)]
    Other,
    #[genl(cmd = 11)]
    GetReply,
}

fn main() {}
