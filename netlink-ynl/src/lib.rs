//! Generate typed Rust for a generic netlink family from its YNL spec, the YAML files in which
//! the Linux kernel describes its netlink families (`Documentation/netlink/specs` in the kernel
//! tree; the format: <https://docs.kernel.org/userspace-api/netlink/specs.html>).
//!
//! The output is ordinary Rust, as a person would write it with `netlink-genl`'s derives:
//! `#[derive(NlAttrs)]` structs for the attribute sets, a `#[derive(GenlMessage)]` enum for the
//! family's messages, enums, flags and zerocopy structs for the definitions, with the spec's
//! `doc` texts as doc comments. It is formatted as `rustfmt` formats it (the tests check) and
//! stable: the same spec gives the same bytes.
//!
//! ```
//! let spec = r#"
//! name: demo
//! protocol: genetlink
//! doc: A demo family.
//! attribute-sets:
//!   - name: dev
//!     attributes:
//!       - { name: ifindex, type: u32, doc: The device. }
//!       - { name: name, type: string }
//! operations:
//!   list:
//!     - name: dev-get
//!       attribute-set: dev
//!       do: { request: { attributes: [ifindex] }, reply: { attributes: [ifindex, name] } }
//!       dump: { reply: { attributes: [ifindex, name] } }
//! "#;
//! let rust = netlink_ynl::generate(spec, &netlink_ynl::Options::default())?;
//! assert!(rust.contains("pub struct Dev {"));
//! assert!(rust.contains("        cmd = 1,\n        reply = DevGet,\n"));
//! assert!(rust.contains("        do(request(ifindex), reply(ifindex, name)),\n"));
//! // A dump without a `request` takes no attributes: an empty list.
//! assert!(rust.contains("        dump(request(), reply(ifindex, name)),\n    )]\n    DevGet(Dev),"));
//! # Ok::<(), netlink_ynl::Error>(())
//! ```
//!
//! From a `build.rs`:
//!
//! ```no_run
//! let spec = std::fs::read_to_string("specs/netdev.yaml").unwrap();
//! let opts = netlink_ynl::Options::default().module_doc(false);
//! let rust = netlink_ynl::generate(&spec, &opts).unwrap();
//! let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("netdev.rs");
//! std::fs::write(out, rust).unwrap();
//! // and in the crate: `pub mod netdev { include!(concat!(env!("OUT_DIR"), "/netdev.rs")); }`
//! ```
//!
//! From the command line: `netlink-ynl generate SPEC.yaml [-o OUT.rs]`.
//!
//! # The other way: emit
//!
//! [`emit()`] writes the schema of any derived family (`T::SCHEMA`, hand-written or generated)
//! as a YNL spec; `netlink-ynl emit FAMILY` (feature `families`) does it for a family of
//! `netlink-families`. A test takes every vendored spec through the generated family and back,
//! and compares after the normalisations the README's "Emit" section lists.
//!
//! # What the spec becomes
//!
//! | spec | Rust |
//! |---|---|
//! | `name` | `FAMILY_NAME`, and `family = "..."` on the message enum |
//! | `mcast-groups` | `MCAST_GROUPS: &[&str]` |
//! | `definitions`, `const` | a `pub const` (`u32`, else `u64`/`i64`; `&str` for strings) |
//! | `definitions`, `enum` | an enum with a variant per entry and a fallback `Unknown(T)` that keeps values the spec does not name; `value()`, `from_value()`, `name()`, `From` both ways, `INFO` (the definition as the schema carries it: `EnumInfo`). When every scalar attribute naming it carries it the same way (same width, byte order, `uint`), it is a value kind: it implements `NlaEncode`/`NlaDecode` (its `KIND` is `AttrKind::Enum(&Self::INFO)`: the trace shows values by name, `emit` writes the definition back) and those attributes hold the enum; otherwise they hold the integer and their docs name the enum |
//! | `definitions`, `flags` | a newtype over the integer with a const per flag, `name`, `contains`, `names`, `\|`, `&`, `INFO`; a value kind under the same rule |
//! | `definitions`, `struct` | a `#[repr(C)]` zerocopy struct (C layout: padding made explicit, `big-endian` members as `zerocopy::network_endian` types), for `binary` attributes with `struct:` (`fixed`) and the `fixed-header` (`header = ...`) |
//! | `attribute-sets` | a `#[derive(NlAttrs)]` struct, one field per attribute (`subset-of`: its own struct with the subset's attributes and the parent's ids and types) |
//! | `u8`…`u64`, `s8`…`s64` | `Option<u8>`…`Option<i64>` (`big_endian` for `byte-order: big-endian`) |
//! | `uint`, `sint` | `Option<u64>` + `uint`, `Option<i64>` + `sint` |
//! | `flag` | `bool` + `flag` |
//! | `string` | `Option<String>` |
//! | `binary` | `Option<Vec<u8>>`; the struct + `fixed` with `struct:`; `Option<Vec<u32>>` (the `sub-type`'s integer) + `packed` with an integer `sub-type`; `Ipv4Addr`/`Ipv6Addr` for `display-hint: ipv4/ipv6` when the length is exactly 4/16 (a big-endian `u32` with `ipv4` too) |
//! | `bitfield32` | `Option<BitField32>`, with `mask` = the bits of the enum it names |
//! | `nest` | `Option<Set>` + `nested` (`Option<Box<Set>>` when the nesting is recursive) |
//! | `indexed-array` | `Vec<T>` + `array` (of sets or scalars) |
//! | `nest-type-value` | `Vec<(u16, T)>` + `keyed`, one level per `type-value` key |
//! | `multi-attr` | `Vec<T>` + `multi` |
//! | `pad`, `unused` | no field (decode skips unknown ids) |
//! | `sub-message` (with the spec's `sub-messages`) | `Option<Msg>` + `selector = field`, where `Msg` is a `#[derive(NlSubMessage)]` enum per `sub-messages` entry: one variant per format with an `attribute-set` (`#[nla(kind = "vlan")] Vlan(Set)`), an `Unknown(Vec<u8>)` fallback for other values and for formats with a `fixed-header` or no attributes (named in its docs); `Option<Vec<u8>>` with a doc line when the selector is not a string or plain integer attribute of the same set |
//! | a `nest` without `nested-attributes` | `Option<Vec<u8>>`, raw bytes, with a doc line saying so |
//! | `checks` | the derive's bounds: `min`, `max` (integers), `min_len`, `max_len`, `exact_len` (strings, bytes), with a definition constant by its generated name and a limit (`u32-max`, `s8-min`) by its value; a doc line for `unterminated-ok` and for what has no option (an undefined name, a range on an enum type) |
//! | `operations` | one `#[derive(GenlMessage)]` enum, see below |
//!
//! **Messages.** With `enum-model: unified` (the default), every operation has one number
//! (counting from 1, or from an operation's `value`): an operation with `do`/`dump` is one
//! variant, `#[genl(cmd = N, reply = Itself)]` when its `do` has a reply, `#[genl(cmd = N, ack)]`
//! when it has none; `notify`/`event` operations are variants too. With
//! `enum-model: directional`, requests and replies are numbered apart (requests from 1, or a
//! `request: value:`; replies and notifications from 1, or a `reply: value:`/`value:`): an
//! operation becomes a request variant `#[genl(cmd = N, request, reply = OpReply)]` (or `ack`)
//! and a reply variant `OpReply`; a reply number already used by a variant with the same set
//! reuses that variant. Each variant holds the operation's whole attribute set; the spec's
//! request and reply attribute lists are the variant's op declarations:
//! `do(request(..), reply(..))`, `dump(..)` (field names; attributes that are not fields, such
//! as `pad`, are left out; a `do` or `dump` without `request` takes none: `request()`), `mcast = "group"` and `event(..)` for notifications (a `notify`
//! operation's attributes are those of the reply it names), and the spec's `mcast-groups` the
//! enum's `groups(..)`. An operation's `flags` are `admin_perm` / `uns_admin_perm` and its
//! `dont-validate` is `dont_validate(..)` (each item only with the `do` or `dump` it is about),
//! the family's `kernel-policy` the enum's `kernel_policy = per_op | global`. The enum carries `#[rustfmt::skip]`: the generator lays the long lists
//! out itself, one option per line.
//!
//! # Names
//!
//! - Words are split at every character that is not an ASCII letter or digit (`-`, `_`, `.`,
//!   ...). Types and variants are `UpperCamelCase` (each word capitalised, the rest lower case:
//!   `xdp-rx-metadata` → `XdpRxMetadata`, `IPV4` → `Ipv4`), fields `snake_case`, consts and
//!   flags `SCREAMING_SNAKE_CASE`.
//! - A name that starts with a digit gets a prefix: `V` for types and variants
//!   (`10baseT-Half` → `V10basetHalf`), `_` for fields and consts (`4addr` → `_4addr`).
//! - Keywords become raw identifiers (`type` → `r#type`), except those Rust allows no raw form
//!   for, which get a trailing `_` (`self_`).
//! - Collisions are resolved in spec order, first come first served: the family's message enum
//!   (the family name: `netdev` → `Netdev`) first, then definitions, then attribute sets. A
//!   later type whose name is taken, or is one the generated code uses (`Option`, `String`,
//!   `NlAttrs`, ...), gets a suffix by kind (`Attrs` for sets, `Enum`, `Flags`, `Struct` for
//!   definitions, `Msg` for the message enum), then a number (`DevAttrs2`). Fields, variants
//!   and consts that collide within their scope get `_2`, `_3`, ... (or `2`, `3` for
//!   variants). A directional reply variant is the operation's name + `Reply`.

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod doc;
mod emit;
mod error;
mod r#gen;
mod names;
mod spec;

pub use emit::emit;
pub use error::Error;

/// How to generate.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Start the file with `//!` module docs (the spec's `doc`). Turn it off for a file that is
    /// `include!`d, where inner doc comments are not allowed; a plain `//` comment then says
    /// where the file comes from. Default: on.
    pub module_doc: bool,
}

impl Options {
    /// Set [`module_doc`](Self::module_doc).
    pub fn module_doc(mut self, on: bool) -> Self {
        self.module_doc = on;
        self
    }
}

impl Default for Options {
    fn default() -> Self {
        Options { module_doc: true }
    }
}

/// Turn a YNL spec (the YAML text) into Rust source.
///
/// Errors name the spec key at fault: [`Error`].
pub fn generate(spec_yaml: &str, options: &Options) -> Result<String, Error> {
    let spec: spec::Spec = serde_norway::from_str(spec_yaml).map_err(|e| Error::Yaml {
        message: e.to_string(),
    })?;
    r#gen::generate(&spec, options)
}
