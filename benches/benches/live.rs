//! Live round trips against this machine's kernel (nlctrl only; no state changes), every
//! implementation in the same run, each with its own socket opened once:
//! - `live_dump_getfamily`: send GETFAMILY with NLM_F_DUMP, read every datagram to DONE, decode;
//! - `live_do_getfamily`: send GETFAMILY {FAMILY_NAME="nlctrl"} with NLM_F_ACK, read the reply
//!   and the ACK, decode.
//!
//! The `floor` row sends the same request bytes with raw syscalls and reads the reply without
//! parsing (only the message headers are walked to find DONE / the ACK).
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use benches::floor::RawSocket;
use benches::peers::{neli, rnl};
use benches::{FAMILY, check, live, ours};
#[path = "support/clock.rs"]
mod clock;

use clock::Clock;
use criterion::{Criterion, criterion_group, criterion_main};

fn live_dump(c: &mut Criterion<Clock>) {
    if let Err(e) = check::live() {
        eprintln!("live benches skipped: {e}");
        return;
    }
    let (dump_req, _) = live::floor_requests();
    let mut g = c.benchmark_group("live_dump_getfamily");
    g.bench_function("floor", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip(black_box(&dump_req)).unwrap())
    });
    g.bench_function("floor + MSG_PEEK per datagram", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip_peek(black_box(&dump_req)).unwrap())
    });
    g.bench_function("neli", |b| {
        let mut s = neli::Live::new().unwrap();
        b.iter(|| s.dump_families().unwrap())
    });
    g.bench_function("rust-netlink", |b| {
        let mut s = rnl::Live::new().unwrap();
        b.iter(|| s.dump_families().unwrap())
    });
    g.bench_function("netlink-genl owned", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.dump_families().unwrap())
    });
    g.bench_function("netlink-genl borrowed", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.dump_families_borrowed().unwrap())
    });
    g.bench_function("netlink-genl owned, peek sizing off", |b| {
        let mut s = ours::Live::without_peek().unwrap();
        b.iter(|| s.dump_families().unwrap())
    });
    g.bench_function("netlink-genl borrowed, peek sizing off", |b| {
        let mut s = ours::Live::without_peek().unwrap();
        b.iter(|| s.dump_families_borrowed().unwrap())
    });
    g.bench_function("netlink-core manual owned", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::dump_manual(&mut s).unwrap())
    });
    g.bench_function("netlink-core manual borrowed", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::dump_manual_borrowed(&mut s).unwrap())
    });
    g.finish();
}

fn live_do(c: &mut Criterion<Clock>) {
    if check::live().is_err() {
        return;
    }
    let (_, do_req) = live::floor_requests();
    let mut g = c.benchmark_group("live_do_getfamily");
    g.bench_function("floor", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip(black_box(&do_req)).unwrap())
    });
    g.bench_function("floor + MSG_PEEK per datagram", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip_peek(black_box(&do_req)).unwrap())
    });
    g.bench_function("neli", |b| {
        let mut s = neli::Live::new().unwrap();
        b.iter(|| s.get_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("rust-netlink", |b| {
        let mut s = rnl::Live::new().unwrap();
        b.iter(|| s.get_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl owned", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.get_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl borrowed", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.get_family_borrowed(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl owned, peek sizing off", |b| {
        let mut s = ours::Live::without_peek().unwrap();
        b.iter(|| s.get_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl borrowed, peek sizing off", |b| {
        let mut s = ours::Live::without_peek().unwrap();
        b.iter(|| s.get_family_borrowed(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-core manual owned", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::do_manual(&mut s).unwrap())
    });
    g.bench_function("netlink-core manual borrowed", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::do_manual_borrowed(&mut s).unwrap())
    });
    g.finish();
}

fn config() -> Criterion<Clock> {
    clock::criterion(Duration::from_millis(500), Duration::from_secs(3), 40)
}

criterion_group! {
    name = live_benches;
    config = config();
    targets = live_dump, live_do
}
criterion_main!(live_benches);
