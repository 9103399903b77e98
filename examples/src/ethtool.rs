//! The `ethtool` generic netlink family, declared with the derives: the request header,
//! bitsets (compact and verbose) with a decoder that names every bit, string sets, link
//! information, link modes, link state, features (get, set, notifications), rings and channels.
//!
//! Ids are those of `<linux/ethtool_netlink.h>` (and the kernel's YNL spec
//! `Documentation/netlink/specs/ethtool.yaml` for `phy-index`, `ext-down-cnt`). Requests and
//! replies are numbered separately by the kernel (`ETHTOOL_MSG_*_GET` user → kernel,
//! `ETHTOOL_MSG_*_GET_REPLY` kernel → user), so the same number can mean two commands: request
//! variants are marked `request`, every other variant is what the kernel sends.
//!
//! ```no_run
//! use example_families::ethtool::{self, Ethtool, Header, Linkstate};
//! use netlink_genl::GenlSocket;
//!
//! let mut sock = GenlSocket::new()?;
//! let req = Ethtool::LinkstateGet(Linkstate::for_header(Header::dev("lo")));
//! if let Ethtool::LinkstateGetReply(state) = sock.request(&req)? {
//!     println!("link detected: {:?}", state.link);
//! }
//! // Every feature of a device, with its name and hw/wanted/active/fixed state.
//! for f in ethtool::features(&mut sock, "lo")? {
//!     println!("{}: {}", f.name, if f.active { "on" } else { "off" });
//! }
//! # Ok::<(), netlink_genl::Error>(())
//! ```
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

use netlink_genl::{DecodeError, Error, GenlMessage, GenlSocket, NlAttrs};

/// The family name.
pub const FAMILY: &str = "ethtool";
/// The multicast group of notifications (`ETHTOOL_MCGRP_MONITOR_NAME`).
pub const MONITOR_GROUP: &str = "monitor";

/// Command numbers, user → kernel (`ETHTOOL_MSG_*`, first enum of the header).
pub mod request {
    /// `ETHTOOL_MSG_STRSET_GET`.
    pub const STRSET_GET: u8 = 1;
    /// `ETHTOOL_MSG_LINKINFO_GET`.
    pub const LINKINFO_GET: u8 = 2;
    /// `ETHTOOL_MSG_LINKINFO_SET`.
    pub const LINKINFO_SET: u8 = 3;
    /// `ETHTOOL_MSG_LINKMODES_GET`.
    pub const LINKMODES_GET: u8 = 4;
    /// `ETHTOOL_MSG_LINKMODES_SET`.
    pub const LINKMODES_SET: u8 = 5;
    /// `ETHTOOL_MSG_LINKSTATE_GET`.
    pub const LINKSTATE_GET: u8 = 6;
    /// `ETHTOOL_MSG_FEATURES_GET`.
    pub const FEATURES_GET: u8 = 11;
    /// `ETHTOOL_MSG_FEATURES_SET`.
    pub const FEATURES_SET: u8 = 12;
    /// `ETHTOOL_MSG_RINGS_GET`.
    pub const RINGS_GET: u8 = 15;
    /// `ETHTOOL_MSG_RINGS_SET`.
    pub const RINGS_SET: u8 = 16;
    /// `ETHTOOL_MSG_CHANNELS_GET`.
    pub const CHANNELS_GET: u8 = 17;
    /// `ETHTOOL_MSG_CHANNELS_SET`.
    pub const CHANNELS_SET: u8 = 18;
}

/// Command numbers, kernel → user (`ETHTOOL_MSG_*_REPLY`, `ETHTOOL_MSG_*_NTF`).
pub mod reply {
    /// `ETHTOOL_MSG_STRSET_GET_REPLY`.
    pub const STRSET_GET_REPLY: u8 = 1;
    /// `ETHTOOL_MSG_LINKINFO_GET_REPLY`.
    pub const LINKINFO_GET_REPLY: u8 = 2;
    /// `ETHTOOL_MSG_LINKINFO_NTF`.
    pub const LINKINFO_NTF: u8 = 3;
    /// `ETHTOOL_MSG_LINKMODES_GET_REPLY`.
    pub const LINKMODES_GET_REPLY: u8 = 4;
    /// `ETHTOOL_MSG_LINKMODES_NTF`.
    pub const LINKMODES_NTF: u8 = 5;
    /// `ETHTOOL_MSG_LINKSTATE_GET_REPLY`.
    pub const LINKSTATE_GET_REPLY: u8 = 6;
    /// `ETHTOOL_MSG_FEATURES_GET_REPLY`.
    pub const FEATURES_GET_REPLY: u8 = 11;
    /// `ETHTOOL_MSG_FEATURES_SET_REPLY`.
    pub const FEATURES_SET_REPLY: u8 = 12;
    /// `ETHTOOL_MSG_FEATURES_NTF`.
    pub const FEATURES_NTF: u8 = 13;
    /// `ETHTOOL_MSG_RINGS_GET_REPLY`.
    pub const RINGS_GET_REPLY: u8 = 16;
    /// `ETHTOOL_MSG_RINGS_NTF`.
    pub const RINGS_NTF: u8 = 17;
    /// `ETHTOOL_MSG_CHANNELS_GET_REPLY`.
    pub const CHANNELS_GET_REPLY: u8 = 18;
    /// `ETHTOOL_MSG_CHANNELS_NTF`.
    pub const CHANNELS_NTF: u8 = 19;
}

/// Request header flags (`ETHTOOL_A_HEADER_FLAGS`, `ETHTOOL_FLAG_*`).
pub mod flags {
    /// `ETHTOOL_FLAG_COMPACT_BITSETS`: bitsets in replies as VALUE/MASK words, without names.
    pub const COMPACT_BITSETS: u32 = 1 << 0;
    /// `ETHTOOL_FLAG_OMIT_REPLY`: no reply to a SET request (only the ACK).
    pub const OMIT_REPLY: u32 = 1 << 1;
    /// `ETHTOOL_FLAG_STATS`: include statistics.
    pub const STATS: u32 = 1 << 2;
}

/// String set ids (`enum ethtool_stringset`, `ETH_SS_*` of `<linux/ethtool.h>`).
pub mod stringset {
    /// `ETH_SS_PRIV_FLAGS`.
    pub const PRIV_FLAGS: u32 = 2;
    /// `ETH_SS_FEATURES`: netdev feature names (`tx-checksum-ip-generic`, ...).
    pub const FEATURES: u32 = 4;
    /// `ETH_SS_LINK_MODES`: link mode names (`10000baseT/Full`, ...).
    pub const LINK_MODES: u32 = 9;
    /// `ETH_SS_WOL_MODES`.
    pub const WOL_MODES: u32 = 11;
}

/// `ETHTOOL_A_HEADER_*`: which device a request is about, and how to answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Header {
    /// `ETHTOOL_A_HEADER_DEV_INDEX`.
    #[nla(id = 1)]
    pub dev_index: Option<u32>,
    /// `ETHTOOL_A_HEADER_DEV_NAME`.
    #[nla(id = 2)]
    pub dev_name: Option<String>,
    /// `ETHTOOL_A_HEADER_FLAGS`: [`flags`].
    #[nla(id = 3)]
    pub flags: Option<u32>,
    /// `ETHTOOL_A_HEADER_PHY_INDEX` (newer kernels).
    #[nla(id = 4)]
    pub phy_index: Option<u32>,
}

impl Header {
    /// A header naming device `name`.
    pub fn dev(name: &str) -> Self {
        Header {
            dev_name: Some(name.to_owned()),
            ..Header::default()
        }
    }

    /// A header giving device `index`.
    pub fn index(index: u32) -> Self {
        Header {
            dev_index: Some(index),
            ..Header::default()
        }
    }

    /// The same header with [`flags`] `f` added.
    pub fn with_flags(mut self, f: u32) -> Self {
        self.flags = Some(self.flags.unwrap_or(0) | f);
        self
    }

    /// The device as a human would name it: its name, else `#index`.
    pub fn device(&self) -> String {
        match (&self.dev_name, self.dev_index) {
            (Some(n), _) => n.clone(),
            (None, Some(i)) => format!("#{i}"),
            (None, None) => "?".to_owned(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bitsets.

/// `ETHTOOL_A_BITSET_BIT_*`: one bit of a verbose bitset.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct BitsetBit {
    /// `ETHTOOL_A_BITSET_BIT_INDEX`.
    #[nla(id = 1)]
    pub index: Option<u32>,
    /// `ETHTOOL_A_BITSET_BIT_NAME`.
    #[nla(id = 2)]
    pub name: Option<String>,
    /// `ETHTOOL_A_BITSET_BIT_VALUE`: the bit is set (in a bitset with a mask).
    #[nla(id = 3, flag)]
    pub value: bool,
}

/// `ETHTOOL_A_BITSET_BITS_*`: the bits of a verbose bitset.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct BitsetBits {
    /// `ETHTOOL_A_BITSET_BITS_BIT`, repeated.
    #[nla(id = 1, multi, nested)]
    pub bit: Vec<BitsetBit>,
}

/// `ETHTOOL_A_BITSET_*`: a bitset, compact (`SIZE` + `VALUE` [+ `MASK`] as 32-bit words in host
/// order) or verbose (`BITS` with one nest per bit, naming it).
///
/// Without `NOMASK`, only the bits in the mask (compact) or listed (verbose) are meaningful:
/// this is how a SET request changes some bits and leaves the others alone. With `NOMASK` the
/// bitset is a plain list: a verbose one lists only the bits that are set.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Bitset {
    /// `ETHTOOL_A_BITSET_NOMASK`.
    #[nla(id = 1, flag)]
    pub nomask: bool,
    /// `ETHTOOL_A_BITSET_SIZE`: the number of bits.
    #[nla(id = 2)]
    pub size: Option<u32>,
    /// `ETHTOOL_A_BITSET_BITS` (verbose form).
    #[nla(id = 3, nested)]
    pub bits: Option<BitsetBits>,
    /// `ETHTOOL_A_BITSET_VALUE` (compact form).
    #[nla(id = 4)]
    pub value: Option<Vec<u8>>,
    /// `ETHTOOL_A_BITSET_MASK` (compact form, without `NOMASK`).
    #[nla(id = 5)]
    pub mask: Option<Vec<u8>>,
}

/// The largest verbose bitset [`Bitset::bits`] expands (the kernel's largest, the link modes,
/// has about 120 bits); a larger `SIZE` or index is a decode error, not an allocation. Compact
/// bitsets are bounded by their own `VALUE` length.
pub const MAX_BITS: u32 = 1 << 16;

/// One decoded bit of a [`Bitset`]: its index, its name (from the bitset itself or the string
/// set), and whether it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bit {
    /// The bit index.
    pub index: u32,
    /// The bit's name, when known.
    pub name: Option<String>,
    /// Whether the bit is set.
    pub set: bool,
}

/// Bit `i` of host-order 32-bit words in `bytes` (a bit past the end is unset).
fn word_bit(bytes: &[u8], i: u32) -> bool {
    let word = (i / 32) as usize * 4;
    match bytes.get(word..word + 4) {
        Some(&[a, b, c, d]) => u32::from_ne_bytes([a, b, c, d]) & (1 << (i % 32)) != 0,
        _ => false,
    }
}

/// The bytes compact bitset words of `size` bits need.
fn words_len(size: u32) -> usize {
    size.div_ceil(32) as usize * 4
}

impl Bitset {
    /// A verbose bitset for a SET request: set (`true`) or clear (`false`) the named bits,
    /// leave every other bit as it is.
    pub fn change_by_name(changes: &[(&str, bool)]) -> Self {
        Bitset {
            bits: Some(BitsetBits {
                bit: changes
                    .iter()
                    .map(|&(name, value)| BitsetBit {
                        index: None,
                        name: Some(name.to_owned()),
                        value,
                    })
                    .collect(),
            }),
            ..Bitset::default()
        }
    }

    /// Whether this is the compact form (no `BITS`).
    pub fn is_compact(&self) -> bool {
        self.bits.is_none()
    }

    /// The meaningful bits, in index order, named from the bitset itself (verbose form) or from
    /// `names` (a string set, index → name; pass `&[]` when there is none).
    ///
    /// With `NOMASK` every bit below `SIZE` is meaningful; otherwise only the bits in the mask
    /// (compact) or listed (verbose). A compact `VALUE`/`MASK` shorter than `SIZE` needs, or a
    /// verbose bit without an index, is a decode error.
    pub fn bits(&self, names: &[String]) -> Result<Vec<Bit>, DecodeError> {
        let name_of = |i: u32, own: Option<&String>| {
            own.cloned()
                .or_else(|| names.get(i as usize).filter(|n| !n.is_empty()).cloned())
        };
        match &self.bits {
            None => {
                let size = self.size.unwrap_or(0);
                let value = self.value.as_deref().unwrap_or(&[]);
                check_words("value", value, size)?;
                let mask = match (&self.mask, self.nomask) {
                    (_, true) | (None, false) => None,
                    (Some(m), false) => {
                        check_words("mask", m, size)?;
                        Some(m.as_slice())
                    }
                };
                Ok((0..size)
                    .filter(|&i| mask.is_none_or(|m| word_bit(m, i)))
                    .map(|i| Bit {
                        index: i,
                        name: name_of(i, None),
                        set: word_bit(value, i),
                    })
                    .collect())
            }
            Some(bits) => {
                // Indexes and SIZE come from the wire: bound them before expanding anything.
                let limit = self.size.unwrap_or(MAX_BITS);
                if limit > MAX_BITS {
                    return Err(DecodeError::custom(format!(
                        "verbose bitset: size {limit} is over {MAX_BITS} bits"
                    )));
                }
                let mut listed = Vec::with_capacity(bits.bit.len());
                for (n, b) in bits.bit.iter().enumerate() {
                    let Some(index) = b.index else {
                        return Err(DecodeError::custom(format!(
                            "verbose bitset: bit #{n} has no index"
                        )));
                    };
                    if index >= limit {
                        return Err(DecodeError::custom(format!(
                            "verbose bitset: bit #{n} has index {index}, beyond size {limit}"
                        )));
                    }
                    // In a list (NOMASK) every listed bit is set and VALUE is omitted.
                    listed.push(Bit {
                        index,
                        name: name_of(index, b.name.as_ref()),
                        set: self.nomask || b.value,
                    });
                }
                listed.sort_by_key(|b| b.index);
                if !self.nomask {
                    return Ok(listed);
                }
                // Every bit below SIZE (or past the last listed one) is meaningful.
                let size = self
                    .size
                    .unwrap_or_else(|| listed.last().map_or(0, |b| b.index + 1));
                let mut listed = listed.into_iter().peekable();
                Ok((0..size)
                    .map(|i| match listed.next_if(|b| b.index == i) {
                        Some(b) => b,
                        None => Bit {
                            index: i,
                            name: name_of(i, None),
                            set: false,
                        },
                    })
                    .collect())
            }
        }
    }

    /// The indexes of the bits that are set.
    pub fn set_indexes(&self) -> Result<Vec<u32>, DecodeError> {
        Ok(self
            .bits(&[])?
            .into_iter()
            .filter(|b| b.set)
            .map(|b| b.index)
            .collect())
    }
}

fn check_words(what: &str, bytes: &[u8], size: u32) -> Result<(), DecodeError> {
    if bytes.len() < words_len(size) {
        return Err(DecodeError::custom(format!(
            "compact bitset: {what} has {} bytes, {size} bits need {}",
            bytes.len(),
            words_len(size)
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// String sets.

/// `ETHTOOL_A_STRING_*`: one string of a set.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct StringEntry {
    /// `ETHTOOL_A_STRING_INDEX`.
    #[nla(id = 1)]
    pub index: Option<u32>,
    /// `ETHTOOL_A_STRING_VALUE`.
    #[nla(id = 2)]
    pub value: Option<String>,
}

/// `ETHTOOL_A_STRINGS_*`: the strings of a set.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Strings {
    /// `ETHTOOL_A_STRINGS_STRING`, repeated.
    #[nla(id = 1, multi, nested)]
    pub string: Vec<StringEntry>,
}

/// The largest string index [`StringSet::names`] accepts.
pub const MAX_STRINGS: u32 = 1 << 16;

/// `ETHTOOL_A_STRINGSET_*`: one string set.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct StringSet {
    /// `ETHTOOL_A_STRINGSET_ID`: a [`stringset`] id.
    #[nla(id = 1)]
    pub id: Option<u32>,
    /// `ETHTOOL_A_STRINGSET_COUNT`.
    #[nla(id = 2)]
    pub count: Option<u32>,
    /// `ETHTOOL_A_STRINGSET_STRINGS` (one nest in practice; the spec allows several).
    #[nla(id = 3, multi, nested)]
    pub strings: Vec<Strings>,
}

impl StringSet {
    /// The strings, index → name (gaps are empty strings; indexes from [`MAX_STRINGS`] on are
    /// ignored).
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.strings.iter().flat_map(|s| &s.string) {
            let (Some(i), Some(v)) = (s.index, &s.value) else {
                continue;
            };
            // Indexes come from the wire: a set never has this many strings (one message
            // cannot hold them), so a larger index is ignored rather than allocated for.
            if i >= MAX_STRINGS {
                continue;
            }
            let i = i as usize;
            if out.len() <= i {
                out.resize(i + 1, String::new());
            }
            if let Some(slot) = out.get_mut(i) {
                slot.clone_from(v);
            }
        }
        out
    }
}

/// `ETHTOOL_A_STRINGSETS_*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct StringSets {
    /// `ETHTOOL_A_STRINGSETS_STRINGSET`, repeated.
    #[nla(id = 1, multi, nested)]
    pub stringset: Vec<StringSet>,
}

/// `ETHTOOL_A_STRSET_*`: the STRSET_GET request and reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Strset {
    /// `ETHTOOL_A_STRSET_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_STRSET_STRINGSETS`: in a request, the sets wanted (by id); in the reply, the
    /// sets.
    #[nla(id = 2, nested)]
    pub stringsets: Option<StringSets>,
    /// `ETHTOOL_A_STRSET_COUNTS_ONLY`.
    #[nla(id = 3, flag)]
    pub counts_only: bool,
}

impl Strset {
    /// A request for string set `id` of device `dev`.
    pub fn request(dev: &str, id: u32) -> Self {
        Strset {
            header: Some(Header::dev(dev)),
            stringsets: Some(StringSets {
                stringset: vec![StringSet {
                    id: Some(id),
                    ..StringSet::default()
                }],
            }),
            counts_only: false,
        }
    }

    /// The strings of set `id` in this reply, index → name.
    pub fn names(&self, id: u32) -> Option<Vec<String>> {
        self.stringsets
            .as_ref()?
            .stringset
            .iter()
            .find(|s| s.id == Some(id))
            .map(StringSet::names)
    }
}

// ---------------------------------------------------------------------------------------------
// Link information, modes, state.

/// `ETHTOOL_A_LINKINFO_*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Linkinfo {
    /// `ETHTOOL_A_LINKINFO_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_LINKINFO_PORT`: `PORT_*` ([`port_name`]).
    #[nla(id = 2)]
    pub port: Option<u8>,
    /// `ETHTOOL_A_LINKINFO_PHYADDR`.
    #[nla(id = 3)]
    pub phyaddr: Option<u8>,
    /// `ETHTOOL_A_LINKINFO_TP_MDIX`: `ETH_TP_MDI*` ([`mdix_name`]).
    #[nla(id = 4)]
    pub tp_mdix: Option<u8>,
    /// `ETHTOOL_A_LINKINFO_TP_MDIX_CTRL`.
    #[nla(id = 5)]
    pub tp_mdix_ctrl: Option<u8>,
    /// `ETHTOOL_A_LINKINFO_TRANSCEIVER`: `XCVR_*` ([`transceiver_name`]).
    #[nla(id = 6)]
    pub transceiver: Option<u8>,
}

/// `ETHTOOL_A_LINKMODES_*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Linkmodes {
    /// `ETHTOOL_A_LINKMODES_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_LINKMODES_AUTONEG`: `AUTONEG_DISABLE` 0, `AUTONEG_ENABLE` 1.
    #[nla(id = 2)]
    pub autoneg: Option<u8>,
    /// `ETHTOOL_A_LINKMODES_OURS`: supported (mask) and advertised (value) link modes.
    #[nla(id = 3, nested)]
    pub ours: Option<Bitset>,
    /// `ETHTOOL_A_LINKMODES_PEER`: the link partner's advertised modes.
    #[nla(id = 4, nested)]
    pub peer: Option<Bitset>,
    /// `ETHTOOL_A_LINKMODES_SPEED` in Mb/s (`u32::MAX`: unknown).
    #[nla(id = 5)]
    pub speed: Option<u32>,
    /// `ETHTOOL_A_LINKMODES_DUPLEX`: `DUPLEX_HALF` 0, `DUPLEX_FULL` 1, `DUPLEX_UNKNOWN` 0xff.
    #[nla(id = 6)]
    pub duplex: Option<u8>,
    /// `ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG`.
    #[nla(id = 7)]
    pub master_slave_cfg: Option<u8>,
    /// `ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE`.
    #[nla(id = 8)]
    pub master_slave_state: Option<u8>,
    /// `ETHTOOL_A_LINKMODES_LANES`.
    #[nla(id = 9)]
    pub lanes: Option<u32>,
    /// `ETHTOOL_A_LINKMODES_RATE_MATCHING`.
    #[nla(id = 10)]
    pub rate_matching: Option<u8>,
}

/// `ETHTOOL_A_LINKSTATE_*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Linkstate {
    /// `ETHTOOL_A_LINKSTATE_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_LINKSTATE_LINK`: link detected.
    #[nla(id = 2)]
    pub link: Option<u8>,
    /// `ETHTOOL_A_LINKSTATE_SQI`.
    #[nla(id = 3)]
    pub sqi: Option<u32>,
    /// `ETHTOOL_A_LINKSTATE_SQI_MAX`.
    #[nla(id = 4)]
    pub sqi_max: Option<u32>,
    /// `ETHTOOL_A_LINKSTATE_EXT_STATE`.
    #[nla(id = 5)]
    pub ext_state: Option<u8>,
    /// `ETHTOOL_A_LINKSTATE_EXT_SUBSTATE`.
    #[nla(id = 6)]
    pub ext_substate: Option<u8>,
    /// `ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT`.
    #[nla(id = 7)]
    pub ext_down_cnt: Option<u32>,
}

macro_rules! for_header {
    ($($t:ident),*) => {$(
        impl $t {
            /// A request body carrying only `header`.
            pub fn for_header(header: Header) -> Self {
                $t { header: Some(header), ..$t::default() }
            }
        }
    )*};
}
for_header!(Linkinfo, Linkmodes, Linkstate, Features, Rings, Channels);

/// `ethtool`'s word for a `PORT_*` value.
pub fn port_name(port: u8) -> &'static str {
    match port {
        0x00 => "Twisted Pair",
        0x01 => "AUI",
        0x02 => "BNC",
        0x03 => "MII",
        0x04 => "FIBRE",
        0x05 => "Direct Attach Copper",
        0xef => "None",
        0xff => "Other",
        _ => "Unknown",
    }
}

/// `ethtool`'s word for an `XCVR_*` value.
pub fn transceiver_name(x: u8) -> &'static str {
    match x {
        0 => "internal",
        1 => "external",
        _ => "Unknown",
    }
}

/// `ethtool`'s word for an `ETH_TP_MDI*` value.
pub fn mdix_name(m: u8) -> &'static str {
    match m {
        1 => "off",
        2 => "on",
        3 => "auto",
        _ => "Unknown",
    }
}

/// `ethtool`'s word for a `DUPLEX_*` value.
pub fn duplex_name(d: u8) -> &'static str {
    match d {
        0 => "Half",
        1 => "Full",
        _ => "Unknown!",
    }
}

// ---------------------------------------------------------------------------------------------
// Features, rings, channels.

/// `ETHTOOL_A_FEATURES_*`: FEATURES_GET/SET and their replies and notifications.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Features {
    /// `ETHTOOL_A_FEATURES_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_FEATURES_HW`: features the user may change.
    #[nla(id = 2, nested)]
    pub hw: Option<Bitset>,
    /// `ETHTOOL_A_FEATURES_WANTED`: requested by the user (in a SET: the change).
    #[nla(id = 3, nested)]
    pub wanted: Option<Bitset>,
    /// `ETHTOOL_A_FEATURES_ACTIVE`: in effect.
    #[nla(id = 4, nested)]
    pub active: Option<Bitset>,
    /// `ETHTOOL_A_FEATURES_NOCHANGE`: never changeable.
    #[nla(id = 5, nested)]
    pub nochange: Option<Bitset>,
}

/// `ETHTOOL_A_RINGS_*` (the common part).
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Rings {
    /// `ETHTOOL_A_RINGS_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_RINGS_RX_MAX`.
    #[nla(id = 2)]
    pub rx_max: Option<u32>,
    /// `ETHTOOL_A_RINGS_RX_MINI_MAX`.
    #[nla(id = 3)]
    pub rx_mini_max: Option<u32>,
    /// `ETHTOOL_A_RINGS_RX_JUMBO_MAX`.
    #[nla(id = 4)]
    pub rx_jumbo_max: Option<u32>,
    /// `ETHTOOL_A_RINGS_TX_MAX`.
    #[nla(id = 5)]
    pub tx_max: Option<u32>,
    /// `ETHTOOL_A_RINGS_RX`.
    #[nla(id = 6)]
    pub rx: Option<u32>,
    /// `ETHTOOL_A_RINGS_RX_MINI`.
    #[nla(id = 7)]
    pub rx_mini: Option<u32>,
    /// `ETHTOOL_A_RINGS_RX_JUMBO`.
    #[nla(id = 8)]
    pub rx_jumbo: Option<u32>,
    /// `ETHTOOL_A_RINGS_TX`.
    #[nla(id = 9)]
    pub tx: Option<u32>,
}

/// `ETHTOOL_A_CHANNELS_*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, NlAttrs)]
pub struct Channels {
    /// `ETHTOOL_A_CHANNELS_HEADER`.
    #[nla(id = 1, nested)]
    pub header: Option<Header>,
    /// `ETHTOOL_A_CHANNELS_RX_MAX`.
    #[nla(id = 2)]
    pub rx_max: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_TX_MAX`.
    #[nla(id = 3)]
    pub tx_max: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_OTHER_MAX`.
    #[nla(id = 4)]
    pub other_max: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_COMBINED_MAX`.
    #[nla(id = 5)]
    pub combined_max: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_RX_COUNT`.
    #[nla(id = 6)]
    pub rx_count: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_TX_COUNT`.
    #[nla(id = 7)]
    pub tx_count: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_OTHER_COUNT`.
    #[nla(id = 8)]
    pub other_count: Option<u32>,
    /// `ETHTOOL_A_CHANNELS_COMBINED_COUNT`.
    #[nla(id = 9)]
    pub combined_count: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// The family.

/// The ethtool commands this crate declares. `*Get`/`*Set` variants are requests (sent only);
/// `*Reply` and `*Ntf` variants are what the kernel sends (notifications go to the
/// [`MONITOR_GROUP`] group).
///
/// Answers, from `net/ethtool/netlink.c`: every `*_GET` here has `ethnl_default_doit` as its do
/// handler, which sends exactly one message, the request's `*_GET_REPLY`, or fails without one
/// (`reply = ...Reply`). `RINGS_SET` and `CHANNELS_SET` are handled by `ethnl_default_set_doit`
/// (`ethnl_set_rings`/`ethnl_set_channels` before it), which never replies: `ack`.
/// `FEATURES_SET` is left undeclared: `ethnl_set_features` sends a `FEATURES_SET_REPLY` unless
/// the request header carries `ETHTOOL_FLAG_OMIT_REPLY`, so its answer depends on the request.
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "ethtool", version = 1)]
pub enum Ethtool {
    /// `ETHTOOL_MSG_STRSET_GET` (1).
    #[genl(cmd = 1, request, reply = StrsetGetReply)]
    StrsetGet(Strset),
    /// `ETHTOOL_MSG_STRSET_GET_REPLY` (1).
    #[genl(cmd = 1)]
    StrsetGetReply(Strset),
    /// `ETHTOOL_MSG_LINKINFO_GET` (2).
    #[genl(cmd = 2, request, reply = LinkinfoGetReply)]
    LinkinfoGet(Linkinfo),
    /// `ETHTOOL_MSG_LINKINFO_GET_REPLY` (2).
    #[genl(cmd = 2)]
    LinkinfoGetReply(Linkinfo),
    /// `ETHTOOL_MSG_LINKINFO_NTF` (3).
    #[genl(cmd = 3)]
    LinkinfoNtf(Linkinfo),
    /// `ETHTOOL_MSG_LINKMODES_GET` (4).
    #[genl(cmd = 4, request, reply = LinkmodesGetReply)]
    LinkmodesGet(Linkmodes),
    /// `ETHTOOL_MSG_LINKMODES_GET_REPLY` (4).
    #[genl(cmd = 4)]
    LinkmodesGetReply(Linkmodes),
    /// `ETHTOOL_MSG_LINKMODES_NTF` (5).
    #[genl(cmd = 5)]
    LinkmodesNtf(Linkmodes),
    /// `ETHTOOL_MSG_LINKSTATE_GET` (6).
    #[genl(cmd = 6, request, reply = LinkstateGetReply)]
    LinkstateGet(Linkstate),
    /// `ETHTOOL_MSG_LINKSTATE_GET_REPLY` (6).
    #[genl(cmd = 6)]
    LinkstateGetReply(Linkstate),
    /// `ETHTOOL_MSG_FEATURES_GET` (11).
    #[genl(cmd = 11, request, reply = FeaturesGetReply)]
    FeaturesGet(Features),
    /// `ETHTOOL_MSG_FEATURES_GET_REPLY` (11).
    #[genl(cmd = 11)]
    FeaturesGetReply(Features),
    /// `ETHTOOL_MSG_FEATURES_SET` (12): `wanted` carries the change.
    #[genl(cmd = 12, request)]
    FeaturesSet(Features),
    /// `ETHTOOL_MSG_FEATURES_SET_REPLY` (12): `wanted`/`active` as changed, when they differ
    /// from the request.
    #[genl(cmd = 12)]
    FeaturesSetReply(Features),
    /// `ETHTOOL_MSG_FEATURES_NTF` (13).
    #[genl(cmd = 13)]
    FeaturesNtf(Features),
    /// `ETHTOOL_MSG_RINGS_GET` (15).
    #[genl(cmd = 15, request, reply = RingsGetReply)]
    RingsGet(Rings),
    /// `ETHTOOL_MSG_RINGS_SET` (16).
    #[genl(cmd = 16, request, ack)]
    RingsSet(Rings),
    /// `ETHTOOL_MSG_RINGS_GET_REPLY` (16).
    #[genl(cmd = 16)]
    RingsGetReply(Rings),
    /// `ETHTOOL_MSG_RINGS_NTF` (17).
    #[genl(cmd = 17)]
    RingsNtf(Rings),
    /// `ETHTOOL_MSG_CHANNELS_GET` (17).
    #[genl(cmd = 17, request, reply = ChannelsGetReply)]
    ChannelsGet(Channels),
    /// `ETHTOOL_MSG_CHANNELS_SET` (18).
    #[genl(cmd = 18, request, ack)]
    ChannelsSet(Channels),
    /// `ETHTOOL_MSG_CHANNELS_GET_REPLY` (18).
    #[genl(cmd = 18)]
    ChannelsGetReply(Channels),
    /// `ETHTOOL_MSG_CHANNELS_NTF` (19).
    #[genl(cmd = 19)]
    ChannelsNtf(Channels),
}

impl Ethtool {
    /// The request header (or the device a reply or notification is about).
    pub fn header(&self) -> Option<&Header> {
        match self {
            Ethtool::StrsetGet(m) | Ethtool::StrsetGetReply(m) => m.header.as_ref(),
            Ethtool::LinkinfoGet(m) | Ethtool::LinkinfoGetReply(m) | Ethtool::LinkinfoNtf(m) => {
                m.header.as_ref()
            }
            Ethtool::LinkmodesGet(m) | Ethtool::LinkmodesGetReply(m) | Ethtool::LinkmodesNtf(m) => {
                m.header.as_ref()
            }
            Ethtool::LinkstateGet(m) | Ethtool::LinkstateGetReply(m) => m.header.as_ref(),
            Ethtool::FeaturesGet(m)
            | Ethtool::FeaturesGetReply(m)
            | Ethtool::FeaturesSet(m)
            | Ethtool::FeaturesSetReply(m)
            | Ethtool::FeaturesNtf(m) => m.header.as_ref(),
            Ethtool::RingsGet(m)
            | Ethtool::RingsSet(m)
            | Ethtool::RingsGetReply(m)
            | Ethtool::RingsNtf(m) => m.header.as_ref(),
            Ethtool::ChannelsGet(m)
            | Ethtool::ChannelsSet(m)
            | Ethtool::ChannelsGetReply(m)
            | Ethtool::ChannelsNtf(m) => m.header.as_ref(),
        }
    }
}

/// An error for a reply of the wrong command.
fn unexpected(what: &str, got: &Ethtool) -> Error {
    DecodeError::new(
        netlink_genl::netlink_genl_core::DecodeErrorKind::UnexpectedMessage(
            format!(
                "expected {what}, got {}",
                Ethtool::command_name(got.command()).unwrap_or("an unknown command")
            )
            .into(),
        ),
    )
    .into()
}

// ---------------------------------------------------------------------------------------------
// Convenience calls (used by the example and the live tests).

/// The names of string set `id` ([`stringset`]) for device `dev`, index → name.
pub fn string_set(sock: &mut GenlSocket, dev: &str, id: u32) -> Result<Vec<String>, Error> {
    match sock.request(&Ethtool::StrsetGet(Strset::request(dev, id)))? {
        Ethtool::StrsetGetReply(r) => r
            .names(id)
            .ok_or_else(|| DecodeError::custom(format!("no string set {id} in the reply")).into()),
        other => Err(unexpected("StrsetGetReply", &other)),
    }
}

/// The feature names of device `dev` (`ETH_SS_FEATURES`), index → name.
pub fn feature_names(sock: &mut GenlSocket, dev: &str) -> Result<Vec<String>, Error> {
    string_set(sock, dev, stringset::FEATURES)
}

/// `LINKINFO_GET` for device `dev`.
pub fn linkinfo(sock: &mut GenlSocket, dev: &str) -> Result<Linkinfo, Error> {
    match sock.request(&Ethtool::LinkinfoGet(Linkinfo::for_header(Header::dev(
        dev,
    ))))? {
        Ethtool::LinkinfoGetReply(r) => Ok(r),
        other => Err(unexpected("LinkinfoGetReply", &other)),
    }
}

/// `LINKMODES_GET` for device `dev` (verbose bitsets: the modes carry their names).
pub fn linkmodes(sock: &mut GenlSocket, dev: &str) -> Result<Linkmodes, Error> {
    match sock.request(&Ethtool::LinkmodesGet(Linkmodes::for_header(Header::dev(
        dev,
    ))))? {
        Ethtool::LinkmodesGetReply(r) => Ok(r),
        other => Err(unexpected("LinkmodesGetReply", &other)),
    }
}

/// `LINKSTATE_GET` for device `dev`.
pub fn linkstate(sock: &mut GenlSocket, dev: &str) -> Result<Linkstate, Error> {
    match sock.request(&Ethtool::LinkstateGet(Linkstate::for_header(Header::dev(
        dev,
    ))))? {
        Ethtool::LinkstateGetReply(r) => Ok(r),
        other => Err(unexpected("LinkstateGetReply", &other)),
    }
}

/// `CHANNELS_GET` for device `dev`.
pub fn channels(sock: &mut GenlSocket, dev: &str) -> Result<Channels, Error> {
    match sock.request(&Ethtool::ChannelsGet(Channels::for_header(Header::dev(
        dev,
    ))))? {
        Ethtool::ChannelsGetReply(r) => Ok(r),
        other => Err(unexpected("ChannelsGetReply", &other)),
    }
}

/// `FEATURES_GET` for device `dev` with header flags `flags` (e.g.
/// [`flags::COMPACT_BITSETS`]).
pub fn features_raw(sock: &mut GenlSocket, dev: &str, flags: u32) -> Result<Features, Error> {
    let header = Header::dev(dev).with_flags(flags);
    match sock.request(&Ethtool::FeaturesGet(Features::for_header(header)))? {
        Ethtool::FeaturesGetReply(r) => Ok(r),
        other => Err(unexpected("FeaturesGetReply", &other)),
    }
}

/// One device feature as `ethtool -k` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureState {
    /// The bit index.
    pub index: u32,
    /// The kernel's name (`tx-checksum-ip-generic`); empty for bits the kernel does not name
    /// (unused feature bits, which `ethtool -k` does not show).
    pub name: String,
    /// In `HW`: the user may change it.
    pub hw: bool,
    /// In `WANTED`: the user asked for it.
    pub wanted: bool,
    /// In `ACTIVE`: in effect.
    pub active: bool,
    /// In `NOCHANGE`: never changeable.
    pub nochange: bool,
}

impl FeatureState {
    /// `ethtool -k`'s `[fixed]`: the user cannot change it.
    pub fn fixed(&self) -> bool {
        !self.hw || self.nochange
    }
}

/// Combine a `FEATURES_GET` reply with the feature names: one [`FeatureState`] per bit.
pub fn feature_states(
    reply: &Features,
    names: &[String],
) -> Result<Vec<FeatureState>, DecodeError> {
    let set = |b: &Option<Bitset>| -> Result<Vec<bool>, DecodeError> {
        let mut v = Vec::new();
        if let Some(b) = b {
            for bit in b.bits(names)? {
                let i = bit.index as usize;
                if v.len() <= i {
                    v.resize(i + 1, false);
                }
                if let Some(slot) = v.get_mut(i) {
                    *slot = bit.set;
                }
            }
        }
        Ok(v)
    };
    let (hw, wanted, active, nochange) = (
        set(&reply.hw)?,
        set(&reply.wanted)?,
        set(&reply.active)?,
        set(&reply.nochange)?,
    );
    let size = reply
        .active
        .as_ref()
        .and_then(|b| b.size)
        .map_or(names.len(), |s| s as usize);
    let at = |v: &[bool], i: usize| v.get(i).copied().unwrap_or(false);
    Ok((0..size)
        .map(|i| FeatureState {
            index: i as u32,
            name: names.get(i).cloned().unwrap_or_default(),
            hw: at(&hw, i),
            wanted: at(&wanted, i),
            active: at(&active, i),
            nochange: at(&nochange, i),
        })
        .collect())
}

/// Every feature of device `dev`: `FEATURES_GET` with compact bitsets, named from the
/// `ETH_SS_FEATURES` string set.
pub fn features(sock: &mut GenlSocket, dev: &str) -> Result<Vec<FeatureState>, Error> {
    let names = feature_names(sock, dev)?;
    let reply = features_raw(sock, dev, flags::COMPACT_BITSETS)?;
    Ok(feature_states(&reply, &names)?)
}

/// `FEATURES_SET` on device `dev`: turn the named features on (`true`) or off (`false`).
/// Returns the kernel's `FEATURES_SET_REPLY` (what changed beyond the request), if it sent one.
pub fn set_features(
    sock: &mut GenlSocket,
    dev: &str,
    changes: &[(&str, bool)],
) -> Result<Option<Features>, Error> {
    let req = Ethtool::FeaturesSet(Features {
        header: Some(Header::dev(dev)),
        wanted: Some(Bitset::change_by_name(changes)),
        ..Features::default()
    });
    let mut replies = sock.request_all(&req)?;
    match replies.pop() {
        None => Ok(None),
        Some(Ethtool::FeaturesSetReply(f)) => Ok(Some(f)),
        Some(other) => Err(unexpected("FeaturesSetReply", &other)),
    }
}

// ---------------------------------------------------------------------------------------------
// What the `ethtool` program prints.

/// What the `ethtool` program prints (text like `ethtool`'s, or one line of JSON with
/// `--json`).
pub mod show {
    use std::collections::BTreeMap;

    use netlink_genl::{Error, GenlMessage, GenlSocket};
    use serde::Serialize;

    use super::{
        Bitset, Ethtool, FeatureState, Features, Header, Strset, duplex_name, mdix_name, port_name,
        stringset, transceiver_name,
    };
    use crate::json_line;

    fn on_off(v: bool) -> &'static str {
        if v { "on" } else { "off" }
    }

    /// A section of `ethtool DEV` that the device may not support.
    #[derive(Debug, Serialize)]
    #[serde(untagged)]
    enum Section<T> {
        Supported(T),
        NotSupported {
            /// The kernel's message (EOPNOTSUPP).
            not_supported: String,
        },
    }

    /// A section the device does not support is reported and skipped, as ethtool does; any other
    /// error ends the program.
    fn optional<T, U>(
        r: Result<T, Error>,
        f: impl FnOnce(T) -> Result<U, Error>,
    ) -> Result<Section<U>, Error> {
        match r {
            Ok(v) => Ok(Section::Supported(f(v)?)),
            Err(Error::Kernel(k)) if k.errno == netlink_genl::Errno::OPNOTSUPP => {
                Ok(Section::NotSupported {
                    not_supported: k.msg.unwrap_or_else(|| "EOPNOTSUPP".to_owned()),
                })
            }
            Err(e) => Err(e),
        }
    }

    #[derive(Debug, Serialize)]
    struct LinkModes {
        supported: Vec<String>,
        advertised: Vec<String>,
        partner_advertised: Vec<String>,
        /// Mb/s; null: unknown.
        speed: Option<u32>,
        duplex: Option<&'static str>,
        autoneg: Option<bool>,
    }

    #[derive(Debug, Serialize)]
    struct LinkInfo {
        port: Option<&'static str>,
        phyad: Option<u8>,
        transceiver: Option<&'static str>,
        mdi_x: Option<&'static str>,
    }

    #[derive(Debug, Serialize)]
    struct Feature {
        name: String,
        active: bool,
        fixed: bool,
        /// What the user asked for, when it differs from `active` (and the feature is not fixed).
        requested: Option<bool>,
    }

    impl Feature {
        fn new(f: &FeatureState) -> Self {
            Feature {
                name: f.name.clone(),
                active: f.active,
                fixed: f.fixed(),
                requested: (!f.fixed() && f.wanted != f.active).then_some(f.wanted),
            }
        }

        fn text(&self) -> String {
            let mut s = format!("\t{}: {}", self.name, on_off(self.active));
            if self.fixed {
                s.push_str(" [fixed]");
            } else if let Some(r) = self.requested {
                s.push_str(&format!(" [requested {}]", on_off(r)));
            }
            s.push('\n');
            s
        }
    }

    /// A channel count and its maximum; null where the text says n/a (absent or 0).
    #[derive(Debug, Serialize)]
    struct Channel {
        count: Option<u32>,
        max: Option<u32>,
    }

    impl Channel {
        fn new(count: Option<u32>, max: Option<u32>) -> Self {
            Channel {
                count: count.filter(|&v| v != 0),
                max: max.filter(|&v| v != 0),
            }
        }

        fn text(&self) -> String {
            let n = |v: Option<u32>| v.map_or("n/a".to_owned(), |v| v.to_string());
            format!("{} (max {})", n(self.count), n(self.max))
        }
    }

    #[derive(Debug, Serialize)]
    struct ChannelsOut {
        rx: Channel,
        tx: Channel,
        other: Channel,
        combined: Channel,
    }

    /// `ethtool DEV`: the data of every section, gathered before anything is printed.
    #[derive(Debug, Serialize)]
    struct Settings {
        device: String,
        link_modes: Section<LinkModes>,
        link_info: Section<LinkInfo>,
        link_detected: Option<bool>,
        features: Vec<Feature>,
        channels: Section<ChannelsOut>,
    }

    /// Link modes from a verbose bitset: the supported ones are the mask (every listed bit), the
    /// advertised ones those with VALUE.
    fn modes(b: Option<&Bitset>, only_set: bool) -> Result<Vec<String>, Error> {
        Ok(match b {
            Some(b) => b
                .bits(&[])?
                .into_iter()
                .filter(|bit| bit.set || !only_set)
                .map(|bit| bit.name.unwrap_or_else(|| format!("bit{}", bit.index)))
                .collect(),
            None => Vec::new(),
        })
    }

    fn feature_list(sock: &mut GenlSocket, dev: &str) -> Result<Vec<Feature>, Error> {
        Ok(super::features(sock, dev)?
            .iter()
            .filter(|f| !f.name.is_empty())
            .map(Feature::new)
            .collect())
    }

    impl Settings {
        fn query(sock: &mut GenlSocket, dev: &str) -> Result<Self, Error> {
            // Link state works for every device: a missing device fails here, with the kernel's
            // error.
            let state = super::linkstate(sock, dev)?;
            let link_modes = optional(super::linkmodes(sock, dev), |m| {
                Ok(LinkModes {
                    supported: modes(m.ours.as_ref(), false)?,
                    advertised: modes(m.ours.as_ref(), true)?,
                    partner_advertised: modes(m.peer.as_ref(), true)?,
                    speed: m.speed.filter(|&s| s != u32::MAX),
                    duplex: m.duplex.map(duplex_name),
                    autoneg: m.autoneg.map(|a| a != 0),
                })
            })?;
            let link_info = optional(super::linkinfo(sock, dev), |i| {
                Ok(LinkInfo {
                    port: i.port.map(port_name),
                    phyad: i.phyaddr,
                    transceiver: i.transceiver.map(transceiver_name),
                    mdi_x: i.tp_mdix.map(mdix_name),
                })
            })?;
            let features = feature_list(sock, dev)?;
            let channels = optional(super::channels(sock, dev), |c| {
                Ok(ChannelsOut {
                    rx: Channel::new(c.rx_count, c.rx_max),
                    tx: Channel::new(c.tx_count, c.tx_max),
                    other: Channel::new(c.other_count, c.other_max),
                    combined: Channel::new(c.combined_count, c.combined_max),
                })
            })?;
            Ok(Settings {
                device: dev.to_owned(),
                link_modes,
                link_info,
                link_detected: state.link.map(|l| l != 0),
                features,
                channels,
            })
        }

        fn text(&self) -> String {
            let dev = &self.device;
            let mut s = format!("Settings for {dev}:\n");
            let mut line = |l: String| {
                s.push('\t');
                s.push_str(&l);
                s.push('\n');
            };
            let list = |v: &[String]| {
                if v.is_empty() {
                    "Not reported".to_owned()
                } else {
                    v.join(" ")
                }
            };
            match &self.link_modes {
                Section::NotSupported { not_supported } => {
                    line(format!("Link modes: not supported ({not_supported})"));
                }
                Section::Supported(m) => {
                    line(format!("Supported link modes: {}", list(&m.supported)));
                    line(format!("Advertised link modes: {}", list(&m.advertised)));
                    line(format!(
                        "Link partner advertised link modes: {}",
                        list(&m.partner_advertised)
                    ));
                    match m.speed {
                        Some(v) => line(format!("Speed: {v}Mb/s")),
                        None => line("Speed: Unknown!".to_owned()),
                    }
                    if let Some(d) = m.duplex {
                        line(format!("Duplex: {d}"));
                    }
                    if let Some(a) = m.autoneg {
                        line(format!("Auto-negotiation: {}", on_off(a)));
                    }
                }
            }
            match &self.link_info {
                Section::NotSupported { not_supported } => {
                    line(format!("Link info: not supported ({not_supported})"));
                }
                Section::Supported(i) => {
                    if let Some(p) = i.port {
                        line(format!("Port: {p}"));
                    }
                    if let Some(a) = i.phyad {
                        line(format!("PHYAD: {a}"));
                    }
                    if let Some(t) = i.transceiver {
                        line(format!("Transceiver: {t}"));
                    }
                    if let Some(m) = i.mdi_x {
                        line(format!("MDI-X: {m}"));
                    }
                }
            }
            if let Some(l) = self.link_detected {
                line(format!("Link detected: {}", if l { "yes" } else { "no" }));
            }
            s.push_str(&features_text(dev, &self.features));
            s.push_str(&format!("Channel parameters for {dev}:\n"));
            match &self.channels {
                Section::NotSupported { not_supported } => {
                    s.push_str(&format!("\tChannels: not supported ({not_supported})\n"));
                }
                Section::Supported(c) => {
                    s.push_str(&format!("\tRX:       {}\n", c.rx.text()));
                    s.push_str(&format!("\tTX:       {}\n", c.tx.text()));
                    s.push_str(&format!("\tOther:    {}\n", c.other.text()));
                    s.push_str(&format!("\tCombined: {}\n", c.combined.text()));
                }
            }
            s
        }
    }

    fn features_text(dev: &str, features: &[Feature]) -> String {
        let mut s = format!("Features for {dev}:\n");
        for f in features {
            s.push_str(&f.text());
        }
        s
    }

    #[derive(Debug, Serialize)]
    struct FeaturesOut<'a> {
        device: &'a str,
        features: Vec<Feature>,
    }

    /// A feature turned on or off.
    #[derive(Debug, Serialize)]
    struct Change {
        name: String,
        on: bool,
    }

    impl Change {
        fn text(changes: &[Change]) -> String {
            changes
                .iter()
                .map(|c| format!("{} {}", c.name, on_off(c.on)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// What `set` reports: nothing to add (the kernel sent no reply: set as requested), or the
    /// wanted and active bits that differ from the request.
    #[derive(Debug, Serialize)]
    struct SetOut<'a> {
        device: &'a str,
        as_requested: bool,
        wanted: Vec<Change>,
        active: Vec<Change>,
    }

    /// Feature names (global: the same for every device) and the last known active features of
    /// each device, so notifications can be shown as changes.
    struct FeatureCache {
        names: Vec<String>,
        active: BTreeMap<String, Vec<bool>>,
    }

    impl FeatureCache {
        fn load(sock: &mut GenlSocket) -> Result<Self, Error> {
            // No device: the global sets (the kernel still wants an (empty) header).
            let req = Ethtool::StrsetGet(Strset {
                header: Some(Header::default()),
                ..Strset::request("", stringset::FEATURES)
            });
            let names = match sock.request(&req)? {
                Ethtool::StrsetGetReply(r) => r.names(stringset::FEATURES).unwrap_or_default(),
                _ => Vec::new(),
            };
            let mut cache = FeatureCache {
                names,
                active: BTreeMap::new(),
            };
            // Every device's current features (a dump: empty header, compact bitsets).
            let dump = Ethtool::FeaturesGet(Features::for_header(
                Header::default().with_flags(super::flags::COMPACT_BITSETS),
            ));
            let mut replies = Vec::new();
            sock.dump_with(&dump, |m: Ethtool| {
                replies.push(m);
                Ok(())
            })?;
            for m in replies {
                if let Ethtool::FeaturesGetReply(f) = m {
                    cache.update(&f)?;
                }
            }
            Ok(cache)
        }

        /// Record `f`'s active features; returns the changes since the last time (`None`: the
        /// device was not seen before).
        fn update(&mut self, f: &Features) -> Result<Option<Vec<Change>>, Error> {
            let dev = f
                .header
                .as_ref()
                .map_or_else(|| "?".to_owned(), Header::device);
            let Some(active) = &f.active else {
                return Ok(Some(Vec::new()));
            };
            let bits = active.bits(&self.names)?;
            let now: Vec<bool> = bits.iter().map(|b| b.set).collect();
            let changes = self.active.get(&dev).map(|before| {
                bits.iter()
                    .filter(|b| before.get(b.index as usize) != Some(&b.set))
                    .map(|b| Change {
                        name: b.name.clone().unwrap_or_else(|| format!("bit{}", b.index)),
                        on: b.set,
                    })
                    .collect()
            });
            self.active.insert(dev, now);
            Ok(changes)
        }
    }

    /// One notification as JSON: the device, the command's name, and for features the changes
    /// (`null`: the device was first seen), for channels the counts.
    #[derive(Debug, Serialize)]
    struct EventOut {
        device: String,
        event: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        changes: Option<Option<Vec<Change>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        channels: Option<BTreeMap<&'static str, Option<u32>>>,
    }

    /// `ethtool DEV`: link settings, link state, features and channels.
    pub fn settings(sock: &mut GenlSocket, dev: &str, json: bool) -> Result<String, Error> {
        let settings = Settings::query(sock, dev)?;
        Ok(if json {
            json_line(&settings)
        } else {
            settings.text()
        })
    }

    /// `ethtool -k DEV`: the features.
    pub fn features(sock: &mut GenlSocket, dev: &str, json: bool) -> Result<String, Error> {
        let features = feature_list(sock, dev)?;
        Ok(if json {
            json_line(&FeaturesOut {
                device: dev,
                features,
            })
        } else {
            features_text(dev, &features)
        })
    }

    /// `ethtool -K DEV FEATURE on|off ...`: change features, and say what the kernel changed
    /// beyond the request.
    pub fn set(
        sock: &mut GenlSocket,
        dev: &str,
        changes: &[(&str, bool)],
        json: bool,
    ) -> Result<String, Error> {
        let names = super::feature_names(sock, dev)?;
        let reply = super::set_features(sock, dev, changes)?;
        let bits = |b: &Option<Bitset>| -> Result<Vec<Change>, Error> {
            let Some(b) = b else { return Ok(Vec::new()) };
            Ok(b.bits(&names)?
                .into_iter()
                .map(|bit| Change {
                    name: bit.name.unwrap_or_else(|| format!("bit{}", bit.index)),
                    on: bit.set,
                })
                .collect())
        };
        // The reply lists what differs from the request: the wanted bits the kernel did not take
        // as asked, and every active bit that changed.
        let out = SetOut {
            device: dev,
            as_requested: reply.is_none(),
            wanted: reply.as_ref().map_or(Ok(Vec::new()), |r| bits(&r.wanted))?,
            active: reply.as_ref().map_or(Ok(Vec::new()), |r| bits(&r.active))?,
        };
        if json {
            return Ok(json_line(&out));
        }
        let mut text = String::new();
        if out.as_requested {
            text.push_str(&format!("{dev}: features set as requested\n"));
        }
        for (what, changes) in [("wanted", &out.wanted), ("active", &out.active)] {
            if !changes.is_empty() {
                text.push_str(&format!("{dev}: {what}: {}\n", Change::text(changes)));
            }
        }
        Ok(text)
    }

    /// `ethtool --monitor`: notifications as text or JSON, features as changes since the last
    /// time (the feature names and every device's features are loaded first).
    pub struct Monitor {
        cache: FeatureCache,
    }

    impl Monitor {
        /// Load the feature names and every device's active features.
        pub fn load(sock: &mut GenlSocket) -> Result<Self, Error> {
            Ok(Monitor {
                cache: FeatureCache::load(sock)?,
            })
        }

        /// One notification.
        pub fn event(&mut self, msg: &Ethtool, json: bool) -> Result<String, Error> {
            let cache = &mut self.cache;
            let device = msg.header().map_or_else(|| "?".to_owned(), Header::device);
            let mut out = EventOut {
                device,
                event: Ethtool::command_name(msg.command()).unwrap_or("notification"),
                changes: None,
                channels: None,
            };
            let dev = &out.device;
            let text = match msg {
                Ethtool::FeaturesNtf(f) => {
                    let changes = cache.update(f)?;
                    let text = match &changes {
                        None => "(first seen)".to_owned(),
                        Some(c) if c.is_empty() => "(none)".to_owned(),
                        Some(c) => Change::text(c),
                    };
                    out.changes = Some(changes);
                    format!("{dev}: features changed: {text}")
                }
                Ethtool::ChannelsNtf(c) => {
                    out.channels = Some(BTreeMap::from([
                        ("rx", c.rx_count),
                        ("tx", c.tx_count),
                        ("other", c.other_count),
                        ("combined", c.combined_count),
                    ]));
                    format!(
                        "{dev}: channels: rx {:?} tx {:?} other {:?} combined {:?}",
                        c.rx_count, c.tx_count, c.other_count, c.combined_count
                    )
                }
                _ => format!("{dev}: {}", out.event),
            };
            Ok(if json {
                json_line(&out)
            } else {
                format!("{text}\n")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_ne_bytes()).collect()
    }

    #[test]
    fn compact_nomask_lists_every_bit() {
        let b = Bitset {
            nomask: true,
            size: Some(35),
            value: Some(words(&[0b101, 0b100])),
            ..Bitset::default()
        };
        let names: Vec<String> = (0..35).map(|i| format!("f{i}")).collect();
        let bits = b.bits(&names).unwrap();
        assert_eq!(bits.len(), 35);
        let set: Vec<u32> = bits.iter().filter(|b| b.set).map(|b| b.index).collect();
        assert_eq!(set, [0, 2, 34]);
        assert_eq!(bits[34].name.as_deref(), Some("f34"));
    }

    #[test]
    fn compact_with_mask_lists_masked_bits() {
        let b = Bitset {
            size: Some(8),
            value: Some(words(&[0b0001])),
            mask: Some(words(&[0b0011])),
            ..Bitset::default()
        };
        let bits = b.bits(&[]).unwrap();
        assert_eq!(
            bits,
            [
                Bit {
                    index: 0,
                    name: None,
                    set: true
                },
                Bit {
                    index: 1,
                    name: None,
                    set: false
                },
            ]
        );
    }

    #[test]
    fn compact_short_value_is_an_error() {
        let b = Bitset {
            nomask: true,
            size: Some(64),
            value: Some(words(&[1])),
            ..Bitset::default()
        };
        assert!(b.bits(&[]).is_err());
    }

    #[test]
    fn verbose_nomask_lists_set_bits_only() {
        let b = Bitset {
            nomask: true,
            size: Some(4),
            bits: Some(BitsetBits {
                bit: vec![BitsetBit {
                    index: Some(2),
                    name: Some("two".into()),
                    value: false,
                }],
            }),
            ..Bitset::default()
        };
        let bits = b.bits(&[]).unwrap();
        assert_eq!(bits.len(), 4);
        assert!(bits[2].set && bits[2].name.as_deref() == Some("two"));
        assert!(!bits[0].set && !bits[1].set && !bits[3].set);
    }

    #[test]
    fn verbose_with_mask_uses_value_flags() {
        let b = Bitset {
            size: Some(4),
            bits: Some(BitsetBits {
                bit: vec![
                    BitsetBit {
                        index: Some(3),
                        name: None,
                        value: true,
                    },
                    BitsetBit {
                        index: Some(1),
                        name: None,
                        value: false,
                    },
                ],
            }),
            ..Bitset::default()
        };
        let names = vec!["a".to_owned(), "b".into(), "c".into(), "d".into()];
        let bits = b.bits(&names).unwrap();
        assert_eq!(
            bits,
            [
                Bit {
                    index: 1,
                    name: Some("b".into()),
                    set: false
                },
                Bit {
                    index: 3,
                    name: Some("d".into()),
                    set: true
                },
            ]
        );
    }

    #[test]
    fn verbose_sizes_and_indexes_from_the_wire_are_bounded() {
        let huge = Bitset {
            nomask: true,
            size: Some(u32::MAX),
            bits: Some(BitsetBits::default()),
            ..Bitset::default()
        };
        assert!(huge.bits(&[]).is_err());
        let beyond = Bitset {
            size: Some(4),
            bits: Some(BitsetBits {
                bit: vec![BitsetBit {
                    index: Some(u32::MAX),
                    name: None,
                    value: true,
                }],
            }),
            ..Bitset::default()
        };
        assert!(beyond.bits(&[]).is_err());
        let no_size = Bitset {
            nomask: true,
            bits: Some(BitsetBits {
                bit: vec![BitsetBit {
                    index: Some(MAX_BITS),
                    name: None,
                    value: false,
                }],
            }),
            ..Bitset::default()
        };
        assert!(no_size.bits(&[]).is_err());
        let s = StringSet {
            strings: vec![Strings {
                string: vec![StringEntry {
                    index: Some(u32::MAX),
                    value: Some("x".into()),
                }],
            }],
            ..StringSet::default()
        };
        assert!(s.names().is_empty());
    }

    #[test]
    fn string_set_names_by_index() {
        let s = StringSet {
            id: Some(4),
            count: Some(3),
            strings: vec![Strings {
                string: vec![
                    StringEntry {
                        index: Some(2),
                        value: Some("c".into()),
                    },
                    StringEntry {
                        index: Some(0),
                        value: Some("a".into()),
                    },
                ],
            }],
        };
        assert_eq!(s.names(), ["a", "", "c"]);
    }
}
