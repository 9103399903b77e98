use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum Ctrl {
    #[genl(cmd = 1)]
    NewFamily,
    #[genl(cmd = 2)]
    DelFamily,
    #[genl(cmd = 3, request, reply = NewFamliy)]
    GetFamily,
    #[genl(cmd = 10, request, reply = PolicyReply)]
    GetPolicy,
}

fn main() {}
