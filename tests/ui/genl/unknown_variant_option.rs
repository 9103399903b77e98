use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = 1, reqest)]
    Get,
    #[genl(cmd = 2, family = "x")]
    Set,
}

fn main() {}
