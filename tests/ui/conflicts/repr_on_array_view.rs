// Element options apply to the elements of a `Vec<T>`.
use netlink_genl::NlAttrs;
use netlink_genl::netlink_genl_core::attr::ArrayView;

#[derive(NlAttrs)]
struct S<'a> {
    #[nla(id = 1, array, repr = u8)]
    rates: ArrayView<'a, u32>,
}

fn main() {}
