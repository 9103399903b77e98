//! The edge cases of encoding and decoding at the limits: strings with an interior NUL, strings
//! at the 65,531-byte payload limit, allocation bounded by the input on array decode, the total
//! in a short-buffer error, and an exact `size_hint` for `ArrayView`.
//!
//! A counting global allocator (this thread only) measures allocations and peak heap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use netlink_genl::NlAttrs;
use netlink_genl_core::attr::AttrWriter;
use netlink_genl_core::{EncodeAttrs, EncodeErrorKind, attrs_to_vec, encode_attrs_into_slice};

// ---------------------------------------------------------------------------------------------
// Counting allocator

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grow(by: usize) {
    LIVE.with(|l| {
        let v = l.get() + by;
        l.set(v);
        PEAK.with(|p| p.set(p.get().max(v)));
    });
}
fn shrink(by: usize) {
    LIVE.with(|l| l.set(l.get().saturating_sub(by)));
}

// SAFETY: defers to the system allocator; the bookkeeping touches only const-initialised
// thread-locals, which do not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
            grow(layout.size());
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
            grow(layout.size());
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.with(Cell::get) {
            shrink(layout.size());
        }
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
            shrink(layout.size());
            grow(new_size);
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// What `f` allocated on this thread: the number of `alloc`/`realloc` calls and the peak of
/// live bytes allocated during the call.
#[allow(dead_code)]
fn measure<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
    COUNT.with(|c| c.set(0));
    LIVE.with(|c| c.set(0));
    PEAK.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (r, COUNT.with(Cell::get), PEAK.with(Cell::get))
}

// ---------------------------------------------------------------------------------------------
// 1. Interior NUL

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Owned {
    #[nla(id = 1)]
    name: String,
    #[nla(id = 2, array)]
    names: Vec<String>,
    #[nla(id = 3, multi)]
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Borrowed<'a> {
    #[nla(id = 1)]
    name: Option<&'a str>,
}

#[test]
fn an_owned_string_with_an_interior_nul_is_refused_with_its_path() {
    let v = Owned {
        name: "lo\0evil".into(),
        ..Owned::default()
    };
    let e = attrs_to_vec(&v).unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 2 });
    assert_eq!(e.path().to_string(), "Owned.name");
    assert_eq!(
        e.to_string(),
        "Owned.name: string has an interior NUL byte at offset 2; the kernel would truncate it there"
    );

    let v = Owned {
        name: "lo".into(),
        names: vec!["a".into(), "\0".into()],
        ..Owned::default()
    };
    let e = attrs_to_vec(&v).unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 0 });
    assert_eq!(e.path().to_string(), "Owned.names[1]");

    let v = Owned {
        name: "lo".into(),
        aliases: vec!["ok".into(), "ok".into(), "bad\0".into()],
        ..Owned::default()
    };
    let e = attrs_to_vec(&v).unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 3 });
    assert_eq!(e.path().to_string(), "Owned.aliases[2]");
}

#[test]
fn a_borrowed_string_with_an_interior_nul_is_refused_with_its_path() {
    let v = Borrowed {
        name: Some("lo\0evil"),
    };
    let mut buf = [0u8; 64];
    let e = encode_attrs_into_slice(&v, &mut buf).unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 2 });
    assert_eq!(e.path().to_string(), "Borrowed.name");

    // By hand, too.
    let mut w = AttrWriter::new(&mut buf);
    let e = w.put_value(1, "lo\0").unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 2 });
    let e = w.put_value(1, &String::from("\0")).unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 0 });
}

#[test]
fn strings_without_a_nul_encode_as_before() {
    let v = Owned {
        name: "lo".into(),
        names: vec!["eth0".into()],
        aliases: vec![String::new()],
    };
    let bytes = attrs_to_vec(&v).unwrap();
    assert_eq!(bytes.len(), v.attrs_len());
    #[rustfmt::skip]
    let expected = [
        7, 0, 1, 0, b'l', b'o', 0, 0,
        16, 0, 2, 0x80, 9, 0, 1, 0, b'e', b't', b'h', b'0', 0, 0, 0, 0,
        5, 0, 3, 0, 0, 0, 0, 0,
    ];
    assert_eq!(bytes, expected);
    let b = Borrowed { name: Some("lo") };
    assert_eq!(attrs_to_vec(&b).unwrap(), [7, 0, 1, 0, b'l', b'o', 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// 4. The short-buffer error gives the total needed

#[test]
fn a_short_slice_reports_the_length_of_the_whole_encoding() {
    let v = Owned {
        name: "lo".into(),
        names: vec!["eth0".into(), "eth1".into()],
        aliases: vec!["x".into(); 3],
    };
    let total = v.attrs_len();
    assert_eq!(total, attrs_to_vec(&v).unwrap().len());
    // Fails in the first field, inside the array, at the last byte: `needed` is the total
    // every time, and the path still names where the write stopped.
    for (len, path) in [
        (0, "Owned.name"),
        (10, "Owned.names"),
        (26, "Owned.names[1]"),
        (total - 1, "Owned.aliases[2]"),
    ] {
        let mut buf = vec![0u8; len];
        let e = encode_attrs_into_slice(&v, &mut buf).unwrap_err();
        assert_eq!(
            e.kind(),
            &EncodeErrorKind::BufferTooSmall {
                needed: total,
                had: len
            },
            "buffer of {len}"
        );
        assert_eq!(e.path().to_string(), path, "buffer of {len}");
        assert_eq!(
            e.to_string(),
            format!("{path}: buffer too small: needed {total} bytes, had {len}")
        );
    }
    let mut buf = vec![0u8; total];
    assert_eq!(encode_attrs_into_slice(&v, &mut buf).unwrap(), total);
}

#[test]
fn other_errors_in_a_short_slice_are_kept() {
    let v = Owned {
        name: "a\0".into(),
        ..Owned::default()
    };
    let mut buf = [0u8; 64];
    let e = encode_attrs_into_slice(&v, &mut buf).unwrap_err();
    assert_eq!(e.kind(), &EncodeErrorKind::InteriorNul { offset: 1 });
}

// ---------------------------------------------------------------------------------------------
// 5. ArrayView's iterator has an exact size_hint

/// An indexed-array payload of `n` u32 entries.
fn u32_array(n: usize) -> Vec<u8> {
    let mut p = Vec::with_capacity(n * 8);
    for i in 0..n {
        p.extend_from_slice(&8u16.to_ne_bytes());
        p.extend_from_slice(&(((i % 0x3fff) + 1) as u16).to_ne_bytes());
        p.extend_from_slice(&(i as u32).to_ne_bytes());
    }
    p
}

#[test]
fn array_view_size_hint_is_exact() {
    use netlink_genl_core::attr::{ArrayView, NlaDecode};
    let p = u32_array(5);
    let v = ArrayView::<u32>::decode_payload(&p).unwrap();
    let mut it = v.iter();
    assert_eq!(it.size_hint(), (5, Some(5)));
    it.next();
    assert_eq!(it.size_hint(), (4, Some(4)));
    assert_eq!(it.len(), 4);
    it.by_ref().take(4).for_each(drop);
    assert_eq!(it.size_hint(), (0, Some(0)));
    assert!(it.next().is_none());

    // A bad header is one more item (the error), then nothing.
    let mut bad = u32_array(2);
    bad.extend_from_slice(&[99, 0, 1, 0]);
    let v = ArrayView::<u32>::decode_payload(&bad).unwrap();
    let mut it = v.iter();
    assert_eq!(it.size_hint(), (3, Some(3)));
    assert!(it.next().unwrap().is_ok());
    assert!(it.next().unwrap().is_ok());
    assert_eq!(it.size_hint(), (1, Some(1)));
    assert!(it.next().unwrap().is_err());
    assert_eq!(it.size_hint(), (0, Some(0)));
    assert!(it.next().is_none());

    // A bad element is an item like any other.
    let mut short = u32_array(1);
    short.extend_from_slice(&[6, 0, 2, 0, 1, 2, 0, 0]);
    let v = ArrayView::<u32>::decode_payload(&short).unwrap();
    assert_eq!(v.iter().size_hint(), (2, Some(2)));
    assert_eq!(v.iter().count(), 2);

    let empty = ArrayView::<u32>::decode_payload(&[]).unwrap();
    assert_eq!(empty.iter().size_hint(), (0, Some(0)));
}

#[test]
fn collecting_an_array_view_allocates_once() {
    use netlink_genl_core::DecodeError;
    use netlink_genl_core::attr::{ArrayView, NlaDecode};
    let n = 8000;
    let p = u32_array(n);
    let v = ArrayView::<u32>::decode_payload(&p).unwrap();
    let (all, allocs, _) = measure(|| v.iter().collect::<Vec<Result<u32, DecodeError>>>());
    assert_eq!(all.len(), n);
    eprintln!("Vec<Result<u32, _>>: {allocs} allocations");
    assert_eq!(allocs, 1, "Vec<Result<u32, _>>");
    let (all, allocs, _) = measure(|| v.iter().collect::<Result<Vec<u32>, DecodeError>>());
    assert_eq!(all.unwrap().len(), n);
    eprintln!("Result<Vec<u32>, _>: {allocs} allocations");
    // `Result`'s collect cannot use the hint; `to_vec` sizes the Vec once.
    let (all, allocs, _) = measure(|| v.to_vec());
    assert_eq!(all.unwrap(), (0..n as u32).collect::<Vec<_>>());
    assert_eq!(allocs, 1, "to_vec");
    // An element that fails ends it, with its index.
    let mut short = u32_array(3);
    short[8] = 6;
    let e = ArrayView::<u32>::decode_payload(&short)
        .unwrap()
        .to_vec()
        .unwrap_err();
    assert_eq!(e.path().to_string(), "[1]");
}

// ---------------------------------------------------------------------------------------------
// 3. Array decode allocates in proportion to the input

/// An element 1 KiB in memory and on the wire (`fixed`): an empty entry is too short.
#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct BigArray {
    #[nla(id = 1, array, fixed)]
    big: Vec<[u8; 1024]>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Elem {
    #[nla(id = 1)]
    a: Option<u32>,
    #[nla(id = 2)]
    b: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, NlAttrs)]
struct Arrays {
    #[nla(id = 1, array)]
    ints: Vec<u32>,
    #[nla(id = 2, array)]
    sets: Vec<Elem>,
}

/// One attribute `id`, a nest of `n` empty entries.
fn nest_of_empty_entries(id: u16, n: usize) -> Vec<u8> {
    let len = 4 + 4 * n;
    let mut b = Vec::with_capacity(len);
    b.extend_from_slice(&(len as u16).to_ne_bytes());
    b.extend_from_slice(&(id | 0x8000).to_ne_bytes());
    for i in 0..n {
        b.extend_from_slice(&4u16.to_ne_bytes());
        b.extend_from_slice(&((i + 1) as u16).to_ne_bytes());
    }
    b
}

/// Guide §9: before its elements decode, an array reserves at most 4 bytes of memory per byte
/// of its payload.
const RESERVE_PER_INPUT_BYTE: usize = 4;

#[test]
fn an_array_of_entries_that_fail_reserves_in_proportion_to_the_input() {
    use netlink_genl_core::{DecodeAttrs, DecodeErrorKind};
    let input = nest_of_empty_entries(1, 16_382);
    assert_eq!(input.len(), 65_532);
    let (r, _, peak) = measure(|| BigArray::decode_attrs(&input));
    let e = r.unwrap_err();
    assert_eq!(e.kind(), &DecodeErrorKind::TooShort { min: 1024, got: 0 });
    assert_eq!(e.path().to_string(), "BigArray.big[0]");
    eprintln!("peak {peak} bytes for {} bytes of input", input.len());
    assert!(
        peak <= RESERVE_PER_INPUT_BYTE * input.len() + 4096,
        "peak {peak} bytes for {} bytes of input",
        input.len()
    );
}

#[test]
fn an_array_of_large_elements_that_decode_grows_as_they_do() {
    use netlink_genl_core::DecodeAttrs;
    // 60 entries of 1 KiB each: they all decode, and memory follows them.
    let mut payload = Vec::new();
    for i in 0..60u16 {
        payload.extend_from_slice(&1028u16.to_ne_bytes());
        payload.extend_from_slice(&(i + 1).to_ne_bytes());
        payload.extend_from_slice(&[i as u8; 1024]);
    }
    let mut input = Vec::new();
    input.extend_from_slice(&((payload.len() + 4) as u16).to_ne_bytes());
    input.extend_from_slice(&0x8001u16.to_ne_bytes());
    input.extend_from_slice(&payload);
    let (r, allocs, peak) = measure(|| BigArray::decode_attrs(&input));
    let v = r.unwrap();
    assert_eq!(v.big.len(), 60);
    assert!(v.big.iter().enumerate().all(|(i, e)| e[0] == i as u8));
    assert_eq!(allocs, 1, "1 KiB per 1,028 bytes of input: sized once");
    assert!(peak <= RESERVE_PER_INPUT_BYTE * input.len());
}

#[test]
fn ordinary_arrays_decode_with_one_reservation() {
    use netlink_genl_core::DecodeAttrs;
    let v = Arrays {
        ints: (0..8000).collect(),
        sets: Vec::new(),
    };
    let bytes = attrs_to_vec(&v).unwrap();
    let (r, allocs, _) = measure(|| Arrays::decode_attrs(&bytes));
    assert_eq!(r.unwrap(), v);
    assert_eq!(allocs, 1, "the u32s: one allocation");

    let v = Arrays {
        ints: Vec::new(),
        sets: (0..2000)
            .map(|i| Elem {
                a: Some(i),
                b: (i % 2 == 0).then_some(i),
            })
            .collect(),
    };
    let bytes = attrs_to_vec(&v).unwrap();
    let (r, allocs, _) = measure(|| Arrays::decode_attrs(&bytes));
    assert_eq!(r.unwrap(), v);
    assert_eq!(allocs, 1, "the sets: one allocation");

    // Empty entries of a small element kind are sized once too (an empty nest decodes).
    let input = nest_of_empty_entries(2, 16_382);
    let (r, allocs, peak) = measure(|| Arrays::decode_attrs(&input));
    assert_eq!(r.unwrap().sets.len(), 16_382);
    assert_eq!(allocs, 1);
    assert!(peak <= RESERVE_PER_INPUT_BYTE * input.len());
}

// ---------------------------------------------------------------------------------------------
// 2. Encode and decode agree at the size limit

/// A string attribute (id 1) whose header says `payload.len()`, padded.
fn string_attr(payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 4).unwrap();
    let mut b = Vec::new();
    b.extend_from_slice(&len.to_ne_bytes());
    b.extend_from_slice(&1u16.to_ne_bytes());
    b.extend_from_slice(payload);
    b.resize(b.len().next_multiple_of(4), 0);
    b
}

#[test]
fn a_string_of_65530_bytes_round_trips_with_its_nul() {
    use netlink_genl_core::DecodeAttrs;
    let s = "a".repeat(65_530);
    let mut payload = s.clone().into_bytes();
    payload.push(0);
    let wire = string_attr(&payload);
    assert_eq!(wire.get(..2), Some(&65_535u16.to_ne_bytes()[..]));
    let v = Owned::decode_attrs(&wire).unwrap();
    assert_eq!(v.name, s);
    assert_eq!(attrs_to_vec(&v).unwrap(), wire);
    assert_eq!(v.attrs_len(), wire.len());
}

#[test]
fn a_string_of_65531_bytes_round_trips_without_a_nul() {
    use netlink_genl_core::DecodeAttrs;
    // The kernel can send it: nla_len 65535, no room for a NUL.
    let s = "b".repeat(65_531);
    let wire = string_attr(s.as_bytes());
    let v = Owned::decode_attrs(&wire).unwrap();
    assert_eq!(v.name, s);
    let b = Borrowed::decode_attrs(&wire).unwrap();
    assert_eq!(b.name, Some(s.as_str()));
    // ... and it encodes back to the same bytes, owned or borrowed.
    assert_eq!(attrs_to_vec(&v).unwrap(), wire);
    assert_eq!(v.attrs_len(), wire.len());
    assert_eq!(attrs_to_vec(&b).unwrap(), wire);
    let mut buf = vec![0u8; wire.len()];
    assert_eq!(encode_attrs_into_slice(&b, &mut buf).unwrap(), wire.len());
    assert_eq!(buf, wire);
}

#[test]
fn a_string_of_65532_bytes_cannot_be_encoded_nor_arrive() {
    use netlink_genl_core::DecodeAttrs;
    let s = "c".repeat(65_532);
    let v = Owned {
        name: s.clone(),
        ..Owned::default()
    };
    let e = attrs_to_vec(&v).unwrap_err();
    assert_eq!(
        e.kind(),
        &EncodeErrorKind::PayloadTooLarge {
            len: 65_533,
            max: 65_531
        }
    );
    assert_eq!(e.path().to_string(), "Owned.name");
    let e = attrs_to_vec(&Borrowed { name: Some(&s) }).unwrap_err();
    assert!(matches!(e.kind(), EncodeErrorKind::PayloadTooLarge { .. }));
    // No attribute can carry it: nla_len is 16 bits, so the header says at most 65,531 bytes
    // of payload, and the 65,532nd byte falls in the padding.
    let mut wire = vec![0xff, 0xff, 1, 0];
    wire.extend_from_slice(s.as_bytes());
    assert_eq!(wire.len(), 65_536);
    let r = Owned::decode_attrs(&wire).unwrap();
    assert_eq!(r.name.len(), 65_531);
}
