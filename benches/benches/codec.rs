//! Encode and decode, offline, on the captured bytes: every implementation in the same run.
//!
//! Groups (criterion ids `group/implementation`):
//! - `encode_getfamily`: build and serialize GETFAMILY {FAMILY_NAME="nlctrl"} into a reused
//!   buffer (checked byte-identical to `nlctrl-getfamily-do-nlctrl.req.bin` first);
//! - `decode_family_dump`: `nlctrl-getfamily-dump.reply.bin` (15 families + DONE) into typed
//!   values (owned: a `Vec` of families; borrowed: every value visited, nothing stored);
//! - `decode_policy_dump`: `nlctrl-getpolicy-ethtool.reply.bin` (260 messages + DONE).
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Cursor;
use std::time::Duration;

use benches::peers::{neli, rnl};
use benches::{FAMILY, FLAGS_DO_ACK, Inputs, check};
use benches::{manual, ours};
#[path = "support/clock.rs"]
mod clock;

use clock::Clock;
use criterion::{Criterion, criterion_group, criterion_main};

fn encode(c: &mut Criterion<Clock>) {
    let inp = Inputs::load();
    check::encode(&inp);
    let mut g = c.benchmark_group("encode_getfamily");
    g.bench_function("neli", |b| {
        let mut cur = Cursor::new(Vec::new());
        b.iter(|| {
            neli::encode_getfamily(&mut cur, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(cur.get_ref().as_ptr());
        })
    });
    g.bench_function("rust-netlink", |b| {
        let mut v = Vec::new();
        b.iter(|| {
            rnl::encode_getfamily(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1);
            black_box(v.as_ptr());
        })
    });
    g.bench_function("netlink-genl owned", |b| {
        let mut v = Vec::new();
        b.iter(|| {
            ours::encode_getfamily_owned(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(v.as_ptr());
        })
    });
    g.bench_function("netlink-genl borrowed", |b| {
        let mut v = Vec::new();
        b.iter(|| {
            ours::encode_getfamily_borrowed(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(v.as_ptr());
        })
    });
    g.bench_function("netlink-genl-core manual", |b| {
        let mut v = Vec::new();
        b.iter(|| {
            manual::encode_getfamily(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
            black_box(v.as_ptr());
        })
    });
    g.bench_function("netlink-genl-core manual (stack array)", |b| {
        let mut a = [0u8; 64];
        b.iter(|| {
            black_box(
                manual::encode_getfamily_in(&mut a, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap(),
            );
            black_box(&a);
        })
    });
    g.finish();
}

fn decode_family_dump(c: &mut Criterion<Clock>) {
    let inp = Inputs::load();
    check::family_dump(&inp);
    let buf = &inp.family_dump[..];
    let mut g = c.benchmark_group("decode_family_dump");
    g.bench_function("neli", |b| {
        b.iter(|| neli::decode_family_dump(black_box(buf)).unwrap())
    });
    g.bench_function("rust-netlink", |b| {
        b.iter(|| rnl::decode_family_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl owned", |b| {
        b.iter(|| ours::decode_family_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl borrowed", |b| {
        b.iter(|| ours::fold_family_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl-core manual owned", |b| {
        b.iter(|| manual::decode_family_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl-core manual borrowed", |b| {
        b.iter(|| manual::fold_family_dump(black_box(buf)).unwrap())
    });
    g.finish();
}

fn decode_policy_dump(c: &mut Criterion<Clock>) {
    let inp = Inputs::load();
    check::policy_dump(&inp);
    let buf = &inp.policy_dump[..];
    let mut g = c.benchmark_group("decode_policy_dump");
    g.bench_function("neli", |b| {
        b.iter(|| neli::decode_policy_dump(black_box(buf)).unwrap())
    });
    g.bench_function("rust-netlink (27 of 260 rejected)", |b| {
        b.iter(|| rnl::decode_policy_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl owned", |b| {
        b.iter(|| ours::decode_policy_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl-core manual owned", |b| {
        b.iter(|| manual::decode_policy_dump(black_box(buf)).unwrap())
    });
    g.bench_function("netlink-genl-core manual borrowed", |b| {
        b.iter(|| manual::fold_policy_dump(black_box(buf)).unwrap())
    });
    g.finish();
}

fn config() -> Criterion<Clock> {
    clock::criterion(Duration::from_millis(500), Duration::from_secs(2), 40)
}

criterion_group! {
    name = codec;
    config = config();
    targets = encode, decode_family_dump, decode_policy_dump
}
criterion_main!(codec);
