use netlink_genl::GenlMessage;

const CMD_GET: u8 = 3;
const CMD_SET: u8 = 3;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family {
    #[genl(cmd = CMD_GET)]
    Get,
    #[genl(cmd = CMD_SET)]
    Set,
}

fn main() {}
