//! `crate = path` when the runtime crate is known under another name.
extern crate netlink_genl as genl_renamed;
extern crate netlink_genl_core as core_renamed;

mod reexport {
    // A path to a module that re-exports the runtime works too.
    pub use genl_renamed::__private;
}

#[derive(genl_renamed::NlAttrs)]
#[nla(crate = genl_renamed)]
struct A {
    #[nla(id = 1)]
    x: u32,
}

#[derive(core_renamed::NlAttrs)]
#[nla(crate = ::core_renamed)]
struct B {
    #[nla(id = 1, nested)]
    a: A,
}

#[derive(genl_renamed::NlAttrs)]
#[nla(crate = crate::reexport)]
struct C {
    #[nla(id = 1)]
    b: Option<u8>,
}

#[derive(genl_renamed::GenlMessage)]
#[genl(family = "demo", crate = genl_renamed)]
enum Demo {
    #[genl(cmd = 1, reply = Get)]
    Get(B),
    #[genl(cmd = 2, ack)]
    Set(C),
}

fn main() {
    let b = B { a: A { x: 1 } };
    let _ = core_renamed::attrs_to_vec(&b);
    let _ = <Demo as genl_renamed::GenlMessage>::FAMILY;
    let set = Demo::Set(C { b: None });
    assert_eq!(genl_renamed::GenlMessage::answer(&set), genl_renamed::Answer::Ack);
}
