//! `#[derive(NlSubMessage)]`: a sub-message (YNL `sub-message`), an enum with one variant per
//! selector value (`#[nla(kind = "vlan")] Vlan(VlanAttrs)`) and a fallback keeping the bytes
//! of values without a layout (`#[nla(unknown)] Other(Vec<u8>)`). Parsed, checked and expanded
//! here, with the same `Ctxt` discipline as the other derives: every mistake reported at its
//! token, with a fix.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit};

use crate::ast::unraw;
use crate::attr;
use crate::check::private_path;
use crate::ctxt::Ctxt;
use crate::expand_attrs::{at, decode_generics, decode_lifetime, respan, wrap};

/// A selector value as written.
#[derive(Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i128),
}

impl Value {
    fn tokens(&self, p: &TokenStream) -> TokenStream {
        match self {
            Value::Str(s) => quote!(#p::Selector::Str(#s)),
            Value::Int(v) => {
                let lit = proc_macro2::Literal::i128_unsuffixed(v.unsigned_abs() as i128);
                if *v < 0 {
                    quote!(#p::Selector::Int(-#lit))
                } else {
                    quote!(#p::Selector::Int(#lit))
                }
            }
        }
    }

    fn show(&self) -> String {
        match self {
            Value::Str(s) => format!("{s:?}"),
            Value::Int(v) => v.to_string(),
        }
    }
}

struct Variant<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
    /// `kind = ...`; `None` for the fallback.
    kind: Option<Value>,
}

/// Parse one variant's `#[nla(kind = ..)]` / `#[nla(unknown)]`.
fn variant_opts(cx: &mut Ctxt, v: &syn::Variant) -> Option<Option<Value>> {
    let mut kind: Option<Value> = None;
    let mut unknown: Option<Span> = None;
    let mut seen = false;
    for a in v.attrs.iter().filter(|a| a.path().is_ident("nla")) {
        let r = a.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match name.as_str() {
                "kind" => {
                    seen = true;
                    let e: Expr = meta.value()?.parse()?;
                    let value = match &e {
                        Expr::Lit(ExprLit {
                            lit: Lit::Str(s), ..
                        }) => Some(Value::Str(s.value())),
                        Expr::Lit(ExprLit {
                            lit: Lit::Int(i), ..
                        }) => i.base10_parse::<i128>().ok().map(Value::Int),
                        Expr::Unary(syn::ExprUnary {
                            op: syn::UnOp::Neg(_),
                            expr,
                            ..
                        }) => match &**expr {
                            Expr::Lit(ExprLit {
                                lit: Lit::Int(i), ..
                            }) => i.base10_parse::<i128>().ok().map(|v| Value::Int(-v)),
                            _ => None,
                        },
                        _ => None,
                    };
                    match value {
                        Some(_) if kind.is_some() => cx.error_spanned_help(
                            &meta.path,
                            "`kind` given twice",
                            "a variant is the layout of one selector value: remove one",
                        ),
                        Some(v) => kind = Some(v),
                        None => cx.error_spanned_help(
                            &e,
                            "`kind` takes a string or an integer literal",
                            "write `kind = \"vlan\"` (a string selector) or `kind = 1` (an integer selector)",
                        ),
                    }
                }
                "unknown" => {
                    seen = true;
                    unknown = Some(meta.path.span());
                }
                _ => {
                    // Reported here; the variant is not reported again for lacking a kind.
                    seen = true;
                    cx.error_spanned_help(
                        &meta.path,
                        format!("unknown sub-message variant option `{name}`"),
                        "a sub-message variant takes `kind = \"value\"` (its selector value) or `unknown` (the fallback)",
                    );
                    if meta.input.peek(syn::Token![=]) {
                        let _: Expr = meta.value()?.parse()?;
                    }
                }
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.syn_error(e);
        }
    }
    match (kind, unknown) {
        (Some(_), Some(span)) => {
            cx.error_help(
                span,
                "conflicting options `kind` and `unknown`",
                "a variant is the layout of one selector value (`kind`) or the fallback (`unknown`): choose one",
            );
            None
        }
        (Some(k), None) => Some(Some(k)),
        (None, Some(_)) => Some(None),
        (None, None) => {
            if !seen {
                cx.error_help(
                    v.ident.span(),
                    format!("variant `{}` has no selector value", v.ident),
                    format!(
                        "add `#[nla(kind = \"name\")]` with the selector value whose layout `{}` holds, or `#[nla(unknown)]` for the fallback",
                        v.ident
                    ),
                );
            }
            None
        }
    }
}

/// Expand `#[derive(NlSubMessage)]`, or `None` after errors.
fn plan<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<Vec<Variant<'a>>> {
    let data = match &input.data {
        syn::Data::Enum(e) => e,
        _ => {
            cx.error_help(
                input.ident.span(),
                "`NlSubMessage` derives sub-messages from enums",
                "write `enum Data { #[nla(kind = \"vlan\")] Vlan(VlanAttrs), #[nla(unknown)] Other(Vec<u8>) }`",
            );
            return None;
        }
    };
    if input.generics.type_params().next().is_some() || input.generics.lifetimes().count() > 1 {
        cx.error_spanned_help(
            &input.generics,
            "a sub-message can have one lifetime and no type parameters",
            "name the layouts' set types directly; the one lifetime is the buffer's, for borrowed sets",
        );
    }
    let mut variants: Vec<Variant<'a>> = Vec::new();
    let mut fallback: Option<&syn::Ident> = None;
    for v in &data.variants {
        let opts = variant_opts(cx, v);
        let ty = match &v.fields {
            syn::Fields::Unnamed(u) if u.unnamed.len() == 1 => u.unnamed.first().map(|f| &f.ty),
            _ => {
                cx.error_spanned_help(
                    v,
                    format!("variant `{}` must hold one value", v.ident),
                    format!(
                        "write `{}(Set)` with the layout's attribute set (or the bytes, for the fallback)",
                        v.ident
                    ),
                );
                None
            }
        };
        let (Some(kind), Some(ty)) = (opts, ty) else {
            continue;
        };
        match &kind {
            None => {
                if let Some(prev) = fallback {
                    cx.error_help(
                        v.ident.span(),
                        format!(
                            "more than one `unknown` variant (`{prev}` is the fallback already)"
                        ),
                        "keep the bytes of unknown selector values in one variant",
                    );
                }
                fallback = Some(&v.ident);
            }
            Some(k) => {
                if let Some(prev) = variants.iter().find(|x| x.kind.as_ref() == Some(k)) {
                    cx.error_help(
                        v.ident.span(),
                        format!(
                            "duplicate selector value {}: variant `{}` has it too",
                            k.show(),
                            prev.ident
                        ),
                        "every layout needs its own selector value",
                    );
                }
                let mixed = variants.iter().filter_map(|x| x.kind.as_ref()).any(|x| {
                    matches!(
                        (x, k),
                        (Value::Str(_), Value::Int(_)) | (Value::Int(_), Value::Str(_))
                    )
                });
                if mixed {
                    cx.error_help(
                        v.ident.span(),
                        "string and integer selector values mixed",
                        "a selector is a string or an integer: write every `kind` the same way",
                    );
                }
            }
        }
        variants.push(Variant {
            ident: &v.ident,
            ty,
            kind,
        });
    }
    if fallback.is_none() && !cx.has_errors() {
        cx.error_help(
            input.ident.span(),
            format!("sub-message `{}` has no fallback", input.ident),
            "add `#[nla(unknown)] Other(Vec<u8>)`: it keeps the bytes of selector values without a layout, so nothing is lost",
        );
    }
    if cx.has_errors() {
        return None;
    }
    Some(variants)
}

pub fn derive(input: &syn::DeriveInput, default_crate: &str) -> TokenStream {
    let mut cx = Ctxt::new();
    let opts = attr::container_opts(&mut cx, &input.attrs);
    if let Some(span) = opts.deny_unknown {
        cx.error_help(
            span,
            "`deny_unknown` on a sub-message",
            "a sub-message keeps unknown selector values in its `unknown` variant: remove it",
        );
    }
    let p = private_path(opts.krate.as_ref(), default_crate);
    let Some(variants) = plan(&mut cx, input) else {
        let mut out = cx.to_compile_errors();
        out.extend(stubs(&p, input));
        return out;
    };
    let ident = &input.ident;
    let name = syn::LitStr::new(&unraw(ident), ident.span());
    let own = input.generics.lifetimes().next().map(|l| &l.lifetime);
    let lt = decode_lifetime(own);
    let dg = decode_generics(&input.generics, own);
    let (impl_g, ty_g, where_c) = input.generics.split_for_impl();
    let (dec_impl_g, _, _) = dg.split_for_impl();
    let mut formats = Vec::new();
    let mut selectors = Vec::new();
    let mut lens = Vec::new();
    let mut writes = Vec::new();
    let mut decodes = Vec::new();
    let mut fallback = TokenStream::new();
    for v in &variants {
        let (vid, ty) = (v.ident, v.ty);
        let sp = at(ty);
        lens.push(quote!(Self::#vid(__nla_x) => #p::NlaEncode::payload_len(__nla_x),));
        writes.push(quote!(Self::#vid(__nla_x) => #p::NlaEncode::write_payload(__nla_x, __nla_w),));
        match &v.kind {
            Some(k) => {
                let sel = k.tokens(&p);
                let schema = respan(quote!(<#ty as #p::AttrSet>::schema), sp);
                formats.push(quote!(#p::SubFormat::new(#sel, #schema),));
                selectors.push(quote!(Self::#vid(_) => #p::Some(#sel),));
                let dec = respan(quote!(#p::nested_decode::<#ty>), sp);
                decodes.push(quote!(#sel => #dec(__nla_p, __nla_depth).map(Self::#vid),));
            }
            None => {
                selectors.push(quote!(Self::#vid(_) => #p::None,));
                let dec = respan(quote!(<#ty as #p::NlaDecode<#lt>>::decode_payload_at), sp);
                fallback = quote!(_ => #dec(__nla_p, __nla_depth).map(Self::#vid),);
            }
        }
    }
    wrap(quote! {
        #[automatically_derived]
        impl #impl_g #p::SubMessage for #ident #ty_g #where_c {
            const SCHEMA: #p::SubMessageSchema = #p::SubMessageSchema::new(#name, &[#(#formats)*]);

            fn selector(&self) -> #p::Option<#p::Selector<'_>> {
                match self { #(#selectors)* }
            }
        }

        #[automatically_derived]
        impl #impl_g #p::NlaEncode for #ident #ty_g #where_c {
            const NESTED: bool = true;

            fn payload_len(&self) -> usize {
                match self { #(#lens)* }
            }

            fn write_payload(&self, __nla_w: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                match self { #(#writes)* }
            }
        }

        #[automatically_derived]
        impl #dec_impl_g #p::DecodeSubMessage<#lt> for #ident #ty_g #where_c {
            fn decode_sub(
                __nla_sel: #p::Selector<'_>,
                __nla_p: &#lt [u8],
                __nla_depth: u32,
            ) -> #p::Result<Self, #p::DecodeError> {
                match __nla_sel {
                    #(#decodes)*
                    #fallback
                }
            }
        }
    })
}

/// Stubs next to the errors, so uses of the type do not fail a second time.
fn stubs(p: &TokenStream, input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let name = syn::LitStr::new(&unraw(ident), ident.span());
    let own = input.generics.lifetimes().next().map(|l| &l.lifetime);
    let lt = decode_lifetime(own);
    let dg = decode_generics(&input.generics, own);
    let (impl_g, ty_g, where_c) = input.generics.split_for_impl();
    let (dec_impl_g, _, _) = dg.split_for_impl();
    if input.generics.type_params().next().is_some() || input.generics.lifetimes().count() > 1 {
        return TokenStream::new();
    }
    wrap(quote! {
        impl #impl_g #p::SubMessage for #ident #ty_g #where_c {
            const SCHEMA: #p::SubMessageSchema = #p::SubMessageSchema::new(#name, &[]);
            fn selector(&self) -> #p::Option<#p::Selector<'_>> { #p::derive_failed() }
        }
        impl #impl_g #p::NlaEncode for #ident #ty_g #where_c {
            fn payload_len(&self) -> usize { #p::derive_failed() }
            fn write_payload(&self, _: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                #p::derive_failed()
            }
        }
        impl #dec_impl_g #p::DecodeSubMessage<#lt> for #ident #ty_g #where_c {
            fn decode_sub(_: #p::Selector<'_>, _: &#lt [u8], _: u32) -> #p::Result<Self, #p::DecodeError> {
                #p::derive_failed()
            }
        }
    })
}
