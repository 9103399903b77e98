use netlink_genl::NlAttrs;

// With `keyed`, an encoding option applies to the values: a string has no byte order.
#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, keyed, big_endian)]
    map: Vec<(u16, String)>,
}

fn main() {}
