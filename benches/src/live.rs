//! Live round trips against the kernel over the raw floor socket, decoded with netlink-genl-core by
//! hand (the "netlink-genl-core manual" live rows): what the floor plus our decode costs.

use crate::floor::RawSocket;
use crate::manual::{self, BoxError};
use crate::plain::Family;
use crate::{FAMILY, FLAGS_DO, FLAGS_DO_ACK, FLAGS_DUMP, GENL_ID_CTRL};

thread_local! {
    static TX: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Encode the request with netlink-genl-core into a reused buffer (GETFAMILY for `name` with
/// `flags`, or the GETFAMILY dump), then `f(bytes)`.
#[inline]
fn with_request<R>(
    name: Option<&str>,
    flags: u16,
    f: impl FnOnce(&[u8]) -> Result<R, BoxError>,
) -> Result<R, BoxError> {
    TX.with_borrow_mut(|tx| {
        match name {
            Some(n) => manual::encode_getfamily(tx, n, flags, 1)?,
            None => manual::encode_dump(tx, crate::CTRL_CMD_GETFAMILY, flags, 1)?,
        }
        f(tx)
    })
}

/// GETFAMILY dump over the raw socket, decoded into owned families.
pub fn dump_manual(s: &mut RawSocket) -> Result<Vec<Family>, BoxError> {
    let mut out = Vec::new();
    with_request(None, FLAGS_DUMP, |req| {
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
    with_request(None, FLAGS_DUMP, |req| {
        s.round_trip_with(req, |d| {
            manual::for_each_data(d, |attrs| {
                acc = acc.wrapping_add(manual::fold_family(&manual::decode_family_ref(attrs)?)?);
                Ok(())
            })
        })
    })?;
    Ok(acc)
}

/// GETFAMILY "do" for nlctrl over the raw socket with `flags`: without `NLM_F_ACK` the one
/// reply datagram ends it, with it the ACK does. `on_family` gets each family's attributes.
#[inline]
fn do_with(
    s: &mut RawSocket,
    flags: u16,
    mut on_family: impl FnMut(&[u8]) -> Result<(), BoxError>,
) -> Result<(), BoxError> {
    let ack = flags & 0x4 != 0;
    with_request(Some(FAMILY), flags, |req| {
        s.round_trip_with(req, |d| {
            let ended = manual::for_each_data(d, &mut on_family)?;
            Ok::<_, BoxError>(ended || !ack)
        })
    })
}

/// GETFAMILY "do" for nlctrl (no ACK: the reply is one datagram) over the raw socket, decoded
/// into an owned family.
pub fn do_manual(s: &mut RawSocket) -> Result<Family, BoxError> {
    do_manual_flags(s, FLAGS_DO)
}

/// GETFAMILY "do" for nlctrl (no ACK) over the raw socket, decoded borrowed, every value
/// visited.
pub fn do_manual_borrowed(s: &mut RawSocket) -> Result<u64, BoxError> {
    do_manual_borrowed_flags(s, FLAGS_DO)
}

/// As [`do_manual`], with `NLM_F_ACK` (reply and ACK, two datagrams).
pub fn do_manual_ack(s: &mut RawSocket) -> Result<Family, BoxError> {
    do_manual_flags(s, FLAGS_DO_ACK)
}

/// As [`do_manual_borrowed`], with `NLM_F_ACK`.
pub fn do_manual_ack_borrowed(s: &mut RawSocket) -> Result<u64, BoxError> {
    do_manual_borrowed_flags(s, FLAGS_DO_ACK)
}

#[inline]
fn do_manual_flags(s: &mut RawSocket, flags: u16) -> Result<Family, BoxError> {
    let mut out = None;
    do_with(s, flags, |attrs| {
        out = Some(manual::decode_family(attrs)?);
        Ok(())
    })?;
    out.ok_or_else(|| "no reply".into())
}

#[inline]
fn do_manual_borrowed_flags(s: &mut RawSocket, flags: u16) -> Result<u64, BoxError> {
    let mut acc = 0u64;
    do_with(s, flags, |attrs| {
        acc = acc.wrapping_add(manual::fold_family(&manual::decode_family_ref(attrs)?)?);
        Ok(())
    })?;
    Ok(acc)
}

/// The request bytes of the floor rows: the same requests, encoded once.
pub struct FloorRequests {
    /// GETFAMILY with `NLM_F_DUMP`.
    pub dump: Vec<u8>,
    /// GETFAMILY {name="nlctrl"} without `NLM_F_ACK` (a declared reply: one datagram).
    pub get: Vec<u8>,
    /// GETFAMILY {name="nlctrl"} with `NLM_F_ACK` (reply and ACK).
    pub get_ack: Vec<u8>,
}

/// The request bytes of the floor: the same requests, encoded once.
pub fn floor_requests() -> FloorRequests {
    let mut dump = Vec::new();
    manual::encode_dump(&mut dump, crate::CTRL_CMD_GETFAMILY, FLAGS_DUMP, 1).expect("encode");
    let mut get = Vec::new();
    manual::encode_getfamily(&mut get, FAMILY, FLAGS_DO, 1).expect("encode");
    let mut get_ack = Vec::new();
    manual::encode_getfamily(&mut get_ack, FAMILY, FLAGS_DO_ACK, 1).expect("encode");
    debug_assert_eq!(u16::from_ne_bytes([dump[4], dump[5]]), GENL_ID_CTRL);
    FloorRequests { dump, get, get_ack }
}
