//! Allocations per operation, for every implementation and operation of the benchmark suite.
//!
//! `cargo run --release -p benches --bin allocs` prints a markdown table: heap allocations
//! (`alloc` + `realloc` calls) and bytes requested per operation, measured with a counting
//! global allocator over many runs after one warm-up run (so reused buffers are already sized,
//! as they are in the timed loops).
#![allow(clippy::print_stdout)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::Cursor;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use benches::floor::RawSocket;
use benches::peers::{neli, rnl};
use benches::{FAMILY, FLAGS_DO_ACK, Inputs, check, live};
use benches::{manual, ours};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(l.size() as u64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(l.size() as u64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new as u64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(p, l, new) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Run `f` once to warm up, then `n` times; print allocations and bytes per run.
fn measure(op: &str, imp: &str, n: u64, mut f: impl FnMut()) {
    f();
    let (a0, b0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..n {
        f();
    }
    let (a1, b1) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    let per = |x: u64| x as f64 / n as f64;
    println!(
        "| {op} | {imp} | {} | {} |",
        fmt(per(a1 - a0)),
        fmt(per(b1 - b0))
    );
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn main() {
    let inp = Inputs::load();
    check::encode(&inp);
    check::family_dump(&inp);
    check::policy_dump(&inp);

    println!("| operation | implementation | allocations/op | bytes/op |");
    println!("|---|---|---:|---:|");

    let op = "encode GETFAMILY";
    let mut cur = Cursor::new(Vec::new());
    measure(op, "neli", 1000, || {
        neli::encode_getfamily(&mut cur, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
    });
    let mut v = Vec::new();
    measure(op, "rust-netlink", 1000, || {
        rnl::encode_getfamily(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1);
    });
    let mut v = Vec::new();
    measure(op, "netlink-genl owned (Ctrl, reused Vec)", 1000, || {
        ours::encode_getfamily_owned(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
    });
    let mut v = Vec::new();
    measure(
        op,
        "netlink-genl borrowed (CtrlRef, reused Vec)",
        1000,
        || {
            ours::encode_getfamily_borrowed(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
        },
    );
    let mut v = Vec::new();
    measure(op, "netlink-genl-core manual (reused Vec)", 1000, || {
        manual::encode_getfamily(&mut v, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap();
    });
    let mut a = [0u8; 64];
    measure(op, "netlink-genl-core manual (stack array)", 1000, || {
        black_box(manual::encode_getfamily_in(&mut a, black_box(FAMILY), FLAGS_DO_ACK, 1).unwrap());
    });

    let op = "decode family dump";
    let buf = &inp.family_dump;
    measure(op, "neli", 100, || {
        black_box(neli::decode_family_dump(black_box(buf)).unwrap());
    });
    measure(op, "rust-netlink", 100, || {
        black_box(rnl::decode_family_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl owned (Ctrl)", 100, || {
        black_box(ours::decode_family_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl borrowed (CtrlRef)", 100, || {
        black_box(ours::fold_family_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl-core manual owned", 100, || {
        black_box(manual::decode_family_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl-core manual borrowed", 100, || {
        black_box(manual::fold_family_dump(black_box(buf)).unwrap());
    });

    let op = "decode ethtool policy dump";
    let buf = &inp.policy_dump;
    measure(op, "neli", 20, || {
        black_box(neli::decode_policy_dump(black_box(buf)).unwrap());
    });
    measure(op, "rust-netlink (27 of 260 rejected)", 20, || {
        black_box(rnl::decode_policy_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl owned (Ctrl)", 20, || {
        black_box(ours::decode_policy_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl-core manual owned", 20, || {
        black_box(manual::decode_policy_dump(black_box(buf)).unwrap());
    });
    measure(op, "netlink-genl-core manual borrowed", 20, || {
        black_box(manual::fold_policy_dump(black_box(buf)).unwrap());
    });

    if let Err(e) = check::live() {
        println!("\n(live operations skipped: {e})");
        return;
    }
    let reqs = live::floor_requests();
    let mut raw = RawSocket::new().unwrap();
    let mut nl = neli::Live::new().unwrap();
    let mut rn = rnl::Live::new().unwrap();
    let mut og = ours::Live::new().unwrap();
    let mut ot = ours::AsyncLive::new().unwrap();

    let op = "live GETFAMILY dump";
    measure(op, "floor (raw syscalls, no parse)", 100, || {
        black_box(raw.round_trip(&reqs.dump).unwrap());
    });
    measure(op, "neli", 100, || {
        black_box(nl.dump_families().unwrap());
    });
    measure(op, "rust-netlink", 100, || {
        black_box(rn.dump_families().unwrap());
    });
    measure(op, "netlink-genl owned (dump iterator)", 100, || {
        black_box(og.dump_families().unwrap());
    });
    measure(op, "netlink-genl owned (dump_with)", 100, || {
        black_box(og.dump_families_with().unwrap());
    });
    measure(op, "netlink-genl borrowed (dump_borrowed)", 100, || {
        black_box(og.dump_families_borrowed().unwrap());
    });
    measure(op, "netlink-genl tokio owned (dump_with)", 100, || {
        black_box(ot.dump_families().unwrap());
    });
    measure(
        op,
        "netlink-genl tokio borrowed (dump_borrowed)",
        100,
        || {
            black_box(ot.dump_families_borrowed().unwrap());
        },
    );
    measure(
        op,
        "netlink-genl-core manual owned (raw socket)",
        100,
        || {
            black_box(live::dump_manual(&mut raw).unwrap());
        },
    );
    measure(
        op,
        "netlink-genl-core manual borrowed (raw socket)",
        100,
        || {
            black_box(live::dump_manual_borrowed(&mut raw).unwrap());
        },
    );

    let op = "live GETFAMILY do nlctrl, no ACK";
    measure(op, "floor (raw syscalls, no parse)", 100, || {
        black_box(raw.request_one(&reqs.get).unwrap());
    });
    measure(op, "neli", 100, || {
        black_box(nl.get_family_no_ack(FAMILY).unwrap());
    });
    measure(op, "rust-netlink", 100, || {
        black_box(rn.get_family_no_ack(FAMILY).unwrap());
    });
    measure(op, "netlink-genl owned (request)", 100, || {
        black_box(og.get_family(FAMILY).unwrap());
    });
    measure(op, "netlink-genl borrowed (request_view)", 100, || {
        black_box(og.get_family_borrowed(FAMILY).unwrap());
    });
    measure(
        op,
        "netlink-genl-core manual owned (raw socket)",
        100,
        || {
            black_box(live::do_manual(&mut raw).unwrap());
        },
    );
    measure(
        op,
        "netlink-genl-core manual borrowed (raw socket)",
        100,
        || {
            black_box(live::do_manual_borrowed(&mut raw).unwrap());
        },
    );

    let op = "live GETFAMILY do nlctrl, with ACK";
    measure(op, "floor (raw syscalls, no parse)", 100, || {
        black_box(raw.round_trip(&reqs.get_ack).unwrap());
    });
    measure(op, "neli", 100, || {
        black_box(nl.get_family(FAMILY).unwrap());
    });
    measure(op, "rust-netlink", 100, || {
        black_box(rn.get_family(FAMILY).unwrap());
    });
    measure(
        op,
        "netlink-genl owned (request_view + NLM_F_ACK)",
        100,
        || {
            black_box(og.get_family_ack(FAMILY).unwrap());
        },
    );
    measure(
        op,
        "netlink-genl borrowed (request_view + NLM_F_ACK)",
        100,
        || {
            black_box(og.get_family_ack_borrowed(FAMILY).unwrap());
        },
    );
    measure(
        op,
        "netlink-genl GenlSocket::ack (reply skipped)",
        100,
        || {
            og.ack_family(FAMILY).unwrap();
        },
    );
    measure(
        op,
        "netlink-genl-core manual owned (raw socket)",
        100,
        || {
            black_box(live::do_manual_ack(&mut raw).unwrap());
        },
    );
    measure(
        op,
        "netlink-genl-core manual borrowed (raw socket)",
        100,
        || {
            black_box(live::do_manual_ack_borrowed(&mut raw).unwrap());
        },
    );
}
