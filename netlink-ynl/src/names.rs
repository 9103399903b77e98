//! Name mapping: spec names (kebab-case, sometimes with capitals, digits or underscores) to
//! Rust identifiers. The rules are listed in the crate documentation.

use std::collections::BTreeSet;

/// Rust keywords (strict and reserved, 2024 edition).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing `_` instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated code uses unqualified (prelude, imports, derives): a type of the
/// spec with one of these names gets a suffix.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "ToString",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Ord",
    "PartialOrd",
    "Extend",
    "IntoIterator",
    "Unpin",
    "GenlMessage",
    "NlAttrs",
    "Ipv4Addr",
    "Ipv6Addr",
    "BitField32",
    "FromBytes",
    "IntoBytes",
    "Immutable",
    "KnownLayout",
    "AttrWriter",
    "AttrKind",
    "DecodeCodec",
    "EncodeCodec",
    "Native",
    "BigEndian",
    "VarUint",
    "VarSint",
    "DecodeError",
    "EncodeError",
    "NlaDecode",
    "NlaEncode",
];

/// The words of a name: split at every character that is not a letter or digit.
fn words(name: &str) -> Vec<&str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `UpperCamelCase`: each word capitalised, the rest of it in lower case; a leading digit gets
/// the prefix `V`.
pub(crate) fn upper_camel(name: &str) -> String {
    let mut s = String::new();
    for w in words(name) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            s.push(first.to_ascii_uppercase());
            s.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    if s.is_empty() {
        s.push('X');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// `snake_case`: the words in lower case joined by `_`; a leading digit gets the prefix `_`;
/// keywords become raw identifiers (`r#type`), or get a trailing `_` where Rust allows no raw
/// form (`self_`).
pub(crate) fn snake(name: &str) -> String {
    let s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    escape(if s.is_empty() { "x".to_owned() } else { s }, "_")
}

/// `SCREAMING_SNAKE_CASE`, for consts: like [`snake`] in upper case.
pub(crate) fn screaming(name: &str) -> String {
    let s = words(name)
        .iter()
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    escape(if s.is_empty() { "X".to_owned() } else { s }, "_")
}

fn escape(mut s: String, digit_prefix: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, digit_prefix);
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// A namespace of identifiers: the first taker of a name keeps it, later ones get a suffix.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Take `want`, or `want` + `suffix`, or `want` + `suffix` + 2, 3, ... (`sep` between
    /// the name and a number).
    pub fn take(&mut self, want: &str, suffix: &str, sep: &str) -> String {
        let raw = want.strip_prefix("r#").unwrap_or(want);
        let mut candidates = vec![want.to_owned()];
        if !suffix.is_empty() {
            candidates.push(format!("{raw}{suffix}"));
        }
        for c in candidates {
            if !self.taken.contains(&c) {
                self.taken.insert(c.clone());
                return c;
            }
        }
        let mut n = 2u32;
        loop {
            let c = format!("{raw}{suffix}{sep}{n}");
            if !self.taken.contains(&c) {
                self.taken.insert(c.clone());
                return c;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(upper_camel("xdp-rx-metadata"), "XdpRxMetadata");
        assert_eq!(upper_camel("10baseT-Half"), "V10basetHalf");
        assert_eq!(upper_camel("--kernel-timespec"), "KernelTimespec");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("4addr"), "_4addr");
        assert_eq!(snake("rx_bytes-Total"), "rx_bytes_total");
        assert_eq!(
            screaming("pin-frequency-77-5-khz"),
            "PIN_FREQUENCY_77_5_KHZ"
        );
        let mut ns = Namespace::with_reserved(&["Option"]);
        assert_eq!(ns.take("Option", "Attrs", ""), "OptionAttrs");
        assert_eq!(ns.take("Option", "Attrs", ""), "OptionAttrs2");
        assert_eq!(ns.take("r#type", "", "_"), "r#type");
        assert_eq!(ns.take("r#type", "", "_"), "type_2");
    }
}
