//! `mptcp`: the in-kernel MPTCP path manager's endpoints and limits over the `mptcp_pm`
//! generic netlink family, and its connection events; the counterpart of `ip mptcp`. Endpoints
//! are per network namespace: try it in one of your own (`unshare -n`, `ip netns exec`).
//!
//! ```text
//! mptcp endpoint add ADDR [id ID] [port PORT] [dev IFNAME] [signal] [subflow] [backup] [fullmesh]
//! mptcp endpoint del ID
//! mptcp endpoint show [ID]
//! mptcp endpoint change ID [backup|nobackup] [fullmesh|nofullmesh]
//! mptcp endpoint flush
//! mptcp limits [show]
//! mptcp limits set [subflows N] [add_addr_accepted N]
//! mptcp monitor [COUNT]
//! ```

use std::process::ExitCode;

use example_families::mptcp::{self, Address, MptcpEvent, flags};
use example_families::netdev::{if_index, if_name};
use netlink_genl::{Error, GenlSocket};

const USAGE: &str = "usage: mptcp endpoint add ADDR [id ID] [port PORT] [dev IFNAME] [signal] [subflow] [backup] [fullmesh]
       mptcp endpoint del ID
       mptcp endpoint show [ID]
       mptcp endpoint change ID [backup|nobackup] [fullmesh|nofullmesh]
       mptcp endpoint flush
       mptcp limits [show]
       mptcp limits set [subflows N] [add_addr_accepted N]
       mptcp monitor [COUNT]";

/// A usage error (exit status 2).
struct Usage(String);

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`... | head`), like the C tools, instead of panicking in
    // println!.
    // SAFETY: resetting SIGPIPE to its default action before any thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if matches!(args.as_slice(), ["-h"] | ["--help"] | ["help"]) {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(Usage(msg))) => {
            eprintln!("mptcp: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("mptcp: {e}");
            ExitCode::FAILURE
        }
    }
}

fn num<T: std::str::FromStr>(what: &str, s: Option<&&str>) -> Result<T, Usage> {
    s.and_then(|s| s.parse().ok())
        .ok_or_else(|| Usage(format!("{what} needs a number")))
}

fn run(args: &[&str]) -> Result<Result<(), Usage>, Error> {
    let mut sock = GenlSocket::new()?;
    match args {
        ["endpoint" | "ep", "add", addr, rest @ ..] => {
            let a = match parse_add(addr, rest) {
                Ok(a) => a,
                Err(u) => return Ok(Err(u)),
            };
            mptcp::add_endpoint(&mut sock, &a)?;
        }
        ["endpoint" | "ep", "del" | "delete", id] => match id.parse() {
            Ok(id) => mptcp::delete_endpoint(&mut sock, id)?,
            Err(_) => return Ok(Err(Usage("ID must be a number".into()))),
        },
        ["endpoint" | "ep"] | ["endpoint" | "ep", "show" | "list"] => {
            for a in mptcp::endpoints(&mut sock)? {
                println!("{}", show(&a));
            }
        }
        ["endpoint" | "ep", "show", id] => match id.parse() {
            Ok(id) => println!("{}", show(&mptcp::endpoint(&mut sock, id)?)),
            Err(_) => return Ok(Err(Usage("ID must be a number".into()))),
        },
        ["endpoint" | "ep", "change", id, words @ ..] if !words.is_empty() => {
            let Ok(id) = id.parse() else {
                return Ok(Err(Usage("ID must be a number".into())));
            };
            let mut f = 0;
            for w in words {
                match *w {
                    "backup" => f |= flags::BACKUP,
                    "fullmesh" => f |= flags::FULLMESH,
                    "nobackup" | "nofullmesh" => {}
                    other => return Ok(Err(Usage(format!("unknown flag {other:?}")))),
                }
            }
            mptcp::set_flags(&mut sock, id, f)?;
        }
        ["endpoint" | "ep", "flush"] => mptcp::flush(&mut sock)?,
        ["limits"] | ["limits", "show"] => {
            let l = mptcp::limits(&mut sock)?;
            println!(
                "add_addr_accepted {} subflows {}",
                l.add_addr_accepted, l.subflows
            );
        }
        ["limits", "set", rest @ ..] if !rest.is_empty() => {
            let (mut add, mut sub) = (None, None);
            let mut it = rest.iter();
            while let Some(w) = it.next() {
                match *w {
                    "subflows" => match num("subflows", it.next()) {
                        Ok(n) => sub = Some(n),
                        Err(u) => return Ok(Err(u)),
                    },
                    "add_addr_accepted" => match num("add_addr_accepted", it.next()) {
                        Ok(n) => add = Some(n),
                        Err(u) => return Ok(Err(u)),
                    },
                    other => return Ok(Err(Usage(format!("unknown limit {other:?}")))),
                }
            }
            mptcp::set_limits(&mut sock, add, sub)?;
        }
        ["monitor"] => monitor(&mut sock, None)?,
        ["monitor", n] => match n.parse() {
            Ok(n) => monitor(&mut sock, Some(n))?,
            Err(_) => return Ok(Err(Usage("COUNT must be a number".into()))),
        },
        _ => return Ok(Err(Usage("unknown command".into()))),
    }
    Ok(Ok(()))
}

fn parse_add(addr: &str, rest: &[&str]) -> Result<Address, Usage> {
    let ip = addr
        .parse()
        .map_err(|_| Usage(format!("{addr:?} is not an IP address")))?;
    let mut a = Address::ip(ip, 0);
    let mut f = 0;
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        match *w {
            "id" => a.id = Some(num("id", it.next())?),
            "port" => a.port = Some(num("port", it.next())?),
            "dev" => {
                let name = it.next().ok_or_else(|| Usage("dev needs a name".into()))?;
                let i = if_index(name).ok_or_else(|| Usage(format!("no device {name:?}")))?;
                a.if_idx =
                    Some(i32::try_from(i).map_err(|_| Usage("interface index too large".into()))?);
            }
            other => match flags::by_name(other) {
                Some(bit) => f |= bit,
                None => return Err(Usage(format!("unknown word {other:?}"))),
            },
        }
    }
    a.flags = Some(f);
    Ok(a)
}

/// Like `ip mptcp endpoint show`, with the device by name.
fn show(a: &Address) -> String {
    let mut plain = a.clone();
    plain.if_idx = None;
    let mut s = plain.to_string();
    if let Some(i) = a.if_idx.filter(|&i| i > 0) {
        let name = if_name(i.unsigned_abs()).unwrap_or_else(|| format!("#{i}"));
        s.push_str(&format!(" dev {name}"));
    }
    s
}

fn monitor(sock: &mut GenlSocket, count: Option<usize>) -> Result<(), Error> {
    let group = sock.join::<MptcpEvent>(mptcp::EVENTS_GROUP)?;
    println!(
        "listening on mptcp_pm group {} ({group})",
        mptcp::EVENTS_GROUP
    );
    let mut seen = 0;
    while count.is_none_or(|c| seen < c) {
        let ev = match sock.recv_event::<MptcpEvent>() {
            Ok(ev) => ev,
            Err(Error::Overrun) => {
                eprintln!("(events lost: receive buffer overrun)");
                continue;
            }
            Err(Error::Decode(e)) => {
                println!("undecoded event: {e}");
                seen += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        seen += 1;
        let a = ev.msg.attrs();
        let mut line = format!("[{}]", ev.msg.name());
        if let Some(t) = a.token {
            line.push_str(&format!(" token={t:08x}"));
        }
        if let Some(s) = a
            .saddr4
            .map(|x| x.to_string())
            .or(a.saddr6.map(|x| x.to_string()))
        {
            line.push_str(&format!(" saddr={s}"));
        }
        if let Some(d) = a
            .daddr4
            .map(|x| x.to_string())
            .or(a.daddr6.map(|x| x.to_string()))
        {
            line.push_str(&format!(" daddr={d}"));
        }
        if let Some(p) = a.sport {
            line.push_str(&format!(" sport={p}"));
        }
        if let Some(p) = a.dport {
            line.push_str(&format!(" dport={p}"));
        }
        println!("{line}");
    }
    Ok(())
}
