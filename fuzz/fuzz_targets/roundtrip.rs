//! Decode, encode, decode again: for the derived nlctrl, ethtool, netdev, mptcp and taskstats
//! messages and for a set with a field of every kind (`kinds.rs`), whatever decodes must
//! encode (into exactly `attrs_len` bytes), decode back to an equal value with the same
//! command, and encode again to the same bytes.
//!
//! Encoding a decoded value has one typed way to fail: an attribute payload is at most
//! 65,531 bytes, and the canonical encoding can be longer than what was decoded (a string sent
//! without its NUL gets one, an unpadded last attribute of a nest gets its padding), so a large
//! nest may not fit again (`PayloadTooLarge`). The encoding is at most twice as long (the worst
//! is an empty string without its NUL: 4 bytes on the wire, 8 written), so that needs a nest,
//! and an input, of more than 32,765 bytes; any other encode error, or this one from a smaller
//! input, fails the target. (A 32,772-byte nest of 8,192 empty strings without NULs decodes,
//! and its encoding needs a 65,536-byte nest: `PayloadTooLarge`. The kernel sends the NUL.)
//!
//! Input: every netlink message in it (as the kernel captures are), decoded with its own
//! command as each family; and `[cmd][attributes...]`, the attributes decoded with `cmd` as
//! each family and as each attribute set.
#![no_main]

#[path = "kinds.rs"]
mod kinds;

use std::fmt::Debug;

use example_families::ethtool::{Ethtool, Linkmodes, Strset};
use example_families::mptcp::{Attr, MptcpEvent, MptcpPm};
use example_families::netdev::Netdev;
use example_families::taskstats::{Taskstats, TaskstatsReply};
use libfuzzer_sys::fuzz_target;
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::netlink_genl_core::attr::AttrWriter;
use netlink_genl::netlink_genl_core::message::MessageIter;
use netlink_genl::socket::GenlView;
use netlink_genl::{
    DecodeAttrsOwned, EncodeAttrs, EncodeError, EncodeErrorKind, GenlDecodeOwned, attrs_to_vec,
};

/// The one tolerated encode failure (see the module doc): a nest that no longer fits, from an
/// input large enough to hold a nest of more than half the limit.
fn tolerated(e: &EncodeError, input_len: usize) -> bool {
    matches!(e.kind(), EncodeErrorKind::PayloadTooLarge { .. }) && input_len > 32_765
}

/// A message's attributes, written into a buffer of exactly `attrs_len` bytes.
fn encode_msg<T: GenlDecodeOwned + Debug>(v: &T) -> Result<Vec<u8>, EncodeError> {
    let n = v.attrs_len();
    let mut buf = vec![0u8; n];
    let mut w = AttrWriter::new(&mut buf);
    v.write_attrs(&mut w)?;
    assert_eq!(
        w.position(),
        n,
        "write_attrs wrote other than attrs_len bytes: {v:?}"
    );
    Ok(buf)
}

fn message<T: GenlDecodeOwned + PartialEq + Debug>(cmd: u8, attrs: &[u8]) {
    let Ok(v) = T::decode_genl(cmd, attrs) else {
        return;
    };
    assert_eq!(v.command(), cmd, "decoded {v:?} with command {cmd}");
    assert!(
        T::command_name(cmd).is_some(),
        "{cmd} decoded without a name"
    );
    let bytes = match encode_msg(&v) {
        Ok(b) => b,
        Err(e) if tolerated(&e, attrs.len()) => return,
        Err(e) => panic!("decoded {v:?} but cannot encode it: {e}"),
    };
    let again = match T::decode_genl(cmd, &bytes) {
        Ok(a) => a,
        Err(e) => panic!("the encoding of {v:?} does not decode: {e}\n{bytes:02x?}"),
    };
    assert_eq!(again, v, "decode(encode(v)) != v\n{bytes:02x?}");
    let twice = encode_msg(&again).unwrap_or_else(|e| panic!("re-encode: {e}"));
    assert_eq!(twice, bytes, "the encoding is not stable");
}

fn set<T: DecodeAttrsOwned + EncodeAttrs + PartialEq + Debug>(attrs: &[u8]) {
    let Ok(v) = T::decode_attrs(attrs) else {
        return;
    };
    let bytes = match attrs_to_vec(&v) {
        Ok(b) => b,
        Err(e) if tolerated(&e, attrs.len()) => return,
        Err(e) => panic!("decoded {v:?} but cannot encode it: {e}"),
    };
    assert_eq!(bytes.len(), v.attrs_len(), "attrs_len is not exact: {v:?}");
    let again = match T::decode_attrs(&bytes) {
        Ok(a) => a,
        Err(e) => panic!("the encoding of {v:?} does not decode: {e}\n{bytes:02x?}"),
    };
    assert_eq!(again, v, "decode(encode(v)) != v\n{bytes:02x?}");
    let twice = attrs_to_vec(&again).unwrap_or_else(|e| panic!("re-encode: {e}"));
    assert_eq!(twice, bytes, "the encoding is not stable");
}

fn all_messages(cmd: u8, attrs: &[u8]) {
    message::<Ctrl>(cmd, attrs);
    message::<Ethtool>(cmd, attrs);
    message::<Netdev>(cmd, attrs);
    message::<MptcpPm>(cmd, attrs);
    message::<MptcpEvent>(cmd, attrs);
    message::<Taskstats>(cmd, attrs);
    message::<kinds::Demo>(cmd, attrs);
}

fuzz_target!(|data: &[u8]| {
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else {
            continue;
        };
        // Every family here has no user header: the attributes follow the genl header.
        all_messages(v.cmd(), v.body());
    }
    let [cmd, attrs @ ..] = data else { return };
    all_messages(*cmd, attrs);
    set::<kinds::AllKinds>(attrs);
    set::<kinds::Required>(attrs);
    set::<kinds::Inner>(attrs);
    set::<Family>(attrs);
    set::<Strset>(attrs);
    set::<Linkmodes>(attrs);
    set::<Attr>(attrs);
    set::<TaskstatsReply>(attrs);
});
