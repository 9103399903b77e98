// Attribute type 0 is an attribute like any other when written explicitly (nl80211's band
// `2ghz`, ovs_flow's tunnel `id`): a literal and a const id 0 both compile.
use netlink_genl::NlAttrs;

const OVS_TUNNEL_KEY_ATTR_ID: u16 = 0;

#[derive(NlAttrs)]
struct Bands {
    #[nla(id = 0)]
    band_2ghz: Option<u32>,
    #[nla(id = 1)]
    band_5ghz: Option<u32>,
}

#[derive(NlAttrs)]
struct TunnelKey {
    #[nla(id = OVS_TUNNEL_KEY_ATTR_ID, big_endian)]
    id: Option<u64>,
}

fn main() {
    let _ = (Bands { band_2ghz: None, band_5ghz: None }, TunnelKey { id: None });
}
