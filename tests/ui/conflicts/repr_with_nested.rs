// `repr` and `nested` are two encodings of one value.
use netlink_genl::NlAttrs;

#[derive(NlAttrs)]
struct Inner {
    #[nla(id = 1)]
    a: u32,
}

#[derive(NlAttrs)]
struct S {
    #[nla(id = 1, repr = u8, nested)]
    inner: Option<Inner>,
}

fn main() {}
