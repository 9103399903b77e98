//! Stage 4 for `#[derive(GenlMessage)]`: generate `GenlMessage` and `GenlDecode<'a>` from a
//! [`MessagePlan`].

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::check::{AnswerPlan, MessagePlan, OpPlan, VariantPlan};
use crate::expand_attrs::{at, decode_generics, decode_lifetime, respan, wrap};

fn lit_str(s: &str) -> syn::LitStr {
    syn::LitStr::new(s, Span::call_site())
}

/// Const assertions for command numbers given as const paths: a `u8`, distinct within the
/// decodable variants and within the request variants.
fn cmd_assertions(p: &TokenStream, variants: &[VariantPlan]) -> TokenStream {
    let mut out = TokenStream::new();
    for v in variants {
        let Some(def) = &v.cmd.def else { continue };
        let cmd = &v.cmd;
        let span = Span::call_site().located_at(cmd.span);
        let head = respan(quote!(const #cmd: u8 =), span);
        out.extend(quote!(#head #def;));
    }
    for (i, a) in variants.iter().enumerate() {
        for b in variants.iter().skip(i + 1) {
            if a.request != b.request || (a.cmd.lit.is_some() && b.cmd.lit.is_some()) {
                continue;
            }
            let what = if a.request { "request" } else { "decodable" };
            let msg = lit_str(&format!(
                "duplicate command: {what} variants `{}` and `{}` have the same command number",
                a.ident, b.ident
            ));
            let span = Span::call_site().located_at(b.cmd.span);
            let (ca, cb) = (&a.cmd, &b.cmd);
            out.extend(respan(
                quote!(const _: () = #p::assert!(#ca != #cb, #msg);),
                span,
            ));
        }
    }
    out
}

/// A variant's entry in the message schema.
fn command_info(p: &TokenStream, v: &VariantPlan, lt: &syn::Lifetime) -> TokenStream {
    let _ = lt;
    let cmd = &v.cmd;
    let vname = lit_str(&crate::ast::unraw(v.ident));
    // Through a probe: a variant that holds no attribute set already has its error.
    let attrs = match v.ty {
        Some(ty) => quote!(<#p::KindOf<#p::Native, #ty>>::KIND.nested_fn()),
        None => quote!(#p::None),
    };
    let mut info = quote!(#p::CommandInfo::new(#cmd, #vname, #attrs));
    if v.request {
        info = quote!(#info.request_only());
    }
    match &v.answer {
        AnswerPlan::Undeclared => {}
        AnswerPlan::Reply(c) => info = quote!(#info.answered(#p::Answer::Reply(#c))),
        AnswerPlan::Ack => info = quote!(#info.answered(#p::Answer::Ack)),
    }
    if let Some(op) = &v.doit {
        let op = op_attrs(p, op);
        info = quote!(#info.doit(#op));
    }
    if let Some(op) = &v.dumpit {
        let op = op_attrs(p, op);
        info = quote!(#info.dumpit(#op));
    }
    if let Some(group) = &v.mcast {
        let group = lit_str(group);
        info = quote!(#info.mcast(#group));
    }
    if let Some(fields) = &v.event {
        let names = names(fields);
        info = quote!(#info.event(&[#(#names),*]));
    }
    if !v.flags.is_empty() {
        let mut flags = quote!(#p::OpFlags::NONE);
        for word in &v.flags {
            let method = match word.as_str() {
                "strict" => "dont_validate_strict",
                "dump" => "dont_validate_dump",
                "dump_strict" => "dont_validate_dump_strict",
                other => other,
            };
            let method = syn::Ident::new(method, Span::call_site());
            flags = quote!(#flags.#method());
        }
        info = quote!(#info.flags(#flags));
    }
    quote!(#info,)
}

/// The schema names of `fields` (their identifiers without `r#`).
fn names(fields: &[syn::Ident]) -> Vec<syn::LitStr> {
    fields
        .iter()
        .map(|f| lit_str(&crate::ast::unraw(f)))
        .collect()
}

/// `OpAttrs::ANY` with the lists a `do(..)`/`dump(..)` gives.
fn op_attrs(p: &TokenStream, op: &OpPlan<'_>) -> TokenStream {
    let mut out = quote!(#p::OpAttrs::ANY);
    if let Some(fields) = &op.request {
        let names = names(fields);
        out = quote!(#out.request(&[#(#names),*]));
    }
    if let Some(fields) = &op.reply {
        let names = names(fields);
        out = quote!(#out.reply(&[#(#names),*]));
    }
    out
}

/// Field accesses that make the compiler check every name an op list gives, spanned at the
/// name (`no field `x` on type `Set``).
fn op_field_checks(v: &VariantPlan<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    let mut check = |ty: Option<&syn::Type>, fields: &[syn::Ident]| {
        let Some(ty) = ty else { return };
        let uses = fields.iter().map(|f| {
            let span = f.span();
            respan(quote!(let _ = &__nla_s.#f;), span)
        });
        out.extend(quote!(let _ = |__nla_s: &#ty| { #(#uses)* };));
    };
    for op in [&v.doit, &v.dumpit].into_iter().flatten() {
        if let Some(fields) = &op.request {
            check(v.ty, fields);
        }
        if let Some(fields) = &op.reply {
            check(op.reply_ty, fields);
        }
    }
    if let Some(fields) = &v.event {
        check(v.ty, fields);
    }
    out
}

/// `GenlBorrowed`: the enum at every lifetime (`E<'a>` for a borrowing enum, `E` for an owned
/// one), so borrowed dumps can name it.
pub fn borrowed_impl(
    p: &TokenStream,
    ident: &syn::Ident,
    generics: &syn::Generics,
    lifetime: Option<&syn::Lifetime>,
) -> TokenStream {
    let (impl_g, ty_g, where_c) = generics.split_for_impl();
    let at = match lifetime {
        Some(_) => quote!(#ident<'__nla_at>),
        None => quote!(Self),
    };
    quote! {
        #[automatically_derived]
        impl #impl_g #p::GenlBorrowed for #ident #ty_g #where_c {
            type At<'__nla_at> = #at;
        }
    }
}

pub fn expand(plan: &MessagePlan) -> TokenStream {
    let p = &plan.private;
    let ident = plan.ident;
    let enum_name = lit_str(&crate::ast::unraw(ident));
    let family = &plan.family;
    let version = proc_macro2::Literal::u8_unsuffixed(plan.version);
    let header = match &plan.header {
        Some(h) => quote!(#h),
        None => quote!(()),
    };
    let lt = decode_lifetime(plan.lifetime);

    let mut command_arms = Vec::new();
    let mut len_arms = Vec::new();
    let mut write_arms = Vec::new();
    let mut decode_arms = Vec::new();
    let mut commands = Vec::new();

    for v in &plan.variants {
        let vi = v.ident;
        let vname = lit_str(&crate::ast::unraw(vi));
        let cmd = &v.cmd;
        commands.push(command_info(p, v, &lt));
        match v.ty {
            Some(ty) => {
                let sp = at(ty);
                let enc = |m: &str| {
                    let m = syn::Ident::new(m, Span::call_site());
                    respan(quote!(<#ty as #p::EncodeAttrs>::#m), sp)
                };
                let (attrs_len, write_attrs) = (enc("attrs_len"), enc("write_attrs"));
                let decode = respan(quote!(<#ty as #p::DecodeAttrs<#lt>>::decode_attrs_at), sp);
                command_arms.push(quote!(Self::#vi(..) => #cmd,));
                len_arms.push(quote!(Self::#vi(__nla_v) => #attrs_len(__nla_v),));
                write_arms.push(quote! {
                    Self::#vi(__nla_v) => match #write_attrs(__nla_v, __nla_w) {
                        #p::Ok(()) => #p::Ok(()),
                        #p::Err(__nla_e) => #p::Err(__nla_e.in_type(#vname)),
                    },
                });
                if !v.request {
                    decode_arms.push(quote! {
                        #cmd => match #decode(__nla_attrs, 0) {
                            #p::Ok(__nla_v) => #p::Ok(Self::#vi(__nla_v)),
                            #p::Err(__nla_e) => #p::Err(__nla_e.in_type(#vname)),
                        },
                    });
                }
            }
            None => {
                command_arms.push(quote!(Self::#vi => #cmd,));
                len_arms.push(quote!(Self::#vi => 0,));
                write_arms.push(quote!(Self::#vi => #p::Ok(()),));
                if !v.request {
                    decode_arms.push(quote!(#cmd => #p::Ok(Self::#vi),));
                }
            }
        }
    }

    let (impl_g, ty_g, where_c) = plan.generics.split_for_impl();
    let dec_generics = decode_generics(plan.generics, plan.lifetime);
    let (dec_impl_g, _, _) = dec_generics.split_for_impl();
    let checks = cmd_assertions(p, &plan.variants);
    let field_checks: TokenStream = plan.variants.iter().map(op_field_checks).collect();
    let field_checks = if field_checks.is_empty() {
        field_checks
    } else {
        quote! {
            #[allow(dead_code, clippy::no_effect_underscore_binding)]
            fn __nla_op_fields #impl_g () #where_c {
                #field_checks
            }
        }
    };
    let groups: Vec<syn::LitStr> = plan.groups.iter().map(|g| lit_str(g)).collect();
    let groups = if groups.is_empty() {
        TokenStream::new()
    } else {
        quote!(.groups(&[#(#groups),*]))
    };
    let groups = match plan.kernel_policy.as_deref() {
        Some("per_op") => quote!(#groups.kernel_policy(#p::KernelPolicy::PerOp)),
        Some("global") => quote!(#groups.kernel_policy(#p::KernelPolicy::Global)),
        _ => groups,
    };
    let borrowed = borrowed_impl(p, ident, plan.generics, plan.lifetime);

    wrap(quote! {
            #[allow(unused_imports)]
            use #p::KindFallback as _;

            #checks
            #field_checks

            #[automatically_derived]
            impl #impl_g #p::GenlMessage for #ident #ty_g #where_c {
                const SCHEMA: #p::MessageSchema = #p::MessageSchema::new(
                    #enum_name,
                    #family,
                    #version,
                    &[#(#commands)*],
                )#groups;
                type Header = #header;

                #[inline]
                fn command(&self) -> u8 {
                    match self {
                        #(#command_arms)*
                    }
                }

                #[inline]
                fn attrs_len(&self) -> usize {
                    match self {
                        #(#len_arms)*
                    }
                }

                fn write_attrs(&self, __nla_w: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                    match self {
                        #(#write_arms)*
                    }
                }
            }

            #borrowed

            #[automatically_derived]
            impl #dec_impl_g #p::GenlDecode<#lt> for #ident #ty_g #where_c {
                fn decode_genl(__nla_cmd: u8, __nla_attrs: &#lt [u8]) -> #p::Result<Self, #p::DecodeError> {
                    let _ = __nla_attrs;
                    #[allow(unreachable_patterns)]
                    match __nla_cmd {
                        #(#decode_arms)*
                        _ => #p::Err(#p::unknown_command(#enum_name, __nla_cmd)),
                    }
                }
            }
    })
}
