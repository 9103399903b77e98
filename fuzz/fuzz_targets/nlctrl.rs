//! The derived nlctrl types, owned and borrowed: every message of the input decoded as `Ctrl`
//! (GETFAMILY replies: ops and multicast-group arrays) and as `CtrlRef` (borrowed names, lazy
//! arrays, iterated to the end). Owned and borrowed decode must agree on success.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl_core::message::MessageIter;
use netlink_genl::ctrl::{Ctrl, CtrlRef};
use netlink_genl::socket::GenlView;
use netlink_genl::{EncodeAttrs, GenlMessage};

fuzz_target!(|data: &[u8]| {
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else { continue };
        let owned = v.decode::<Ctrl>();
        if let Ok(msg) = &owned {
            // What decoded re-encodes within the sizes it announces.
            let mut buf = vec![0u8; msg.attrs_len()];
            let mut w = netlink_genl_core::attr::AttrWriter::new(&mut buf);
            let _ = msg.write_attrs(&mut w);
            let _ = <Ctrl as GenlMessage>::command_name(msg.command());
        }
        if let Ok(CtrlRef::NewFamily(f)) = v.decode::<CtrlRef<'_>>() {
            let _ = f.name;
            for op in f.ops.iter() {
                let _ = op;
            }
            for g in f.mcast_groups.iter() {
                let _ = g;
            }
        }
        let _ = owned.map(|c| c.into_family().attrs_len());
    }
});
