//! Allocation counts on the hot path, against the kernel: once a socket is warm (its buffers
//! have grown), a borrowed GETFAMILY dump allocates nothing, and an owned dump allocates only
//! what the decoded values own. A counting global allocator counts the calling thread only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use netlink_genl::ctrl::{Ctrl, CtrlRef, Family, FamilyRef};
use netlink_genl::{GenlSocket, GenlView};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers to the system allocator; the bookkeeping touches only const-initialised
// thread-locals, which do not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (r, COUNT.with(Cell::get))
}

#[test]
fn a_warm_borrowed_dump_allocates_nothing() {
    let mut sock = GenlSocket::new().unwrap();
    let req = CtrlRef::GetFamily(FamilyRef::default());
    let visit = |sock: &mut GenlSocket| {
        let (mut families, mut ops, mut groups) = (0usize, 0usize, 0usize);
        let summary = sock
            .dump_borrowed::<CtrlRef, _, _>(&req, |m| {
                let CtrlRef::NewFamily(f) = m else {
                    panic!("not NEWFAMILY")
                };
                families += 1;
                assert!(f.name.is_some_and(|n| !n.is_empty()));
                for op in f.ops.iter().flat_map(|v| v.iter()) {
                    ops += usize::from(op?.id.is_some());
                }
                for g in f.mcast_groups.iter().flat_map(|v| v.iter()) {
                    groups += usize::from(g?.name.is_some());
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(summary.messages, families);
        (families, ops, groups)
    };
    // Warm up: buffers grow, lazy statics initialise.
    let expected = visit(&mut sock);
    let (got, n) = allocations(|| visit(&mut sock));
    assert_eq!(got, expected);
    assert!(expected.0 >= 8 && expected.1 > expected.0);
    assert_eq!(
        n, 0,
        "a warm borrowed dump of {} families allocated",
        expected.0
    );

    // The undecoded view path too.
    let r = sock.prepare(&req).unwrap();
    let (count, n) = allocations(|| {
        let mut count = 0;
        sock.dump_view(&r, |v: GenlView<'_>| {
            count += v.attrs(0).count();
            Ok(())
        })
        .unwrap();
        count
    });
    assert!(count > 0);
    assert_eq!(n, 0, "dump_view allocated");

    // The same data as the owned types.
    let owned: Vec<Ctrl> = sock
        .dump(&Ctrl::GetFamily(Family::default()))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let owned_ops: usize = owned.iter().map(|m| m.family().ops.len()).sum();
    assert_eq!((owned.len(), owned_ops), (expected.0, expected.1));
}

#[test]
fn an_owned_dump_allocates_only_for_the_values() {
    let mut sock = GenlSocket::new().unwrap();
    let req = Ctrl::GetFamily(Family::default());
    let mut warm = 0;
    sock.dump_with(&req, |_: Ctrl| {
        warm += 1;
        Ok(())
    })
    .unwrap();
    // Each family owns its name, its group names, and the two Vecs, which grow from 4 by
    // doubling when filled by push. That exact count is the bound: nothing per message beyond
    // the values (a copied message or a boxed header would exceed it).
    fn vec_allocs(n: usize) -> usize {
        let (mut cap, mut allocs) = (0, 0);
        while cap < n {
            cap = if cap == 0 { 4 } else { cap * 2 };
            allocs += 1;
        }
        allocs
    }
    let ((bound, strings), n) = allocations(|| {
        let (mut bound, mut strings) = (0, 0);
        sock.dump_with(&req, |m: Ctrl| {
            let f = m.family();
            let groups = f.mcast_groups.len();
            strings += 1 + groups;
            bound += 1 + groups + vec_allocs(f.ops.len()) + vec_allocs(groups);
            Ok(())
        })
        .unwrap();
        (bound, strings)
    });
    assert!(warm > 0);
    assert!(
        (strings..=bound).contains(&n),
        "{n} allocations; the values own {strings} strings and at most {bound} allocations"
    );
}
