//! The traits `#[derive(GenlMessage)]` implements: a family's commands as one Rust enum.

use netlink_core::attr::AttrWriter;
use netlink_core::debug::Schema;
use netlink_core::{DecodeError, EncodeError, PathSegment};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// A generic netlink family's messages: one enum variant per command.
///
/// Implemented by `#[derive(GenlMessage)]`. Request and reply commands may differ (nlctrl:
/// `GETFAMILY` (3) is answered by `NEWFAMILY` (1)); both are variants of the same enum.
pub trait GenlMessage {
    /// The family name the kernel registered (resolved to an id at run time).
    const FAMILY: &'static str;
    /// The interface version written in the genl header of requests.
    const VERSION: u8;
    /// The family's fixed user header, between the genl header and the attributes; `()` when
    /// the family has none.
    type Header: FromBytes + IntoBytes + Immutable + KnownLayout + Default + Copy + core::fmt::Debug;

    /// The command number of this message.
    fn command(&self) -> u8;
    /// The name of a command (its variant name), if the enum declares it.
    fn command_name(cmd: u8) -> Option<&'static str>;
    /// The encoded length of the attributes (without genl or user header).
    fn attrs_len(&self) -> usize;
    /// Write the attributes.
    fn write_attrs(&self, w: &mut AttrWriter<'_>) -> Result<(), EncodeError>;
    /// Map byte `offset` of the attributes of a message with command `cmd` to a field path,
    /// e.g. `[Type("GetFamily"), Field("name")]`, for extended-ACK error reporting.
    fn locate(cmd: u8, attrs: &[u8], offset: usize, path: &mut Vec<PathSegment>);
    /// The name of attribute `id` in the attribute set of command `cmd`, for debug output.
    fn attr_name(cmd: u8, id: u16) -> Option<&'static str>;
    /// The schema of the attribute set of command `cmd` (its names and kinds), for the
    /// `NETLINK_DEBUG` trace ([`netlink_core::debug`]). The derive implements it; when a
    /// request and a decodable variant share a number, the decodable variant's set is given.
    fn schema(cmd: u8) -> Option<&'static Schema> {
        let _ = cmd;
        None
    }
    /// How the kernel answers this message when it is sent as a request: declared on the
    /// variant with `#[genl(reply = Variant)]` or `#[genl(ack)]` (see
    /// [`options`](crate::options)); [`Answer::Undeclared`] otherwise. The sockets read it to
    /// decide whether a request asks for an ACK.
    fn answer(&self) -> Answer {
        Answer::Undeclared
    }
}

/// How the kernel answers a command sent as a request ([`GenlMessage::answer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Answer {
    /// Nothing declared: the request carries `NLM_F_ACK` and the socket reads replies until
    /// the ACK (any number of replies, including none).
    Undeclared,
    /// One reply message, with this command number (`#[genl(reply = Variant)]`). The request
    /// is sent without `NLM_F_ACK`: the reply (or the kernel's error) ends the exchange.
    Reply(u8),
    /// The ACK alone (`#[genl(ack)]`): there is no reply data to return.
    Ack,
}

/// A [`GenlMessage`] that can be decoded from bytes borrowed for `'a`.
pub trait GenlDecode<'a>: GenlMessage + Sized {
    /// Decode the attributes of a message with command `cmd`. An unknown command is a
    /// [`DecodeErrorKind::UnknownCommand`](netlink_core::DecodeErrorKind::UnknownCommand)
    /// error; errors carry the variant name and field path.
    fn decode_genl(cmd: u8, attrs: &'a [u8]) -> Result<Self, DecodeError>;
}

/// [`GenlDecode`] for any lifetime: messages that own their data.
pub trait GenlDecodeOwned: for<'a> GenlDecode<'a> {}
impl<T: for<'a> GenlDecode<'a>> GenlDecodeOwned for T {}
