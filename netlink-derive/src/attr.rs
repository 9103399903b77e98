//! Stage 1: parse the `#[nla(...)]` and `#[genl(...)]` options into plain structs.
//!
//! Every problem is recorded in the [`Ctxt`] and parsing goes on with the next option, so all
//! mistakes are reported together. Nothing here looks at types or at other fields: that is
//! [`check`](crate::check)'s job.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitInt, LitStr, Meta, Token};

use crate::ctxt::{Ctxt, suggest};

/// The bare-word options of a field (`#[nla(id = 1, big_endian)]`: `big_endian`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Word {
    Nested,
    BigEndian,
    Uint,
    Sint,
    Flag,
    Fixed,
    Array,
    Multi,
    Keyed,
    Packed,
    Unknown,
    Skip,
    Default,
}

impl Word {
    pub const ALL: [Word; 13] = [
        Word::Nested,
        Word::BigEndian,
        Word::Uint,
        Word::Sint,
        Word::Flag,
        Word::Fixed,
        Word::Array,
        Word::Multi,
        Word::Keyed,
        Word::Packed,
        Word::Unknown,
        Word::Skip,
        Word::Default,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Word::Nested => "nested",
            Word::BigEndian => "big_endian",
            Word::Uint => "uint",
            Word::Sint => "sint",
            Word::Flag => "flag",
            Word::Fixed => "fixed",
            Word::Array => "array",
            Word::Multi => "multi",
            Word::Keyed => "keyed",
            Word::Packed => "packed",
            Word::Unknown => "unknown",
            Word::Skip => "skip",
            Word::Default => "default",
        }
    }

    fn from_name(s: &str) -> Option<Word> {
        Word::ALL.into_iter().find(|w| w.name() == s)
    }
}

/// A bound on an attribute (YNL `checks`), recorded in the schema.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bound {
    Min,
    Max,
    MinLen,
    MaxLen,
    ExactLen,
    /// The bits an unsigned integer (or a `BitField32`) may set.
    Mask,
}

impl Bound {
    const ALL: [Bound; 6] = [
        Bound::Min,
        Bound::Max,
        Bound::MinLen,
        Bound::MaxLen,
        Bound::ExactLen,
        Bound::Mask,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bound::Min => "min",
            Bound::Max => "max",
            Bound::MinLen => "min_len",
            Bound::MaxLen => "max_len",
            Bound::ExactLen => "exact_len",
            Bound::Mask => "mask",
        }
    }

    fn from_name(s: &str) -> Option<Bound> {
        Bound::ALL.into_iter().find(|b| b.name() == s)
    }

    /// A bound on a value (`min`, `max`), not on a length.
    pub fn on_value(self) -> bool {
        matches!(self, Bound::Min | Bound::Max)
    }
}

/// The value of a bound: an integer literal (negative for `min`/`max`) or the path of a const.
#[derive(Clone)]
pub struct BoundValue {
    pub bound: Bound,
    /// The literal's value, `None` for a const path.
    pub lit: Option<i128>,
    /// The tokens as written.
    pub tokens: proc_macro2::TokenStream,
    /// The option's span.
    pub span: Span,
}

/// Options of a struct field.
#[derive(Default)]
pub struct FieldOpts {
    /// `id = ...`.
    pub id: Option<NumExpr>,
    /// `min = ..`, `max = ..`, `min_len = ..`, `max_len = ..`, `exact_len = ..`.
    pub bounds: Vec<BoundValue>,
    /// `repr = u32`: the integer type the value is carried as, and the option's span.
    pub repr: Option<(syn::Type, Span)>,
    /// `selector = field`: the field whose value chooses this sub-message's layout.
    pub selector: Option<(syn::Ident, Span)>,
    /// Bare words in the order given, each with the span of the word.
    pub words: Vec<(Word, Span)>,
    /// An error was reported for these options (later checks stay quiet to avoid cascades).
    pub invalid: bool,
}

impl FieldOpts {
    /// The span of `w` if it was given.
    pub fn has(&self, w: Word) -> Option<Span> {
        self.words.iter().find(|(x, _)| *x == w).map(|(_, s)| *s)
    }
}

/// A number option (`id`, `cmd`): an integer literal or the path of a const.
#[derive(Clone)]
pub struct NumExpr {
    /// The expression as written (for spans).
    pub expr: Expr,
    pub kind: NumKind,
}

#[derive(Clone)]
pub enum NumKind {
    /// A literal; `None` when it does not fit a u64 (reported as out of range later).
    Lit(Option<u64>, LitInt),
    /// A const path.
    Path(syn::Path),
}

/// Options of an attribute-set struct.
#[derive(Default)]
pub struct ContainerOpts {
    pub krate: Option<syn::Path>,
    pub deny_unknown: Option<Span>,
}

/// Options of a `GenlMessage` enum.
#[derive(Default)]
pub struct GenlOpts {
    pub family: Option<LitStr>,
    pub version: Option<(u8, LitInt)>,
    pub header: Option<syn::Type>,
    pub krate: Option<syn::Path>,
    /// `groups("a", "b")`: the family's multicast groups.
    pub groups: Option<Vec<LitStr>>,
    /// `kernel_policy = split | per_op | global`.
    pub kernel_policy: Option<syn::Ident>,
    /// Any `#[genl(...)]` attribute was present on the enum.
    pub present: bool,
}

/// `do` / `dump` on a variant, with its optional attribute lists.
#[derive(Default)]
pub struct OpDecl {
    /// `request(a, b)`: the attributes a request may carry.
    pub request: Option<Vec<syn::Ident>>,
    /// `reply(a, b)`: the attributes the reply carries.
    pub reply: Option<Vec<syn::Ident>>,
}

/// Options of a `GenlMessage` variant.
#[derive(Default)]
pub struct VariantOpts {
    pub cmd: Option<NumExpr>,
    pub request: Option<Span>,
    /// `reply = Variant`: the variant (of the same enum) that answers this command.
    pub reply: Option<syn::Ident>,
    /// `ack`: the command is answered by the ACK alone.
    pub ack: Option<Span>,
    /// `do` / `do(request(..), reply(..))`: the kernel accepts the command as a do request.
    pub doit: Option<(Span, OpDecl)>,
    /// `dump` / `dump(request(..), reply(..))`: the kernel accepts it as a dump request.
    pub dumpit: Option<(Span, OpDecl)>,
    /// `mcast = "group"`: a notification sent to that multicast group.
    pub mcast: Option<LitStr>,
    /// `event(a, b)`: the attributes a notification carries.
    pub event: Option<(Span, Vec<syn::Ident>)>,
    /// `admin_perm`: the operation needs `CAP_NET_ADMIN`.
    pub admin_perm: Option<Span>,
    /// `uns_admin_perm`: the operation needs `CAP_NET_ADMIN` in the netns's user namespace.
    pub uns_admin_perm: Option<Span>,
    /// `dont_validate(strict, dump, dump_strict)`.
    pub dont_validate: Option<(Span, Vec<syn::Ident>)>,
    /// An error was reported for these options.
    pub invalid: bool,
}

const FIELD_OPTIONS: &[&str] = &[
    "id",
    "nested",
    "big_endian",
    "uint",
    "sint",
    "flag",
    "fixed",
    "array",
    "multi",
    "keyed",
    "packed",
    "unknown",
    "skip",
    "default",
    "min",
    "max",
    "min_len",
    "max_len",
    "exact_len",
    "mask",
    "repr",
    "selector",
];
const CONTAINER_OPTIONS: &[&str] = &["crate", "deny_unknown"];
const GENL_OPTIONS: &[&str] = &[
    "family",
    "version",
    "header",
    "crate",
    "groups",
    "kernel_policy",
];
const VARIANT_OPTIONS: &[&str] = &[
    "cmd",
    "request",
    "reply",
    "ack",
    "do",
    "dump",
    "mcast",
    "event",
    "admin_perm",
    "uns_admin_perm",
    "dont_validate",
];
/// The values of `kernel_policy` (YNL `kernel-policy`).
pub const KERNEL_POLICIES: &[&str] = &["split", "per_op", "global"];
/// The items of `dont_validate(..)` (YNL `dont-validate`).
pub const DONT_VALIDATE: &[&str] = &["strict", "dump", "dump_strict"];
const OP_OPTIONS: &[&str] = &["request", "reply"];

/// The option's name as written (`crate` included), or `None` for a multi-segment path.
fn option_name(meta: &ParseNestedMeta) -> Option<String> {
    meta.path.get_ident().map(|i| i.to_string())
}

/// Skip the rest of one option (`= value` or `(...)`) so parsing can go on after an error;
/// returns the skipped tokens.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<proc_macro2::TokenStream> {
    meta.input.step(|cursor| {
        let mut rest = *cursor;
        let mut skipped = proc_macro2::TokenStream::new();
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            skipped.extend([tt]);
            rest = next;
        }
        Ok((skipped, rest))
    })
}

/// Whether the option carries a value (`= ...` or `(...)`).
fn has_value(meta: &ParseNestedMeta) -> bool {
    !(meta.input.is_empty() || meta.input.peek(Token![,]))
}

/// Run `f` on every option of every `#[name(...)]` attribute in `attrs`.
fn walk(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    name: &str,
    mut f: impl FnMut(&mut Ctxt, &ParseNestedMeta) -> syn::Result<()>,
) -> bool {
    let mut present = false;
    for attr in attrs {
        if !attr.path().is_ident(name) {
            continue;
        }
        present = true;
        match &attr.meta {
            Meta::List(list) if list.tokens.is_empty() => cx.error_spanned_help(
                attr,
                format!("empty `#[{name}()]`"),
                format!("write options inside, e.g. `#[{name}({})]`", example(name)),
            ),
            Meta::List(_) => {
                if let Err(e) = attr.parse_nested_meta(|meta| f(cx, &meta)) {
                    cx.syn_error(e);
                }
            }
            _ => cx.error_spanned_help(
                attr,
                format!("expected `#[{name}(...)]`"),
                format!(
                    "write the options in parentheses, e.g. `#[{name}({})]`",
                    example(name)
                ),
            ),
        }
    }
    present
}

fn example(name: &str) -> &'static str {
    if name == "nla" { "id = 1" } else { "cmd = 1" }
}

/// Report an option this position does not know, with the closest known name.
fn unknown_option(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    what: &str,
    known: &[&str],
    misplaced: &[(&[&str], &str)],
) -> syn::Result<()> {
    let name = option_name(meta).unwrap_or_else(|| {
        let p = &meta.path;
        quote::quote!(#p).to_string().replace(' ', "")
    });
    for (list, hint) in misplaced {
        if list.contains(&name.as_str()) {
            cx.error_spanned_help(
                &meta.path,
                format!("`{name}` is not a {what}"),
                hint.replace("{}", &name),
            );
            return skip_value(meta).map(drop);
        }
    }
    let list = known.join(", ");
    match suggest(&name, known) {
        Some(s) => cx.error_spanned_help(
            &meta.path,
            format!("unknown {what} `{name}`"),
            format!("did you mean `{s}`? ({what}s: {list})"),
        ),
        None => cx.error_spanned_help(
            &meta.path,
            format!("unknown {what} `{name}`"),
            format!("{what}s: {list}"),
        ),
    }
    skip_value(meta).map(drop)
}

/// `key` without a value: report a value if one was given.
fn bare_word(cx: &mut Ctxt, meta: &ParseNestedMeta, name: &str) -> syn::Result<bool> {
    if has_value(meta) {
        let value = skip_value(meta)?;
        let path = &meta.path;
        cx.error_spanned_help(
            quote::quote!(#path #value),
            format!("`{name}` takes no value"),
            format!("write just `{name}`"),
        );
        return Ok(false);
    }
    Ok(true)
}

fn twice(cx: &mut Ctxt, meta: &ParseNestedMeta, name: &str) -> syn::Result<()> {
    cx.error_spanned_help(
        &meta.path,
        format!("option `{name}` is given twice"),
        "remove one of them",
    );
    skip_value(meta).map(drop)
}

/// `reply` and `ack` on one variant: report the second one given (`second`).
fn reply_and_ack(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    first: &str,
    second: &str,
) -> syn::Result<()> {
    cx.error_spanned_help(
        &meta.path,
        format!("conflicting options `{first}` and `{second}`"),
        "a command is answered either by one reply message (`reply = Variant`: the request is \
         sent without `NLM_F_ACK`) or by the ACK alone (`ack`): keep the one the kernel does",
    );
    skip_value(meta).map(drop)
}

/// `= <value>` after a key, reporting a missing `=`.
fn value_of<'m>(
    cx: &mut Ctxt,
    meta: &'m ParseNestedMeta,
    name: &str,
    example: &str,
) -> syn::Result<Option<syn::parse::ParseStream<'m>>> {
    if meta.input.peek(Token![=]) {
        return meta.value().map(Some);
    }
    cx.error_spanned_help(
        &meta.path,
        format!("`{name}` needs a value"),
        format!("write `{name} = {example}`"),
    );
    skip_value(meta)?;
    Ok(None)
}

fn strip_expr(e: &Expr) -> &Expr {
    match e {
        Expr::Group(g) => strip_expr(&g.expr),
        Expr::Paren(p) => strip_expr(&p.expr),
        _ => e,
    }
}

/// Parse the value of `id` / `cmd`.
fn num_expr(
    cx: &mut Ctxt,
    input: syn::parse::ParseStream,
    name: &str,
) -> syn::Result<Option<NumExpr>> {
    let expr: Expr = input.parse()?;
    let kind = match strip_expr(&expr) {
        Expr::Lit(ExprLit {
            lit: Lit::Int(l), ..
        }) => NumKind::Lit(l.base10_parse::<u64>().ok(), l.clone()),
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => NumKind::Path(p.path.clone()),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            cx.error_spanned_help(
                s,
                format!("`{name}` takes a number, not a string"),
                format!("write `{name} = 1` or `{name} = MY_CONST` (no code in strings)"),
            );
            return Ok(None);
        }
        other => {
            cx.error_spanned_help(
                other,
                format!("`{name}` must be an integer literal or the path of a const"),
                format!("write `{name} = 1` or `{name} = MY_CONST`"),
            );
            return Ok(None);
        }
    };
    Ok(Some(NumExpr { expr, kind }))
}

/// Parse the value of a bound: an integer literal (a negative one for `min`/`max`) or a const
/// path.
fn bound_value(
    cx: &mut Ctxt,
    input: syn::parse::ParseStream,
    bound: Bound,
    span: Span,
) -> syn::Result<Option<BoundValue>> {
    let expr: Expr = input.parse()?;
    let value = |lit: Option<i128>| {
        Some(BoundValue {
            bound,
            lit,
            tokens: quote::quote!(#expr),
            span,
        })
    };
    let name = bound.name();
    match strip_expr(&expr) {
        Expr::Lit(ExprLit {
            lit: Lit::Int(l), ..
        }) => match l.base10_parse::<i128>() {
            Ok(v) => return Ok(value(Some(v))),
            Err(_) => cx.error_spanned_help(
                l,
                format!("`{name}` is out of range"),
                "bounds are integers that fit an i128",
            ),
        },
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: inner,
            ..
        }) if bound.on_value() => {
            if let Expr::Lit(ExprLit {
                lit: Lit::Int(l), ..
            }) = strip_expr(inner)
            {
                if let Ok(v) = l.base10_parse::<i128>() {
                    return Ok(value(Some(-v)));
                }
            }
            cx.error_spanned_help(
                &expr,
                format!("`{name}` must be an integer literal or the path of a const"),
                format!("write `{name} = -1` or `{name} = MY_CONST`"),
            );
        }
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => return Ok(value(None)),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => cx.error_spanned_help(
            s,
            format!("`{name}` takes a number, not a string"),
            format!("write `{name} = 16` or `{name} = MY_CONST` (no code in strings)"),
        ),
        other => cx.error_spanned_help(
            other,
            format!("`{name}` must be an integer literal or the path of a const"),
            format!("write `{name} = 16` or `{name} = MY_CONST`"),
        ),
    }
    Ok(None)
}

/// Parse the value of `reply`: the name of a variant of the same enum.
fn variant_name(cx: &mut Ctxt, input: syn::parse::ParseStream) -> syn::Result<Option<syn::Ident>> {
    let expr: Expr = input.parse()?;
    match strip_expr(&expr) {
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => {
            if let Some(ident) = p.path.get_ident() {
                return Ok(Some(ident.clone()));
            }
            let last = p.path.segments.last().map(|s| s.ident.to_string());
            cx.error_spanned_help(
                &p.path,
                "`reply` takes the name of a variant of this enum, not a path",
                format!(
                    "write just the variant's name: `reply = {}`",
                    last.as_deref().unwrap_or("Variant")
                ),
            );
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            let v = s.value();
            let name = if syn::parse_str::<syn::Ident>(&v).is_ok() {
                v.as_str()
            } else {
                "Variant"
            };
            cx.error_spanned_help(
                s,
                "`reply` takes the name of a variant, not a string",
                format!("write `reply = {name}` (no code in strings)"),
            );
        }
        Expr::Lit(ExprLit {
            lit: Lit::Int(l), ..
        }) => cx.error_spanned_help(
            l,
            "`reply` takes the name of a variant, not a command number",
            "write `reply = Variant`: the reply's command number is that variant's `cmd`",
        ),
        other => cx.error_spanned_help(
            other,
            "`reply` takes the name of a variant of this enum",
            "write `reply = Variant`, naming the variant the kernel answers this command with",
        ),
    }
    Ok(None)
}

/// Parse `crate = some::path`.
fn crate_path(cx: &mut Ctxt, input: syn::parse::ParseStream) -> syn::Result<Option<syn::Path>> {
    if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        cx.error_spanned_help(
            &s,
            "`crate` takes a path, not a string",
            format!(
                "write `crate = {}` (no code in strings)",
                if s.value().is_empty() {
                    "my_netlink".to_owned()
                } else {
                    s.value()
                }
            ),
        );
        return Ok(None);
    }
    input.parse().map(Some)
}

/// Options of one field: `#[nla(...)]`.
pub fn field_opts(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldOpts {
    let mut out = FieldOpts::default();
    let before = cx.error_count();
    walk(cx, attrs, "nla", |cx, meta| {
        let Some(name) = option_name(meta) else {
            return unknown_option(cx, meta, "field option", FIELD_OPTIONS, &[]);
        };
        if name == "id" {
            if out.id.is_some() {
                return twice(cx, meta, "id");
            }
            if let Some(input) = value_of(cx, meta, "id", "1")? {
                out.id = num_expr(cx, input, "id")?;
            }
            return Ok(());
        }
        if name == "repr" {
            if out.repr.is_some() {
                return twice(cx, meta, "repr");
            }
            let span = meta.path.span();
            if let Some(input) = value_of(cx, meta, "repr", "u32")? {
                let ty: syn::Type = input.parse()?;
                out.repr = Some((ty, span));
            }
            return Ok(());
        }
        if name == "selector" {
            if out.selector.is_some() {
                return twice(cx, meta, "selector");
            }
            let span = meta.path.span();
            if let Some(input) = value_of(cx, meta, "selector", "kind")? {
                if input.peek(LitStr) {
                    let s: LitStr = input.parse()?;
                    cx.error_spanned_help(
                        &s,
                        "`selector` takes the name of a field, not a string",
                        format!("write `selector = {}` (no code in strings)", s.value()),
                    );
                } else {
                    let ident: syn::Ident = input.parse()?;
                    out.selector = Some((ident, span));
                }
            }
            return Ok(());
        }
        if let Some(bound) = Bound::from_name(&name) {
            if out.bounds.iter().any(|b| b.bound == bound) {
                return twice(cx, meta, bound.name());
            }
            let span = meta.path.span();
            if let Some(input) = value_of(cx, meta, bound.name(), "16")? {
                out.bounds.extend(bound_value(cx, input, bound, span)?);
            }
            return Ok(());
        }
        let Some(word) = Word::from_name(&name) else {
            return unknown_option(
                cx,
                meta,
                "field option",
                FIELD_OPTIONS,
                &[(
                    CONTAINER_OPTIONS,
                    "`{}` is an option of the struct: put it in a `#[nla(...)]` above the struct",
                )],
            );
        };
        if out.has(word).is_some() {
            return twice(cx, meta, word.name());
        }
        if bare_word(cx, meta, word.name())? {
            out.words.push((word, meta.path.span()));
        }
        Ok(())
    });
    out.invalid = cx.error_count() > before;
    out
}

/// Options of an attribute-set struct: `#[nla(...)]` above it.
pub fn container_opts(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerOpts {
    let mut out = ContainerOpts::default();
    walk(cx, attrs, "nla", |cx, meta| {
        match option_name(meta).as_deref() {
            Some("crate") => {
                if out.krate.is_some() {
                    return twice(cx, meta, "crate");
                }
                if let Some(input) = value_of(cx, meta, "crate", "netlink_genl")? {
                    out.krate = crate_path(cx, input)?;
                }
            }
            Some("deny_unknown") => {
                if out.deny_unknown.is_some() {
                    return twice(cx, meta, "deny_unknown");
                }
                if bare_word(cx, meta, "deny_unknown")? {
                    out.deny_unknown = Some(meta.path.span());
                }
            }
            _ => {
                return unknown_option(
                    cx,
                    meta,
                    "struct option",
                    CONTAINER_OPTIONS,
                    &[(
                        FIELD_OPTIONS,
                        "`{}` is a field option: put it in a `#[nla(...)]` on a field",
                    )],
                );
            }
        }
        Ok(())
    });
    out
}

/// Options of a `GenlMessage` enum: `#[genl(...)]` above it.
pub fn genl_opts(cx: &mut Ctxt, attrs: &[Attribute]) -> GenlOpts {
    let mut out = GenlOpts::default();
    out.present = walk(cx, attrs, "genl", |cx, meta| {
        match option_name(meta).as_deref() {
            Some("family") => {
                if out.family.is_some() {
                    return twice(cx, meta, "family");
                }
                if let Some(input) = value_of(cx, meta, "family", "\"name\"")? {
                    if input.peek(LitStr) {
                        out.family = Some(input.parse()?);
                    } else {
                        let e: Expr = input.parse()?;
                        cx.error_spanned_help(
                            &e,
                            "`family` takes a string literal: the name the kernel registered",
                            "write `family = \"nlctrl\"`",
                        );
                    }
                }
            }
            Some("version") => {
                if out.version.is_some() {
                    return twice(cx, meta, "version");
                }
                if let Some(input) = value_of(cx, meta, "version", "1")? {
                    let e: Expr = input.parse()?;
                    match strip_expr(&e) {
                        Expr::Lit(ExprLit {
                            lit: Lit::Int(l), ..
                        }) => match l.base10_parse::<u8>() {
                            Ok(v) => out.version = Some((v, l.clone())),
                            Err(_) => cx.error_spanned_help(
                                l,
                                format!("version {l} is out of range"),
                                "the genl header's version is a u8: 0..=255",
                            ),
                        },
                        other => cx.error_spanned_help(
                            other,
                            "`version` takes an integer literal",
                            "write `version = 1`",
                        ),
                    }
                }
            }
            Some("header") => {
                if out.header.is_some() {
                    return twice(cx, meta, "header");
                }
                if let Some(input) = value_of(cx, meta, "header", "MyHeader")? {
                    if input.peek(LitStr) {
                        let s: LitStr = input.parse()?;
                        cx.error_spanned_help(
                            &s,
                            "`header` takes a type, not a string",
                            "write `header = MyHeader` (no code in strings)",
                        );
                    } else {
                        out.header = Some(input.parse()?);
                    }
                }
            }
            Some("crate") => {
                if out.krate.is_some() {
                    return twice(cx, meta, "crate");
                }
                if let Some(input) = value_of(cx, meta, "crate", "netlink_genl")? {
                    out.krate = crate_path(cx, input)?;
                }
            }
            Some("groups") => {
                if out.groups.is_some() {
                    return twice(cx, meta, "groups");
                }
                out.groups = Some(group_list(cx, meta)?);
            }
            Some("kernel_policy") => {
                if out.kernel_policy.is_some() {
                    return twice(cx, meta, "kernel_policy");
                }
                if let Some(input) = value_of(cx, meta, "kernel_policy", "global")? {
                    let e: Expr = input.parse()?;
                    match strip_expr(&e) {
                        Expr::Path(p) if p.path.get_ident().is_some() => {
                            let Some(i) = p.path.get_ident() else {
                                return Ok(());
                            };
                            if KERNEL_POLICIES.contains(&i.to_string().as_str()) {
                                out.kernel_policy = Some(i.clone());
                            } else {
                                cx.error_spanned_help(
                                    i,
                                    format!("unknown kernel policy layout `{i}`"),
                                    "write `split` (a policy per do and per dump, the default), \
                                     `per_op` (one per operation) or `global` (one for the \
                                     family)",
                                );
                            }
                        }
                        other => cx.error_spanned_help(
                            other,
                            "`kernel_policy` takes a word: `split`, `per_op` or `global`",
                            "write `kernel_policy = global` (no quotes)",
                        ),
                    }
                }
            }
            _ => {
                return unknown_option(
                    cx,
                    meta,
                    "enum option",
                    GENL_OPTIONS,
                    &[(
                        VARIANT_OPTIONS,
                        "`{}` is a variant option: put it in a `#[genl(...)]` on a variant",
                    )],
                );
            }
        }
        Ok(())
    });
    out
}

/// Options of a `GenlMessage` variant.
pub fn variant_opts(cx: &mut Ctxt, attrs: &[Attribute]) -> VariantOpts {
    let mut out = VariantOpts::default();
    let before = cx.error_count();
    walk(cx, attrs, "genl", |cx, meta| {
        match option_name(meta).as_deref() {
            Some("cmd") => {
                if out.cmd.is_some() {
                    return twice(cx, meta, "cmd");
                }
                if let Some(input) = value_of(cx, meta, "cmd", "1")? {
                    out.cmd = num_expr(cx, input, "cmd")?;
                }
            }
            Some("request") => {
                if out.request.is_some() {
                    return twice(cx, meta, "request");
                }
                if bare_word(cx, meta, "request")? {
                    out.request = Some(meta.path.span());
                }
            }
            Some("reply") => {
                if out.reply.is_some() {
                    return twice(cx, meta, "reply");
                }
                if out.ack.is_some() {
                    return reply_and_ack(cx, meta, "ack", "reply");
                }
                if !meta.input.peek(Token![=]) {
                    cx.error_spanned_help(
                        &meta.path,
                        "`reply` needs a value: the variant that answers this command",
                        "write `reply = Variant` with the name of the reply's variant in this enum \
                         (or `ack` when the ACK alone answers)",
                    );
                    return skip_value(meta).map(drop);
                }
                out.reply = variant_name(cx, meta.value()?)?;
            }
            Some("ack") => {
                if out.ack.is_some() {
                    return twice(cx, meta, "ack");
                }
                if out.reply.is_some() {
                    return reply_and_ack(cx, meta, "reply", "ack");
                }
                if bare_word(cx, meta, "ack")? {
                    out.ack = Some(meta.path.span());
                }
            }
            Some(op @ ("do" | "dump")) => {
                let slot = if op == "do" {
                    &mut out.doit
                } else {
                    &mut out.dumpit
                };
                if slot.is_some() {
                    return twice(cx, meta, op);
                }
                if let Some(decl) = op_decl(cx, meta, op)? {
                    *slot = Some((meta.path.span(), decl));
                }
            }
            Some("mcast") => {
                if out.mcast.is_some() {
                    return twice(cx, meta, "mcast");
                }
                if let Some(input) = value_of(cx, meta, "mcast", "\"group\"")? {
                    if input.peek(LitStr) {
                        out.mcast = Some(input.parse()?);
                    } else {
                        let e: Expr = input.parse()?;
                        cx.error_spanned_help(
                            &e,
                            "`mcast` takes a string literal: the multicast group's name",
                            "write `mcast = \"mgmt\"`",
                        );
                    }
                }
            }
            Some("event") => {
                if out.event.is_some() {
                    return twice(cx, meta, "event");
                }
                if let Some(list) = field_list(cx, meta, "event")? {
                    out.event = Some((meta.path.span(), list));
                }
            }
            Some(perm @ ("admin_perm" | "uns_admin_perm")) => {
                let slot = if perm == "admin_perm" {
                    &mut out.admin_perm
                } else {
                    &mut out.uns_admin_perm
                };
                if slot.is_some() {
                    return twice(cx, meta, perm);
                }
                if bare_word(cx, meta, perm)? {
                    *slot = Some(meta.path.span());
                }
            }
            Some("dont_validate") => {
                if out.dont_validate.is_some() {
                    return twice(cx, meta, "dont_validate");
                }
                if let Some(list) =
                    ident_list(cx, meta, "dont_validate", ListOf::Words(DONT_VALIDATE))?
                {
                    out.dont_validate = Some((meta.path.span(), list));
                }
            }
            _ => {
                return unknown_option(
                    cx,
                    meta,
                    "variant option",
                    VARIANT_OPTIONS,
                    &[(
                        GENL_OPTIONS,
                        "`{}` is an option of the enum: put it in the `#[genl(...)]` above the enum",
                    )],
                );
            }
        }
        Ok(())
    });
    out.invalid = cx.error_count() > before;
    out
}

/// `groups("a", "b")`: a list of string literals.
fn group_list(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Vec<LitStr>> {
    let mut out = Vec::new();
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_help(
            &meta.path,
            "`groups` takes a list of multicast group names",
            "write `groups(\"mgmt\", \"events\")`",
        );
        skip_value(meta)?;
        return Ok(out);
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let items = content.parse_terminated(Expr::parse, Token![,])?;
    for item in items {
        match strip_expr(&item) {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) if !s.value().is_empty() => {
                if out.iter().any(|o: &LitStr| o.value() == s.value()) {
                    cx.error_spanned_help(
                        s,
                        format!("group {:?} is listed twice", s.value()),
                        "remove one of them",
                    );
                } else {
                    out.push(s.clone());
                }
            }
            other => cx.error_spanned_help(
                other,
                "`groups` takes non-empty string literals: the groups' names",
                "write `groups(\"mgmt\", \"events\")`",
            ),
        }
    }
    Ok(out)
}

/// What a parenthesized list option names: fields of the variant's set (`event(a, b)`,
/// `request(..)`), or words from a fixed list (`dont_validate(strict)`).
#[derive(Clone, Copy)]
enum ListOf<'a> {
    Fields,
    Words(&'a [&'a str]),
}

impl ListOf<'_> {
    /// (what a list is, an example list) for messages.
    fn describe(self, name: &str) -> (String, String) {
        match self {
            ListOf::Fields => (
                "the set's fields".to_owned(),
                format!("{name}(field, other_field)"),
            ),
            ListOf::Words(allowed) => (
                format!("words: {}", choices(allowed)),
                format!("{name}({})", allowed.first().copied().unwrap_or("..")),
            ),
        }
    }
}

/// `` `a`, `b` ``.
fn choices(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
    quoted.join(", ")
}

/// `event(a, b)`: a list of the set's fields.
fn field_list(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    name: &str,
) -> syn::Result<Option<Vec<syn::Ident>>> {
    ident_list(cx, meta, name, ListOf::Fields)
}

/// A parenthesized list of identifiers, each once (and, for words, each allowed); `None`
/// after an error.
fn ident_list(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    name: &str,
    of: ListOf<'_>,
) -> syn::Result<Option<Vec<syn::Ident>>> {
    let (what, example) = of.describe(name);
    let listed = match of {
        ListOf::Fields => "field names".to_owned(),
        ListOf::Words(_) => what.clone(),
    };
    if !meta.input.peek(syn::token::Paren) {
        let help = match of {
            ListOf::Fields => format!("write `{example}`, naming fields of the variant's set"),
            ListOf::Words(_) => format!("write `{example}`"),
        };
        cx.error_spanned_help(&meta.path, format!("`{name}` takes a list of {what}"), help);
        skip_value(meta)?;
        return Ok(None);
    }
    let mut out: Vec<syn::Ident> = Vec::new();
    let before = cx.error_count();
    let content;
    syn::parenthesized!(content in meta.input);
    for item in content.parse_terminated(Expr::parse, Token![,])? {
        let ident = match strip_expr(&item) {
            Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
            _ => None,
        };
        let Some(i) = ident else {
            cx.error_spanned_help(
                strip_expr(&item),
                format!("`{name}(...)` lists {listed}"),
                format!("write `{example}`"),
            );
            continue;
        };
        if let ListOf::Words(allowed) = of {
            if !allowed.contains(&i.to_string().as_str()) {
                cx.error_spanned_help(
                    i,
                    format!("unknown `{name}` item `{i}`"),
                    format!("write one or more of {}", choices(allowed)),
                );
                continue;
            }
        }
        if out.iter().any(|o| o == i) {
            let what = match of {
                ListOf::Fields => format!("field `{i}`"),
                ListOf::Words(_) => format!("`{i}`"),
            };
            cx.error_spanned_help(i, format!("{what} is listed twice"), "remove one of them");
        } else {
            out.push(i.clone());
        }
    }
    Ok((cx.error_count() == before).then_some(out))
}

/// `do` / `dump`, bare or with `(request(..), reply(..))`; `None` after an error.
fn op_decl(cx: &mut Ctxt, meta: &ParseNestedMeta, op: &str) -> syn::Result<Option<OpDecl>> {
    let mut decl = OpDecl::default();
    if meta.input.peek(Token![=]) {
        let value = skip_value(meta)?;
        let path = &meta.path;
        cx.error_spanned_help(
            quote::quote!(#path #value),
            format!("`{op}` takes no value"),
            format!(
                "write `{op}` alone, or `{op}(request(field, ..), reply(field, ..))` to list the \
                 attributes"
            ),
        );
        return Ok(None);
    }
    if !meta.input.peek(syn::token::Paren) {
        return Ok(Some(decl));
    }
    let before = cx.error_count();
    meta.parse_nested_meta(|m| {
        match option_name(&m).as_deref() {
            Some(which @ ("request" | "reply")) => {
                let slot = if which == "request" {
                    &mut decl.request
                } else {
                    &mut decl.reply
                };
                if slot.is_some() {
                    return twice(cx, &m, which);
                }
                *slot = field_list(cx, &m, which)?;
            }
            _ => return unknown_option(cx, &m, &format!("`{op}` option"), OP_OPTIONS, &[]),
        }
        Ok(())
    })?;
    Ok((cx.error_count() == before).then_some(decl))
}

/// Report `#[nla]`/`#[genl]` attributes where they have no meaning (e.g. `#[nla]` on a variant).
pub fn reject(cx: &mut Ctxt, attrs: &[Attribute], name: &str, help: &str) {
    for a in attrs.iter().filter(|a| a.path().is_ident(name)) {
        cx.error_spanned_help(a, format!("`#[{name}]` has no meaning here"), help);
    }
}
