//! The derived nlctrl types, owned and borrowed: every message of the input decoded as `Ctrl`
//! (GETFAMILY replies: ops and multicast-group arrays) and as `CtrlRef` (borrowed names, lazy
//! arrays, iterated to the end). What decodes as `Ctrl` must encode and decode back to the same
//! message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netlink_genl::ctrl::{Ctrl, CtrlRef};
use netlink_genl::socket::GenlView;
use netlink_genl::{EncodeAttrs, EncodeErrorKind, GenlDecode, GenlMessage};
use netlink_genl_core::message::MessageIter;

fuzz_target!(|data: &[u8]| {
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else {
            continue;
        };
        let owned = v.decode::<Ctrl>();
        if let Ok(msg) = &owned {
            // What decoded re-encodes into exactly the size it announces, and decodes back to
            // the same message. The one reason it may not encode (see the roundtrip target):
            // a nest over 32,765 bytes whose canonical encoding passes the 65,531-byte limit.
            let n = msg.attrs_len();
            let mut buf = vec![0u8; n];
            let mut w = netlink_genl_core::attr::AttrWriter::new(&mut buf);
            match msg.write_attrs(&mut w) {
                Ok(()) => {}
                Err(e)
                    if data.len() > 32_765
                        && matches!(e.kind(), EncodeErrorKind::PayloadTooLarge { .. }) =>
                {
                    continue;
                }
                Err(e) => panic!("decoded {msg:?} but cannot encode it: {e}"),
            }
            assert_eq!(w.position(), n, "attrs_len is not exact");
            assert_eq!(msg.command(), v.cmd());
            assert!(<Ctrl as GenlMessage>::command_name(msg.command()).is_some());
            match Ctrl::decode_genl(msg.command(), &buf) {
                Ok(again) => assert_eq!(&again, msg, "decode(encode(m)) != m\n{buf:02x?}"),
                Err(e) => panic!("the encoding of {msg:?} does not decode: {e}\n{buf:02x?}"),
            }
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
