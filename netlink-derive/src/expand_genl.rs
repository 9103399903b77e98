//! Stage 4 for `#[derive(GenlMessage)]`: generate `GenlMessage` and `GenlDecode<'a>` from a
//! [`MessagePlan`].

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::check::{AnswerPlan, MessagePlan, VariantPlan};
use crate::expand_attrs::{at, decode_generics, decode_lifetime, respan};

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

/// `GenlMessage::answer` when some variant declares `reply` or `ack` (otherwise the trait's
/// default, `Answer::Undeclared`, is the same).
fn answer_fn(p: &TokenStream, variants: &[VariantPlan]) -> TokenStream {
    let arms: Vec<TokenStream> = variants
        .iter()
        .filter_map(|v| {
            let value = match &v.answer {
                AnswerPlan::Undeclared => return None,
                AnswerPlan::Reply(cmd) => quote!(#p::Answer::Reply(#cmd)),
                AnswerPlan::Ack => quote!(#p::Answer::Ack),
            };
            let vi = v.ident;
            Some(match v.ty {
                Some(_) => quote!(Self::#vi(..) => #value,),
                None => quote!(Self::#vi => #value,),
            })
        })
        .collect();
    if arms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[inline]
        fn answer(&self) -> #p::Answer {
            #[allow(unreachable_patterns)]
            match self {
                #(#arms)*
                _ => #p::Answer::Undeclared,
            }
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
    // Name lookups prefer decodable variants; `locate` (for requests) prefers request variants.
    let mut name_arms_first = Vec::new();
    let mut name_arms_second = Vec::new();
    let mut attr_name_first = Vec::new();
    let mut attr_name_second = Vec::new();
    let mut locate_first = Vec::new();
    let mut locate_second = Vec::new();
    let mut schema_first = Vec::new();
    let mut schema_second = Vec::new();

    for v in &plan.variants {
        let vi = v.ident;
        let vname = lit_str(&crate::ast::unraw(vi));
        let cmd = &v.cmd;
        let (name_arms, attr_name_arms, locate_arms, schema_arms) = if v.request {
            (
                &mut name_arms_second,
                &mut attr_name_second,
                &mut locate_first,
                &mut schema_second,
            )
        } else {
            (
                &mut name_arms_first,
                &mut attr_name_first,
                &mut locate_second,
                &mut schema_first,
            )
        };
        name_arms.push(quote!(#cmd => #p::Some(#vname),));
        match v.ty {
            Some(ty) => {
                let sp = at(ty);
                let enc = |m: &str| {
                    let m = syn::Ident::new(m, Span::call_site());
                    respan(quote!(<#ty as #p::EncodeVariant>::#m), sp)
                };
                let (attrs_len, write_attrs, attr_name, locate) = (
                    enc("attrs_len"),
                    enc("write_attrs"),
                    enc("attr_name"),
                    enc("locate"),
                );
                let decode = respan(quote!(<#ty as #p::DecodeVariant<#lt>>::decode_attrs_at), sp);
                command_arms.push(quote!(Self::#vi(..) => #cmd,));
                len_arms.push(quote!(Self::#vi(__nla_v) => #attrs_len(__nla_v),));
                write_arms.push(quote! {
                    Self::#vi(__nla_v) => match #write_attrs(__nla_v, __nla_w) {
                        #p::Ok(()) => #p::Ok(()),
                        #p::Err(__nla_e) => #p::Err(__nla_e.in_type(#vname)),
                    },
                });
                attr_name_arms.push(quote!(#cmd => #attr_name(__nla_id),));
                // Through a probe: a variant that holds no attribute set already has its error.
                schema_arms.push(quote! {
                    #cmd => match <#p::SchemaOf<#ty>>::SCHEMA {
                        #p::Some(__nla_f) => #p::Some(__nla_f()),
                        #p::None => #p::None,
                    },
                });
                locate_arms.push(quote! {
                    #cmd => {
                        __nla_path.push(#p::PathSegment::Type(#vname));
                        #locate(__nla_attrs, __nla_off, __nla_path);
                    }
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
                attr_name_arms.push(quote!(#cmd => #p::None,));
                schema_arms.push(quote!(#cmd => #p::None,));
                locate_arms.push(quote! {
                    #cmd => __nla_path.push(#p::PathSegment::Type(#vname)),
                });
                if !v.request {
                    decode_arms.push(quote!(#cmd => #p::Ok(Self::#vi),));
                }
            }
        }
    }

    let answer = answer_fn(p, &plan.variants);
    let (impl_g, ty_g, where_c) = plan.generics.split_for_impl();
    let dec_generics = decode_generics(plan.generics, plan.lifetime);
    let (dec_impl_g, _, _) = dec_generics.split_for_impl();
    let checks = cmd_assertions(p, &plan.variants);

    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, non_upper_case_globals)]
        const _: () = {
            #checks

            #[automatically_derived]
            impl #impl_g #p::GenlMessage for #ident #ty_g #where_c {
                const FAMILY: &'static str = #family;
                const VERSION: u8 = #version;
                type Header = #header;

                #[inline]
                fn command(&self) -> u8 {
                    match self {
                        #(#command_arms)*
                    }
                }

                fn command_name(__nla_cmd: u8) -> #p::Option<&'static str> {
                    #[allow(unreachable_patterns)]
                    match __nla_cmd {
                        #(#name_arms_first)*
                        #(#name_arms_second)*
                        _ => #p::None,
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

                fn locate(__nla_cmd: u8, __nla_attrs: &[u8], __nla_off: usize, __nla_path: &mut #p::Vec<#p::PathSegment>) {
                    #[allow(unreachable_patterns)]
                    match __nla_cmd {
                        #(#locate_first)*
                        #(#locate_second)*
                        _ => {}
                    }
                }

                fn attr_name(__nla_cmd: u8, __nla_id: u16) -> #p::Option<&'static str> {
                    #[allow(unreachable_patterns)]
                    match __nla_cmd {
                        #(#attr_name_first)*
                        #(#attr_name_second)*
                        _ => #p::None,
                    }
                }

                fn schema(__nla_cmd: u8) -> #p::Option<&'static #p::Schema> {
                    #[allow(unused_imports)]
                    use #p::SchemaFallback as _;
                    #[allow(unreachable_patterns)]
                    match __nla_cmd {
                        #(#schema_first)*
                        #(#schema_second)*
                        _ => #p::None,
                    }
                }

                #answer
            }

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
        };
    }
}
