//! The example families declared with the derives: TASKSTATS (a 560-byte fixed struct inside
//! nests), ethtool (bitsets, string sets, nested headers) and netdev, decoded from any message;
//! ethtool bitsets are also expanded against names, as the example does.
#![no_main]

use example_families::ethtool::{BitsetExt, Ethtool};
use example_families::netdev::Netdev;
use example_families::taskstats::Taskstats;
use libfuzzer_sys::fuzz_target;
use netlink_genl::socket::GenlView;
use netlink_genl_core::message::MessageIter;

fuzz_target!(|data: &[u8]| {
    let names: Vec<String> = (0..8).map(|i| format!("bit{i}")).collect();
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else {
            continue;
        };
        let _ = v.decode::<Taskstats>();
        let _ = v.decode::<Netdev>();
        if let Ok(e) = v.decode::<Ethtool>() {
            let _ = format!("{e:?}");
            if let Ethtool::FeaturesGetReply(f) = e {
                for b in [f.hw, f.wanted, f.active, f.nochange].into_iter().flatten() {
                    let _ = b.bits(&names);
                }
            }
        }
    }
});
