//! The debug formatter: headers with flag names, errors with errno names and ext-ack, and
//! annotated hex for attributes whose schema is unknown.

mod common;

use common::fixture;
use netlink_genl_core::debug::{NoNames, format_messages};

#[test]
fn unknown_schema_is_annotated() {
    let text = format_messages(&fixture("nlctrl-getfamily-do-ethtool.reply.bin"), &NoNames);
    assert!(text.starts_with("  #0 type 16 flags=0 seq=1"), "{text}");
    // Without genl knowledge the payload is shown as hex, offsets and ASCII.
    assert!(text.contains("0000: 01 02 00 00"), "{text}");
    assert!(text.contains("|........ethtool.|"), "{text}");
}

#[test]
fn errors_show_errno_name_and_ext_ack() {
    let text = format_messages(&fixture("err-getfamily-name-wrongtype.reply.bin"), &NoNames);
    assert!(text.contains("ERROR EINVAL (22) flags=ACK_TLVS"), "{text}");
    assert!(
        text.contains("request: type 16 flags=REQUEST|ACK seq=1"),
        "{text}"
    );
    assert!(
        text.contains("msg: \"Attribute failed policy validation\""),
        "{text}"
    );
    assert!(text.contains("offset: 20"), "{text}");
    assert!(text.contains("policy: nul-string max len 15"), "{text}");
    let text = format_messages(&fixture("err-ethtool-missing-header.reply.bin"), &NoNames);
    assert!(text.contains("missing type: 1"), "{text}");
}

#[test]
fn dump_flags_and_done() {
    let text = format_messages(&fixture("nlctrl-getfamily-dump.req.bin"), &NoNames);
    assert!(text.contains("flags=REQUEST|DUMP "), "{text}");
    let text = format_messages(&fixture("nlctrl-getfamily-dump.reply.bin"), &NoNames);
    assert_eq!(text.matches(" flags=MULTI ").count(), 16, "{text}");
    assert!(text.contains("#15 DONE flags=MULTI"), "{text}");
}

#[test]
fn garbage_is_reported_not_panicked_on() {
    let text = format_messages(&[0xff; 10], &NoNames);
    assert!(text.contains("truncated message header"), "{text}");
}

/// Kinds compose: arrays and keyed nests of any kind, sets that contain themselves (bounded by
/// the depth limit), big-endian and variable-width integers, and bad lengths are shown, not
/// trusted.
#[test]
fn composed_kinds() {
    use netlink_genl_core::attr::AttrWriter;
    use netlink_genl_core::debug::Resolver;
    use netlink_genl_core::message::build_message;
    use netlink_genl_core::schema::{AttrInfo, AttrKind, Schema};

    static TREE: Schema = Schema::new(
        "Tree",
        &[
            AttrInfo::new(1, "port", AttrKind::Be16),
            AttrInfo::new(2, "count", AttrKind::Uint),
            AttrInfo::new(3, "delta", AttrKind::Sint),
            AttrInfo::new(4, "list", AttrKind::Array(&AttrKind::U32)),
            AttrInfo::new(5, "map", AttrKind::Keyed(&AttrKind::String)),
            AttrInfo::new(6, "child", AttrKind::Nested(|| &TREE)),
            AttrInfo::new(7, "short", AttrKind::U32),
        ],
    );
    struct Names;
    impl Resolver for Names {
        fn fixed_header_len(&self, _: u16) -> usize {
            4
        }
        fn schema(&self, _: u16, _: u8, _: bool) -> Option<&'static Schema> {
            Some(&TREE)
        }
    }
    fn nest(w: &mut AttrWriter<'_>, depth: usize) -> Result<(), netlink_genl_core::EncodeError> {
        if depth > 0 {
            let n = w.begin_nest(6)?;
            nest(w, depth - 1)?;
            w.end_nest(n)?;
        }
        Ok(())
    }
    let mut buf = Vec::new();
    build_message(&mut buf, 0x20, 0, 1, 0, 4 + 512, |w| {
        w.put_bytes(&[1, 1, 0, 0])?;
        w.put_bytes(&[6, 0, 1, 0, 0x12, 0x34, 0, 0])?; // port, big-endian 0x1234
        w.put_value(2, &(1u64 << 33))?;
        w.put_value(3, &-7i32)?;
        let l = w.begin_nest(4)?;
        w.put_value(1, &10u32)?;
        w.put_value(2, &20u32)?;
        w.end_nest(l)?;
        let m = w.begin_nest(5)?;
        w.put_value(9, "nine")?;
        w.end_nest(m)?;
        w.put_value(7, &1u16)?;
        nest(w, 40)
    })
    .unwrap();
    let text = format_messages(&buf, &Names);
    assert!(text.contains("  port(1): 4660 (0x1234)\n"), "{text}");
    assert!(
        text.contains("  count(2): 8589934592 (0x200000000)\n"),
        "{text}"
    );
    assert!(text.contains("  delta(3): -7\n"), "{text}");
    assert!(
        text.contains("  list(4) [N]\n      [1]: 10 (0xa)\n      [2]: 20 (0x14)\n"),
        "{text}"
    );
    assert!(
        text.contains("  map(5) [N]\n      key 9: \"nine\"\n"),
        "{text}"
    );
    assert!(text.contains("  short(7): <2 bytes, expected 4>"), "{text}");
    assert!(
        text.contains("    child(6) [N]\n      child(6) [N]\n"),
        "{text}"
    );
    // 40 levels of `child`: past the depth bound the rest is hex.
    assert!(text.matches("child(6)").count() < 40, "{text}");
}

#[test]
fn wire_debug_shows_names_of_a_derived_value() {
    use netlink_genl::ctrl::{Family, McastGroup};
    use netlink_genl_core::debug::WireDebug;
    let f = Family {
        name: Some("demo".into()),
        id: Some(30),
        mcast_groups: vec![McastGroup {
            name: Some("events".into()),
            id: Some(7),
        }],
        ..Default::default()
    };
    let text = format!("{:?}", WireDebug(&f));
    assert!(text.starts_with("Family {\n"), "{text}");
    assert!(text.contains("  id(1): 30 (0x1e)\n"), "{text}");
    assert!(text.contains("  name(2): \"demo\"\n"), "{text}");
    assert!(text.contains("mcast_groups(7) [N]"), "{text}");
    assert!(text.contains("name(1): \"events\""), "{text}");
    assert!(text.ends_with('}'), "{text}");
}

#[test]
fn addresses_trace_as_addresses() {
    use netlink_genl::NlAttrs;
    use netlink_genl_core::debug::WireDebug;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
    struct Endpoint {
        #[nla(id = 1)]
        addr4: Option<Ipv4Addr>,
        #[nla(id = 2)]
        addr6: Option<Ipv6Addr>,
    }
    let e = Endpoint {
        addr4: Some(Ipv4Addr::new(10, 0, 0, 1)),
        addr6: Some("2001:db8::1".parse().unwrap()),
    };
    let text = format!("{:?}", WireDebug(&e));
    assert!(text.contains("addr4(1): 10.0.0.1"), "{text}");
    assert!(text.contains("addr6(2): 2001:db8::1"), "{text}");
    // A payload of the wrong size is shown for what it is.
    let bad = netlink_genl_core::debug::format_attrs(
        &[7, 0, 1, 0, 10, 0, 0, 0],
        Some(&<Endpoint as netlink_genl_core::AttrSet>::SCHEMA),
    );
    assert!(bad.contains("<3 bytes, expected 4>"), "{bad}");
}
