//! Derive macros for netlink-genl (placeholder while the derive is written).
use proc_macro::TokenStream;

/// `#[derive(NlAttrs)]`.
#[proc_macro_derive(NlAttrs, attributes(nla))]
pub fn derive_nl_attrs(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
