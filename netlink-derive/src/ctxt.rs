//! The error accumulator: every stage records its errors here and carries on, so one run of a
//! derive reports all the mistakes of the input at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Collects the errors of one derive.
#[derive(Default)]
pub struct Ctxt {
    errors: Vec<syn::Error>,
}

/// Format a message and its fix hint the way every diagnostic of this crate reads:
/// the problem on the first line, `help: ...` on the second.
pub fn with_help(msg: impl std::fmt::Display, help: impl std::fmt::Display) -> String {
    format!("{msg}\nhelp: {help}")
}

impl Ctxt {
    /// A new, empty context.
    pub fn new() -> Self {
        Ctxt::default()
    }

    /// Record an error at `span`.
    pub fn error(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, msg));
    }

    /// Record an error with a fix hint at `span`.
    pub fn error_help(
        &mut self,
        span: Span,
        msg: impl std::fmt::Display,
        help: impl std::fmt::Display,
    ) {
        self.error(span, with_help(msg, help));
    }

    /// Record an error spanning all of `tokens` (first to last token).
    pub fn error_spanned(&mut self, tokens: impl ToTokens, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new_spanned(tokens, msg));
    }

    /// Record an error with a fix hint spanning all of `tokens`.
    pub fn error_spanned_help(
        &mut self,
        tokens: impl ToTokens,
        msg: impl std::fmt::Display,
        help: impl std::fmt::Display,
    ) {
        self.error_spanned(tokens, with_help(msg, help));
    }

    /// Record an error that syn produced (e.g. a malformed attribute).
    pub fn syn_error(&mut self, e: syn::Error) {
        self.errors.push(e);
    }

    /// How many errors were recorded so far.
    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// All recorded errors as `compile_error!` invocations.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}

/// The edit distance between two short identifiers, for "did you mean" hints.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The closest of `known` to `word` when it is close enough to be a typo.
pub fn suggest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', '_'], "");
    let w = norm(word);
    known
        .iter()
        .map(|k| (distance(&w, &norm(k)), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let known = ["id", "big_endian", "nested", "multi"];
        assert_eq!(suggest("bigendian", &known), Some("big_endian"));
        assert_eq!(suggest("BigEndian", &known), Some("big_endian"));
        assert_eq!(suggest("nestd", &known), Some("nested"));
        assert_eq!(suggest("completely_else", &known), None);
        assert_eq!(distance("", "ab"), 2);
    }
}
