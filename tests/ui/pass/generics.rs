//! Type generics get the bounds they need; one lifetime for borrowed decode.
use netlink_genl::{DecodeAttrs, EncodeAttrs, NlAttrs};

#[derive(NlAttrs)]
struct Wrapper<T> {
    #[nla(id = 1)]
    value: T,
    #[nla(id = 2, multi)]
    more: Vec<T>,
    #[nla(id = 3)]
    maybe: Option<T>,
}

#[derive(NlAttrs)]
struct Nested<S: Clone> {
    #[nla(id = 1, nested)]
    set: S,
    #[nla(id = 2, array)]
    list: Vec<S>,
}

#[derive(Clone, NlAttrs)]
struct Leaf {
    #[nla(id = 1)]
    x: u16,
}

#[derive(NlAttrs)]
struct Fixed<const N: usize> {
    #[nla(id = 1)]
    key: [u8; N],
}

#[derive(NlAttrs)]
struct Borrowing<'buf, T> where T: Copy {
    #[nla(id = 1)]
    name: &'buf str,
    #[nla(id = 2, big_endian)]
    n: Option<T>,
}

fn owned<T: EncodeAttrs + for<'a> DecodeAttrs<'a>>() {}

fn main() {
    owned::<Wrapper<u32>>();
    owned::<Wrapper<Leaf>>();
    owned::<Nested<Leaf>>();
    owned::<Fixed<16>>();
    fn borrowed<'a, T: DecodeAttrs<'a>>() {}
    borrowed::<Borrowing<'_, u16>>();
}
