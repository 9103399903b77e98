//! nlctrl declared with the derives (a private copy, independent of `netlink_genl::ctrl`),
//! decoding the kernel captures: the GETFAMILY dump (15 families) and the GETPOLICY dumps.

mod common;

use std::collections::BTreeMap;

use netlink_genl::{DecodeAttrs, EncodeAttrs, GenlDecode, GenlMessage, NlAttrs};
use netlink_genl_core::message::{MessageIter, MessageKind};

// Ids from <linux/genetlink.h>; some are given as consts to exercise `id = CONST`.
const CTRL_ATTR_FAMILY_ID: u16 = 1;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const CTRL_ATTR_OPS: u16 = 6;
const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
const CTRL_CMD_GETPOLICY: u8 = 10;

/// `CTRL_ATTR_OP_*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
struct Op {
    #[nla(id = 1)]
    id: u32,
    #[nla(id = 2)]
    flags: u32,
}

/// `CTRL_ATTR_MCAST_GRP_*`, in the kernel's wire order (id first).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
struct McastGroup {
    #[nla(id = 2)]
    id: u32,
    #[nla(id = 1)]
    name: String,
}

/// `NL_POLICY_TYPE_ATTR_*` (<linux/netlink.h>).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
struct PolicyAttr {
    #[nla(id = 1)]
    ty: Option<u32>,
    #[nla(id = 2)]
    min_value_s: Option<i64>,
    #[nla(id = 3)]
    max_value_s: Option<i64>,
    #[nla(id = 4)]
    min_value_u: Option<u64>,
    #[nla(id = 5)]
    max_value_u: Option<u64>,
    #[nla(id = 6)]
    min_length: Option<u32>,
    #[nla(id = 7)]
    max_length: Option<u32>,
    #[nla(id = 8)]
    policy_idx: Option<u32>,
    #[nla(id = 9)]
    policy_maxtype: Option<u32>,
    #[nla(id = 10)]
    bitfield32_mask: Option<u32>,
    #[nla(id = 12)]
    mask: Option<u64>,
}

/// `CTRL_ATTR_POLICY_*`: the policies of one op.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
struct OpPolicy {
    #[nla(id = 1)]
    do_: Option<u32>,
    #[nla(id = 2)]
    dump: Option<u32>,
}

/// `CTRL_ATTR_*`, in the kernel's wire order.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
struct Family {
    #[nla(id = CTRL_ATTR_FAMILY_NAME)]
    name: Option<String>,
    #[nla(id = CTRL_ATTR_FAMILY_ID)]
    id: Option<u16>,
    #[nla(id = 3)]
    version: Option<u32>,
    #[nla(id = 4)]
    hdrsize: Option<u32>,
    #[nla(id = 5)]
    maxattr: Option<u32>,
    #[nla(id = CTRL_ATTR_OPS, array)]
    ops: Vec<Op>,
    #[nla(id = CTRL_ATTR_MCAST_GROUPS, array)]
    mcast_groups: Vec<McastGroup>,
    /// policy index → attribute type → policy of that attribute
    #[nla(id = 8, keyed)]
    policy: BTreeMap<u32, BTreeMap<u16, PolicyAttr>>,
    /// command → its do/dump policy indexes
    #[nla(id = 9, keyed)]
    op_policy: Vec<(u8, OpPolicy)>,
    #[nla(id = 10)]
    op: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum Ctrl {
    #[genl(cmd = 1)]
    NewFamily(Family),
    #[genl(cmd = 2)]
    DelFamily(Family),
    #[genl(cmd = 3)]
    GetFamily(Family),
    #[genl(cmd = CTRL_CMD_GETPOLICY)]
    GetPolicy(Family),
}

/// Every data message of a capture: (genl cmd, genl version, attribute bytes).
fn data_messages(buf: &[u8]) -> Vec<(u8, u8, &[u8])> {
    let mut out = Vec::new();
    for m in MessageIter::new(buf) {
        let m = m.unwrap();
        if let MessageKind::Data(p) = m.kind().unwrap() {
            out.push((p[0], p[1], &p[4..]));
        }
    }
    out
}

/// Clear `NLA_F_NESTED` in every attribute header, recursing into the attributes that had it.
/// The kernel opens some nests without the flag (nlctrl's OPS and MCAST_GROUPS); we always set
/// it on encode, so byte comparisons are made modulo the flag.
fn strip_nested_flag(buf: &mut [u8]) {
    let mut off = 0;
    while off + 4 <= buf.len() {
        let len = u16::from_ne_bytes([buf[off], buf[off + 1]]) as usize;
        let ty = u16::from_ne_bytes([buf[off + 2], buf[off + 3]]);
        if len < 4 || off + len > buf.len() {
            return;
        }
        if ty & 0x8000 != 0 {
            buf[off + 2..off + 4].copy_from_slice(&(ty & 0x7fff).to_ne_bytes());
            strip_nested_flag(&mut buf[off + 4..off + len]);
        }
        off += (len + 3) & !3;
    }
}

/// The OPS and MCAST_GROUPS entries of nlctrl's own reply have no flag: set it where our
/// encoder does, so the comparison is exact.
fn encode_family(f: &Family) -> Vec<u8> {
    let mut v = netlink_genl_core::attrs_to_vec(f).unwrap();
    assert_eq!(v.len(), f.attrs_len(), "attrs_len must be exact");
    strip_nested_flag(&mut v);
    v
}

#[test]
fn getfamily_dump_decodes_15_families() {
    let buf = common::fixture("nlctrl-getfamily-dump.reply.bin");
    let msgs = data_messages(&buf);
    assert_eq!(msgs.len(), 15);
    let mut names = Vec::new();
    for (cmd, version, attrs) in &msgs {
        assert_eq!(*version, 2);
        let Ctrl::NewFamily(f) = Ctrl::decode_genl(*cmd, attrs).unwrap() else {
            panic!("not NEWFAMILY");
        };
        names.push(f.name.clone().unwrap());

        // encode(decode(bytes)) == bytes (modulo NLA_F_NESTED, which we always set)
        let mut orig = attrs.to_vec();
        strip_nested_flag(&mut orig);
        assert_eq!(encode_family(&f), orig, "re-encoding {:?}", f.name);
        // and decode(encode(x)) == x
        let bytes = netlink_genl_core::attrs_to_vec(&f).unwrap();
        assert_eq!(Family::decode_attrs(&bytes).unwrap(), f);
    }
    assert!(names.iter().any(|n| n == "nlctrl"));

    let (cmd, _, attrs) = msgs[0];
    let Ctrl::NewFamily(nlctrl) = Ctrl::decode_genl(cmd, attrs).unwrap() else {
        unreachable!()
    };
    assert_eq!(
        nlctrl,
        Family {
            name: Some("nlctrl".into()),
            id: Some(16),
            version: Some(2),
            hdrsize: Some(0),
            maxattr: Some(0),
            ops: vec![Op { id: 3, flags: 0xe }, Op { id: 10, flags: 0xc }],
            mcast_groups: vec![McastGroup {
                id: 16,
                name: "notify".into()
            }],
            ..Default::default()
        }
    );
}

#[test]
fn getfamily_do_replies_decode() {
    for name in [
        "nlctrl-getfamily-do-nlctrl.reply.bin",
        "nlctrl-getfamily-do-ethtool.reply.bin",
    ] {
        let buf = common::fixture(name);
        let msgs = data_messages(&buf);
        assert_eq!(msgs.len(), 1, "{name}");
        let (cmd, _, attrs) = msgs[0];
        let msg = Ctrl::decode_genl(cmd, attrs).unwrap();
        assert_eq!(msg.command(), 1);
        let Ctrl::NewFamily(f) = msg else {
            unreachable!()
        };
        if name.contains("ethtool") {
            assert_eq!(f.name.as_deref(), Some("ethtool"));
            assert_eq!(f.ops.len(), 50);
        }
    }
}

fn policy_dump(name: &str) -> Vec<Family> {
    let buf = common::fixture(name);
    data_messages(&buf)
        .into_iter()
        .map(|(cmd, _, attrs)| {
            assert_eq!(cmd, CTRL_CMD_GETPOLICY);
            match Ctrl::decode_genl(cmd, attrs).unwrap() {
                Ctrl::GetPolicy(f) => f,
                other => panic!("unexpected {other:?}"),
            }
        })
        .collect()
}

#[test]
fn getpolicy_nlctrl_decodes() {
    let fams = policy_dump("nlctrl-getpolicy-nlctrl.reply.bin");
    assert_eq!(fams.len(), 7);
    assert!(fams.iter().all(|f| f.id == Some(16)));
    // op policies: GETFAMILY (3) uses policy 0 for do and dump; op 0 carries the dump policy 1.
    assert_eq!(
        fams[0].op_policy,
        vec![(
            3,
            OpPolicy {
                do_: Some(0),
                dump: Some(0)
            }
        )]
    );
    assert_eq!(
        fams[1].op_policy,
        vec![(
            0,
            OpPolicy {
                do_: None,
                dump: Some(1)
            }
        )]
    );
    // policy 0, attribute CTRL_ATTR_FAMILY_NAME (2): a NUL string of at most 15 bytes.
    let name_policy = fams
        .iter()
        .find_map(|f| f.policy.get(&0)?.get(&2))
        .expect("policy 0 attr 2");
    assert_eq!(name_policy.ty, Some(12)); // NL_ATTR_TYPE_NUL_STRING
    assert_eq!(name_policy.max_length, Some(15));
    // decode(encode(x)) == x for each
    for f in &fams {
        let bytes = netlink_genl_core::attrs_to_vec(f).unwrap();
        assert_eq!(&Family::decode_attrs(&bytes).unwrap(), f);
    }
}

#[test]
fn getpolicy_nlctrl_op3_decodes() {
    let fams = policy_dump("nlctrl-getpolicy-nlctrl-op3.reply.bin");
    assert_eq!(fams.len(), 3);
    assert_eq!(fams[0].op_policy[0].0, 3);
}

#[test]
fn getpolicy_ethtool_decodes_260_messages() {
    let fams = policy_dump("nlctrl-getpolicy-ethtool.reply.bin");
    assert_eq!(fams.len(), 260);
    let op_policies: usize = fams.iter().map(|f| f.op_policy.len()).sum();
    let policies: usize = fams.iter().map(|f| f.policy.len()).sum();
    assert_eq!(op_policies + policies, 260, "one entry per message");
    // Every policy attribute has a type.
    for f in &fams {
        for attrs in f.policy.values() {
            for p in attrs.values() {
                assert!(p.ty.is_some(), "{p:?}");
            }
        }
    }
    // Some ethtool attributes are nests with a sub-policy (e.g. the request header).
    assert!(
        fams.iter()
            .flat_map(|f| f.policy.values())
            .flat_map(|a| a.values())
            .any(|p| p.policy_idx.is_some())
    );
}

#[test]
fn error_paths_name_the_variant_and_field() {
    let buf = common::fixture("nlctrl-getfamily-dump.reply.bin");
    let (cmd, _, attrs) = data_messages(&buf)[0];
    // Corrupt OP_FLAGS of the second op: nla_len 8 -> 6 (a 2-byte payload).
    let mut bad = attrs.to_vec();
    let flags_off = bad
        .windows(8)
        .enumerate()
        .filter(|(_, w)| *w == [8, 0, 2, 0, 0x0c, 0, 0, 0])
        .map(|(i, _)| i)
        .next()
        .unwrap();
    bad[flags_off] = 6;
    let e = Ctrl::decode_genl(cmd, &bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "NewFamily.ops[1].flags: expected 4 bytes, got 2 (at byte {})",
            flags_off + 4
        )
    );

    // An unknown command is a typed error.
    let e = Ctrl::decode_genl(42, attrs).unwrap_err();
    assert_eq!(
        e.kind(),
        &netlink_genl_core::DecodeErrorKind::UnknownCommand { cmd: 42 }
    );
    assert_eq!(e.to_string(), "Ctrl: unknown command 42");
}

#[test]
fn locate_maps_offsets_to_fields() {
    let buf = common::fixture("nlctrl-getfamily-dump.reply.bin");
    let (cmd, _, attrs) = data_messages(&buf)[0];
    // the second op's flags attribute
    let flags_off = attrs
        .windows(8)
        .position(|w| w == [8, 0, 2, 0, 0x0c, 0, 0, 0])
        .unwrap();
    let new_family = Ctrl::schema().command(cmd, false).unwrap();
    assert_eq!(
        new_family.locate(attrs, flags_off).to_string(),
        "NewFamily.ops[1].flags"
    );
    // the mcast group name
    let notify = attrs.windows(6).position(|w| w == b"notify").unwrap() - 4;
    assert_eq!(
        new_family.locate(attrs, notify).to_string(),
        "NewFamily.mcast_groups[0].name"
    );
    let get = Ctrl::schema().request(3).unwrap().attrs().unwrap();
    assert_eq!(get.attr_name(2), Some("name"));
    assert_eq!(Ctrl::command_name(10), Some("GetPolicy"));
    assert_eq!(Ctrl::command_name(99), None);
}
