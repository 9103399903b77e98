//! Round trips for every generated family: for each message the family decodes, attributes are
//! made from the command's schema (every attribute present, nests, arrays, keyed nests and
//! repeated attributes filled two levels deep, values from a proptest seed), decoded into the
//! generated types, encoded again and decoded again: the two decodes must be equal, and the
//! first must not be empty.
//!
//! Nothing here knows the families' types but through `GenlMessage::SCHEMA`, so the test covers
//! every attribute set reachable from a command of every family.

#![cfg(feature = "full")]

use std::collections::BTreeMap;

use netlink_genl::netlink_genl_core::attr::AttrWriter;
use netlink_genl::netlink_genl_core::schema::{AttrKind, Schema};
use netlink_genl::{DecodeErrorKind, GenlDecodeOwned, GenlMessage, PathSegment};
use proptest::prelude::*;

/// Payload lengths for binary attributes the derive reads as fixed-size kinds (zerocopy structs,
/// `BitField32`), learned from the decode errors; keyed by the field path (names only).
type Lengths = BTreeMap<Vec<&'static str>, usize>;

struct Synth<'l> {
    seed: u64,
    lengths: &'l Lengths,
}

impl Synth<'_> {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.seed = self.seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn put(&mut self, out: &mut Vec<u8>, ty: u16, payload: &[u8]) {
        let len = 4 + payload.len();
        out.extend((len as u16).to_ne_bytes());
        out.extend(ty.to_ne_bytes());
        out.extend(payload);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }

    /// The payload of one value of `kind` at `path`, or `None` when nesting is too deep.
    fn value(&mut self, kind: &AttrKind, path: &[&'static str], depth: u32) -> Option<Vec<u8>> {
        let r = self.next();
        // An enum as its integer, a packed array and a bitfield32 as bytes.
        Some(match &kind.base() {
            AttrKind::Flag => vec![],
            AttrKind::U8 | AttrKind::I8 => vec![r as u8],
            AttrKind::U16 | AttrKind::I16 | AttrKind::Be16 => (r as u16).to_ne_bytes().to_vec(),
            AttrKind::U32 | AttrKind::I32 | AttrKind::Be32 | AttrKind::Ipv4 => {
                (r as u32).to_ne_bytes().to_vec()
            }
            AttrKind::U64 | AttrKind::I64 | AttrKind::Be64 => r.to_ne_bytes().to_vec(),
            AttrKind::Uint | AttrKind::Sint => {
                if r % 2 == 0 {
                    (r as u32).to_ne_bytes().to_vec()
                } else {
                    r.to_ne_bytes().to_vec()
                }
            }
            AttrKind::String => format!("s{}\0", r % 1000).into_bytes(),
            AttrKind::Ipv6 => vec![r as u8; 16],
            AttrKind::Binary | AttrKind::Unknown => {
                let n = self.lengths.get(path).copied().unwrap_or(12);
                (0..n).map(|i| (r as u8).wrapping_add(i as u8)).collect()
            }
            AttrKind::Nested(schema) => {
                if depth >= 3 {
                    return None;
                }
                self.set(schema(), path, depth + 1)
            }
            AttrKind::Array(elem) | AttrKind::Keyed(elem) => {
                if depth >= 3 {
                    return None;
                }
                let mut out = Vec::new();
                for i in 1..=2u16 {
                    let v = self.value(elem, path, depth + 1)?;
                    let flag = if elem.is_nest() { 0x8000 } else { 0 };
                    self.put(&mut out, i | flag, &v);
                }
                out
            }
            _ => return None,
        })
    }

    /// Every attribute of `schema` (repeated ones twice).
    fn set(&mut self, schema: &'static Schema, path: &[&'static str], depth: u32) -> Vec<u8> {
        let mut out = Vec::new();
        for a in schema.attrs {
            let mut p = path.to_vec();
            p.push(a.name);
            let times = if a.multi { 2 } else { 1 };
            for _ in 0..times {
                if let Some(v) = self.value(&a.kind, &p, depth) {
                    let flag = if a.kind.is_nest() { 0x8000 } else { 0 };
                    self.put(&mut out, a.id | flag, &v);
                }
            }
        }
        out
    }
}

/// Round-trip every decodable command of `F` with values from `seed`.
fn roundtrip<F: GenlMessage + GenlDecodeOwned + PartialEq + std::fmt::Debug>(seed: u64) {
    for c in F::SCHEMA.commands {
        let Some(schema) = c.attrs() else { continue };
        if c.request_only {
            continue;
        }
        let mut lengths = Lengths::new();
        let decoded = loop {
            let bytes = Synth {
                seed,
                lengths: &lengths,
            }
            .set(schema, &[], 0);
            match F::decode_genl(c.cmd, &bytes) {
                Ok(m) => break m,
                Err(e) => {
                    let need = match e.kind() {
                        DecodeErrorKind::BadLength { expected, .. } => *expected,
                        DecodeErrorKind::TooShort { min, .. } => *min,
                        _ => panic!("{} {}: {e}", F::FAMILY, c.name),
                    };
                    let key: Vec<&'static str> = e
                        .path()
                        .0
                        .iter()
                        .filter_map(|s| match s {
                            PathSegment::Field(f) => Some(*f),
                            _ => None,
                        })
                        .collect();
                    assert!(
                        lengths.insert(key, need) != Some(need),
                        "{} {}: {e}",
                        F::FAMILY,
                        c.name
                    );
                }
            }
        };
        let mut buf = vec![0u8; decoded.attrs_len()];
        let mut w = AttrWriter::new(&mut buf);
        decoded.write_attrs(&mut w).unwrap();
        let n = w.position();
        assert_eq!(n, buf.len());
        let again = F::decode_genl(c.cmd, &buf).unwrap();
        assert_eq!(again, decoded, "{} {}", F::FAMILY, c.name);
        if !schema.attrs.is_empty() {
            let empty = F::decode_genl(c.cmd, &[]).unwrap();
            assert_ne!(decoded, empty, "{} {}: nothing decoded", F::FAMILY, c.name);
        }
    }
}

macro_rules! families {
    ($($m:ident :: $t:ident),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $m(seed in any::<u64>()) {
                    roundtrip::<netlink_families::$m::$t>(seed);
                }
            )*
        }
    };
}

families!(
    binder::Binder,
    dev_energymodel::DevEnergymodel,
    devlink::Devlink,
    dpll::Dpll,
    drm_ras::DrmRas,
    ethtool::Ethtool,
    fou::Fou,
    handshake::Handshake,
    lockd::Lockd,
    mptcp_pm::MptcpPm,
    net_shaper::NetShaper,
    netdev::Netdev,
    nfsd::Nfsd,
    nl80211::Nl80211,
    nlctrl::Nlctrl,
    ovpn::Ovpn,
    ovs_datapath::OvsDatapath,
    ovs_flow::OvsFlow,
    ovs_packet::OvsPacket,
    ovs_vport::OvsVport,
    psp::Psp,
    sunrpc::Sunrpc,
    team::Team,
    wireguard::Wireguard,
);

/// Attributes with id 0 are fields (nl80211's band `2ghz`, ovs_vport's upcall `success`): what
/// the kernel sends at type 0 is decoded into them, not dropped.
#[test]
fn id_zero_attributes_are_fields() {
    use netlink_genl::{DecodeAttrs, netlink_genl_core::attrs_to_vec};
    // success (type 0) = 5, fail (type 1) = 6.
    let mut buf = vec![12, 0, 0, 0];
    buf.extend(5u64.to_ne_bytes());
    buf.extend([12, 0, 1, 0]);
    buf.extend(6u64.to_ne_bytes());
    let stats = netlink_families::ovs_vport::UpcallStats::decode_attrs(&buf).unwrap();
    assert_eq!((stats.success, stats.fail), (Some(5), Some(6)));
    assert_eq!(attrs_to_vec(&stats).unwrap(), buf);
    // A 2 GHz band (type 0, nested) holding an empty frequency array.
    let bands =
        netlink_families::nl80211::WiphyBands::decode_attrs(&[8, 0, 0, 0x80, 4, 0, 1, 0x80])
            .unwrap();
    assert!(bands._2ghz.is_some() && bands._5ghz.is_none());
}
