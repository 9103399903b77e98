use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
union U {
    a: u32,
    b: u16,
}

fn main() {}
