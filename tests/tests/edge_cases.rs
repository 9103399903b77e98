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
