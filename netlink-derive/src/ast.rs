//! Stage 2: the typed view of the input: the container, its fields with their parsed options,
//! and what each field type looks like syntactically.

use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{GenericArgument, Ident, PathArguments, Type};

use crate::attr::{self, ContainerOpts, FieldOpts, GenlOpts, VariantOpts};
use crate::ctxt::Ctxt;

/// An attribute-set struct.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub opts: ContainerOpts,
    pub fields: Vec<Field<'a>>,
}

/// One named field of an attribute-set struct.
pub struct Field<'a> {
    pub ident: &'a Ident,
    /// The name used in error paths (`r#type` reads `type`).
    pub name: String,
    pub ty: &'a Type,
    pub opts: FieldOpts,
}

/// A `GenlMessage` enum.
pub struct Message<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub opts: GenlOpts,
    pub variants: Vec<Variant<'a>>,
}

/// One variant (command) of a `GenlMessage` enum.
pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The attribute set it carries; `None` for a unit variant.
    pub ty: Option<&'a Type>,
    pub opts: VariantOpts,
}

/// The name of an identifier without its `r#` prefix.
pub fn unraw(i: &Ident) -> String {
    let s = i.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

/// Build the container of `#[derive(NlAttrs)]`, reporting inputs that are not structs with
/// named fields. Returns `None` when there is nothing to expand.
pub fn container<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<Container<'a>> {
    let opts = attr::container_opts(cx, &input.attrs);
    let fields = match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(named) => &named.named,
            syn::Fields::Unnamed(u) => {
                cx.error_spanned_help(
                    u,
                    "`NlAttrs` needs a struct with named fields; this is a tuple struct",
                    "name the fields: `struct Set { #[nla(id = 1)] field: u32 }` (names appear in error paths)",
                );
                return None;
            }
            syn::Fields::Unit => {
                cx.error_help(
                    input.ident.span(),
                    "`NlAttrs` needs a struct with named fields; this is a unit struct",
                    "write `struct Set {}` for an empty attribute set",
                );
                return None;
            }
        },
        syn::Data::Enum(e) => {
            cx.error_help(
                e.enum_token.span(),
                "`NlAttrs` derives attribute sets from structs, not enums",
                "for a family's commands use `#[derive(GenlMessage)]` on the enum; for a value \
                 kind (e.g. an enum carried as a u32) implement `NlaEncode` and `NlaDecode`",
            );
            return None;
        }
        syn::Data::Union(u) => {
            cx.error_help(
                u.union_token.span(),
                "`NlAttrs` cannot be derived for a union",
                "use a struct with named fields, one per attribute",
            );
            return None;
        }
    };
    let fields = fields
        .iter()
        .filter_map(|f| {
            let ident = f.ident.as_ref()?;
            Some(Field {
                ident,
                name: unraw(ident),
                ty: &f.ty,
                opts: attr::field_opts(cx, &f.attrs),
            })
        })
        .collect();
    Some(Container {
        ident: &input.ident,
        generics: &input.generics,
        opts,
        fields,
    })
}

/// Build the enum of `#[derive(GenlMessage)]`.
pub fn message<'a>(cx: &mut Ctxt, input: &'a syn::DeriveInput) -> Option<Message<'a>> {
    let opts = attr::genl_opts(cx, &input.attrs);
    let data = match &input.data {
        syn::Data::Enum(e) => e,
        syn::Data::Struct(s) => {
            cx.error_help(
                s.struct_token.span(),
                "`GenlMessage` derives a family's messages from an enum, one variant per command",
                "write `enum Family { #[genl(cmd = 1)] Get(Set), ... }`; derive `NlAttrs` for the struct",
            );
            return None;
        }
        syn::Data::Union(u) => {
            cx.error_help(
                u.union_token.span(),
                "`GenlMessage` cannot be derived for a union",
                "write an enum with one variant per command",
            );
            return None;
        }
    };
    let mut variants = Vec::new();
    for v in &data.variants {
        let vopts = attr::variant_opts(cx, &v.attrs);
        let ty = match &v.fields {
            syn::Fields::Unit => None,
            syn::Fields::Unnamed(u) => {
                let mut it = u.unnamed.iter();
                let first = it.next();
                if let Some(extra) = it.next() {
                    cx.error_spanned_help(
                        extra,
                        format!("variant `{}` holds more than one value", v.ident),
                        "a command carries one attribute set: put the attributes in one struct",
                    );
                }
                for f in &u.unnamed {
                    attr::reject(cx, &f.attrs, "genl", "put `#[genl(...)]` on the variant");
                    attr::reject(
                        cx,
                        &f.attrs,
                        "nla",
                        "`#[nla(...)]` goes on the fields of a struct deriving `NlAttrs`",
                    );
                }
                first.map(|f| &f.ty)
            }
            syn::Fields::Named(n) => {
                cx.error_spanned_help(
                    n,
                    format!("variant `{}` has named fields", v.ident),
                    format!(
                        "a command carries one attribute set: `{}(Set)` with `#[derive(NlAttrs)] struct Set {{ .. }}`",
                        v.ident
                    ),
                );
                None
            }
        };
        if let Some((_, d)) = &v.discriminant {
            cx.error_spanned_help(
                d,
                "explicit discriminants are not command numbers",
                "write `#[genl(cmd = N)]` on the variant instead",
            );
        }
        variants.push(Variant {
            ident: &v.ident,
            ty,
            opts: vopts,
        });
    }
    Some(Message {
        ident: &input.ident,
        generics: &input.generics,
        opts,
        variants,
    })
}

// ---------------------------------------------------------------------------------------------
// Syntactic type classification.

/// What a field type looks like, judged from its tokens alone.
#[derive(Clone)]
pub enum Ty<'a> {
    /// `u8`..`u64`, `i8`..`i64`.
    Int {
        signed: bool,
    },
    Bool,
    /// `String`, `&str`.
    Str,
    /// `Vec<u8>`, `&[u8]`.
    ByteBuf,
    /// `[u8; N]`.
    ByteArray,
    /// Known scalar value types of the runtime (`BitField32`, `Ipv4Addr`, `Ipv6Addr`).
    Scalar,
    Option(&'a Type),
    /// `Vec<T>` with `T` not `u8` and not a pair.
    Vec,
    /// `Vec<(K, V)>`, with `V`.
    Pairs(&'a Type),
    /// `BTreeMap<K, V>`, with `V`.
    Map(&'a Type),
    Box(&'a Type),
    /// A type with no netlink kind: what it is and how to fix it.
    Unsupported(&'static str, &'static str),
    /// Anything else: a user type (attribute set or value kind), an alias, `ArrayView`, ...
    Other,
}

impl Ty<'_> {
    /// A leaf kind that can never be an attribute set.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Ty::Int { .. } | Ty::Bool | Ty::Str | Ty::ByteBuf | Ty::ByteArray | Ty::Scalar
        )
    }
}

fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Group(g) => strip(&g.elem),
        Type::Paren(p) => strip(&p.elem),
        _ => ty,
    }
}

/// The type arguments of the last segment of a path type named `name`.
fn args_of<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(p) = strip(ty) else {
        return None;
    };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(a) => Some(
            a.args
                .iter()
                .filter_map(|g| match g {
                    GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
        ),
        _ => Some(Vec::new()),
    }
}

/// The last type argument of a path type (`T` of `ArrayView<'a, T>`).
pub fn last_type_arg(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = strip(ty) else {
        return None;
    };
    let name = p.path.segments.last()?.ident.to_string();
    args_of(ty, &name)?.last().copied()
}

/// `T` of `Vec<T>`.
pub fn vec_elem(ty: &Type) -> Option<&Type> {
    match args_of(ty, "Vec")?.as_slice() {
        [t] => Some(t),
        _ => None,
    }
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(args_of(ty, name), Some(a) if a.is_empty())
}

/// Classify a type by its tokens.
pub fn classify(ty: &Type) -> Ty<'_> {
    match strip(ty) {
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Ty::Other;
            };
            let name = last.ident.to_string();
            let args = args_of(ty, &name).unwrap_or_default();
            match (name.as_str(), args.as_slice()) {
                ("u8" | "u16" | "u32" | "u64", []) => Ty::Int { signed: false },
                ("i8" | "i16" | "i32" | "i64", []) => Ty::Int { signed: true },
                ("bool", []) => Ty::Bool,
                ("String", []) => Ty::Str,
                ("u128" | "i128", []) => Ty::Unsupported(
                    "128-bit integers have no netlink kind",
                    "use `[u8; 16]` (binary) or two u64 attributes",
                ),
                ("usize" | "isize", []) => Ty::Unsupported(
                    "`usize`/`isize` have a platform-dependent width",
                    "use a fixed-width integer: u32, u64, i32 or i64",
                ),
                ("f32" | "f64", []) => Ty::Unsupported(
                    "netlink has no floating-point kind",
                    "carry the bits in a u32/u64 field (`f64::to_bits`), or use a value type",
                ),
                ("char", []) => Ty::Unsupported(
                    "`char` has no netlink kind",
                    "use `String` (a string attribute) or `u32`",
                ),
                ("BitField32" | "Ipv4Addr" | "Ipv6Addr", []) => Ty::Scalar,
                ("Option", [t]) => Ty::Option(t),
                ("Vec", [t]) => {
                    if is_ident(t, "u8") {
                        Ty::ByteBuf
                    } else if let Type::Tuple(tup) = strip(t) {
                        let mut e = tup.elems.iter();
                        match (e.next(), e.next(), e.next()) {
                            (Some(_), Some(v), None) => Ty::Pairs(v),
                            _ => Ty::Vec,
                        }
                    } else {
                        Ty::Vec
                    }
                }
                ("BTreeMap", [_, v]) => Ty::Map(v),
                ("HashMap" | "HashSet" | "BTreeSet" | "VecDeque" | "LinkedList", _) => {
                    Ty::Unsupported(
                        "this collection has no netlink kind",
                        "use `Vec<T>` with `multi` or `array`, or `BTreeMap<K, V>` with `keyed`",
                    )
                }
                ("Box", [t]) => Ty::Box(t),
                _ => Ty::Other,
            }
        }
        Type::Reference(r) => match strip(&r.elem) {
            Type::Path(_) if is_ident(&r.elem, "str") => Ty::Str,
            Type::Slice(s) if is_ident(&s.elem, "u8") => Ty::ByteBuf,
            _ => Ty::Unsupported(
                "only `&'a str` and `&'a [u8]` can borrow from the buffer",
                "use an owned type, or `&'a str` / `&'a [u8]` for zero-copy strings and bytes",
            ),
        },
        Type::Array(a) if is_ident(&a.elem, "u8") => Ty::ByteArray,
        Type::Array(_) => Ty::Unsupported(
            "arrays other than `[u8; N]` have no netlink kind",
            "use `Vec<T>` with `array` (an indexed array) or `multi` (a repeated attribute)",
        ),
        Type::Slice(_) => Ty::Unsupported(
            "an unsized slice cannot be a field",
            "use `Vec<T>`, or `&'a [u8]` for borrowed bytes",
        ),
        Type::Tuple(t) if t.elems.is_empty() => Ty::Unsupported(
            "`()` carries nothing",
            "for a present/absent attribute use `bool` with `flag`",
        ),
        Type::Tuple(_) => Ty::Unsupported(
            "a tuple has no netlink kind",
            "use a nested attribute set: a struct deriving `NlAttrs`",
        ),
        Type::Ptr(_)
        | Type::BareFn(_)
        | Type::TraitObject(_)
        | Type::ImplTrait(_)
        | Type::Never(_) => Ty::Unsupported(
            "this type cannot be encoded as an attribute",
            "use an integer, string, bytes, an attribute set or a type implementing `NlaEncode`/`NlaDecode`",
        ),
        _ => Ty::Other,
    }
}

/// The type as it reads in source, for messages (`Vec<u32>`, `&'a str`).
pub fn ty_string(ty: &Type) -> String {
    let s = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied();
            let drop = matches!(prev, Some('<' | '&' | ':' | '(' | '[' | '\''))
                || matches!(next, Some('<' | '>' | ',' | ':' | ')' | ']' | ';'));
            if drop {
                continue;
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}
