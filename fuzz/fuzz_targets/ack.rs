//! Errors, ACKs, DONE and extended ACKs, with and without NLM_F_CAPPED / NLM_F_ACK_TLVS.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl_core::DecodeAttrs;
use netlink_genl_core::ack::{DoneMsg, ErrorMsg, ExtAck, PolicyInfo};
use netlink_genl_core::consts::{NLM_F_ACK_TLVS, NLM_F_CAPPED};

fuzz_target!(|data: &[u8]| {
    for flags in [
        0,
        NLM_F_CAPPED,
        NLM_F_ACK_TLVS,
        NLM_F_CAPPED | NLM_F_ACK_TLVS,
    ] {
        if let Ok(e) = ErrorMsg::parse(flags, data) {
            let k = e.to_kernel_error();
            let _ = k.to_string();
        }
        let _ = DoneMsg::parse(flags, data);
    }
    if let Ok(e) = ExtAck::parse(data) {
        if let Some(p) = e.policy {
            let _ = p.to_string();
        }
    }
    let _ = PolicyInfo::decode_attrs(data);
});
