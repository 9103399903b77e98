//! The attribute iterator and the container kinds built on it: keyed nests, indexed arrays,
//! lazily decoded arrays, strings, and every fixed kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl_core::attr::codec::{Array, DecodeCodec, Native, VarSint, VarUint};
use netlink_genl_core::attr::{ArrayView, AttrIter, BitField32, NlaDecode, RawAttrs};

type Policy<'a> = Vec<(u16, Vec<(u16, RawAttrs<'a>)>)>;

fuzz_target!(|data: &[u8]| {
    for a in AttrIter::new(data) {
        let Ok(a) = a else { break };
        let p = a.payload();
        let _ = u8::decode_payload(p);
        let _ = u16::decode_payload(p);
        let _ = u32::decode_payload(p);
        let _ = u64::decode_payload(p);
        let _ = <&str>::decode_payload(p);
        let _ = BitField32::decode_payload(p);
        let _: Result<u64, _> = VarUint::decode(p, 0);
        let _: Result<i32, _> = VarSint::decode(p, 0);
        let _ = Policy::decode_payload(p);
        let _: Result<Vec<u32>, _> = <Array<Native> as DecodeCodec<'_, Vec<u32>>>::decode(p, 0);
        if let Ok(v) = ArrayView::<'_, RawAttrs<'_>>::decode_payload(p) {
            for e in v.iter() {
                let Ok(e) = e else { break };
                for x in e.iter() {
                    if x.is_err() {
                        break;
                    }
                }
            }
        }
    }
});
