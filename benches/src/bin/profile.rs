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
    ("live-dump-ours-owned", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families().unwrap());
        }
    }),
    ("live-dump-ours-borrowed", |_, n| {
        let mut s = ours::Live::new().unwrap();
        for _ in 0..n {
            black_box(s.dump_families_borrowed().unwrap());
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
    ("live-do-ours-borrowed-nopeek", |_, n| {
        let mut s = ours::Live::without_peek().unwrap();
        for _ in 0..n {
            black_box(s.get_family_borrowed(FAMILY).unwrap());
        }
    }),
    ("live-dump-ours-borrowed-nopeek", |_, n| {
        let mut s = ours::Live::without_peek().unwrap();
        for _ in 0..n {
            black_box(s.dump_families_borrowed().unwrap());
        }
    }),
    ("live-do-manual-borrowed", |_, n| {
        let mut s = benches::floor::RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(live::do_manual_borrowed(&mut s).unwrap());
        }
    }),
    ("live-do-floor", |_, n| {
        let (_, req) = live::floor_requests();
        let mut s = benches::floor::RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(s.round_trip(&req).unwrap());
        }
    }),
    ("policy-manual-borrowed", |i, n| {
        for _ in 0..n {
            black_box(manual::fold_policy_dump(black_box(&i.policy_dump)).unwrap());
        }
    }),
    ("live-dump-floor", |_, n| {
        let (req, _) = live::floor_requests();
        let mut s = benches::floor::RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(s.round_trip(&req).unwrap());
        }
    }),
    ("live-dump-manual-owned", |_, n| {
        let mut s = benches::floor::RawSocket::new().unwrap();
        for _ in 0..n {
            black_box(live::dump_manual(&mut s).unwrap());
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
