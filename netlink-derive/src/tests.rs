//! Unit tests of the expansion (outside the compiler, through proc-macro2): which crate path the
//! generated code names, and that no input makes the derive panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use syn::DeriveInput;

fn attrs_out(src: &str, default_crate: &str) -> String {
    let input: DeriveInput = syn::parse_str(src).expect("test input parses");
    crate::derive_attrs(&input, default_crate).to_string()
}

fn genl_out(src: &str) -> String {
    let input: DeriveInput = syn::parse_str(src).expect("test input parses");
    crate::derive_genl(&input).to_string()
}

#[test]
fn generated_code_names_only_the_chosen_crate() {
    let set = "struct S<'a> { #[nla(id = 1, nested)] a: Inner, #[nla(id = 2, multi)] b: Vec<u32>,
               #[nla(id = 3)] c: &'a str, #[nla(unknown)] r: Vec<OwnedAttr> }";
    let genl = attrs_out(set, "netlink_genl");
    assert!(genl.contains(":: netlink_genl :: __private"));
    assert!(!genl.contains("netlink_genl_core"));
    let core = attrs_out(set, "netlink_genl_core");
    assert!(core.contains(":: netlink_genl_core :: __private"));
    assert!(!core.contains(":: netlink_genl ::"));
    let renamed = attrs_out(&format!("#[nla(crate = nl)] {set}"), "netlink_genl");
    assert!(renamed.contains("nl :: __private"));
    assert!(!renamed.contains("netlink_genl") && !renamed.contains("netlink_genl_core"));

    let msg =
        "#[genl(family = \"x\", crate = nl)] enum E { #[genl(cmd = 1)] A(S), #[genl(cmd = 2)] B }";
    let out = genl_out(msg);
    assert!(out.contains("nl :: __private"));
    assert!(!out.contains("netlink_genl") && !out.contains("netlink_genl_core"));
    // Only absolute paths or the user's path: no bare `Option`/`Vec`/`Ok` from the prelude.
    for word in [" Option <", " Some (", " Ok (", " Vec <", " Default ::"] {
        let bare = out.replace(&format!("__private ::{word}"), "");
        assert!(!bare.contains(word), "bare `{word}` in {out}");
    }
}

#[test]
fn errors_come_with_stubs() {
    let out = attrs_out("struct S { #[nla(id = 16384)] a: u32 }", "netlink_genl");
    assert!(out.contains("compile_error"));
    assert!(
        out.contains("derive_failed"),
        "stub impls next to the error"
    );
    let out = genl_out("enum E { #[genl(cmd = 1)] A }");
    assert!(out.contains("missing family name"));
    assert!(out.contains("impl :: netlink_genl :: __private :: GenlMessage for E"));
}

#[test]
fn answers_are_recorded_in_the_schema() {
    let out = genl_out(
        "#[genl(family = \"x\")] enum E { #[genl(cmd = 1)] A(S),
         #[genl(cmd = C, request, reply = A)] B, #[genl(cmd = 2, ack)] D(S), #[genl(cmd = 4)] F }",
    );
    assert!(
        !out.contains("fn answer"),
        "computed from the schema: {out}"
    );
    assert!(
        out.contains(
            ". request_only () . answered (:: netlink_genl :: __private :: Answer :: Reply (1))"
        ),
        "{out}"
    );
    assert!(
        out.contains(". answered (:: netlink_genl :: __private :: Answer :: Ack)"),
        "{out}"
    );
    assert!(
        out.contains("CommandInfo :: new (4 , \"F\" , :: netlink_genl :: __private :: None) ,"),
        "undeclared: no answer recorded: {out}"
    );
    // A reply whose command is a const names the local const the expansion binds.
    let out = genl_out(
        "#[genl(family = \"x\")] enum E { #[genl(cmd = C)] A(S), #[genl(cmd = 2, reply = A)] B }",
    );
    assert!(out.contains("Answer :: Reply (__NLA_CMD_0)"), "{out}");
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        let i = (self.next() % xs.len() as u64) as usize;
        xs.get(i).copied().unwrap_or("")
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const OPTION_TOKENS: &[&str] = &[
    "id",
    "=",
    "1",
    "2",
    "0",
    "16384",
    "99999999999999999999999",
    "\"3\"",
    ",",
    ",",
    ",",
    "nested",
    "flag",
    "multi",
    "array",
    "keyed",
    "unknown",
    "skip",
    "default",
    "big_endian",
    "uint",
    "sint",
    "fixed",
    "crate",
    "::",
    "foo",
    "(",
    ")",
    "deny_unknown",
    "-",
    "1.5",
    "true",
    "cmd",
    "request",
    "reply",
    "ack",
    "V0",
    "V1",
    "Self::V0",
    "family",
    "version",
    "header",
    "CONST",
    "a::B",
    "[",
    "]",
    "u32",
    "'a",
];
const TYPES: &[&str] = &[
    "u8",
    "u32",
    "i64",
    "u128",
    "bool",
    "String",
    "&'a str",
    "&'a [u8]",
    "&'a u32",
    "Vec<u8>",
    "Vec<u32>",
    "Option<u32>",
    "Option<Option<u8>>",
    "Option<bool>",
    "[u8; 4]",
    "[u32; 2]",
    "f32",
    "usize",
    "char",
    "(u8, u16)",
    "()",
    "Vec<(u16, u32)>",
    "Vec<(u16,)>",
    "BTreeMap<u16, Inner>",
    "BTreeMap<u16>",
    "HashMap<u8, u8>",
    "Box<Inner>",
    "Box<u32>",
    "Inner",
    "T",
    "fn()",
    "dyn Foo",
    "impl Foo",
    "!",
    "_",
    "Vec<Option<u8>>",
    "Vec<Vec<u8>>",
    "Vec<OwnedAttr>",
    "Vec<Attr<'a>>",
    "ArrayView<'a, u32>",
    "<T as Tr>::X",
    "[u8]",
    "Option<Vec<Inner>>",
    "Vec",
    "Option",
    "Option<>",
    "std::vec::Vec<u16>",
    "m!()",
];
const GENERICS: &[&str] = &[
    "",
    "",
    "<'a>",
    "<'a, 'b>",
    "<T>",
    "<'a, T: Copy>",
    "<const N: usize>",
];

fn options(rng: &mut Rng) -> String {
    let n = rng.below(7);
    (0..n)
        .map(|_| rng.pick(OPTION_TOKENS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn attr(rng: &mut Rng, name: &str) -> String {
    match rng.below(8) {
        0 => String::new(),
        1 => format!("#[{name}]"),
        2 => format!("#[{name} = 1]"),
        _ => format!("#[{name}({})]", options(rng)),
    }
}

fn struct_src(rng: &mut Rng) -> String {
    let fields: Vec<String> = (0..rng.below(5))
        .map(|i| {
            format!(
                "{} {} f{i}: {}",
                attr(rng, "nla"),
                attr(rng, "nla"),
                rng.pick(TYPES)
            )
        })
        .collect();
    let body = match rng.below(10) {
        0 => format!(
            "({});",
            fields.join(", ").replace(" f", " ").replace(':', "")
        ),
        1 => ";".to_owned(),
        _ => format!("{{ {} }}", fields.join(", ")),
    };
    let kw = match rng.below(12) {
        0 => "enum",
        1 => "union",
        _ => "struct",
    };
    format!("{} {kw} S{} {body}", attr(rng, "nla"), rng.pick(GENERICS))
}

fn enum_src(rng: &mut Rng) -> String {
    let variants: Vec<String> = (0..rng.below(5))
        .map(|i| {
            let shape = match rng.below(5) {
                0 => String::new(),
                1 => format!("({}, {})", rng.pick(TYPES), rng.pick(TYPES)),
                2 => "{ a: u32 }".to_owned(),
                _ => format!("({})", rng.pick(TYPES)),
            };
            format!("{} V{i}{shape}", attr(rng, "genl"))
        })
        .collect();
    let kw = if rng.below(8) == 0 { "struct" } else { "enum" };
    let body = if kw == "enum" {
        format!("{{ {} }}", variants.join(", "))
    } else {
        "{ a: u32 }".to_owned()
    };
    format!("{} {kw} E{} {body}", attr(rng, "genl"), rng.pick(GENERICS))
}

#[test]
fn never_panics_on_random_inputs() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0;
    for _ in 0..4000 {
        for src in [struct_src(&mut rng), enum_src(&mut rng)] {
            let Ok(input) = syn::parse_str::<DeriveInput>(&src) else {
                continue;
            };
            parsed += 1;
            let r = catch_unwind(AssertUnwindSafe(|| {
                let _ = crate::derive_attrs(&input, "netlink_genl");
                let _ = crate::derive_genl(&input);
            }));
            assert!(r.is_ok(), "the derive panicked on: {src}");
        }
    }
    assert!(
        parsed > 4000,
        "the generator produced too few valid inputs: {parsed}"
    );
}
