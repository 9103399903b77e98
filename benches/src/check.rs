//! The equality checks run once, outside the timed loops: every implementation must produce the
//! captured request bytes and decode the same values.

use std::io::Cursor;

use crate::manual::{self, BoxError};
use crate::ours;
use crate::peers::{neli, rnl};
use crate::plain::{Family, PolicyMsg, fingerprint};
use crate::{FAMILY, FLAGS_DO_ACK, Inputs, assert_same_request, assert_same_request_any_version};

/// Every encoder writes the captured GETFAMILY request (seq/pid aside; they write seq 1 too).
pub fn encode(inp: &Inputs) {
    let want = &inp.getfamily_do_req;
    let mut v = Vec::new();
    manual::encode_getfamily(&mut v, FAMILY, FLAGS_DO_ACK, 1).expect("manual encode");
    assert_eq!(&v, want, "netlink-genl-core manual: not byte-identical");
    let mut a = [0u8; 64];
    let n = manual::encode_getfamily_in(&mut a, FAMILY, FLAGS_DO_ACK, 1).expect("manual encode");
    assert_eq!(
        &a[..n],
        &want[..],
        "netlink-genl-core manual (slice): not byte-identical"
    );
    let mut c = Cursor::new(Vec::new());
    neli::encode_getfamily(&mut c, FAMILY, FLAGS_DO_ACK, 1).expect("neli encode");
    assert_same_request("neli", c.get_ref(), want);
    let mut r = Vec::new();
    rnl::encode_getfamily(&mut r, FAMILY, FLAGS_DO_ACK, 1);
    assert_same_request("rust-netlink", &r, want);
    let mut o = Vec::new();
    ours::encode_getfamily_owned(&mut o, FAMILY, FLAGS_DO_ACK, 1).expect("ours encode");
    assert_same_request_any_version("netlink-genl Ctrl", &o, want);
    let mut o = Vec::new();
    ours::encode_getfamily_borrowed(&mut o, FAMILY, FLAGS_DO_ACK, 1).expect("ours encode");
    assert_same_request_any_version("netlink-genl CtrlRef", &o, want);
}

/// Every decoder reads the same families from the captured dump; returns them.
pub fn family_dump(inp: &Inputs) -> Vec<Family> {
    let buf = &inp.family_dump;
    let reference = manual::decode_family_dump(buf).expect("manual decode");
    assert_eq!(reference.len(), 15, "15 families in the capture");
    assert_eq!(reference[0].name, "nlctrl");
    assert_eq!(
        reference.iter().map(|f| f.ops.len()).sum::<usize>(),
        119,
        "119 ops in the capture"
    );
    assert_eq!(
        reference.iter().map(|f| f.groups.len()).sum::<usize>(),
        11,
        "11 groups in the capture"
    );
    let n = neli::decode_family_dump(buf).expect("neli decode");
    assert_eq!(n, reference, "neli decoded different values");
    let r: Vec<Family> = rnl::decode_family_dump(buf)
        .expect("rust-netlink decode")
        .iter()
        .map(rnl::family_of)
        .collect();
    assert_eq!(r, reference, "rust-netlink decoded different values");
    let o: Vec<Family> = ours::decode_family_dump(buf)
        .expect("netlink-genl decode")
        .iter()
        .map(ours::family_of)
        .collect();
    assert_eq!(o, reference, "netlink-genl Ctrl decoded different values");
    let mut borrowed = Vec::new();
    ours::for_each_view(buf, true, |v| {
        borrowed.push(ours::family_of_ref(
            &v.decode::<netlink_genl::ctrl::CtrlRef<'_>>()?,
        )?);
        Ok(())
    })
    .expect("netlink-genl borrowed decode");
    assert_eq!(
        borrowed, reference,
        "netlink-genl CtrlRef decoded different values"
    );
    assert_eq!(
        ours::fold_family_dump(buf).expect("netlink-genl borrowed decode"),
        fingerprint(&reference),
        "netlink-genl CtrlRef saw different values"
    );
    let mut borrowed = Vec::new();
    manual::for_each_data(buf, |attrs| {
        borrowed.push(manual::family_ref_to_plain(&manual::decode_family_ref(
            attrs,
        )?)?);
        Ok(())
    })
    .expect("manual borrowed decode");
    assert_eq!(
        borrowed, reference,
        "manual borrowed decoded different values"
    );
    assert_eq!(
        manual::fold_family_dump(buf).expect("fold"),
        fingerprint(&reference),
        "manual borrowed fold saw different values"
    );
    assert_eq!(
        manual::tight_fold_family_dump(buf),
        Some(fingerprint(&reference)),
        "the tight walk saw different values"
    );
    reference
}

/// Every decoder reads the same policy messages (rust-netlink: the ones it can type); returns
/// the reference messages and how many rust-netlink rejects.
pub fn policy_dump(inp: &Inputs) -> (Vec<PolicyMsg>, usize) {
    let buf = &inp.policy_dump;
    let reference = manual::decode_policy_dump(buf).expect("manual decode");
    assert_eq!(reference.len(), 260, "260 policy messages in the capture");
    let n = neli::decode_policy_dump(buf).expect("neli decode");
    assert_eq!(n, reference, "neli decoded different values");
    let o: Vec<PolicyMsg> = ours::decode_policy_dump(buf)
        .expect("netlink-genl decode")
        .iter()
        .map(ours::policy_of)
        .collect();
    assert_eq!(o, reference, "netlink-genl decoded different values");
    let r = rnl::decode_policy_dump(buf).expect("rust-netlink decode");
    assert_eq!(r.len(), reference.len());
    let mut rejected = 0;
    for (i, (m, want)) in r.iter().zip(&reference).enumerate() {
        match m {
            Some(m) => assert_eq!(&rnl::policy_of(m), want, "rust-netlink message {i}"),
            None => {
                // Only messages with a type netlink-packet-generic does not know may fail.
                let ty = want.attr.map(|(_, _, s)| s.ty);
                assert!(
                    matches!(ty, Some(t) if t > 15),
                    "rust-netlink rejected message {i} ({want:?})"
                );
                rejected += 1;
            }
        }
    }
    let folded = manual::fold_policy_dump(buf).expect("fold");
    let want = reference
        .iter()
        .fold(0u64, |a, m| a.wrapping_add(manual::policy_fingerprint(m)));
    assert_eq!(folded, want, "manual borrowed fold saw different values");
    (reference, rejected)
}

/// One live GETFAMILY dump and one "do" (without and with `NLM_F_ACK`) per implementation
/// and per variant of the live benches; all must agree. Returns the dump.
pub fn live() -> Result<Vec<Family>, BoxError> {
    let mut nl = neli::Live::new()?;
    let mut rn = rnl::Live::new()?;
    let mut raw = crate::floor::RawSocket::new()?;
    let mut og = ours::Live::new()?;
    let mut op = ours::Live::with_peek()?;
    let mut ot = ours::AsyncLive::new()?;
    let owned = |v: Vec<netlink_genl::ctrl::Ctrl>| -> Vec<Family> {
        v.iter().map(ours::family_of).collect()
    };

    // The dump.
    let m = crate::live::dump_manual(&mut raw)?;
    let fp = fingerprint(&m);
    let reqs = crate::live::floor_requests();
    assert_eq!(
        floor_reply(&reqs.dump, false)?,
        m,
        "live dump: the floor's request is answered differently"
    );
    let n = nl.dump_families()?;
    assert_eq!(n, m, "live dump: neli and netlink-genl-core manual differ");
    let r: Vec<Family> = rn.dump_families()?.iter().map(rnl::family_of).collect();
    assert_eq!(
        r, m,
        "live dump: rust-netlink and netlink-genl-core manual differ"
    );
    assert_eq!(
        crate::live::dump_manual_borrowed(&mut raw)?,
        fp,
        "live dump: netlink-genl-core manual borrowed differs"
    );
    for (who, s) in [("default", &mut og), ("peek sizing on", &mut op)] {
        assert_eq!(
            owned(s.dump_families()?),
            m,
            "live dump: netlink-genl owned ({who}) differs"
        );
        assert_eq!(
            owned(s.dump_families_with()?),
            m,
            "live dump: netlink-genl owned dump_with ({who}) differs"
        );
        assert_eq!(
            s.dump_families_borrowed()?,
            fp,
            "live dump: netlink-genl borrowed ({who}) differs"
        );
    }
    assert_eq!(
        owned(ot.dump_families()?),
        m,
        "live dump: netlink-genl tokio owned differs"
    );
    assert_eq!(
        ot.dump_families_borrowed()?,
        fp,
        "live dump: netlink-genl tokio borrowed differs"
    );

    // The do without NLM_F_ACK (declared reply: one datagram).
    let dm = crate::live::do_manual(&mut raw)?;
    assert_eq!(dm.name, FAMILY);
    assert!(m.contains(&dm), "the family from the do is in the dump");
    let dfp = fingerprint(std::slice::from_ref(&dm));
    assert_eq!(
        floor_reply(&reqs.get, true)?,
        std::slice::from_ref(&dm),
        "live do: the floor's one datagram is not the reply"
    );
    {
        // The floor with addresses: the one datagram, from the kernel (port 0).
        let mut s = crate::floor::RawSocket::new()?;
        s.send_to(&reqs.get)?;
        let (d, pid) = s.recv_from()?;
        assert_eq!(pid, 0, "live do: the reply is not from the kernel");
        let mut got = Vec::new();
        manual::for_each_data(d, |attrs| {
            got.push(manual::decode_family(attrs)?);
            Ok(())
        })?;
        assert_eq!(
            got,
            std::slice::from_ref(&dm),
            "live do: floor with addresses"
        );
    }
    assert_eq!(
        floor_reply(&reqs.get_ack, false)?,
        std::slice::from_ref(&dm),
        "live do+ACK: the floor's request is answered differently"
    );
    assert_eq!(
        nl.get_family_no_ack(FAMILY)?,
        dm,
        "live do: neli and netlink-genl-core manual differ"
    );
    assert_eq!(
        rnl::family_of(&rn.get_family_no_ack(FAMILY)?),
        dm,
        "live do: rust-netlink and netlink-genl-core manual differ"
    );
    assert_eq!(
        crate::live::do_manual_borrowed(&mut raw)?,
        dfp,
        "live do: netlink-genl-core manual borrowed differs"
    );
    for (who, s) in [("default", &mut og), ("peek sizing on", &mut op)] {
        assert_eq!(
            ours::family_of(&s.get_family(FAMILY)?),
            dm,
            "live do: netlink-genl request ({who}) differs"
        );
        assert_eq!(
            s.get_family_borrowed(FAMILY)?,
            dfp,
            "live do: netlink-genl request_view ({who}) differs"
        );
    }

    // The do with NLM_F_ACK (reply, then the ACK).
    assert_eq!(
        crate::live::do_manual_ack(&mut raw)?,
        dm,
        "live do+ACK: netlink-genl-core manual differs"
    );
    assert_eq!(
        crate::live::do_manual_ack_borrowed(&mut raw)?,
        dfp,
        "live do+ACK: netlink-genl-core manual borrowed differs"
    );
    assert_eq!(
        nl.get_family(FAMILY)?,
        dm,
        "live do+ACK: neli and netlink-genl-core manual differ"
    );
    assert_eq!(
        rnl::family_of(&rn.get_family(FAMILY)?),
        dm,
        "live do+ACK: rust-netlink and netlink-genl-core manual differ"
    );
    assert_eq!(
        ours::family_of(&og.get_family_ack(FAMILY)?),
        dm,
        "live do+ACK: netlink-genl owned differs"
    );
    assert_eq!(
        og.get_family_ack_borrowed(FAMILY)?,
        dfp,
        "live do+ACK: netlink-genl borrowed differs"
    );
    og.ack_family(FAMILY)?;
    Ok(m)
}

/// What the floor reads for request bytes `req`, decoded (the floor's timed loop does not decode
/// it): every datagram to DONE / the ACK, or, with `one`, the one datagram of a request sent
/// without `NLM_F_ACK`.
fn floor_reply(req: &[u8], one: bool) -> Result<Vec<Family>, BoxError> {
    let mut s = crate::floor::RawSocket::new()?;
    s.send(req)?;
    let mut out = Vec::new();
    loop {
        let d = s.recv()?;
        let ended = manual::for_each_data(d, |attrs| {
            out.push(manual::decode_family(attrs)?);
            Ok(())
        })?;
        assert_eq!(ended, crate::floor::ends_reply(d), "floor: end of reply");
        if ended || one {
            return Ok(out);
        }
    }
}
