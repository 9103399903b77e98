//! The generated code compiles in a module without the prelude.
#![no_implicit_prelude]

mod family {
    #[derive(::netlink_genl::NlAttrs)]
    pub struct Op {
        #[nla(id = 1)]
        pub id: u32,
        #[nla(id = 2)]
        pub flags: ::std::option::Option<u32>,
    }

    #[derive(::netlink_genl::NlAttrs)]
    #[nla(deny_unknown)]
    pub struct Family<'a> {
        #[nla(id = 1)]
        pub id: ::std::option::Option<u16>,
        #[nla(id = 2)]
        pub name: &'a str,
        #[nla(id = 3, flag)]
        pub up: bool,
        #[nla(id = 6, array)]
        pub ops: ::std::vec::Vec<Op>,
        #[nla(id = 7, multi, big_endian)]
        pub ports: ::std::vec::Vec<u16>,
        #[nla(id = 8, keyed)]
        pub keyed: ::std::vec::Vec<(u16, u32)>,
        #[nla(id = 9, uint)]
        pub n: u64,
        #[nla(id = 10, default)]
        pub d: u32,
        #[nla(skip)]
        pub s: u8,
    }

    #[derive(::netlink_genl::NlAttrs)]
    pub struct Generic<T> {
        #[nla(id = 1)]
        pub t: T,
    }

    #[derive(::netlink_genl::GenlMessage)]
    #[genl(family = "nlctrl", version = 2)]
    pub enum Ctrl<'a> {
        #[genl(cmd = 1)]
        NewFamily(Family<'a>),
        #[genl(cmd = 3, request, reply = NewFamily)]
        GetFamily(Family<'a>),
        #[genl(cmd = 3, reply = Other)]
        Other,
        #[genl(cmd = 4, ack)]
        Set,
    }

    #[derive(::netlink_genl_core::NlAttrs)]
    pub struct CoreOnly {
        #[nla(id = 1)]
        pub x: u32,
        #[nla(unknown)]
        pub rest: ::std::vec::Vec<::netlink_genl_core::attr::OwnedAttr>,
    }
}

fn main() {
    let f = family::Op { id: 1, flags: ::std::option::Option::None };
    let _ = ::netlink_genl_core::attrs_to_vec(&f);
    let _ = family::Generic { t: 1u32 };
    let answer = ::netlink_genl::GenlMessage::answer(&family::Ctrl::Set);
    ::std::assert_eq!(answer, ::netlink_genl::Answer::Ack);
}
