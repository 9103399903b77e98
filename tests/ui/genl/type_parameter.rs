use netlink_genl::GenlMessage;

#[derive(GenlMessage)]
#[genl(family = "demo", version = 1)]
enum Family<T> {
    #[genl(cmd = 1)]
    Get(T),
}

fn main() {}
