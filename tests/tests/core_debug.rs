//! The debug formatter: headers with flag names, errors with errno names and ext-ack, and
//! annotated hex for attributes whose schema is unknown.

mod common;

use common::fixture;
use netlink_core::debug::{NoNames, format_messages};

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
