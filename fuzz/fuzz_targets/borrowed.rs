//! Borrowed (zero-copy) decode against owned decode. Each borrowed type (`&'a str`,
//! `&'a [u8]`, `ArrayView`, `RawAttrs`, `Vec<Attr<'a>>`, borrowed nests and recursion) has an
//! owned twin with the same ids; the borrowed value, with its lazy arrays decoded, must exist
//! exactly when the twin decodes, and equal it. Lazy arrays defer their elements' errors to
//! iteration, so "the borrowed decode succeeds" means: the set decodes and every element of
//! every `ArrayView` in it decodes. Borrowed strings and bytes must point into the input.
//!
//! `ArrayView` on its own: iteration yields exactly `len()` items, `size_hint` is exact at
//! every step (asked first or midway), `is_empty()` is `len() == 0`, and `to_vec()` is what
//! iterating collects.
//!
//! Input: every netlink message in it, decoded as nlctrl's `CtrlRef` (through `GenlBorrowed`)
//! and its owned twin; and `[cmd][attributes...]`, the attributes decoded as those with `cmd`,
//! as the sets below, and as `ArrayView`s of several element types.
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use netlink_genl::ctrl::{CtrlRef, FamilyRef, McastGroup, McastGroupRef, Op};
use netlink_genl::netlink_genl_core::attr::{
    ArrayView, Attr, AttrIter, NlaDecode, OwnedAttr, RawAttrs,
};
use netlink_genl::netlink_genl_core::message::MessageIter;
use netlink_genl::socket::{GenlBorrowed, GenlView};
use netlink_genl::{DecodeAttrs, DecodeError, GenlDecode, GenlMessage, NlAttrs};

// ---------------------------------------------------------------------------------------------
// A borrowed set with every borrowed kind, and its owned twin.

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct InnerRef<'a> {
    #[nla(id = 1)]
    key: &'a str,
    #[nla(id = 2)]
    blob: Option<&'a [u8]>,
    #[nla(id = 3)]
    n: Option<u32>,
    #[nla(id = 4, array)]
    kids: Option<ArrayView<'a, InnerRef<'a>>>,
    #[nla(id = 5, nested)]
    child: Option<Box<InnerRef<'a>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, NlAttrs)]
struct InnerOwned {
    #[nla(id = 1)]
    key: String,
    #[nla(id = 2)]
    blob: Option<Vec<u8>>,
    #[nla(id = 3)]
    n: Option<u32>,
    #[nla(id = 4, array)]
    kids: Option<Vec<InnerOwned>>,
    #[nla(id = 5, nested)]
    child: Option<Box<InnerOwned>>,
}

#[derive(Debug, Clone, PartialEq, NlAttrs)]
struct Borrowed<'a> {
    #[nla(id = 1)]
    name: Option<&'a str>,
    #[nla(id = 2)]
    data: Option<&'a [u8]>,
    #[nla(id = 3, array)]
    nums: Option<ArrayView<'a, u32>>,
    #[nla(id = 4, array)]
    inners: Option<ArrayView<'a, InnerRef<'a>>>,
    #[nla(id = 5, nested)]
    inner: Option<InnerRef<'a>>,
    #[nla(id = 6)]
    raw: Option<RawAttrs<'a>>,
    #[nla(id = 7, multi)]
    tags: Vec<&'a str>,
    #[nla(id = 8, keyed)]
    keyed: Vec<(u16, &'a str)>,
    #[nla(id = 9, array)]
    blobs: Vec<&'a [u8]>,
    #[nla(id = 10)]
    count: Option<u64>,
    #[nla(id = 11, multi, nested)]
    many: Vec<InnerRef<'a>>,
    #[nla(unknown)]
    rest: Vec<Attr<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq, NlAttrs)]
struct Owned {
    #[nla(id = 1)]
    name: Option<String>,
    #[nla(id = 2)]
    data: Option<Vec<u8>>,
    #[nla(id = 3, array)]
    nums: Option<Vec<u32>>,
    #[nla(id = 4, array)]
    inners: Option<Vec<InnerOwned>>,
    #[nla(id = 5, nested)]
    inner: Option<InnerOwned>,
    #[nla(id = 6)]
    raw: Option<Vec<u8>>,
    #[nla(id = 7, multi)]
    tags: Vec<String>,
    #[nla(id = 8, keyed)]
    keyed: Vec<(u16, String)>,
    #[nla(id = 9, array)]
    blobs: Vec<Vec<u8>>,
    #[nla(id = 10)]
    count: Option<u64>,
    #[nla(id = 11, multi, nested)]
    many: Vec<InnerOwned>,
    #[nla(unknown)]
    rest: Vec<OwnedAttr>,
}

/// nlctrl's borrowed family, owned (`ctrl::Family` declares more attributes, which may fail
/// where `FamilyRef` skips them).
#[derive(Debug, Clone, PartialEq, Eq, NlAttrs)]
struct FamilyTwin {
    #[nla(id = 1)]
    id: Option<u16>,
    #[nla(id = 2)]
    name: Option<String>,
    #[nla(id = 3)]
    version: Option<u32>,
    #[nla(id = 4)]
    hdrsize: Option<u32>,
    #[nla(id = 5)]
    maxattr: Option<u32>,
    #[nla(id = 6, array)]
    ops: Option<Vec<Op>>,
    #[nla(id = 7, array)]
    mcast_groups: Option<Vec<McastGroup>>,
}

/// `CtrlRef`, owned.
#[derive(Debug, Clone, PartialEq, Eq, GenlMessage)]
#[genl(family = "nlctrl", version = 2)]
enum CtrlTwin {
    #[genl(cmd = 1)]
    NewFamily(FamilyTwin),
    #[genl(cmd = 3, request, reply = NewFamily)]
    GetFamily(FamilyTwin),
}

// ---------------------------------------------------------------------------------------------
// Borrowed -> owned, decoding the lazy arrays; and the borrows point into the input.

/// Checks that borrowed strings and bytes lie inside the input.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn holds(&self, b: &[u8]) {
        let r = self.0.as_ptr_range();
        let p = b.as_ptr_range();
        // An empty slice may be a dangling one of its own (e.g. `&[]`); it borrows nothing.
        assert!(
            b.is_empty() || (p.start >= r.start && p.end <= r.end),
            "a borrowed value does not point into the input"
        );
    }
    fn str(&self, s: &str) -> String {
        self.holds(s.as_bytes());
        s.to_owned()
    }
    fn bytes(&self, b: &[u8]) -> Vec<u8> {
        self.holds(b);
        b.to_vec()
    }
}

fn view<'a, T: NlaDecode<'a>, U>(
    v: &ArrayView<'a, T>,
    mut f: impl FnMut(T) -> Result<U, DecodeError>,
) -> Result<Vec<U>, DecodeError> {
    check_view(v);
    v.iter().map(|e| e.and_then(&mut f)).collect()
}

fn inner(i: &Input<'_>, r: InnerRef<'_>) -> Result<InnerOwned, DecodeError> {
    Ok(InnerOwned {
        key: i.str(r.key),
        blob: r.blob.map(|b| i.bytes(b)),
        n: r.n,
        kids: r.kids.map(|v| view(&v, |k| inner(i, k))).transpose()?,
        child: r.child.map(|c| inner(i, *c).map(Box::new)).transpose()?,
    })
}

fn owned(i: &Input<'_>, b: Borrowed<'_>) -> Result<Owned, DecodeError> {
    Ok(Owned {
        name: b.name.map(|s| i.str(s)),
        data: b.data.map(|d| i.bytes(d)),
        nums: b.nums.map(|v| view(&v, Ok)).transpose()?,
        inners: b.inners.map(|v| view(&v, |k| inner(i, k))).transpose()?,
        inner: b.inner.map(|r| inner(i, r)).transpose()?,
        raw: b.raw.map(|r| i.bytes(r.bytes())),
        tags: b.tags.iter().map(|s| i.str(s)).collect(),
        keyed: b.keyed.iter().map(|(k, s)| (*k, i.str(s))).collect(),
        blobs: b.blobs.iter().map(|d| i.bytes(d)).collect(),
        count: b.count,
        many: b
            .many
            .into_iter()
            .map(|r| inner(i, r))
            .collect::<Result<_, _>>()?,
        rest: b
            .rest
            .iter()
            .map(|a| {
                i.holds(a.payload());
                OwnedAttr::from(*a)
            })
            .collect(),
    })
}

fn family(i: &Input<'_>, f: FamilyRef<'_>) -> Result<FamilyTwin, DecodeError> {
    let group = |g: McastGroupRef<'_>| {
        Ok(McastGroup {
            name: g.name.map(|s| i.str(s)),
            id: g.id,
        })
    };
    Ok(FamilyTwin {
        id: f.id,
        name: f.name.map(|s| i.str(s)),
        version: f.version,
        hdrsize: f.hdrsize,
        maxattr: f.maxattr,
        ops: f.ops.map(|v| view(&v, Ok)).transpose()?,
        mcast_groups: f.mcast_groups.map(|v| view(&v, group)).transpose()?,
    })
}

fn ctrl(i: &Input<'_>, c: CtrlRef<'_>) -> Result<CtrlTwin, DecodeError> {
    Ok(match c {
        CtrlRef::NewFamily(f) => CtrlTwin::NewFamily(family(i, f)?),
        CtrlRef::GetFamily(f) => CtrlTwin::GetFamily(family(i, f)?),
    })
}

/// Both decode (the borrowed one with its arrays) and agree, or neither does. The one
/// exception is documented behaviour, not a bug: when an attribute appears twice the last one
/// wins, so an earlier `ArrayView` is dropped without being iterated, and its elements' errors
/// never surface, while the owned twin decodes (and fails on) every occurrence. So where
/// `lazy_repeated` finds a repeated lazy-array attribute, the borrowed side may succeed alone.
fn agree<T: PartialEq + Debug>(
    borrowed: Result<T, DecodeError>,
    owned: Result<T, DecodeError>,
    lazy_repeated: bool,
    what: &str,
) {
    match (borrowed, owned) {
        (Ok(b), Ok(o)) => assert_eq!(b, o, "{what}: borrowed and owned decode differ"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(_)) if lazy_repeated => {}
        (Ok(b), Err(e)) => panic!("{what}: borrowed decode gives {b:?}, owned fails: {e}"),
        (Err(e), Ok(o)) => panic!("{what}: owned decode gives {o:?}, borrowed fails: {e}"),
    }
}

/// Whether the set in `p` repeats one of the ids in `dropped` (a lazy array, or a nest that
/// holds one: a repeat drops an earlier value whose arrays were never iterated), or a nest it
/// reaches through `descend` (id, and whether the id holds an array of sets rather than one
/// set; an `InnerRef` either way) does. Over-approximates (every repeat counts, even one whose
/// elements decode), which only widens the tolerated case.
fn repeats(p: &[u8], dropped: &[u16], descend: &[(u16, bool)], depth: u32) -> bool {
    if depth > 40 {
        return false;
    }
    let mut seen = Vec::new();
    for a in AttrIter::new(p) {
        let Ok(a) = a else { return false };
        if dropped.contains(&a.id()) {
            if seen.contains(&a.id()) {
                return true;
            }
            seen.push(a.id());
        }
        let found = match descend.iter().find(|(id, _)| *id == a.id()) {
            Some((_, true)) => AttrIter::new(a.payload())
                .map_while(Result::ok)
                .any(|e| repeats_inner(e.payload(), depth + 1)),
            Some((_, false)) => repeats_inner(a.payload(), depth + 1),
            None => false,
        };
        if found {
            return true;
        }
    }
    false
}

/// [`repeats`] for an `InnerRef`: lazy `kids` (4, an array of `InnerRef`), nested `child` (5).
fn repeats_inner(p: &[u8], depth: u32) -> bool {
    repeats(p, &[4, 5], &[(4, true), (5, false)], depth)
}

/// [`repeats`] for `Borrowed`: lazy `nums` (3) and `inners` (4, an array of `InnerRef`);
/// `inner` (5) and `many` (11, one set per attribute, all kept) nest `InnerRef`s.
fn repeats_borrowed(p: &[u8]) -> bool {
    repeats(p, &[3, 4, 5], &[(4, true), (5, false), (11, false)], 0)
}

/// [`repeats`] for `FamilyRef`: lazy `ops` (6) and `mcast_groups` (7), sets without lazy
/// fields.
fn repeats_family(p: &[u8]) -> bool {
    repeats(p, &[6, 7], &[], 0)
}

// ---------------------------------------------------------------------------------------------
// ArrayView on its own.

fn check_view<'a, T: NlaDecode<'a>>(v: &ArrayView<'a, T>) {
    let n = v.len();
    assert_eq!(v.is_empty(), n == 0, "is_empty() disagrees with len() {n}");
    let mut it = v.iter();
    assert_eq!(it.size_hint(), (n, Some(n)));
    let mut seen = 0;
    while it.next().is_some() {
        seen += 1;
        let left = n.checked_sub(seen).expect("more items than len()");
        assert_eq!(it.size_hint(), (left, Some(left)), "after {seen} of {n}");
    }
    assert_eq!(seen, n, "iteration ended before len()");
    assert!(it.next().is_none(), "items after the end");
    // size_hint asked first midway (the count is taken lazily).
    for skip in [1, n / 2, n.saturating_sub(1)] {
        let mut it = v.iter();
        for _ in 0..skip.min(n) {
            it.next();
        }
        let left = n - skip.min(n);
        assert_eq!(it.len(), left, "{skip} skipped of {n}");
        assert_eq!(it.count(), left);
    }
}

fn lone_view<'a, T: NlaDecode<'a> + PartialEq + Debug>(bytes: &'a [u8]) {
    let v = ArrayView::<T>::new(bytes);
    check_view(&v);
    let items: Result<Vec<T>, DecodeError> = v.iter().collect();
    match (v.to_vec(), items) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "to_vec() != iter().collect()"),
        (Err(a), Err(b)) => assert_eq!(a, b, "to_vec() and iter() fail differently"),
        (a, b) => panic!("to_vec() {a:?} but iter() {b:?}"),
    }
}

// ---------------------------------------------------------------------------------------------

/// Decode as `K::At<'a>`, the way `dump_borrowed` names a borrowed message type.
fn decode_borrowed<'a, K: GenlBorrowed + ?Sized>(
    v: &GenlView<'a>,
) -> Result<K::At<'a>, DecodeError> {
    v.decode::<K::At<'a>>()
}

fuzz_target!(|data: &[u8]| {
    let input = Input(data);
    for m in MessageIter::new(data) {
        let Ok(m) = m else { break };
        let Ok(v) = GenlView::parse(m, 0) else {
            continue;
        };
        let b = decode_borrowed::<CtrlRef<'static>>(&v).and_then(|c| ctrl(&input, c));
        let rep = repeats_family(v.body());
        agree(b, v.decode::<CtrlTwin>(), rep, "CtrlRef message");
    }
    let [cmd, attrs @ ..] = data else { return };
    let rep = repeats_family(attrs);
    let b = CtrlRef::decode_genl(*cmd, attrs).and_then(|c| ctrl(&input, c));
    agree(b, CtrlTwin::decode_genl(*cmd, attrs), rep, "CtrlRef");
    let b = FamilyRef::decode_attrs(attrs).and_then(|f| family(&input, f));
    agree(b, FamilyTwin::decode_attrs(attrs), rep, "FamilyRef");
    let b = Borrowed::decode_attrs(attrs).and_then(|b| owned(&input, b));
    agree(
        b,
        Owned::decode_attrs(attrs),
        repeats_borrowed(attrs),
        "Borrowed",
    );
    let b = InnerRef::decode_attrs(attrs).and_then(|r| inner(&input, r));
    agree(
        b,
        InnerOwned::decode_attrs(attrs),
        repeats_inner(attrs, 0),
        "InnerRef",
    );

    lone_view::<u32>(attrs);
    lone_view::<&str>(attrs);
    lone_view::<RawAttrs<'_>>(attrs);
    lone_view::<Op>(attrs);
    lone_view::<McastGroupRef<'_>>(attrs);
});
