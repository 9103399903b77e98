//! The fake kernel's request handling: routing, permissions, validation against the policies
//! computed from the schemas (ranges, enum bounds, flag masks, per-op and global layouts,
//! liberal and strict parsing, nests, arrays, required attributes) and the controller. Any
//! request bytes get answers (or none), never a panic; and `Schema::validate`, the opt-in
//! check before sending, over the same bytes as attributes of every request set.
//!
//! Input layout: byte 0 picks the family whose id replaces the first message's type (nlctrl,
//! netdev, ethtool, fou, mptcp_pm); the rest is the request.
#![no_main]

use std::sync::OnceLock;

use example_families::ethtool::Ethtool;
use example_families::netdev::Netdev;
use libfuzzer_sys::fuzz_target;
use netlink_families::fou::Fou;
use netlink_families::mptcp_pm::MptcpPm;
use netlink_genl::GenlMessage;
use netlink_genl::testing::{FakeKernel, FamilySpec};

struct Fake {
    kernel: FakeKernel,
    ids: Vec<u16>,
    schemas: Vec<&'static netlink_genl::MessageSchema>,
}

fn fake() -> &'static Fake {
    static FAKE: OnceLock<Fake> = OnceLock::new();
    FAKE.get_or_init(|| {
        let kernel = FakeKernel::new();
        let mut ids = vec![0x10];
        ids.push(kernel.register(FamilySpec::<Netdev>::new().declared()).unwrap().id);
        ids.push(kernel.register(FamilySpec::<Ethtool>::new().declared()).unwrap().id);
        ids.push(kernel.register(FamilySpec::<Fou>::new().declared()).unwrap().id);
        ids.push(kernel.register(FamilySpec::<MptcpPm>::new().declared()).unwrap().id);
        let schemas = vec![
            Netdev::schema(),
            Ethtool::schema(),
            Fou::schema(),
            MptcpPm::schema(),
        ];
        Fake {
            kernel,
            ids,
            schemas,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let f = fake();
    let mut request = rest.to_vec();
    if let (Some(t), Some(id)) = (
        request.get_mut(4..6),
        f.ids.get(usize::from(pick) % f.ids.len()),
    ) {
        t.copy_from_slice(&id.to_ne_bytes());
    }
    for answer in f.kernel.respond(1, &request) {
        // An answer is at least a message header.
        assert!(answer.len() >= 16, "{answer:?}");
    }
    // The attributes after nlmsghdr and genlmsghdr, against each request set.
    let attrs = rest.get(20..).unwrap_or(&[]);
    for s in &f.schemas {
        for c in s.commands {
            if let Some(set) = c.attrs() {
                let _ = set.validate(attrs);
            }
        }
    }
});
