//! The generator's errors: a spec that cannot be read or that contradicts itself. Every error
//! names the spec key at fault as a path (`attribute-sets[2].attributes[5].type`), with the
//! names of the set and attribute where there are some.

/// Why a spec could not be turned into Rust.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not YAML, or a key has the wrong shape (a string where a list is expected,
    /// a missing `name`, ...). `message` comes from the YAML reader and says where.
    #[error("not a valid YNL spec: {message}")]
    Yaml {
        /// What the YAML reader reported, with the line and column and the key path.
        message: String,
    },
    /// A protocol this generator does not produce code for (`netlink-raw`: classic netlink).
    #[error(
        "{key}: protocol `{protocol}` is not supported (only genetlink, genetlink-c and genetlink-legacy)"
    )]
    UnsupportedProtocol {
        /// The key (`protocol`).
        key: String,
        /// Its value.
        protocol: String,
    },
    /// A name refers to something the spec does not define (an attribute set, a definition, an
    /// attribute of a parent set, an operation).
    #[error("{key}: `{name}` names no {what} of the spec")]
    UnknownName {
        /// The key holding the name.
        key: String,
        /// The name.
        name: String,
        /// What it should name (`attribute set`, `definition`, `attribute of set x`, ...).
        what: &'static str,
    },
    /// A key's value is not one the format allows or that this generator knows.
    #[error("{key}: invalid value `{value}`: {expected}")]
    InvalidValue {
        /// The key.
        key: String,
        /// Its value.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A number out of the range its key allows (an attribute id past 16383, a message number
    /// past 255, ...).
    #[error("{key}: {value} is out of range ({range})")]
    OutOfRange {
        /// The key.
        key: String,
        /// The value.
        value: i128,
        /// The allowed range.
        range: &'static str,
    },
    /// A key that the spec needs here is missing (e.g. `nested-attributes` of an indexed array
    /// of nests).
    #[error("{key}: missing, {why}")]
    Missing {
        /// The key that should be there.
        key: String,
        /// Why it is needed.
        why: &'static str,
    },
}
