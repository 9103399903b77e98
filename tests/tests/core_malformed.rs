//! The malformed-input catalogue at the wire level: each bad input yields one exact, typed error
//! that says where and what. (Derived-type cases live in the derive tests.)

use netlink_genl_core::ack::{DoneMsg, ErrorMsg};
use netlink_genl_core::attr::codec::{BigEndian, DecodeCodec, Fixed, VarSint, VarUint};
use netlink_genl_core::attr::{AttrIter, AttrWriter, BitField32, NlaDecode, NlaEncode};
use netlink_genl_core::consts::{NLM_F_ACK_TLVS, NLM_F_CAPPED};
use netlink_genl_core::message::{MessageIter, MessageKind};
use netlink_genl_core::{DecodeError, DecodeErrorKind as K, EncodeErrorKind};
use std::net::Ipv4Addr;

fn msg_err(buf: &[u8]) -> DecodeError {
    MessageIter::new(buf)
        .find_map(Result::err)
        .expect("an error")
}

fn attr_err(buf: &[u8]) -> DecodeError {
    AttrIter::new(buf).find_map(Result::err).expect("an error")
}

fn hdr(len: u32, ty: u16, flags: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&1u32.to_ne_bytes());
    v.extend_from_slice(&0u32.to_ne_bytes());
    v
}

#[test]
fn truncated_message_header() {
    let e = msg_err(&hdr(16, 0x10, 0)[..10]);
    assert_eq!(
        *e.kind(),
        K::Truncated {
            what: "message header",
            needed: 16,
            had: 10
        }
    );
    assert_eq!(
        e.to_string(),
        "message #0: truncated message header: needed 16 bytes, had 10 (at byte 0)"
    );
}

#[test]
fn truncated_second_message_names_its_index_and_offset() {
    let mut buf = hdr(16, 0x10, 0);
    buf.extend_from_slice(&hdr(16, 0x10, 0)[..7]);
    let e = msg_err(&buf);
    assert_eq!(
        *e.kind(),
        K::Truncated {
            what: "message header",
            needed: 16,
            had: 7
        }
    );
    assert_eq!(e.offset(), Some(16));
    assert!(e.to_string().starts_with("message #1: "), "{e}");
}

#[test]
fn nlmsg_len_smaller_than_header() {
    let e = msg_err(&hdr(8, 0x10, 0));
    assert_eq!(*e.kind(), K::MsgLenTooSmall { len: 8 });
}

#[test]
fn nlmsg_len_past_the_buffer() {
    let e = msg_err(&hdr(64, 0x10, 0));
    assert_eq!(
        *e.kind(),
        K::MsgLenOverrun {
            len: 64,
            remaining: 16
        }
    );
}

#[test]
fn message_iteration_stops_after_an_error() {
    let mut buf = hdr(8, 0x10, 0);
    buf.extend_from_slice(&hdr(16, 0x10, 0));
    let items: Vec<_> = MessageIter::new(&buf).collect();
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err());
}

#[test]
fn nla_len_smaller_than_header() {
    let e = attr_err(&[3, 0, 1, 0, 0, 0, 0, 0]);
    assert_eq!(*e.kind(), K::AttrLenTooSmall { len: 3 });
    assert_eq!(e.offset(), Some(0));
}

#[test]
fn nla_len_past_the_end() {
    // A good u32 attribute, then one claiming 12 bytes with 8 left.
    let buf = [8, 0, 1, 0, 1, 0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 0];
    let e = attr_err(&buf);
    assert_eq!(
        *e.kind(),
        K::AttrLenOverrun {
            len: 12,
            remaining: 8
        }
    );
    assert_eq!(e.offset(), Some(8));
}

#[test]
fn stray_bytes_after_the_last_attribute() {
    let e = attr_err(&[8, 0, 1, 0, 1, 0, 0, 0, 9, 9]);
    assert_eq!(
        *e.kind(),
        K::Truncated {
            what: "attribute header",
            needed: 4,
            had: 2
        }
    );
    assert_eq!(e.offset(), Some(8));
}

#[test]
fn last_attribute_without_padding_is_accepted() {
    let buf = [5, 0, 1, 0, 42];
    let a: Vec<_> = AttrIter::new(&buf).map(Result::unwrap).collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].payload(), &[42]);
}

#[test]
fn flag_bits_are_masked_from_the_id() {
    let buf = [4, 0, 0x05, 0xc0];
    let a = AttrIter::new(&buf).next().unwrap().unwrap();
    assert_eq!(a.id(), 5);
    assert!(a.is_nested() && a.is_net_byteorder());
}

#[test]
fn nest_whose_inner_length_overruns_it() {
    // Outer nest of 12 bytes holds an inner attribute claiming 16.
    let buf = [12, 0, 1, 0x80, 16, 0, 1, 0, 0, 0, 0, 0];
    let outer = AttrIter::new(&buf).next().unwrap().unwrap();
    let e = outer.nested().find_map(Result::err).unwrap();
    assert_eq!(
        *e.kind(),
        K::AttrLenOverrun {
            len: 16,
            remaining: 8
        }
    );
}

#[test]
fn fixed_kinds_with_the_wrong_length() {
    assert_eq!(
        *u32::decode_payload(&[1, 2]).unwrap_err().kind(),
        K::BadLength {
            expected: 4,
            got: 2
        }
    );
    assert_eq!(
        *u16::decode_payload(&[1, 2, 3, 4]).unwrap_err().kind(),
        K::BadLength {
            expected: 2,
            got: 4
        }
    );
    assert_eq!(
        *u64::decode_payload(&[0; 4]).unwrap_err().kind(),
        K::BadLength {
            expected: 8,
            got: 4
        }
    );
    assert_eq!(
        *u8::decode_payload(&[]).unwrap_err().kind(),
        K::BadLength {
            expected: 1,
            got: 0
        }
    );
    assert_eq!(
        *i32::decode_payload(&[0; 5]).unwrap_err().kind(),
        K::BadLength {
            expected: 4,
            got: 5
        }
    );
    assert_eq!(
        *BitField32::decode_payload(&[0; 4]).unwrap_err().kind(),
        K::BadLength {
            expected: 8,
            got: 4
        }
    );
    assert_eq!(
        *<[u8; 6]>::decode_payload(&[0; 5]).unwrap_err().kind(),
        K::BadLength {
            expected: 6,
            got: 5
        }
    );
    assert_eq!(
        *Ipv4Addr::decode_payload(&[0; 3]).unwrap_err().kind(),
        K::BadLength {
            expected: 4,
            got: 3
        }
    );
    let be: Result<u32, _> = BigEndian::decode(&[0; 3], 0);
    assert_eq!(
        *be.unwrap_err().kind(),
        K::BadLength {
            expected: 4,
            got: 3
        }
    );
}

#[test]
fn variable_width_integers() {
    let ok: u64 = VarUint::decode(&7u32.to_ne_bytes(), 0).unwrap();
    assert_eq!(ok, 7);
    let ok: u64 = VarUint::decode(&(1u64 << 40).to_ne_bytes(), 0).unwrap();
    assert_eq!(ok, 1 << 40);
    let bad: Result<u64, _> = VarUint::decode(&[0; 6], 0);
    assert_eq!(
        *bad.unwrap_err().kind(),
        K::BadLength {
            expected: 8,
            got: 6
        }
    );
    // An 8-byte value that does not fit the field's type.
    let narrow: Result<u32, _> = VarUint::decode(&(1u64 << 40).to_ne_bytes(), 0);
    assert_eq!(
        *narrow.unwrap_err().kind(),
        K::InvalidValue {
            value: 1 << 40,
            ty: "u32"
        }
    );
    let neg: i64 = VarSint::decode(&(-5i32).to_ne_bytes(), 0).unwrap();
    assert_eq!(neg, -5);
}

#[test]
fn fixed_struct_short_payload_is_an_error_longer_is_accepted() {
    #[derive(zerocopy::FromBytes, zerocopy::KnownLayout, zerocopy::Immutable, Debug)]
    #[repr(C)]
    struct S {
        a: u32,
        b: u32,
    }
    let short: Result<S, _> = Fixed::decode(&[0; 7], 0);
    assert_eq!(*short.unwrap_err().kind(), K::TooShort { min: 8, got: 7 });
    let long: S = Fixed::decode(&[1, 0, 0, 0, 2, 0, 0, 0, 9, 9, 9, 9], 0).unwrap();
    assert_eq!((long.a, long.b), (1, 2));
}

#[test]
fn bad_utf8() {
    let e = <&str>::decode_payload(b"ab\xff\0").unwrap_err();
    assert!(matches!(e.kind(), K::Utf8(_)));
    assert!(e.to_string().starts_with("invalid UTF-8"), "{e}");
}

#[test]
fn strings_with_and_without_nul() {
    assert_eq!(<&str>::decode_payload(b"eth0\0").unwrap(), "eth0");
    assert_eq!(<&str>::decode_payload(b"eth0").unwrap(), "eth0");
    // A fixed-size name buffer: the string ends at the first NUL.
    assert_eq!(<&str>::decode_payload(b"lo\0\0\0\0").unwrap(), "lo");
    assert_eq!(<&str>::decode_payload(b"").unwrap(), "");
}

#[test]
fn truncated_nlmsgerr() {
    let e = ErrorMsg::parse(0, &[0xea, 0xff, 0xff, 0xff, 0, 0]).unwrap_err();
    assert_eq!(
        *e.kind(),
        K::Truncated {
            what: "nlmsgerr",
            needed: 20,
            had: 6
        }
    );
}

#[test]
fn bad_ext_ack_attribute_names_it() {
    // nlmsgerr (capped) + OFFS with a 2-byte payload.
    let mut p = (-22i32).to_ne_bytes().to_vec();
    p.extend_from_slice(&hdr(20, 0x10, 5));
    p.extend_from_slice(&[6, 0, 2, 0, 1, 0, 0, 0]);
    let e = ErrorMsg::parse(NLM_F_CAPPED | NLM_F_ACK_TLVS, &p).unwrap_err();
    assert_eq!(
        *e.kind(),
        K::BadLength {
            expected: 4,
            got: 2
        }
    );
    assert_eq!(e.to_string(), "offs: expected 4 bytes, got 2 (at byte 24)");
}

#[test]
fn done_with_a_short_errno() {
    let e = DoneMsg::parse(0, &[0, 0]).unwrap_err();
    assert_eq!(
        *e.kind(),
        K::Truncated {
            what: "NLMSG_DONE errno",
            needed: 4,
            had: 2
        }
    );
    // An empty DONE payload is a clean end.
    assert_eq!(DoneMsg::parse(0, &[]).unwrap().error, 0);
}

#[test]
fn error_inside_a_message_kind_reports_the_absolute_offset() {
    let mut buf = hdr(22, 2, 0);
    buf.extend_from_slice(&[0; 6]);
    let m = MessageIter::new(&buf).next().unwrap().unwrap();
    let e = m.kind().unwrap_err();
    assert_eq!(e.offset(), Some(16));
}

#[test]
fn dump_interrupted_is_visible() {
    let buf = hdr(
        16,
        0x10,
        netlink_genl_core::consts::NLM_F_MULTI | netlink_genl_core::consts::NLM_F_DUMP_INTR,
    );
    let m = MessageIter::new(&buf).next().unwrap().unwrap();
    assert!(m.is_dump_interrupted() && m.is_multi());
    assert!(matches!(m.kind().unwrap(), MessageKind::Data(p) if p.is_empty()));
}

/// A recursive kind (a tree of keyed nests) decoding 64 KiB of nested headers: the depth bound
/// stops it long before the stack does.
#[test]
fn deep_nesting_is_bounded() {
    #[derive(Debug)]
    struct Tree(#[allow(dead_code)] Vec<(u16, Tree)>);
    impl<'a> NlaDecode<'a> for Tree {
        fn decode_payload(p: &'a [u8]) -> Result<Self, DecodeError> {
            Self::decode_payload_at(p, 0)
        }
        fn decode_payload_at(p: &'a [u8], depth: u32) -> Result<Self, DecodeError> {
            Vec::<(u16, Tree)>::decode_payload_at(p, depth).map(Tree)
        }
    }
    let mut buf = vec![0u8; 65532];
    let mut off = 0;
    while off + 4 <= buf.len() {
        let len = (buf.len() - off) as u16;
        buf[off..off + 2].copy_from_slice(&len.to_ne_bytes());
        buf[off + 2..off + 4].copy_from_slice(&(1u16 | 0x8000).to_ne_bytes());
        off += 4;
    }
    let e = Tree::decode_payload(&buf).unwrap_err();
    assert_eq!(
        *e.kind(),
        K::TooDeep {
            limit: netlink_genl_core::attr::MAX_NEST_DEPTH
        }
    );
    assert_eq!(e.path().0.len(), 32, "one key segment per level: {e}");
}

#[test]
fn payload_too_large_to_encode() {
    let mut buf = vec![0u8; 100_000];
    let mut w = AttrWriter::new(&mut buf);
    let e = w.put_value(1, &vec![0u8; 65_532]).unwrap_err();
    assert_eq!(
        *e.kind(),
        EncodeErrorKind::PayloadTooLarge {
            len: 65_532,
            max: 65_531
        }
    );
    // The largest payload that fits.
    let mut w = AttrWriter::new(&mut buf);
    w.put_value(1, &vec![0u8; 65_531]).unwrap();
    assert_eq!(w.position(), 65_536);
    // A nest that grows too large is caught when it is closed.
    let mut w = AttrWriter::new(&mut buf);
    let n = w.begin_nest(1).unwrap();
    for _ in 0..3 {
        w.put_value(2, &vec![0u8; 30_000]).unwrap();
    }
    let e = w.end_nest(n).unwrap_err();
    assert!(
        matches!(e.kind(), EncodeErrorKind::PayloadTooLarge { .. }),
        "{e}"
    );
}

#[test]
fn writer_zeroes_padding_in_a_dirty_buffer() {
    let mut buf = [0xaau8; 16];
    let mut w = AttrWriter::new(&mut buf);
    w.put_value(1, &[7u8][..]).unwrap();
    assert_eq!(w.position(), 8);
    assert_eq!(&buf[..8], &[5, 0, 1, 0, 7, 0, 0, 0]);
}

#[test]
fn encode_lengths_are_known_before_writing() {
    let s = "nlctrl";
    assert_eq!(s.payload_len(), 7);
    assert_eq!(netlink_genl_core::attr::attr_size(s.payload_len()), 12);
}
