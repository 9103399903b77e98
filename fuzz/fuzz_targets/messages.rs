//! The message parser: framing, control-message interpretation, and the attributes of data
//! messages (after the 4-byte genl header).
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl_core::attr::AttrIter;
use netlink_genl_core::message::{MessageIter, MessageKind};

fn walk(buf: &[u8], depth: u32) {
    if depth > 16 {
        return;
    }
    for a in AttrIter::new(buf) {
        let Ok(a) = a else { return };
        walk(a.payload(), depth + 1);
    }
}

fuzz_target!(|data: &[u8]| {
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let _ = m.is_dump_interrupted();
        if let Ok(MessageKind::Data(p)) = m.kind() {
            walk(p.get(4..).unwrap_or(&[]), 0);
        }
    }
});
