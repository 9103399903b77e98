// Stub impls are emitted next to the error: the code using the type compiles, so one
// mistake gives one error, not a cascade.
use netlink_genl::{DecodeAttrs, EncodeAttrs, NlAttrs};

#[derive(NlAttrs)]
struct Inner {
    #[nla(id = 1, flag)]
    x: u32,
}

#[derive(NlAttrs)]
struct Outer {
    #[nla(id = 1, nested)]
    inner: Inner,
}

fn main() {
    let _ = Inner::decode_attrs(&[]);
    let o = Outer::decode_attrs(&[]).unwrap();
    let _ = o.attrs_len();
}
