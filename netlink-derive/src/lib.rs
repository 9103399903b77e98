//! Derive macros for netlink-genl (placeholder while the derive is written).
use proc_macro::TokenStream;

/// `#[derive(NlAttrs)]` (generated code names `::netlink_core` unless `#[nla(crate = path)]`).
#[proc_macro_derive(NlAttrs, attributes(nla))]
pub fn derive_nl_attrs(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// `#[derive(NlAttrs)]` as re-exported by `netlink-genl` (generated code names `::netlink_genl`).
#[doc(hidden)]
#[proc_macro_derive(__NlAttrsGenl, attributes(nla))]
pub fn derive_nl_attrs_genl(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// `#[derive(GenlMessage)]`.
#[proc_macro_derive(GenlMessage, attributes(genl))]
pub fn derive_genl_message(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
