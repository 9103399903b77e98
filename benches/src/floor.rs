//! The floor: raw syscalls (`send`, `recv`) on an `AF_NETLINK` socket. The request bytes are
//! given, the reply is read into a reused 32 KiB buffer and not parsed: for a dump or a request
//! with `NLM_F_ACK` only the message headers are walked to see where the reply ends
//! (`NLMSG_DONE` or the ACK); a request without `NLM_F_ACK` whose reply is one datagram (a
//! declared reply) reads that datagram and stops ([`request_one`](RawSocket::request_one)).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// `NLMSG_ERROR` (an ACK when its errno is 0).
const NLMSG_ERROR: u16 = 2;
/// `NLMSG_DONE`.
const NLMSG_DONE: u16 = 3;
const SOL_NETLINK: libc::c_int = 270;
const NETLINK_CAP_ACK: libc::c_int = 10;
const NETLINK_EXT_ACK: libc::c_int = 11;

/// A `NETLINK_GENERIC` socket driven with raw syscalls.
pub struct RawSocket {
    fd: OwnedFd,
    rx: Vec<u8>,
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

impl RawSocket {
    /// Open and bind a socket with `NETLINK_EXT_ACK` and `NETLINK_CAP_ACK` on, like
    /// netlink-genl-core's `NlSocket`.
    pub fn new() -> io::Result<Self> {
        // SAFETY: plain syscalls on a descriptor we own; the address is a valid sockaddr_nl.
        unsafe {
            let fd = cvt(libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_GENERIC,
            ))?;
            let fd = OwnedFd::from_raw_fd(fd);
            let mut addr: libc::sockaddr_nl = std::mem::zeroed();
            addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
            cvt(libc::bind(
                fd.as_raw_fd(),
                (&raw const addr).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            ))?;
            for opt in [NETLINK_EXT_ACK, NETLINK_CAP_ACK] {
                let one: libc::c_int = 1;
                cvt(libc::setsockopt(
                    fd.as_raw_fd(),
                    SOL_NETLINK,
                    opt,
                    (&raw const one).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                ))?;
            }
            Ok(RawSocket {
                fd,
                rx: vec![0; 32 * 1024],
            })
        }
    }

    /// `send` the bytes to the kernel.
    #[inline]
    pub fn send(&self, req: &[u8]) -> io::Result<()> {
        // SAFETY: `req` is valid for `req.len()` bytes.
        let n = unsafe { libc::send(self.fd.as_raw_fd(), req.as_ptr().cast(), req.len(), 0) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// `recv` one datagram into the reused buffer.
    #[inline]
    pub fn recv(&mut self) -> io::Result<&[u8]> {
        // SAFETY: `rx` is valid for writes of `rx.len()` bytes.
        let n = unsafe {
            libc::recv(
                self.fd.as_raw_fd(),
                self.rx.as_mut_ptr().cast(),
                self.rx.len(),
                0,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(&self.rx[..(n as usize).min(self.rx.len())])
    }

    /// `sendto` the bytes to the kernel's address (`sockaddr_nl` with port 0), as
    /// netlink-genl-core's `NlSocket` sends.
    #[inline]
    pub fn send_to(&self, req: &[u8]) -> io::Result<()> {
        // SAFETY: an all-zero `sockaddr_nl` is valid; `req` is valid for `req.len()` bytes and
        // `addr` for its size.
        let n = unsafe {
            let mut addr: libc::sockaddr_nl = std::mem::zeroed();
            addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
            libc::sendto(
                self.fd.as_raw_fd(),
                req.as_ptr().cast(),
                req.len(),
                0,
                (&raw const addr).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// `recvfrom(MSG_TRUNC)` one datagram into the reused buffer with the sender's address, as
    /// netlink-genl-core's `NlSocket` reads (it checks that the sender is the kernel); the address is
    /// returned, not checked.
    #[inline]
    pub fn recv_from(&mut self) -> io::Result<(&[u8], u32)> {
        // SAFETY: `rx` is valid for writes of `rx.len()` bytes, `addr` and `len` for theirs.
        let (n, pid) = unsafe {
            let mut addr: libc::sockaddr_nl = std::mem::zeroed();
            let mut len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            let n = libc::recvfrom(
                self.fd.as_raw_fd(),
                self.rx.as_mut_ptr().cast(),
                self.rx.len(),
                libc::MSG_TRUNC,
                (&raw mut addr).cast(),
                &mut len,
            );
            (n, addr.nl_pid)
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok((&self.rx[..(n as usize).min(self.rx.len())], pid))
    }

    /// As [`request_one`](Self::request_one) with [`send_to`](Self::send_to) and
    /// [`recv_from`](Self::recv_from): the system calls `NlSocket` makes (the floor plus the
    /// kernel's work on the addresses).
    #[inline]
    pub fn request_one_addr(&mut self, req: &[u8]) -> io::Result<usize> {
        self.send_to(req)?;
        let (d, pid) = self.recv_from()?;
        Ok(d.len() + pid as usize)
    }

    /// As [`round_trip`](Self::round_trip) with [`send_to`](Self::send_to) and
    /// [`recv_from`](Self::recv_from).
    #[inline]
    pub fn round_trip_addr(&mut self, req: &[u8]) -> io::Result<usize> {
        self.send_to(req)?;
        let mut total = 0;
        loop {
            let (d, pid) = self.recv_from()?;
            total += d.len() + pid as usize;
            if ends_reply(d) {
                return Ok(total);
            }
        }
    }

    /// `recv(MSG_PEEK | MSG_TRUNC)` with an empty buffer: the size of the next datagram, without
    /// consuming it (how netlink-genl-core's `NlSocket` sizes each datagram before reading it).
    #[inline]
    pub fn peek_len(&self) -> io::Result<usize> {
        // SAFETY: a zero-length buffer; MSG_TRUNC makes the kernel report the real length.
        let n = unsafe {
            libc::recv(
                self.fd.as_raw_fd(),
                std::ptr::null_mut(),
                0,
                libc::MSG_PEEK | libc::MSG_TRUNC,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }

    /// As [`round_trip`](Self::round_trip), sizing each datagram with [`peek_len`](Self::peek_len)
    /// first: the floor plus the extra syscall per datagram that `NlSocket` makes.
    #[inline]
    pub fn round_trip_peek(&mut self, req: &[u8]) -> io::Result<usize> {
        self.send(req)?;
        let mut total = 0;
        loop {
            let need = self.peek_len()?;
            if need > self.rx.len() {
                self.rx.resize(need, 0);
            }
            let d = self.recv()?;
            total += d.len();
            if ends_reply(d) {
                return Ok(total);
            }
        }
    }

    /// Send `req` (sent without `NLM_F_ACK`: its reply is one datagram) and read that one
    /// datagram, unparsed. Returns its length.
    #[inline]
    pub fn request_one(&mut self, req: &[u8]) -> io::Result<usize> {
        self.send(req)?;
        Ok(self.recv()?.len())
    }

    /// As [`request_one`](Self::request_one), sizing the datagram with
    /// [`peek_len`](Self::peek_len) first (what `NlSocket` does with `set_peek_sizing(true)`).
    #[inline]
    pub fn request_one_peek(&mut self, req: &[u8]) -> io::Result<usize> {
        self.send(req)?;
        let need = self.peek_len()?;
        if need > self.rx.len() {
            self.rx.resize(need, 0);
        }
        Ok(self.recv()?.len())
    }

    /// Send `req`, read datagrams until one holds `DONE` or an ACK/error. Returns the bytes
    /// received.
    #[inline]
    pub fn round_trip(&mut self, req: &[u8]) -> io::Result<usize> {
        self.send(req)?;
        let mut total = 0;
        loop {
            let d = self.recv()?;
            total += d.len();
            if ends_reply(d) {
                return Ok(total);
            }
        }
    }

    /// Send `req`, hand each datagram to `on_datagram` until it returns `true` (the reply
    /// ended).
    #[inline]
    pub fn round_trip_with<E: From<io::Error>>(
        &mut self,
        req: &[u8],
        mut on_datagram: impl FnMut(&[u8]) -> Result<bool, E>,
    ) -> Result<(), E> {
        self.send(req)?;
        loop {
            if on_datagram(self.recv()?)? {
                return Ok(());
            }
        }
    }
}

/// Whether a datagram holds the end of a reply (`NLMSG_DONE` or `NLMSG_ERROR`): a walk of the
/// message headers, nothing else.
#[inline]
pub fn ends_reply(d: &[u8]) -> bool {
    let mut pos = 0usize;
    while let Some(h) = d.get(pos..pos + 6) {
        let len = u32::from_ne_bytes([h[0], h[1], h[2], h[3]]) as usize;
        let ty = u16::from_ne_bytes([h[4], h[5]]);
        if ty == NLMSG_DONE || ty == NLMSG_ERROR {
            return true;
        }
        if len < 16 {
            return false;
        }
        pos += (len + 3) & !3;
    }
    false
}
