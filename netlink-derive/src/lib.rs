//! Derive macros for [`netlink-genl`](https://docs.rs/netlink-genl): `#[derive(NlAttrs)]` for
//! attribute sets and `#[derive(GenlMessage)]` for a family's commands.
//!
//! Use them through `netlink-genl` (or `netlink-genl-core` for `NlAttrs` alone), which re-exports
//! them; the generated code implements traits of those crates. The reference of every option,
//! with an example each, is the `netlink_genl::options` module.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

// Internals, four stages: parse the options (`attr`), build a typed view of the input (`ast`),
// apply the rules (`check`), generate code (`expand_attrs`, `expand_genl`). Every stage records
// its errors in one `ctxt::Ctxt` and carries on, so all mistakes of one input are reported
// together; when there are errors, stub impls (`fallback`) are emitted next to them so that
// code using the type does not fail a second time. The derive never panics: bad input is a
// `syn::Error`.

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand_attrs;
mod expand_genl;
mod fallback;
mod sub_message;
#[cfg(test)]
mod tests;

#[doc = include_str!("nl_attrs.md")]
///
/// This is the macro as re-exported by `netlink-genl-core`: generated code names `::netlink_genl_core`
/// unless `#[nla(crate = path)]` says otherwise.
#[proc_macro_derive(NlAttrs, attributes(nla))]
pub fn derive_nl_attrs(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive_attrs(&input, "netlink_genl_core").into()
}

#[doc = include_str!("nl_attrs.md")]
///
/// This is the macro as re-exported by `netlink-genl`: generated code names `::netlink_genl`
/// unless `#[nla(crate = path)]` says otherwise.
#[doc(hidden)]
#[proc_macro_derive(__NlAttrsGenl, attributes(nla))]
pub fn derive_nl_attrs_genl(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive_attrs(&input, "netlink_genl").into()
}

/// Derive `GenlMessage` and `GenlDecode<'a>` for an enum: a generic netlink family's messages,
/// one variant per command.
///
/// ```
/// use netlink_genl::{GenlDecode, GenlMessage, NlAttrs};
///
/// #[derive(Debug, Default, PartialEq, NlAttrs)]
/// struct Family {
///     #[nla(id = 1)] id: Option<u16>,
///     #[nla(id = 2)] name: Option<String>,
/// }
///
/// #[derive(Debug, PartialEq, GenlMessage)]
/// #[genl(family = "nlctrl", version = 2)]
/// enum Ctrl {
///     #[genl(cmd = 1)] NewFamily(Family),
///     #[genl(cmd = 3)] GetFamily(Family),
/// }
///
/// assert_eq!((Ctrl::FAMILY, Ctrl::VERSION), ("nlctrl", 2));
/// let req = Ctrl::GetFamily(Family { name: Some("nlctrl".into()), ..Default::default() });
/// assert_eq!(req.command(), 3);
/// // Replies are decoded by command number; an unknown command is an error, not a panic.
/// assert!(Ctrl::decode_genl(42, &[]).is_err());
/// ```
///
/// # Options
///
/// On the enum: `family = "name"` (required: the name the kernel registered, resolved to an id
/// at run time), `version = N` (the genl header's version, a u8; default 1), `header = Type`
/// (a fixed zerocopy user header between the genl header and the attributes; default `()`),
/// `crate = path` (the runtime crate when renamed; default `::netlink_genl`).
///
/// On variants: `cmd = N` or `cmd = CONST` (required), and `request` for a variant that is only
/// ever sent: it takes no part in decoding, so it may share its number with a reply (ethtool's
/// `FEATURES_GET` request and `FEATURES_GET_REPLY` are both 11). Command numbers are unique
/// among the decodable variants and among the request variants. A variant holds one attribute
/// set (a tuple variant with one field) or nothing (a unit variant).
///
/// What answers a command, for `GenlMessage::answer`: `reply = Variant` names the (decodable)
/// variant of the same enum whose one message answers it (nlctrl's `GetFamily` is answered by
/// `NewFamily`; a variant may name itself), and `ack` declares that the ACK alone answers it.
/// Without either, the answer is undeclared.
///
/// Decode errors start with the variant name: `NewFamily.ops[3].flags: expected 4 bytes, got
/// 2 (at byte 120)`. The full reference is `netlink_genl::options`.
#[proc_macro_derive(GenlMessage, attributes(genl))]
pub fn derive_genl_message(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive_genl(&input).into()
}

/// Derive `SubMessage`, `NlaEncode` and `DecodeSubMessage<'a>` for an enum: a sub-message
/// (YNL `sub-message`), a nest whose layout the value of a sibling attribute (its selector)
/// chooses. One variant per selector value, holding that layout's attribute set, and one
/// fallback variant keeping the bytes of values without a layout; a set's field holds it with
/// `#[nla(id = N, selector = field)]`.
///
/// ```
/// use netlink_genl::{DecodeAttrs, NlAttrs, NlSubMessage};
/// use netlink_genl::netlink_genl_core::attrs_to_vec;
///
/// #[derive(Debug, PartialEq, NlAttrs)]
/// struct Vlan { #[nla(id = 1)] id: Option<u16> }
///
/// #[derive(Debug, PartialEq, NlSubMessage)]
/// enum LinkData {
///     #[nla(kind = "vlan")] Vlan(Vlan),
///     #[nla(unknown)] Other(Vec<u8>),
/// }
///
/// #[derive(Debug, PartialEq, NlAttrs)]
/// struct LinkInfo {
///     #[nla(id = 1)] kind: Option<String>,
///     #[nla(id = 2, selector = kind)] data: Option<LinkData>,
/// }
///
/// let info = LinkInfo { kind: Some("vlan".into()), data: Some(LinkData::Vlan(Vlan { id: Some(7) })) };
/// assert_eq!(LinkInfo::decode_attrs(&attrs_to_vec(&info)?)?, info);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The full reference is `netlink_genl::options`.
#[proc_macro_derive(NlSubMessage, attributes(nla))]
pub fn derive_nl_sub_message(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    sub_message::derive(&input, "netlink_genl_core").into()
}

/// `#[derive(NlSubMessage)]` as re-exported by `netlink-genl`.
#[doc(hidden)]
#[proc_macro_derive(__NlSubMessageGenl, attributes(nla))]
pub fn derive_nl_sub_message_genl(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    sub_message::derive(&input, "netlink_genl").into()
}

/// `#[derive(NlAttrs)]` on a parsed input; `default_crate` is the runtime crate generated code
/// names when the input has no `crate = path`.
fn derive_attrs(input: &DeriveInput, default_crate: &str) -> proc_macro2::TokenStream {
    let mut cx = ctxt::Ctxt::new();
    let plan = ast::container(&mut cx, input).and_then(|c| check::set(&mut cx, &c, default_crate));
    match plan
        .filter(|_| !cx.has_errors())
        .and_then(|p| expand_attrs::expand(&p))
    {
        Some(out) => out,
        None => {
            let krate = attr_crate(input);
            let p = check::private_path(krate.as_ref(), default_crate);
            let mut out = cx.to_compile_errors();
            out.extend(fallback::attrs(&p, &input.ident, &input.generics));
            out
        }
    }
}

fn derive_genl(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut cx = ctxt::Ctxt::new();
    let plan = ast::message(&mut cx, input).and_then(|m| check::message(&mut cx, &m));
    match plan {
        Some(plan) if !cx.has_errors() => expand_genl::expand(&plan),
        _ => {
            let mut quiet = ctxt::Ctxt::new();
            let opts = attr::genl_opts(&mut quiet, &input.attrs);
            let p = check::private_path(opts.krate.as_ref(), "netlink_genl");
            let mut out = cx.to_compile_errors();
            out.extend(fallback::genl(
                &p,
                &input.ident,
                &input.generics,
                opts.header.as_ref(),
            ));
            out
        }
    }
}

/// The `crate = path` of the container, parsed again quietly (its errors were reported).
fn attr_crate(input: &DeriveInput) -> Option<syn::Path> {
    let mut quiet = ctxt::Ctxt::new();
    attr::container_opts(&mut quiet, &input.attrs).krate
}
