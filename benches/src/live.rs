//! Live round trips against the kernel over the raw floor socket, decoded with netlink-core by
//! hand (the "netlink-core manual" live rows): what the floor plus our decode costs.

use crate::floor::RawSocket;
use crate::manual::{self, BoxError};
use crate::plain::Family;
use crate::{FAMILY, FLAGS_DO_ACK, FLAGS_DUMP, GENL_ID_CTRL};

thread_local! {
    static TX: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Encode the request with netlink-core into a reused buffer, then `f(bytes)`.
#[inline]
fn with_request<R>(
    name: Option<&str>,
    f: impl FnOnce(&[u8]) -> Result<R, BoxError>,
) -> Result<R, BoxError> {
    TX.with_borrow_mut(|tx| {
        match name {
            Some(n) => manual::encode_getfamily(tx, n, FLAGS_DO_ACK, 1)?,
            None => manual::encode_dump(tx, crate::CTRL_CMD_GETFAMILY, FLAGS_DUMP, 1)?,
        }
        f(tx)
    })
}

/// GETFAMILY dump over the raw socket, decoded into owned families.
pub fn dump_manual(s: &mut RawSocket) -> Result<Vec<Family>, BoxError> {
    let mut out = Vec::new();
    with_request(None, |req| {
        s.round_trip_with(req, |d| {
            manual::for_each_data(d, |attrs| {
                out.push(manual::decode_family(attrs)?);
                Ok(())
            })
        })
    })?;
    Ok(out)
}

/// GETFAMILY dump over the raw socket, decoded borrowed (zero allocation), every value visited.
pub fn dump_manual_borrowed(s: &mut RawSocket) -> Result<u64, BoxError> {
    let mut acc = 0u64;
    with_request(None, |req| {
        s.round_trip_with(req, |d| {
            manual::for_each_data(d, |attrs| {
                acc = acc.wrapping_add(manual::fold_family(&manual::decode_family_ref(attrs)?)?);
                Ok(())
            })
        })
    })?;
    Ok(acc)
}

/// GETFAMILY "do" for nlctrl (with ACK) over the raw socket, decoded into an owned family.
pub fn do_manual(s: &mut RawSocket) -> Result<Family, BoxError> {
    let mut out = None;
    with_request(Some(FAMILY), |req| {
        s.round_trip_with(req, |d| {
            manual::for_each_data(d, |attrs| {
                out = Some(manual::decode_family(attrs)?);
                Ok(())
            })
        })
    })?;
    out.ok_or_else(|| "no reply".into())
}

/// GETFAMILY "do" for nlctrl over the raw socket, decoded borrowed, every value visited.
pub fn do_manual_borrowed(s: &mut RawSocket) -> Result<u64, BoxError> {
    let mut acc = 0u64;
    with_request(Some(FAMILY), |req| {
        s.round_trip_with(req, |d| {
            manual::for_each_data(d, |attrs| {
                acc = acc.wrapping_add(manual::fold_family(&manual::decode_family_ref(attrs)?)?);
                Ok(())
            })
        })
    })?;
    Ok(acc)
}

/// The request bytes of the floor: the same requests, encoded once.
pub fn floor_requests() -> (Vec<u8>, Vec<u8>) {
    let mut dump = Vec::new();
    manual::encode_dump(&mut dump, crate::CTRL_CMD_GETFAMILY, FLAGS_DUMP, 1).expect("encode");
    let mut get = Vec::new();
    manual::encode_getfamily(&mut get, FAMILY, FLAGS_DO_ACK, 1).expect("encode");
    debug_assert_eq!(u16::from_ne_bytes([dump[4], dump[5]]), GENL_ID_CTRL);
    (dump, get)
}
