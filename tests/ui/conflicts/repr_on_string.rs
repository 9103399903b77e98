// `repr` carries an integer-like value; a string is not one.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, repr = u8)]
    name: Option<String>,
}

fn main() {}
