//! GETPOLICY replies (keyed nests of keyed nests of policy attributes) through the derived
//! `Ctrl` type and the `PolicyDump` that collects them, as the `genl policy` example does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl::ctrl::{Ctrl, PolicyDump};
use netlink_genl::socket::GenlView;
use netlink_genl_core::message::MessageIter;

fuzz_target!(|data: &[u8]| {
    let mut dump = PolicyDump::default();
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else {
            continue;
        };
        if let Ok(c) = v.decode::<Ctrl>() {
            dump.add(c.into_family());
        }
    }
    let _ = format!("{dump:?}");
});
