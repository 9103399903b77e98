//! The client core: the input is a script of datagrams a peer answers a request (or a dump)
//! with, through the in-memory transport. Any answer must end the call with `Ok` or a typed
//! error, and the socket must then answer a well-formed request.
//!
//! Input layout: byte 0 bit 0 = dump, bit 1 = the datagrams echo the request's sequence number
//! in their first header; then records `[len: u8][flags: u8][len bytes]`, flags bit 0 = from a
//! foreign port, bit 1 = multicast (group 7, joined).
#![no_main]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use netlink_genl::ctrl::{Ctrl, Family};
use netlink_genl::{Error, GenlRequest, GenlSocket};
use netlink_genl_core::mem::{MemDatagram, MemTransport, Outbox};

fn script(data: &[u8]) -> (bool, bool, Vec<MemDatagram>) {
    let mode = data.first().copied().unwrap_or(0);
    let mut rest = data.get(1..).unwrap_or(&[]);
    let mut out = Vec::new();
    while let [len, flags, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let (bytes, next) = tail.split_at(n);
        out.push(MemDatagram {
            sender: if flags & 1 != 0 { 77 } else { 0 },
            group: if flags & 2 != 0 { 7 } else { 0 },
            bytes: bytes.to_vec(),
        });
        rest = next;
    }
    (mode & 1 != 0, mode & 2 != 0, out)
}

fuzz_target!(|data: &[u8]| {
    let (dump, echo_seq, datagrams) = script(data);
    let scripted = datagrams.len();
    let peer = MemTransport::new();
    let first = Arc::new(Mutex::new(Some(datagrams)));
    peer.set_handler(move |req: &[u8], out: &mut Outbox| {
        let word = |at: usize| {
            req.get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_ne_bytes)
        };
        let (Some(seq), Some(pid)) = (word(8), word(12)) else {
            return;
        };
        match first.lock().ok().and_then(|mut f| f.take()) {
            Some(ds) => {
                let seq_bytes = seq.to_ne_bytes();
                for mut d in ds {
                    if echo_seq {
                        if let Some(at) = d.bytes.get_mut(8..12) {
                            at.copy_from_slice(&seq_bytes);
                        }
                    }
                    out.datagram(d);
                }
            }
            None => {
                let reply = Ctrl::NewFamily(Family::by_name("nlctrl"));
                if let Ok(b) = GenlRequest::new(0x10, &reply).to_bytes(0, seq, pid) {
                    out.unicast(b);
                }
            }
        }
    });
    let Ok(mut sock) = GenlSocket::with_transport(&peer) else {
        return;
    };
    let _ = sock.socket_mut().add_membership(7);
    sock.set_timeout(Some(Duration::from_millis(1)));
    sock.set_event_timeout(Some(Duration::from_millis(1)));
    if dump {
        if let Ok(d) = sock.dump(&Ctrl::GetFamily(Family::default())) {
            for _ in d.take(256) {}
        }
    } else {
        let _ = sock.request(&Ctrl::GetFamily(Family::by_name("nlctrl")));
    }
    let _ = sock.recv_view().map(|v| v.cmd());
    sock.set_timeout(Some(Duration::from_secs(5)));
    let get = Ctrl::GetFamily(Family::by_name("nlctrl"));
    // A datagram of the script still queued, from port 0 and with the sequence number of a
    // later request in its header, is taken as that request's answer. Only the kernel sends
    // from port 0, and it never uses a sequence number before the request carrying it is sent;
    // so each such datagram may fail one request, with a typed error, but never time out or
    // wedge the socket: a request succeeds once the script's datagrams are used up.
    for _ in 0..=scripted {
        match sock.request(&get) {
            Ok(_) => return,
            Err(Error::Timeout(t)) => panic!("the socket timed out after the script: {t}"),
            Err(_) => {}
        }
    }
    panic!("no request succeeded after the script");
});
