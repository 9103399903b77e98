//! # netlink-genl
//!
//! Typed generic netlink for Rust: describe a family's attributes and commands as plain Rust
//! types with two derives, and talk to the kernel through a socket that resolves the family,
//! checks every reply, and hands back your types.
//!
//! ## 1. Describe the family
//!
//! An attribute set is a struct with `#[derive(NlAttrs)]`; each field is one attribute, with its
//! id. A family's commands are an enum with `#[derive(GenlMessage)]`, one variant per command
//! carrying its attribute set. Here is the part of the kernel's own controller, `nlctrl`, that
//! looks up a family (ids from `<linux/genetlink.h>`):
//!
//! ```
//! use netlink_genl::{GenlMessage, NlAttrs};
//!
//! #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! pub struct Group {
//!     #[nla(id = 1)] pub name: Option<String>,
//!     #[nla(id = 2)] pub id: Option<u32>,
//! }
//!
//! #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! pub struct Family {
//!     #[nla(id = 1)] pub id: Option<u16>,
//!     #[nla(id = 2)] pub name: Option<String>,
//!     #[nla(id = 3)] pub version: Option<u32>,
//!     #[nla(id = 7, array)] pub groups: Vec<Group>,
//! }
//!
//! #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! #[genl(family = "nlctrl", version = 2)]
//! pub enum Ctrl {
//!     #[genl(cmd = 1)] NewFamily(Family),           // the kernel's reply
//!     #[genl(cmd = 3, request)] GetFamily(Family),  // what we send
//! }
//! # let _ = Ctrl::GetFamily(Family::default());
//! ```
//!
//! `Option` fields are optional attributes; attributes the struct does not declare are skipped,
//! so newer kernels do not break older code. Every option (`array`, `multi`, `keyed`,
//! `nested`, `flag`, `big_endian`, `uint`, `fixed`, ...) is described, with an example, in
//! [`options`].
//!
//! ## 2. Send a request, get the reply
//!
//! [`GenlSocket`] resolves the family name to its id (cached), sends the request with
//! `NLM_F_ACK`, and returns the decoded reply once the kernel acknowledged it:
//!
//! ```
//! # use netlink_genl::{GenlMessage, NlAttrs};
//! # #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! # pub struct Group { #[nla(id = 1)] pub name: Option<String>, #[nla(id = 2)] pub id: Option<u32> }
//! # #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! # pub struct Family {
//! #     #[nla(id = 1)] pub id: Option<u16>, #[nla(id = 2)] pub name: Option<String>,
//! #     #[nla(id = 3)] pub version: Option<u32>, #[nla(id = 7, array)] pub groups: Vec<Group>,
//! # }
//! # #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! # #[genl(family = "nlctrl", version = 2)]
//! # pub enum Ctrl { #[genl(cmd = 1)] NewFamily(Family), #[genl(cmd = 3, request)] GetFamily(Family) }
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! let request = Ctrl::GetFamily(Family { name: Some("nlctrl".into()), ..Default::default() });
//! let Ctrl::NewFamily(nlctrl) = sock.request(&request)? else { panic!("not a NewFamily") };
//! assert_eq!(nlctrl.id, Some(0x10));
//! assert_eq!(nlctrl.groups[0].name.as_deref(), Some("notify"));
//!
//! // A dump: every family, one reply each, until NLMSG_DONE.
//! let all = Ctrl::GetFamily(Family::default());
//! let names: Vec<String> = sock
//!     .dump(&all)?
//!     .map(|reply| match reply? {
//!         Ctrl::NewFamily(f) => Ok(f.name.unwrap_or_default()),
//!         other => panic!("unexpected {other:?}"),
//!     })
//!     .collect::<Result<_, netlink_genl::Error>>()?;
//! assert!(names.iter().any(|n| n == "nlctrl"));
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! The complete controller is in [`ctrl`] (operations, groups, policy dumps); the socket also
//! lists families ([`GenlSocket::list_families`]) and policies ([`GenlSocket::policy`]).
//!
//! ## 3. When the kernel says no
//!
//! Errors are [`Error`]: I/O, an encode or decode problem (with the field path and byte
//! offset), a lost-notification [`Error::Overrun`], or the kernel's own answer,
//! [`Error::Kernel`] with a [`KernelError`]: the errno, the extended-ACK message, the policy
//! the attribute failed, and the attribute mapped back to the field you set:
//!
//! ```
//! use netlink_genl::ctrl::{Ctrl, Family};
//! use netlink_genl::{Error, GenlSocket};
//!
//! let mut sock = GenlSocket::new()?;
//! let err = sock.request(&Ctrl::GetFamily(Family::by_name("no-such-family"))).unwrap_err();
//! let Error::Kernel(k) = err else { panic!("{err}") };
//! assert_eq!(k.errno, netlink_genl::Errno::NOENT);
//! // Resolving a family by name says which one is missing.
//! let err = sock.family("no-such-family").unwrap_err();
//! assert!(matches!(&err, Error::FamilyNotFound(name) if name == "no-such-family"));
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! ## 4. Events
//!
//! Join a multicast group by name and iterate typed notifications; notifications that arrive
//! while a request is running are queued, not lost:
//!
//! ```no_run
//! use netlink_genl::ctrl::Ctrl;
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! sock.join::<Ctrl>("notify")?;
//! for event in sock.events::<Ctrl>() {
//!     println!("{:?}", event?.msg);
//! }
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! ## 5. Zero-copy and performance
//!
//! Requests are written in one pass into a reused send buffer; replies are read into a reused
//! receive buffer and decoded from there. [`GenlSocket::dump_with`] allocates nothing per
//! message beyond what the decoded values own. With borrowed types (`&'a str`,
//! [`ArrayView`](netlink_genl_core::attr::ArrayView)) and [`GenlSocket::dump_borrowed`], a dump
//! allocates nothing at all ([`ctrl::CtrlRef`] is nlctrl declared that way);
//! [`GenlSocket::dump_view`] hands over the raw messages.
//!
//! ```
//! use netlink_genl::ctrl::{CtrlRef, FamilyRef};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! let mut longest = 0;
//! sock.dump_borrowed::<CtrlRef, _, _>(&CtrlRef::GetFamily(FamilyRef::default()), |msg| {
//!     if let CtrlRef::NewFamily(f) = msg {
//!         longest = longest.max(f.name.map_or(0, str::len)); // &str into the socket buffer
//!     }
//!     Ok(())
//! })?;
//! assert!(longest >= "nlctrl".len());
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! ## Layers
//!
//! - [`netlink_genl_core`]: the wire format, attributes, messages, extended ACKs and the raw
//!   [`NlSocket`](netlink_genl_core::socket::NlSocket) (any netlink protocol), re-exported here.
//! - [`header`], [`message`]: the genl header and the traits the derive implements.
//! - [`ctrl`], [`family`], [`mcast`]: the controller, family and group resolution.
//! - [`socket`]: the typed socket, [`GenlSocket`]; with the `tokio` feature, its async twin.
//! - [`policy`], [`check`]: your types as the kernel's `GETPOLICY` view, and
//!   [`GenlSocket::check_schema`], which compares them with the running kernel's.
//! - `testing` (feature `testing`): a fake kernel that serves your families in memory, for
//!   tests without the kernel.
//!
//! Next: [`guide`] writes a client for a family of your own, step by step, and lists the
//! limits the library enforces.
//!
//! Set `NETLINK_DEBUG=1` to print every message sent and received.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]
#![warn(missing_docs)]

// Lets the derives' absolute paths (`::netlink_genl::...`) resolve inside this crate (ctrl.rs).
extern crate self as netlink_genl;

pub mod check;
mod client;
pub mod ctrl;
pub mod family;
pub mod guide;
pub mod header;
pub mod mcast;
pub mod message;
pub mod options;
pub mod policy;
pub mod socket;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "tokio")]
pub mod tokio;

#[doc(hidden)]
pub mod __private;

pub use check::{Finding, FindingKind, SchemaReport, Severity};
pub use family::{FamilyCache, FamilyInfo, GroupInfo, OpInfo};
pub use header::{GENL_HDRLEN, GENL_ID_CTRL, GenlMsgHdr};
pub use message::{
    Answer, CommandInfo, GenlDecode, GenlDecodeOwned, GenlMessage, KernelPolicy, MessageSchema,
    OpAttrs, OpFlags,
};
pub use message::{GenlBorrowed, GenlEvent, GenlRequest, GenlView, decode_answer};
pub use netlink_genl_core;
pub use netlink_genl_core::request::DumpSummary;
pub use netlink_genl_core::{
    AsSelector, AttrPath, AttrSet, DecodeAttrs, DecodeAttrsOwned, DecodeError, DecodeErrorKind,
    DecodeSubMessage, EncodeAttrs, EncodeError, EncodeErrorKind, Errno, Error, GroupError,
    GroupErrorKind, KernelError, NlaDecode, NlaEncode, PathSegment, PolicyInfo, SubMessage,
    attrs_to_vec, encode_attrs_into_slice, encode_attrs_into_vec,
};
pub use socket::{Dump, Events, GenlSocket};

/// `#[derive(NlAttrs)]`: an attribute set. See [`options`] for every option.
pub use netlink_genl_derive::__NlAttrsGenl as NlAttrs;
/// `#[derive(NlSubMessage)]`: a sub-message, one variant per selector value. See [`options`].
pub use netlink_genl_derive::__NlSubMessageGenl as NlSubMessage;
/// `#[derive(GenlMessage)]`: a family's commands. See [`options`] for every option.
pub use netlink_genl_derive::GenlMessage;
