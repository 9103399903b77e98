//! Live round trips against this machine's kernel (nlctrl only; no state changes), every
//! implementation in the same run, each with its own socket opened once:
//! - `live_dump_getfamily`: send GETFAMILY with NLM_F_DUMP, read every datagram to DONE, decode
//!   (blocking, and netlink-genl on tokio: `AsyncGenlSocket` on a current_thread runtime built
//!   once, outside the timed loop);
//! - `live_do_getfamily`: send GETFAMILY {FAMILY_NAME="nlctrl"} without NLM_F_ACK (nlctrl's
//!   `GetFamily` declares its reply, so `GenlSocket::request` sends it that way), read the one
//!   reply datagram, decode;
//! - `live_do_getfamily_ack`: the same request with NLM_F_ACK: read the reply and the ACK (two
//!   datagrams), decode (`GenlSocket::ack` reads and skips the reply).
//!
//! The `floor` row of each group sends the same request bytes with raw syscalls and reads the
//! reply without parsing it (for the dump and the ACK, only the message headers are walked to
//! find DONE / the ACK; without the ACK, the one datagram is read and that is all). The
//! "sendto + recvfrom with addresses" floor makes the system calls `NlSocket` makes (the
//! kernel's address as destination, the sender's address read back, `MSG_TRUNC`).
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
    let req = live::floor_requests().dump;
    let mut g = c.benchmark_group("live_dump_getfamily");
    g.bench_function("floor", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip(black_box(&req)).unwrap())
    });
    g.bench_function("floor + MSG_PEEK per datagram", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip_peek(black_box(&req)).unwrap())
    });
    g.bench_function("floor, sendto + recvfrom with addresses", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip_addr(black_box(&req)).unwrap())
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
    g.bench_function("netlink-genl owned, dump_with", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.dump_families_with().unwrap())
    });
    g.bench_function("netlink-genl borrowed", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.dump_families_borrowed().unwrap())
    });
    g.bench_function("netlink-genl tokio owned, dump_with", |b| {
        let mut s = ours::AsyncLive::new().unwrap();
        b.iter(|| s.dump_families().unwrap())
    });
    g.bench_function("netlink-genl tokio borrowed", |b| {
        let mut s = ours::AsyncLive::new().unwrap();
        b.iter(|| s.dump_families_borrowed().unwrap())
    });
    g.bench_function("netlink-genl owned, peek sizing on", |b| {
        let mut s = ours::Live::with_peek().unwrap();
        b.iter(|| s.dump_families().unwrap())
    });
    g.bench_function("netlink-genl borrowed, peek sizing on", |b| {
        let mut s = ours::Live::with_peek().unwrap();
        b.iter(|| s.dump_families_borrowed().unwrap())
    });
    g.bench_function("netlink-genl-core manual owned", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::dump_manual(&mut s).unwrap())
    });
    g.bench_function("netlink-genl-core manual borrowed", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::dump_manual_borrowed(&mut s).unwrap())
    });
    g.finish();
}

fn live_do(c: &mut Criterion<Clock>) {
    if check::live().is_err() {
        return;
    }
    let req = live::floor_requests().get;
    let mut g = c.benchmark_group("live_do_getfamily");
    g.bench_function("floor", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.request_one(black_box(&req)).unwrap())
    });
    g.bench_function("floor + MSG_PEEK", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.request_one_peek(black_box(&req)).unwrap())
    });
    g.bench_function("floor, sendto + recvfrom with addresses", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.request_one_addr(black_box(&req)).unwrap())
    });
    g.bench_function("neli", |b| {
        let mut s = neli::Live::new().unwrap();
        b.iter(|| s.get_family_no_ack(black_box(FAMILY)).unwrap())
    });
    g.bench_function("rust-netlink", |b| {
        let mut s = rnl::Live::new().unwrap();
        b.iter(|| s.get_family_no_ack(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl owned", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.get_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl borrowed", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.get_family_borrowed(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl owned, peek sizing on", |b| {
        let mut s = ours::Live::with_peek().unwrap();
        b.iter(|| s.get_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl borrowed, peek sizing on", |b| {
        let mut s = ours::Live::with_peek().unwrap();
        b.iter(|| s.get_family_borrowed(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl-core manual owned", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::do_manual(&mut s).unwrap())
    });
    g.bench_function("netlink-genl-core manual borrowed", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::do_manual_borrowed(&mut s).unwrap())
    });
    g.finish();
}

fn live_do_ack(c: &mut Criterion<Clock>) {
    if check::live().is_err() {
        return;
    }
    let req = live::floor_requests().get_ack;
    let mut g = c.benchmark_group("live_do_getfamily_ack");
    g.bench_function("floor", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| s.round_trip(black_box(&req)).unwrap())
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
        b.iter(|| s.get_family_ack(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl borrowed", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.get_family_ack_borrowed(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl GenlSocket::ack (reply skipped)", |b| {
        let mut s = ours::Live::new().unwrap();
        b.iter(|| s.ack_family(black_box(FAMILY)).unwrap())
    });
    g.bench_function("netlink-genl-core manual owned", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::do_manual_ack(&mut s).unwrap())
    });
    g.bench_function("netlink-genl-core manual borrowed", |b| {
        let mut s = RawSocket::new().unwrap();
        b.iter(|| live::do_manual_ack_borrowed(&mut s).unwrap())
    });
    g.finish();
}

fn config() -> Criterion<Clock> {
    clock::criterion(Duration::from_millis(500), Duration::from_secs(3), 40)
}

criterion_group! {
    name = live_benches;
    config = config();
    targets = live_dump, live_do, live_do_ack
}
criterion_main!(live_benches);
