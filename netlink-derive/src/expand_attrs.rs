//! Stage 4 for `#[derive(NlAttrs)]`: generate `AttrSet`, `EncodeAttrs`, `DecodeAttrs<'a>`,
//! `NlaEncode` and `NlaDecode<'a>` from a [`SetPlan`].

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned;
use syn::{Lifetime, Type, WherePredicate};

use crate::ast::unraw;
use crate::check::{Codec, FieldPlan, Kind, Num, Presence, SetPlan};

impl Codec {
    /// The codec type, e.g. `::netlink_genl_core::__private::Array<::netlink_genl_core::__private::Native>`.
    pub fn tokens(&self, p: &TokenStream) -> TokenStream {
        match self {
            Codec::Native => quote!(#p::Native),
            Codec::BigEndian => quote!(#p::BigEndian),
            Codec::VarUint => quote!(#p::VarUint),
            Codec::VarSint => quote!(#p::VarSint),
            Codec::Fixed => quote!(#p::Fixed),
            Codec::Array(inner) => {
                let inner = inner.tokens(p);
                quote!(#p::Array<#inner>)
            }
            Codec::Keyed(inner) => {
                let inner = inner.tokens(p);
                quote!(#p::Keyed<#inner>)
            }
        }
    }
}

/// A span with the macro's hygiene but the location of `t`, so type errors point at the field
/// type while the tokens still count as generated code (lints skip them).
pub fn at(t: &impl Spanned) -> Span {
    Span::call_site().located_at(t.span())
}

/// `ts` with every token (groups included) at `span`, so a diagnostic about the whole
/// expression points at one place.
pub fn respan(ts: TokenStream, span: Span) -> TokenStream {
    ts.into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                ng.set_span(span);
                TokenTree::Group(ng)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

/// The names of the type parameters of `generics`.
pub fn type_params(generics: &syn::Generics) -> BTreeSet<String> {
    generics
        .type_params()
        .map(|t| t.ident.to_string())
        .collect()
}

/// Whether `ty` mentions one of `params` (then it needs a where-clause bound).
pub fn mentions(ty: &Type, params: &BTreeSet<String>) -> bool {
    fn walk(ts: TokenStream, params: &BTreeSet<String>) -> bool {
        ts.into_iter().any(|tt| match tt {
            TokenTree::Ident(i) => params.contains(&i.to_string()),
            TokenTree::Group(g) => walk(g.stream(), params),
            _ => false,
        })
    }
    !params.is_empty() && walk(ty.to_token_stream(), params)
}

/// The lifetime the decode impls use: the struct's own, or a fresh one.
pub fn decode_lifetime(own: Option<&Lifetime>) -> Lifetime {
    own.cloned()
        .unwrap_or_else(|| Lifetime::new("'__nla", Span::call_site()))
}

/// Generics for the decode impls: the struct's, plus the fresh lifetime when it has none.
pub fn decode_generics(generics: &syn::Generics, own: Option<&Lifetime>) -> syn::Generics {
    let mut g = generics.clone();
    if own.is_none() {
        let lt = decode_lifetime(None);
        g.params.insert(0, syn::parse_quote!(#lt));
    }
    g
}

fn with_predicates(generics: &syn::Generics, preds: Vec<WherePredicate>) -> syn::Generics {
    let mut g = generics.clone();
    if !preds.is_empty() {
        g.make_where_clause().predicates.extend(preds);
    }
    g
}

fn lit_str(s: &str) -> syn::LitStr {
    syn::LitStr::new(s, Span::call_site())
}

/// Const assertions for ids given as const paths: a `u16`, not 0, at most 14 bits, and distinct
/// from every other id of the set.
fn id_assertions(p: &TokenStream, fields: &[FieldPlan]) -> TokenStream {
    let ids: Vec<(&str, &Num)> = fields
        .iter()
        .filter_map(|f| f.id().map(|id| (f.name.as_str(), id)))
        .collect();
    let mut out = TokenStream::new();
    for (name, id) in &ids {
        let Some(def) = &id.def else { continue };
        let span = Span::call_site().located_at(id.span);
        let zero = lit_str(&format!(
            "the attribute id of field `{name}` is 0, which is reserved (NLA_UNSPEC): attribute ids start at 1"
        ));
        let range = lit_str(&format!(
            "the attribute id of field `{name}` does not fit the 14-bit attribute type (1..=16383)"
        ));
        let head = respan(quote!(const #id: u16 =), span);
        out.extend(quote!(#head #def;));
        out.extend(respan(
            quote! {
                const _: () = #p::assert!(#id != 0, #zero);
                const _: () = #p::assert!(#id <= 0x3fff, #range);
            },
            span,
        ));
    }
    for (i, (a_name, a)) in ids.iter().enumerate() {
        for (b_name, b) in ids.iter().skip(i + 1) {
            if a.lit.is_some() && b.lit.is_some() {
                continue;
            }
            let span = Span::call_site().located_at(b.span);
            let msg = lit_str(&format!(
                "duplicate attribute id: fields `{a_name}` and `{b_name}` have the same id"
            ));
            out.extend(respan(
                quote!(const _: () = #p::assert!(#a != #b, #msg);),
                span,
            ));
        }
    }
    out
}

pub fn expand(plan: &SetPlan) -> Option<TokenStream> {
    let p = &plan.private;
    let ident = plan.ident;
    let name = lit_str(&unraw(ident));
    let params = type_params(plan.generics);
    let lt = decode_lifetime(plan.lifetime);

    let mut len_stmts = Vec::new();
    let mut write_stmts = Vec::new();
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut build = Vec::new();
    let mut schema_attrs = Vec::new();
    let mut checks = Vec::new();
    let mut enc_preds: Vec<WherePredicate> = Vec::new();
    let mut dec_preds: Vec<WherePredicate> = Vec::new();
    let mut unknown_local = None;
    let mut unknown_write = None;

    for (i, f) in plan.fields.iter().enumerate() {
        let fid = f.ident;
        let fname = lit_str(&f.name);
        let local = format_ident!("__nla_v{}", i);
        let generic = mentions(f.ty, &params);
        match &f.kind {
            Kind::Attr {
                id,
                presence,
                value_ty,
                codec,
                nested_check,
                lazy_elem,
                ..
            } => {
                let sp = at(value_ty);
                let c = codec.tokens(p);
                let kind = match lazy_elem {
                    _ if generic => unknown_kind(p),
                    Some(e) if !mentions(e, &params) => {
                        quote!(#p::AttrKind::Array(&<#p::KindOf<#p::Native, #e>>::KIND))
                    }
                    _ => quote!(<#p::KindOf<#c, #value_ty>>::KIND),
                };
                let required = matches!(presence, Presence::Required);
                schema_attrs.push(schema_attr(p, id, &fname, kind, false, required));
                if generic {
                    enc_preds.push(
                        syn::parse2(respan(quote!(#c: #p::EncodeCodec<#value_ty>), sp)).ok()?,
                    );
                    dec_preds.push(
                        syn::parse2(respan(quote!(#c: #p::DecodeCodec<#lt, #value_ty>), sp))
                            .ok()?,
                    );
                    if matches!(presence, Presence::Default | Presence::EmptyIfAbsent) {
                        dec_preds
                            .push(syn::parse2(respan(quote!(#value_ty: #p::Default), sp)).ok()?);
                    }
                }
                if let Some(t) = nested_check {
                    let tsp = at(t);
                    // `nested` on a type that is not a set: the error names `AttrSet` only.
                    let check = respan(quote!(<#t as #p::AttrSet>::SCHEMA), tsp);
                    checks.push(quote!(let _ = #check;));
                    if mentions(t, &params) {
                        enc_preds.push(syn::parse2(respan(quote!(#t: #p::AttrSet), tsp)).ok()?);
                    }
                }
                let attr_len = respan(quote!(<#c as #p::EncodeCodec<#value_ty>>::attr_len), sp);
                let put_fn = respan(quote!(<#c as #p::EncodeCodec<#value_ty>>::put), sp);
                // Written through the codec, the field's name added to an error's path.
                let put = |v: TokenStream| {
                    quote! {
                        if let #p::Err(__nla_e) = #put_fn(#id, #v, __nla_w) {
                            return #p::Err(#p::field_encode_error(__nla_e, #fname));
                        }
                    }
                };
                let put_some = put(quote!(__nla_x));
                let put_field = put(quote!(&self.#fid));
                match presence {
                    Presence::Optional => {
                        len_stmts.push(quote! {
                            if let #p::Some(__nla_x) = &self.#fid { __nla_n += #attr_len(__nla_x); }
                        });
                        write_stmts.push(quote! {
                            if let #p::Some(__nla_x) = &self.#fid { #put_some }
                        });
                    }
                    Presence::EmptyIfAbsent => {
                        len_stmts.push(quote! {
                            if !self.#fid.is_empty() { __nla_n += #attr_len(&self.#fid); }
                        });
                        write_stmts.push(quote! {
                            if !self.#fid.is_empty() { #put_field }
                        });
                    }
                    Presence::Required | Presence::Default => {
                        len_stmts.push(quote!(__nla_n += #attr_len(&self.#fid);));
                        write_stmts.push(put_field);
                    }
                }
                locals.push(quote!(let mut #local: #p::Option<#value_ty> = #p::None;));
                let get = respan(quote!(<#c as #p::DecodeCodec<#lt, #value_ty>>::decode), sp);
                arms.push(quote! {
                    #id => match #get(__nla_a.payload(), __nla_depth) {
                        #p::Ok(__nla_x) => #local = #p::Some(__nla_x),
                        #p::Err(__nla_e) => return #p::Err(#p::field_decode_error(__nla_e, &__nla_a, #fname)),
                    },
                });
                build.push(match presence {
                    Presence::Optional => quote!(#fid: #local,),
                    Presence::Required => quote! {
                        #fid: match #local {
                            #p::Some(__nla_x) => __nla_x,
                            #p::None => return #p::Err(#p::missing(#fname, #id)),
                        },
                    },
                    Presence::Default | Presence::EmptyIfAbsent => {
                        quote!(#fid: #p::Option::unwrap_or_default(#local),)
                    }
                });
            }
            Kind::Flag { id } => {
                schema_attrs.push(schema_attr(
                    p,
                    id,
                    &fname,
                    quote!(#p::AttrKind::Flag),
                    false,
                    false,
                ));
                len_stmts.push(quote!(if self.#fid { __nla_n += #p::attr_size(0); }));
                write_stmts.push(quote!(#p::put_flag(__nla_w, #id, self.#fid)?;));
                locals.push(quote!(let mut #local = false;));
                arms.push(quote!(#id => { #local = #p::get_flag(&__nla_a, #fname)?; }));
                build.push(quote!(#fid: #local,));
            }
            Kind::Multi {
                id,
                elem_ty,
                codec,
                nested_check,
                ..
            } => {
                let sp = at(elem_ty);
                let c = codec.tokens(p);
                let kind = if generic {
                    unknown_kind(p)
                } else {
                    quote!(<#p::KindOf<#c, #elem_ty>>::KIND)
                };
                schema_attrs.push(schema_attr(p, id, &fname, kind, true, false));
                if generic {
                    enc_preds
                        .push(syn::parse2(respan(quote!(#c: #p::EncodeCodec<#elem_ty>), sp)).ok()?);
                    dec_preds.push(
                        syn::parse2(respan(quote!(#c: #p::DecodeCodec<#lt, #elem_ty>), sp)).ok()?,
                    );
                }
                if let Some(t) = nested_check {
                    let tsp = at(t);
                    // `nested` on a type that is not a set: the error names `AttrSet` only.
                    let check = respan(quote!(<#t as #p::AttrSet>::SCHEMA), tsp);
                    checks.push(quote!(let _ = #check;));
                    if mentions(t, &params) {
                        enc_preds.push(syn::parse2(respan(quote!(#t: #p::AttrSet), tsp)).ok()?);
                    }
                }
                let attr_len = respan(quote!(<#c as #p::EncodeCodec<#elem_ty>>::attr_len), sp);
                let put = respan(quote!(<#c as #p::EncodeCodec<#elem_ty>>::put), sp);
                let get_multi = respan(quote!(<#c as #p::DecodeCodec<#lt, #elem_ty>>::decode), sp);
                len_stmts.push(quote! {
                    for __nla_x in &self.#fid { __nla_n += #attr_len(__nla_x); }
                });
                write_stmts.push(quote! {
                    let mut __nla_i: usize = 0;
                    for __nla_x in &self.#fid {
                        if let #p::Err(__nla_e) = #put(#id, __nla_x, __nla_w) {
                            return #p::Err(#p::multi_encode_error(__nla_e, #fname, __nla_i));
                        }
                        __nla_i += 1;
                    }
                });
                locals.push(quote!(let mut #local: #p::Vec<#elem_ty> = #p::Vec::new();));
                arms.push(quote! {
                    #id => {
                        let __nla_i = #local.len();
                        match #get_multi(__nla_a.payload(), __nla_depth) {
                            #p::Ok(__nla_x) => #local.push(__nla_x),
                            #p::Err(__nla_e) => {
                                return #p::Err(#p::multi_decode_error(__nla_e, &__nla_a, #fname, __nla_i));
                            }
                        }
                    }
                });
                build.push(quote!(#fid: #local,));
            }
            Kind::Unknown => {
                let ty = f.ty;
                let sp = at(ty);
                let unk = respan(quote!(#p::UnknownAttrs), sp);
                len_stmts.push(quote!(__nla_n += #unk::unknown_len(&self.#fid);));
                unknown_write = Some(quote!(#unk::write_unknown(&self.#fid, __nla_w)?;));
                locals.push(quote!(let mut #local: #ty = #p::Default::default();));
                unknown_local = Some(quote!(#unk::push_unknown(&mut #local, __nla_a)));
                build.push(quote!(#fid: #local,));
                if generic {
                    dec_preds.push(
                        syn::parse_quote_spanned!(sp=> #ty: #p::UnknownAttrs<#lt> + #p::Default),
                    );
                }
            }
            Kind::Skip => {
                let ty = f.ty;
                if generic {
                    dec_preds.push(syn::parse2(respan(quote!(#ty: #p::Default), at(ty))).ok()?);
                }
                build.push(quote!(#fid: #p::Default::default(),));
            }
        }
    }
    write_stmts.extend(unknown_write);

    let fallback = if let Some(push) = unknown_local {
        quote!(_ => { #push; })
    } else if plan.deny_unknown {
        quote!(_ => return #p::Err(#p::unknown(&__nla_a)),)
    } else {
        quote!(_ => {})
    };

    let attrs_len_body = if len_stmts.is_empty() {
        quote!(0)
    } else {
        quote! {
            let mut __nla_n: usize = 0;
            #(#len_stmts)*
            __nla_n
        }
    };

    let (impl_g, ty_g, where_c) = plan.generics.split_for_impl();
    let enc_generics = with_predicates(plan.generics, enc_preds.clone());
    let (enc_impl_g, _, enc_where) = enc_generics.split_for_impl();
    let dec_generics = with_predicates(&decode_generics(plan.generics, plan.lifetime), dec_preds);
    let (dec_impl_g, _, dec_where) = dec_generics.split_for_impl();
    let id_checks = id_assertions(p, &plan.fields);
    let mut schema = quote!(#p::Schema::new(#name, &[#(#schema_attrs)*]));
    if plan.deny_unknown {
        schema = quote!(#schema.deny_unknown());
    }

    Some(quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, non_upper_case_globals)]
        const _: () = {
            #[allow(unused_imports)]
            use #p::KindFallback as _;

            #id_checks

            #[automatically_derived]
            impl #impl_g #p::AttrSet for #ident #ty_g #where_c {
                const SCHEMA: #p::Schema = #schema;
            }

            #[automatically_derived]
            impl #enc_impl_g #p::EncodeAttrs for #ident #ty_g #enc_where {
                #[inline]
                fn attrs_len(&self) -> usize {
                    #(#checks)*
                    #attrs_len_body
                }

                fn write_attrs(&self, __nla_w: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                    #(#write_stmts)*
                    #p::Ok(())
                }
            }

            #[automatically_derived]
            impl #dec_impl_g #p::DecodeAttrs<#lt> for #ident #ty_g #dec_where {
                // Always inlined into its one caller per type (nested_decode or decode_attrs), so
                // the decoded value is built in place instead of returned through memory.
                #[inline(always)]
                fn decode_attrs_at(__nla_buf: &#lt [u8], __nla_depth: u32) -> #p::Result<Self, #p::DecodeError> {
                    #(#locals)*
                    for __nla_a in #p::AttrIter::new(__nla_buf) {
                        let __nla_a = __nla_a?;
                        #[allow(unreachable_patterns)]
                        match __nla_a.id() {
                            #(#arms)*
                            #fallback
                        }
                    }
                    #p::Ok(Self { #(#build)* })
                }
            }

            #[automatically_derived]
            impl #enc_impl_g #p::NlaEncode for #ident #ty_g #enc_where {
                const NESTED: bool = true;
                const KIND: #p::AttrKind = #p::AttrKind::Nested(<Self as #p::AttrSet>::schema);

                #[inline]
                fn payload_len(&self) -> usize {
                    <Self as #p::EncodeAttrs>::attrs_len(self)
                }

                #[inline]
                fn write_payload(&self, __nla_w: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                    <Self as #p::EncodeAttrs>::write_attrs(self, __nla_w)
                }
            }

            #[automatically_derived]
            impl #dec_impl_g #p::NlaDecode<#lt> for #ident #ty_g #dec_where {
                #[inline]
                fn decode_payload(__nla_p: &#lt [u8]) -> #p::Result<Self, #p::DecodeError> {
                    #p::nested_decode(__nla_p, 0)
                }

                #[inline(always)]
                fn decode_payload_at(__nla_p: &#lt [u8], __nla_depth: u32) -> #p::Result<Self, #p::DecodeError> {
                    #p::nested_decode(__nla_p, __nla_depth)
                }
            }
        };
    })
}

/// The kind of a field whose type mentions a type parameter: the `AttrSet` impl (where the
/// schema lives) has no bounds to name its codec's kind with, so the trace guesses.
fn unknown_kind(p: &TokenStream) -> TokenStream {
    quote!(#p::AttrKind::Unknown)
}

/// One `AttrInfo` of the schema.
fn schema_attr(
    p: &TokenStream,
    id: &Num,
    name: &syn::LitStr,
    kind: TokenStream,
    multi: bool,
    required: bool,
) -> TokenStream {
    let mut info = quote!(#p::AttrInfo::new(#id, #name, #kind));
    if multi {
        info = quote!(#info.multi());
    }
    if required {
        info = quote!(#info.required());
    }
    quote!(#info,)
}
