use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "a_family_name_too_long", version = 1)]
enum Family {
    #[genl(cmd = 1)]
    Get,
}

fn main() {}
