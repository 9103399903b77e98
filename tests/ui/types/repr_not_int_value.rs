// A type carried with `repr` implements `IntValue` (its value as an integer and back).
use netlink_genl::NlAttrs;

#[derive(Debug, Clone, Copy)]
enum Mode {
    On,
    Off,
}

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, repr = u8)]
    mode: Option<Mode>,
}

fn main() {}
