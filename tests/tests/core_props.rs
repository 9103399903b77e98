//! Property tests at the wire level: what the writer wrote reads back the same, and no byte
//! sequence makes a decoder panic, from the raw iterators up to the derived family types.

mod common;

use netlink_genl_core::DecodeAttrs;
use netlink_genl_core::ack::{DoneMsg, ErrorMsg, ExtAck, PolicyInfo};
use netlink_genl_core::attr::{AttrIter, AttrWriter, NlaDecode, RawAttrs};
use netlink_genl_core::message::{MessageIter, build_message};
use proptest::prelude::*;

/// Feed bytes to every wire-level decode entry point; any result is fine, a panic is not.
fn decode_everything(buf: &[u8]) {
    for m in MessageIter::new(buf) {
        let Ok(m) = m else { break };
        let _ = m.kind();
        if let Ok(e) = ErrorMsg::parse(m.header().flags, m.payload()) {
            let _ = e.to_kernel_error().to_string();
        }
        if let Ok(d) = DoneMsg::parse(m.header().flags, m.payload()) {
            let _ = netlink_genl_core::KernelError::from_parts(d.error, &d.ext).to_string();
        }
        walk(m.payload().get(4..).unwrap_or(&[]), 0);
    }
    walk(buf, 0);
    let _ = ExtAck::parse(buf);
    let _ = PolicyInfo::decode_attrs(buf);
    let _ = Vec::<(u16, Vec<(u16, RawAttrs<'_>)>)>::decode_payload(buf);
    let _ = <&str>::decode_payload(buf);
    decode_derived(buf);
}

/// Every message through the derived types: nlctrl (owned and borrowed), the policy collector,
/// and the example families (TASKSTATS' fixed struct, ethtool bitsets, netdev).
fn decode_derived(buf: &[u8]) {
    use example_families::ethtool::{BitsetExt, Ethtool};
    use example_families::{netdev::Netdev, taskstats::Taskstats};
    use netlink_genl::ctrl::{Ctrl, CtrlRef, PolicyDump};
    use netlink_genl::socket::GenlView;
    let mut policy = PolicyDump::default();
    for m in MessageIter::new(buf) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else {
            continue;
        };
        if let Ok(c) = v.decode::<Ctrl>() {
            policy.add(c.into_family());
        }
        if let Ok(CtrlRef::NewFamily(f)) = v.decode::<CtrlRef<'_>>() {
            f.ops.iter().for_each(drop);
            f.mcast_groups.iter().for_each(drop);
        }
        let _ = v.decode::<Taskstats>();
        let _ = v.decode::<Netdev>();
        if let Ok(Ethtool::FeaturesGetReply(f)) = v.decode::<Ethtool>() {
            for b in [f.hw, f.wanted, f.active, f.nochange].into_iter().flatten() {
                let _ = b.bits(&[]);
            }
        }
    }
}

fn walk(buf: &[u8], depth: u32) {
    if depth > 8 {
        return;
    }
    for a in AttrIter::new(buf) {
        let Ok(a) = a else { break };
        walk(a.payload(), depth + 1);
    }
}

fn fixtures() -> Vec<Vec<u8>> {
    let mut v: Vec<_> = std::fs::read_dir(common::fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    v.sort();
    v
}

/// A tree of attributes for the nested round trip.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Leaf(u16, Vec<u8>),
    Nest(u16, Vec<Node>),
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = (1u16..0x3fff, prop::collection::vec(any::<u8>(), 0..24))
        .prop_map(|(i, p)| Node::Leaf(i, p));
    leaf.prop_recursive(4, 48, 6, |inner| {
        (1u16..0x3fff, prop::collection::vec(inner, 0..6)).prop_map(|(i, c)| Node::Nest(i, c))
    })
}

fn write_node(w: &mut AttrWriter<'_>, n: &Node) {
    match n {
        Node::Leaf(id, p) => w.put_raw(*id, p).unwrap(),
        Node::Nest(id, c) => {
            let t = w.begin_nest(*id).unwrap();
            for n in c {
                write_node(w, n);
            }
            w.end_nest(t).unwrap();
        }
    }
}

fn read_nodes(buf: &[u8]) -> Vec<Node> {
    AttrIter::new(buf)
        .map(|a| {
            let a = a.unwrap();
            if a.is_nested() {
                Node::Nest(a.id(), read_nodes(a.payload()))
            } else {
                Node::Leaf(a.id(), a.payload().to_vec())
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn writer_then_iterator_round_trips(attrs in prop::collection::vec(
        (1u16..0x3fff, prop::collection::vec(any::<u8>(), 0..64)), 0..16)) {
        let mut buf = vec![0u8; 4096];
        let mut w = AttrWriter::new(&mut buf);
        for (id, p) in &attrs {
            w.put_raw(*id, p).unwrap();
        }
        let n = w.position();
        prop_assert_eq!(n % 4, 0);
        let back: Vec<(u16, Vec<u8>)> = AttrIter::new(&buf[..n])
            .map(|a| a.map(|a| (a.id(), a.payload().to_vec())))
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(back, attrs);
    }

    #[test]
    fn nested_writer_round_trips(tree in prop::collection::vec(node(), 0..6)) {
        let mut buf = vec![0u8; 1 << 16];
        let mut w = AttrWriter::new(&mut buf);
        for n in &tree {
            write_node(&mut w, n);
        }
        let n = w.position();
        prop_assert_eq!(read_nodes(&buf[..n]), tree);
    }

    #[test]
    fn messages_round_trip(msgs in prop::collection::vec(
        (0x10u16..0x400, any::<u16>(), any::<u32>(), prop::collection::vec(any::<u8>(), 0..40)), 1..8)) {
        let mut buf = Vec::new();
        for (ty, flags, seq, payload) in &msgs {
            build_message(&mut buf, *ty, *flags, *seq, 0, payload.len(), |w| w.put_bytes(payload)).unwrap();
        }
        let back: Vec<_> = MessageIter::new(&buf).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(back.len(), msgs.len());
        for (m, (ty, flags, seq, payload)) in back.iter().zip(&msgs) {
            prop_assert_eq!(m.header().ty, *ty);
            prop_assert_eq!(m.header().flags, *flags);
            prop_assert_eq!(m.header().seq, *seq);
            // Payloads are padded to 4 bytes.
            prop_assert_eq!(&m.payload()[..payload.len()], &payload[..]);
            prop_assert!(m.payload()[payload.len()..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn random_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_everything(&buf);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let all = fixtures();
        let mut buf = all[pick.index(all.len())].clone();
        for (at, byte) in edits {
            let i = at.index(buf.len());
            buf[i] = byte;
        }
        decode_everything(&buf);
        let end = cut.index(buf.len() + 1);
        decode_everything(&buf[..end]);
    }
}
