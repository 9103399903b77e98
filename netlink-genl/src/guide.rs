//! # Guide: write a client for your own kernel family
//!
//! This page walks through a complete client for a generic netlink family, defined entirely
//! with the derives: the attribute sets, the commands, a request, a dump, errors, events,
//! tests without a kernel, and debugging. The worked example is the kernel's `netdev` family
//! (network device capabilities), because every Linux 6.x kernel has it; for your own module
//! the steps are the same.
//!
//! ## 1. Find the wire description
//!
//! A family is described by its uapi header (`include/uapi/linux/<family>.h`) and, for newer
//! families, a YNL spec (`Documentation/netlink/specs/<family>.yaml` in the kernel tree). You
//! need, for each attribute set, the attribute ids and types; for each command, its number and
//! which attribute set it carries; and the multicast group names. From `netdev.yaml`:
//!
//! | attribute set `dev` | id | type |
//! |---|---|---|
//! | `ifindex` | 1 | u32 |
//! | `xdp-features` | 3 | u64 (flags) |
//! | `xdp-zc-max-segs` | 4 | u32 |
//!
//! Commands: `dev-get` = 1 (do: by `ifindex`; dump: every device), `dev-add-ntf` = 2,
//! `dev-del-ntf` = 3 on group `mgmt`.
//!
//! If the family has a YNL spec you may not need to write anything: the repository's
//! `netlink-families` crate holds the kernel's 24 generic netlink families generated from their
//! specs (one cargo feature each: `netdev`, `ethtool`, `nl80211`, `devlink`, ...), and its
//! generator, `netlink-ynl`, turns any spec into the same kind of code, from a `build.rs` or
//! with `netlink-ynl generate SPEC.yaml` (what it carries and what not, spec by spec, is in its
//! README): [chapter 11](#11-use-a-family-from-its-ynl-spec) starts from a downloaded spec. The
//! generated code is what the next steps write by hand, so they explain it too.
//!
//! ## 2. Declare the attribute sets
//!
//! One struct per attribute set, one field per attribute. `Option<T>` for attributes that may
//! be absent (almost all of them: the same set serves requests and replies); a non-`Option`
//! field is required, and its absence is a decode error naming it. Attributes you do not
//! declare are skipped, so a newer kernel does not break your client. The field type says
//! the wire kind (see [`options`](crate::options) for every option: `array`, `multi`,
//! `nested`, `flag`, `big_endian`, `uint`, `fixed`, `keyed`, ...).
//!
//! ```
//! use netlink_genl::{GenlMessage, NlAttrs};
//!
//! #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! pub struct Dev {
//!     #[nla(id = 1)] pub ifindex: Option<u32>,
//!     #[nla(id = 3)] pub xdp_features: Option<u64>,
//!     #[nla(id = 4)] pub xdp_zc_max_segs: Option<u32>,
//! }
//!
//! /// ## 3. Declare the commands
//! ///
//! /// One enum per family, one variant per command, each carrying its attribute set. The
//! /// family name is the one the kernel registers; it is resolved to an id at run time.
//! /// `reply = DevGet`: the kernel answers a `DevGet` request with one `DevGet` reply, so the
//! /// request goes without `NLM_F_ACK` and the reply ends it (commands answered by the ACK
//! /// alone are declared `ack` and sent with `ack()`).
//! #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! #[genl(family = "netdev", version = 1)]
//! pub enum Netdev {
//!     #[genl(cmd = 1, reply = DevGet)] DevGet(Dev),
//!     #[genl(cmd = 2)] DevAddNtf(Dev),
//!     #[genl(cmd = 3)] DevDelNtf(Dev),
//! }
//!
//! // ## 4. Test it without a kernel
//! //
//! // Encoding and decoding are plain functions of bytes: check your declarations against a
//! // capture, or round-trip them.
//! use netlink_genl::{DecodeAttrs, attrs_to_vec};
//!
//! let dev = Dev { ifindex: Some(1), xdp_features: Some(0x23), ..Default::default() };
//! let bytes = attrs_to_vec(&dev)?;
//! assert_eq!(&bytes[..8], &[8, 0, 1, 0, 1, 0, 0, 0]); // nla_len 8, type 1, u32 1
//! assert_eq!(Dev::decode_attrs(&bytes)?, dev);
//!
//! // ## 5. Talk to the kernel
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! // A dump: every device, one reply each.
//! let mut ifindexes = Vec::new();
//! for reply in sock.dump(&Netdev::DevGet(Dev::default()))? {
//!     if let Netdev::DevGet(d) = reply? {
//!         ifindexes.extend(d.ifindex);
//!     }
//! }
//! assert!(ifindexes.contains(&1), "the loopback device is ifindex 1");
//! // A request: one device.
//! let Netdev::DevGet(lo) = sock.request(&Netdev::DevGet(Dev { ifindex: Some(1), ..Default::default() }))?
//! else { panic!("not a DevGet reply") };
//! assert_eq!(lo.ifindex, Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## 6. Errors
//!
//! The kernel's refusals come back as [`Error::Kernel`](crate::Error::Kernel): the errno, the
//! extended-ACK message, the policy the attribute failed, and the attribute the kernel pointed
//! at, mapped back to the field of the request you built:
//!
//! ```
//! # use netlink_genl::{GenlMessage, NlAttrs};
//! # #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! # pub struct Dev { #[nla(id = 1)] pub ifindex: Option<u32> }
//! # #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! # #[genl(family = "netdev", version = 1)]
//! # pub enum Netdev { #[genl(cmd = 1)] DevGet(Dev) }
//! use netlink_genl::{Error, GenlSocket};
//!
//! let mut sock = GenlSocket::new()?;
//! let err = sock.request(&Netdev::DevGet(Dev { ifindex: Some(0) })).unwrap_err();
//! let Error::Kernel(k) = err else { panic!("{err}") };
//! assert_eq!(k.errno, netlink_genl::Errno::RANGE);
//! assert_eq!(k.msg.as_deref(), Some("integer out of range"));
//! assert_eq!(k.attr_path.unwrap().to_string(), "DevGet.ifindex");
//! assert_eq!(k.policy.unwrap().min_value_u, Some(1));
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! Decode problems are [`DecodeError`](crate::DecodeError)s with the path and byte offset
//! (`DevGet.ifindex: expected 4 bytes, got 2 (at byte 24)`); nothing on the wire can make the
//! library panic.
//!
//! Two errors are about the exchange rather than its content:
//!
//! - [`Error::Timeout`](crate::Error::Timeout): no datagram of the answer came within the
//!   socket's timeout (10 s by default, [`GenlSocket::set_timeout`](crate::GenlSocket::set_timeout);
//!   [`with_timeout`](crate::GenlSocket::with_timeout) for one call). It says what was waited
//!   for (the reply, the ACK, the next part of a dump) and how much had arrived.
//! - [`Error::AnswerLost`](crate::Error::AnswerLost): the kernel dropped the answer because the
//!   socket's receive queue was full (`ENOBUFS`, usually from a flood of notifications). The
//!   request was delivered and may have been applied: check before resending one that is not
//!   idempotent. The socket has recovered; the next request works.
//!
//! Which call to use: `request` for a command the kernel answers with data (declare the reply
//! with `reply = ...` and the request needs no ACK), `ack` for one it answers with the ACK
//! alone (declare it `ack`; `request` refuses such a command before sending it), `request_all`
//! when a command answers with several messages, `dump` for the dump form.
//!
//! ## 7. Events
//!
//! Join a group by name and read typed notifications. Anything that changes the system belongs
//! in a private network namespace when you test it (`unshare -n`, or `unshare(CLONE_NEWNET)`
//! on the test's own thread):
//!
//! ```no_run
//! # use netlink_genl::{GenlMessage, NlAttrs};
//! # #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! # pub struct Dev { #[nla(id = 1)] pub ifindex: Option<u32> }
//! # #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! # #[genl(family = "netdev", version = 1)]
//! # pub enum Netdev { #[genl(cmd = 2)] DevAddNtf(Dev), #[genl(cmd = 3)] DevDelNtf(Dev) }
//! use netlink_genl::{Error, GenlSocket};
//!
//! let mut sock = GenlSocket::new()?;
//! sock.join::<Netdev>("mgmt")?;
//! for event in sock.events::<Netdev>() {
//!     match event {
//!         Ok(ev) => println!("{:?}", ev.msg),
//!         // The receive buffer overflowed: events were lost. Resynchronise with a dump.
//!         Err(Error::Overrun) => eprintln!("events lost"),
//!         Err(e) => return Err(e),
//!     }
//! }
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! ## 8. Zero-copy, async, debugging
//!
//! - Borrowed decoding: give the structs a lifetime (`name: Option<&'a str>`, arrays as
//!   [`ArrayView`](netlink_genl_core::attr::ArrayView)) and use
//!   [`GenlSocket::dump_borrowed`](crate::GenlSocket::dump_borrowed): a dump then allocates
//!   nothing ([`ctrl::CtrlRef`](crate::ctrl::CtrlRef) is an example).
//! - Async: the `tokio` feature adds `netlink_genl::tokio::AsyncGenlSocket`. It runs the same
//!   client code as `GenlSocket` (the table in [`socket`](crate::socket) lists the calls side
//!   by side), so it behaves and fails the same way; its futures and streams are `Send`, can
//!   be dropped at any `.await` (an unfinished dump is drained before the next request), and
//!   dumps yield to the runtime between datagrams.
//! - Testing without the kernel: see [chapter 9](#9-test-your-client-without-the-kernel).
//! - Debugging: run with `NETLINK_DEBUG=1` to print every message sent and received, decoded
//!   with names where the types are known; [`netlink_genl_core::debug::format_messages`] is the
//!   same formatter as a function.
//!
//! ## 9. Test your client without the kernel
//!
//! The kernel of a CI machine rarely has your family (no hardware, no module), and tests that
//! change kernel state need root. With the `testing` feature,
//! `netlink_genl::testing::FakeKernel` serves your family in memory, from the
//! same derived types: register it with a handler per operation, connect an ordinary
//! [`GenlSocket`](crate::GenlSocket) (or an `AsyncGenlSocket`), and run the client code you
//! ship. It resolves the family through the fake's controller exactly as through nlctrl, with
//! ids assigned as the kernel assigns them (the first family is 19, its first group 2).
//!
//! ```toml
//! [dev-dependencies]
//! netlink-genl = { version = "0.1", features = ["testing"] }
//! ```
//!
#![cfg_attr(feature = "testing", doc = "```")]
#![cfg_attr(not(feature = "testing"), doc = "```ignore")]
//! # use netlink_genl::{GenlMessage, NlAttrs};
//! # #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! # pub struct Dev { #[nla(id = 1)] pub ifindex: Option<u32>, #[nla(id = 3)] pub xdp_features: Option<u64> }
//! # #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! # #[genl(family = "netdev", version = 1)]
//! # pub enum Netdev { #[genl(cmd = 1, reply = DevGet)] DevGet(Dev), #[genl(cmd = 2)] DevAddNtf(Dev) }
//! use netlink_genl::testing::{DumpOut, ErrorReply, FakeKernel, FamilySpec, Fault, Reply};
//! use netlink_genl::{Errno, Error, GenlSocket};
//! use std::time::Duration;
//!
//! // The code under test: the client you ship.
//! fn xdp_features(sock: &mut GenlSocket, ifindex: u32) -> Result<u64, Error> {
//!     match sock.request(&Netdev::DevGet(Dev { ifindex: Some(ifindex), ..Default::default() }))? {
//!         Netdev::DevGet(d) => Ok(d.xdp_features.unwrap_or(0)),
//!         _ => Ok(0),
//!     }
//! }
//!
//! // The provider side: what the kernel would answer.
//! let fake = FakeKernel::new();
//! fake.register(
//!     FamilySpec::<Netdev>::new()
//!         .group("mgmt")
//!         .on_do(1, |_ctx, req| match req {
//!             Netdev::DevGet(Dev { ifindex: Some(7), .. }) => {
//!                 Ok(Reply::msg(Netdev::DevGet(Dev { ifindex: Some(7), xdp_features: Some(35) })))
//!             }
//!             // The kernel's error, with its extended ACK blaming the field.
//!             _ => Err(ErrorReply::new(Errno::NODEV).msg("no such device").at_field("ifindex")),
//!         })
//!         .on_dump(1, |_ctx, _req, out: &mut DumpOut<Netdev>| {
//!             out.push(Netdev::DevGet(Dev { ifindex: Some(7), xdp_features: Some(35) }));
//!             Ok(())
//!         }),
//! )?;
//!
//! let mut sock = fake.connect()?;
//! assert_eq!(xdp_features(&mut sock, 7)?, 35);
//! let Err(Error::Kernel(k)) = xdp_features(&mut sock, 99) else { panic!() };
//! assert_eq!((k.errno, k.msg.as_deref()), (Errno::NODEV, Some("no such device")));
//! assert_eq!(k.attr_path.unwrap().to_string(), "DevGet.ifindex");
//!
//! // Events: the fake multicasts a typed notification to the sockets that joined.
//! sock.join::<Netdev>("mgmt")?;
//! fake.notify("mgmt", &Netdev::DevAddNtf(Dev { ifindex: Some(8), ..Default::default() }))?;
//! assert!(matches!(sock.recv_event::<Netdev>()?.msg, Netdev::DevAddNtf(_)));
//!
//! // Faults the real kernel cannot be made to produce on demand: here, a lost reply.
//! sock.set_timeout(Some(Duration::from_millis(20)));
//! fake.fault(Fault::DropReply);
//! assert!(xdp_features(&mut sock, 7).unwrap_err().is_timeout());
//! assert_eq!(xdp_features(&mut sock, 7)?, 35); // and the socket goes on
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Your types are also the fake's policy. Each operation's request set (its schema) is what
//! the fake's controller answers to `GETPOLICY` (`sock.policy("netdev", None)` lists it as the
//! kernel's would, nested sets with their own policy index), and what a request is validated
//! against before your handler runs, strictly as the kernel validates new families (or
//! liberally: `FamilySpec::lenient(cmd)`): an attribute your set does not declare is `EINVAL`
//! "Unknown attribute type", a `u8` of two bytes "invalid attribute length", a flag with a
//! payload `ERANGE`, each with the attribute's offset and the policy it failed; a missing
//! required field is `MISS_TYPE` (with `MISS_NEST` inside a nest). Your client sees these as
//! it sees the kernel's: `k.attr_path` is `DevGet.ifindex`, `k.missing_path` names the field.
//! A test can so check that the client sends what the family declares.
//!
//! What the fake checks and answers like the kernel (routing, `EOPNOTSUPP`, `EPERM` for
//! admin-only operations on `connect_unprivileged`
//! connections, validation, ACKs, dump datagrams and `NLMSG_DONE`), the faults it injects
//! (`Fault`: drop, delay, overrun, foreign sender, truncation, interrupted dump, stale
//! sequence number), and its known gaps (the schema has no ranges or length limits, so
//! neither has the fake's policy) are listed in the module documentation of
//! `netlink_genl::testing`. The `echo` example (`cargo run -p examples --bin echo`) and the
//! `ovs` example (`--bin ovs`: an Open vSwitch datapath client with the `struct ovs_header`
//! user header) are complete programs built this way.
//!
//! For a peer that is not a generic netlink family, or to script raw bytes,
//! [`MemTransport`](netlink_genl_core::mem::MemTransport) is the layer below: a closure gets
//! each request's bytes.
//!
//! ### Check your types against the running kernel
//!
//! A family's types say which commands are requests (`#[genl(do(request(..)), dump(..))]`)
//! and what each attribute is; the kernel says the same in `GETFAMILY` (operations and their
//! do/dump handlers) and `GETPOLICY` (each operation's attribute policy).
//! [`GenlSocket::check_schema`](crate::GenlSocket::check_schema) (and the async socket's)
//! reads both and compares, operation by operation: attributes a request declares that the
//! kernel's policy does not accept, attributes the kernel has and your set lacks, widths and
//! kinds (a `u16` for a kernel `u32`, a string for binary, a flag for a `u8`), bounds your
//! field can exceed (a `u32` where the kernel says `max 255`: add `#[nla(max = 255)]`),
//! nested policies (with their paths), commands the kernel does not have or whose do/dump
//! handlers differ, permissions (`#[genl(admin_perm)]` against the kernel's
//! `GENL_ADMIN_PERM`), multicast groups. An enum's or flags' own values bound a field of that
//! type as the kernel's generated policies do, so a `QueueType` field fits a kernel `max 1`.
//!
//! ```
//! use netlink_genl::{GenlMessage, GenlSocket, NlAttrs, Severity};
//!
//! #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! pub struct Dev {
//!     #[nla(id = 1)] pub ifindex: Option<u16>, // the kernel's is a u32, at least 1
//! }
//!
//! #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! #[genl(family = "netdev", version = 1)]
//! pub enum Netdev {
//!     #[genl(cmd = 1, reply = DevGet, do(request(ifindex)), dump)]
//!     DevGet(Dev),
//! }
//!
//! let mut sock = GenlSocket::new()?;
//! let report = sock.check_schema::<Netdev>()?;
//! assert!(!report.is_clean());
//! let f = report.at("DevGet.do.request.ifindex").next().unwrap();
//! assert_eq!(f.severity, Severity::Mismatch);
//! println!("{report}");
//! // mismatch type DevGet.do.request.ifindex: the field is a u16, the kernel's attribute is
//! //   u32 (type: u16 min 0 max 65535; kernel: u32 min 1 max 4294967295)
//! # Ok::<(), netlink_genl::Error>(())
//! ```
//!
//! Severities: a **mismatch** is a request you declared that can fail or a value the kernel
//! can reject; a **warning** may break a request: `GETPOLICY` does not say which attributes
//! a handler requires, so an attribute the kernel has and your set lacks is reported as
//! possibly required, at a lower severity than a mismatch, and so is a permission the kernel
//! requires that your type does not declare (unprivileged, the request gets `EPERM`); a
//! **note** breaks nothing you declared (a kernel command you do not declare). The rules and the table of compatible
//! kinds (big-endian and `u16`, an IPv4 address and `u32`, a string and `string` or
//! `nul-string`, `uint` and `UINT`, ...) are in [`check`](crate::check). The `genl` example
//! runs it for every family the project declares or generates: `genl check [FAMILY]
//! [--json]`, exiting 1 on a mismatch.
//!
//! The same view of your types, as the kernel's `GETPOLICY` would show it, is
//! [`policy::schema_policy`](crate::policy::schema_policy); the fake kernel serves it.
//!
//! ## 10. Limits
//!
//! What the library bounds, so that no input can make it allocate without limit or recurse
//! without end:
//!
//! - **Nesting**: derived decoders stop at [`MAX_NEST_DEPTH`](netlink_genl_core::attr::MAX_NEST_DEPTH)
//!   (32) levels with a `TooDeep` error; the attribute iterator itself never recurses.
//! - **Allocation follows the input**: no length field is ever used to size an allocation;
//!   decoded collections grow one element per attribute actually present (each at least 4
//!   bytes of input). An indexed array (`array`, or
//!   [`ArrayView::to_vec`](netlink_genl_core::attr::ArrayView::to_vec)) counts its entries and
//!   sizes its `Vec` once, but reserves at most 4 bytes of memory per byte of its payload
//!   before the elements decode; beyond that the `Vec` grows as elements actually decode, so
//!   entries that fail cost nothing (16,382 empty entries of a 1 KiB element, a 64 KiB input
//!   failing on entry 0, peak at 256 KiB). The memory a decode uses is bounded by a small
//!   multiple of the message size, plus what the decoded values themselves hold where they are
//!   larger in memory than on the wire (a 1 KiB struct decoded from an empty nest holds its
//!   1 KiB).
//! - **Message size**: a message lives in one datagram. The read buffer is 128 KiB
//!   ([`DEFAULT_READ_BUFFER`](netlink_genl_core::socket::DEFAULT_READ_BUFFER)), four times the
//!   largest dump datagram the kernel sends, and each datagram is read in one system call. A
//!   larger datagram from the kernel (only a do reply can be) is reported as an error and
//!   counted, never decoded cut short, and the buffer grows so the next one fits, up to 4 MiB
//!   ([`set_max_read_buffer`](netlink_genl_core::socket::NlSocket::set_max_read_buffer)); with
//!   [`set_peek_sizing(true)`](netlink_genl_core::socket::NlSocket::set_peek_sizing) every datagram
//!   is sized first and none is lost. Datagrams from other senders never make it grow.
//! - **Waits**: each datagram of an answer is waited for at most the socket's timeout (10 s by
//!   default); notifications without bound unless an event timeout is set.
//! - **Queued notifications** (arriving while a request runs): at most 4096 by default
//!   ([`NlSocket::set_queue_limit`](netlink_genl_core::socket::NlSocket::set_queue_limit)); beyond,
//!   they are dropped and reported as [`Error::Overrun`](crate::Error::Overrun).
//! - **Encoding**: an attribute payload over 65531 bytes (the 16-bit `nla_len`) is an
//!   `EncodeError`, never truncated; writing into a fixed buffer that is too small is an error
//!   (`encode_attrs_into_slice` says how many bytes the whole encoding needs).
//!   A string holding a NUL byte is an `InteriorNul` error naming the field, never sent cut
//!   short at the NUL.
//! - **Strings at the limit**: decode and encode agree on every string an attribute can hold.
//!   A string of up to 65,530 bytes is written with its NUL (65,531 bytes of payload, `nla_len`
//!   65,535). The kernel may send a 65,531-byte payload without a NUL (`NLA_STRING` does not
//!   need one); it decodes as a 65,531-byte string and encodes back to the same bytes, without
//!   a NUL (a kernel policy of `NLA_NUL_STRING` refuses that, with its own error). A string of
//!   65,532 bytes or more cannot be carried and is a `PayloadTooLarge` error. A shorter string
//!   received without its NUL is written back with one, 4 bytes longer after padding at most:
//!   a nest packed with many such strings can then outgrow the 65,531-byte limit when encoded
//!   again (the kernel sends its strings with the NUL).
//!
//! ## 11. Use a family from its YNL spec
//!
//! Most families the kernel added since 6.0 (and many older ones) come with a YNL spec, the
//! YAML file from which the kernel's own C and Python clients are generated. From it,
//! `netlink-ynl` writes the code of chapters 2 and 3 for you.
//!
//! **Get the spec.** It is `Documentation/netlink/specs/NAME.yaml` in the kernel tree; to
//! download one: `https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/plain/Documentation/netlink/specs/NAME.yaml`
//! (add `?h=v6.18` for the spec of a release; pick the kernel you run against). The specs are
//! licensed `(GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause` (their first line): keep that
//! line in the copy you commit.
//!
//! **Generate once, with the command-line tool** (`cargo install netlink-ynl`, or in this
//! repository `cargo run -p netlink-ynl --`), and commit the output:
//!
//! ```text
//! netlink-ynl generate netdev.yaml -o src/netdev.rs
//! ```
//!
//! then declare the module (`mod netdev;`) in a crate that depends on `netlink-genl` (and on
//! `zerocopy` when the spec has `struct` definitions or a `fixed-header`).
//!
//! **Or at every build, from `build.rs`** with the library API ([`netlink_ynl::generate`]
//! returns the text; `module_doc(false)` leaves out the `//!` lines, which `include!` cannot
//! take), with `netlink-ynl` under `[build-dependencies]` and the spec in `specs/`:
//!
//! [`netlink_ynl::generate`]: https://docs.rs/netlink-ynl/latest/netlink_ynl/fn.generate.html
//!
//! ```rust,ignore
//! //! build.rs: generate the netdev family from its YNL spec into OUT_DIR.
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let spec = "specs/netdev.yaml";
//!     println!("cargo:rerun-if-changed={spec}");
//!     let yaml = std::fs::read_to_string(spec)?;
//!     let options = netlink_ynl::Options::default().module_doc(false);
//!     let rust = netlink_ynl::generate(&yaml, &options)?;
//!     let out = std::path::Path::new(&std::env::var("OUT_DIR")?).join("netdev.rs");
//!     std::fs::write(out, rust)?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate: `mod netdev { include!(concat!(env!("OUT_DIR"), "/netdev.rs")); }`.
//!
//! **What you get** is what the previous chapters write by hand: one struct per attribute set
//! (every attribute an `Option`, the spec's `doc` as doc comments, its `checks` as bounds), one
//! message enum with the declared answers and each operation's request and reply attributes,
//! and the definitions as enums and flag types that keep values the spec does not name. From
//! `netdev.yaml`:
//!
//! ```rust,ignore
//! /// Attribute set `dev`.
//! #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
//! pub struct Dev {
//!     /// `ifindex`: netdev ifindex
//!     #[nla(id = 1, min = 1)]
//!     pub ifindex: Option<u32>,
//!     /// `xdp-features`: Bitmask of enabled xdp-features.
//!     #[nla(id = 3)]
//!     pub xdp_features: Option<XdpAct>,
//!     // ... xdp-zc-max-segs, xdp-rx-metadata-features, xsk-features
//! }
//!
//! #[rustfmt::skip]
//! #[derive(Debug, Clone, PartialEq, GenlMessage)]
//! #[genl(family = "netdev", version = 1, groups("mgmt", "page-pool"))]
//! pub enum Netdev {
//!     /// `dev-get` (do, dump).
//!     ///
//!     /// Get / dump information about a netdev.
//!     #[genl(
//!         cmd = 1,
//!         reply = DevGet,
//!         do(
//!             request(ifindex),
//!             reply(ifindex, xdp_features, xdp_zc_max_segs, xdp_rx_metadata_features, xsk_features),
//!         ),
//!         dump(
//!             request(),
//!             reply(ifindex, xdp_features, xdp_zc_max_segs, xdp_rx_metadata_features, xsk_features),
//!         ),
//!     )]
//!     DevGet(Dev),
//!     /// `dev-add-ntf` (notification).
//!     ///
//!     /// Notification about device appearing.
//!     ///
//!     /// Sent to the multicast group `mgmt`.
//!     #[genl(
//!         cmd = 2,
//!         mcast = "mgmt",
//!         event(ifindex, xdp_features, xdp_zc_max_segs, xdp_rx_metadata_features, xsk_features),
//!     )]
//!     DevAddNtf(Dev),
//!     // ... the other operations
//! }
//! ```
//!
//! **Use it** with [`GenlSocket`](crate::GenlSocket) (or `AsyncGenlSocket`) as any derived
//! family: requests, dumps and notifications, errors that name the field (chapter 6), the fake
//! kernel for tests (chapter 9).
//!
//! ```rust,ignore
//! use netdev::{Dev, Netdev};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//!
//! // A request (do): device 1. The reply is the same variant.
//! let req = Netdev::DevGet(Dev {
//!     ifindex: Some(1),
//!     ..Dev::default()
//! });
//! let Netdev::DevGet(lo) = sock.request(&req)? else {
//!     return Err("not a dev-get reply".into());
//! };
//! println!("lo: {:?}", lo.xdp_features.unwrap_or_default().names());
//!
//! // A dump: every device of the network namespace.
//! for msg in sock.dump(&Netdev::DevGet(Dev::default()))? {
//!     if let Netdev::DevGet(dev) = msg? {
//!         println!("{:?}: {:?}", dev.ifindex, dev.xdp_features);
//!     }
//! }
//!
//! // Notifications: join one of the spec's groups (netdev::MCAST_GROUPS), then receive.
//! sock.join::<Netdev>("mgmt")?;
//! let event = sock.recv_event::<Netdev>()?;
//! if let Netdev::DevAddNtf(dev) = &event.msg {
//!     println!("new device {:?}", dev.ifindex);
//! }
//! ```
//!
//! (These steps run in the repository's tests: `examples/build.rs` is the block above,
//! `examples/tests/ynl_guide.rs` runs this code against the kernel, and a test of
//! `netlink-ynl` runs the command line.)
//!
//! **The shortcut.** The crate `netlink-families` is this output for all 24 generic netlink
//! specs of a recent kernel, committed, one cargo feature per family:
//! `netlink-families = { version = "0.1", features = ["netdev"] }`, then
//! `use netlink_families::netdev::{Dev, Netdev};` and the code above unchanged. Generate your
//! own when you need another kernel's spec, a family of your own, or fewer dependencies.
//!
//! **What is carried differently.** The generator says, spec by spec and feature by feature,
//! what it generates and what not in the coverage table of its README
//! (<https://github.com/netlink-genl/netlink-genl/tree/main/netlink-ynl#coverage>): for
//! example `sub-message` attributes and nests without a declared set are raw bytes, `checks`
//! without a derive option (a range on an enum-typed value) are a doc line, and classic
//! netlink specs (`rt-*`, `tc`, `conntrack`, `nftables`) are not generated. Where you need
//! more, wrap or replace the generated type by hand (chapters 2 to 5).
//!
//! **When the kernel changes**, download the newer spec and generate again (`build.rs` does
//! it when the spec file changes), and review the diff: new attributes are new `Option`
//! fields (code that builds values with `..Default::default()` still compiles), new
//! operations new variants, new enum values new variants. The old code keeps working with
//! the newer kernel in between: attributes it does not declare are skipped, and enum values it
//! does not name decode as `Unknown(value)`.
