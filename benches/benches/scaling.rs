//! Scaling: encode and decode time against the number of attributes (1, 10, 100, 1000 u32
//! attributes) and the nesting depth (1..8 levels, each a u32 and the next nest), with
//! netlink-core's `AttrWriter` and `AttrIter`. Throughput is reported per attribute, so linear
//! cost shows as constant time per element.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use benches::scaling::{
    DEPTHS, SIZES, decode_flat, decode_nested, encode_flat, encode_nested, flat_len, nested_len,
    values,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn size(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale_attrs_encode");
    for n in SIZES {
        let vals = values(n);
        let mut buf = vec![0u8; flat_len(n)];
        assert_eq!(encode_flat(&mut buf, &vals).unwrap(), flat_len(n));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &vals, |b, vals| {
            b.iter(|| encode_flat(black_box(&mut buf), black_box(vals)).unwrap())
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
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &buf, |b, buf| {
            b.iter(|| decode_flat(black_box(buf)).unwrap())
        });
    }
    g.finish();
}

fn depth(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale_depth_encode");
    for d in DEPTHS {
        let mut buf = vec![0u8; nested_len(d)];
        assert_eq!(encode_nested(&mut buf, d).unwrap(), nested_len(d));
        g.throughput(Throughput::Elements(d as u64));
        g.bench_with_input(BenchmarkId::from_parameter(d), &d, |b, &d| {
            b.iter(|| encode_nested(black_box(&mut buf), black_box(d)).unwrap())
        });
    }
    g.finish();
    let mut g = c.benchmark_group("scale_depth_decode");
    for d in DEPTHS {
        let mut buf = vec![0u8; nested_len(d)];
        encode_nested(&mut buf, d).unwrap();
        assert_eq!(
            decode_nested(&buf).unwrap(),
            ((0..d as u64).sum::<u64>(), d)
        );
        g.throughput(Throughput::Elements(d as u64));
        g.bench_with_input(BenchmarkId::from_parameter(d), &buf, |b, buf| {
            b.iter(|| decode_nested(black_box(buf)).unwrap())
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
        .configure_from_args()
}

criterion_group! {
    name = scaling;
    config = config();
    targets = size, depth
}
criterion_main!(scaling);
