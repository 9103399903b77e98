use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "ethtool", version = 1)]
enum Ethtool {
    #[genl(cmd = 11, request, reply = FeaturesGet)]
    FeaturesGet,
    #[genl(cmd = 11)]
    FeaturesGetReply,
    #[genl(cmd = 1, request)]
    StrsetGet,
    #[genl(cmd = 12, request, reply = StrsetGet)]
    FeaturesSet,
}

fn main() {}
