//! Scaling: encode and decode time against the number of attributes (1, 10, 100, 1000 u32
//! attributes) and the nesting depth (1..8 levels, each a u32 and the next nest), with
//! netlink-genl-core's `AttrWriter`/`AttrIter` by hand and with `#[derive(NlAttrs)]` types (the
//! same bytes). Throughput is per element, so linear cost shows as a constant time per element.
//! The derived decodes build owned values (`Vec<u32>`, `Box<Chain>` per level), so they include
//! those allocations.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use benches::scaling::{
    Chain, DEPTHS, Flat, SIZES, decode_flat, decode_flat_derived, decode_nested,
    decode_nested_derived, encode_derived, encode_flat, encode_nested, flat_len, nested_len,
    values,
};
#[path = "support/clock.rs"]
mod clock;

use clock::Clock;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const MANUAL: &str = "netlink-genl-core manual";
const DERIVED: &str = "derived";

fn size(c: &mut Criterion<Clock>) {
    let mut g = c.benchmark_group("scale_attrs_encode");
    for n in SIZES {
        let vals = values(n);
        let flat = Flat {
            values: vals.clone(),
        };
        let mut buf = vec![0u8; flat_len(n)];
        assert_eq!(encode_flat(&mut buf, &vals).unwrap(), flat_len(n));
        let mut buf2 = vec![0u8; flat_len(n)];
        assert_eq!(encode_derived(&mut buf2, &flat).unwrap(), flat_len(n));
        assert_eq!(buf, buf2, "derived Flat encodes the same bytes");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new(MANUAL, n), &vals, |b, vals| {
            b.iter(|| encode_flat(black_box(&mut buf), black_box(vals)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new(DERIVED, n), &flat, |b, flat| {
            b.iter(|| encode_derived(black_box(&mut buf2), black_box(flat)).unwrap())
        });
    }
    g.finish();
    let mut g = c.benchmark_group("scale_attrs_decode");
    for n in SIZES {
        let vals = values(n);
        let mut buf = vec![0u8; flat_len(n)];
        encode_flat(&mut buf, &vals).unwrap();
        let want = vals
            .iter()
            .fold(0u64, |a, &v| a.wrapping_mul(31).wrapping_add(v as u64));
        assert_eq!(decode_flat(&buf).unwrap(), want);
        assert_eq!(decode_flat_derived(&buf).unwrap(), want);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new(MANUAL, n), &buf, |b, buf| {
            b.iter(|| decode_flat(black_box(buf)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new(DERIVED, n), &buf, |b, buf| {
            b.iter(|| decode_flat_derived(black_box(buf)).unwrap())
        });
    }
    g.finish();
}

fn depth(c: &mut Criterion<Clock>) {
    let mut g = c.benchmark_group("scale_depth_encode");
    for d in DEPTHS {
        let chain = Chain {
            value: None,
            next: Chain::new(d),
        };
        let mut buf = vec![0u8; nested_len(d)];
        assert_eq!(encode_nested(&mut buf, d).unwrap(), nested_len(d));
        let mut buf2 = vec![0u8; nested_len(d)];
        assert_eq!(encode_derived(&mut buf2, &chain).unwrap(), nested_len(d));
        assert_eq!(buf, buf2, "derived Chain encodes the same bytes");
        g.throughput(Throughput::Elements(d as u64));
        g.bench_with_input(BenchmarkId::new(MANUAL, d), &d, |b, &d| {
            b.iter(|| encode_nested(black_box(&mut buf), black_box(d)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new(DERIVED, d), &chain, |b, chain| {
            b.iter(|| encode_derived(black_box(&mut buf2), black_box(chain)).unwrap())
        });
    }
    g.finish();
    let mut g = c.benchmark_group("scale_depth_decode");
    for d in DEPTHS {
        let mut buf = vec![0u8; nested_len(d)];
        encode_nested(&mut buf, d).unwrap();
        let want = ((0..d as u64).sum::<u64>(), d);
        assert_eq!(decode_nested(&buf).unwrap(), want);
        assert_eq!(decode_nested_derived(&buf).unwrap(), want);
        g.throughput(Throughput::Elements(d as u64));
        g.bench_with_input(BenchmarkId::new(MANUAL, d), &buf, |b, buf| {
            b.iter(|| decode_nested(black_box(buf)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new(DERIVED, d), &buf, |b, buf| {
            b.iter(|| decode_nested_derived(black_box(buf)).unwrap())
        });
    }
    g.finish();
}

fn config() -> Criterion<Clock> {
    clock::criterion(Duration::from_millis(200), Duration::from_millis(700), 20)
}

criterion_group! {
    name = scaling;
    config = config();
    targets = size, depth
}
criterion_main!(scaling);
