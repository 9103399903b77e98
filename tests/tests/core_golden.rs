//! Golden tests on the raw kernel captures: every reply decodes at the netlink level to what
//! the fixtures' README says, and hand-built requests equal the captured request bytes.

mod common;

use common::{fixture, fixture_dir};
use netlink_genl_core::ack::ExtAck;
use netlink_genl_core::attr::{AttrIter, AttrWriter};
use netlink_genl_core::consts::*;
use netlink_genl_core::message::{MessageIter, MessageKind, build_message};
use netlink_genl_core::{ErrorMsg, NlaDecode};

const GENL_ID_CTRL: u16 = 0x10;

/// Every capture parses as a stream of whole messages, with no error and nothing left over.
#[test]
fn every_fixture_parses_as_messages() {
    let mut seen = 0;
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("bin") {
            continue;
        }
        let buf = std::fs::read(&path).unwrap();
        let mut total = 0;
        for m in MessageIter::new(&buf) {
            let m = m.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            total += align(m.header().len as usize);
            // Control messages must interpret cleanly too (except connector data, type DONE).
            let name = path.file_name().unwrap().to_str().unwrap();
            if !name.starts_with("proc-connector") {
                m.kind().unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
        assert_eq!(total, buf.len(), "{}: trailing bytes", path.display());
        seen += 1;
    }
    assert_eq!(seen, 36, "fixture count changed");
}

#[test]
fn family_dump_has_15_newfamily_and_done() {
    let buf = fixture("nlctrl-getfamily-dump.reply.bin");
    let msgs: Vec<_> = MessageIter::new(&buf).map(Result::unwrap).collect();
    assert_eq!(msgs.len(), 16);
    let mut names = Vec::new();
    for m in &msgs[..15] {
        assert_eq!(m.header().ty, GENL_ID_CTRL);
        assert!(m.is_multi());
        assert!(!m.is_dump_interrupted());
        let MessageKind::Data(p) = m.kind().unwrap() else {
            panic!("not data")
        };
        assert_eq!(&p[..2], &[1, 2], "cmd NEWFAMILY, version 2");
        // CTRL_ATTR_FAMILY_NAME = 2
        let name = AttrIter::new(&p[4..])
            .map(Result::unwrap)
            .find(|a| a.id() == 2)
            .map(|a| <&str>::decode_payload(a.payload()).unwrap())
            .unwrap();
        names.push(name);
    }
    assert_eq!(names[0], "nlctrl");
    for n in ["netdev", "ethtool", "TASKSTATS", "mptcp_pm", "tcp_metrics"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    let last = &msgs[15];
    assert!(last.is_multi());
    match last.kind().unwrap() {
        MessageKind::Done(d) => {
            assert_eq!(d.error, 0);
            assert!(d.ext.is_empty());
        }
        k => panic!("expected DONE, got {k:?}"),
    }
}

#[test]
fn getfamily_do_nlctrl_is_reply_then_capped_ack() {
    let buf = fixture("nlctrl-getfamily-do-nlctrl.reply.bin");
    let msgs: Vec<_> = MessageIter::new(&buf).map(Result::unwrap).collect();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].header().ty, GENL_ID_CTRL);
    assert_eq!(msgs[0].header().flags, 0);
    assert_eq!(msgs[0].header().seq, 1);
    match msgs[1].kind().unwrap() {
        MessageKind::Ack(a) => {
            assert_eq!(a.error, 0);
            assert_eq!(msgs[1].header().flags, NLM_F_CAPPED);
            assert!(a.echoed.is_empty());
            assert_eq!(a.request.seq, 1);
            assert_eq!(a.request.ty, GENL_ID_CTRL);
        }
        k => panic!("expected ACK, got {k:?}"),
    }
}

fn single_error(name: &str) -> (u16, Vec<u8>) {
    let buf = fixture(name);
    let msgs: Vec<_> = MessageIter::new(&buf).map(Result::unwrap).collect();
    assert_eq!(msgs.len(), 1, "{name}");
    assert_eq!(msgs[0].header().ty, NLMSG_ERROR);
    (msgs[0].header().flags, msgs[0].payload().to_vec())
}

fn parse_err(flags: u16, payload: &[u8]) -> ErrorMsg<'_> {
    ErrorMsg::parse(flags, payload).unwrap()
}

#[test]
fn err_getfamily_name_wrongtype_has_full_ext_ack() {
    let (flags, p) = single_error("err-getfamily-name-wrongtype.reply.bin");
    // Captured without NETLINK_CAP_ACK: the request is echoed, then the TLVs follow it.
    assert_eq!(flags, NLM_F_ACK_TLVS);
    let e = parse_err(flags, &p);
    assert_eq!(e.error, -22);
    assert_eq!(
        e.echoed,
        &fixture("err-getfamily-name-wrongtype.req.bin")[16..]
    );
    assert_eq!(e.ext.msg, Some("Attribute failed policy validation"));
    assert_eq!(e.ext.offset, Some(20));
    let pol = e.ext.policy.unwrap();
    assert_eq!(pol.ty, Some(policy::types::NUL_STRING));
    assert_eq!(pol.max_length, Some(15));
    let ke = e.to_kernel_error();
    assert_eq!(ke.errno, netlink_genl_core::Errno::INVAL);
    assert_eq!(ke.errno_name(), Some("EINVAL"));
    let s = ke.to_string();
    assert!(
        s.starts_with("EINVAL (22): Invalid argument: Attribute failed policy validation"),
        "{s}"
    );
    assert!(s.contains("nul-string max len 15"), "{s}");
}

#[test]
fn err_without_ext_ack_echoes_the_request() {
    let (flags, p) = single_error("err-getfamily-name-wrongtype-noextack.reply.bin");
    assert_eq!(flags, 0);
    let e = parse_err(flags, &p);
    assert_eq!(e.error, -22);
    assert!(e.ext.is_empty());
    let req = fixture("err-getfamily-name-wrongtype-noextack.req.bin");
    assert_eq!(e.request.len as usize, req.len());
    assert_eq!(e.echoed, &req[16..], "the echoed payload is the request's");
}

#[test]
fn err_replies_match_the_readme_table() {
    /// (fixture, errno, msg, offs, miss_type)
    type Row = (
        &'static str,
        i32,
        Option<&'static str>,
        Option<u32>,
        Option<u32>,
    );
    let table: &[Row] = &[
        ("err-getfamily-unknown-name", -2, None, None, None),
        (
            "err-getpolicy-unknown-attr",
            -22,
            Some("Unknown attribute type"),
            Some(32),
            None,
        ),
        ("err-getpolicy-unknown-op", -2, None, Some(32), None),
        ("err-nlctrl-unknown-cmd-dump", -95, None, None, None),
        ("err-unknown-family-id", -2, None, None, None),
        (
            "err-netdev-devget-ifindex0",
            -34,
            Some("integer out of range"),
            Some(20),
            None,
        ),
        (
            "err-ethtool-nosuchdev",
            -19,
            Some("no device matches name"),
            Some(24),
            None,
        ),
        ("err-ethtool-missing-header", -22, None, None, Some(1)),
    ];
    for &(name, errno, msg, offs, miss) in table {
        let (flags, p) = single_error(&format!("{name}.reply.bin"));
        let e = parse_err(flags, &p);
        assert_eq!(e.error, errno, "{name}");
        assert_eq!(e.ext.msg, msg, "{name}");
        assert_eq!(e.ext.offset, offs, "{name}");
        assert_eq!(e.ext.miss_type, miss, "{name}");
        // The request header is echoed in every error, with our sequence number.
        assert_eq!(e.request.seq, 1, "{name}");
        let req = fixture(&format!("{name}.req.bin"));
        assert_eq!(e.request.len as usize, req.len(), "{name}");
    }
    // netdev ifindex 0: POLICY{TYPE u32, MIN 1, MAX u32::MAX}
    let (flags, p) = single_error("err-netdev-devget-ifindex0.reply.bin");
    let pol = parse_err(flags, &p).ext.policy.unwrap();
    assert_eq!(pol.ty, Some(policy::types::U32));
    assert_eq!(pol.min_value_u, Some(1));
    assert_eq!(pol.max_value_u, Some(u32::MAX as u64));
}

#[test]
fn ext_ack_offset_points_at_the_bad_attribute_in_the_request() {
    // OFFS counts from the request's nlmsghdr: 20 = 16 (nlmsghdr) + 4 (genlmsghdr), the first
    // attribute, FAMILY_NAME (2), sent as a 4-byte u32.
    let req = fixture("err-getfamily-name-wrongtype.req.bin");
    let attrs = &req[20..];
    let a = AttrIter::new(attrs).next().unwrap().unwrap();
    assert_eq!((a.id(), a.payload().len()), (2, 4));
}

#[test]
fn policy_dumps_have_the_documented_message_counts() {
    for (name, data_msgs) in [
        ("nlctrl-getpolicy-nlctrl", 7),
        ("nlctrl-getpolicy-nlctrl-op3", 3),
        ("nlctrl-getpolicy-ethtool", 260),
    ] {
        let buf = fixture(&format!("{name}.reply.bin"));
        let msgs: Vec<_> = MessageIter::new(&buf).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), data_msgs + 1, "{name}");
        for m in &msgs[..data_msgs] {
            let MessageKind::Data(p) = m.kind().unwrap() else {
                panic!("{name}: not data")
            };
            assert_eq!(p[0], 10, "{name}: cmd GETPOLICY");
            for a in AttrIter::new(&p[4..]) {
                let a = a.unwrap();
                // FAMILY_ID, POLICY, OP_POLICY: the policy nests carry NLA_F_NESTED.
                assert!(matches!(a.id(), 1 | 8 | 9), "{name}: attr {}", a.id());
                if a.id() != 1 {
                    assert!(a.is_nested());
                    for inner in a.nested() {
                        inner.unwrap();
                    }
                }
            }
        }
        assert!(matches!(msgs[data_msgs].kind().unwrap(), MessageKind::Done(d) if d.error == 0));
    }
}

#[test]
fn proc_connector_events_are_type_done_with_cn_msg() {
    for (name, what) in [
        ("proc-connector-fork-event.bin", 1u32),
        ("proc-connector-exec-event.bin", 2),
        ("proc-connector-exit-event.bin", 0x8000_0000),
    ] {
        let buf = fixture(name);
        let m = MessageIter::new(&buf).next().unwrap().unwrap();
        assert_eq!(m.header().ty, NLMSG_DONE, "{name}");
        let p = m.payload();
        // cn_msg: idx 1 (CN_IDX_PROC), val 1, seq, ack, len u16, flags u16, then proc_event.
        assert_eq!(u32::from_ne_bytes(p[0..4].try_into().unwrap()), 1);
        assert_eq!(u32::from_ne_bytes(p[4..8].try_into().unwrap()), 1);
        let len = u16::from_ne_bytes(p[16..18].try_into().unwrap()) as usize;
        assert_eq!(20 + len, p.len(), "{name}");
        assert_eq!(
            u32::from_ne_bytes(p[20..24].try_into().unwrap()),
            what,
            "{name}"
        );
    }
}

// ---- encode: hand-built requests, byte for byte ----------------------------------------------

fn genl_request(
    ty: u16,
    flags: u16,
    cmd: u8,
    attrs: impl Fn(&mut AttrWriter<'_>) -> Result<(), netlink_genl_core::EncodeError>,
) -> Vec<u8> {
    let mut buf = Vec::new();
    // Size the payload by writing the attributes once into a scratch buffer.
    let mut scratch = [0u8; 256];
    let mut w = AttrWriter::new(&mut scratch);
    attrs(&mut w).unwrap();
    let n = w.position();
    build_message(&mut buf, ty, flags, 1, 0, 4 + n, |w| {
        w.put_bytes(&[cmd, 1, 0, 0])?;
        attrs(w)
    })
    .unwrap();
    buf
}

#[test]
fn encode_matches_captured_requests() {
    let req = NLM_F_REQUEST;
    let req_ack = NLM_F_REQUEST | NLM_F_ACK;
    let dump = NLM_F_REQUEST | NLM_F_DUMP;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "nlctrl-getfamily-dump",
            genl_request(0x10, dump, 3, |_| Ok(())),
        ),
        (
            "nlctrl-getfamily-do-nlctrl",
            genl_request(0x10, req_ack, 3, |w| w.put_value(2, "nlctrl")),
        ),
        (
            "nlctrl-getfamily-do-ethtool",
            genl_request(0x10, req, 3, |w| w.put_value(2, "ethtool")),
        ),
        (
            "nlctrl-getpolicy-nlctrl",
            genl_request(0x10, dump, 10, |w| w.put_value(2, "nlctrl")),
        ),
        (
            "nlctrl-getpolicy-ethtool",
            genl_request(0x10, dump, 10, |w| w.put_value(2, "ethtool")),
        ),
        (
            "nlctrl-getpolicy-nlctrl-op3",
            genl_request(0x10, dump, 10, |w| {
                w.put_value(2, "nlctrl")?;
                w.put_value(10, &3u32)
            }),
        ),
        (
            "err-getfamily-name-wrongtype",
            genl_request(0x10, req_ack, 3, |w| w.put_raw(2, b"AAAA")),
        ),
        (
            "err-getfamily-unknown-name",
            genl_request(0x10, req_ack, 3, |w| w.put_value(2, "nosuchfam")),
        ),
        (
            "err-getpolicy-unknown-attr",
            genl_request(0x10, dump, 10, |w| {
                w.put_value(2, "nlctrl")?;
                w.put_value(99, &1u32)
            }),
        ),
        (
            "err-nlctrl-unknown-cmd-dump",
            genl_request(0x10, dump, 42, |_| Ok(())),
        ),
        (
            "err-unknown-family-id",
            genl_request(0x7ff0, req_ack, 1, |_| Ok(())),
        ),
        (
            "err-netdev-devget-ifindex0",
            genl_request(20, req_ack, 1, |w| w.put_value(1, &0u32)),
        ),
        (
            "err-ethtool-nosuchdev",
            genl_request(21, req_ack, 2, |w| {
                let n = w.begin_nest(1)?;
                w.put_value(2, "nosuchdev")?;
                w.end_nest(n)
            }),
        ),
        (
            "err-ethtool-missing-header",
            genl_request(21, req_ack, 11, |_| Ok(())),
        ),
    ];
    for (name, built) in cases {
        assert_eq!(built, fixture(&format!("{name}.req.bin")), "{name}");
    }
}

#[test]
fn encode_into_a_fixed_buffer_too_small_is_an_error() {
    let mut small = [0u8; 8];
    let mut w = AttrWriter::new(&mut small);
    let e = w.put_value(2, "nlctrl").unwrap_err();
    assert_eq!(
        e.to_string(),
        "buffer too small: needed 11 bytes, had 8",
        "the header fits; the 7-byte string does not"
    );
}

#[test]
fn ext_ack_parse_skips_unknown_attributes() {
    let mut buf = [0u8; 32];
    let mut w = AttrWriter::new(&mut buf);
    w.put_value(99, &7u32).unwrap();
    w.put_value(NLMSGERR_ATTR_OFFS, &20u32).unwrap();
    let n = w.position();
    let e = ExtAck::parse(&buf[..n]).unwrap();
    assert_eq!(e.offset, Some(20));
}

#[test]
fn errno_names_cover_what_families_return() {
    use netlink_genl_core::ack::errno_name;
    for (n, name) in [
        (2, "ENOENT"),
        (22, "EINVAL"),
        (95, "EOPNOTSUPP"),
        (99, "EADDRNOTAVAIL"),
        (524, "ENOTSUPP"),
    ] {
        assert_eq!(errno_name(n), Some(name));
    }
    assert_eq!(errno_name(4095), None);
}
