use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
enum E {
    A,
    B,
}

fn main() {}
