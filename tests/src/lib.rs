//! Test-only package: see `tests/`. This library holds helpers shared by the live tests:
//! private network namespaces, running iproute2, and parsing `genl ctrl list` output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

/// Run `f` on a new thread that first moves into a fresh, private network namespace
/// (`unshare(CLONE_NEWNET)` affects only the calling thread). Sockets opened and commands run
/// (children inherit the thread's namespace) inside `f` live there; the namespace and every
/// device in it disappear when the thread and its sockets are gone. The initial namespace is
/// never touched.
pub fn in_private_netns<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let r = std::thread::spawn(move || {
        // SAFETY: unshare only changes this thread's namespace membership; no memory is passed.
        let rc = unsafe { libc::unshare(libc::CLONE_NEWNET) };
        assert_eq!(
            rc,
            0,
            "unshare(CLONE_NEWNET) (needs root): {}",
            std::io::Error::last_os_error()
        );
        f()
    })
    .join();
    match r {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// A child process that is killed and reaped when dropped: also when the test fails while it
/// runs, which would otherwise leave it behind (an `ip mptcp monitor`, a `sleep 60`).
#[derive(Debug)]
pub struct Reaped(pub std::process::Child);

impl Reaped {
    /// Spawn `cmd`; panics when it cannot be started.
    pub fn spawn(cmd: &mut Command) -> Reaped {
        Reaped(
            cmd.spawn()
                .unwrap_or_else(|e| panic!("spawning {cmd:?} (is it installed?): {e}")),
        )
    }
}

impl std::ops::Deref for Reaped {
    type Target = std::process::Child;
    fn deref(&self) -> &std::process::Child {
        &self.0
    }
}

impl std::ops::DerefMut for Reaped {
    fn deref_mut(&mut self) -> &mut std::process::Child {
        &mut self.0
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        // It may have exited already: then kill fails and wait reaps it.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Run `ip ARGS` (in the calling thread's network namespace) and return its stdout; panics with
/// its stderr when it fails.
pub fn ip(args: &str) -> String {
    run("ip", &args.split_whitespace().collect::<Vec<_>>())
}

/// Run a command and return its stdout; panics with its stderr when it fails.
pub fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running {cmd} (is it installed?): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The ifindex of device `name` in the calling thread's namespace (from `ip -j link show`,
/// parsed without a JSON library: `"ifindex":N` precedes `"ifname":"NAME"` in each object).
pub fn ifindex(name: &str) -> u32 {
    let json = ip(&format!("-j link show dev {name}"));
    let key = "\"ifindex\":";
    let start = json.find(key).expect("ifindex in ip -j output") + key.len();
    let digits: String = json[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("ifindex number")
}

/// One operation as `genl ctrl list` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedOp {
    /// The command number (`ID-0x3`).
    pub cmd: u32,
    /// The flags (`Capabilities (0xe)`), when printed.
    pub flags: Option<u32>,
}

/// One family as `genl ctrl list` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedFamily {
    /// `Name:`.
    pub name: String,
    /// `ID:`.
    pub id: u16,
    /// `Version:`.
    pub version: u32,
    /// `header size:`.
    pub hdrsize: u32,
    /// `max attribs:`.
    pub maxattr: u32,
    /// `commands supported:`.
    pub ops: Vec<ParsedOp>,
    /// `multicast groups:` as (name, id).
    pub groups: Vec<(String, u32)>,
}

fn num(s: &str) -> u32 {
    let s = s.trim().trim_end_matches(':');
    match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16),
        None => s.parse(),
    }
    .unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// The value after `key` in `line` (up to the next whitespace).
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let at = line.find(key)? + key.len();
    line[at..].split_whitespace().next()
}

/// Parse the output of `genl ctrl list` (iproute2), or of the `genl` example, which uses the
/// same layout with capabilities on the operation's line.
pub fn parse_genl_ctrl_list(text: &str) -> Vec<ParsedFamily> {
    #[derive(PartialEq)]
    enum Section {
        None,
        Ops,
        Groups,
    }
    let mut out: Vec<ParsedFamily> = Vec::new();
    let mut section = Section::None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("Name: ") {
            out.push(ParsedFamily {
                name: name.trim().to_owned(),
                ..ParsedFamily::default()
            });
            section = Section::None;
            continue;
        }
        let Some(f) = out.last_mut() else { continue };
        if t.starts_with("ID: ") {
            f.id = num(field(t, "ID: ").expect("ID")) as u16;
            f.version = num(field(t, "Version: ").expect("Version"));
            f.hdrsize = num(field(t, "header size: ").expect("header size"));
            f.maxattr = num(field(t, "max attribs: ").expect("max attribs"));
        } else if t.starts_with("commands supported") {
            section = Section::Ops;
        } else if t.starts_with("multicast groups") {
            section = Section::Groups;
        } else if t.starts_with('#') && section == Section::Ops {
            let cmd = num(field(t, "ID-").expect("op ID"));
            let flags = field(t, "Capabilities (").map(|v| num(v.trim_end_matches("):")));
            f.ops.push(ParsedOp { cmd, flags });
        } else if t.starts_with("Capabilities (") && section == Section::Ops {
            let v = field(t, "Capabilities (").expect("flags");
            if let Some(op) = f.ops.last_mut() {
                op.flags = Some(num(v.trim_end_matches("):")));
            }
        } else if t.starts_with('#') && section == Section::Groups {
            let id = num(field(t, "ID-").expect("group ID"));
            let name = t
                .split("name: ")
                .nth(1)
                .expect("group name")
                .trim()
                .to_owned();
            f.groups.push((name, id));
        }
    }
    out
}

/// Run `genl ctrl list` and parse it.
pub fn genl_ctrl_list() -> Vec<ParsedFamily> {
    parse_genl_ctrl_list(&run("genl", &["ctrl", "list"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\nName: nlctrl\n\tID: 0x10  Version: 0x2  header size: 0  max attribs: 0 \n\tcommands supported: \n\t\t#1:  ID-0x3 \n\t\tCapabilities (0xe):\n \t\t  can doit; can dumpit; has policy\n\n\t\t#2:  ID-0xa \n\t\tCapabilities (0xc):\n \t\t  can dumpit; has policy\n\n\n\tmulticast groups:\n\t\t#1:  ID-0x10  name: notify \n\n\nName: tcp_metrics\n\tID: 0x1b  Version: 0x1  header size: 0  max attribs: 13 \n\tcommands supported: \n\t\t#1:  ID-0x1 \n\t\t#2:  ID-0x2 \n\n";

    #[test]
    fn parses_iproute2_layout() {
        let f = parse_genl_ctrl_list(SAMPLE);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].name, "nlctrl");
        assert_eq!((f[0].id, f[0].version, f[0].maxattr), (0x10, 2, 0));
        assert_eq!(
            f[0].ops,
            [
                ParsedOp {
                    cmd: 3,
                    flags: Some(0xe)
                },
                ParsedOp {
                    cmd: 10,
                    flags: Some(0xc)
                }
            ]
        );
        assert_eq!(f[0].groups, [("notify".to_owned(), 0x10)]);
        assert_eq!((f[1].id, f[1].maxattr, f[1].ops.len()), (0x1b, 13, 2));
        assert_eq!(f[1].ops[1].flags, None);
    }

    #[test]
    fn parses_one_line_capabilities() {
        let f = parse_genl_ctrl_list(
            "Name: x\n\tID: 0x14  Version: 0x1  header size: 4  max attribs: 9\n\tcommands supported:\n\t\t#1:  ID-0xd  Capabilities (0xb): requires admin permission; can doit; has policy\n",
        );
        assert_eq!(f[0].hdrsize, 4);
        assert_eq!(
            f[0].ops,
            [ParsedOp {
                cmd: 0xd,
                flags: Some(0xb)
            }]
        );
    }
}
