//! The connector protocol: cn_msg framing and proc_event decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl_core::connector::{CnMessage, ProcEvent};
use netlink_genl_core::message::MessageIter;

fuzz_target!(|data: &[u8]| {
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        if let Ok(cn) = CnMessage::parse(m.payload()) {
            if let Ok(ev) = ProcEvent::parse(cn.data) {
                let _ = ev.kind.comm_str();
            }
        }
    }
    let _ = ProcEvent::parse(data);
});
