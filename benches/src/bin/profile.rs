//! Run one operation of the suite in a loop, for profilers (`valgrind --tool=callgrind`,
//! `perf`): `profile <operation> [iterations]`. Run it without arguments for the list.
//!
//! ```text
//! CARGO_PROFILE_RELEASE_DEBUG=true cargo build --release -p benches --bin profile
//! valgrind --tool=callgrind target/release/profile family-manual-borrowed 1000
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::hint::black_box;
use std::io::Cursor;

use benches::floor::RawSocket;
use benches::peers::{neli, rnl};
use benches::{FAMILY, FLAGS_DO_ACK, Inputs, live};
use benches::{manual, ours};

type Op = (&'static str, fn(&Inputs, u64));

const OPS: &[Op] = &[
    ("encode-neli", |_, n| {
        let mut c = Cursor::new(Vec::new());
        for _ in 0..n {
            neli::encode_getfamily(&mut c, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
        }
    }),
    ("encode-rnl", |_, n| {
        let mut v = Vec::new();
        for _ in 0..n {
            rnl::encode_getfamily(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1);
        }
    }),
    ("encode-manual", |_, n| {
        let mut v = Vec::new();
        for _ in 0..n {
            manual::encode_getfamily(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(&v);
        }
    }),
    ("family-neli", |i, n| {
        for _ in 0..n {
            black_box(neli::decode_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("family-rnl", |i, n| {
        for _ in 0..n {
            black_box(rnl::decode_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("family-manual-owned", |i, n| {
        for _ in 0..n {
            black_box(manual::decode_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("family-manual-borrowed", |i, n| {
        for _ in 0..n {
            black_box(manual::fold_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("family-tight-borrowed", |i, n| {
        for _ in 0..n {
            black_box(manual::tight_fold_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("encode-ours-owned", |_, n| {
        let mut v = Vec::new();
        for _ in 0..n {
            ours::encode_getfamily_owned(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(&v);
        }
    }),
    ("encode-ours-borrowed", |_, n| {
        let mut v = Vec::new();
        for _ in 0..n {
            ours::encode_getfamily_borrowed(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(&v);
        }
    }),
    ("family-ours-owned", |i, n| {
        for _ in 0..n {
            black_box(ours::decode_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("family-ours-borrowed", |i, n| {
        for _ in 0..n {
            black_box(ours::fold_family_dump(black_box(&i.family_dump)).unwrap());
        }
    }),
    ("policy-ours-owned", |i, n| {
        for _ in 0..n {
            black_box(ours::decode_policy_dump(black_box(&i.policy_dump)).unwrap());
        }
    }),
    ("policy-manual-borrowed", |i, n| {
        for _ in 0..n {
            black_box(manual::fold_policy_dump(black_box(&i.policy_dump)).unwrap());
        }
    }),
    // Live: user-space instructions only (valgrind does not see the kernel), so the floor's
    // count is the syscall wrappers and a header walk, and any row minus the floor is what the
    // library adds.
    ("live-dump-floor", |_, n| {
        let req = live::floor_requests().dump;
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(s.round_trip(&req).unwrap());
        }
    }),
    ("live-dump-rnl", |_, n| {
        let mut s = rnl::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families().unwrap());
        }
    }),
    ("live-dump-ours-owned", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families().unwrap());
        }
    }),
    ("live-dump-ours-with", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families_with().unwrap());
        }
    }),
    ("live-dump-ours-borrowed", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families_borrowed().unwrap());
        }
    }),
    ("live-dump-ours-borrowed-peek", |_, n| {
        let mut s = ours::Live::with_peek().unwrap();
        for _ in 0..n {
            black_box(s.dump_families_borrowed().unwrap());
        }
    }),
    ("live-dump-tokio-owned", |_, n| {
        let mut s = ours::AsyncLive::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families().unwrap());
        }
    }),
    ("live-dump-tokio-borrowed", |_, n| {
        let mut s = ours::AsyncLive::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families_borrowed().unwrap());
        }
    }),
    ("live-dump-manual-owned", |_, n| {
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(live::dump_manual(&mut s).unwrap());
        }
    }),
    ("live-dump-manual-borrowed", |_, n| {
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(live::dump_manual_borrowed(&mut s).unwrap());
        }
    }),
    ("live-do-floor", |_, n| {
        let req = live::floor_requests().get;
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(s.request_one(&req).unwrap());
        }
    }),
    ("live-do-floor-addr", |_, n| {
        let req = live::floor_requests().get;
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(s.request_one_addr(&req).unwrap());
        }
    }),
    ("live-do-rnl", |_, n| {
        let mut s = rnl::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.get_family_no_ack(FAMILY).unwrap());
        }
    }),
    ("live-do-ours", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.get_family(FAMILY).unwrap());
        }
    }),
    ("live-do-ours-borrowed", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.get_family_borrowed(FAMILY).unwrap());
        }
    }),
    ("live-do-ours-borrowed-peek", |_, n| {
        let mut s = ours::Live::with_peek().unwrap();
        for _ in 0..n {
            black_box(s.get_family_borrowed(FAMILY).unwrap());
        }
    }),
    ("live-do-manual-owned", |_, n| {
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(live::do_manual(&mut s).unwrap());
        }
    }),
    ("live-do-manual-borrowed", |_, n| {
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(live::do_manual_borrowed(&mut s).unwrap());
        }
    }),
    ("live-do-ack-floor", |_, n| {
        let req = live::floor_requests().get_ack;
        let mut s = RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(s.round_trip(&req).unwrap());
        }
    }),
    ("live-do-ack-ours", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.get_family_ack(FAMILY).unwrap());
        }
    }),
    ("live-do-ack-ours-borrowed", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.get_family_ack_borrowed(FAMILY).unwrap());
        }
    }),
    ("live-do-ack-genl-ack", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            s.ack_family(FAMILY).unwrap();
        }
    }),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let Some((_, f)) = OPS.iter().find(|(k, _)| *k == name) else {
        eprintln!("usage: profile <operation> [iterations]; operations:");
        for (k, _) in OPS {
            eprintln!("  {k}");
        }
        std::process::exit(2);
    };
    let inp = Inputs::load();
    let t = std::time::Instant::now();
    f(&inp, n);
    println!("{name}: {:?}/op", t.elapsed() / n as u32);
}
