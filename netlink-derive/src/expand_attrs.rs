//! Stage 4 for `#[derive(NlAttrs)]`: generate `AttrSet`, `EncodeAttrs`, `DecodeAttrs<'a>`,
//! `NlaEncode` and `NlaDecode<'a>` from a [`SetPlan`].

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned;
use syn::{Lifetime, Type, WherePredicate};

use crate::ast::unraw;
use crate::check::{Codec, FieldPlan, Kind, Num, Presence, Repeat, SetPlan};

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
            Codec::Packed => quote!(#p::Packed),
            Codec::Repr(ty, inner) => {
                let inner = inner.tokens(p);
                quote!(#p::Repr<#ty, #inner>)
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

/// Const assertions for ids given as const paths: a `u16` of at most 14 bits (0 included: some
/// families send attribute type 0, e.g. nl80211's band 0), and distinct
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
        let range = lit_str(&format!(
            "the attribute id of field `{name}` does not fit the 14-bit attribute type (0..=16383)"
        ));
        let head = respan(quote!(const #id: u16 =), span);
        out.extend(quote!(#head #def;));
        out.extend(respan(
            quote! {
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

/// `items` inside the `const _: () = { ... };` block every expansion uses: hidden from docs, its
/// names local to it, lints that generated code trips allowed.
pub fn wrap(items: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, non_upper_case_globals, unreachable_code, unused_variables)]
        const _: () = {
            #items
        };
    }
}

/// What every stage of the `NlAttrs` expansion needs.
struct Gen<'p, 'a> {
    plan: &'p SetPlan<'a>,
    /// `<crate>::__private`.
    p: &'p TokenStream,
    /// The struct's type parameters (a field mentioning one needs where-clause bounds).
    params: BTreeSet<String>,
    /// The lifetime of the decode impls.
    lt: Lifetime,
}

impl Gen<'_, '_> {
    /// Whether the field's type mentions a type parameter.
    fn generic(&self, f: &FieldPlan<'_>) -> bool {
        mentions(f.ty, &self.params)
    }

    /// A where-clause predicate, spanned at `span`.
    fn pred(&self, ts: TokenStream, span: Span) -> Option<WherePredicate> {
        syn::parse2(respan(ts, span)).ok()
    }
}

pub fn expand(plan: &SetPlan) -> Option<TokenStream> {
    let g = Gen {
        plan,
        p: &plan.private,
        params: type_params(plan.generics),
        lt: decode_lifetime(plan.lifetime),
    };
    let schema = schema(&g);
    let encode = encode(&g)?;
    let decode = decode(&g)?;
    let id_checks = id_assertions(g.p, &plan.fields);
    Some(wrap(quote! {
        #id_checks
        #schema
        #encode
        #decode
    }))
}

/// Stage 4a: `AttrSet`, whose `SCHEMA` is the one description of the set.
fn schema(g: &Gen<'_, '_>) -> TokenStream {
    let p = g.p;
    let plan = g.plan;
    let ident = plan.ident;
    let name = lit_str(&unraw(ident));
    let mut attrs = Vec::new();
    for f in &plan.fields {
        let fname = lit_str(&f.name);
        match &f.kind {
            Kind::Attr(a) => {
                let (c, ty) = (a.codec.tokens(p), a.value_ty);
                let kind = match a.lazy_elem {
                    _ if g.generic(f) => unknown_kind(p),
                    _ if a.sub.is_some() => {
                        let sel = a.sub.as_ref().map(|s| &s.id);
                        quote!(#p::AttrKind::SubMessage {
                            selector: #sel,
                            message: &<#ty as #p::SubMessage>::SCHEMA,
                        })
                    }
                    Some(e) if !mentions(e, &g.params) => {
                        quote!(#p::AttrKind::Array(&<#p::KindOf<#p::Native, #e>>::KIND))
                    }
                    _ => quote!(<#p::KindOf<#c, #ty>>::KIND),
                };
                let multi = a.repeat == Repeat::Multi;
                let required = a.presence == Presence::Required;
                let mut info = schema_attr(p, &a.id, &fname, kind, multi, required);
                if !a.checks.is_empty() {
                    let c = checks(p, &a.checks);
                    info = quote!(#info.checks(#c));
                }
                attrs.push(quote!(#info,));
            }
            Kind::Flag { id } => {
                let kind = quote!(#p::AttrKind::Flag);
                let info = schema_attr(p, id, &fname, kind, false, false);
                attrs.push(quote!(#info,));
            }
            Kind::Unknown | Kind::Skip => {}
        }
    }
    let mut schema = quote!(#p::Schema::new(#name, &[#(#attrs)*]));
    if plan.deny_unknown {
        schema = quote!(#schema.deny_unknown());
    }
    let (impl_g, ty_g, where_c) = plan.generics.split_for_impl();
    quote! {
        #[allow(unused_imports)]
        use #p::KindFallback as _;

        #[automatically_derived]
        impl #impl_g #p::AttrSet for #ident #ty_g #where_c {
            const SCHEMA: #p::Schema = #schema;
        }
    }
}

/// Stage 4b: `EncodeAttrs` and `NlaEncode`: the exact length, then one pass writing each field
/// through its codec.
fn encode(g: &Gen<'_, '_>) -> Option<TokenStream> {
    let (p, plan) = (g.p, g.plan);
    let mut len_stmts = Vec::new();
    let mut write_stmts = Vec::new();
    let mut checks = Vec::new();
    let mut preds: Vec<WherePredicate> = Vec::new();
    let mut unknown_write = None;
    let mut sub_checks = Vec::new();
    for f in &plan.fields {
        let fid = f.ident;
        let fname = lit_str(&f.name);
        match &f.kind {
            Kind::Attr(a) => {
                let (id, ty, c, sp) = (&a.id, a.value_ty, a.codec.tokens(p), at(a.value_ty));
                if let Some(sub) = &a.sub {
                    // The variant and the selector agree before anything is written.
                    let sel_fid = plan.fields.get(sub.index).map(|s| s.ident)?;
                    let sel_name = lit_str(&sub.name);
                    let sel = if sub.optional {
                        quote!(self.#sel_fid.as_ref())
                    } else {
                        quote!(#p::Some(&self.#sel_fid))
                    };
                    let check = respan(quote!(#p::check_selector), sp);
                    sub_checks.push(match a.presence {
                        Presence::Optional => quote! {
                            if let #p::Some(__nla_x) = &self.#fid {
                                #check(__nla_x, #sel, #fname, #sel_name)?;
                            }
                        },
                        _ => quote!(#check(&self.#fid, #sel, #fname, #sel_name)?;),
                    });
                }
                if g.generic(f) {
                    preds.push(g.pred(quote!(#c: #p::EncodeCodec<#ty>), sp)?);
                }
                if let Some(t) = a.nested_check {
                    // `nested` on a type that is not a set: the error names `AttrSet` only.
                    let check = respan(quote!(<#t as #p::AttrSet>::SCHEMA), at(t));
                    checks.push(quote!(let _ = #check;));
                    if mentions(t, &g.params) {
                        preds.push(g.pred(quote!(#t: #p::AttrSet), at(t))?);
                    }
                }
                let attr_len = respan(quote!(<#c as #p::EncodeCodec<#ty>>::attr_len), sp);
                let put = respan(quote!(<#c as #p::EncodeCodec<#ty>>::put), sp);
                if a.repeat == Repeat::Multi {
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
                    continue;
                }
                // Written through the codec, the field's name added to an error's path.
                let put = |v: TokenStream| {
                    quote! {
                        if let #p::Err(__nla_e) = #put(#id, #v, __nla_w) {
                            return #p::Err(#p::field_encode_error(__nla_e, #fname));
                        }
                    }
                };
                match a.presence {
                    Presence::Optional => {
                        let put = put(quote!(__nla_x));
                        len_stmts.push(quote! {
                            if let #p::Some(__nla_x) = &self.#fid { __nla_n += #attr_len(__nla_x); }
                        });
                        write_stmts.push(quote!(if let #p::Some(__nla_x) = &self.#fid { #put }));
                    }
                    Presence::EmptyIfAbsent => {
                        let put = put(quote!(&self.#fid));
                        len_stmts.push(quote! {
                            if !self.#fid.is_empty() { __nla_n += #attr_len(&self.#fid); }
                        });
                        write_stmts.push(quote!(if !self.#fid.is_empty() { #put }));
                    }
                    Presence::Required | Presence::Default => {
                        len_stmts.push(quote!(__nla_n += #attr_len(&self.#fid);));
                        write_stmts.push(put(quote!(&self.#fid)));
                    }
                }
            }
            Kind::Flag { id } => {
                len_stmts.push(quote!(if self.#fid { __nla_n += #p::attr_size(0); }));
                write_stmts.push(quote!(#p::put_flag(__nla_w, #id, self.#fid)?;));
            }
            Kind::Unknown => {
                let unk = respan(quote!(#p::UnknownAttrs), at(f.ty));
                len_stmts.push(quote!(__nla_n += #unk::unknown_len(&self.#fid);));
                unknown_write = Some(quote!(#unk::write_unknown(&self.#fid, __nla_w)?;));
            }
            Kind::Skip => {}
        }
    }
    // Unknown attributes kept on decode go back after the known ones.
    write_stmts.extend(unknown_write);
    let len_body = if len_stmts.is_empty() {
        quote!(0)
    } else {
        quote! {
            let mut __nla_n: usize = 0;
            #(#len_stmts)*
            __nla_n
        }
    };
    let ident = plan.ident;
    let (_, ty_g, _) = plan.generics.split_for_impl();
    let generics = with_predicates(plan.generics, preds);
    let (impl_g, _, where_c) = generics.split_for_impl();
    Some(quote! {
        #[automatically_derived]
        impl #impl_g #p::EncodeAttrs for #ident #ty_g #where_c {
            #[inline]
            fn attrs_len(&self) -> usize {
                #(#checks)*
                #len_body
            }

            #[inline]
            fn write_attrs(&self, __nla_w: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                #(#sub_checks)*
                #(#write_stmts)*
                #p::Ok(())
            }
        }

        #[automatically_derived]
        impl #impl_g #p::NlaEncode for #ident #ty_g #where_c {
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
    })
}

/// Stage 4c: `DecodeAttrs<'a>` and `NlaDecode<'a>`: one pass over the attributes into a local per
/// field, then the struct, with missing required fields reported by name.
fn decode(g: &Gen<'_, '_>) -> Option<TokenStream> {
    let (p, plan, lt) = (g.p, g.plan, &g.lt);
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut build = Vec::new();
    let mut preds: Vec<WherePredicate> = Vec::new();
    let mut unknown_push = None;
    let mut after = Vec::new();
    for (i, f) in plan.fields.iter().enumerate() {
        let fid = f.ident;
        let fname = lit_str(&f.name);
        let local = format_ident!("__nla_v{}", i);
        match &f.kind {
            Kind::Attr(a) => {
                let (id, ty, c, sp) = (&a.id, a.value_ty, a.codec.tokens(p), at(a.value_ty));
                if g.generic(f) {
                    preds.push(g.pred(quote!(#c: #p::DecodeCodec<#lt, #ty>), sp)?);
                    if matches!(a.presence, Presence::Default)
                        || (a.presence == Presence::EmptyIfAbsent && a.repeat == Repeat::Once)
                    {
                        preds.push(g.pred(quote!(#ty: #p::Default), sp)?);
                    }
                }
                let get = respan(quote!(<#c as #p::DecodeCodec<#lt, #ty>>::decode), sp);
                if let Some(sub) = &a.sub {
                    // Kept until the whole set is read: the selector may come after it.
                    let sel_local = format_ident!("__nla_v{}", sub.index);
                    let sel_name = lit_str(&sub.name);
                    let dec = respan(quote!(#p::decode_sub::<#ty, _>), sp);
                    locals.push(quote! {
                        let mut #local: #p::Option<(&#lt [u8], usize)> = #p::None;
                    });
                    arms.push(quote! {
                        #id => { #local = #p::Some((__nla_a.payload(), __nla_a.payload_offset())); }
                    });
                    after.push(quote! {
                        let #local: #p::Option<#ty> =
                            #dec(#local, #sel_local.as_ref(), __nla_depth, #fname, #sel_name)?;
                    });
                    build.push(match a.presence {
                        Presence::Required => quote! {
                            #fid: match #local {
                                #p::Some(__nla_x) => __nla_x,
                                #p::None => return #p::Err(#p::missing(#fname, #id)),
                            },
                        },
                        _ => quote!(#fid: #local,),
                    });
                    continue;
                }
                if a.repeat == Repeat::Multi {
                    locals.push(quote!(let mut #local: #p::Vec<#ty> = #p::Vec::new();));
                    arms.push(quote! {
                        #id => {
                            let __nla_i = #local.len();
                            match #get(__nla_a.payload(), __nla_depth) {
                                #p::Ok(__nla_x) => #local.push(__nla_x),
                                #p::Err(__nla_e) => {
                                    return #p::Err(#p::multi_decode_error(__nla_e, __nla_a.payload_offset(), #fname, __nla_i));
                                }
                            }
                        }
                    });
                    build.push(quote!(#fid: #local,));
                    continue;
                }
                locals.push(quote!(let mut #local: #p::Option<#ty> = #p::None;));
                arms.push(quote! {
                    #id => match #get(__nla_a.payload(), __nla_depth) {
                        #p::Ok(__nla_x) => #local = #p::Some(__nla_x),
                        #p::Err(__nla_e) => {
                            return #p::Err(#p::field_decode_error(__nla_e, __nla_a.payload_offset(), #fname));
                        }
                    },
                });
                build.push(match a.presence {
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
                locals.push(quote!(let mut #local = false;));
                arms.push(quote!(#id => { #local = #p::get_flag(&__nla_a, #fname)?; }));
                build.push(quote!(#fid: #local,));
            }
            Kind::Unknown => {
                let (ty, sp) = (f.ty, at(f.ty));
                let unk = respan(quote!(#p::UnknownAttrs), sp);
                locals.push(quote!(let mut #local: #ty = #p::Default::default();));
                unknown_push = Some(quote!(#unk::push_unknown(&mut #local, __nla_a)));
                build.push(quote!(#fid: #local,));
                if g.generic(f) {
                    preds.push(
                        syn::parse_quote_spanned!(sp=> #ty: #p::UnknownAttrs<#lt> + #p::Default),
                    );
                }
            }
            Kind::Skip => {
                let ty = f.ty;
                if g.generic(f) {
                    preds.push(g.pred(quote!(#ty: #p::Default), at(ty))?);
                }
                build.push(quote!(#fid: #p::Default::default(),));
            }
        }
    }
    let fallback = if let Some(push) = unknown_push {
        quote!(_ => { #push; })
    } else if plan.deny_unknown {
        quote!(_ => return #p::Err(#p::unknown(&__nla_a)),)
    } else {
        quote!(_ => {})
    };
    let ident = plan.ident;
    let (_, ty_g, _) = plan.generics.split_for_impl();
    let generics = with_predicates(&decode_generics(plan.generics, plan.lifetime), preds);
    let (impl_g, _, where_c) = generics.split_for_impl();
    Some(quote! {
        #[automatically_derived]
        impl #impl_g #p::DecodeAttrs<#lt> for #ident #ty_g #where_c {
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
                #(#after)*
                #p::Ok(Self { #(#build)* })
            }
        }

        #[automatically_derived]
        impl #impl_g #p::NlaDecode<#lt> for #ident #ty_g #where_c {
            #[inline]
            fn decode_payload(__nla_p: &#lt [u8]) -> #p::Result<Self, #p::DecodeError> {
                #p::nested_decode(__nla_p, 0)
            }

            #[inline(always)]
            fn decode_payload_at(__nla_p: &#lt [u8], __nla_depth: u32) -> #p::Result<Self, #p::DecodeError> {
                #p::nested_decode(__nla_p, __nla_depth)
            }
        }
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
    info
}

/// The `Checks` of a field's bounds.
fn checks(p: &TokenStream, bounds: &[crate::attr::BoundValue]) -> TokenStream {
    use crate::attr::Bound;
    let mut c = quote!(#p::Checks::NONE);
    for b in bounds {
        let v = &b.tokens;
        c = match b.bound {
            Bound::Min => quote!(#c.min((#v) as i128)),
            Bound::Max => quote!(#c.max((#v) as i128)),
            Bound::MinLen => quote!(#c.min_len((#v) as u32)),
            Bound::MaxLen => quote!(#c.max_len((#v) as u32)),
            Bound::ExactLen => quote!(#c.min_len((#v) as u32).max_len((#v) as u32)),
            Bound::Mask => quote!(#c.mask((#v) as u64)),
        };
    }
    c
}
