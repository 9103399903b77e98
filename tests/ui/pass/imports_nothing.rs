//! A crate that names the derives by path and imports nothing: no `use` at all.

#[derive(Debug, PartialEq, netlink_genl::NlAttrs)]
struct Op {
    #[nla(id = 1)]
    id: u32,
    #[nla(id = 2)]
    flags: u32,
}

#[derive(Debug, PartialEq, netlink_genl::NlAttrs)]
struct Family {
    #[nla(id = 1)]
    id: Option<u16>,
    #[nla(id = 2)]
    name: Option<String>,
    #[nla(id = 6, array)]
    ops: Vec<Op>,
}

#[derive(Debug, PartialEq, netlink_genl::GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum Ctrl {
    #[genl(cmd = 1)]
    NewFamily(Family),
    #[genl(cmd = 3, reply = NewFamily)]
    GetFamily(Family),
}

fn main() {
    let f = Family { id: Some(16), name: Some("nlctrl".into()), ops: vec![Op { id: 3, flags: 14 }] };
    let bytes = netlink_genl::netlink_genl_core::attrs_to_vec(&f).unwrap();
    let back = <Family as netlink_genl::DecodeAttrs>::decode_attrs(&bytes).unwrap();
    assert_eq!(back, f);
    let m = <Ctrl as netlink_genl::GenlDecode>::decode_genl(1, &bytes).unwrap();
    assert_eq!(<Ctrl as netlink_genl::GenlMessage>::command(&m), 1);
    let req = Ctrl::GetFamily(Family { id: None, name: None, ops: Vec::new() });
    assert_eq!(<Ctrl as netlink_genl::GenlMessage>::answer(&req), netlink_genl::Answer::Reply(1));
}
