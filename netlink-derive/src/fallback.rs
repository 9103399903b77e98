//! Stub impls emitted next to compile errors: the type still implements the traits, so code
//! that uses it compiles and one mistake gives one error, not a cascade.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand_attrs::{decode_generics, decode_lifetime, wrap};

/// The lifetime of the type if it has exactly one (what the real impls would use).
fn own_lifetime(generics: &syn::Generics) -> Option<&syn::Lifetime> {
    let mut it = generics.lifetimes();
    match (it.next(), it.next()) {
        (Some(l), None) => Some(&l.lifetime),
        _ => None,
    }
}

/// Stubs of the attribute-set traits.
pub fn attrs(p: &TokenStream, ident: &syn::Ident, generics: &syn::Generics) -> TokenStream {
    let name = syn::LitStr::new(&crate::ast::unraw(ident), ident.span());
    let own = own_lifetime(generics);
    let lt = decode_lifetime(own);
    let dg = decode_generics(generics, own);
    let (impl_g, ty_g, where_c) = generics.split_for_impl();
    let (dec_impl_g, _, _) = dg.split_for_impl();
    wrap(quote! {
            impl #impl_g #p::AttrSet for #ident #ty_g #where_c {
                const SCHEMA: #p::Schema = #p::Schema::new(#name, &[]);
            }
            impl #impl_g #p::EncodeAttrs for #ident #ty_g #where_c {
                fn attrs_len(&self) -> usize { #p::derive_failed() }
                fn write_attrs(&self, _: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                    #p::derive_failed()
                }
            }
            impl #dec_impl_g #p::DecodeAttrs<#lt> for #ident #ty_g #where_c {
                fn decode_attrs_at(_: &#lt [u8], _: u32) -> #p::Result<Self, #p::DecodeError> {
                    #p::derive_failed()
                }
            }
            impl #impl_g #p::NlaEncode for #ident #ty_g #where_c {
                const NESTED: bool = true;
                fn payload_len(&self) -> usize { #p::derive_failed() }
                fn write_payload(&self, _: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                    #p::derive_failed()
                }
            }
            impl #dec_impl_g #p::NlaDecode<#lt> for #ident #ty_g #where_c {
                fn decode_payload(_: &#lt [u8]) -> #p::Result<Self, #p::DecodeError> {
                    #p::derive_failed()
                }
            }
    })
}

/// Stubs of the message traits.
pub fn genl(
    p: &TokenStream,
    ident: &syn::Ident,
    generics: &syn::Generics,
    header: Option<&syn::Type>,
) -> TokenStream {
    let name = syn::LitStr::new(&crate::ast::unraw(ident), ident.span());
    let borrowed = crate::expand_genl::borrowed_impl(p, ident, generics, own_lifetime(generics));
    let own = own_lifetime(generics);
    let lt = decode_lifetime(own);
    let dg = decode_generics(generics, own);
    let (impl_g, ty_g, where_c) = generics.split_for_impl();
    let (dec_impl_g, _, _) = dg.split_for_impl();
    let header = match header {
        Some(h) => quote!(#h),
        None => quote!(()),
    };
    wrap(quote! {
            impl #impl_g #p::GenlMessage for #ident #ty_g #where_c {
                const SCHEMA: #p::MessageSchema = #p::MessageSchema::new(#name, "", 0, &[]);
                type Header = #header;
                fn command(&self) -> u8 { #p::derive_failed() }
                fn attrs_len(&self) -> usize { #p::derive_failed() }
                fn write_attrs(&self, _: &mut #p::AttrWriter<'_>) -> #p::Result<(), #p::EncodeError> {
                    #p::derive_failed()
                }
            }
            #borrowed
            impl #dec_impl_g #p::GenlDecode<#lt> for #ident #ty_g #where_c {
                fn decode_genl(_: u8, _: &#lt [u8]) -> #p::Result<Self, #p::DecodeError> {
                    #p::derive_failed()
                }
            }
    })
}
