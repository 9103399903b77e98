//! Stage 3: the rules. Turn the typed AST into a plan for the expansion: each field's kind,
//! codec and presence, with every conflict, missing piece and unsupported type reported.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Ident, Lifetime, LitStr, Type};

use crate::ast::{self, Container, Field, Message, Ty, classify, ty_string};
use crate::attr::{Bound, BoundValue, NumExpr, NumKind, Word};
use crate::ctxt::{Ctxt, suggest};

/// The largest attribute id (`NLA_TYPE_MASK`: 14 bits).
const MAX_ID: u64 = 0x3fff;

/// An attribute id or command number: a literal checked here, or a const path checked by the
/// compiler through assertions the expansion emits.
#[derive(Clone)]
pub struct Num {
    /// The literal value, or `None` for a const path.
    pub lit: Option<u64>,
    /// The tokens to use in patterns and expressions.
    pub tokens: TokenStream,
    /// Where it was written.
    pub span: Span,
    /// For a const path: the path, which the expansion binds once to a local typed const
    /// (`tokens` names it), so a mistake in it is one error.
    pub def: Option<TokenStream>,
}

impl ToTokens for Num {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.tokens.to_tokens(tokens);
    }
}

/// How a value is written, as the runtime's codec types.
#[derive(Clone)]
pub enum Codec {
    Native,
    BigEndian,
    VarUint,
    VarSint,
    Fixed,
    Array(Box<Codec>),
    Keyed(Box<Codec>),
    /// `packed`: the elements back to back in one payload.
    Packed,
    /// `repr = W`: an integer-like value carried as the integer type `W`, with `W`'s codec.
    Repr(Box<Type>, Box<Codec>),
}

/// What an absent attribute decodes as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// An error naming the field.
    Required,
    /// `None` (an `Option<T>` field).
    Optional,
    /// `Default::default()` (`#[nla(default)]`); always written.
    Default,
    /// An empty collection (`array`/`keyed` on a `Vec`/`BTreeMap`); not written when empty.
    EmptyIfAbsent,
}

/// How many attributes a field is on the wire.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// One attribute (or none, for an absent optional field).
    Once,
    /// `multi`: one attribute per element of a `Vec<T>`, all with the field's id.
    Multi,
}

/// A field that is an attribute on the wire (everything but `flag`, `unknown` and `skip`).
pub struct AttrPlan<'a> {
    pub id: Num,
    pub repeat: Repeat,
    /// What an absent attribute decodes as (a `multi` field: an empty `Vec`).
    pub presence: Presence,
    /// The type the codec applies to: the field type without `Option`, or the element type of a
    /// `multi` field's `Vec`.
    pub value_ty: &'a Type,
    pub codec: Codec,
    /// `#[nla(nested)]`: check that this type is an attribute set.
    pub nested_check: Option<&'a Type>,
    /// The element type of a lazily decoded `array` (`T` of `ArrayView<'a, T>`), whose own
    /// encoding cannot name the element kind for the schema.
    pub lazy_elem: Option<&'a Type>,
    /// `min`, `max`, `min_len`, `max_len`, `exact_len`: recorded in the schema.
    pub checks: Vec<BoundValue>,
    /// `selector = field`: a sub-message, and its selector (resolved once every field is known).
    pub sub: Option<Box<SubPlan>>,
}

/// A sub-message field's selector: another field of the same set.
#[derive(Clone)]
pub struct SubPlan {
    /// The selector as written.
    pub ident: Ident,
    /// The selector field's index in the set's plan (set once resolved).
    pub index: usize,
    /// Its name, for errors.
    pub name: String,
    /// Its attribute id.
    pub id: Num,
    /// Whether the selector field is an `Option`.
    pub optional: bool,
}

pub enum Kind<'a> {
    /// An attribute, or one per element (`multi`).
    Attr(AttrPlan<'a>),
    /// `bool` + `flag`.
    Flag { id: Num },
    /// `#[nla(unknown)]`.
    Unknown,
    /// `#[nla(skip)]`.
    Skip,
}

pub struct FieldPlan<'a> {
    pub ident: &'a Ident,
    pub name: String,
    pub ty: &'a Type,
    pub kind: Kind<'a>,
}

impl FieldPlan<'_> {
    /// The field's id, when it is on the wire.
    pub fn id(&self) -> Option<&Num> {
        match &self.kind {
            Kind::Attr(AttrPlan { id, .. }) | Kind::Flag { id } => Some(id),
            Kind::Unknown | Kind::Skip => None,
        }
    }
}

pub struct SetPlan<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    /// The struct's lifetime, for borrowed decode.
    pub lifetime: Option<&'a Lifetime>,
    /// `<crate>::__private`.
    pub private: TokenStream,
    pub deny_unknown: bool,
    pub fields: Vec<FieldPlan<'a>>,
}

pub struct VariantPlan<'a> {
    pub ident: &'a Ident,
    pub ty: Option<&'a Type>,
    pub cmd: Num,
    /// `#[genl(request)]`: sent only, not decoded.
    pub request: bool,
    /// What answers this command when it is sent (`reply = Variant` / `ack`).
    pub answer: AnswerPlan,
    /// `do(..)`: the kernel accepts it as a do request.
    pub doit: Option<OpPlan<'a>>,
    /// `dump(..)`.
    pub dumpit: Option<OpPlan<'a>>,
    /// `mcast = "group"`.
    pub mcast: Option<String>,
    /// `event(..)`: the fields a notification carries (of `ty`).
    pub event: Option<Vec<Ident>>,
    /// `admin_perm`, `uns_admin_perm`, `dont_validate(..)`: the words given (`admin_perm`,
    /// `uns_admin_perm`, `strict`, `dump`, `dump_strict`).
    pub flags: Vec<String>,
}

/// A declared do or dump and its attribute lists.
pub struct OpPlan<'a> {
    /// Fields of the variant's set a request may carry.
    pub request: Option<Vec<Ident>>,
    /// Fields of the reply's set (`reply_ty`) the reply carries.
    pub reply: Option<Vec<Ident>>,
    /// The set of the reply: the `reply = X` variant's, else the variant's own.
    pub reply_ty: Option<&'a Type>,
}

/// What a variant declares about its answer.
#[derive(Clone)]
pub enum AnswerPlan {
    /// Neither `reply` nor `ack`.
    Undeclared,
    /// `reply = Variant`: that variant's command number.
    Reply(Num),
    /// `ack`.
    Ack,
}

pub struct MessagePlan<'a> {
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub lifetime: Option<&'a Lifetime>,
    pub private: TokenStream,
    pub family: syn::LitStr,
    pub version: u8,
    pub header: Option<Type>,
    /// `groups(..)`.
    pub groups: Vec<String>,
    /// `kernel_policy = ..` (`split` when not given).
    pub kernel_policy: Option<String>,
    pub variants: Vec<VariantPlan<'a>>,
}

/// The `__private` path of the runtime crate: `crate = path` or the default.
pub fn private_path(krate: Option<&syn::Path>, default: &str) -> TokenStream {
    match krate {
        Some(p) => quote!(#p::__private),
        None => {
            let c = Ident::new(default, Span::call_site());
            quote!(::#c::__private)
        }
    }
}

/// At most one lifetime; every other generic parameter is left as it is.
fn one_lifetime<'a>(
    cx: &mut Ctxt,
    generics: &'a syn::Generics,
    what: &str,
) -> Option<&'a Lifetime> {
    let mut lts = generics.lifetimes();
    let first = lts.next().map(|l| &l.lifetime);
    for extra in lts {
        cx.error_spanned_help(
            &extra.lifetime,
            format!("{what} can have at most one lifetime"),
            "the one lifetime is the buffer's, for zero-copy decode (`&'a str`, `&'a [u8]`): use it for every borrowed field",
        );
    }
    first
}

fn num(
    cx: &mut Ctxt,
    e: &NumExpr,
    what: &str,
    max: u64,
    range_help: &str,
    local: String,
) -> Option<Num> {
    match &e.kind {
        NumKind::Lit(v, lit) => {
            let span = lit.span();
            match v {
                Some(v) if *v <= max => Some(Num {
                    lit: Some(*v),
                    tokens: proc_macro2::Literal::u64_unsuffixed(*v).into_token_stream(),
                    span,
                    def: None,
                }),
                _ => {
                    cx.error_spanned_help(lit, format!("{what} {lit} is out of range"), range_help);
                    None
                }
            }
        }
        NumKind::Path(p) => Some(Num {
            lit: None,
            tokens: Ident::new(&local, Span::call_site()).into_token_stream(),
            span: e.expr.span(),
            def: Some(p.to_token_stream()),
        }),
    }
}

/// The plan of an attribute set, or `None` when it cannot be expanded.
pub fn set<'a>(cx: &mut Ctxt, c: &Container<'a>, default_crate: &str) -> Option<SetPlan<'a>> {
    let lifetime = one_lifetime(cx, c.generics, "an attribute set");
    let mut fields = Vec::new();
    let mut unknown: Option<&Ident> = None;
    for (i, f) in c.fields.iter().enumerate() {
        let Some(plan) = field(cx, f, i) else {
            continue;
        };
        if let Kind::Unknown = plan.kind {
            if let Some(prev) = unknown {
                cx.error_help(
                    f.ident.span(),
                    format!(
                        "more than one `unknown` field (`{}` already keeps unknown attributes)",
                        ast::unraw(prev)
                    ),
                    "keep unknown attributes in one field",
                );
            }
            unknown = Some(f.ident);
            if let Some(deny) = c.opts.deny_unknown {
                cx.error_help(
                    deny,
                    "conflicting options `deny_unknown` and a field marked `unknown`",
                    "`deny_unknown` rejects unknown attributes, so there is nothing to keep: remove one",
                );
            }
        }
        fields.push(plan);
    }
    resolve_selectors(cx, &mut fields);
    // Duplicate literal ids.
    let mut seen: BTreeMap<u64, &str> = BTreeMap::new();
    for f in &fields {
        let Some(Num {
            lit: Some(v), span, ..
        }) = f.id()
        else {
            continue;
        };
        if let Some(prev) = seen.get(v) {
            cx.error_help(
                *span,
                format!("duplicate attribute id {v}: field `{prev}` has it too"),
                "every attribute of a set needs its own id",
            );
        } else {
            seen.insert(*v, &f.name);
        }
    }
    if cx.has_errors() {
        return None;
    }
    Some(SetPlan {
        ident: c.ident,
        generics: c.generics,
        lifetime,
        private: private_path(c.opts.krate.as_ref(), default_crate),
        deny_unknown: c.opts.deny_unknown.is_some(),
        fields,
    })
}

/// Link each sub-message field to its selector: a field of the same set that is one attribute
/// (not `multi`, not itself a sub-message).
fn resolve_selectors(cx: &mut Ctxt, fields: &mut [FieldPlan<'_>]) {
    let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    let mut found = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let Kind::Attr(AttrPlan { sub: Some(sub), .. }) = &f.kind else {
            continue;
        };
        let target = fields.iter().enumerate().find(|(_, g)| g.name == sub.name);
        let Some((j, g)) = target else {
            let known: Vec<&str> = names
                .iter()
                .filter(|n| **n != f.name)
                .map(String::as_str)
                .collect();
            let help = match suggest(&sub.name, &known) {
                Some(s) => format!("did you mean `{s}`? (`selector` names a field of this struct)"),
                None => format!(
                    "`selector` names the field of this struct whose value chooses the layout of `{}`",
                    f.name
                ),
            };
            cx.error_spanned_help(
                &sub.ident,
                format!("`selector = {}`: no field `{}`", sub.name, sub.name),
                help,
            );
            continue;
        };
        match &g.kind {
            Kind::Attr(a) if a.repeat == Repeat::Once && a.sub.is_none() && i != j => {
                found.push((i, j, a.id.clone(), a.presence == Presence::Optional));
            }
            _ => cx.error_spanned_help(
                &sub.ident,
                format!("`selector = {}`: `{}` cannot select a layout", sub.name, sub.name),
                "the selector is a field holding one attribute (a string or an integer, not `multi`, a flag or a sub-message)",
            ),
        }
    }
    for (i, j, id, optional) in found {
        let name = fields.get(j).map(|g| g.name.clone()).unwrap_or_default();
        if let Some(FieldPlan {
            kind: Kind::Attr(AttrPlan { sub: Some(sub), .. }),
            ..
        }) = fields.get_mut(i)
        {
            sub.index = j;
            sub.name = name;
            sub.id = id;
            sub.optional = optional;
        }
    }
}

/// The codec options (at most one), in the order given.
const CODEC_WORDS: [Word; 5] = [
    Word::Nested,
    Word::BigEndian,
    Word::Uint,
    Word::Sint,
    Word::Fixed,
];

fn conflict(cx: &mut Ctxt, a: Word, b: (Word, Span), help: &str) {
    cx.error_help(
        b.1,
        format!("conflicting options `{}` and `{}`", a.name(), b.0.name()),
        help,
    );
}

fn field<'a>(cx: &mut Ctxt, f: &Field<'a>, index: usize) -> Option<FieldPlan<'a>> {
    let special = [Word::Unknown, Word::Skip]
        .into_iter()
        .find(|w| f.opts.has(*w).is_some());
    let kind = match special {
        Some(special) => special_field(cx, f, special)?,
        None => {
            let id = field_id(cx, f, index);
            if f.opts.has(Word::Flag).is_some() {
                flag_field(cx, f, id)?
            } else {
                attr_field(cx, f, id)?
            }
        }
    };
    Some(FieldPlan {
        ident: f.ident,
        name: f.name.clone(),
        ty: f.ty,
        kind,
    })
}

/// A field that is not one attribute of its own: `unknown` (the attributes no field declares)
/// or `skip` (off the wire).
fn special_field<'a>(cx: &mut Ctxt, f: &Field<'a>, special: Word) -> Option<Kind<'a>> {
    let o = &f.opts;
    let mut ok = true;
    if let Some(id) = &o.id {
        ok = false;
        cx.error_spanned_help(
            &id.expr,
            format!("a `{}` field has no attribute id", special.name()),
            if special == Word::Skip {
                "`skip` leaves the field off the wire: remove the id"
            } else {
                "the `unknown` field keeps the attributes whose ids no field declares: remove the id"
            },
        );
    }
    for &(w, span) in &o.words {
        if w != special {
            ok = false;
            conflict(cx, special, (w, span), "remove one of them");
        }
    }
    for b in &o.bounds {
        ok = false;
        cx.error_help(
            b.span,
            format!("`{}` on a `{}` field", b.bound.name(), special.name()),
            "bounds apply to an attribute's value: remove it",
        );
    }
    if let Some((_, span)) = &o.repr {
        ok = false;
        cx.error_help(
            *span,
            format!("`repr` on a `{}` field", special.name()),
            "`repr` carries one attribute's value as another integer type: remove it",
        );
    }
    if let Some((_, span)) = &o.selector {
        ok = false;
        cx.error_help(
            *span,
            format!("`selector` on a `{}` field", special.name()),
            "`selector` goes on a sub-message field, naming the field that chooses its layout: remove it",
        );
    }
    if special == Word::Unknown && ast::vec_elem(f.ty).is_none() {
        ok = false;
        cx.error_spanned_help(
            f.ty,
            format!("`unknown` on `{}`", ty_string(f.ty)),
            "keep unknown attributes in a `Vec<OwnedAttr>` (owned) or a `Vec<Attr<'a>>` (borrowed)",
        );
    }
    if !ok {
        None
    } else if special == Word::Skip {
        Some(Kind::Skip)
    } else {
        Some(Kind::Unknown)
    }
}

/// The field's attribute id (`None` when missing or invalid: reported here).
fn field_id(cx: &mut Ctxt, f: &Field<'_>, index: usize) -> Option<Num> {
    let o = &f.opts;
    match &o.id {
        Some(e) => num(
            cx,
            e,
            "attribute id",
            MAX_ID,
            "attribute ids are 14 bits: 0..=16383",
            format!("__NLA_ID_{index}"),
        ),
        None if o.invalid => None,
        None => {
            cx.error_help(
                f.ident.span(),
                format!("missing attribute id for field `{}`", f.name),
                "add `#[nla(id = N)]` with the kernel's attribute number, or `#[nla(skip)]` to leave the field off the wire",
            );
            None
        }
    }
}

/// A `flag` field: a `bool`, no other option.
fn flag_field<'a>(cx: &mut Ctxt, f: &Field<'a>, id: Option<Num>) -> Option<Kind<'a>> {
    let o = &f.opts;
    let mut ok = id.is_some();
    for &(w, span) in &o.words {
        if w != Word::Flag {
            ok = false;
            conflict(
                cx,
                Word::Flag,
                (w, span),
                "a flag is present (true) or absent (false): it takes no other option",
            );
        }
    }
    for b in &o.bounds {
        ok = false;
        cx.error_help(
            b.span,
            format!("`{}` on a `flag`", b.bound.name()),
            "a flag is present (true) or absent (false): it takes no other option",
        );
    }
    for (name, span) in [
        o.repr.as_ref().map(|r| ("repr", r.1)),
        o.selector.as_ref().map(|r| ("selector", r.1)),
    ]
    .into_iter()
    .flatten()
    {
        ok = false;
        cx.error_help(
            span,
            format!("`{name}` on a `flag`"),
            "a flag is present (true) or absent (false): it takes no other option",
        );
    }
    match classify(f.ty) {
        Ty::Bool => {}
        Ty::Option(inner) if matches!(classify(inner), Ty::Bool) => {
            ok = false;
            cx.error_spanned_help(
                f.ty,
                "`flag` on `Option<bool>`",
                "a flag is already optional (absent = false): make the field a `bool`",
            );
        }
        _ => {
            ok = false;
            cx.error_spanned_help(
                f.ty,
                format!("`flag` on `{}`: a flag is a `bool`", ty_string(f.ty)),
                "make the field a `bool`, or remove `flag` to send the value as it is",
            );
        }
    }
    match (ok, id) {
        (true, Some(id)) => Some(Kind::Flag { id }),
        _ => None,
    }
}

/// A field that is one attribute (or one per element, `multi`): its structure (`multi`,
/// `array`, `keyed`), its codec, and whether it is optional.
fn attr_field<'a>(cx: &mut Ctxt, f: &Field<'a>, id: Option<Num>) -> Option<Kind<'a>> {
    let o = &f.opts;
    let mut ok = id.is_some();
    // Structure options: multi, array, keyed (one at most).
    let structure: Vec<(Word, Span)> = o
        .words
        .iter()
        .copied()
        .filter(|(w, _)| matches!(w, Word::Multi | Word::Array | Word::Keyed | Word::Packed))
        .collect();
    if let [first, rest @ ..] = structure.as_slice() {
        for b in rest {
            ok = false;
            conflict(
                cx,
                first.0,
                *b,
                "`multi` repeats the attribute, `array` nests elements numbered 1..n, `keyed` nests entries typed by their key, `packed` writes them back to back: choose one",
            );
        }
    }
    let structure = structure.first().map(|s| s.0);
    // Codec options (one at most; with `multi`, `array` or `keyed` they apply to the elements).
    let codecs: Vec<(Word, Span)> = o
        .words
        .iter()
        .copied()
        .filter(|(w, _)| CODEC_WORDS.contains(w))
        .collect();
    if let [first, rest @ ..] = codecs.as_slice() {
        for b in rest {
            ok = false;
            conflict(cx, first.0, *b, "a value has one encoding: choose one");
        }
    }
    let codec = codecs.first().copied();
    let default = o.has(Word::Default);
    let repr = o.repr.as_ref();
    if let Some((_, span)) = &o.selector {
        let other = structure
            .map(|w| w.name())
            .or(codec.map(|c| c.0.name()))
            .or(repr.map(|_| "repr"))
            .or(default.map(|_| "default"));
        if let Some(other) = other {
            ok = false;
            cx.error_help(
                *span,
                format!("conflicting options `selector` and `{other}`"),
                "a sub-message is one nest whose layout its selector chooses: it takes no other option",
            );
        }
    }

    // `Option<T>`.
    let (optional, value_ty) = match classify(f.ty) {
        Ty::Option(inner) => (true, inner),
        _ => (false, f.ty),
    };
    if optional {
        if let Some(span) = default {
            ok = false;
            cx.error_help(
                span,
                "`default` on an `Option` field",
                "an absent attribute already decodes as `None`: remove `default`, or drop the `Option`",
            );
        }
        if matches!(classify(value_ty), Ty::Option(_)) {
            ok = false;
            cx.error_spanned_help(
                f.ty,
                "unsupported field type: `Option<Option<T>>`",
                "an attribute is present or absent: use one `Option`",
            );
        }
    }

    let id_or_dummy = || {
        id.clone().unwrap_or(Num {
            lit: None,
            tokens: quote!(0),
            span: Span::call_site(),
            def: None,
        })
    };

    let kind = match structure {
        Some(Word::Multi) => {
            if optional {
                ok = false;
                cx.error_spanned_help(
                    f.ty,
                    "a `multi` field cannot be an `Option`",
                    "absent repeated attributes decode as an empty `Vec`: use `Vec<T>`",
                );
            }
            if let Some(span) = default {
                ok = false;
                cx.error_help(
                    span,
                    "`default` on a `multi` field",
                    "absent repeated attributes already decode as an empty `Vec`: remove `default`",
                );
            }
            let Some(elem) = ast::vec_elem(value_ty) else {
                cx.error_spanned_help(
                    f.ty,
                    format!("`multi` on `{}`", ty_string(f.ty)),
                    "`multi` repeats the attribute once per element of a `Vec<T>`",
                );
                return None;
            };
            let (codec, nested_check) = element(cx, elem, codec, repr, "element")?;
            Kind::Attr(AttrPlan {
                id: id_or_dummy(),
                repeat: Repeat::Multi,
                presence: Presence::EmptyIfAbsent,
                value_ty: elem,
                codec,
                nested_check,
                lazy_elem: None,
                checks: Vec::new(),
                sub: None,
            })
        }
        Some(Word::Array) => {
            let presence = presence(optional, default, true);
            if let Some(elem) = ast::vec_elem(value_ty) {
                let (ec, nested_check) = element(cx, elem, codec, repr, "element")?;
                Kind::Attr(AttrPlan {
                    repeat: Repeat::Once,
                    id: id_or_dummy(),
                    presence,
                    value_ty,
                    codec: Codec::Array(Box::new(ec)),
                    nested_check,
                    lazy_elem: None,
                    checks: Vec::new(),
                    sub: None,
                })
            } else if let Ty::Other = classify(value_ty) {
                // A lazily decoded array such as `ArrayView<'a, T>`: its own impl.
                if let Some((_, span)) = repr {
                    cx.error_help(
                        *span,
                        "`repr` with `array` needs a `Vec<T>` field",
                        "element options apply to the elements of a `Vec<T>`; other array types use their own encoding",
                    );
                    return None;
                }
                if let Some((w, span)) = codec {
                    cx.error_help(
                        span,
                        format!("`{}` with `array` needs a `Vec<T>` field", w.name()),
                        "element options apply to the elements of a `Vec<T>`; other array types use their own encoding",
                    );
                    return None;
                }
                Kind::Attr(AttrPlan {
                    repeat: Repeat::Once,
                    id: id_or_dummy(),
                    presence: if optional {
                        Presence::Optional
                    } else if default.is_some() {
                        Presence::Default
                    } else {
                        Presence::Required
                    },
                    value_ty,
                    codec: Codec::Native,
                    nested_check: None,
                    lazy_elem: ast::last_type_arg(value_ty),
                    checks: Vec::new(),
                    sub: None,
                })
            } else {
                cx.error_spanned_help(
                    f.ty,
                    format!("`array` on `{}`", ty_string(f.ty)),
                    "an indexed array is a `Vec<T>` (or a lazily decoded `ArrayView<'a, T>`)",
                );
                return None;
            }
        }
        Some(Word::Packed) => {
            let elem = ast::vec_elem(value_ty);
            let int = elem.is_some_and(|e| matches!(classify(e), Ty::Int { .. }));
            if !int {
                cx.error_spanned_help(
                    f.ty,
                    format!("`packed` on `{}`", ty_string(f.ty)),
                    "a packed array is a `Vec` of integers (`Vec<u32>`, `Vec<i64>`, ...), written back to back in host order",
                );
                return None;
            }
            if let Some((_, span)) = repr {
                cx.error_help(
                    *span,
                    "`repr` with `packed`",
                    "a packed array's elements are in host order, each its own size: remove `repr`",
                );
                return None;
            }
            if let Some((w, span)) = codec {
                cx.error_help(
                    span,
                    format!("`{}` with `packed`", w.name()),
                    "a packed array's elements are in host order, each its own size: remove the option",
                );
                return None;
            }
            Kind::Attr(AttrPlan {
                repeat: Repeat::Once,
                id: id_or_dummy(),
                presence: presence(optional, default, true),
                value_ty,
                codec: Codec::Packed,
                nested_check: None,
                lazy_elem: None,
                checks: Vec::new(),
                sub: None,
            })
        }
        Some(_) => {
            // keyed
            let (Ty::Pairs(v) | Ty::Map(v)) = classify(value_ty) else {
                cx.error_spanned_help(
                    f.ty,
                    format!("`keyed` on `{}`", ty_string(f.ty)),
                    "a keyed nest is a `Vec<(K, V)>` or a `BTreeMap<K, V>` whose keys are the entries' attribute types",
                );
                return None;
            };
            // A keyed nest of keyed nests: the inner one is a value kind of its own.
            let (ec, nested_check) = match (classify(v), codec) {
                (Ty::Pairs(_) | Ty::Map(_), None) => (Codec::Native, None),
                _ => element(cx, v, codec, repr, "value")?,
            };
            Kind::Attr(AttrPlan {
                repeat: Repeat::Once,
                id: id_or_dummy(),
                presence: presence(optional, default, true),
                value_ty,
                codec: Codec::Keyed(Box::new(ec)),
                nested_check,
                lazy_elem: None,
                checks: Vec::new(),
                sub: None,
            })
        }
        None => {
            let (codec, nested_check) = element(cx, value_ty, codec, repr, "field")?;
            Kind::Attr(AttrPlan {
                repeat: Repeat::Once,
                id: id_or_dummy(),
                presence: presence(optional, default, false),
                value_ty,
                codec,
                nested_check,
                lazy_elem: None,
                checks: Vec::new(),
                sub: None,
            })
        }
    };
    let mut kind = kind;
    if let Kind::Attr(a) = &mut kind {
        let structure_ok = !matches!(structure, Some(Word::Array | Word::Keyed));
        ok &= bounds(cx, f, a, structure_ok);
        if let Some((ident, _)) = &o.selector {
            a.sub = Some(Box::new(SubPlan {
                ident: ident.clone(),
                index: usize::MAX,
                name: ast::unraw(ident),
                id: id_or_dummy(),
                optional: false,
            }));
        }
    }
    ok.then_some(kind)
}

/// The rules of `min`, `max`, `min_len`, `max_len`, `exact_len`: values bound integers, lengths
/// strings and bytes (of the field, or of each element of a `multi` field); `exact_len` is both
/// lengths; a lower bound is not above the upper one. Records them in the plan.
fn bounds(cx: &mut Ctxt, f: &Field<'_>, a: &mut AttrPlan<'_>, structure_ok: bool) -> bool {
    let given = &f.opts.bounds;
    if given.is_empty() {
        return true;
    }
    let mut ok = true;
    let what = if a.repeat == Repeat::Multi {
        "element"
    } else {
        "field"
    };
    let tys = ty_string(a.value_ty);
    let class = classify(a.value_ty);
    let int = matches!(class, Ty::Int { .. })
        && matches!(
            a.codec,
            Codec::Native | Codec::BigEndian | Codec::VarUint | Codec::VarSint
        );
    let bytes = matches!(class, Ty::Str | Ty::ByteBuf) && matches!(a.codec, Codec::Native);
    let unsigned = matches!(class, Ty::Int { signed: false })
        && matches!(a.codec, Codec::Native | Codec::BigEndian | Codec::VarUint);
    let bitfield = matches!(class, Ty::Scalar) && tys.ends_with("BitField32");
    for b in given {
        let name = b.bound.name();
        if !structure_ok {
            ok = false;
            cx.error_help(
                b.span,
                format!("`{name}` on an `array` or `keyed` field"),
                "bounds apply to one value: an integer, a string or bytes field, or each element of a `multi` field",
            );
        } else if b.bound == Bound::Mask {
            if !(unsigned || bitfield) {
                ok = false;
                cx.error_help(
                    b.span,
                    format!("`mask` on {what} type `{tys}`"),
                    "`mask` gives the bits an unsigned integer (`u8`..`u64`, `uint`) or a \
                     `BitField32` may set; for a range use `min` / `max`",
                );
            }
        } else if b.bound.on_value() && !int {
            ok = false;
            cx.error_help(
                b.span,
                format!("`{name}` on {what} type `{tys}`"),
                format!("`{name}` bounds an integer's value; for the length of a string or bytes use `{name}_len`"),
            );
        } else if !b.bound.on_value() && !bytes {
            ok = false;
            cx.error_help(
                b.span,
                format!("`{name}` on {what} type `{tys}`"),
                "lengths bound a string or bytes (`String`, `&str`, `Vec<u8>`, `&[u8]`); for an integer's value use `min` / `max`",
            );
        }
    }
    let find = |bound| given.iter().find(|b| b.bound == bound);
    if let Some(exact) = find(Bound::ExactLen) {
        for other in [Bound::MinLen, Bound::MaxLen] {
            if find(other).is_some() {
                ok = false;
                cx.error_help(
                    exact.span,
                    format!("`exact_len` with `{}`", other.name()),
                    "`exact_len = N` is `min_len = N, max_len = N`: keep one of them",
                );
            }
        }
    }
    for (lo, hi) in [(Bound::Min, Bound::Max), (Bound::MinLen, Bound::MaxLen)] {
        if let (Some(l), Some(h)) = (find(lo), find(hi)) {
            if let (Some(lv), Some(hv)) = (l.lit, h.lit) {
                if lv > hv {
                    ok = false;
                    cx.error_help(
                        h.span,
                        format!("`{}` ({hv}) is below `{}` ({lv})", hi.name(), lo.name()),
                        "no value could pass: swap them or fix one",
                    );
                }
            }
        }
    }
    for b in given {
        if b.bound == Bound::Mask {
            if b.lit.is_some_and(|v| v < 0 || v > i128::from(u64::MAX)) {
                ok = false;
                cx.error_help(b.span, "`mask` out of range", "a mask is 0..=u64::MAX");
            }
        } else if !b.bound.on_value() && b.lit.is_some_and(|v| v < 0 || v > i128::from(u32::MAX)) {
            ok = false;
            cx.error_help(
                b.span,
                format!("`{}` out of range", b.bound.name()),
                "a length is 0..=4294967295",
            );
        }
    }
    a.checks = given.clone();
    ok
}

fn presence(optional: bool, default: Option<Span>, collection: bool) -> Presence {
    if optional {
        Presence::Optional
    } else if collection {
        Presence::EmptyIfAbsent
    } else if default.is_some() {
        Presence::Default
    } else {
        Presence::Required
    }
}

/// The type inside any number of `Box`es.
fn unbox(ty: &Type) -> &Type {
    match classify(ty) {
        Ty::Box(inner) => unbox(inner),
        _ => ty,
    }
}

/// The codec of one value (a field, or an element of `multi`/`array`) under codec option `opt`.
fn element<'a>(
    cx: &mut Ctxt,
    ty: &'a Type,
    opt: Option<(Word, Span)>,
    repr: Option<&(Type, Span)>,
    what: &str,
) -> Option<(Codec, Option<&'a Type>)> {
    let class = classify(ty);
    let tys = ty_string(ty);
    if let Ty::Unsupported(msg, help) = class {
        cx.error_spanned_help(ty, format!("unsupported {what} type `{tys}`: {msg}"), help);
        return None;
    }
    if let Some((rty, span)) = repr {
        return repr_element(cx, &class, &tys, rty, *span, opt, what).map(|c| (c, None));
    }
    let Some((word, span)) = opt else {
        return match class {
            Ty::Vec => {
                cx.error_spanned_help(
                    ty,
                    format!("unsupported {what} type `{tys}`: a list needs to say how it is sent"),
                    "add `multi` (the attribute repeats once per element) or `array` (one nest, elements numbered 1..n)",
                );
                None
            }
            Ty::Pairs(_) | Ty::Map(_) => {
                cx.error_spanned_help(
                    ty,
                    format!("unsupported {what} type `{tys}` without `keyed`"),
                    "add `keyed`: a nest whose entries' attribute types are the keys",
                );
                None
            }
            Ty::Option(_) => {
                cx.error_spanned_help(
                    ty,
                    format!("unsupported {what} type `{tys}`"),
                    "only a field itself can be an `Option`",
                );
                None
            }
            _ => Some((Codec::Native, None)),
        };
    };
    let int = |signed: Option<bool>| match class {
        Ty::Int { signed: s } => signed.is_none_or(|x| x == s),
        Ty::Other => true,
        _ => false,
    };
    match word {
        Word::BigEndian if int(None) => Some((Codec::BigEndian, None)),
        Word::BigEndian => {
            let help = if let Ty::Str = class {
                "a string has no byte order: remove `big_endian`"
            } else {
                "`big_endian` applies to integers (u8..u64, i8..i64); remove it"
            };
            cx.error_help(span, format!("`big_endian` on {what} type `{tys}`"), help);
            None
        }
        Word::Uint if int(Some(false)) => Some((Codec::VarUint, None)),
        Word::Sint if int(Some(true)) => Some((Codec::VarSint, None)),
        Word::Uint | Word::Sint => {
            let (this, other) = if word == Word::Uint {
                ("uint", "sint")
            } else {
                ("sint", "uint")
            };
            let help = if let Ty::Int { .. } = class {
                format!(
                    "`{this}` is for {} integers: use `{other}`",
                    if word == Word::Uint {
                        "unsigned"
                    } else {
                        "signed"
                    }
                )
            } else {
                format!("`{this}` (a 4- or 8-byte integer) applies to integers: remove it")
            };
            cx.error_help(span, format!("`{this}` on {what} type `{tys}`"), help);
            None
        }
        Word::Fixed => match class {
            Ty::Other | Ty::Int { .. } | Ty::ByteArray => Some((Codec::Fixed, None)),
            _ => {
                cx.error_help(
                    span,
                    format!("`fixed` on {what} type `{tys}`"),
                    "`fixed` sends a zerocopy `#[repr(C)]` struct as its bytes; other types use their own encoding: remove it",
                );
                None
            }
        },
        _ => {
            // nested
            let inner = unbox(ty);
            let inner_class = classify(inner);
            if inner_class.is_scalar() {
                cx.error_help(
                    span,
                    format!("`nested` on scalar {what} type `{tys}`"),
                    "`nested` is for attribute sets (structs deriving `NlAttrs`): remove it",
                );
                return None;
            }
            if let Ty::Vec | Ty::Pairs(_) | Ty::Map(_) | Ty::Option(_) = inner_class {
                cx.error_help(
                    span,
                    format!("`nested` on {what} type `{tys}`"),
                    "`nested` is for one attribute set; for a list of sets use `array` or `multi` with `nested`",
                );
                return None;
            }
            Some((Codec::Native, Some(inner)))
        }
    }
}

/// The codec of a value under `repr = W` (and at most one of `big_endian`, `uint`, `sint` for
/// `W`): the value must be an integer or a type of its own (an enum implementing `IntValue`).
fn repr_element(
    cx: &mut Ctxt,
    class: &Ty<'_>,
    tys: &str,
    rty: &Type,
    span: Span,
    opt: Option<(Word, Span)>,
    what: &str,
) -> Option<Codec> {
    let Ty::Int { signed } = classify(rty) else {
        cx.error_spanned_help(
            rty,
            format!("`repr` takes an integer type, not `{}`", ty_string(rty)),
            "write `repr = u32` (u8, u16, u32, u64, i8, i16, i32 or i64): the integer the value is on the wire",
        );
        return None;
    };
    if !matches!(class, Ty::Int { .. } | Ty::Other) {
        cx.error_help(
            span,
            format!("`repr` on {what} type `{tys}`"),
            "`repr` carries an integer, or an enum implementing `IntValue`, as another integer type: remove it",
        );
        return None;
    }
    let inner = match opt {
        None => Codec::Native,
        Some((Word::BigEndian, _)) => Codec::BigEndian,
        Some((Word::Uint, _)) if !signed => Codec::VarUint,
        Some((Word::Sint, _)) if signed => Codec::VarSint,
        Some((w @ (Word::Uint | Word::Sint), wspan)) => {
            cx.error_help(
                wspan,
                format!("`{}` with `repr = {}`", w.name(), ty_string(rty)),
                if signed {
                    "`uint` is for unsigned integers: use `sint` with a signed `repr`"
                } else {
                    "`sint` is for signed integers: use `uint` with an unsigned `repr`"
                },
            );
            return None;
        }
        Some((w, wspan)) => {
            cx.error_help(
                wspan,
                format!("conflicting options `repr` and `{}`", w.name()),
                "`repr` carries an integer value; `nested` and `fixed` have encodings of their own: choose one",
            );
            return None;
        }
    };
    Some(Codec::Repr(Box::new(rty.clone()), Box::new(inner)))
}

/// The plan of a `GenlMessage` enum.
pub fn message<'a>(cx: &mut Ctxt, m: &Message<'a>) -> Option<MessagePlan<'a>> {
    let lifetime = one_lifetime(cx, m.generics, "a `GenlMessage` enum");
    for p in &m.generics.params {
        match p {
            syn::GenericParam::Lifetime(_) => {}
            other => cx.error_spanned_help(
                other,
                "`GenlMessage` enums cannot have type or const parameters",
                "name the attribute-set types of the variants directly",
            ),
        }
    }
    let family = match &m.opts.family {
        Some(f) => {
            let v = f.value();
            if v.is_empty() || v.len() > 15 {
                cx.error_spanned_help(
                    f,
                    format!("family name {f:?} must be 1 to 15 bytes", f = v),
                    "the kernel's GENL_NAMSIZ is 16 bytes including the NUL",
                );
            }
            Some(f.clone())
        }
        None => {
            let help = "add `#[genl(family = \"name\", version = N)]` above the enum, with the name the kernel registered";
            cx.error_help(m.ident.span(), "missing family name", help);
            None
        }
    };
    if m.variants.is_empty() {
        cx.error_help(
            m.ident.span(),
            "a `GenlMessage` enum needs at least one variant",
            "add one variant per command: `#[genl(cmd = 1)] Get(Set)`",
        );
    }
    let mut variants = Vec::new();
    let mut decodable: BTreeMap<u64, String> = BTreeMap::new();
    let mut requests: BTreeMap<u64, String> = BTreeMap::new();
    for (index, v) in m.variants.iter().enumerate() {
        let Some(e) = &v.opts.cmd else {
            if v.opts.invalid {
                continue;
            }
            cx.error_help(
                v.ident.span(),
                format!("missing command number for variant `{}`", v.ident),
                "add `#[genl(cmd = N)]` with the kernel's command number",
            );
            continue;
        };
        let Some(cmd) = num(
            cx,
            e,
            "command",
            255,
            "the genl header's command is a u8: 0..=255",
            format!("__NLA_CMD_{index}"),
        ) else {
            continue;
        };
        let request = v.opts.request.is_some();
        if let Some(n) = cmd.lit {
            let (group, what) = if request {
                (&mut requests, "request")
            } else {
                (&mut decodable, "decodable")
            };
            if let Some(prev) = group.get(&n) {
                let help = if request {
                    format!(
                        "two request variants cannot share a command: `{prev}` already sends {n}"
                    )
                } else {
                    format!(
                        "two {what} variants cannot share a command: `{prev}` already decodes {n}; \
                         if one is only ever sent (e.g. ethtool's GET request and its reply share a number), mark it `#[genl(cmd = {n}, request)]`"
                    )
                };
                cx.error_help(cmd.span, format!("duplicate command {n}"), help);
            } else {
                group.insert(n, v.ident.to_string());
            }
        }
        variants.push(VariantPlan {
            ident: v.ident,
            ty: v.ty,
            cmd,
            request,
            answer: AnswerPlan::Undeclared,
            doit: None,
            dumpit: None,
            mcast: None,
            event: None,
            flags: Vec::new(),
        });
    }
    ops(cx, m, &mut variants);
    // Answers, once every variant's command is known (a reply may be declared below).
    for v in &m.variants {
        let answer = match (&v.opts.reply, v.opts.ack) {
            (Some(target), _) => reply(cx, m, &variants, target),
            (None, Some(_)) => Some(AnswerPlan::Ack),
            (None, None) => None,
        };
        if let (Some(answer), Some(plan)) =
            (answer, variants.iter_mut().find(|p| p.ident == v.ident))
        {
            plan.answer = answer;
        }
    }
    if cx.has_errors() {
        return None;
    }
    Some(MessagePlan {
        ident: m.ident,
        generics: m.generics,
        lifetime,
        private: private_path(m.opts.krate.as_ref(), "netlink_genl"),
        family: family?,
        version: m.opts.version.as_ref().map_or(1, |v| v.0),
        header: m.opts.header.clone(),
        groups: (m.opts.groups.iter().flatten())
            .map(LitStr::value)
            .collect(),
        kernel_policy: m.opts.kernel_policy.as_ref().map(ToString::to_string),
        variants,
    })
}

/// The op declarations (`do`, `dump`, `mcast`, `event`) of every variant, checked against the
/// enum: lists need a set to name fields of, a group must be one of `groups(..)`.
fn ops<'a>(cx: &mut Ctxt, m: &Message<'a>, plans: &mut [VariantPlan<'a>]) {
    for v in &m.variants {
        let Some(i) = plans.iter().position(|p| p.ident == v.ident) else {
            continue;
        };
        let reply_ty = match &v.opts.reply {
            Some(target) => m
                .variants
                .iter()
                .find(|x| ast::unraw(x.ident) == ast::unraw(target))
                .and_then(|x| x.ty),
            None => v.ty,
        };
        let name = ast::unraw(v.ident);
        let no_set = |cx: &mut Ctxt, span: proc_macro2::Span, what: &str, whose: &str| {
            cx.error_help(
                span,
                format!("`{what}` lists fields, and {whose} holds no attribute set"),
                format!(
                    "remove the list (write `{what}` alone for a `do`/`dump`), or give the \
                     variant a set: `{name}(Set)`"
                ),
            );
        };
        let plan_op = |cx: &mut Ctxt, op: &(proc_macro2::Span, crate::attr::OpDecl), what| {
            let (span, decl) = op;
            // An empty list is what a unit variant carries.
            let listed = |l: &Option<Vec<Ident>>| l.as_ref().is_some_and(|l| !l.is_empty());
            if listed(&decl.request) && v.ty.is_none() {
                no_set(cx, *span, what, &format!("`{name}`"));
            }
            if listed(&decl.reply) && reply_ty.is_none() {
                no_set(cx, *span, what, "its reply");
            }
            OpPlan {
                request: decl.request.clone(),
                reply: decl.reply.clone(),
                reply_ty,
            }
        };
        let doit = v.opts.doit.as_ref().map(|o| plan_op(cx, o, "do"));
        let dumpit = v.opts.dumpit.as_ref().map(|o| plan_op(cx, o, "dump"));
        if let Some((span, list)) = &v.opts.event {
            if v.ty.is_none() && !list.is_empty() {
                no_set(cx, *span, "event", &format!("`{name}`"));
            }
        }
        if v.opts.request.is_some() {
            let notify = v.opts.mcast.as_ref().map(|l| l.span());
            if let Some(span) = notify.or(v.opts.event.as_ref().map(|e| e.0)) {
                cx.error_help(
                    span,
                    format!("`{name}` is a `request` variant, which is never received: it cannot be a notification"),
                    "put `mcast`/`event` on the variant that decodes the notification, or remove \
                     `request`",
                );
            }
        }
        if let (Some(group), Some(groups)) = (&v.opts.mcast, &m.opts.groups) {
            if !groups.iter().any(|g| g.value() == group.value()) {
                let list: Vec<String> = groups.iter().map(|g| format!("{:?}", g.value())).collect();
                cx.error_spanned_help(
                    group,
                    format!(
                        "group {:?} is not one of the enum's `groups(..)`",
                        group.value()
                    ),
                    format!(
                        "name one of {}, or add it to `groups(..)` above the enum",
                        list.join(", ")
                    ),
                );
            }
        }
        let flags = op_flags(cx, v);
        let Some(plan) = plans.get_mut(i) else {
            continue;
        };
        plan.flags = flags;
        plan.doit = doit;
        plan.dumpit = dumpit;
        plan.mcast = v.opts.mcast.as_ref().map(LitStr::value);
        plan.event = v.opts.event.as_ref().map(|e| e.1.clone());
    }
}

/// Resolve `reply = target`: a decodable variant of the same enum. `None` after an error, or
/// when the target has an error of its own (already reported).
fn reply(
    cx: &mut Ctxt,
    m: &Message<'_>,
    plans: &[VariantPlan<'_>],
    target: &Ident,
) -> Option<AnswerPlan> {
    let name = ast::unraw(target);
    let decodable: Vec<String> = m
        .variants
        .iter()
        .filter(|v| v.opts.request.is_none())
        .map(|v| ast::unraw(v.ident))
        .collect();
    let list = decodable.join(", ");
    let enum_name = ast::unraw(m.ident);
    let Some(found) = m.variants.iter().find(|v| ast::unraw(v.ident) == name) else {
        let known: Vec<&str> = decodable.iter().map(String::as_str).collect();
        let help = match suggest(&name, &known) {
            Some(s) => {
                format!("did you mean `{s}`? (variants of `{enum_name}` a reply can be: {list})")
            }
            None if decodable.is_empty() => format!(
                "`{enum_name}` has no variant a reply can be: declare the reply as a variant without \
                 `request`, e.g. `#[genl(cmd = N)] Reply(Set)`, and name it here"
            ),
            None => format!(
                "name a variant of `{enum_name}` that the kernel sends (not a `request` one): {list}"
            ),
        };
        cx.error_spanned_help(
            target,
            format!("`reply = {name}`: `{enum_name}` has no variant `{name}`"),
            help,
        );
        return None;
    };
    if found.opts.request.is_some() {
        // A decodable variant with the same number is most likely what was meant (ethtool's
        // `*_GET` request and `*_GET_REPLY` share a number).
        let cmd = plans
            .iter()
            .find(|p| p.ident == found.ident)
            .and_then(|p| p.cmd.lit);
        let twin = cmd.and_then(|n| {
            plans
                .iter()
                .find(|p| !p.request && p.cmd.lit == Some(n))
                .map(|p| (ast::unraw(p.ident), n))
        });
        let help = match twin {
            Some((twin, n)) => format!(
                "a reply is decoded, and `{name}` is only ever sent: did you mean `{twin}`, \
                 which decodes command {n}?"
            ),
            None if decodable.is_empty() => format!(
                "a reply is decoded, and `{name}` is only ever sent: declare the reply as a variant \
                 without `request` and name it here"
            ),
            None => format!(
                "a reply is decoded, and `{name}` is only ever sent: name a variant without \
                 `request` ({list})"
            ),
        };
        cx.error_spanned_help(
            target,
            format!("`reply = {name}` names a `request` variant, which cannot be decoded"),
            help,
        );
        return None;
    }
    let plan = plans.iter().find(|p| p.ident == found.ident)?;
    Some(AnswerPlan::Reply(plan.cmd.clone()))
}

/// The operation flags of a variant (`admin_perm`, `uns_admin_perm`, `dont_validate(..)`),
/// each checked against the operations it declares: a flag describes a do or a dump.
fn op_flags(cx: &mut Ctxt, v: &crate::ast::Variant<'_>) -> Vec<String> {
    let name = ast::unraw(v.ident);
    let (has_do, has_dump) = (v.opts.doit.is_some(), v.opts.dumpit.is_some());
    let mut out = Vec::new();
    for (word, span) in [
        ("admin_perm", v.opts.admin_perm),
        ("uns_admin_perm", v.opts.uns_admin_perm),
    ] {
        let Some(span) = span else { continue };
        if !has_do && !has_dump {
            cx.error_help(
                span,
                format!(
                    "`{word}` describes an operation, and `{name}` declares neither `do` nor `dump`"
                ),
                format!(
                    "add `do` or `dump` (how the kernel accepts the command), or remove `{word}`"
                ),
            );
        }
        out.push(word.to_owned());
    }
    if let Some((_, items)) = &v.opts.dont_validate {
        for item in items {
            let word = item.to_string();
            let (needs, has) = if word == "strict" {
                ("do", has_do)
            } else {
                ("dump", has_dump)
            };
            if !has {
                cx.error_spanned_help(
                    item,
                    format!("`dont_validate({word})` is about {needs} requests, and `{name}` declares no `{needs}`"),
                    format!("add `{needs}`, or remove `{word}`"),
                );
            }
            out.push(word);
        }
    }
    out
}
